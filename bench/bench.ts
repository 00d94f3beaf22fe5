// `npm run bench`: machine speed, measured as ratios in one run.
//
// - Instructions per second on assembled loops, with the fetch shortcut and
//   TLB hits (paging on), and on the demonstration kernel end to end; each
//   with the block translator (JIT) on and off. The JIT rows include its
//   warm-up: translating the code, and V8 optimizing the translation.
// - Translations per second through Mmu.translate with TLB hits and with
//   misses (a walk each time).
// - The same arithmetic loop compiled natively by gcc -O0, when gcc is
//   present, so the report can say how many times slower the emulator is.
//   (When the C compiler exists, this becomes the same C on both sides.)
// - Debugger latency through the real adapter process over stdio
//   (dap-bench.ts): launch to the first stop, `next`, the panel's snapshot.
// - Language-server latency over stdio on a 2,000-line kernel.c
//   (lsp-bench.ts): change to diagnostics, to the launch check, hover, completion.
//
// Prints a table; `--json` prints the figures as JSON. No figure here is a
// pass/fail threshold: benchmarks inform, tests decide.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, bootDemo, Machine } from '../emulator/index';
import { CR0_PE, CR0_PG, CR0_WP, PTE_P, PTE_U, PTE_W } from '../emulator/machine/constants';
import { PageTableBuilder } from '../emulator/demo/page-table-builder';
import { READ, USER_READ } from '../emulator/machine/mmu/access';
import { benchCPrograms } from './c-programs';
import { benchWeensyOS } from './weensyos-bench';
import { benchPanel } from './panel-bench';
import { benchDebugAdapter } from './dap-bench';
import { benchLanguageServer } from './lsp-bench';

interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

function time(fn: () => number): { seconds: number; count: number } {
  const t0 = process.hrtime.bigint();
  const count = fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, count };
}

const LOOP_ITERATIONS = 2_000_000;
const FIB_N = 25;

/** sum += (i * 3) ^ (i >> 2) for i < N, with the sum stored and reloaded each time as -O0 code does. */
const LOOP_SOURCE = `
.org 0x40000
start:  movi rax, 0
        movi rcx, 0
        movu rdx, ${LOOP_ITERATIONS}
        movu rsi, 0x70000
loop:   mov r8, rcx
        muli r8, 3
        mov r9, rcx
        sari r9, 2
        xor r8, r9
        add rax, r8
        st64 [rsi], rax
        ld64 rax, [rsi]
        addi rcx, 1
        blt rcx, rdx, loop
        hlt
`;
const LOOP_INSNS_PER_ITERATION = 10;

/** fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), with a frame per call as gcc -O0 builds it. */
const FIB_SOURCE = `
.org 0x40000
start:  movu rsp, 0x7f000
        movi rdi, ${FIB_N}
        call fib
        hlt
fib:    enter 16
        movi rax, 2
        blt rdi, rax, base
        st64 [rbp-8], rdi
        addi rdi, -1
        call fib
        st64 [rbp-16], rax
        ld64 rdi, [rbp-8]
        addi rdi, -2
        call fib
        ld64 rcx, [rbp-16]
        add rax, rcx
        leave
        ret
base:   mov rax, rdi
        leave
        ret
`;

/** The same two workloads in C, each timed inside the program so process start-up is not counted. */
const C_SOURCE = `
#include <stdio.h>
#include <time.h>
static long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000L + t.tv_nsec; }
volatile long slot;
long loop(long n) { long sum = 0; for (long i = 0; i < n; i++) { sum += (i * 3) ^ (i >> 2); slot = sum; sum = slot; } return sum; }
long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) {
  long t0 = now(); long s = loop(${LOOP_ITERATIONS}); long t1 = now(); long f = fib(${FIB_N}); long t2 = now();
  printf("%ld %ld %ld %ld\\n", s, t1 - t0, f, t2 - t1);
  return 0;
}
`;

/** Calls made by fib(n): 2 * fib(n+1) - 1. */
function fibCalls(n: number): number {
  let a = 0;
  let b = 1;
  for (let i = 0; i < n + 1; i++) [a, b] = [b, a + b];
  return 2 * a - 1;
}

function pagedMachine(jit = true): Machine {
  const m = new Machine({ jit });
  const b = new PageTableBuilder(m.memory, 0x100000);
  b.mapRange(0, 0, 0x100000, PTE_P | PTE_W | PTE_U);
  m.cpu.cr3 = b.root;
  m.cpu.cr0 = (CR0_PE | CR0_PG | CR0_WP) >>> 0;
  m.invalidateCaches();
  return m;
}

interface Emulated {
  rows: Row[];
  result: bigint;
  perSecond: number;
}

type Mode = 'interpreter' | 'JIT' | 'JIT, warm';

/**
 * Runs `source` to its hlt on a fresh machine. 'JIT, warm' runs it once
 * untimed first, on the same machine, so that the timed run has its blocks
 * translated and V8 has optimized them: the steady state of a long program.
 */
function runAssembled(name: string, source: string, work: (icount: number) => number, unit: string, mode: Mode): Emulated {
  const m = pagedMachine(mode !== 'interpreter');
  const prog = assemble(source);
  m.memory.writeBytes(prog.origin, prog.bytes);
  const start = (): void => {
    m.cpu.regs.fill(0);
    m.cpu.rip = prog.symbols.get('start')!;
    m.status = 'running';
  };
  if (mode === 'JIT, warm') {
    start();
    m.run(1e9);
  }
  start();
  const before = m.icount;
  const r = time(() => {
    m.run(1e9);
    return m.icount - before;
  });
  const result = BigInt(m.cpu.regs[0]! >>> 0) | (BigInt(m.cpu.regs[1]!) << 32n);
  const perSecond = work(r.count) / r.seconds;
  return {
    rows: [
      { name: `${name}: emulated, ${mode}`, value: r.count / r.seconds, unit: 'instr/s', note: `${r.count.toLocaleString('en-US')} instructions` },
      { name: `${name}: emulated, ${mode}`, value: perSecond, unit },
    ],
    result,
    perSecond,
  };
}

/** The demo kernel, booted and run to power-off repeatedly (a trap and two CR3 loads every ~400 instructions). */
function benchDemo(jit: boolean): Row[] {
  const BOOTS = 30;
  let flushes = 0;
  const r = time(() => {
    let n = 0;
    for (let i = 0; i < BOOTS; i++) {
      const m = bootDemo({ jit });
      m.run(1e9);
      n += m.icount;
      flushes += m.mmu.tlb.counters.flushes;
    }
    return n;
  });
  const mode = jit ? 'JIT' : 'interpreter';
  return [{ name: `demo kernel end to end, ${mode}`, value: r.count / r.seconds, unit: 'instr/s', note: `${BOOTS} boots, ${r.count.toLocaleString('en-US')} instructions, ${flushes} CR3 loads, boot included` }];
}

function benchTranslate(): Row[] {
  const m = pagedMachine();
  const N = 2_000_000;
  const hits = time(() => {
    for (let i = 0; i < N; i++) m.mmu.translate(0x5000 + (i & 0xff8), 0, READ);
    return N;
  });
  const misses = time(() => {
    for (let i = 0; i < N; i++) {
      m.mmu.flush();
      m.mmu.translate(0x5000 + ((i & 63) << 12), 0, USER_READ);
    }
    return N;
  });
  return [
    { name: 'translate, TLB hit', value: hits.count / hits.seconds, unit: 'translations/s' },
    { name: 'translate, TLB miss (full walk)', value: misses.count / misses.seconds, unit: 'translations/s' },
  ];
}

interface Native {
  loopSum: bigint;
  loopSeconds: number;
  fib: bigint;
  fibSeconds: number;
}

function benchNative(): Native | undefined {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'weensy-bench-'));
    writeFileSync(join(dir, 'bench.c'), C_SOURCE);
    execFileSync('gcc', ['-O0', '-o', join(dir, 'bench'), join(dir, 'bench.c')], { stdio: 'ignore' });
    const [sum, loopNs, fib, fibNs] = execFileSync(join(dir, 'bench'), { encoding: 'utf8' }).trim().split(/\s+/);
    return { loopSum: BigInt(sum!), loopSeconds: Number(loopNs) / 1e9, fib: BigInt(fib!), fibSeconds: Number(fibNs) / 1e9 };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  // Interpreter first, then the JIT, each workload on a fresh machine.
  const loopName = 'ALU loop';
  const fibName = `fib(${FIB_N})`;
  const loopWork = (n: number): number => n / LOOP_INSNS_PER_ITERATION;
  const fibWork = (): number => fibCalls(FIB_N);
  const loopOff = runAssembled(loopName, LOOP_SOURCE, loopWork, 'iterations/s', 'interpreter');
  const loop = runAssembled(loopName, LOOP_SOURCE, loopWork, 'iterations/s', 'JIT');
  const loopWarm = runAssembled(loopName, LOOP_SOURCE, loopWork, 'iterations/s', 'JIT, warm');
  const fibOff = runAssembled(fibName, FIB_SOURCE, fibWork, 'calls/s', 'interpreter');
  const fib = runAssembled(fibName, FIB_SOURCE, fibWork, 'calls/s', 'JIT');
  const fibWarm = runAssembled(fibName, FIB_SOURCE, fibWork, 'calls/s', 'JIT, warm');
  const rows = [...loopOff.rows, ...loop.rows, ...loopWarm.rows, ...fibOff.rows, ...fib.rows, ...fibWarm.rows, ...benchDemo(false), ...benchDemo(true), ...benchTranslate()];
  const native = benchNative();
  const ratios: Record<string, number> = {};
  const problems: string[] = [];
  ratios['ALU loop: JIT / interpreter'] = loop.perSecond / loopOff.perSecond;
  ratios['ALU loop: JIT, warm / interpreter'] = loopWarm.perSecond / loopOff.perSecond;
  ratios[`${fibName}: JIT / interpreter`] = fib.perSecond / fibOff.perSecond;
  ratios[`${fibName}: JIT, warm / interpreter`] = fibWarm.perSecond / fibOff.perSecond;
  if (native) {
    rows.push({ name: 'ALU loop: gcc -O0 native', value: LOOP_ITERATIONS / native.loopSeconds, unit: 'iterations/s' });
    rows.push({ name: `fib(${FIB_N}): gcc -O0 native`, value: fibCalls(FIB_N) / native.fibSeconds, unit: 'calls/s' });
    const loopNative = LOOP_ITERATIONS / native.loopSeconds;
    const fibNative = fibCalls(FIB_N) / native.fibSeconds;
    ratios['ALU loop: native gcc -O0 / emulator, interpreter'] = loopNative / loopOff.perSecond;
    ratios['ALU loop: native gcc -O0 / emulator, JIT'] = loopNative / loop.perSecond;
    ratios['ALU loop: native gcc -O0 / emulator, JIT, warm'] = loopNative / loopWarm.perSecond;
    ratios[`${fibName}: native gcc -O0 / emulator, interpreter`] = fibNative / fibOff.perSecond;
    ratios[`${fibName}: native gcc -O0 / emulator, JIT`] = fibNative / fib.perSecond;
    ratios[`${fibName}: native gcc -O0 / emulator, JIT, warm`] = fibNative / fibWarm.perSecond;
    // The two sides must agree, or the comparison means nothing.
    if (native.loopSum !== loop.result) problems.push(`ALU loop: native ${native.loopSum}, emulated ${loop.result}`);
    if (native.fib !== fib.result) problems.push(`fib: native ${native.fib}, emulated ${fib.result}`);
  } else {
    problems.push('gcc not found: no native baseline');
  }
  for (const [what, a, b] of [['ALU loop', loopOff, loop], ['ALU loop, warm', loopOff, loopWarm], ['fib', fibOff, fib], ['fib, warm', fibOff, fibWarm]] as const) {
    if (a.result !== b.result) problems.push(`${what}: interpreter ${a.result}, JIT ${b.result}`);
  }
  const c = benchCPrograms();
  rows.push(...c.rows);
  Object.assign(ratios, c.ratios);
  problems.push(...c.problems.filter((p) => !(p.startsWith('gcc not found') && problems.some((q) => q.startsWith('gcc not found')))));
  const w = benchWeensyOS();
  rows.push(...w.rows);
  Object.assign(ratios, w.ratios);
  problems.push(...w.problems);
  const dap = await benchDebugAdapter();
  rows.push(...dap.rows);
  Object.assign(ratios, dap.ratios);
  problems.push(...dap.problems);
  const panel = await benchPanel();
  rows.push(...panel.rows);
  problems.push(...panel.problems);
  const lsp = await benchLanguageServer();
  rows.push(...lsp.rows);
  problems.push(...lsp.problems);
  const hit = rows.find((r) => r.name === 'translate, TLB hit')!;
  const miss = rows.find((r) => r.name.startsWith('translate, TLB miss'))!;
  ratios['TLB hit / TLB miss translation speed'] = hit.value / miss.value;
  if (json) {
    process.stdout.write(JSON.stringify({ rows, ratios, problems }, null, 2) + '\n');
  } else {
    const fmt = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(1)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(2));
    process.stdout.write('benchmark                                            value\n');
    for (const r of rows) process.stdout.write(`${r.name.padEnd(49)} ${fmt(r.value).padStart(9)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`);
    process.stdout.write('\nratios (how many times faster the first is)\n');
    for (const [k, v] of Object.entries(ratios)) process.stdout.write(`${k.padEnd(53)} ${v.toFixed(1)}x\n`);
    for (const p of problems) process.stdout.write(`\nwarning: ${p}\n`);
  }
  if (problems.some((p) => !p.startsWith('gcc not found'))) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
