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

/** Instructions per slice between redraws; small enough to feel live. */
const SLICE = 20_000;

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
  while (remaining > 0) {
    stop = m.run(Math.min(SLICE, remaining));
    remaining -= SLICE;
    if (stop.kind !== 'budget') break;
    if (opts.live && !opts.json) draw(false);
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
