// A region compiled to WebAssembly (wasm-codegen.ts) as a RegionFn: the
// module, compiled once per region and memory layout and shared by machines,
// instantiated on the machine's memory with its helpers, and the JavaScript
// around each call that does what codegen.ts's prologue and epilogue do
// (mirror sync, the page's linear base, counting, rip, faults).

import type { RegionFn } from './block';
import type { RegionBlock } from './codegen';
import { touchesMemory } from './codegen';
import type { JitContext } from './context';
import { blockIndex, generateWasmRegion } from './wasm-codegen';
import { SLOT } from './wasm-layout';

const modules = new Map<string, WebAssembly.Module>();
const MODULE_LIMIT = 4096;

/** What jit.ts lends the region functions: the mirror sync. */
export interface WasmHooks {
  sync(J: JitContext): void;
}

/**
 * The region of `blocks` as a function for the machine of `J` (which has a
 * WebAssembly memory). `key` names the blocks' instructions (jit.ts, keyOf).
 */
export function wasmRegion(blocks: readonly RegionBlock[], key: string, J: JitContext, hooks: WasmHooks): RegionFn {
  const w = J.wasm!;
  const layout = w.layout;
  const fullKey = `${layout.ram}/${layout.mirrorSize}|${key}`;
  let mod = modules.get(fullKey);
  if (!mod) {
    mod = new WebAssembly.Module(generateWasmRegion(blocks, layout));
    if (modules.size >= MODULE_LIMIT) modules.clear();
    modules.set(fullKey, mod);
  }
  const instance = new WebAssembly.Instance(mod, { env: w.imports } as WebAssembly.Imports);
  const run = instance.exports.run as (max: number, bi: number, start: number, chain: number, bl: number, bh: number, mm: number, hc: number) => number;
  const idx = new Int16Array(4096);
  for (const [off, i] of blockIndex(blocks)) idx[off] = i;
  const memory = blocks.some((b) => b.insns.some((i) => touchesMemory(i.op)));
  const sync = hooks.sync;
  return (J2, max, fHit, start, chain) => {
    const cpu = J2.cpu;
    if (memory) sync(J2);
    const base = cpu.rip - start;
    const bh = Math.floor(base / 4294967296) | 0;
    const bl = (base - bh * 4294967296) | 0;
    const user = (cpu.cs & 3) === 3;
    J2.g0 = J2.tlb.generation;
    J2.c0 = J2.dc.generation;
    J2.base = base;
    let n = run(max, idx[start]!, start, chain ? 1 : 0, bl, bh, J2.mm, J2.hc);
    const S = J2.wasm!.slots;
    const hl = S[SLOT.HL]!;
    const M = J2.m;
    if (J2.fault !== null) {
      // k: the faulting instruction (see codegen.ts).
      const k = S[SLOT.K]!;
      cpu.rip = base + (k >> 13);
      n += ((k >> 7) & 63) - (k & 127);
      M.icount += n;
      if (user) M.userIcount += n;
      J2.counters.hits += fHit * n + hl;
      S[SLOT.FAULT] = 0;
      const f = J2.fault;
      J2.fault = null;
      throw f;
    }
    n += S[SLOT.E]!;
    cpu.rip = S[SLOT.FAR] !== 0 ? S[SLOT.OUT_HI]! * 4294967296 + (S[SLOT.OUT_LO]! >>> 0) : base + S[SLOT.D]!;
    M.icount += n;
    if (user) M.userIcount += n;
    J2.counters.hits += fHit * (n - 1) + hl;
    return n;
  };
}
