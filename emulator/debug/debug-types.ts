// The debugger's typed contract: what a front end (the DAP adapter, tests)
// gives a DebugSession and what it gets back. Shaped after the Debug Adapter
// Protocol (ids, events, breakpoint results, stack frames), but it imports
// nothing of DAP: the adapter translates these records one to one.
//
// Inspection (variables, evaluation, memory, disassembly) works on the
// FrameContext records of emulator/debug/inspect/frame-context.ts; every
// stack frame the session reports carries one.

import type { Diagnostic } from '../cc/diagnostic';
import type { SourceHost } from '../cc/source';
import type { WeensyVariant } from '../weensyos/build-weensyos';
import type { FrameContext } from './inspect/frame-context';

// ---------------------------------------------------------------- launching

export interface LaunchOptions {
  /** Reads the workspace's files (and the kernel file). */
  readonly host: SourceHost;
  /** The workspace folder whose files replace built-in ones ('' or undefined: the bundled reference kernel). */
  readonly workspace?: string;
  /** The kernel file (default: the workspace's kernel.c, else the built-in reference kernel). */
  readonly kernel?: string;
  /** The boot command: undefined (first boot), 'allocator', 'fork' or 'forkexit'. */
  readonly command?: string;
  /** -D definitions, e.g. { TICK_LIMIT: '1000' }. */
  readonly defines?: Readonly<Record<string, string>>;
  readonly variant?: WeensyVariant;
  /**
   * Stop before running: true or 'kernel' stops at the first line of kernel();
   * 'boot' stops at the first instruction (entry_from_boot). Default false.
   */
  readonly stopOnEntry?: boolean | 'kernel' | 'boot';
  /** User-mode instructions per timer tick (default WEENSY_INSTRUCTIONS_PER_TICK). */
  readonly instructionsPerTick?: number;
  /** Run the machine with or without its block translator (default: the machine's default). */
  readonly jit?: boolean;
  /** Evaluates breakpoint conditions, hit-count-free logpoint expressions and exception-filter conditions (default: defaultConditionEvaluator). */
  readonly evaluator?: ConditionEvaluator;
}

/** A failed launch: the compiler's located diagnostics (a DebugError is never thrown for bad sources). */
export interface LaunchFailure {
  readonly ok: false;
  readonly message: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** A request the session cannot carry out, with a message for the user. */
export class DebugError extends Error {
  constructor(
    /** One sentence for the user ("No thread 7: threads are 1, 2, 3 and 100."). */
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = 'DebugError';
  }
}

// ------------------------------------------------------------------ events

export type StopReasonName =
  | 'entry'
  | 'breakpoint'
  | 'function breakpoint'
  | 'data breakpoint'
  | 'instruction breakpoint'
  | 'exception'
  | 'step'
  | 'pause';

export type OutputCategory = 'console' | 'stdout' | 'important';

export type SessionEvent =
  | {
      readonly kind: 'stopped';
      readonly reason: StopReasonName;
      readonly threadId: number;
      /** A sentence for the UI ("Paused: no process is runnable; the kernel spins in schedule()"). */
      readonly description: string;
      /** Extra text (the exception's message), shown beside the reason. */
      readonly text?: string;
      readonly hitBreakpointIds: readonly number[];
      readonly allThreadsStopped: true;
      /** The machine's instruction count at the stop (for determinism checks and the UI). */
      readonly icount: number;
    }
  | { readonly kind: 'continued'; readonly threadId: number; readonly allThreadsContinued: true }
  /** The kernel log (stdout), logpoints (console), and the session's own notes (important). */
  | { readonly kind: 'output'; readonly category: OutputCategory; readonly text: string }
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'terminated' }
  /** Everything shown for the stopped machine is out of date (restart, memory written). */
  | { readonly kind: 'invalidated'; readonly areas: readonly ('all' | 'threads' | 'stacks' | 'variables')[] }
  | { readonly kind: 'thread'; readonly reason: 'started' | 'exited'; readonly threadId: number }
  /** A breakpoint changed (verified, moved) after it was set. */
  | { readonly kind: 'breakpoint'; readonly reason: 'changed' | 'new' | 'removed'; readonly breakpoint: BreakpointResult };

// ------------------------------------------------------------- breakpoints

/** Shared by every kind: a C condition, a hit condition ("3", ">= 3", "% 2"). */
export interface BreakpointOptions {
  readonly condition?: string;
  readonly hitCondition?: string;
}

export interface SourceBreakpointSpec extends BreakpointOptions {
  readonly line: number;
  readonly column?: number;
  /** A logpoint: prints this (with {expression} interpolated) instead of stopping. */
  readonly logMessage?: string;
}

export interface FunctionBreakpointSpec extends BreakpointOptions {
  /** A function name ("virtual_memory_map", a static one too), optionally "file.c::name" or "p-fork::name". */
  readonly name: string;
}

export interface InstructionBreakpointSpec extends BreakpointOptions {
  /** A memory reference ("0x41b79") or a number. */
  readonly instructionReference: string | number;
  readonly offset?: number;
}

export type ExceptionFilterId = 'pagefault-user' | 'pagefault-kernel' | 'gpf' | 'triple-fault' | 'panic' | 'unexpected';

export interface ExceptionFilterSpec {
  readonly filterId: ExceptionFilterId;
  /** A condition over cr2, err, write, user, present, pid, rip (and anything the evaluator knows). */
  readonly condition?: string;
}

/** What the session offers as exception filters (for DAP's exceptionBreakpointFilters). */
export interface ExceptionFilterDescription {
  readonly filter: ExceptionFilterId;
  readonly label: string;
  readonly description: string;
  readonly default: boolean;
  readonly supportsCondition: true;
  readonly conditionDescription: string;
}

export interface DataBreakpointSpec extends BreakpointOptions {
  /** The first byte watched. */
  readonly address: number;
  readonly size: number;
  /** 'physical', or 'virtual' in the address space of `pid` (default: the current one). */
  readonly space: 'physical' | 'virtual';
  readonly pid?: number;
  readonly accessType: 'write' | 'read' | 'readWrite';
}

export interface BreakpointResult {
  readonly id: number;
  readonly verified: boolean;
  /** Why it is not verified, or where it moved. */
  readonly message?: string;
  /** The source path and line it resolved to (after moving to a statement). */
  readonly source?: string;
  readonly line?: number;
  readonly column?: number;
  /** The first address it is set at ("0x41b8a"). */
  readonly instructionReference?: string;
  /** Every address, with the image each belongs to. */
  readonly locations: readonly BreakpointLocation[];
}

export interface BreakpointLocation {
  /** 'kernel' or a program name ('p-allocator3'). */
  readonly image: string;
  readonly address: number;
}

// ------------------------------------------------------ threads and frames

/** The thread of the CPU's kernel context (process threads have their pid as id). */
export const KERNEL_THREAD_ID = 100;

export interface ThreadRecord {
  readonly id: number;
  /** "pid 2 (p-allocator2) runnable", "kernel (CPU)". */
  readonly name: string;
  readonly pid?: number;
  /** 'runnable', 'blocked', 'broken', 'running' (executing now in user mode), 'kernel'. */
  readonly state: string;
  readonly program?: string;
}

export interface StackFrameRecord {
  readonly id: number;
  /** "virtual_memory_map", or for a trap boundary "system call sys_yield from pid 1". */
  readonly name: string;
  /** The source file as the build names it (a workspace path or "<weensyos>/k-hardware.c"). */
  readonly source?: string;
  readonly line: number;
  readonly column: number;
  /** The frame's instruction address ("0x41b8a"). */
  readonly instructionPointerReference: string;
  /** 'label' for the frame marking a trap boundary, 'subtle' for code without source. */
  readonly presentationHint: 'normal' | 'label' | 'subtle';
  /** 'kernel' or a program name. */
  readonly moduleName?: string;
  /** What inspection needs for this frame; absent on trap-boundary label frames. */
  readonly context?: FrameContext;
  /** The trap, on a trap-boundary frame. */
  readonly trap?: TrapRecord;
}

export interface TrapRecord {
  readonly vector: number;
  /** "system call sys_yield", "page fault", "timer interrupt". */
  readonly name: string;
  readonly errorCode: number;
  /** The physical (= kernel virtual) address of the x86_64_registers frame. */
  readonly frameAddress: number;
  readonly fromUser: boolean;
  readonly pid?: number;
}

// --------------------------------------------------------- exception info

export interface ExceptionInfo {
  /** The filter that stopped ('pagefault-user', ...). */
  readonly exceptionId: ExceptionFilterId;
  /** One sentence: "Page fault in pid 3 at 0x2ff000 (write, not-present)". */
  readonly description: string;
  readonly breakMode: 'always';
  readonly details: ExceptionDetails;
}

export interface ExceptionDetails {
  readonly vector: number;
  /** '#PF page fault'. */
  readonly name: string;
  readonly rip: number;
  readonly user: boolean;
  readonly pid?: number;
  readonly errorCode?: number;
  /** The error code in words: 'not-present' | 'protection violation', 'read' | 'write', 'user' | 'kernel', ... */
  readonly errorBits?: readonly string[];
  /** Page faults: the faulting address (what CR2 receives). */
  readonly cr2?: number;
  /** The failing step of the walk: "L4 entry 255 (empty) of the table at 0x9000 is not present". */
  readonly walkStep?: string;
  /** The machine's sentence about the fault (or the panic message, the triple-fault diagnosis). */
  readonly message: string;
}

// -------------------------------------------------------------- conditions

/** The result of evaluating a condition or a logpoint expression. */
export type EvaluationResult =
  | { readonly ok: true; readonly value: bigint; /** How to print it in a logpoint. */ readonly display: string }
  | { readonly ok: false; readonly message: string };

/**
 * Evaluates C expressions for breakpoint conditions, logpoints and
 * exception-filter conditions. `names` holds values the session provides
 * beyond the frame: `pid` always (when known), and for exception filters
 * cr2, err, write, user, present, rip. The inspection side provides the full
 * C evaluator; defaultConditionEvaluator handles integers, names and operators.
 */
export interface ConditionEvaluator {
  evaluate(expression: string, frame: FrameContext, names: ReadonlyMap<string, bigint>): EvaluationResult;
}

// --------------------------------------------------------------- stepping

export type StepGranularity = 'line' | 'instruction';
