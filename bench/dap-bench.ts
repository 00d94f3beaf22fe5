// Debugger latency for `npm run bench`, against the real adapter process:
// `node dist/debug-adapter.js` spawned beside this bundle and driven over
// stdio by @vscode/debugadapter-testsupport's DebugClient, as the adapter's
// tests drive it. The reference kernel is launched with command "allocator"
// (four processes). Each figure is wall time on this side of the pipe, so it
// includes JSON framing both ways and the adapter's event loop:
//
// - launch to first stop: `initialize` sent to the first `stopped` event
//   (stopOnEntry: kernel()'s first line), a fresh adapter process per run,
//   with the requests VS Code sends in between (launch, exception filters,
//   configurationDone). Building the kernel and the six programs dominates.
// - `next`: request sent to the `stopped` event it ends in, first in
//   p-allocator.c (process 4, all four processes alive; a step over
//   sys_yield() or across a timer tick runs the kernel and the other
//   processes: a million instructions or more, so the figures are bimodal
//   and the note gives both sides), then in kernel.c's exception() (from
//   its first line until a step leaves the kernel, again from the next
//   trap; the steps over check_virtual_memory and the memshow calls are the
//   slow ones), then in p-allocator.c again with the panel open: once a
//   client asks for a snapshot the adapter records one at every stop (for
//   weensy/diff). The machine is deterministic, so each run times the same
//   steps.
// - `weensy/snapshot`: the panel's snapshot request, request to response,
//   with the four processes alive.
//
// Medians over N, with p90 and the slowest in the note; nothing here is a
// pass/fail threshold (tests decide), but a wrong stop is reported as a problem.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { weensyosFile } from '../emulator/index';
import type { CustomResponseBody } from '../debug-adapter/custom-requests';

export interface DapBenchResult {
  readonly rows: { name: string; value: number; unit: string; note?: string }[];
  readonly ratios: Record<string, number>;
  readonly problems: string[];
}

const ADAPTER = join(__dirname, 'debug-adapter.js');
const BUILTIN = join(__dirname, '..', 'runtime', 'weensyos');
const ALLOCATOR_C = join(BUILTIN, 'p-allocator.c');
const KERNEL_C = join(BUILTIN, 'kernel.c');

const LAUNCH_RUNS = 5;
const NEXT_RUNS = 40;
const SNAPSHOT_RUNS = 40;
/** Per request: a stuck adapter fails the benchmark instead of hanging it. */
const TIMEOUT = 60_000;

const INITIALIZE: DebugProtocol.InitializeRequestArguments = {
  adapterID: 'weensy', clientID: 'weensy-bench', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true,
  supportsMemoryEvent: true, supportsInvalidatedEvent: true, supportsVariableType: true,
};
const LAUNCH = { type: 'weensy', request: 'launch', name: 'bench', command: 'allocator' };
/** The exception filters VS Code sends by default (the adapter's defaults). */
const FILTERS: DebugProtocol.SetExceptionBreakpointsArguments = { filters: ['pagefault-kernel', 'gpf', 'triple-fault', 'panic'] };

/** 1-based line of the first line holding `text` at or after the first line holding `after`. */
function lineOf(file: string, text: string, after?: string): number {
  const lines = (weensyosFile(file) ?? '').split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, k) => from >= 0 && k >= from && l.includes(text));
  if (i < 0) throw new Error(`no line with '${text}' in ${file}`);
  return i + 1;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function summary(samples: readonly number[]): { median: number; note: string } {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, note: `median of ${s.length}, p90 ${quantile(s, 0.9).toFixed(1)} ms, min ${s[0]!.toFixed(1)}, max ${s[s.length - 1]!.toFixed(1)}` };
}

async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, ADAPTER, 'weensy', { cwd: join(__dirname, '..') });
  dc.defaultTimeout = TIMEOUT;
  await dc.start();
  return dc;
}

/** Sends launch, then what VS Code sends in the configuration phase (breakpoints, filters, configurationDone). */
async function launch(dc: DebugClient, config: Record<string, unknown>, breakpoints: { path: string; line: number; condition?: string }[] = []): Promise<void> {
  const initialized = dc.waitForEvent('initialized', TIMEOUT);
  await dc.launchRequest({ ...LAUNCH, ...config } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  for (const b of breakpoints) await dc.setBreakpointsRequest({ source: { path: b.path }, breakpoints: [{ line: b.line, ...(b.condition ? { condition: b.condition } : {}) }] });
  await dc.setExceptionBreakpointsRequest(FILTERS);
  await dc.configurationDoneRequest();
}

function stopped(dc: DebugClient): Promise<DebugProtocol.StoppedEvent['body']> {
  return dc.waitForEvent('stopped', TIMEOUT).then((e) => (e as DebugProtocol.StoppedEvent).body);
}

async function topFrame(dc: DebugClient, threadId: number): Promise<string> {
  const f = (await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 })).body.stackFrames[0];
  return f ? `${f.name} ${f.source?.name ?? '?'}:${f.line}` : '?';
}

/** Milliseconds from `initialize` sent to the first stopped event, each in a fresh adapter process, with the time to the initialize and launch responses. */
async function launchToFirstStop(problems: string[]): Promise<{ total: number[]; initialize: number[]; launch: number[] }> {
  const out = { total: [] as number[], initialize: [] as number[], launch: [] as number[] };
  for (let i = 0; i < LAUNCH_RUNS; i++) {
    // start() only spawns: the process starts and loads its bundle while initialize waits in the pipe.
    const dc = await startClient();
    try {
      const t0 = performance.now();
      await dc.initializeRequest(INITIALIZE);
      const t1 = performance.now();
      const first = stopped(dc);
      const initialized = dc.waitForEvent('initialized', TIMEOUT);
      await dc.launchRequest({ ...LAUNCH, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
      const t2 = performance.now();
      await initialized;
      await dc.setExceptionBreakpointsRequest(FILTERS);
      await dc.configurationDoneRequest();
      const s = await first;
      const t3 = performance.now();
      if (s.reason !== 'entry') problems.push(`DAP launch: the first stop was '${s.reason}', not 'entry'`);
      out.total.push(t3 - t0);
      out.initialize.push(t1 - t0);
      out.launch.push(t2 - t1);
    } finally {
      await dc.stop();
    }
  }
  return out;
}

interface Step {
  readonly ms: number;
  /** The line the step started on. */
  readonly from: string;
}

/**
 * `next` requests on `threadId`, each timed from request sent to the stopped
 * event, while `more` says so (it sees the stop's top frame). After each
 * stop it asks for the top frame, as VS Code does, untimed.
 */
async function timeNexts(dc: DebugClient, threadId: number, what: string, problems: string[], more: (steps: number, threadId: number, top: string) => boolean): Promise<{ steps: Step[]; threadId: number }> {
  const steps: Step[] = [];
  let top = await topFrame(dc, threadId);
  while (more(steps.length, threadId, top)) {
    const done = stopped(dc);
    const t0 = performance.now();
    await dc.nextRequest({ threadId });
    const s = await done;
    steps.push({ ms: performance.now() - t0, from: top });
    if (s.reason !== 'step') {
      problems.push(`DAP next ${what}: step ${steps.length} stopped with '${s.reason}' (${s.description ?? ''})`);
      break;
    }
    // A kernel step that leaves through iret ends in whichever process runs next.
    threadId = s.threadId ?? threadId;
    top = await topFrame(dc, threadId);
  }
  return { steps, threadId };
}

/** Runs to `line` of `path` (optionally only when `condition` holds), then clears the breakpoint. */
async function runTo(dc: DebugClient, threadId: number, path: string, line: number, condition?: string): Promise<DebugProtocol.StoppedEvent['body']> {
  await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line, ...(condition ? { condition } : {}) }] });
  const s = stopped(dc);
  await dc.continueRequest({ threadId });
  const at = await s;
  await dc.setBreakpointsRequest({ source: { path }, breakpoints: [] });
  return at;
}

/** The user-code rows' note: steps over sys_yield() (the kernel and the other processes run) apart from the rest. */
function userSplit(steps: readonly Step[], yieldAt: string): string {
  const over = steps.filter((s) => s.from === yieldAt).map((s) => s.ms);
  const rest = steps.filter((s) => s.from !== yieldAt).map((s) => s.ms);
  const m = (xs: number[]): string => (xs.length ? `${summary(xs).median.toFixed(1)} ms (${xs.length})` : '-');
  return `over sys_yield() ${m(over)}, other lines ${m(rest)}`;
}

export async function benchDebugAdapter(): Promise<DapBenchResult> {
  const rows: DapBenchResult['rows'] = [];
  const problems: string[] = [];
  if (!existsSync(ADAPTER)) {
    problems.push(`DAP: ${ADAPTER} is missing (npm run bench builds it)`);
    return { rows, ratios: {}, problems };
  }

  const launched = await launchToFirstStop(problems);
  const l = summary(launched.total);
  const init = summary(launched.initialize).median;
  const build = summary(launched.launch).median;
  rows.push({
    name: 'DAP: launch to first stop (stopOnEntry)', value: l.median, unit: 'ms',
    note: `initialize sent to stopped, fresh adapter each; ${l.note}; medians: ${init.toFixed(0)} ms to the initialize response (node start), ${build.toFixed(0)} ms more to the launch response (compile)`,
  });

  const dc = await startClient();
  try {
    await dc.initializeRequest(INITIALIZE);
    // Stop in process 4 at sys_yield: all four allocators have been set up and have run.
    const yieldLine = lineOf('p-allocator.c', 'sys_yield();', 'heap_top += PAGESIZE');
    const yieldAt = `process_main p-allocator.c:${yieldLine}`;
    const first = stopped(dc);
    await launch(dc, {}, [{ path: ALLOCATOR_C, line: yieldLine, condition: 'pid == 4' }]);
    const atYield = await first;
    const at = await topFrame(dc, atYield.threadId!);
    if (atYield.threadId !== 4 || at !== yieldAt) problems.push(`DAP: expected a stop in process 4 at ${yieldAt}, got thread ${atYield.threadId} at ${at}`);
    await dc.setBreakpointsRequest({ source: { path: ALLOCATOR_C }, breakpoints: [] });

    const user = await timeNexts(dc, atYield.threadId!, 'in p-allocator.c', problems, (n) => n < NEXT_RUNS);
    const u = summary(user.steps.map((s) => s.ms));
    rows.push({ name: 'DAP: next, p-allocator.c line (4 processes)', value: u.median, unit: 'ms', note: `request sent to stopped; ${u.note}; ${userSplit(user.steps, yieldAt)}` });

    // exception(): from its first line, line steps until one leaves the kernel, again from the next trap, NEXT_RUNS steps in all.
    const entryLine = lineOf('kernel.c', 'current->p_registers = *reg;', 'void exception(');
    const kernelSteps: Step[] = [];
    let thread = user.threadId;
    while (kernelSteps.length < NEXT_RUNS && problems.length === 0) {
      const k0 = await runTo(dc, thread, KERNEL_C, entryLine);
      const k = await timeNexts(dc, k0.threadId!, 'in kernel.c', problems, (n, t) => n === 0 || (t === k0.threadId && kernelSteps.length + n < NEXT_RUNS));
      kernelSteps.push(...k.steps);
      thread = k.threadId;
    }
    const k = summary(kernelSteps.map((s) => s.ms));
    rows.push({ name: 'DAP: next, kernel.c exception() line', value: k.median, unit: 'ms', note: `request sent to stopped; ${k.note}; the slow ones step over check_virtual_memory and memshow` });

    // The panel's snapshot, four processes alive.
    const snaps: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SNAPSHOT_RUNS; i++) {
      const t0 = performance.now();
      const r = await dc.customRequest('weensy/snapshot', {});
      snaps.push(performance.now() - t0);
      const body = r.body as CustomResponseBody<'weensy/snapshot'>;
      if (i === 0) {
        bytes = JSON.stringify(body).length;
        const pids = body.snapshot.processes.map((p) => p.pid).join(',');
        if (pids !== '1,2,3,4') problems.push(`DAP snapshot: processes ${pids}, expected 1,2,3,4`);
      }
    }
    const sn = summary(snaps);
    rows.push({ name: 'DAP: weensy/snapshot, 4 processes', value: sn.median, unit: 'ms', note: `request sent to response; ${sn.note}; ${(bytes / 1024).toFixed(0)} KiB of JSON` });

    // `next` in process 4 again, now that the adapter records a snapshot at every stop (for weensy/diff).
    const again = await runTo(dc, thread, ALLOCATOR_C, yieldLine, 'pid == 4');
    const panel = await timeNexts(dc, again.threadId!, 'with the panel open', problems, (n) => n < NEXT_RUNS);
    const p = summary(panel.steps.map((s) => s.ms));
    rows.push({ name: 'DAP: next, p-allocator.c line, panel open', value: p.median, unit: 'ms', note: `as above, plus the snapshot the adapter records at each stop; ${p.note}; ${userSplit(panel.steps, yieldAt)}` });
  } finally {
    await dc.stop();
  }
  return { rows, ratios: {}, problems };
}
