// The reference kernel under the course's grading set-up, through the same
// log the NYU grader reads: all of steps 1-5 pass; built as the handout's
// starting point (-DSTEP=0) every step fails, each for its own reason.
// (Long runs: each grading run is about 1.5 billion instructions.)

import { describe, expect, it } from 'vitest';
import {
  buildWeensyOS,
  formatDiagnostic,
  GRADE_RUN_DEFINES,
  gradeWeensyOS,
  runWeensyOS,
  type GradeReport,
  type GradeRunInput,
  type GradeRunName,
} from '../../emulator/index';

const LONG = { timeout: 900_000 };

function gradingRun(name: GradeRunName, extra: Record<string, string>): GradeRunInput & { stop: string } {
  const b = buildWeensyOS({ host: { readFile: () => undefined }, defines: new Map([...Object.entries(extra), ...GRADE_RUN_DEFINES[name]]) });
  expect(b.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  const bytes: number[] = [];
  const s = runWeensyOS(b.kernel!, { tickLimit: 1100, log: (x) => bytes.push(x) });
  return { log: Buffer.from(bytes).toString('latin1'), stop: s.stop };
}

function grade(extra: Record<string, string> = {}): { report: GradeReport; stops: string[] } {
  const allocator = gradingRun('allocator', extra);
  const fork = gradingRun('fork', extra);
  return { report: gradeWeensyOS({ allocator, fork }), stops: [allocator.stop, fork.stop] };
}

describe('grading the reference kernel', () => {
  it('passes steps 1-5', LONG, () => {
    const { report, stops } = grade();
    expect(stops).toEqual(['poweroff', 'poweroff']);
    expect(report.steps.map((s) => [s.step, s.verdict, ...s.reasons, ...s.runProblems])).toEqual([
      [1, 'pass'],
      [2, 'pass'],
      [3, 'pass'],
      [4, 'pass'],
      [5, 'pass'],
    ]);
    expect(report.runs.map((r) => r.lastTick)).toEqual([900, 900]);
  });

  it('fails steps 1-5 for the right reasons at the handout starting point (STEP=0)', LONG, () => {
    const { report, stops } = grade({ STEP: '0' });
    expect(stops).toEqual(['poweroff', 'poweroff']);
    const [s1, s2, s3, s4, s5] = report.steps;
    expect(report.steps.map((s) => s.verdict)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail']);
    // The allocator run itself is fine: it reaches tick 900 without a panic.
    expect(report.runs[0]!.problems).toEqual([]);
    expect(s1!.reasons[0]).toMatch(/^tick 0: process 1 maps virtual 0x4[0-9a-f]000 \(a kernel page\) with PTE_U: user code can read and overwrite it\.$/);
    expect(s2!.reasons[0]).toMatch(/^tick 0: process 1 maps virtual 0x1[4-9a-f][0-9a-f]000, process [234]'s page, with PTE_U\.$/);
    expect(s3!.reasons[0]).toBe('tick 500: no physical page between 0x11000 and 0xff000 belongs to a process.');
    expect(s4!.reasons[0]).toMatch(/^tick 800: no process has more than 64 user-accessible pages of its own at or above 0x100000 \(the most: process \d, with \d+\)\.$/);
    // Fork is not implemented: the first sys_fork panics.
    expect(s5!.runProblems).toEqual(['the kernel panicked before the first dump: PANIC: Unexpected exception 52! (system call 52 is sys_fork: fork is not implemented yet)']);
  });
});
