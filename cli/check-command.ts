// `weensy check`: the NYU lab's automated grading, done here. Two builds and
// runs as the course's `make grade-*` does them (TICK_LIMIT=1000 and
// NO_SLOWDOWN=1; the allocator processes for steps 1-4, FORCE_FORK=1 for
// step 5), their logs graded (emulator/weensyos/grade.ts), and a verdict per
// step with reasons. Exit status: 0 when steps 1-5 all pass, 1 otherwise
// (compile errors included), 2 for usage errors.

import { writeFileSync, mkdirSync } from 'node:fs';
import {
  GRADE_RUN_DEFINES,
  gradeWeensyOS,
  WeensyRun,
  type GradeReport,
  type GradeRunInput,
  type GradeRunName,
  type WeensyRunSummary,
} from '../emulator/index';
import { summaryJson } from './run-command';
import type { CheckArgs } from './weensyos-args';
import { buildKernel, kernelSource } from './weensyos-build';

export interface CheckIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** stderr is a terminal: show a progress line while running. */
  readonly tty: boolean;
}

/** The grading kernels power off at tick 1000; a kernel that does not is stopped a little later. */
const CHECK_TICK_SAFETY = 1100;

const RUN_LABEL: Record<GradeRunName, string> = {
  allocator: 'allocator run (TICK_LIMIT=1000 NO_SLOWDOWN=1), for steps 1-4',
  fork: 'fork run (TICK_LIMIT=1000 NO_SLOWDOWN=1 FORCE_FORK=1), for step 5',
};

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** What the runner knows that the log may not say, as a reason that fails the run's steps. */
function runProblem(s: WeensyRunSummary, log: string): string | undefined {
  switch (s.stop) {
    case 'triple-fault':
      return `the CPU shut down (triple fault) at tick ${s.ticks}: ${s.diagnosis ?? ''}`.trim();
    case 'spinning':
    case 'halt':
    case 'budget':
    case 'fault':
      return s.message.charAt(0).toLowerCase() + s.message.slice(1);
    case 'tick-limit':
      return `the kernel did not power off at tick 1000 (it must call poweroff() when ticks == TICK_LIMIT); stopped at tick ${s.ticks}.`;
    default:
      // A panic the screen shows but the log does not.
      if (s.panic !== undefined && !log.includes('PANIC')) return `the kernel panicked at tick ${s.ticks}: ${s.panic}`;
      return undefined;
  }
}

/** The report as text: per-step verdicts, then each run's own problems. */
export function reportText(report: GradeReport): string[] {
  const lines: string[] = [];
  const width = Math.max(...report.steps.map((s) => `Step ${s.step}: ${s.title} (${s.test})`.length));
  for (const s of report.steps) {
    const head = `Step ${s.step}: ${s.title} (${s.test})`.padEnd(width);
    lines.push(`${head}  ${s.verdict === 'pass' ? 'PASS' : s.verdict === 'fail' ? 'FAIL' : 'NOT RUN'}`);
    for (const r of s.reasons) lines.push(`    - ${r}`);
    if (s.runProblems.length > 0) lines.push(`    - the ${s.run} run has problems (below).`);
  }
  for (const r of report.runs) {
    if (r.problems.length === 0) continue;
    const steps = report.steps.filter((s) => s.run === r.run).map((s) => s.step);
    lines.push('', `Problems with the ${r.run} run (they fail step${steps.length > 1 ? `s ${steps[0]}-${steps[steps.length - 1]}` : ` ${steps[0]}`}):`);
    for (const p of r.problems) lines.push(`    - ${p}`);
  }
  const passed = report.steps.filter((s) => s.verdict === 'pass').length;
  lines.push('', `${passed} of ${report.steps.length} steps pass.`);
  return lines;
}

export function runCheck(args: CheckArgs, io: CheckIo): number {
  const source = kernelSource(args.kernel);
  const inputs: Partial<Record<GradeRunName, GradeRunInput>> = {};
  const runs: Record<string, unknown> = {};
  for (const name of ['allocator', 'fork'] as const) {
    if (!args.json) io.out.write(`Building and running ${source.label}: the ${RUN_LABEL[name]}...\n`);
    const built = buildKernel(source, args, io.err, GRADE_RUN_DEFINES[name]);
    if (!built) return 1;
    const bytes: number[] = [];
    let lastDraw = -Infinity;
    const run = new WeensyRun(built.kernel, {
      tickLimit: CHECK_TICK_SAFETY,
      log: (b) => bytes.push(b),
      onSlice: (p) => {
        if (io.tty && p.elapsedMs - lastDraw >= 200) {
          lastDraw = p.elapsedMs;
          io.err.write(`\r\x1b[K  tick ${p.ticks} of 1000, ${n(p.instructions)} instructions`);
        }
      },
    });
    let s: WeensyRunSummary | undefined;
    while (!s) s = run.advance();
    if (io.tty) io.err.write('\r\x1b[K');
    const log = Buffer.from(bytes).toString('latin1');
    if (args.logs !== undefined) {
      mkdirSync(args.logs, { recursive: true });
      writeFileSync(`${args.logs}/log-${name}.txt`, Buffer.from(bytes));
    }
    const problem = runProblem(s, log);
    inputs[name] = { log, ...(problem !== undefined ? { runProblem: problem } : {}) };
    runs[name] = summaryJson(s, { buildMs: Math.round(built.buildMs), logBytes: bytes.length });
    if (!args.json) {
      io.out.write(`  ${s.message} ${n(s.instructions)} instructions in ${(s.wallMs / 1000).toFixed(1)} s.\n`);
    }
  }
  const report = gradeWeensyOS(inputs);
  if (args.json) {
    io.out.write(JSON.stringify({ kernel: source.label, passed: report.passed, steps: report.steps, runs: report.runs, execution: runs }, null, 2) + '\n');
  } else {
    io.out.write('\n' + reportText(report).join('\n') + '\n');
  }
  return report.passed ? 0 : 1;
}
