// Runs a WeensyOS kernel to a stop a person can understand: the one runner
// behind `weensy run` and `weensy check` (and, later, the debugger's
// "run to the end"). It boots the kernel, runs the machine in slices of
// instructions whose sizes depend only on the machine's state (so a run is
// the same whatever the display does between slices), presses keys at the
// first slice boundary after their tick (slices are small near a key's
// tick and near the tick limit), and stops by itself:
//
//  - poweroff     the kernel powered off (TICK_LIMIT reached, or 'q');
//  - panic        the kernel panicked (until 'panic' or 'fault'). Detected
//                 from the log: every panic goes through the support
//                 library's panic(), which writes "PANIC..." to the log as
//                 well as to row 23 (a process's panic ends in sys_panic,
//                 whose kernel side panics too); for a kernel whose own
//                 panic writes no log line, row 23 of the screen starting
//                 with "PANIC" counts too. The run stops at the end of the
//                 slice in which the panic line was completed;
//  - fault        a CPU exception, stopped before delivery (until 'fault');
//  - triple-fault the CPU shut down (with the machine's diagnosis);
//  - tick-limit   the kernel's `ticks` reached the limit asked for;
//  - spinning     the kernel ran many instructions without a timer tick or
//                 a user instruction: nothing is runnable, and schedule()
//                 (or fail() after a panic) loops on check_keyboard;
//  - halt         hlt with interrupts off;
//  - budget       the instruction safety net ran out;
//  - interrupted  the caller's progress callback asked to stop.
//
// Ticks are read from the kernel's `ticks` variable (4 bytes; the kernel's
// addresses are physical ones). A kernel without one gets an estimate: the
// timer interrupts the machine could have delivered (user instructions /
// instructions per tick).

import type { LinkedImage } from '../cc/link/link';
import { INT_PAGEFAULT } from '../machine/constants';
import { pageFaultBits } from '../machine/diagnosis';
import { vectorName, type CpuFault } from '../machine/fault';
import { hex } from '../machine/hex';
import type { Machine, StopReason } from '../machine/machine';
import { bootWeensyOS, WEENSY_INSTRUCTIONS_PER_TICK } from './boot-weensyos';

/** What, besides power-off and the machine's own stops, ends a run. */
export type WeensyUntil = 'panic' | 'fault' | 'poweroff';

export const WEENSY_UNTIL: readonly WeensyUntil[] = ['panic', 'fault', 'poweroff'];

export interface WeensyKey {
  /** The byte the keyboard delivers ('a', 'f', 'e', 'q', 3 for Ctrl-C...). */
  readonly key: number;
  /** Pressed once the kernel's tick count reaches this. */
  readonly tick: number;
}

export interface WeensyRunOptions {
  /** The kernel's command: undefined (first boot), 'allocator', 'fork' or 'forkexit'. */
  readonly command?: string;
  /** Stop once `ticks` reaches this (undefined or 0: no limit). */
  readonly tickLimit?: number;
  /** Default 'panic': stop at a panic. 'fault' also stops at any CPU exception; 'poweroff' at neither. */
  readonly until?: WeensyUntil;
  readonly keys?: readonly WeensyKey[];
  readonly instructionsPerTick?: number;
  /** The safety net: stop after this many instructions (default DEFAULT_MAX_INSTRUCTIONS). */
  readonly maxInstructions?: number;
  /** Instructions per slice (default 1,000,000). Runs with equal slices are identical. */
  readonly sliceInstructions?: number;
  /** Instructions without a tick or a user instruction that count as spinning (default DEFAULT_SPIN_INSTRUCTIONS). */
  readonly spinInstructions?: number;
  readonly jit?: boolean;
  /** Receives the log port's bytes (log_printf), in order. */
  readonly log?: (byte: number) => void;
  /** Called after every slice; returning false stops the run ('interrupted'). */
  readonly onSlice?: (progress: WeensyProgress) => boolean | void;
  /** Milliseconds, for the wall-time figures (default: performance.now). */
  readonly clock?: () => number;
}

export interface WeensyProgress {
  readonly machine: Machine;
  readonly ticks: number;
  /** True when the kernel has no `ticks` variable and `ticks` is an estimate. */
  readonly ticksEstimated: boolean;
  readonly instructions: number;
  readonly userInstructions: number;
  readonly elapsedMs: number;
}

export type WeensyStopKind =
  | 'poweroff'
  | 'panic'
  | 'fault'
  | 'triple-fault'
  | 'tick-limit'
  | 'spinning'
  | 'halt'
  | 'budget'
  | 'interrupted';

export interface WeensyFaultSummary {
  readonly vector: number;
  /** '#PF page fault' */
  readonly name: string;
  readonly errorCode?: number;
  /** Page faults: the error code in words ('not-present', 'write', 'user'). */
  readonly errorBits?: readonly string[];
  /** Page faults: CR2. */
  readonly address?: number;
  readonly rip: number;
  /** The fault happened in user mode. */
  readonly user: boolean;
  readonly message: string;
}

export interface WeensyRunSummary {
  readonly stop: WeensyStopKind;
  /** The stop in words, e.g. "The kernel powered off at tick 1000." */
  readonly message: string;
  readonly ticks: number;
  readonly ticksEstimated: boolean;
  readonly instructions: number;
  readonly userInstructions: number;
  readonly wallMs: number;
  readonly instructionsPerSecond: number;
  /** The panic line ("PANIC: ..."), when the kernel panicked (whatever stopped the run). */
  readonly panic?: string;
  /** The last CPU exception raised (delivered or not). */
  readonly lastFault?: WeensyFaultSummary;
  /** The triple fault's diagnosis. */
  readonly diagnosis?: string;
  readonly machine: Machine;
}

/** Instructions a run may take by default: several minutes of emulation. */
export const DEFAULT_MAX_INSTRUCTIONS = 20_000_000_000;
/**
 * Kernel instructions without a tick or a user instruction that mean the
 * kernel is spinning. Booting (loading six programs, building page tables)
 * and the busiest trap (every invariant check plus a memory dump) take a few
 * million; this is ten times more than either.
 */
export const DEFAULT_SPIN_INSTRUCTIONS = 100_000_000;
const DEFAULT_SLICE = 1_000_000;
/** Slices near a key's tick or the tick limit, so that the run gets there closely. */
const FINE_SLICE = 1_000;

const PANIC_LINE = /(?:^|\s)(PANIC(?::.*)?)$/;
const PANIC_ROW = 23;

/** Where the kernel keeps its tick count: the `ticks` object (4 bytes), kernel.c's if several. */
export function ticksAddress(kernel: Pick<LinkedImage, 'symbolList'>): number | undefined {
  const candidates = kernel.symbolList.filter((s) => s.name === 'ticks' && s.kind === 'object' && s.size === 4);
  const best = candidates.find((s) => s.module?.endsWith('kernel.c')) ?? candidates[0];
  return best?.address;
}

export function summarizeFault(f: CpuFault, rip: number, user: boolean): WeensyFaultSummary {
  return {
    vector: f.vector,
    name: vectorName(f.vector),
    ...(f.errorCode !== undefined ? { errorCode: f.errorCode } : {}),
    ...(f.vector === INT_PAGEFAULT && f.errorCode !== undefined ? { errorBits: pageFaultBits(f.errorCode) } : {}),
    ...(f.va !== undefined ? { address: f.va } : {}),
    rip,
    user,
    message: f.message,
  };
}

/** One sentence for a fault: "#PF page fault at rip 0x100024 (user mode), address 0x2ff000, error code 0x6 (not-present, write, user): ..." */
export function describeWeensyFault(f: WeensyFaultSummary): string {
  const code = f.errorCode !== undefined ? `, error code ${hex(f.errorCode)}${f.errorBits ? ` (${f.errorBits.join(', ')})` : ''}` : '';
  const address = f.address !== undefined ? `, address ${hex(f.address)}` : '';
  return `${f.name} at rip ${hex(f.rip)} (${f.user ? 'user' : 'kernel'} mode)${address}${code}: ${f.message}`;
}

/**
 * A WeensyOS run in progress: `advance()` runs one slice and returns the
 * summary once the run has stopped. `runWeensyOS` drives it to the end;
 * an interactive front end can drive it between its own events.
 */
export class WeensyRun {
  readonly machine: Machine;
  private readonly until: WeensyUntil;
  private readonly tickLimit: number;
  private readonly maxInstructions: number;
  private readonly slice: number;
  private readonly spin: number;
  private readonly ticksAt: number | undefined;
  private readonly instructionsPerTick: number;
  private readonly keys: WeensyKey[];
  private readonly clock: () => number;
  private readonly started: number;
  private logLine: number[] = [];
  private panicLine: string | undefined;
  /** The instruction count when a user instruction or a tick last happened. */
  private progressAt = 0;
  private lastUser = -1;
  private lastTicks = -1;
  /** Instructions per tick, as the last slice in which ticks advanced saw it. */
  private perTick = Infinity;
  /** The last fault seen, with the rip and mode it happened at. */
  private seenFault: { fault: CpuFault; rip: number; user: boolean } | undefined;
  private result: WeensyRunSummary | undefined;

  constructor(
    kernel: LinkedImage,
    private readonly options: WeensyRunOptions = {},
  ) {
    this.until = options.until ?? 'panic';
    this.tickLimit = options.tickLimit ?? 0;
    this.maxInstructions = options.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
    this.slice = options.sliceInstructions ?? DEFAULT_SLICE;
    this.spin = options.spinInstructions ?? DEFAULT_SPIN_INSTRUCTIONS;
    this.instructionsPerTick = options.instructionsPerTick ?? WEENSY_INSTRUCTIONS_PER_TICK;
    this.keys = [...(options.keys ?? [])].sort((a, b) => a.tick - b.tick);
    this.clock = options.clock ?? (() => performance.now());
    this.ticksAt = ticksAddress(kernel);
    const userLog = options.log;
    this.machine = bootWeensyOS(kernel, {
      ...(options.command !== undefined ? { command: options.command } : {}),
      instructionsPerTick: this.instructionsPerTick,
      ...(options.jit !== undefined ? { jit: options.jit } : {}),
      output: {
        log: (b) => {
          userLog?.(b);
          this.onLogByte(b);
        },
      },
    });
    this.started = this.clock();
  }

  /** The kernel's tick count now (an estimate without a `ticks` variable). */
  get ticks(): number {
    if (this.ticksAt !== undefined) return this.machine.memory.read32(this.ticksAt) >>> 0;
    return Math.floor(this.machine.userIcount / this.instructionsPerTick);
  }

  get ticksEstimated(): boolean {
    return this.ticksAt === undefined;
  }

  /** The first panic line seen so far, if any. */
  get panic(): string | undefined {
    return this.panicLine;
  }

  /** The summary, once the run has stopped. */
  get summary(): WeensyRunSummary | undefined {
    return this.result;
  }

  private onLogByte(b: number): void {
    if (b === 10) {
      this.checkPanicLine();
      this.logLine = [];
    } else if (this.logLine.length < 1000) {
      this.logLine.push(b);
    }
  }

  private checkPanicLine(): void {
    if (this.panicLine !== undefined || this.logLine.length === 0) return;
    const m = PANIC_LINE.exec(String.fromCharCode(...this.logLine).trimEnd());
    if (m) this.panicLine = m[1]!.trim();
  }

  /** A panic that only shows on the screen (a kernel whose panic writes no log). */
  private screenPanic(): string | undefined {
    const m = this.machine.memory;
    let row = '';
    for (let c = 0; c < 80; c++) {
      const ch = m.read8(0xb8000 + 2 * (PANIC_ROW * 80 + c));
      row += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : ' ';
    }
    row = row.trimEnd();
    return /^PANIC(:|$)/.test(row) ? row : undefined;
  }

  private progress(): WeensyProgress {
    const m = this.machine;
    return {
      machine: m,
      ticks: this.ticks,
      ticksEstimated: this.ticksEstimated,
      instructions: m.icount,
      userInstructions: m.userIcount,
      elapsedMs: this.clock() - this.started,
    };
  }

  /** Runs one slice; returns the summary when the run is over (and on every later call). */
  advance(): WeensyRunSummary | undefined {
    if (this.result) return this.result;
    const m = this.machine;
    // Keys whose tick has come arrive now.
    const ticksBefore = this.ticks;
    const icountBefore = m.icount;
    while (this.keys.length > 0 && this.keys[0]!.tick <= ticksBefore) m.devices.pressKey(this.keys.shift()!.key, m.icount);
    if (this.tickLimit > 0 && ticksBefore >= this.tickLimit) {
      return this.finish('tick-limit', `Stopped at tick ${ticksBefore}, the tick limit.`);
    }
    const left = this.maxInstructions - m.icount;
    if (left <= 0) return this.finish('budget', `Stopped after ${m.icount.toLocaleString('en-US')} instructions, the most a run may take (--max-instructions).`);
    const until = this.until;
    // Small slices when a key's tick or the tick limit may come within the next slice (judging by
    // the instructions per tick so far): keys are pressed, and the run stops, at the first slice
    // boundary after the tick.
    let slice = this.slice;
    const target = Math.min(this.keys[0]?.tick ?? Infinity, this.tickLimit > 0 ? this.tickLimit : Infinity);
    if (target !== Infinity) {
      const ahead = target - ticksBefore;
      if (ahead <= 2 || ahead * this.perTick <= 2 * this.slice) slice = Math.min(FINE_SLICE, this.slice);
    }
    const stop: StopReason = m.run(Math.min(slice, left), {
      stopOnFault: (fault) => {
        this.seenFault = { fault, rip: m.cpu.rip, user: (m.cpu.cs & 3) === 3 };
        return until === 'fault';
      },
    });
    const ticks = this.ticks;
    if (ticks > ticksBefore) this.perTick = (m.icount - icountBefore) / (ticks - ticksBefore);
    if (m.userIcount !== this.lastUser || ticks !== this.lastTicks) {
      this.lastUser = m.userIcount;
      this.lastTicks = ticks;
      this.progressAt = m.icount;
    }
    // A panic line the log has not finished when the machine stopped, or one only the screen shows.
    if (this.panicLine === undefined && stop.kind !== 'budget') this.checkPanicLine();
    if (this.panicLine === undefined) this.panicLine = this.screenPanic();
    switch (stop.kind) {
      case 'poweroff':
        return this.finish('poweroff', this.panicLine !== undefined ? `The kernel panicked, then powered off at tick ${ticks}.` : `The kernel powered off at tick ${ticks}.`);
      case 'shutdown':
        return this.finish('triple-fault', `The CPU shut down (triple fault) at tick ${ticks}.`, stop.diagnosis.text);
      case 'fault': {
        const f = summarizeFault(stop.fault, m.cpu.rip, (m.cpu.cs & 3) === 3);
        return this.finish('fault', `Stopped at a fault at tick ${ticks}, before the CPU delivered it: ${describeWeensyFault(f)}.`);
      }
      case 'halt':
        return this.finish('halt', `The CPU halted with interrupts off at tick ${ticks}: nothing can wake it.`);
      case 'exit':
      case 'breakpoint':
        return this.finish('interrupted', `Stopped (${stop.kind}) at tick ${ticks}.`);
      case 'budget':
        break;
    }
    if (this.panicLine !== undefined && until !== 'poweroff') return this.finish('panic', `The kernel panicked at tick ${ticks}: ${this.panicLine}`);
    if (m.icount - this.progressAt >= this.spin) {
      const what =
        this.panicLine !== undefined
          ? 'after its panic, it waits for a key'
          : 'no process is runnable and the scheduler loops, or the kernel is stuck in a loop of its own';
      return this.finish(
        'spinning',
        `The kernel ran ${(m.icount - this.progressAt).toLocaleString('en-US')} instructions at tick ${ticks} without a timer tick or a user instruction: ${what}.`,
      );
    }
    if (this.tickLimit > 0 && ticks >= this.tickLimit) return this.finish('tick-limit', `Stopped at tick ${ticks}, the tick limit.`);
    if (this.options.onSlice?.(this.progress()) === false) return this.finish('interrupted', `Interrupted at tick ${ticks}.`);
    return undefined;
  }

  /** Stops the run now (a front end's Ctrl-C), if it is still going. */
  interrupt(): WeensyRunSummary {
    return this.result ?? this.finish('interrupted', `Interrupted at tick ${this.ticks}.`);
  }

  private finish(stop: WeensyStopKind, message: string, diagnosis?: string): WeensyRunSummary {
    const m = this.machine;
    const wallMs = this.clock() - this.started;
    const f = m.pendingFault ?? m.lastFault;
    const seen = this.seenFault?.fault === f ? this.seenFault : undefined;
    this.result = {
      stop,
      message,
      ticks: this.ticks,
      ticksEstimated: this.ticksEstimated,
      instructions: m.icount,
      userInstructions: m.userIcount,
      wallMs,
      instructionsPerSecond: wallMs > 0 ? (m.icount * 1000) / wallMs : 0,
      ...(this.panicLine !== undefined ? { panic: this.panicLine } : {}),
      ...(f ? { lastFault: summarizeFault(f, seen?.rip ?? m.cpu.rip, seen?.user ?? (m.cpu.cs & 3) === 3) } : {}),
      ...(diagnosis !== undefined ? { diagnosis } : {}),
      machine: m,
    };
    return this.result;
  }

}

/** Boots `kernel` and runs it until it stops by itself (see the top of this file). */
export function runWeensyOS(kernel: LinkedImage, options: WeensyRunOptions = {}): WeensyRunSummary {
  const run = new WeensyRun(kernel, options);
  for (;;) {
    const s = run.advance();
    if (s) return s;
  }
}
