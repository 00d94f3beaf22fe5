// The NYU grader's checks on synthetic logs: a correct kernel's states pass
// every step; each kind of mistake fails the step it belongs to, with a
// reason naming the tick, process, address and owner.

import { describe, expect, it } from 'vitest';
import { gradeWeensyOS, type GradeReport, type StepVerdict } from '../../emulator/index';
import { goodRun, KERNEL, P, stateLog, U, W, type MemState } from './log-dumps';

const goodLog = stateLog(goodRun());

function step(r: GradeReport, n: number): StepVerdict {
  return r.steps.find((s) => s.step === n)!;
}

function verdicts(r: GradeReport): string[] {
  return r.steps.map((s) => `${s.step} ${s.verdict}`);
}

/** Grades an allocator run made of correct states changed by `change` (the fork run correct). */
function gradeAllocator(change: (s: MemState) => void): GradeReport {
  return gradeWeensyOS({ allocator: { log: stateLog(goodRun(change)) }, fork: { log: goodLog } });
}

describe('gradeWeensyOS', () => {
  it('passes every step on a correct kernel', () => {
    const r = gradeWeensyOS({ allocator: { log: goodLog }, fork: { log: goodLog } });
    expect(verdicts(r)).toEqual(['1 pass', '2 pass', '3 pass', '4 pass', '5 pass']);
    expect(r.passed).toBe(true);
    expect(r.steps.every((s) => s.reasons.length === 0 && s.runProblems.length === 0)).toBe(true);
    expect(r.runs.map((x) => [x.run, x.lastTick, x.dumps, x.problems])).toEqual([
      ['allocator', 900, 50, []],
      ['fork', 900, 50, []],
    ]);
  });

  it('says which runs are missing', () => {
    const r = gradeWeensyOS({ allocator: { log: goodLog } });
    expect(verdicts(r)).toEqual(['1 pass', '2 pass', '3 pass', '4 pass', '5 missing']);
    expect(r.passed).toBe(false);
    expect(step(r, 5).reasons).toEqual(['the fork run was not given.']);
  });

  it('step 1 (KernelIsolated): a kernel page with PTE_U fails, quoting tick, process and address', () => {
    const r = gradeAllocator((s) => {
      if (s.ticks === 100) s.virtual.get(2)![0x41] = { owner: KERNEL, refcount: 1, perm: P | W | U };
    });
    expect(verdicts(r)).toEqual(['1 fail', '2 pass', '3 pass', '4 pass', '5 pass']);
    expect(step(r, 1).reasons[0]).toBe('tick 100: process 2 maps virtual 0x41000 (a kernel page) with PTE_U: user code can read and overwrite it.');
    expect(step(r, 1).reasons).toHaveLength(2);
    expect(step(r, 1).reasons[1]).toMatch(/^Below 0x100000 only the console page 0xb8000 may be user-accessible/);
  });

  it('step 1: counts the rest of the violations, by process and tick, and prefers a kernel page as the example', () => {
    const r = gradeAllocator((s) => {
      for (const v of s.virtual.values()) for (let pn = 0; pn < 0x100; pn++) if (v[pn]!.perm) v[pn] = { ...v[pn]!, perm: P | W | U };
    });
    const reasons = step(r, 1).reasons;
    expect(reasons[0]).toBe('tick 0: process 1 maps virtual 0x40000 (a kernel page) with PTE_U: user code can read and overwrite it.');
    expect(reasons[1]).toBe('tick 0: process 2 maps virtual 0x40000 (a kernel page) with PTE_U: user code can read and overwrite it.');
    expect(reasons[2]).toMatch(/^\.\.\. and \d+ more user-accessible pages below 0x100000, in processes 1, 2, 3, 4, at 10 ticks from 0 to 900\.$/);
  });

  it('the console page with PTE_U is allowed below 0x100000, a read-only kernel page with PTE_U is not', () => {
    expect(step(gradeAllocator(() => {}), 1).verdict).toBe('pass');
    const r = gradeAllocator((s) => {
      if (s.ticks === 300) s.virtual.get(4)![0x50] = { owner: KERNEL, refcount: 1, perm: P | U };
    });
    expect(step(r, 1).reasons[0]).toBe('tick 300: process 4 maps virtual 0x50000 (a kernel page) with PTE_U: user code can read it.');
  });

  it("step 2 (ProcessesIsolated): mapping another process's page with PTE_U fails; without PTE_U it passes", () => {
    const r = gradeAllocator((s) => {
      if (s.ticks >= 200) s.virtual.get(3)![0x140] = { owner: 2, refcount: 1, perm: P | W | U };
    });
    expect(verdicts(r)).toEqual(['1 pass', '2 fail', '3 pass', '4 pass', '5 pass']);
    expect(step(r, 2).reasons).toEqual([
      "tick 200: process 3 maps virtual 0x140000, process 2's page, with PTE_U.",
      "... and 7 more user-accessible mappings of other processes' pages, in process 3, at 7 ticks from 300 to 900.",
      expect.stringMatching(/^Each process needs a page table of its own/),
    ]);
    const kernelOnly = gradeAllocator((s) => {
      s.virtual.get(3)![0x140] = { owner: 2, refcount: 1, perm: P | W };
    });
    expect(step(kernelOnly, 2).verdict).toBe('pass');
  });

  it('step 3 (VPA): from tick 500, some physical page in 17..255 must belong to a process', () => {
    // Identity allocation: the heap pages live at their own addresses (>= 0x100000), pages 17-255 hold no process page.
    const identity = (s: MemState): void => {
      for (let pn = 17; pn < 256; pn++) if (s.physical[pn]!.owner >= 1 && s.physical[pn]!.owner <= 4) s.physical[pn] = { owner: 0, refcount: 0 };
    };
    const r = gradeAllocator(identity);
    expect(verdicts(r)).toEqual(['1 pass', '2 pass', '3 fail', '4 pass', '5 pass']);
    expect(step(r, 3).reasons).toEqual([
      'tick 500: no physical page between 0x11000 and 0xff000 belongs to a process.',
      '... and 4 more dumps like this, at 4 ticks from 600 to 900.',
      expect.stringMatching(/^sys_page_alloc must take any free physical page/),
    ]);
    // Before tick 500 it does not matter.
    const early = gradeAllocator((s) => {
      if (s.ticks < 500) identity(s);
    });
    expect(step(early, 3).verdict).toBe('pass');
    // Pages 1-16 (the page tables) do not count.
    const tablesOnly = gradeAllocator((s) => {
      identity(s);
      s.physical[16] = { owner: 4, refcount: 1 };
    });
    expect(step(tablesOnly, 3).verdict).toBe('fail');
  });

  it('step 4 (Overlapping): from tick 800 some process needs more than 64 user pages of its own at or above 0x100000', () => {
    const capped = (limit: number) => (s: MemState): void => {
      const v = s.virtual.get(1)!;
      let own = 0;
      for (let pn = 0x100; pn < 768; pn++) {
        if (v[pn]!.owner === 1 && v[pn]!.perm & U && ++own > limit) v[pn] = { owner: 0, refcount: 0, perm: 0 };
      }
    };
    const r = gradeAllocator(capped(64));
    expect(verdicts(r)).toEqual(['1 pass', '2 pass', '3 pass', '4 fail', '5 pass']);
    expect(step(r, 4).reasons).toEqual([
      'tick 800: no process has more than 64 user-accessible pages of its own at or above 0x100000 (the most: process 1, with 64).',
      '... and 1 more tick like this, at tick 900.',
      expect.stringMatching(/^Each process's stack must move to virtual 0x2ff000/),
    ]);
    expect(step(gradeAllocator(capped(65)), 4).verdict).toBe('pass');
  });

  it('step 5 (Fork): a writable page at 0x100000 owned by another process fails; a read-only shared one passes', () => {
    const shared = (perm: number) => (s: MemState): void => {
      if (s.ticks >= 800) s.virtual.get(2)![0x100] = { owner: 1, refcount: 2, perm };
    };
    const bad = gradeWeensyOS({ allocator: { log: goodLog }, fork: { log: stateLog(goodRun(shared(P | W | U))) } });
    expect(verdicts(bad)).toEqual(['1 pass', '2 pass', '3 pass', '4 pass', '5 fail']);
    expect(step(bad, 5).reasons).toEqual([
      "tick 800: process 2's virtual page 0x100000 is writable but is process 1's page (refcount 2).",
      '... and 1 more writable page shared at 0x100000, in process 2, at tick 900.',
      expect.stringMatching(/^fork must give the child its own copy of every writable page/),
    ]);
    const readOnly = gradeWeensyOS({ allocator: { log: goodLog }, fork: { log: stateLog(goodRun(shared(P | U))) } });
    expect(step(readOnly, 5).verdict).toBe('pass');
  });

  it('every run must reach tick 900', () => {
    const short = stateLog(goodRun().filter((s) => s.ticks <= 700));
    const r = gradeWeensyOS({ allocator: { log: short }, fork: { log: goodLog } });
    expect(verdicts(r)).toEqual(['1 fail', '2 fail', '3 fail', '4 fail', '5 pass']);
    expect(r.runs[0]!.problems).toEqual(['the run stopped at tick 700: it must reach tick 900 (the last dump read is at tick 700).']);
    expect(step(r, 1).runProblems).toEqual(r.runs[0]!.problems);
    expect(step(r, 1).reasons).toEqual([]);
    // Step 4 has nothing to look at after tick 800: the run's problem says why, no second reason.
    expect(step(r, 4).reasons).toEqual([]);
  });

  it('reports a panic, with the tick of the dump before it, and a hint for the unimplemented fork', () => {
    const log = stateLog(goodRun().filter((s) => s.ticks <= 300)) + 'PANIC: Unexpected exception 52!\n';
    const r = gradeWeensyOS({ allocator: { log: goodLog }, fork: { log } });
    expect(verdicts(r)).toEqual(['1 pass', '2 pass', '3 pass', '4 pass', '5 fail']);
    expect(step(r, 5).runProblems).toEqual(['the kernel panicked after tick 300: PANIC: Unexpected exception 52! (system call 52 is sys_fork: fork is not implemented yet)']);
    expect(r.runs[1]!.panic).toMatchObject({ text: 'PANIC: Unexpected exception 52!', afterTicks: 300 });
    const early = gradeWeensyOS({ fork: { log: 'PANIC: kernel.c:42: assertion \'r >= 0\' failed\n' } });
    expect(step(early, 5).runProblems).toEqual(["the kernel panicked before the first dump: PANIC: kernel.c:42: assertion 'r >= 0' failed"]);
  });

  it('a log without dumps says what the kernel must do', () => {
    const r = gradeWeensyOS({ allocator: { log: 'hello\n' } });
    expect(r.runs[0]!.problems).toEqual([expect.stringMatching(/^the log has no memory dumps \(PM_DUMP\/VM_DUMP\): the kernel must call memdump_physical/)]);
  });

  it('the per-tick invariants: the console with PTE_U, and own pages at or above 0x100000 with PTE_U', () => {
    const r = gradeAllocator((s) => {
      if (s.ticks === 600) {
        s.virtual.get(3)![0xb8] = { owner: 255, refcount: 1, perm: P | W };
        s.virtual.get(4)![0x2ff] = { owner: 4, refcount: 1, perm: P | W };
      }
    });
    expect(verdicts(r)).toEqual(['1 fail', '2 fail', '3 fail', '4 fail', '5 pass']);
    expect(r.runs[0]!.problems).toEqual([
      'tick 600: process 3 maps the console page 0xb8000 without PTE_U (permissions 3).',
      'Every process must map the console page 0xb8000 with PTE_U, so that it can print.',
      'tick 600: process 4 maps its own page at virtual 0x2ff000 without PTE_U (permissions 3).',
      "A process's own pages at or above 0x100000 must be mapped with PTE_U, so that it can use them.",
    ]);
    const unmapped = gradeAllocator((s) => {
      if (s.ticks === 0) s.virtual.get(1)![0xb8] = { owner: 0, refcount: 0, perm: 0 };
    });
    expect(unmapped.runs[0]!.problems[0]).toBe('tick 0: process 1 does not map the console page 0xb8000.');
  });

  it('a truncated dump is a problem of the run; a runner problem fails the run too', () => {
    const log = goodLog.slice(0, goodLog.lastIndexOf('VM_DUMP') + 400);
    const r = gradeWeensyOS({ allocator: { log }, fork: { log: goodLog, runProblem: 'the CPU shut down (triple fault) at tick 3' } });
    expect(r.runs[0]!.problems).toEqual([expect.stringMatching(/^log line \d+: VM_DUMP of process 4 at tick 900 \(line \d+\) is truncated: it has \d+ of 768 virtual pages/)]);
    expect(step(r, 5).runProblems).toEqual(['the CPU shut down (triple fault) at tick 3']);
    expect(verdicts(r)).toEqual(['1 fail', '2 fail', '3 fail', '4 fail', '5 fail']);
  });
});
