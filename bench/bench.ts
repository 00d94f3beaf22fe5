// `npm run bench`: machine speed, measured as ratios in one run.
//
// - Instructions per second on assembled loops, with the fetch shortcut and
//   TLB hits (paging on), and on the demonstration kernel end to end.
// - Translations per second through Mmu.translate with TLB hits and with
//   misses (a walk each time).
// - The same arithmetic loop compiled natively by gcc -O0, when gcc is
//   present, so the report can say how many times slower the emulator is.
//   (When the C compiler exists, this becomes the same C on both sides.)
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

/** sum += i * 3 ^ (i >> 2), i from 0 to N: ALU-bound, with a store and a load each time (like -O0 code). */
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

const C_LOOP = `
#include <stdio.h>
int main(void) {
  volatile long slot; long sum = 0;
  for (long i = 0; i < ${LOOP_ITERATIONS}; i++) { sum += (i * 3) ^ (i >> 2); slot = sum; sum = slot; }
  printf("%ld\\n", sum);
  return 0;
}
`;

function pagedMachine(): Machine {
  const m = new Machine();
  const b = new PageTableBuilder(m.memory, 0x100000);
  b.mapRange(0, 0, 0x100000, PTE_P | PTE_W | PTE_U);
  m.cpu.cr3 = b.root;
  m.cpu.cr0 = (CR0_PE | CR0_PG | CR0_WP) >>> 0;
  m.invalidateCaches();
  return m;
}

function benchLoop(): Row[] {
  const m = pagedMachine();
  const prog = assemble(LOOP_SOURCE);
  m.memory.writeBytes(prog.origin, prog.bytes);
  m.cpu.rip = prog.symbols.get('start')!;
  const r = time(() => {
    m.run(1e9);
    return m.icount;
  });
  return [{ name: 'ALU loop (paging on)', value: r.count / r.seconds, unit: 'instr/s', note: `${r.count.toLocaleString('en-US')} instructions` }];
}

function benchDemo(): Row[] {
  const m = bootDemo();
  const r = time(() => {
    m.run(1e9);
    return m.icount;
  });
  return [{ name: 'demo kernel end to end', value: r.count / r.seconds, unit: 'instr/s', note: `${r.count.toLocaleString('en-US')} instructions, ${m.mmu.tlb.counters.flushes} CR3 loads` }];
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

function benchNative(): Row[] {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'weensy-bench-'));
    writeFileSync(join(dir, 'loop.c'), C_LOOP);
    execFileSync('gcc', ['-O0', '-o', join(dir, 'loop'), join(dir, 'loop.c')], { stdio: 'ignore' });
    const r = time(() => {
      execFileSync(join(dir, 'loop'), { stdio: 'ignore' });
      return LOOP_ITERATIONS;
    });
    return [{ name: 'same loop, gcc -O0 native', value: r.count / r.seconds, unit: 'iterations/s', note: 'includes process start-up' }];
  } catch {
    return [];
  }
}

function main(): void {
  const json = process.argv.includes('--json');
  const rows = [...benchLoop(), ...benchDemo(), ...benchTranslate(), ...benchNative()];
  const loop = rows.find((r) => r.name.startsWith('ALU loop'))!;
  const native = rows.find((r) => r.name.startsWith('same loop'));
  const ratios: Record<string, number> = {};
  if (native) {
    // Ten emulated instructions make one iteration of the loop.
    ratios['native gcc -O0 / emulator (loop iterations per second)'] = native.value / (loop.value / 10);
  }
  const hit = rows.find((r) => r.name === 'translate, TLB hit')!;
  const miss = rows.find((r) => r.name.startsWith('translate, TLB miss'))!;
  ratios['TLB hit / TLB miss translation speed'] = hit.value / miss.value;
  if (json) {
    process.stdout.write(JSON.stringify({ rows, ratios }, null, 2) + '\n');
    return;
  }
  const fmt = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(1)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(2));
  process.stdout.write('benchmark                                   value\n');
  for (const r of rows) process.stdout.write(`${r.name.padEnd(40)} ${fmt(r.value).padStart(9)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`);
  process.stdout.write('\nratios\n');
  for (const [k, v] of Object.entries(ratios)) process.stdout.write(`${k.padEnd(56)} ${v.toFixed(1)}x\n`);
}

main();
