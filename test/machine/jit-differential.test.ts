// The block translator against the interpreter: the same random programs
// (jit-fuzz.ts; paging on at CPL 3 or 0, or paging off) on two machines, one
// translating blocks early (threshold 1 or 2) and one interpreting, run in
// random slices with random breakpoints, stop-on-fault predicates, snapshot
// round trips and debugger writes between slices. After every slice the stop
// reasons and hashMachine (RAM, registers, control registers, TLB with its
// counters, devices, instruction counts) must be equal. The demonstration
// kernel must also reach power-off in the same state both ways.

import { describe, expect, it } from 'vitest';
import { bootDemo } from '../../emulator/demo/boot-demo';
import type { CpuFault } from '../../emulator/machine/fault';
import type { Machine, RunOptions, StopReason } from '../../emulator/machine/machine';
import type { JitBackend } from '../../emulator/machine/jit/jit';
import { hashMachine, restoreMachine, saveMachine } from '../../emulator/machine/snapshot';
import { CODE_PA, CODE_VA, fuzzMachine, fuzzOptions, randomProgram, Rng } from './jit-fuzz';

/** A stop reason as comparable data. */
function describeStop(s: StopReason): unknown {
  switch (s.kind) {
    case 'fault':
      return { kind: s.kind, ...faultData(s.fault) };
    case 'shutdown':
      return { kind: s.kind, diagnosis: s.diagnosis };
    default:
      return s;
  }
}

function faultData(f: CpuFault | undefined): object | undefined {
  if (!f) return undefined;
  return { vector: f.vector, errorCode: f.errorCode, message: f.message, va: f.va, stage: f.stage, stale: f.fromStaleTlb };
}

/** Everything observable that the hash leaves out, too. */
function extras(m: Machine): unknown {
  return {
    lastFault: faultData(m.lastFault),
    stale: m.mmu.lastStaleUse && { va: m.mmu.lastStaleUse.va, pa: m.mmu.lastStaleUse.cachedPa },
    unbacked: [m.memory.unbackedReads, m.memory.unbackedWrites],
    status: m.status,
  };
}

interface SeedResult {
  slices: number;
  retired: number;
  translated: number;
  blockRuns: number;
  hops: number;
  stops: Set<string>;
}

function runSeed(seed: number, backend: JitBackend): SeedResult {
  const rng = new Rng(seed);
  const o = fuzzOptions(rng);
  const source = randomProgram(rng, o);
  const threshold = rng.pick([1, 1, 2]);
  const a = fuzzMachine(source, o, { jit: true, jitThreshold: threshold, jitBackend: backend }).m;
  // A guard against testing one back end twice.
  expect(a.jit!.ctx.wasm !== undefined).toBe(backend === 'wasm');
  const b = fuzzMachine(source, o, { jit: false }).m;
  const labels = [...fuzzMachine(source, o, { jit: false }).program.symbols.values()];
  expect(hashMachine(a)).toBe(hashMachine(b));
  const stops = new Set<string>();
  let slices = 0;
  for (let s = 0; s < 40; s++) {
    const n = rng.chance(0.2) ? rng.int(1, 12) : rng.int(50, 1500);
    // Breakpoints come and go (on both machines alike).
    if (rng.chance(0.15)) {
      const at = rng.pick(labels) + (rng.chance(0.3) ? rng.int(1, 8) : 0);
      for (const m of [a, b]) m.breakpoints.add(at);
    }
    if (rng.chance(0.1)) for (const m of [a, b]) m.breakpoints.clear();
    const vector = rng.pick([-1, -1, 14, 13, 0, 6]);
    const options: RunOptions = vector >= 0 ? { stopOnFault: (f) => f.vector === vector } : {};
    const ra = a.run(n, options);
    const rb = b.run(n, options);
    slices++;
    stops.add(ra.kind);
    expect(describeStop(ra), `seed ${seed} slice ${s}`).toEqual(describeStop(rb));
    // The parts most likely to differ first, for a readable failure; then everything.
    expect({ rip: a.cpu.rip, icount: a.icount, user: a.userIcount, tlb: { ...a.mmu.tlb.counters } }, `seed ${seed} slice ${s}`).toEqual({
      rip: b.cpu.rip, icount: b.icount, user: b.userIcount, tlb: { ...b.mmu.tlb.counters },
    });
    expect([...a.cpu.regs], `seed ${seed} slice ${s}: registers`).toEqual([...b.cpu.regs]);
    expect(hashMachine(a), `seed ${seed} slice ${s}: ${JSON.stringify(ra)}`).toBe(hashMachine(b));
    expect(extras(a), `seed ${seed} slice ${s}`).toEqual(extras(b));
    if (ra.kind === 'halt' || ra.kind === 'shutdown' || ra.kind === 'poweroff' || ra.kind === 'exit') break;
    // Derived caches dropped: a snapshot round trip (on both machines: with paging off the
    // interpreter's own TLB counts depend on what its decode cache holds, JIT or not)...
    if (rng.chance(0.05)) for (const m of [a, b]) restoreMachine(m, saveMachine(m));
    // ...and a debugger-style write of the same code bytes on both (drops the decoded page and its blocks).
    if (rng.chance(0.05)) {
      const at = rng.int(0, 0x400);
      for (const m of [a, b]) m.memory.writeBytes(CODE_PA + at, m.memory.readBytes(CODE_PA + at, 16));
    }
  }
  return { slices, retired: a.icount, translated: a.jit!.retired, blockRuns: a.jit!.blockRuns, hops: a.jit!.hops, stops };
}

// WEENSY_FUZZ_SEEDS=n runs more seeds (a longer local check).
const SEEDS = Number(process.env.WEENSY_FUZZ_SEEDS ?? 24);

// Both back ends (jit/wasm-codegen.ts and jit/codegen.ts) against the interpreter.
describe.each(['wasm', 'js'] as const)('JIT differential (%s regions): random programs, JIT on and off, compared after every slice', (backend) => {
  const totals = { retired: 0, translated: 0, blockRuns: 0, hops: 0, stops: new Set<string>() };
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}`, () => {
      const r = runSeed(seed * 7919, backend);
      totals.retired += r.retired;
      totals.translated += r.translated;
      totals.blockRuns += r.blockRuns;
      totals.hops += r.hops;
      for (const k of r.stops) totals.stops.add(k);
      expect(r.slices).toBeGreaterThan(0);
    }, 60_000);
  }
  it('exercised translated blocks and every kind of stop the programs can cause', () => {
    // A guard against a differential test that compares two interpreters.
    expect(totals.blockRuns).toBeGreaterThan(1000);
    expect(totals.retired).toBeGreaterThan(100_000);
    // Most instructions ran as translated code (the rest: system instructions, the timer's
    // and the budget's edges, code run once, the trap handler's first runs).
    expect(totals.translated / totals.retired).toBeGreaterThan(0.5);
    expect([...totals.stops].sort()).toEqual(expect.arrayContaining(['breakpoint', 'budget', 'fault']));
    // WebAssembly regions went on to others without the run loop (jit/wasm-dispatch.ts), and only they do.
    if (backend === 'wasm') expect(totals.hops).toBeGreaterThan(1000);
    else expect(totals.hops).toBe(0);
  });
});

describe('JIT differential: the demonstration kernel', () => {
  it('reaches power-off in the same state with the JIT on and off', () => {
    const on = bootDemo({ jit: true, jitThreshold: 1 });
    const off = bootDemo({ jit: false });
    const ra = on.run(1e8);
    const rb = off.run(1e8);
    expect(ra).toEqual({ kind: 'poweroff' });
    expect(rb).toEqual({ kind: 'poweroff' });
    expect(on.icount).toBe(off.icount);
    expect(hashMachine(on)).toBe(hashMachine(off));
    expect(on.jit!.blockRuns).toBeGreaterThan(100);
  }, 60_000);

  it('matches after every slice when run in random slices, with the default threshold', () => {
    const rng = new Rng(2024);
    const on = bootDemo({ jit: true, jitThreshold: 8 });
    const off = bootDemo({ jit: false });
    for (let s = 0; s < 10_000; s++) {
      const n = rng.int(1, 700);
      const ra = on.run(n);
      const rb = off.run(n);
      expect(ra).toEqual(rb);
      expect({ rip: on.cpu.rip, icount: on.icount, user: on.userIcount, tlb: { ...on.mmu.tlb.counters } }, `slice ${s}`).toEqual({
        rip: off.cpu.rip, icount: off.icount, user: off.userIcount, tlb: { ...off.mmu.tlb.counters },
      });
      expect([...on.cpu.regs], `slice ${s}`).toEqual([...off.cpu.regs]);
      // The whole state (2 MiB of RAM) every few slices, and at the end.
      if (s % 8 === 0 || ra.kind !== 'budget') expect(hashMachine(on), `slice ${s}`).toBe(hashMachine(off));
      if (ra.kind !== 'budget') break;
    }
    expect(on.status).toBe('poweroff');
  }, 60_000);
});

it('the fuzz programs start where the test thinks they do, with paging on and off', () => {
  const seen = new Set<boolean>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed * 7919);
    const o = fuzzOptions(rng);
    const w = fuzzMachine(randomProgram(rng, o), o, { jit: false });
    expect(w.program.origin).toBe(o.paging ? CODE_VA : CODE_PA);
    expect(w.m.cpu.rip).toBe(w.program.symbols.get('start'));
    seen.add(o.paging);
  }
  expect([...seen].sort()).toEqual([false, true]);
});
