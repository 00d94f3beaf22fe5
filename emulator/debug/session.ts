// A debugging session over one WeensyOS machine: the execution side of the
// runtime facade (the inspection side is emulator/debug/inspect/).
//
// Driving it. Requests that change what runs (start, continue, the steps)
// return at once; the machine then runs only inside `runSlice(n)`, at most
// n instructions per call, and each call returns the events that happened
// (output, stopped, exited...). A host calls runSlice from its event loop
// (setImmediate) while `running` is true, so it can answer other requests,
// such as pause, between slices; `runUntilStop` does it in a loop for
// tests. Every stop is at an exact instruction that does not depend on the
// slice sizes: the same launch, breakpoints and keys give the same stops at
// the same instruction counts.
//
// Stepping. Line steps single-step the machine one instruction at a time in
// the frame being stepped and run at full speed (with a temporary
// breakpoint) over anything else: a call stepped over, a trap taken from
// user mode (a system call stepped over, a timer interrupt, a page fault the
// kernel resolves) until the same process is back at the same place with
// the same stack pointer, the rest of a function stepped out of. A frame is
// identified by its CFA (see unwind.ts) and, in user mode, by the pid of
// `current`, since forked processes share addresses and stacks.
//  - step over a system call from user code: the kernel runs (and may run
//    other processes first); the step ends on the next line of the same
//    process;
//  - step into a system call (or a faulting instruction): the step ends in
//    exception(), after its prologue;
//  - a step in the kernel that leaves through `iret` (out of exception(),
//    over run() or schedule()) continues in whichever process the kernel
//    resumes, to that process's next line.
//
// Breakpoints are the machine's instruction breakpoints (a set of linear
// addresses); a user-program address stops only a process running the
// image it came from (programs overlap at 0x100000), and only in user mode.
// Exception filters use the machine's stopOnFault: the stop is at the
// faulting instruction with nothing delivered, and the next run delivers
// it. Panic and assert_fail are breakpoints at their entry. Data
// breakpoints are in data-watch.ts.
//
// Which program a user process runs is read from memory (program-map.ts).

import { consoleText, readConsole } from '../console';
import { buildWeensyOS, type WeensyBuild } from '../weensyos/build-weensyos';
import { bootWeensyOS } from '../weensyos/boot-weensyos';
import type { LinkedImage } from '../cc/link/link';
import { formatDiagnostic } from '../cc/diagnostic';
import { hex } from '../machine/hex';
import { decode } from '../machine/isa/decoder';
import { MAX_INSN_LENGTH, Op } from '../machine/isa/opcodes';
import type { CpuFault } from '../machine/fault';
import { vectorName } from '../machine/fault';
import type { Machine, RunOptions, StopReason } from '../machine/machine';
import { P_FREE } from '../weensyos/kernel-state';
import {
  DebugError, KERNEL_THREAD_ID,
  type BreakpointLocation, type BreakpointResult, type ConditionEvaluator, type DataBreakpointSpec, type ExceptionFilterDescription,
  type ExceptionFilterId, type ExceptionFilterSpec, type ExceptionInfo, type FunctionBreakpointSpec, type InstructionBreakpointSpec,
  type LaunchFailure, type LaunchOptions, type SessionEvent, type SourceBreakpointSpec, type StackFrameRecord, type StepGranularity,
  type StopReasonName, type ThreadRecord,
} from './debug-types';
import { defaultConditionEvaluator } from './default-evaluator';
import { EXCEPTION_FILTERS, errorBits, failingWalkStep, faultNames, filterOf, FILTER_IDS, predictTripleFault } from './exception-filters';
import { parseHitCondition, type HitTest } from './hit-condition';
import type { FrameContext, InspectBuild } from './inspect/frame-context';
import { cpuReg, cpuRegNumber, currentSpace, isUser, KernelAccess, readBytes, readTrapFrame, translate, userTrapFrameAddress, type Space } from './kernel-access';
import { ProgramMap, type MappedImage } from './program-map';
import { decodeImage, frameAddress, unwind, type RawFrame, type UnwindEnv } from './unwind';
import { DataWatch, type WatchHit, type WatchRange, type WatchedStop } from './data-watch';

/** Instructions per runSlice call when the host does not say. */
export const DEFAULT_SLICE = 2_000_000;
/** The console rows WeensyOS prints messages on (page faults, panics, loader errors): echoed as output when they change. */
const MESSAGE_ROWS = [22, 23, 24];
/**
 * Row 22 is also the last row of memshow's virtual map ("   0x2C0000 " and
 * cells from column 12, FACTS.md section 7); a kernel or loader diagnostic
 * there starts at column 0.
 */
const isMessage = (row: number, text: string): boolean => text.trim() !== '' && (row !== 22 || text[0] !== ' ');
/** Kernel instructions without a user instruction after which the session says the kernel spins. */
const SPIN_INSTRUCTIONS = 50_000_000;
const STATE_NAMES = ['free', 'runnable', 'blocked', 'broken'];
/** Frames per thread a frame id can name (unwind.ts stops at 64). */
const FRAME_ID_DEPTHS = 10_000;

/** The frame id of depth `depth` (0: the innermost) of thread `threadId`, stable across stops. */
function frameIdOf(threadId: number, depth: number): number {
  return threadId * FRAME_ID_DEPTHS + Math.min(depth, FRAME_ID_DEPTHS - 1) + 1;
}

function frameIdParts(frameId: number): { threadId: number; depth: number } {
  return { threadId: Math.floor((frameId - 1) / FRAME_ID_DEPTHS), depth: (frameId - 1) % FRAME_ID_DEPTHS };
}

type BreakpointKind = 'source' | 'function' | 'instruction' | 'panic' | 'data';

interface Breakpoint {
  readonly id: number;
  readonly kind: BreakpointKind;
  readonly locations: readonly BreakpointLocation[];
  readonly condition?: string;
  readonly hitTest?: HitTest;
  readonly logMessage?: string;
  hits: number;
  result: BreakpointResult;
}

interface FastForward {
  /** Where to arrive (undefined: only an iret to user mode ends it). */
  readonly rip: number | undefined;
  readonly rsp: number | undefined;
  readonly pid: number | undefined;
  readonly user: boolean;
  /** End at an iret into user mode (a kernel step that leaves the kernel). */
  readonly catchIret: boolean;
  /** On arrival: stop; keep line-stepping in the reference frame; line-step from a new reference here; or re-run the interrupted instruction. */
  readonly then: 'stop' | 'line' | 'new-ref' | 'resume';
}

interface Reference {
  readonly user: boolean;
  readonly pid: number | undefined;
  readonly cfa: number;
  readonly range: { start: number; end: number } | undefined;
  readonly image: MappedImage | undefined;
}

interface StepMode {
  readonly kind: 'step';
  type: 'in' | 'over' | 'out';
  readonly granularity: StepGranularity;
  ref: Reference | undefined;
  ff: FastForward | undefined;
  executed: number;
  /** Stop at the next boundary whatever the line says (a step out that returned). */
  stopNow: boolean;
  /** Run the next instruction without a stop check (it was interrupted before it ran). */
  skipCheck: boolean;
}

type Mode = { readonly kind: 'continue'; readonly entryAt?: number } | StepMode;

interface StopState {
  readonly reason: StopReasonName;
  readonly threadId: number;
  readonly exception?: ExceptionInfo;
}

interface FaultStop {
  readonly filter: ExceptionFilterId;
  readonly fault: CpuFault;
  readonly user: boolean;
  readonly pid: number | undefined;
  readonly diagnosis?: string;
}

export type LaunchResult = { readonly ok: true; readonly session: DebugSession } | LaunchFailure;

export class DebugSession {
  readonly build: WeensyBuild & { readonly kernel: LinkedImage };
  readonly map: ProgramMap;
  private m: Machine;
  private readonly kernel: KernelAccess;
  private readonly evaluator: ConditionEvaluator;
  private readonly inspectBuild: InspectBuild;
  private readonly env: () => UnwindEnv;
  private readonly syscallNames: Map<number, string>;
  private readonly iretAddresses: number[];
  private readonly exceptionBody: number | undefined;

  private phase: 'new' | 'stopped' | 'running' | 'terminated' = 'new';
  private mode: Mode = { kind: 'continue' };
  private events: SessionEvent[] = [];
  private logLine: number[] = [];
  private stop: StopState | undefined;
  private faultStop: FaultStop | undefined;
  private resumeRip = NaN;
  private resumeIcount = NaN;
  private progressAt = 0;
  private lastUserIcount = 0;
  private spinReported = false;
  /** The message rows of the console as last echoed. */
  private messageRows: string[] = [];
  /** The processes (pids) the last thread events were about (noteThreads). */
  private knownThreads = new Set<number>();
  /** Check the pending fault against the triple-fault filter before the next run. */
  private checkPending = false;

  private nextBreakpointId = 1;
  private readonly sourceBreakpoints = new Map<string, Breakpoint[]>();
  private functionBreakpoints: Breakpoint[] = [];
  private instructionBreakpoints: Breakpoint[] = [];
  private panicBreakpoint: Breakpoint | undefined;
  private readonly filters = new Map<ExceptionFilterId, { condition?: string }>();
  private index = new Map<number, Breakpoint[]>();
  private dataBreakpoints: Breakpoint[] = [];
  private readonly watch = new DataWatch();

  private frames = new Map<number, StackFrameRecord>();

  private constructor(private readonly options: LaunchOptions, build: WeensyBuild & { readonly kernel: LinkedImage }) {
    this.build = build;
    this.map = new ProgramMap(build);
    this.kernel = new KernelAccess(build.kernel);
    this.evaluator = options.evaluator ?? defaultConditionEvaluator;
    this.inspectBuild = { kernel: build.kernel, programs: build.programs, macros: build.macros };
    this.syscallNames = syscallNames(build);
    this.env = () => ({ machine: this.m, map: this.map, kernel: this.kernel, syscallNames: this.syscallNames });
    this.iretAddresses = findIrets(this.map.kernel);
    this.exceptionBody = this.map.kernelFunction('exception')?.bodyStart;
    this.m = this.boot();
    this.setExceptionFilters(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => ({ filterId: f.filter })));
  }

  /** Builds the kernel and programs; a build that fails comes back as located diagnostics. */
  static launch(options: LaunchOptions): LaunchResult {
    const build = buildWeensyOS({
      host: options.host,
      ...(options.workspace !== undefined ? { workspace: options.workspace } : {}),
      ...(options.kernel !== undefined ? { kernel: options.kernel } : {}),
      defines: new Map(Object.entries(options.defines ?? {})),
      ...(options.variant !== undefined ? { variant: options.variant } : {}),
    });
    const errors = build.diagnostics.filter((d) => d.severity === 'error');
    if (!build.kernel || errors.length > 0) {
      const first = errors[0];
      const message = first
        ? `The kernel does not compile: ${formatDiagnostic(first)}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : ''}`
        : 'The kernel did not build.';
      return { ok: false, message, diagnostics: build.diagnostics };
    }
    return { ok: true, session: new DebugSession(options, build as WeensyBuild & { kernel: LinkedImage }) };
  }

  /** The machine (replaced on restart). */
  get machine(): Machine {
    return this.m;
  }

  get running(): boolean {
    return this.phase === 'running';
  }

  get terminated(): boolean {
    return this.phase === 'terminated';
  }

  /** The offered exception filters (DAP's exceptionBreakpointFilters). */
  static exceptionFilters(): readonly ExceptionFilterDescription[] {
    return EXCEPTION_FILTERS;
  }

  private boot(): Machine {
    const m = bootWeensyOS(this.build.kernel, {
      ...(this.options.command !== undefined ? { command: this.options.command } : {}),
      ...(this.options.instructionsPerTick !== undefined ? { instructionsPerTick: this.options.instructionsPerTick } : {}),
      ...(this.options.jit !== undefined ? { jit: this.options.jit } : {}),
      output: { log: (b) => this.onLog(b) },
    });
    this.watch.attach(m);
    this.progressAt = 0;
    this.lastUserIcount = 0;
    this.spinReported = false;
    this.messageRows = [];
    return m;
  }

  private onLog(b: number): void {
    if (b === 10) {
      this.flushLog(true);
    } else {
      this.logLine.push(b);
      if (this.logLine.length >= 4096) this.flushLog(false);
    }
  }

  /** Echoes new text on the console's message rows ("Process 2 page fault for ...") as console output. */
  private echoConsole(): void {
    const rows = consoleText(readConsole(this.m.memory));
    MESSAGE_ROWS.forEach((r, i) => {
      const text = rows[r] ?? '';
      if (text !== (this.messageRows[i] ?? '') && isMessage(r, text)) this.emit({ kind: 'output', category: 'console', text: `${text}\n` });
      this.messageRows[i] = text;
    });
  }

  private flushLog(newline: boolean): void {
    if (this.logLine.length === 0 && !newline) return;
    let text = '';
    for (let i = 0; i < this.logLine.length; i += 4096) text += String.fromCharCode(...this.logLine.slice(i, i + 4096));
    this.logLine = [];
    this.emit({ kind: 'output', category: 'stdout', text: newline ? `${text}\n` : text });
  }

  private emit(e: SessionEvent): void {
    this.events.push(e);
  }

  private drain(): SessionEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  // ------------------------------------------------------------ lifecycle

  /** Starts the machine: stops at the entry if asked, else it runs (call runSlice). */
  start(): SessionEvent[] {
    if (this.phase !== 'new') throw new DebugError('The session has already started.');
    const entry = this.options.stopOnEntry;
    if (entry === 'boot') {
      this.stopped('entry', 'Stopped at entry_from_boot, the first instruction of the kernel.');
    } else {
      const at = entry === true || entry === 'kernel' ? this.map.kernelFunction('kernel')?.bodyStart : undefined;
      if ((entry === true || entry === 'kernel') && at === undefined) {
        this.stopped('entry', 'Stopped at the first instruction (the kernel has no kernel() function).');
      } else {
        this.resume(at !== undefined ? { kind: 'continue', entryAt: at } : { kind: 'continue' });
      }
    }
    return this.drain();
  }

  /** Boots the same build again; breakpoints and filters stay. */
  restart(): SessionEvent[] {
    this.flushLog(false);
    this.m = this.boot();
    for (const bp of this.allBreakpoints()) bp.hits = 0;
    this.phase = 'new';
    this.stop = undefined;
    this.faultStop = undefined;
    this.resetFrames();
    this.emit({ kind: 'invalidated', areas: ['all'] });
    return [...this.drain(), ...this.start()];
  }

  terminate(): SessionEvent[] {
    if (this.phase !== 'terminated') {
      this.flushLog(false);
      this.phase = 'terminated';
      this.emit({ kind: 'terminated' });
    }
    return this.drain();
  }

  /** Keys ('a', 'f', 'e', 'q', ...) arrive at the current instruction count. */
  sendKeys(keys: string | readonly number[]): void {
    const codes = typeof keys === 'string' ? [...keys].map((c) => c.charCodeAt(0) & 0xff) : keys;
    for (const k of codes) this.m.devices.pressKey(k, this.m.icount);
  }

  // ------------------------------------------------------ running control

  continue(): SessionEvent[] {
    this.requireStopped();
    if (this.m.status === 'shutdown' || this.m.status === 'poweroff') {
      this.endOfMachine();
      return this.drain();
    }
    this.resume({ kind: 'continue' });
    return this.drain();
  }

  /** Stops now (the machine is between slices). */
  pause(): SessionEvent[] {
    if (this.phase !== 'running') return this.drain();
    this.flushLog(false);
    this.stopped('pause', this.pauseDescription());
    return this.drain();
  }

  next(threadId: number, granularity: StepGranularity = 'line'): SessionEvent[] {
    return this.startStep('over', threadId, granularity);
  }

  stepIn(threadId: number, granularity: StepGranularity = 'line'): SessionEvent[] {
    return this.startStep('in', threadId, granularity);
  }

  stepOut(threadId: number, granularity: StepGranularity = 'line'): SessionEvent[] {
    return this.startStep('out', threadId, granularity);
  }

  /** Runs at most `maxInstructions` and returns what happened. */
  runSlice(maxInstructions = DEFAULT_SLICE): SessionEvent[] {
    if (this.phase !== 'running') return this.drain();
    if (this.checkPending) {
      this.checkPending = false;
      const m = this.m;
      const pending = m.pendingFault;
      const diagnosis = pending && this.filters.has('triple-fault') ? predictTripleFault(m, pending) : undefined;
      if (pending && diagnosis !== undefined) {
        const user = isUser(m);
        const pid = this.kernel.currentPid(m);
        if (this.filterCondition('triple-fault', pending, user, pid)) {
          this.faultStop = { filter: 'triple-fault', fault: pending, user, pid, diagnosis };
          this.stopAtFault();
          return this.drain();
        }
      }
    }
    const limit = this.m.icount + Math.max(1, maxInstructions);
    if (this.mode.kind === 'continue') this.continueSlice(limit);
    else this.stepSlice(this.mode, limit);
    this.echoConsole();
    if (this.phase === 'running') this.noteThreads();
    return this.drain();
  }

  /**
   * Thread events for processes that appeared or went away since the last
   * look (after every slice and before every stop): a client's thread list
   * follows fork and exit while the machine runs. The kernel's own thread
   * comes and goes with the CPU's mode and is not reported.
   */
  private noteThreads(): void {
    const now = new Set(this.kernel.processes(this.m).filter((p) => p.slot !== 0 && p.state !== P_FREE).map((p) => p.pid));
    for (const pid of now) if (!this.knownThreads.has(pid)) this.emit({ kind: 'thread', reason: 'started', threadId: pid });
    for (const pid of this.knownThreads) if (!now.has(pid)) this.emit({ kind: 'thread', reason: 'exited', threadId: pid });
    this.knownThreads = now;
  }

  /** Runs slices until the session stops or ends (or `maxSlices` pass); for tests and scripts. */
  runUntilStop(maxSlices = Infinity, sliceInstructions = DEFAULT_SLICE): SessionEvent[] {
    const all: SessionEvent[] = [...this.drain()];
    for (let i = 0; i < maxSlices && this.phase === 'running'; i++) all.push(...this.runSlice(sliceInstructions));
    return all;
  }

  private requireStopped(): void {
    if (this.phase === 'terminated') throw new DebugError('The session has ended.');
    if (this.phase === 'running') throw new DebugError('The machine is running: pause it first.');
    if (this.phase === 'new') throw new DebugError('The session has not started.');
  }

  private resume(mode: Mode): void {
    // A fault stopped by another filter whose delivery would now triple-fault: say so before delivering it.
    this.checkPending = this.m.pendingFault !== undefined && this.faultStop?.filter !== 'triple-fault';
    this.mode = mode;
    this.phase = 'running';
    this.stop = undefined;
    this.faultStop = undefined;
    this.resumeRip = this.m.cpu.rip;
    this.resumeIcount = this.m.icount;
    this.resetFrames();
    this.watch.refresh();
    this.emit({ kind: 'continued', threadId: this.currentThreadId(), allThreadsContinued: true });
  }

  private resetFrames(): void {
    this.frames = new Map();
  }

  private stopped(reason: StopReasonName, description: string, extra: { text?: string; hit?: number[]; exception?: ExceptionInfo } = {}): void {
    this.flushLog(false);
    this.echoConsole();
    this.noteThreads();
    this.phase = 'stopped';
    const threadId = this.currentThreadId();
    this.stop = { reason, threadId, ...(extra.exception ? { exception: extra.exception } : {}) };
    this.resetFrames();
    this.emit({
      kind: 'stopped', reason, threadId, description,
      ...(extra.text !== undefined ? { text: extra.text } : {}),
      hitBreakpointIds: extra.hit ?? [], allThreadsStopped: true, icount: this.m.icount,
    });
  }

  private endOfMachine(): void {
    this.flushLog(false);
    if (this.m.status === 'poweroff') {
      this.emit({ kind: 'exited', exitCode: 0 });
    } else {
      this.emit({ kind: 'output', category: 'important', text: 'The CPU has shut down (triple fault); restart to run again.\n' });
      this.emit({ kind: 'exited', exitCode: 1 });
    }
    this.phase = 'terminated';
    this.emit({ kind: 'terminated' });
  }

  private pauseDescription(): string {
    const m = this.m;
    if (isUser(m)) {
      const pid = this.kernel.currentPid(m);
      return `Paused in user mode${pid !== undefined ? ` (pid ${pid})` : ''}.`;
    }
    const procs = this.kernel.processes(m).filter((p) => p.slot !== 0 && p.state !== P_FREE);
    const fn = this.map.functionAt(this.map.kernel, m.cpu.rip)?.fn.name;
    const spinning = m.icount - this.progressAt >= SPIN_INSTRUCTIONS / 10;
    if (procs.length > 0 && !procs.some((p) => p.state === 1) && spinning) {
      return `Paused in the kernel${fn ? ` (in ${fn}())` : ''}: no process is runnable, so the kernel spins in schedule(), calling check_keyboard() until a key arrives.`;
    }
    if (spinning && (fn === 'fail' || fn === 'check_keyboard' || fn === 'panic')) {
      return `Paused in the kernel${fn ? ` (in ${fn}())` : ''}: after a panic, it waits for a key.`;
    }
    return `Paused in the kernel${fn ? ` (in ${fn}())` : ''}.`;
  }

  // ---------------------------------------------------------- the run loop

  /** The machine's breakpoints: the user's, the panic filter's and the step's own. */
  private arm(extra: readonly number[]): void {
    // Only what changed, so that translated regions keep knowing they hold no breakpoint.
    this.m.breakpoints.replaceWith(new Set([...this.index.keys(), ...extra]));
  }

  /** m.run, or with data breakpoints, the watched run that stops right after a watched write. */
  private runMachine(budget: number): WatchedStop {
    return this.watch.run(
      this.m, budget, this.runOptions(),
      () => ({ events: this.events.length, log: [...this.logLine] }),
      (at) => {
        this.events.length = at.events;
        this.logLine = at.log;
      },
    );
  }

  private runOptions(): RunOptions {
    return { stopOnFault: (f) => this.onFault(f) };
  }

  private onFault(fault: CpuFault): boolean {
    const m = this.m;
    const user = isUser(m);
    const pid = this.kernel.currentPid(m);
    if (this.filters.has('triple-fault')) {
      const diagnosis = predictTripleFault(m, fault);
      if (diagnosis !== undefined && this.filterCondition('triple-fault', fault, user, pid)) {
        this.faultStop = { filter: 'triple-fault', fault, user, pid, diagnosis };
        return true;
      }
    }
    const filter = filterOf(fault, user);
    if (!this.filters.has(filter) || !this.filterCondition(filter, fault, user, pid)) return false;
    this.faultStop = { filter, fault, user, pid };
    return true;
  }

  private filterCondition(filter: ExceptionFilterId, fault: CpuFault, user: boolean, pid: number | undefined): boolean {
    const condition = this.filters.get(filter)?.condition;
    if (!condition) return true;
    const r = this.evaluator.evaluate(condition, this.topContext(), faultNames(this.m, fault, user, pid));
    if (!r.ok) {
      this.emit({ kind: 'output', category: 'important', text: `Exception filter condition: ${r.message}\n` });
      return true;
    }
    return r.value !== 0n;
  }

  /** Handles a machine stop common to every mode; true if the session stopped. */
  private handleStop(r: StopReason): boolean {
    switch (r.kind) {
      case 'fault':
        this.stopAtFault();
        return true;
      case 'poweroff':
        this.endOfMachine();
        return true;
      case 'shutdown': {
        const d = r.diagnosis;
        const exception: ExceptionInfo = {
          exceptionId: 'triple-fault', description: 'Triple fault: the CPU shut down.', breakMode: 'always',
          details: { vector: 8, name: 'triple fault', rip: d.rip, user: d.cpl === 3, message: d.text },
        };
        this.emit({ kind: 'output', category: 'important', text: `${d.text}\n` });
        this.stopped('exception', 'Triple fault: the CPU shut down.', { text: d.text, exception });
        return true;
      }
      case 'halt':
        this.stopped('pause', 'The CPU halted with interrupts off: nothing can wake it.');
        return true;
      case 'exit':
        this.endOfMachine();
        return true;
      default:
        return false;
    }
  }

  private stopAtFault(): void {
    const fs = this.faultStop;
    const m = this.m;
    if (!fs) {
      this.stopped('exception', 'Stopped at a fault.');
      return;
    }
    const f = fs.fault;
    const where = fs.user ? (fs.pid !== undefined ? `in pid ${fs.pid}` : 'in user mode') : 'in the kernel';
    const cr2 = f.va;
    const bits = errorBits(f);
    const head = fs.filter === 'triple-fault'
      ? `${vectorName(f.vector)} ${where} that would shut the CPU down (triple fault)`
      : `${f.vector === 14 ? 'Page fault' : vectorName(f.vector)} ${where}${cr2 !== undefined ? ` at ${hex(cr2)}` : ''}${bits ? ` (${bits.join(', ')})` : ''}`;
    const walkStep = failingWalkStep(f);
    const exception: ExceptionInfo = {
      exceptionId: fs.filter, description: `${head}: ${f.message}`, breakMode: 'always',
      details: {
        vector: f.vector, name: vectorName(f.vector), rip: m.cpu.rip, user: fs.user,
        ...(fs.pid !== undefined ? { pid: fs.pid } : {}),
        ...(f.errorCode !== undefined ? { errorCode: f.errorCode } : {}),
        ...(bits ? { errorBits: bits } : {}),
        ...(cr2 !== undefined ? { cr2 } : {}),
        ...(walkStep !== undefined ? { walkStep } : {}),
        message: fs.diagnosis ?? f.message,
      },
    };
    this.stopped('exception', `${head}.`, { text: f.message, exception });
  }

  /** Accounts for progress (user instructions) and says once when the kernel spins. */
  private watchProgress(): void {
    const m = this.m;
    if (m.userIcount !== this.lastUserIcount) {
      this.lastUserIcount = m.userIcount;
      this.progressAt = m.icount;
      this.spinReported = false;
    } else if (!this.spinReported && m.icount - this.progressAt >= SPIN_INSTRUCTIONS) {
      this.spinReported = true;
      this.emit({ kind: 'output', category: 'important', text: 'The kernel has run 50,000,000 instructions without a user instruction: nothing is runnable and it spins (waiting for a key), or it is stuck in a loop. Pause to see where.\n' });
    }
  }

  private continueSlice(limit: number): void {
    const mode = this.mode as { kind: 'continue'; entryAt?: number };
    const m = this.m;
    this.arm(mode.entryAt !== undefined ? [mode.entryAt] : []);
    while (this.phase === 'running' && m.icount < limit) {
      const r = this.runMachine(limit - m.icount);
      this.watchProgress();
      if (r.kind === 'budget') continue;
      if (r.kind === 'watch') {
        if (this.dataBreakpointStops(r.hit)) return;
        continue;
      }
      if (r.kind === 'breakpoint') {
        if (this.isResumePoint(r.rip)) continue;
        if (this.userBreakpointStops(r.rip)) return;
        if (mode.entryAt !== undefined && r.rip === mode.entryAt && !isUser(m)) {
          this.stopped('entry', 'Stopped at the first line of kernel().');
          return;
        }
        continue;
      }
      if (this.handleStop(r)) return;
      // The machine ran out of budget after a fault it delivered: go on.
      if (m.status !== 'running') return;
    }
  }

  /** The breakpoint at the place the run resumed from, before anything ran: not a hit. */
  private isResumePoint(rip: number): boolean {
    return rip === this.resumeRip && this.m.icount === this.resumeIcount;
  }

  /** Evaluates the user breakpoints at `rip`; stops the session (true) if one says so. */
  private userBreakpointStops(rip: number): boolean {
    const list = this.index.get(rip);
    if (!list) return false;
    const m = this.m;
    const user = isUser(m);
    let image: MappedImage | undefined;
    let imageKnown = false;
    const stopping: Breakpoint[] = [];
    let ctx: FrameContext | undefined;
    let names: Map<string, bigint> | undefined;
    for (const bp of list) {
      const applies = bp.locations.some((l) => {
        if (l.address !== rip) return false;
        if (l.image === '*') return true;
        if (l.image === 'kernel') return !user;
        if (!user) return false;
        if (!imageKnown) {
          image = this.map.imageAt(rip, true, (a, n) => readBytes(m, currentSpace(m), a, n));
          imageKnown = true;
        }
        return image?.name === l.image;
      });
      if (!applies) continue;
      ctx ??= this.topContext();
      names ??= this.conditionNames();
      if (bp.condition) {
        const r = this.evaluator.evaluate(bp.condition, ctx, names);
        if (!r.ok) {
          this.emit({ kind: 'output', category: 'important', text: `Breakpoint ${bp.id} condition: ${r.message}\n` });
        } else if (r.value === 0n) {
          continue;
        }
      }
      bp.hits++;
      if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
      if (bp.logMessage !== undefined) {
        this.emit({ kind: 'output', category: 'console', text: `${this.interpolate(bp.logMessage, ctx, names)}\n` });
        continue;
      }
      stopping.push(bp);
    }
    if (stopping.length === 0) return false;
    const first = stopping[0]!;
    if (first.kind === 'panic') {
      this.stopAtPanic(first);
      return true;
    }
    const reason: StopReasonName = first.kind === 'function' ? 'function breakpoint' : first.kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
    const where = this.describeHere();
    this.stopped(reason, `Breakpoint ${stopping.map((b) => b.id).join(', ')} hit${where}.`, { hit: stopping.map((b) => b.id) });
    return true;
  }

  private stopAtPanic(bp: Breakpoint): void {
    const m = this.m;
    const space = currentSpace(m);
    const str = (reg: number): string => readCString(m, space, cpuRegNumber(m, reg));
    const fn = this.map.functionAt(this.map.kernel, m.cpu.rip)?.fn.name;
    let message: string;
    if (fn === 'assert_fail') {
      message = `${str(7)}:${Number(BigInt.asIntN(32, cpuReg(m, 6)))}: assertion '${str(2)}' failed`;
    } else {
      const fmt = cpuRegNumber(m, 7) === 0 ? '' : str(7).replace(/\n$/, '');
      message = fmt === '' ? 'PANIC' : `PANIC: ${fmt}`;
    }
    const pid = this.kernel.currentPid(m);
    const exception: ExceptionInfo = {
      exceptionId: 'panic', description: `Kernel ${fn === 'assert_fail' ? 'assertion failure' : 'panic'}: ${message}`, breakMode: 'always',
      details: { vector: -1, name: fn === 'assert_fail' ? 'assertion' : 'panic', rip: m.cpu.rip, user: false, ...(pid !== undefined ? { pid } : {}), message },
    };
    this.stopped('exception', `Kernel ${fn === 'assert_fail' ? 'assertion failure' : 'panic'}: ${message}`, { text: message, exception, hit: [bp.id] });
  }

  private describeHere(): string {
    const m = this.m;
    const user = isUser(m);
    const image = this.imageHere();
    const loc = image ? this.map.locate(image, m.cpu.rip) : undefined;
    const fn = loc?.function?.fn.name;
    const who = user ? ` in pid ${this.kernel.currentPid(m) ?? '?'}${image ? ` (${image.name})` : ''}` : '';
    return `${fn ? ` in ${fn}()` : ''}${who}`;
  }

  private interpolate(message: string, ctx: FrameContext, names: ReadonlyMap<string, bigint>): string {
    return message.replace(/\{([^{}]+)\}/g, (_, expr: string) => {
      const r = this.evaluator.evaluate(expr, ctx, names);
      return r.ok ? r.display : `<${r.message}>`;
    });
  }

  private conditionNames(): Map<string, bigint> {
    const names = new Map<string, bigint>();
    const pid = this.kernel.currentPid(this.m);
    if (pid !== undefined) names.set('pid', BigInt(pid));
    return names;
  }

  // ------------------------------------------------------------- stepping

  private startStep(type: 'in' | 'over' | 'out', threadId: number, granularity: StepGranularity): SessionEvent[] {
    this.requireStopped();
    if (this.m.status === 'shutdown' || this.m.status === 'poweroff') {
      this.endOfMachine();
      return this.drain();
    }
    this.checkThread(threadId);
    const m = this.m;
    const mode: StepMode = { kind: 'step', type, granularity, ref: undefined, ff: undefined, executed: 0, stopNow: false, skipCheck: false };
    const resumePoint = this.resumePointOf(threadId);
    if (resumePoint) {
      // A process that is not executing now: run until it is back where it was, then step from there.
      mode.ff = { rip: resumePoint.rip, rsp: resumePoint.rsp, pid: resumePoint.pid, user: true, catchIret: false, then: granularity === 'instruction' ? 'stop' : 'new-ref' };
      if (type === 'out') mode.type = 'over';
    } else {
      mode.ref = this.reference();
      if (type === 'out') {
        const ret = this.returnTarget();
        mode.ff = ret
          ? { rip: ret.rip, rsp: ret.cfa, pid: mode.ref.pid, user: isUser(m), catchIret: !isUser(m), then: 'stop' }
          : { rip: undefined, rsp: undefined, pid: undefined, user: false, catchIret: !isUser(m), then: 'stop' };
      }
    }
    this.resume(mode);
    return this.drain();
  }

  /** Where a process thread resumes, if it is not the one executing in user mode now. */
  private resumePointOf(threadId: number): { rip: number; rsp: number; pid: number } | undefined {
    if (threadId === KERNEL_THREAD_ID) return undefined;
    const m = this.m;
    if (isUser(m) && this.kernel.currentPid(m) === threadId) return undefined;
    const frames = this.threadFrames(threadId);
    const top = frames.find((f) => !f.trap);
    if (!top || !top.user || top.registers[4] === undefined) return undefined;
    return { rip: top.rip, rsp: Number(BigInt.asIntN(64, top.registers[4])), pid: threadId };
  }

  /** The frame being stepped: the CPU's current one. */
  private reference(): Reference {
    const m = this.m;
    const user = isUser(m);
    const image = this.imageHere();
    const f = image ? this.map.functionAt(image, m.cpu.rip) : undefined;
    const { cfa } = frameAddress(image, f, m.cpu.rip, cpuRegNumber(m, 4), cpuRegNumber(m, 5));
    const range = image ? this.map.lineRange(image, m.cpu.rip) : undefined;
    return { user, pid: user ? this.kernel.currentPid(m) : undefined, cfa, range: range ? { start: range.start, end: range.end } : undefined, image };
  }

  /** The return address and CFA of the current frame, or undefined when it has none (a trap handler, process_main). */
  private returnTarget(): { rip: number; cfa: number } | undefined {
    const m = this.m;
    const image = this.imageHere();
    const f = image ? this.map.functionAt(image, m.cpu.rip) : undefined;
    const { cfa } = frameAddress(image, f, m.cpu.rip, cpuRegNumber(m, 4), cpuRegNumber(m, 5));
    const bytes = readBytes(m, currentSpace(m), cfa - 8, 8);
    if (!bytes) return undefined;
    let ret = 0;
    for (let i = 7; i >= 0; i--) ret = ret * 256 + bytes[i]!;
    return ret === 0 ? undefined : { rip: ret, cfa };
  }

  private imageHere(): MappedImage | undefined {
    const m = this.m;
    return this.map.imageAt(m.cpu.rip, isUser(m), (a, n) => readBytes(m, currentSpace(m), a, n));
  }

  private stepSlice(mode: StepMode, limit: number): void {
    const m = this.m;
    while (this.phase === 'running') {
      if (m.icount >= limit) return;
      if (mode.ff) {
        if (!this.fastForward(mode, limit)) return;
        continue;
      }
      // Single-step mode: first, is this where the step ends?
      if (mode.stopNow || (mode.executed > 0 && !mode.skipCheck && (mode.granularity === 'instruction' || this.atLineStop(mode)))) {
        this.stopped('step', `Stepped${this.describeHere()}.`);
        return;
      }
      mode.skipCheck = false;
      const rip = m.cpu.rip;
      const user = isUser(m);
      const insn = this.instructionHere();
      const rsp = cpuRegNumber(m, 4);
      const ref = mode.ref!;
      if (insn && (insn.op === Op.CALL || insn.op === Op.CALLR) && mode.granularity === 'line') {
        const calleeKnown = mode.type === 'in' && this.calleeHasLines(insn, user);
        if (!calleeKnown) {
          mode.ff = { rip: rip + insn.len, rsp, pid: ref.pid, user, catchIret: !user, then: 'line' };
          continue;
        }
      }
      if (insn && insn.op === Op.CALL && mode.granularity === 'instruction' && mode.type === 'over') {
        mode.ff = { rip: rip + insn.len, rsp, pid: ref.pid, user, catchIret: !user, then: 'stop' };
        continue;
      }
      if (insn && insn.op === Op.INT && user) {
        if (mode.type === 'in' && mode.granularity === 'line' && this.exceptionBody !== undefined) {
          mode.ff = { rip: this.exceptionBody, rsp: undefined, pid: undefined, user: false, catchIret: false, then: 'stop' };
          continue;
        }
        if (mode.type !== 'in') {
          mode.ff = { rip: rip + insn.len, rsp, pid: ref.pid, user: true, catchIret: false, then: mode.granularity === 'instruction' ? 'stop' : 'line' };
          continue;
        }
      }
      const returning = insn !== undefined && insn.op === Op.RET && rsp + 8 === ref.cfa && user === ref.user;
      this.arm([]);
      const r = this.runMachine(1);
      if (r.kind === 'watch' && this.dataBreakpointStops(r.hit)) return;
      if (r.kind === 'breakpoint') {
        if (this.isResumePoint(r.rip)) continue;
        if (mode.executed > 0 && this.userBreakpointStops(r.rip)) return;
        // Not a stop: the machine runs the instruction on the next call.
        this.resumeRip = r.rip;
        this.resumeIcount = m.icount;
        continue;
      }
      if (r.kind !== 'budget' && r.kind !== 'watch' && this.handleStop(r)) return;
      mode.executed++;
      this.watchProgress();
      const nowUser = isUser(m);
      if (user && !nowUser) {
        // A trap from user mode: an interrupt, or this instruction's system call or fault.
        const at = userTrapFrameAddress(m);
        const tf = at !== undefined ? readTrapFrame(m, currentSpace(m), at) : undefined;
        const sync = tf !== undefined && !(tf.intno >= 32 && tf.intno < 48);
        if (mode.type === 'in' && sync && mode.granularity === 'line' && this.exceptionBody !== undefined) {
          mode.ff = { rip: this.exceptionBody, rsp: undefined, pid: undefined, user: false, catchIret: false, then: 'stop' };
        } else if (mode.type === 'in' && sync) {
          // Instruction granularity: stop in the handler.
        } else if (tf) {
          mode.ff = { rip: tf.rip, rsp: tf.rsp, pid: ref.pid, user: true, catchIret: false, then: 'resume' };
        }
        continue;
      }
      if (!user && nowUser) {
        this.enteredUser(mode);
        continue;
      }
      if (returning) {
        if (mode.type === 'out') mode.stopNow = true;
        else this.newReference(mode);
      }
    }
  }

  /** An iret took the CPU to user mode in the middle of a step: continue in the process it resumed. */
  private enteredUser(mode: StepMode): void {
    if (mode.granularity === 'instruction') {
      mode.stopNow = true;
      return;
    }
    if (mode.type === 'out') mode.type = 'over';
    this.newReference(mode);
  }

  private newReference(mode: StepMode): void {
    mode.ref = this.reference();
    // Land on the next statement boundary from here, even if that is where we are.
    mode.executed = Math.max(mode.executed, 1);
    const range = mode.ref.range;
    if (range && this.m.cpu.rip === range.start) {
      // Arrived at the start of a line (a new process's entry): it counts as the next line.
      mode.skipCheck = false;
    }
  }

  /** Runs at full speed towards the fast-forward target; false when the slice or the session ended. */
  private fastForward(mode: StepMode, limit: number): boolean {
    const m = this.m;
    const ff = mode.ff!;
    const extra: number[] = [];
    if (ff.rip !== undefined) extra.push(ff.rip);
    if (ff.catchIret) extra.push(...this.iretAddresses);
    this.arm(extra);
    const r = this.runMachine(limit - m.icount);
    this.watchProgress();
    if (r.kind === 'watch') return !this.dataBreakpointStops(r.hit);
    if (r.kind === 'budget') {
      if (ff.pid !== undefined && ff.user && !this.processCanRun(ff.pid)) {
        const state = this.kernel.processes(m).find((p) => p.pid === ff.pid && p.slot !== 0)?.state ?? 0;
        this.stopped('step', `The step ended: pid ${ff.pid} ${state === P_FREE ? 'exited' : 'cannot run any more (its state is ' + (STATE_NAMES[state] ?? state) + ')'}.`);
        return false;
      }
      return m.icount < limit;
    }
    if (r.kind !== 'breakpoint') {
      this.handleStop(r);
      return false;
    }
    const rip = r.rip;
    if (this.isResumePoint(rip)) return true;
    if (this.userBreakpointStops(rip)) return false;
    const user = isUser(m);
    if (ff.rip === rip && user === ff.user && (ff.rsp === undefined || cpuRegNumber(m, 4) === ff.rsp) && (ff.pid === undefined || !user || this.kernel.currentPid(m) === ff.pid)) {
      mode.ff = undefined;
      mode.executed++;
      switch (ff.then) {
        case 'stop':
          mode.stopNow = true;
          break;
        case 'line':
          break;
        case 'new-ref':
          mode.ref = this.reference();
          mode.executed = 0;
          break;
        case 'resume':
          mode.skipCheck = true;
          break;
      }
      return true;
    }
    if (ff.catchIret && !user && this.iretAddresses.includes(rip)) {
      // Run the iret and see where it goes.
      this.arm([]);
      const r1 = this.runMachine(1);
      if (r1.kind === 'watch' && this.dataBreakpointStops(r1.hit)) return false;
      if (r1.kind !== 'budget' && r1.kind !== 'watch' && this.handleStop(r1)) return false;
      if (isUser(m)) {
        mode.ff = undefined;
        mode.executed++;
        this.enteredUser(mode);
      }
      return true;
    }
    // Some other breakpoint (the target in another process or frame): go on past it.
    this.resumeRip = rip;
    this.resumeIcount = m.icount;
    return true;
  }

  private processCanRun(pid: number): boolean {
    const procs = this.kernel.processes(this.m);
    if (procs.length === 0) return true;
    const p = procs.find((q) => q.pid === pid && q.slot !== 0);
    return p !== undefined && (p.state === 1 || p.state === 2);
  }

  /** Is the CPU at the start of a line where a line step ends? */
  private atLineStop(mode: StepMode): boolean {
    const m = this.m;
    const rip = m.cpu.rip;
    const user = isUser(m);
    const all = this.map.candidates(rip, user);
    const candidates = all.filter((i) => this.map.rowStartingAt(i, rip)?.isStatement);
    if (candidates.length === 0) return false;
    // Several programs share addresses: which one runs is read from memory.
    const image = all.length === 1 ? all[0]! : this.imageHere();
    if (!image) return false;
    const row = this.map.rowStartingAt(image, rip);
    if (!row || !row.isStatement) return false;
    const f = this.map.functionAt(image, rip);
    // A function's first row is its prologue: line steps end after it.
    if (f && rip === f.fn.start && f.bodyStart !== f.fn.start) return false;
    const ref = mode.ref;
    if (!ref) return true;
    if (user && ref.user && ref.pid !== undefined && this.kernel.currentPid(m) !== ref.pid) return false;
    if (mode.type === 'over' && user === ref.user) {
      const { cfa } = frameAddress(image, f, rip, cpuRegNumber(m, 4), cpuRegNumber(m, 5));
      if (cfa < ref.cfa) return false;
    }
    const range = ref.range;
    if (!range || image !== ref.image) return true;
    return rip < range.start || rip >= range.end || rip === range.start;
  }

  private instructionHere(): ReturnType<typeof decode> {
    const m = this.m;
    const rip = m.cpu.rip;
    const inPage = 4096 - (((rip % 4096) + 4096) % 4096);
    const bytes = readBytes(m, currentSpace(m), rip, Math.min(MAX_INSN_LENGTH, inPage)) ?? new Uint8Array(0);
    let all = bytes;
    if (bytes.length < MAX_INSN_LENGTH) {
      const more = readBytes(m, currentSpace(m), rip + bytes.length, MAX_INSN_LENGTH - bytes.length);
      if (more) {
        all = new Uint8Array(MAX_INSN_LENGTH);
        all.set(bytes);
        all.set(more, bytes.length);
      }
    }
    return all.length > 0 ? decode(all, 0) : undefined;
  }

  /** Does a call's target have line information (so step-in stops in it)? */
  private calleeHasLines(insn: NonNullable<ReturnType<typeof decode>>, user: boolean): boolean {
    const m = this.m;
    const target = insn.op === Op.CALL ? m.cpu.rip + insn.len + insn.imm : cpuRegNumber(m, insn.a);
    const image = this.map.imageAt(target, user, (a, n) => readBytes(m, currentSpace(m), a, n));
    const f = image ? this.map.functionAt(image, target) : undefined;
    return f !== undefined && f.bodyStart !== f.fn.start;
  }

  // ---------------------------------------------------------- breakpoints

  private allBreakpoints(): Breakpoint[] {
    return [...[...this.sourceBreakpoints.values()].flat(), ...this.functionBreakpoints, ...this.instructionBreakpoints, ...(this.panicBreakpoint ? [this.panicBreakpoint] : [])];
  }

  private rebuildIndex(): void {
    const index = new Map<number, Breakpoint[]>();
    for (const bp of this.allBreakpoints()) {
      for (const l of bp.locations) {
        const list = index.get(l.address) ?? [];
        if (!list.includes(bp)) list.push(bp);
        index.set(l.address, list);
      }
    }
    this.index = index;
  }

  private makeBreakpoint(kind: BreakpointKind, locations: readonly BreakpointLocation[], spec: { condition?: string; hitCondition?: string; logMessage?: string }, result: Omit<BreakpointResult, 'id'>): Breakpoint {
    const id = this.nextBreakpointId++;
    let hitTest: HitTest | undefined;
    let message = result.message;
    let verified = result.verified;
    if (spec.hitCondition !== undefined && spec.hitCondition.trim() !== '') {
      const h = parseHitCondition(spec.hitCondition);
      if (h.ok) hitTest = h.test;
      else {
        message = h.message;
        verified = false;
      }
    }
    const usable = verified;
    return {
      id, kind, locations: usable ? locations : [],
      ...(spec.condition !== undefined && spec.condition.trim() !== '' ? { condition: spec.condition } : {}),
      ...(hitTest ? { hitTest } : {}),
      ...(spec.logMessage !== undefined ? { logMessage: spec.logMessage } : {}),
      hits: 0,
      result: { ...result, id, verified, ...(message !== undefined ? { message } : {}) },
    };
  }

  /** Replaces the breakpoints of one source file (a path as the build names it: see `sourceFiles`). */
  setBreakpoints(path: string, specs: readonly SourceBreakpointSpec[]): BreakpointResult[] {
    const list = specs.map((s) => {
      const resolved = this.map.resolveLine(path, s.line);
      if (!resolved || resolved.locations.length === 0) {
        return this.makeBreakpoint('source', [], s, { verified: false, message: `No code at or after line ${s.line} of ${path}.`, source: path, line: s.line, locations: [] });
      }
      const moved = resolved.line !== s.line ? `Moved to line ${resolved.line}, the next line with code.` : undefined;
      return this.makeBreakpoint('source', resolved.locations, s, {
        verified: true, source: path, line: resolved.line, locations: resolved.locations,
        instructionReference: hex(resolved.locations[0]!.address),
        ...(moved ? { message: moved } : {}),
      });
    });
    if (list.length === 0) this.sourceBreakpoints.delete(path);
    else this.sourceBreakpoints.set(path, list);
    this.rebuildIndex();
    return list.map((b) => b.result);
  }

  /** The source files breakpoints can be set in (as the build names them). */
  sourceFiles(): string[] {
    return this.map.sourceFiles();
  }

  setFunctionBreakpoints(specs: readonly FunctionBreakpointSpec[]): BreakpointResult[] {
    this.functionBreakpoints = specs.map((s) => {
      const locations = this.map.resolveFunction(s.name);
      if (locations.length === 0) return this.makeBreakpoint('function', [], s, { verified: false, message: `No function called ${s.name} in the kernel or the programs.`, locations: [] });
      const first = locations[0]!;
      const image = this.map.image(first.image)!;
      const row = this.map.locate(image, first.address).row;
      return this.makeBreakpoint('function', locations, s, {
        verified: true, locations, instructionReference: hex(first.address),
        ...(row ? { source: row.range.start.file, line: row.range.start.line, column: row.range.start.column } : {}),
      });
    });
    this.rebuildIndex();
    return this.functionBreakpoints.map((b) => b.result);
  }

  setInstructionBreakpoints(specs: readonly InstructionBreakpointSpec[]): BreakpointResult[] {
    this.instructionBreakpoints = specs.map((s) => {
      const base = typeof s.instructionReference === 'number' ? s.instructionReference : Number(s.instructionReference);
      const address = base + (s.offset ?? 0);
      if (!Number.isSafeInteger(address)) return this.makeBreakpoint('instruction', [], s, { verified: false, message: `${String(s.instructionReference)} is not an address.`, locations: [] });
      const locations = [{ image: '*', address }];
      const image = this.map.candidates(address, address >= 0x100000)[0] ?? this.map.candidates(address, false)[0];
      const row = image ? this.map.locate(image, address).row : undefined;
      return this.makeBreakpoint('instruction', locations, s, {
        verified: true, locations, instructionReference: hex(address),
        ...(row ? { source: row.range.start.file, line: row.range.start.line } : {}),
      });
    });
    this.rebuildIndex();
    return this.instructionBreakpoints.map((b) => b.result);
  }

  /** Sets the exception filters (replacing the defaults); unknown ids are a DebugError. */
  setExceptionFilters(specs: readonly ExceptionFilterSpec[]): void {
    for (const s of specs) if (!FILTER_IDS.has(s.filterId)) throw new DebugError(`No exception filter ${s.filterId}: the filters are ${[...FILTER_IDS].join(', ')}.`);
    this.filters.clear();
    for (const s of specs) this.filters.set(s.filterId, s.condition !== undefined && s.condition.trim() !== '' ? { condition: s.condition } : {});
    const panic = this.filters.get('panic');
    if (panic) {
      const locations = ['panic', 'assert_fail'].flatMap((n) => {
        const f = this.map.kernelFunction(n);
        return f ? [{ image: 'kernel', address: f.fn.start }] : [];
      });
      this.panicBreakpoint = this.makeBreakpoint('panic', locations, panic, { verified: locations.length > 0, locations });
    } else {
      this.panicBreakpoint = undefined;
    }
    this.rebuildIndex();
  }

  /**
   * Replaces the data breakpoints. A write to any byte of the range stops
   * the machine right after the writing instruction (data-watch.ts). A
   * virtual range is watched at the physical bytes it maps to now, in the
   * address space of `pid` (default: the current one).
   */
  setDataBreakpoints(specs: readonly DataBreakpointSpec[]): BreakpointResult[] {
    const ranges: WatchRange[] = [];
    this.dataBreakpoints = specs.map((spec) => {
      const fail = (message: string): Breakpoint => this.makeBreakpoint('data', [], spec, { verified: false, message, locations: [] });
      if (spec.accessType !== 'write') return fail('Only writes can be watched: the machine reports writes to memory, not reads.');
      if (!Number.isSafeInteger(spec.address) || spec.address < 0 || !(spec.size >= 1 && spec.size <= 4096)) return fail(`Cannot watch ${spec.size} bytes at ${String(spec.address)}: watch 1 to 4096 bytes at an address.`);
      const physical = this.physicalRanges(spec);
      if (typeof physical === 'string') return fail(physical);
      const bp = this.makeBreakpoint('data', [], spec, {
        verified: true,
        message: spec.space === 'physical'
          ? `Watching writes to physical ${hex(spec.address)}-${hex(spec.address + spec.size - 1)}.`
          : `Watching writes to virtual ${hex(spec.address)}-${hex(spec.address + spec.size - 1)}${spec.pid !== undefined ? ` of pid ${spec.pid}` : ''}: physical ${physical.map((r) => hex(r.pa)).join(', ')} (where it maps now).`,
        locations: [],
      });
      if (bp.result.verified) for (const r of physical) ranges.push({ ...r, id: bp.id });
      return bp;
    });
    this.watch.set(ranges);
    return this.dataBreakpoints.map((b) => b.result);
  }

  private physicalRanges(spec: DataBreakpointSpec): { pa: number; size: number }[] | string {
    const m = this.m;
    if (spec.space === 'physical') {
      if (spec.address + spec.size > m.memory.size) return `Physical ${hex(spec.address)} is beyond physical memory (${hex(m.memory.size)} bytes).`;
      return [{ pa: spec.address, size: spec.size }];
    }
    let space = currentSpace(m);
    if (spec.pid !== undefined) {
      const p = this.kernel.processes(m).find((q) => q.pid === spec.pid && q.slot !== 0 && q.state !== P_FREE);
      if (!p || !p.pagetable) return `No process ${spec.pid} with a page table.`;
      space = { cr3: p.pagetable, paging: space.paging };
    }
    const out: { pa: number; size: number }[] = [];
    for (let at = spec.address; at < spec.address + spec.size;) {
      const n = Math.min(spec.address + spec.size - at, 4096 - (at % 4096));
      const pa = translate(m, space, at);
      if (pa === undefined) return `Virtual ${hex(at)} is not mapped${spec.pid !== undefined ? ` in pid ${spec.pid}` : ''}.`;
      out.push({ pa, size: n });
      at += n;
    }
    return out;
  }

  /** Evaluates the data breakpoints a watched write touched; stops the session (true) if one says so. */
  private dataBreakpointStops(hit: WatchHit): boolean {
    const stopping: { bp: Breakpoint; text: string }[] = [];
    for (const t of hit.touched) {
      const bp = this.dataBreakpoints.find((b) => b.id === t.range.id);
      if (!bp || stopping.some((x) => x.bp === bp)) continue;
      if (bp.condition) {
        const r = this.evaluator.evaluate(bp.condition, this.topContext(), this.conditionNames());
        if (!r.ok) this.emit({ kind: 'output', category: 'important', text: `Breakpoint ${bp.id} condition: ${r.message}\n` });
        else if (r.value === 0n) continue;
      }
      bp.hits++;
      if (bp.hitTest && !bp.hitTest(bp.hits)) continue;
      stopping.push({ bp, text: `${t.range.size} byte${t.range.size > 1 ? 's' : ''} at physical ${hex(t.range.pa)}: ${littleEndian(t.before)} -> ${littleEndian(t.after)}` });
    }
    if (stopping.length === 0) return false;
    this.stopped('data breakpoint', `Data breakpoint ${stopping.map((x) => x.bp.id).join(', ')}: ${stopping.map((x) => x.text).join('; ')} (written by the instruction before ${hex(this.m.cpu.rip)}${this.describeHere()}).`, {
      hit: stopping.map((x) => x.bp.id),
      text: stopping.map((x) => x.text).join('; '),
    });
    return true;
  }

  exceptionInfo(threadId: number): ExceptionInfo {
    this.checkThread(threadId);
    if (!this.stop?.exception) throw new DebugError('The machine did not stop at an exception.');
    return this.stop.exception;
  }

  // ------------------------------------------------------ threads, frames

  private currentThreadId(): number {
    const m = this.m;
    if (!isUser(m)) return KERNEL_THREAD_ID;
    const pid = this.kernel.currentPid(m);
    if (pid === undefined) return KERNEL_THREAD_ID;
    const procs = this.kernel.processes(m);
    return procs.some((p) => p.pid === pid && p.slot !== 0) ? pid : KERNEL_THREAD_ID;
  }

  private checkThread(threadId: number): void {
    const ids = this.threads().map((t) => t.id);
    if (!ids.includes(threadId)) throw new DebugError(`No thread ${threadId}: the threads are ${ids.join(', ')}.`);
  }

  threads(): ThreadRecord[] {
    const m = this.m;
    const user = isUser(m);
    const cur = this.kernel.currentPid(m);
    const out: ThreadRecord[] = [];
    const procs = this.kernel.processes(m).filter((p) => p.slot !== 0 && p.state !== P_FREE);
    const cpuIsProcess = user && procs.some((p) => p.pid === cur);
    if (!cpuIsProcess) out.push({ id: KERNEL_THREAD_ID, name: user ? 'CPU (user mode)' : 'kernel (CPU)', state: user ? 'running' : 'kernel' });
    for (const p of procs) {
      const running = user && p.pid === cur;
      const state = running ? 'running' : (STATE_NAMES[p.state] ?? `state ${p.state}`);
      const program = this.programOf(p.slot, p.pagetable, running);
      out.push({ id: p.pid, name: `pid ${p.pid}${program ? ` (${program})` : ''} ${state}`, pid: p.pid, state, ...(program ? { program } : {}) });
    }
    return out;
  }

  private programOf(slot: number, pagetable: number, running: boolean): string | undefined {
    const m = this.m;
    let rip: number;
    let space: Space;
    if (running) {
      rip = m.cpu.rip;
      space = currentSpace(m);
    } else {
      const at = this.kernel.savedRegistersAt(slot);
      const tf = at !== undefined ? readTrapFrame(m, { cr3: 0, paging: false }, at) : undefined;
      if (!tf || !pagetable) return undefined;
      rip = tf.rip;
      space = { cr3: pagetable, paging: true };
    }
    return this.map.imageAt(rip, true, (a, n) => readBytes(m, space, a, n))?.name;
  }

  /** The raw frames of a thread. */
  private threadFrames(threadId: number): RawFrame[] {
    const m = this.m;
    const env = this.env();
    const cpuStart = { rip: m.cpu.rip, registers: Array.from({ length: 16 }, (_, r) => cpuReg(m, r)), user: isUser(m), space: currentSpace(m) };
    if (threadId === KERNEL_THREAD_ID) {
      const pid = isUser(m) ? this.kernel.currentPid(m) : undefined;
      return unwind(env, { ...cpuStart, ...(pid !== undefined ? { pid } : {}) }, true);
    }
    const cur = this.kernel.currentPid(m);
    if (isUser(m) && cur === threadId) return unwind(env, { ...cpuStart, pid: threadId }, true);
    if (!isUser(m)) {
      // The process's user frames may be below a trap boundary on the kernel stack.
      const kernelFrames = unwind(env, cpuStart, true);
      const at = kernelFrames.findIndex((f) => f.trap?.fromUser && f.trap.pid === threadId);
      if (at >= 0) return kernelFrames.slice(at + 1);
    }
    const proc = this.kernel.processes(m).find((p) => p.pid === threadId && p.slot !== 0);
    if (!proc) return [];
    const regsAt = this.kernel.savedRegistersAt(proc.slot);
    const tf = regsAt !== undefined ? readTrapFrame(m, { cr3: 0, paging: false }, regsAt) : undefined;
    if (!tf) return [];
    const space: Space = proc.pagetable ? { cr3: proc.pagetable, paging: (m.cpu.cr0 & 0x80000000) !== 0 } : currentSpace(m);
    return unwind(env, { rip: tf.rip, registers: tf.registers, user: (tf.cs & 3) === 3, space, pid: threadId }, false);
  }

  /** The stack of a thread, innermost first. */
  stackTrace(threadId: number, startFrame = 0, levels = 0): { frames: StackFrameRecord[]; totalFrames: number } {
    if (this.phase === 'running') throw new DebugError('The machine is running: pause it first.');
    this.checkThread(threadId);
    const raw = this.threadFrames(threadId);
    const records = raw.map((f, i) => this.frameRecord(f, i, raw[0]?.live ?? false, frameIdOf(threadId, i)));
    for (const r of records) this.frames.set(r.id, r);
    const end = levels > 0 ? startFrame + levels : records.length;
    return { frames: records.slice(startFrame, end), totalFrames: records.length };
  }

  /** True if `frame(frameId)` has a frame to give at this stop. */
  hasFrame(frameId: number): boolean {
    try {
      this.frame(frameId);
      return true;
    } catch (e) {
      if (e instanceof DebugError) return false;
      throw e;
    }
  }

  /**
   * A frame of this stop. Frame ids name a thread and a depth (frameIdOf), the
   * same at every stop, so a client that asks about a frame of the previous
   * stop after the machine moved (VS Code's Variables view does, racing the
   * new stack trace) gets that thread's frame at that depth now, as it would
   * a moment later, not an error.
   */
  frame(frameId: number): StackFrameRecord {
    let f = this.frames.get(frameId);
    if (!f && this.phase === 'stopped') {
      const { threadId, depth } = frameIdParts(frameId);
      if (this.threads().some((t) => t.id === threadId)) {
        this.stackTrace(threadId);
        f = this.frames.get(frameIdOf(threadId, depth));
      }
    }
    if (!f) throw new DebugError(`No frame ${frameId} at this stop (the stack traces of this stop have no such frame).`);
    return f;
  }

  private frameRecord(f: RawFrame, index: number, live: boolean, id: number): StackFrameRecord {
    if (f.trap) {
      return { id, name: f.trap.name, line: 0, column: 0, instructionPointerReference: hex(f.rip), presentationHint: 'label', trap: f.trap };
    }
    const loc = f.image ? this.map.locate(f.image, f.lookup) : undefined;
    const row = loc?.row;
    const context: FrameContext = {
      machine: this.m, build: this.inspectBuild, rip: f.rip, registers: f.registers,
      cr3: f.space.cr3, paging: f.space.paging,
      // frameIndex 0 only for the frame whose registers are the CPU's own.
      frameIndex: live ? index : index + 1,
      ...(f.image ? { image: f.image.image } : {}),
      ...(f.pid !== undefined ? { pid: f.pid } : {}),
    };
    return {
      id,
      name: loc?.function?.fn.name ?? hex(f.rip),
      ...(row ? { source: row.range.start.file } : {}),
      line: row?.range.start.line ?? 0,
      column: row?.range.start.column ?? 0,
      instructionPointerReference: hex(f.rip),
      presentationHint: row ? 'normal' : 'subtle',
      ...(f.image ? { moduleName: f.image.name } : {}),
      context,
    };
  }

  /** The innermost frame of the CPU, for conditions. */
  topContext(): FrameContext {
    const m = this.m;
    const image = this.imageHere();
    const pid = this.kernel.currentPid(m);
    return {
      machine: m, build: this.inspectBuild, rip: m.cpu.rip,
      registers: Array.from({ length: 16 }, (_, r) => cpuReg(m, r)),
      cr3: currentSpace(m).cr3, paging: currentSpace(m).paging, frameIndex: 0,
      ...(image ? { image: image.image } : {}),
      ...(pid !== undefined ? { pid } : {}),
    };
  }
}

/** The INT_SYS_* macros of the kernel's files, as vector -> "sys_yield". */
function syscallNames(build: WeensyBuild): Map<number, string> {
  const names = new Map<number, string>([[48, 'sys_panic'], [49, 'sys_getpid'], [50, 'sys_yield'], [51, 'sys_page_alloc'], [52, 'sys_fork'], [53, 'sys_exit']]);
  for (const macros of build.macros.values()) {
    for (const [name, def] of macros) {
      const m = /^INT_SYS_([A-Z0-9_]+)$/.exec(name);
      const v = def.params === undefined ? /^\s*(0x[0-9a-fA-F]+|[0-9]+)\s*$/.exec(def.body) : null;
      if (m && v) names.set(Number(v[1]), `sys_${m[1]!.toLowerCase()}`);
    }
  }
  return names;
}

/** Addresses of the kernel's iret instructions (exception_return's, and any other). */
function findIrets(kernel: MappedImage): number[] {
  const out: number[] = [];
  for (const f of kernel.functions) {
    for (let at = f.fn.start; at < f.fn.end;) {
      const insn = decodeImage(kernel, at);
      if (!insn) break;
      if (insn.op === Op.IRET) out.push(at);
      at += insn.len;
    }
  }
  return out;
}

function readCString(m: Machine, space: Space, address: number, max = 200): string {
  let s = '';
  for (let i = 0; i < max; i++) {
    const b = readBytes(m, space, address + i, 1);
    if (!b || b[0] === 0) break;
    s += String.fromCharCode(b[0]!);
  }
  return s;
}

/** Bytes as one little-endian hex number ("0x1067"), or hex bytes when longer than 8. */
function littleEndian(bytes: Uint8Array): string {
  if (bytes.length > 8) return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return `0x${v.toString(16)}`;
}
