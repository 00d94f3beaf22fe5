// The reference kernel on three machines: the interpreter alone, WebAssembly
// regions with the dispatcher, and JavaScript regions. A real kernel does
// what the random programs of test/machine/jit-differential.test.ts do only
// in miniature: CR3 switches between processes, page tables written under
// the TLB, code pages freed and reused (forkexit), the timer cutting regions
// short, and calls between code pages by the million. Each run must end in
// the same state, counters and log as the interpreter's, at every slice.

import { describe, expect, it } from 'vitest';
import { bootWeensyOS, buildWeensyOS, formatDiagnostic } from '../../emulator/index';
import type { Machine, MachineConfig } from '../../emulator/machine/machine';
import { hashMachine } from '../../emulator/machine/snapshot';

const noFiles = { readFile: (): undefined => undefined };

interface World {
  readonly m: Machine;
  readonly log: number[];
}

function boot(command: string | undefined, config: MachineConfig): World {
  const build = buildWeensyOS({ host: noFiles, defines: new Map([['TICK_LIMIT', '12'], ['NO_SLOWDOWN', '1']]) });
  if (!build.kernel) throw new Error(build.diagnostics.map(formatDiagnostic).join('\n'));
  const log: number[] = [];
  const m = bootWeensyOS(build.kernel, { ...config, ...(command ? { command } : {}), output: { log: (b) => void log.push(b) } });
  return { m, log };
}

describe('JIT differential: the reference kernel, interpreted and translated both ways', () => {
  for (const command of [undefined, 'forkexit']) {
    it(`${command ?? 'allocators'}: the same state, counters and log after every slice`, () => {
      const worlds = [boot(command, { jit: false }), boot(command, { jit: true, jitBackend: 'wasm' }), boot(command, { jit: true, jitBackend: 'js' })];
      const [interp, wasm, js] = worlds as [World, World, World];
      // Slices of uneven sizes, so that slice ends fall everywhere.
      const sizes = [1, 7, 1000, 99_991, 1_000_003];
      let stops = 0;
      for (let s = 0; interp.m.status === 'running' && s < 10_000; s++) {
        const n = sizes[s % sizes.length]!;
        const reasons = worlds.map((w) => w.m.run(n).kind);
        expect(reasons[1], `slice ${s}`).toBe(reasons[0]);
        expect(reasons[2], `slice ${s}`).toBe(reasons[0]);
        if (s % 5 === 4 || interp.m.status !== 'running') {
          const h = hashMachine(interp.m);
          expect(hashMachine(wasm.m), `slice ${s}`).toBe(h);
          expect(hashMachine(js.m), `slice ${s}`).toBe(h);
        }
        stops++;
      }
      expect(interp.m.status).toBe('poweroff');
      for (const w of [wasm, js]) {
        expect(w.m.status).toBe('poweroff');
        expect(w.m.icount).toBe(interp.m.icount);
        expect({ ...w.m.mmu.tlb.counters }).toEqual({ ...interp.m.mmu.tlb.counters });
        expect(Buffer.from(w.log).toString('latin1')).toBe(Buffer.from(interp.log).toString('latin1'));
      }
      // The translated runs did translate, and WebAssembly's dispatcher went from region to region.
      expect(wasm.m.jit!.retired / wasm.m.icount).toBeGreaterThan(0.9);
      expect(wasm.m.jit!.hops).toBeGreaterThan(10_000);
      expect(js.m.jit!.retired / js.m.icount).toBeGreaterThan(0.9);
      expect(interp.log.length).toBeGreaterThan(1000);
      expect(stops).toBeGreaterThan(10);
    }, 120_000);
  }
});
