// `weensy run`: builds a WeensyOS kernel (the built-in reference kernel, or
// --kernel FILE|DIR), boots it and runs it until it stops by itself (power
// off, panic, fault, triple fault, a kernel with nothing to run, the tick
// limit). On a terminal the CGA screen is drawn live with a progress line,
// and keys typed are passed to the kernel (a, f, e, q; Ctrl-C stops the
// run); otherwise the final screen is printed. --log writes the log port's
// bytes exactly as the kernel wrote them (the course grader's log.txt).
// Exit status: 0 for a run that powered off or reached the tick limit
// without a panic, 1 for compile errors, 2 for usage errors, 3 for a run
// that panicked, faulted, triple-faulted, hung or ran out of instructions.

import { closeSync, openSync, writeSync } from 'node:fs';
import { consoleText, readConsole, WeensyRun, describeWeensyFault, type WeensyRunSummary } from '../emulator/index';
import { renderConsoleAnsi } from './render-console';
import type { RunArgs, ScreenMode } from './weensyos-args';
import { buildKernel, kernelSource } from './weensyos-build';

export interface RunIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** stdout is a terminal: draw live. */
  readonly tty: boolean;
  /** A terminal to read keys from while drawing live (raw mode). */
  readonly keyboard?: NodeJS.ReadStream;
}

/** Ticks `weensy run` stops at when neither --ticks nor -DTICK_LIMIT says. */
export const DEFAULT_RUN_TICKS = 1000;
/** Milliseconds between live frames. */
const FRAME_MS = 50;

export const EXIT_RUN_FAILED = 3;

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const mips = (ips: number): string => `${(ips / 1e6).toFixed(1)} million instructions/s`;

/** The exit status for a finished run. */
export function runStatus(s: WeensyRunSummary): number {
  const fine = (s.stop === 'poweroff' || s.stop === 'tick-limit' || s.stop === 'interrupted') && s.panic === undefined;
  return fine ? 0 : EXIT_RUN_FAILED;
}

/** The ticks limit a run gets: --ticks, else none when the kernel has its own TICK_LIMIT, else the default. */
export function effectiveTicks(args: Pick<RunArgs, 'ticks' | 'defines'>): number {
  if (args.ticks !== undefined) return args.ticks;
  const limit = Number(args.defines.get('TICK_LIMIT') ?? '0');
  return Number.isFinite(limit) && limit > 0 ? 0 : DEFAULT_RUN_TICKS;
}

function screenLines(run: WeensyRun, mode: ScreenMode): string[] {
  const screen = readConsole(run.machine.memory);
  return mode === 'ansi' ? renderConsoleAnsi(screen) : consoleText(screen);
}

function progressLine(run: WeensyRun, elapsedMs: number): string {
  const m = run.machine;
  const rate = elapsedMs > 0 ? (m.icount * 1000) / elapsedMs : 0;
  return (
    `tick ${run.ticks}${run.ticksEstimated ? ' (estimated)' : ''} | ${n(m.icount)} instructions (${n(m.userIcount)} user) | ` +
    `${(rate / 1e6).toFixed(1)} MIPS | ${seconds(elapsedMs)}`
  );
}

/** The summary as JSON-ready data (no machine). */
export function summaryJson(s: WeensyRunSummary, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    stop: s.stop,
    message: s.message,
    ticks: s.ticks,
    ticksEstimated: s.ticksEstimated,
    instructions: s.instructions,
    userInstructions: s.userInstructions,
    wallMs: Math.round(s.wallMs),
    instructionsPerSecond: Math.round(s.instructionsPerSecond),
    panic: s.panic ?? null,
    lastFault: s.lastFault ? { ...s.lastFault, description: describeWeensyFault(s.lastFault) } : null,
    diagnosis: s.diagnosis ?? null,
    ...extra,
  };
}

/** The lines after the screen: how the run stopped and how fast it went. */
export function summaryText(s: WeensyRunSummary, buildMs: number): string[] {
  const lines = [s.message];
  if (s.panic !== undefined && !s.message.includes(s.panic)) lines.push(`Panic: ${s.panic}`);
  lines.push(
    `${n(s.instructions)} instructions (${n(s.userInstructions)} in user mode) in ${seconds(s.wallMs)}: ${mips(s.instructionsPerSecond)}; ` +
      `${s.ticksEstimated ? 'about ' : ''}${s.ticks} ticks. Build: ${seconds(buildMs)}.`,
  );
  if (s.lastFault) lines.push(`Last fault: ${describeWeensyFault(s.lastFault)}`);
  if (s.diagnosis) lines.push(s.diagnosis);
  return lines;
}

/** Collects log bytes and writes them to a file in chunks. */
class LogFile {
  private readonly fd: number;
  private chunk: number[] = [];
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  push(b: number): void {
    this.chunk.push(b);
    if (this.chunk.length >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.chunk.length > 0) writeSync(this.fd, Buffer.from(this.chunk));
    this.chunk = [];
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export async function runRun(args: RunArgs, io: RunIo): Promise<number> {
  const source = kernelSource(args.kernel);
  const built = buildKernel(source, args, io.err);
  if (!built) return 1;
  const screen: ScreenMode = args.screen ?? (io.tty ? 'ansi' : 'text');
  const live = io.tty && !args.json && screen !== 'none';
  let log: LogFile | undefined;
  try {
    log = args.log !== undefined ? new LogFile(args.log) : undefined;
  } catch (e) {
    io.err.write(`weensy run: cannot write the log to ${args.log}: ${(e as Error).message}\n`);
    return 1;
  }
  const run = new WeensyRun(built.kernel, {
    ...(args.command !== undefined ? { command: args.command } : {}),
    tickLimit: effectiveTicks(args),
    until: args.until,
    keys: args.keys,
    ...(args.instructionsPerTick !== undefined ? { instructionsPerTick: args.instructionsPerTick } : {}),
    ...(args.maxInstructions !== undefined ? { maxInstructions: args.maxInstructions } : {}),
    ...(log ? { log: (b: number) => log!.push(b) } : {}),
  });

  let summary: WeensyRunSummary | undefined;
  const started = performance.now();
  if (live) {
    let interrupted = false;
    const kb = io.keyboard;
    const onKey = (data: Buffer): void => {
      for (const b of data) {
        if (b === 3) interrupted = true;
        else run.machine.devices.pressKey(b, run.machine.icount);
      }
    };
    if (kb?.isTTY) {
      kb.setRawMode(true);
      kb.on('data', onKey);
      kb.resume();
    }
    io.out.write('\x1b[2J');
    let lastFrame = -Infinity;
    try {
      while (!summary) {
        summary = run.advance();
        if (!summary && interrupted) summary = run.interrupt();
        const now = performance.now();
        if (summary || now - lastFrame >= FRAME_MS) {
          lastFrame = now;
          io.out.write(`\x1b[H${screenLines(run, screen).join('\n')}\n\x1b[K${progressLine(run, now - started)}\n`);
          log?.flush();
          // Lets key presses (and Ctrl-C) in.
          if (!summary) await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      if (kb?.isTTY) {
        kb.off('data', onKey);
        kb.setRawMode(false);
        kb.pause();
      }
    }
  } else {
    while (!summary) summary = run.advance();
  }
  log?.close();

  if (args.json) {
    const json = summaryJson(summary, {
      kernel: source.label,
      buildMs: Math.round(built.buildMs),
      ...(args.log !== undefined ? { log: args.log } : {}),
      screen: consoleText(readConsole(run.machine.memory)),
    });
    io.out.write(JSON.stringify(json, null, 2) + '\n');
  } else {
    if (!live && screen !== 'none') io.out.write(screenLines(run, screen).join('\n') + '\n');
    io.out.write('\n' + summaryText(summary, built.buildMs).join('\n') + '\n');
  }
  return runStatus(summary);
}
