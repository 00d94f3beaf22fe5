// Test set-up (vitest setupFiles): picks the machine's execution mode for the
// whole run from the environment, so every machine test runs both ways.
//
//   WEENSY_JIT=0   the interpreter only
//   otherwise      translated blocks, each translated the first time it is
//                  reached (threshold 1), so tests exercise blocks at once
//
// WEENSY_JIT_THRESHOLD=n sets another threshold (1-255).
// WEENSY_JIT_BACKEND=js compiles regions to JavaScript instead of WebAssembly.

import { jitDefaults } from '../../emulator/machine/jit/jit';

const mode = process.env.WEENSY_JIT;
jitDefaults.enabled = mode !== '0';
jitDefaults.threshold = Number(process.env.WEENSY_JIT_THRESHOLD ?? 1);
const backend = process.env.WEENSY_JIT_BACKEND ?? 'wasm';
if (backend !== 'wasm' && backend !== 'js') throw new Error(`WEENSY_JIT_BACKEND must be wasm or js, not ${backend}`);
jitDefaults.backend = backend;
