import { bootDemo, consoleText, DEMO_TICK_LIMIT, readConsole, type StopReason } from '../emulator/index';
import { renderConsoleAnsi } from './render-console';

export interface DemoOptions {
  json: boolean;
  color: boolean;
  /** Redraw the screen while running (an interactive terminal). */
  live: boolean;
  maxInstructions: number;
  out: NodeJS.WritableStream;
}

/** Instructions per slice between redraws when not watching: as fast as possible. */
const SLICE = 20_000;
/** When watching: instructions per frame and frame time, so the ~35,000-instruction demo plays for about a second. */
const LIVE_SLICE = 1_000;
const LIVE_FRAME_MS = 33;

/** Blocks the (single-threaded, CLI) process for `ms` milliseconds without busy-waiting. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `weensy demo`: boots the demonstration kernel, shows its CGA screen in the
 * terminal (live when interactive), and stops when the kernel powers off.
 * Returns the process exit code.
 */
export function runDemo(opts: DemoOptions): number {
  const log: number[] = [];
  const m = bootDemo({ output: { log: (b) => log.push(b) } });
  const draw = (final: boolean): void => {
    const screen = readConsole(m.memory);
    const lines = opts.color ? renderConsoleAnsi(screen) : consoleText(screen);
    if (opts.live) opts.out.write('\x1b[H\x1b[2J');
    if (opts.live || final) opts.out.write(lines.join('\n') + '\n');
  };
  let stop: StopReason = { kind: 'budget' };
  let remaining = opts.maxInstructions;
  const slice = opts.live ? LIVE_SLICE : SLICE;
  while (remaining > 0) {
    stop = m.run(Math.min(slice, remaining));
    remaining -= slice;
    if (stop.kind !== 'budget') break;
    if (opts.live) {
      draw(false);
      sleep(LIVE_FRAME_MS);
    }
  }
  const tlb = m.mmu.tlb.counters;
  const summary = {
    stop: stop.kind,
    instructions: m.icount,
    userInstructions: m.userIcount,
    tickLimit: DEMO_TICK_LIMIT,
    tlb: { hits: tlb.hits, misses: tlb.misses, flushes: tlb.flushes, hitRate: tlb.hits / Math.max(1, tlb.hits + tlb.misses) },
    lastFault: m.lastFault ? { vector: m.lastFault.vector, errorCode: m.lastFault.errorCode, message: m.lastFault.message } : null,
    screen: consoleText(readConsole(m.memory)),
    ...(stop.kind === 'shutdown' ? { diagnosis: stop.diagnosis.text } : {}),
  };
  if (opts.json) {
    opts.out.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    draw(true);
    opts.out.write(
      `\n${stop.kind === 'poweroff' ? 'The kernel powered off' : `Stopped (${stop.kind})`} after ${m.icount.toLocaleString('en-US')} instructions ` +
        `(${m.userIcount.toLocaleString('en-US')} in user mode); TLB ${tlb.hits} hits, ${tlb.misses} misses, ${tlb.flushes} flushes.\n`,
    );
    if (m.lastFault) opts.out.write(`Last fault: ${m.lastFault.message}\n`);
    if (stop.kind === 'shutdown') opts.out.write(stop.diagnosis.text + '\n');
  }
  return stop.kind === 'poweroff' ? 0 : 1;
}
