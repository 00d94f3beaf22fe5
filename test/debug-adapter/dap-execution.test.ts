// The debug adapter over stdio: exception filters (the console fixture's
// user page fault with CR2 and the error code, a conditional filter),
// stepping from a sys_page_alloc call into exception() and out, a data
// breakpoint on a PTE, pause, the debug console's commands, the panel's
// custom requests and restart.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { KERNEL_THREAD_ID, weensyosFile } from '../../emulator/index';
import type { CustomResponseBody } from '../../debug-adapter/custom-requests';
import { editedKernel, lineOf } from '../debug/session-harness';
import {
  BUILTIN, SLOW, frames, launch, nextStop, runToStop, scopeVariables, startClient, stop, where, workspaceWith, type OutputLog,
} from './dap-harness';

const ALLOCATOR_C = join(BUILTIN, 'p-allocator.c');
const allocatorText = weensyosFile('p-allocator.c')!;
const forkexitText = weensyosFile('p-forkexit.c')!;
const kernelText = weensyosFile('kernel.c')!;

/** The reference kernel with the console page mapped without PTE_U (test/weensyos/broken-kernels.test.ts's fixture). */
const CONSOLE_NOT_USER = editedKernel([[
  '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W | PTE_U, NULL);',
  '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W, NULL);',
]]);
const REPORT_LINE = lineOf(kernelText, '"Process %d page fault for %p (%s %s, rip=%p)!\\n",') - 1;

let dc: DebugClient | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
  for (const c of cleanups.splice(0)) c();
});

async function client(): Promise<{ dc: DebugClient; output: OutputLog }> {
  const c = await startClient();
  dc = c.dc;
  return c;
}

function consoleFixture(): string {
  const ws = workspaceWith(CONSOLE_NOT_USER);
  cleanups.push(ws.remove);
  return ws.kernel;
}

async function custom<C extends 'weensy/snapshot' | 'weensy/translate' | 'weensy/diff' | 'weensy/sendKeys'>(d: DebugClient, command: C, args: unknown): Promise<CustomResponseBody<C>> {
  const r = await d.customRequest(command, args);
  return r.body as CustomResponseBody<C>;
}

describe('debug adapter: exceptions', SLOW, () => {
  it('stops at the console fixture user page fault before delivery, with CR2, the error code and the line', async () => {
    const { dc } = await client();
    const kernel = consoleFixture();
    const stopped = nextStop(dc);
    await launch(dc, { kernel, command: 'forkexit' }, { exceptions: { filters: ['pagefault-user', 'panic'] } });
    const s = await stopped;
    expect(s.reason).toBe('exception');
    expect(s.threadId).not.toBe(KERNEL_THREAD_ID);
    const info = (await dc.exceptionInfoRequest({ threadId: s.threadId! })).body;
    expect(info.exceptionId).toBe('Page fault (user)');
    expect(info.details?.fullTypeName).toMatch(/filter pagefault-user\)$/);
    expect(info.breakMode).toBe('always');
    expect(info.description).toMatch(new RegExp(`^Page fault in pid ${s.threadId} at 0xb8f`));
    expect(info.details?.typeName).toMatch(/page fault/);
    expect(info.details?.stackTrace).toMatch(/^CR2 = 0xb8f[0-9a-f]{2}$/m);
    expect(info.details?.stackTrace).toMatch(/^error code = 0x5 \(protection violation, read, user\)$/m);
    expect(info.details?.stackTrace).toMatch(/^failing walk step: L\d entry \d+ .*: no PTE_U$/m);
    expect(await where(dc, s.threadId!)).toBe(`process_main p-forkexit.c:${lineOf(forkexitText, 'if (console[CPOS(24, 0)])')}`);
    const cr = await scopeVariables(dc, (await frames(dc, s.threadId!))[0]!.id, 'Control registers');
    expect([...cr.keys()]).toEqual(expect.arrayContaining(['CR0', 'CR2', 'CR3']));
    // Continuing delivers it; the kernel reports it on the console.
    const bp = await dc.setBreakpointsRequest({ source: { path: join(BUILTIN, 'kernel.c') }, breakpoints: [{ line: REPORT_LINE }] });
    expect(bp.body.breakpoints[0]!.verified).toBe(false); // the workspace's kernel.c replaces the built-in one
    await dc.setBreakpointsRequest({ source: { path: kernel }, breakpoints: [{ line: REPORT_LINE }] });
    const report = await runToStop(dc, () => dc.continueRequest({ threadId: s.threadId! }));
    expect(report.reason).toBe('breakpoint');
    expect(await where(dc, report.threadId!)).toBe(`page_fault kernel.c:${REPORT_LINE}`);
  });

  it('a page-fault filter condition decides: false lets the kernel handle the fault, true stops', async () => {
    const { dc } = await client();
    const kernel = consoleFixture();
    const first = nextStop(dc);
    await launch(dc, { kernel, command: 'forkexit' }, {
      breakpoints: [{ path: kernel, breakpoints: [{ line: REPORT_LINE }] }],
      exceptions: { filters: [], filterOptions: [{ filterId: 'pagefault-user', condition: 'cr2 < 0xb8000 || write' }] },
    });
    const s = await first;
    expect(s.reason).toBe('breakpoint');
    expect(await where(dc, s.threadId!)).toBe(`page_fault kernel.c:${REPORT_LINE}`);

    // The same run, now with a condition that holds: the next fault (another process reads the console) stops.
    const set = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'pagefault-user', condition: '!write && user && present && cr2 >= 0xb8000 && err == 5 && pid > 0' }] });
    expect(set.body?.breakpoints).toEqual([{ verified: true }]);
    await dc.setBreakpointsRequest({ source: { path: kernel }, breakpoints: [] });
    const again = await runToStop(dc, () => dc.continueRequest({ threadId: s.threadId! }));
    expect(again.reason).toBe('exception');
    expect((await dc.exceptionInfoRequest({ threadId: again.threadId! })).body.exceptionId).toBe('Page fault (user)');
  });
});

describe('debug adapter: execution control', SLOW, () => {
  it('steps from a sys_page_alloc call into exception() and back out to the next user line', async () => {
    const { dc } = await client();
    const allocIf = lineOf(allocatorText, 'sys_page_alloc(heap_top) < 0');
    const heapWrite = lineOf(allocatorText, '*heap_top = p;');
    const first = nextStop(dc);
    await launch(dc, {}, { breakpoints: [{ path: ALLOCATOR_C, breakpoints: [{ line: allocIf, condition: 'pid == 2' }] }] });
    const a = await first;
    expect(a.threadId).toBe(2);
    await dc.setBreakpointsRequest({ source: { path: ALLOCATOR_C }, breakpoints: [] });
    const inHeader = await runToStop(dc, () => dc.stepInRequest({ threadId: 2 }));
    expect(inHeader.reason).toBe('step');
    expect(await where(dc, 2)).toMatch(/^sys_page_alloc process\.h:\d+$/);
    const inKernel = await runToStop(dc, () => dc.stepInRequest({ threadId: 2 }));
    expect(inKernel.threadId).toBe(KERNEL_THREAD_ID);
    const fs = await frames(dc, KERNEL_THREAD_ID);
    expect(fs.map((f) => f.name).slice(0, 3)).toEqual(['exception', 'exception_entry', 'system call sys_page_alloc from pid 2']);
    expect(fs[2]!.presentationHint).toBe('label');
    expect(fs.slice(3).map((f) => f.name)).toEqual(['sys_page_alloc', 'process_main']);
    // A trap-boundary frame has no scopes; a real one has the six.
    expect((await dc.scopesRequest({ frameId: fs[2]!.id })).body.scopes).toEqual([]);
    expect((await dc.scopesRequest({ frameId: fs[0]!.id })).body.scopes.map((x) => x.name)).toEqual(['Locals', 'Globals', 'Registers', 'Control registers', 'Current process', 'Page table']);
    // Delayed loading: the first two frames, then the rest.
    const part = (await dc.stackTraceRequest({ threadId: KERNEL_THREAD_ID, startFrame: 0, levels: 2 })).body;
    expect(part.stackFrames).toHaveLength(2);
    expect(part.totalFrames).toBe(fs.length);
    const out = await runToStop(dc, () => dc.stepOutRequest({ threadId: KERNEL_THREAD_ID }));
    expect(out).toMatchObject({ reason: 'step', threadId: 2 });
    expect(await where(dc, 2)).toBe(`process_main p-allocator.c:${heapWrite}`);
    // The Locals of this stop, kept by the client across the step below.
    const locals = (await dc.scopesRequest({ frameId: (await frames(dc, 2))[0]!.id })).body.scopes[0]!;
    // An instruction step moves by one instruction.
    const ip = (await frames(dc, 2))[0]!.instructionPointerReference!;
    const one = await runToStop(dc, () => dc.nextRequest({ threadId: 2, granularity: 'instruction' }));
    expect(one.threadId).toBe(2);
    const dis = (await dc.disassembleRequest({ memoryReference: ip, instructionOffset: 0, instructionCount: 2 })).body!.instructions;
    expect((await frames(dc, 2))[0]!.instructionPointerReference).toBe(dis[1]!.address);
    // VS Code's Variables view asks for the previous stop's scope before the new stack trace:
    // it gets that scope as it is now (pid 2's process_main, with p), not an error.
    const racing = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    expect(racing.map((v) => v.name)).toContain('p');
  });

  it('a data breakpoint on a PTE fires when virtual_memory_map writes it', async () => {
    const { dc } = await client();
    const stopped = nextStop(dc);
    await launch(dc, { stopOnEntry: true });
    const entry = await stopped;
    const frameId = (await frames(dc, entry.threadId!))[0]!.id;
    const info = (await dc.dataBreakpointInfoRequest({ name: 'kernel_pagetables[3].entry[1]', frameId })).body;
    expect(info.dataId).toBeTruthy();
    expect(info.accessTypes).toEqual(['write']);
    const set = (await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] })).body.breakpoints;
    expect(set[0]).toMatchObject({ verified: true });
    let s = await runToStop(dc, () => dc.continueRequest({ threadId: entry.threadId! }));
    for (let i = 0; i < 20 && (await frames(dc, s.threadId!))[0]!.name !== 'virtual_memory_map'; i++) {
      s = await runToStop(dc, () => dc.continueRequest({ threadId: s.threadId! }));
    }
    expect(s.reason).toBe('data breakpoint');
    expect(s.hitBreakpointIds).toEqual([set[0]!.id]);
    expect((await frames(dc, s.threadId!))[0]!.name).toBe('virtual_memory_map');
    expect(s.text).toMatch(/-> 0x1007$/);
    const now = await dc.evaluateRequest({ expression: 'kernel_pagetables[3].entry[1]', context: 'watch' });
    expect(Number(now.body.result.split(' ')[0])).toBe(0x1007);

    // At an address, in physical memory: the same entry.
    const addr = await dc.evaluateRequest({ expression: '(unsigned long) &kernel_pagetables[3].entry[1]', context: 'repl' });
    const physical = (await dc.dataBreakpointInfoRequest({ name: addr.body.result.split(' ')[0]!, asAddress: true, bytes: 8, mode: 'physical' })).body;
    expect(physical.dataId).toMatch(/^physical:/);
    expect(physical.description).toMatch(/^Writes to 8 bytes at physical 0x/);

    // The next write: isolate_kernel_memory() takes PTE_U away, with paging on.
    const isolate = await runToStop(dc, () => dc.continueRequest({ threadId: s.threadId! }));
    expect(isolate.text).toMatch(/0x1007 -> 0x1003$/);
    expect((await frames(dc, isolate.threadId!)).map((f) => f.name).slice(0, 2)).toEqual(['virtual_memory_map', 'isolate_kernel_memory']);

    // A row of the Page table scope: the L1 entry's own bytes, in physical memory.
    const top = (await frames(dc, isolate.threadId!))[0]!;
    const table = (await dc.scopesRequest({ frameId: top.id })).body.scopes.find((x) => x.name === 'Page table')!;
    const rows = (await dc.variablesRequest({ variablesReference: table.variablesReference })).body.variables;
    const row = rows.find((v) => /^\[\d+\]$/.test(v.name))!;
    const pte = (await dc.dataBreakpointInfoRequest({ variablesReference: table.variablesReference, name: row.name })).body;
    expect(pte.dataId).toMatch(/^physical:0x[0-9a-f]+:8$/);
    expect(pte.description).toMatch(new RegExp(`^Writes to L1 entry ${row.name.slice(1, -1)} of the table at 0x`));

    // At a virtual address (the default mode): ticks, which exception() writes on each timer interrupt.
    const ticks = await dc.evaluateRequest({ expression: '(unsigned long) &ticks', context: 'repl' });
    const virtual = (await dc.dataBreakpointInfoRequest({ name: ticks.body.result.split(' ')[0]!, asAddress: true, bytes: 4 })).body;
    expect(virtual.dataId).toMatch(/^virtual:0x[0-9a-f]+:0x[0-9a-f]+:4$/);
    const watched = (await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: virtual.dataId!, accessType: 'write' }] })).body.breakpoints;
    expect(watched[0]).toMatchObject({ verified: true });
    const tick = await runToStop(dc, () => dc.continueRequest({ threadId: isolate.threadId! }));
    expect(tick).toMatchObject({ reason: 'data breakpoint', hitBreakpointIds: [watched[0]!.id] });
    expect((await frames(dc, tick.threadId!))[0]!.name).toBe('exception');
  });

  it('pauses a running machine, and serves the debug console, the panel and keys', async () => {
    const { dc } = await client();
    // Run until the processes are there, then let it run and pause it.
    const yieldLine = lineOf(allocatorText, 'sys_yield();', 'heap_top += PAGESIZE');
    const first = nextStop(dc);
    await launch(dc, {}, { breakpoints: [{ path: ALLOCATOR_C, breakpoints: [{ line: yieldLine, condition: 'pid == 4' }] }] });
    const atYield = await first;
    await dc.setBreakpointsRequest({ source: { path: ALLOCATOR_C }, breakpoints: [] });
    await dc.continueRequest({ threadId: atYield.threadId! });
    const paused = await runToStop(dc, () => dc.pauseRequest({ threadId: KERNEL_THREAD_ID }));
    expect(paused.reason).toBe('pause');
    expect(paused.description).toMatch(/^Paused/);

    const walk = await dc.evaluateRequest({ expression: '.walk 0x100000 1', context: 'repl' });
    expect(walk.body.result).toMatch(/^Walk of 0x100000 in process 1/);
    const pi = await dc.evaluateRequest({ expression: '.pageinfo 0xb8', context: 'repl' });
    expect(pi.body.result).toMatch(/^pageinfo\[184\]/);
    const screen = await dc.evaluateRequest({ expression: '.screen', context: 'repl' });
    expect(screen.body.result.length).toBeGreaterThan(0);

    const snap = await custom(dc, 'weensy/snapshot', {});
    expect(snap.snapshot.processes.map((p) => p.pid)).toEqual([1, 2, 3, 4]);
    expect(snap.snapshot.pageinfo.source).toBe('debug-info');
    const t = await custom(dc, 'weensy/translate', { va: '0x100000', pid: 1 });
    expect(t.translation.ok).toBe(true);
    expect(t.translation.steps).toHaveLength(4);
    await expect(dc.customRequest('weensy/translate', { va: 'nowhere' })).rejects.toThrow(/not an address/);

    // diff: null until two stops have snapshots.
    expect((await custom(dc, 'weensy/diff', {})).diff).toBeNull();
    const next = await runToStop(dc, () => dc.nextRequest({ threadId: paused.threadId!, granularity: 'instruction' }));
    expect(next.reason).toBe('step');
    const diff = await custom(dc, 'weensy/diff', {});
    expect(diff.diff).not.toBeNull();

    // A key: q powers the machine off.
    expect((await custom(dc, 'weensy/sendKeys', { keys: 'q' })).sent).toBe(1);
    await expect(dc.customRequest('weensy/sendKeys', { keys: '' })).rejects.toThrow(/keys must be/);
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: next.threadId! });
    expect(((await exited) as DebugProtocol.ExitedEvent).body.exitCode).toBe(0);
    await terminated;
  });

  it('the WeensyOS log goes to the Debug Console and to logFile; power-off ends the session', async () => {
    const { dc, output } = await client();
    const ws = workspaceWith('');
    cleanups.push(ws.remove);
    const logFile = join(ws.dir, 'log.txt');
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await launch(dc, { defines: { TICK_LIMIT: 101 }, logFile });
    expect(((await exited) as DebugProtocol.ExitedEvent).body.exitCode).toBe(0);
    await terminated;
    const log = readFileSync(logFile, 'utf8');
    const dumps = log.split('\n').filter((l) => l.includes('_DUMP'));
    expect(dumps).toEqual(['PM_DUMP 0', 'VM_DUMP 1  0', 'VM_DUMP 2  0', 'VM_DUMP 3  0', 'VM_DUMP 4  0', 'PM_DUMP 100', 'VM_DUMP 1  100', 'VM_DUMP 2  100', 'VM_DUMP 3  100', 'VM_DUMP 4  100']);
    expect(output.text('stdout') === log).toBe(true);
    // The console's screen at exit, as a collapsed group.
    const group = output.events.find((e) => e.group === 'startCollapsed');
    expect(group?.output).toMatch(/^WeensyOS screen/);
    const last = await dc.evaluateRequest({ expression: '.log 2', context: 'repl' });
    expect(last.body.result.split('\n')).toHaveLength(2);
  });

  it('restart rebuilds the kernel and keeps the breakpoints', async () => {
    const { dc } = await client();
    const line = lineOf(kernelText, 'memset(processes, 0, sizeof(processes));', 'void kernel(');
    const ws = workspaceWith(kernelText);
    cleanups.push(ws.remove);
    const first = nextStop(dc);
    const set = await launch(dc, { kernel: ws.dir }, { breakpoints: [{ path: ws.kernel, breakpoints: [{ line }] }] });
    const a = await first;
    expect(a.hitBreakpointIds).toEqual([set.breakpoints[0]![0]!.id]);
    const changed = dc.waitForEvent('breakpoint');
    const again = nextStop(dc);
    await dc.restartRequest({ arguments: { type: 'weensy', request: 'launch', name: 'test', kernel: ws.dir } as DebugProtocol.LaunchRequestArguments });
    const bpEvent = (await changed) as DebugProtocol.BreakpointEvent;
    expect(bpEvent.body.breakpoint.id).toBe(set.breakpoints[0]![0]!.id);
    const b = await again;
    expect(b.reason).toBe('breakpoint');
    expect(b.hitBreakpointIds).toEqual([set.breakpoints[0]![0]!.id]);
    expect(await where(dc, b.threadId!)).toBe(`kernel kernel.c:${line}`);
  });
});
