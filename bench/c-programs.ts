// The C programs of bench/c, compiled by our compiler and run on the machine
// (JIT on, hosted mode), against the same files compiled by gcc -O0 and run
// natively, in one run. The native side is timed inside its process: the
// program's main is renamed and a wrapper calls it REPEAT times between two
// clock_gettime calls (stdout to /dev/null), so process start-up does not
// count and millisecond programs are measured precisely. Emulated times cover
// the run only (compile time is reported separately, as lines per second).
// The two sides must print the same output, or the ratio means nothing.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHosted, runHosted } from '../emulator/index';

export interface CProgramResult {
  rows: { name: string; value: number; unit: string; note?: string }[];
  ratios: Record<string, number>;
  problems: string[];
}

const DIR = join(__dirname, '..', 'bench', 'c');
const REPEAT = 40;
const WRAPPER = `
#include <stdio.h>
#include <time.h>
int bench_main(void);
int main(void) {
  struct timespec a, b;
  if (!freopen("/dev/null", "w", stdout)) return 1;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < ${REPEAT}; i++) bench_main();
  clock_gettime(CLOCK_MONOTONIC, &b);
  fprintf(stderr, "%ld\\n", ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec)) / ${REPEAT});
  return 0;
}
`;

function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Seconds per run of `path`'s main, measured inside a native process. */
function nativeSeconds(path: string, tmp: string, name: string): number {
  const obj = join(tmp, `${name}.o`);
  const exe = join(tmp, `${name}.timed`);
  execFileSync('gcc', ['-std=gnu11', '-O0', '-w', '-Dmain=bench_main', '-c', '-o', obj, path], { stdio: 'ignore' });
  execFileSync('gcc', ['-O0', '-o', exe, join(tmp, 'wrapper.c'), obj], { stdio: 'ignore' });
  const r = spawnSync(exe, { encoding: 'utf8' });
  const ns = Number(r.stderr.trim());
  if (r.status !== 0 || !Number.isFinite(ns)) throw new Error(`${name}: the timing wrapper failed (${r.stderr})`);
  return ns / 1e9;
}

export function benchCPrograms(): CProgramResult {
  const out: CProgramResult = { rows: [], ratios: {}, problems: [] };
  const files = readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();
  const host = { readFile: (p: string): string | undefined => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } };
  let gcc = true;
  const tmp = mkdtempSync(join(tmpdir(), 'weensy-cbench-'));
  try {
    writeFileSync(join(tmp, 'wrapper.c'), WRAPPER);
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    gcc = false;
    out.problems.push('gcc not found: no native baseline for the C programs');
  }
  const logRatios: number[] = [];
  let lines = 0;
  let compileSeconds = 0;
  for (const f of files) {
    const path = join(DIR, f);
    const text = readFileSync(path, 'utf8');
    let built: ReturnType<typeof buildHosted> | undefined;
    compileSeconds += seconds(() => (built = buildHosted([{ path, text }], { host })));
    lines += text.split('\n').length;
    if (!built!.image) {
      out.problems.push(`${f}: did not compile`);
      continue;
    }
    const image = built!.image;
    let result: ReturnType<typeof runHosted> | undefined;
    const emulated = seconds(() => (result = runHosted(image, { maxInstructions: 5e9 })));
    const stdout = Buffer.from(result!.stdout).toString('utf8');
    out.rows.push({ name: `${f}: emulated (JIT)`, value: emulated * 1000, unit: 'ms', note: `${result!.instructions.toLocaleString('en-US')} instructions` });
    if (!gcc) continue;
    const exe = join(tmp, f.replace(/\.c$/, ''));
    execFileSync('gcc', ['-std=gnu11', '-O0', '-w', '-o', exe, path], { stdio: 'ignore' });
    const nativeOut = execFileSync(exe, { encoding: 'utf8' });
    if (nativeOut !== stdout) out.problems.push(`${f}: native printed ${JSON.stringify(nativeOut)}, emulated ${JSON.stringify(stdout)}`);
    const native = nativeSeconds(path, tmp, f.replace(/\.c$/, ''));
    out.rows.push({ name: `${f}: gcc -O0 native`, value: native * 1000, unit: 'ms', note: `mean of ${REPEAT} runs inside one process` });
    const ratio = emulated / native;
    out.ratios[`${f}: emulator / native gcc -O0 (time)`] = ratio;
    logRatios.push(Math.log(ratio));
  }
  if (logRatios.length > 0) out.ratios['C programs: geometric mean, emulator / native gcc -O0'] = Math.exp(logRatios.reduce((a, b) => a + b, 0) / logRatios.length);
  out.rows.push({ name: 'compile throughput (programs + C library)', value: lines / compileSeconds, unit: 'program lines/s', note: `${files.length} programs, each compiled with the hosted library` });
  return out;
}
