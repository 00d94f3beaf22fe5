// The NYU CS202 Lab 4 grader's checks (parse_log.py, FACTS.md section 6),
// applied to the grading logs, with verdicts per lab step and reasons a
// student can act on: which tick, which process, which virtual address,
// whose page.
//
// The course grades two runs, both built with TICK_LIMIT=1000 and
// NO_SLOWDOWN=1: the allocator processes for steps 1-4, and FORCE_FORK=1
// (p-fork) for step 5. Every run must reach tick 900, and at every dump
// every process must map the console page 0xB8000 with PTE_U and map its own
// pages at or above 0x100000 with PTE_U. The step tests:
//   1 KernelIsolated     no virtual page below 0x100000 but 0xB8000 has PTE_U;
//   2 ProcessesIsolated  no process maps another process's page with PTE_U;
//   3 VPA                from tick 500, some physical page in 17..255 belongs
//                        to a process (pages 1-16 hold the 4x4 page tables);
//   4 Overlapping        from tick 800, some process has more than 64 pages of
//                        its own, mapped with PTE_U, at or above 0x100000;
//   5 Fork               from tick 800, every process's virtual page 0x100000
//                        is its own or not writable.
//
// Where the handout's grader says only "must reach tick 900 unless it
// panicked", we fail every step graded on a run that panicked, and say why:
// the reference solution never panics under the grading set-up, and the
// tests that start at tick 500 or 800 have nothing to look at otherwise.

import { parseWeensyLog, type MemoryDump, type ParsedLog, type PanicLine, type PhysicalDump, type VirtualDump } from './weensy-log';

const PTE_W = 2;
const PTE_U = 4;
/** The CGA console page (0xB8000). */
const CONSOLE_PAGE = 0xb8;
/** PROC_START_ADDR / PAGESIZE. */
const PROC_START_PAGE = 0x100;
const OWNER_KERNEL = 254;
const OWNER_RESERVED = 255;
const OWNER_FREE = 0;
/** The tick every grading run must reach, and where the VPA and the later tests start. */
export const GRADE_LAST_TICK = 900;
const VPA_FROM_TICK = 500;
const LATE_FROM_TICK = 800;
/** Physical pages the VPA test looks at (1-16 are the page tables of processes 1-4). */
const VPA_FIRST_PAGE = 17;
const VPA_LAST_PAGE = 255;
/** More than this many own user pages means the address spaces overlap (64 pages = one 0x40000 slot). */
const OVERLAP_MIN_PAGES = 64;
/** Examples quoted per failed check. */
const EXAMPLES = 3;

/** The two grading runs, as their builds define them. */
export type GradeRunName = 'allocator' | 'fork';

/** The -D definitions of each grading run (FACTS.md section 6). */
export const GRADE_RUN_DEFINES: Readonly<Record<GradeRunName, ReadonlyMap<string, string>>> = {
  allocator: new Map([
    ['TICK_LIMIT', '1000'],
    ['NO_SLOWDOWN', '1'],
  ]),
  fork: new Map([
    ['TICK_LIMIT', '1000'],
    ['NO_SLOWDOWN', '1'],
    ['FORCE_FORK', '1'],
  ]),
};

export interface GradeRunInput {
  /** The run's log, as the kernel wrote it to the log port. */
  readonly log: string;
  /**
   * Why the run itself went wrong, when the runner knows more than the log
   * says (a triple fault, a kernel spinning with nothing runnable, the
   * instruction budget running out). Fails every step graded on this run.
   */
  readonly runProblem?: string;
}

export interface StepVerdict {
  readonly step: 1 | 2 | 3 | 4 | 5;
  /** The lab's name for the step, e.g. "Kernel isolation". */
  readonly title: string;
  /** The grader's name for the test, e.g. "KernelIsolated". */
  readonly test: string;
  readonly run: GradeRunName;
  /** 'missing' when the run it is graded on was not given. */
  readonly verdict: 'pass' | 'fail' | 'missing';
  /** Why the step's own test failed, one sentence each. */
  readonly reasons: readonly string[];
  /**
   * The problems of the run it is graded on (a panic, a run that stopped too
   * early, a broken per-tick invariant), which fail it too; the same as that
   * run's `RunFindings.problems`.
   */
  readonly runProblems: readonly string[];
}

export interface RunFindings {
  readonly run: GradeRunName;
  /** The highest tick of any dump (undefined: no dumps). */
  readonly lastTick?: number;
  readonly dumps: number;
  readonly panic?: PanicLine;
  /** Problems with the whole run: panic, too short, truncated dumps, broken invariants. */
  readonly problems: readonly string[];
}

export interface GradeReport {
  readonly steps: readonly StepVerdict[];
  readonly runs: readonly RunFindings[];
  /** Every step given a run passed, and no run was missing. */
  readonly passed: boolean;
}

const hexa = (n: number): string => `0x${n.toString(16)}`;
const pageVa = (pn: number): string => hexa(pn * 4096);

/** Whose page this is, in words: "a kernel page", "process 3's page". */
export function describeOwner(owner: number, refcount?: number): string {
  if (owner === OWNER_KERNEL) return 'a kernel page';
  if (owner === OWNER_RESERVED) return 'a reserved page';
  if (owner === OWNER_FREE) return refcount ? `a page with owner 0 and refcount ${refcount}` : 'a free page';
  return `process ${owner}'s page`;
}

const isPid = (owner: number): boolean => owner !== OWNER_FREE && owner !== OWNER_KERNEL && owner !== OWNER_RESERVED;

/** A check's outcome: the violations found (empty: it passed) and what the step asks for. */
interface CheckResult {
  readonly reasons: string[];
  /** True when the reasons only say there was nothing to check (the log is too short). */
  readonly noData?: boolean;
}

/**
 * Collects the violations of one check: a few examples in full (one per
 * `key`, so that they differ in something that matters), then a line saying
 * how many more there are, in which processes, at which ticks.
 */
class Violations {
  private readonly examples: string[] = [];
  private readonly seen = new Set<string>();
  /** Violations counted but not quoted, and where they were. */
  private count = 0;
  private readonly ticks = new Set<number>();
  private readonly pids = new Set<number>();
  /** `what` and `whats`: one violation and several, in words. */
  constructor(
    private readonly what: string,
    private readonly whats: string,
    private readonly maxExamples = EXAMPLES,
  ) {}

  /** Counts a violation without quoting it. */
  tally(ticks: number, pid: number | undefined): void {
    this.count++;
    this.ticks.add(ticks);
    if (pid !== undefined) this.pids.add(pid);
  }

  /** Quotes a violation if it is among the first (and its `key` is new); counts it otherwise. */
  add(ticks: number, pid: number | undefined, key: string, sentence: () => string): void {
    if (this.examples.length < this.maxExamples && !this.seen.has(key)) {
      this.seen.add(key);
      this.examples.push(sentence());
    } else {
      this.tally(ticks, pid);
    }
  }

  /** The examples, the count line, then `hint` (what the step requires), or nothing if there were no violations. */
  reasons(hint: string): string[] {
    if (this.count + this.examples.length === 0) return [];
    const out = [...this.examples];
    const more = this.count;
    if (more > 0) {
      const ticks = [...this.ticks].sort((a, b) => a - b);
      const span = ticks.length === 1 ? `at tick ${ticks[0]}` : `at ${ticks.length} ticks from ${ticks[0]} to ${ticks[ticks.length - 1]}`;
      const pids = [...this.pids].sort((a, b) => a - b);
      const who = pids.length === 0 ? '' : pids.length === 1 ? `, in process ${pids[0]}` : `, in processes ${pids.join(', ')}`;
      out.push(`... and ${more} more ${more === 1 ? this.what : this.whats}${who}, ${span}.`);
    }
    out.push(hint);
    return out;
  }
}

function vmDumps(log: ParsedLog): VirtualDump[] {
  return log.dumps.filter((d): d is VirtualDump => d.kind === 'vm');
}

function pmDumps(log: ParsedLog): PhysicalDump[] {
  return log.dumps.filter((d): d is PhysicalDump => d.kind === 'pm');
}

const noData = (what: string, from: number, dump: string): CheckResult => ({
  reasons: [`the log has no ${dump} at or after tick ${from}, so ${what} could not be checked.`],
  noData: true,
});

/** The invariants checked at every tick, for every process. */
function checkInvariants(log: ParsedLog): string[] {
  const console = new Violations('process without the console', 'processes without the console');
  const own = new Violations('own page without PTE_U', 'own pages without PTE_U');
  for (const d of vmDumps(log)) {
    const c = d.pages[CONSOLE_PAGE]!;
    if (!(c.perm & PTE_U)) {
      console.add(d.ticks, d.pid, `${d.pid}`, () =>
        c.perm === 0
          ? `tick ${d.ticks}: process ${d.pid} does not map the console page 0xb8000.`
          : `tick ${d.ticks}: process ${d.pid} maps the console page 0xb8000 without PTE_U (permissions ${c.perm}).`,
      );
    }
    for (let pn = PROC_START_PAGE; pn < d.pages.length; pn++) {
      const p = d.pages[pn]!;
      if (p.owner === d.pid && p.perm !== 0 && !(p.perm & PTE_U)) {
        own.add(d.ticks, d.pid, `${d.pid}`, () => `tick ${d.ticks}: process ${d.pid} maps its own page at virtual ${pageVa(pn)} without PTE_U (permissions ${p.perm}).`);
      }
    }
  }
  return [
    ...console.reasons('Every process must map the console page 0xb8000 with PTE_U, so that it can print.'),
    ...own.reasons("A process's own pages at or above 0x100000 must be mapped with PTE_U, so that it can use them."),
  ];
}

/** Step 1: no user-accessible page below PROC_START_ADDR but the console. */
function kernelIsolated(log: ParsedLog): CheckResult {
  const v = new Violations('user-accessible page below 0x100000', 'user-accessible pages below 0x100000', 2);
  for (const d of vmDumps(log)) {
    // The example for this dump: a kernel page if there is one (the telling case), else the first.
    let example = -1;
    for (let pn = 0; pn < PROC_START_PAGE; pn++) {
      const p = d.pages[pn]!;
      if (pn === CONSOLE_PAGE || !(p.perm & PTE_U)) continue;
      if (example < 0 || (p.owner === OWNER_KERNEL && d.pages[example]!.owner !== OWNER_KERNEL)) example = pn;
    }
    if (example < 0) continue;
    for (let pn = 0; pn < PROC_START_PAGE; pn++) {
      const p = d.pages[pn]!;
      if (pn === CONSOLE_PAGE || !(p.perm & PTE_U) || pn === example) continue;
      v.tally(d.ticks, d.pid);
    }
    const p = d.pages[example]!;
    v.add(d.ticks, d.pid, `${d.pid}`, () =>
      `tick ${d.ticks}: process ${d.pid} maps virtual ${pageVa(example)} (${describeOwner(p.owner, p.refcount)}) with PTE_U: ` +
      `user code can ${p.perm & PTE_W ? 'read and overwrite' : 'read'} it.`,
    );
  }
  return {
    reasons: v.reasons(
      'Below 0x100000 only the console page 0xb8000 may be user-accessible: kernel() must remap the kernel\'s memory without PTE_U (virtual_memory_map with PTE_P | PTE_W).',
    ),
  };
}

/** Step 2: no process reaches another process's page from user mode. */
function processesIsolated(log: ParsedLog): CheckResult {
  const v = new Violations("user-accessible mapping of another process's page", "user-accessible mappings of other processes' pages", 2);
  for (const d of vmDumps(log)) {
    for (let pn = 0; pn < d.pages.length; pn++) {
      const p = d.pages[pn]!;
      if (!(p.perm & PTE_U) || !isPid(p.owner) || p.owner === d.pid) continue;
      v.add(d.ticks, d.pid, `${d.pid}`, () => `tick ${d.ticks}: process ${d.pid} maps virtual ${pageVa(pn)}, process ${p.owner}'s page, with PTE_U.`);
    }
  }
  return {
    reasons: v.reasons(
      'Each process needs a page table of its own (process_setup) that lets user mode reach only its own pages and the console.',
    ),
  };
}

/** Step 3: from tick 500, processes own physical pages other than their own addresses. */
function vpa(log: ParsedLog): CheckResult {
  const dumps = pmDumps(log).filter((d) => d.ticks >= VPA_FROM_TICK);
  if (dumps.length === 0) return noData('virtual page allocation', VPA_FROM_TICK, 'PM_DUMP');
  const v = new Violations('dump like this', 'dumps like this', 1);
  for (const d of dumps) {
    let found = false;
    for (let pn = VPA_FIRST_PAGE; pn <= VPA_LAST_PAGE && !found; pn++) if (isPid(d.pages[pn]!.owner)) found = true;
    if (!found) {
      v.add(d.ticks, undefined, '', () => `tick ${d.ticks}: no physical page between ${pageVa(VPA_FIRST_PAGE)} and ${pageVa(VPA_LAST_PAGE)} belongs to a process.`);
    }
  }
  return {
    reasons: v.reasons(
      'sys_page_alloc must take any free physical page (the first free one will do) and map it at the requested virtual address, not use the physical page at that same address.',
    ),
  };
}

/** Step 4: from tick 800, some process has more than 64 user pages of its own at or above 0x100000. */
function overlapping(log: ParsedLog): CheckResult {
  const byTick = new Map<number, VirtualDump[]>();
  for (const d of vmDumps(log)) {
    if (d.ticks < LATE_FROM_TICK) continue;
    if (!byTick.has(d.ticks)) byTick.set(d.ticks, []);
    byTick.get(d.ticks)!.push(d);
  }
  if (byTick.size === 0) return noData('overlapping address spaces', LATE_FROM_TICK, 'VM_DUMP');
  const v = new Violations('tick like this', 'ticks like this', 1);
  for (const [ticks, dumps] of [...byTick].sort((a, b) => a[0] - b[0])) {
    let best = -1;
    let bestPid = 0;
    for (const d of dumps) {
      let n = 0;
      for (let pn = PROC_START_PAGE; pn < d.pages.length; pn++) {
        const p = d.pages[pn]!;
        if (p.owner === d.pid && p.perm & PTE_U) n++;
      }
      if (n > best) {
        best = n;
        bestPid = d.pid;
      }
    }
    if (best <= OVERLAP_MIN_PAGES) {
      v.add(ticks, undefined, '', () =>
        `tick ${ticks}: no process has more than ${OVERLAP_MIN_PAGES} user-accessible pages of its own at or above 0x100000 (the most: process ${bestPid}, with ${best}).`,
      );
    }
  }
  return {
    reasons: v.reasons(
      `Each process's stack must move to virtual 0x2ff000 (rsp 0x300000, on a freshly allocated page), so that its heap can grow past its ${OVERLAP_MIN_PAGES}-page slot.`,
    ),
  };
}

/** Step 5: from tick 800, no process shares a writable page at 0x100000 with another. */
function fork(log: ParsedLog): CheckResult {
  const dumps = vmDumps(log).filter((d) => d.ticks >= LATE_FROM_TICK);
  if (dumps.length === 0) return noData('fork', LATE_FROM_TICK, 'VM_DUMP');
  const v = new Violations('writable page shared at 0x100000', 'writable pages shared at 0x100000', 2);
  for (const d of dumps) {
    const p = d.pages[PROC_START_PAGE]!;
    if (p.owner === d.pid || !(p.perm & PTE_W)) continue;
    v.add(d.ticks, d.pid, `${d.pid}`, () =>
      `tick ${d.ticks}: process ${d.pid}'s virtual page 0x100000 is writable but is ${describeOwner(p.owner, p.refcount)}` +
      `${p.refcount > 1 ? ` (refcount ${p.refcount})` : ''}.`,
    );
  }
  return { reasons: v.reasons('fork must give the child its own copy of every writable page; only pages without PTE_W may be shared.') };
}

const STEPS: readonly {
  readonly step: 1 | 2 | 3 | 4 | 5;
  readonly title: string;
  readonly test: string;
  readonly run: GradeRunName;
  readonly check: (log: ParsedLog) => CheckResult;
}[] = [
  { step: 1, title: 'Kernel isolation', test: 'KernelIsolated', run: 'allocator', check: kernelIsolated },
  { step: 2, title: 'Isolated address spaces', test: 'ProcessesIsolated', run: 'allocator', check: processesIsolated },
  { step: 3, title: 'Virtual page allocation', test: 'VPA', run: 'allocator', check: vpa },
  { step: 4, title: 'Overlapping address spaces', test: 'Overlapping', run: 'allocator', check: overlapping },
  { step: 5, title: 'Fork', test: 'Fork', run: 'fork', check: fork },
];

/** The problems of a whole run, which fail every step graded on it. */
function runFindings(run: GradeRunName, input: GradeRunInput, log: ParsedLog): RunFindings {
  const problems: string[] = [];
  if (input.runProblem) problems.push(input.runProblem);
  const ticks = log.dumps.map((d: MemoryDump) => d.ticks);
  const lastTick = ticks.length > 0 ? Math.max(...ticks) : undefined;
  const panic = log.panics[0];
  if (panic) {
    const when = panic.afterTicks !== undefined ? ` after tick ${panic.afterTicks}` : ' before the first dump';
    problems.push(`the kernel panicked${when}: ${panic.text}${panicHint(panic.text, run)}`);
  } else if (lastTick === undefined) {
    problems.push('the log has no memory dumps (PM_DUMP/VM_DUMP): the kernel must call memdump_physical and memdump_virtual_all every 100 ticks when built with TICK_LIMIT.');
  } else if (lastTick < GRADE_LAST_TICK) {
    problems.push(`the run stopped at tick ${lastTick}: it must reach tick ${GRADE_LAST_TICK} (the last dump read is at tick ${lastTick}).`);
  }
  for (const p of log.problems) problems.push(`log line ${p.line}: ${p.message}`);
  problems.push(...checkInvariants(log));
  return { run, dumps: log.dumps.length, problems, ...(lastTick !== undefined ? { lastTick } : {}), ...(panic ? { panic } : {}) };
}

function panicHint(text: string, run: GradeRunName): string {
  const m = /Unexpected exception (\d+)/.exec(text);
  if (!m) return '';
  switch (Number(m[1])) {
    case 52:
      return run === 'fork' ? ' (system call 52 is sys_fork: fork is not implemented yet)' : ' (system call 52 is sys_fork)';
    case 53:
      return ' (system call 53 is sys_exit)';
    case 13:
      return ' (exception 13 is a general protection fault)';
    default:
      return '';
  }
}

/** Grades the lab's steps 1-5 from the grading runs' logs (either may be missing). */
export function gradeWeensyOS(runs: Partial<Record<GradeRunName, GradeRunInput>>): GradeReport {
  const findings = new Map<GradeRunName, { findings: RunFindings; log: ParsedLog }>();
  for (const name of ['allocator', 'fork'] as const) {
    const input = runs[name];
    if (!input) continue;
    const log = parseWeensyLog(input.log);
    findings.set(name, { findings: runFindings(name, input, log), log });
  }
  const steps: StepVerdict[] = STEPS.map((s) => {
    const f = findings.get(s.run);
    const head = { step: s.step, title: s.title, test: s.test, run: s.run };
    if (!f) return { ...head, verdict: 'missing', reasons: [`the ${s.run} run was not given.`], runProblems: [] };
    const result = s.check(f.log);
    const runProblems = f.findings.problems;
    // "Nothing to check" says nothing new when the run's own problems say why.
    const reasons = result.noData && runProblems.length > 0 ? [] : result.reasons;
    return { ...head, verdict: reasons.length + runProblems.length === 0 ? 'pass' : 'fail', reasons, runProblems };
  });
  return {
    steps,
    runs: [...findings.values()].map((f) => f.findings),
    passed: steps.every((s) => s.verdict === 'pass'),
  };
}
