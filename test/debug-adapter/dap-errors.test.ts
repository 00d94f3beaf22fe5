// The debug adapter over stdio, given bad input: a malformed launch
// configuration, a kernel that does not compile (gcc-format diagnostics in
// the output, an error response), invalid references, nonsense to
// evaluate, requests at the wrong time. Each is an error response with a
// clear message, and the adapter keeps answering.

import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { weensyosFile } from '../../emulator/index';
import { editedKernel, lineOf } from '../debug/session-harness';
import { INITIALIZE, SLOW, WAIT, errorOf, frames, launch, nextStop, startClient, stop, workspaceWith } from './dap-harness';

let dc: DebugClient | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
  for (const c of cleanups.splice(0)) c();
});

describe('debug adapter: bad input', SLOW, () => {
  it('a malformed launch configuration is an error naming each problem; a good launch then works', async () => {
    const c = await startClient();
    dc = c.dc;
    const message = await errorOf(dc.launchRequest({
      type: 'weensy', request: 'launch', name: 'bad', command: 'forx', stopOnEntry: 'maybe', instructionsPerTick: -3, kernel: '/no/such/kernel.c', defines: 42,
    } as DebugProtocol.LaunchRequestArguments));
    expect(message).toMatch(/^The WeensyOS launch configuration is not valid:/);
    expect(message).toMatch(/"command" must be one of allocator, fork, forkexit \(got "forx"\)/);
    expect(message).toMatch(/"stopOnEntry" must be true, false, "kernel" or "boot"/);
    expect(message).toMatch(/"instructionsPerTick" must be a whole number/);
    expect(message).toMatch(/"kernel" "\/no\/such\/kernel\.c": no such file or folder/);
    expect(message).toMatch(/"defines" must be an object/);
    // Still alive: requests are answered, and a good launch works.
    expect((await dc.threadsRequest()).body.threads).toEqual([]);
    expect(await errorOf(dc.stackTraceRequest({ threadId: 1 }))).toMatch(/No WeensyOS machine is running/);
    const stopped = nextStop(dc);
    await launch(dc, { stopOnEntry: true, misspelled: 1 });
    const s = await stopped;
    expect(s.reason).toBe('entry');
    expect(c.output.text('important')).toMatch(/"misspelled" is not a WeensyOS attribute/);
  });

  it('a kernel that does not compile: gcc-format diagnostics, the custom diagnostics event, an error response', async () => {
    const c = await startClient();
    dc = c.dc;
    const text = editedKernel([['    hardware_init();\n    pageinfo_init();', '    hardware_init()\n    pageinfo_init();']]);
    const ws = workspaceWith(text);
    cleanups.push(ws.remove);
    const diagnostics = dc.waitForEvent('weensy/diagnostics', WAIT);
    const message = await errorOf(dc.launchRequest({ type: 'weensy', request: 'launch', name: 'broken', kernel: ws.kernel } as DebugProtocol.LaunchRequestArguments));
    expect(message).toMatch(/^The kernel does not compile: .*kernel\.c:\d+:\d+: error: /);
    const line = lineOf(text, 'hardware_init()', 'void kernel(');
    expect(c.output.text('stderr')).toMatch(new RegExp(`^${ws.kernel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(${line}|${line + 1}):\\d+: error: .+$`, 'm'));
    const event = (await diagnostics) as DebugProtocol.Event;
    const list = (event.body as { diagnostics: { path?: string; severity: string; line: number }[] }).diagnostics;
    expect(list.some((d) => d.severity === 'error' && d.path === ws.kernel)).toBe(true);
    // Alive.
    expect((await dc.threadsRequest()).body.threads).toEqual([]);
    expect(await errorOf(dc.evaluateRequest({ expression: '1 + 1', context: 'repl' }))).toMatch(/No WeensyOS machine is running/);
  });

  it('invalid references, nonsense expressions and requests at the wrong time are error responses', async () => {
    const c = await startClient();
    dc = c.dc;
    const stopped = nextStop(dc);
    await launch(dc, { stopOnEntry: true });
    const s = await stopped;
    const top = (await frames(dc, s.threadId!))[0]!;

    expect(await errorOf(dc.variablesRequest({ variablesReference: 987654 }))).toMatch(/[Nn]o variables reference 987654/);
    expect(await errorOf(dc.scopesRequest({ frameId: 424242 }))).toMatch(/No frame 424242/);
    expect(await errorOf(dc.stackTraceRequest({ threadId: 77 }))).toMatch(/No thread 77/);
    expect(await errorOf(dc.exceptionInfoRequest({ threadId: s.threadId! }))).toMatch(/did not stop at an exception/);
    expect(await errorOf(dc.evaluateRequest({ expression: '1 +* ;', frameId: top.id, context: 'repl' }))).toBeTruthy();
    expect(await errorOf(dc.evaluateRequest({ expression: 'no_such_variable', frameId: top.id, context: 'watch' }))).toMatch(/no_such_variable/);
    expect(await errorOf(dc.evaluateRequest({ expression: '.nonsense', context: 'repl' }))).toMatch(/unknown command \.nonsense/);
    expect(await errorOf(dc.customRequest('readMemory', { memoryReference: 'garbage', count: 4 }))).toMatch(/not a memory reference/);
    expect(await errorOf(dc.disassembleRequest({ memoryReference: 'garbage', instructionCount: 4 }))).toMatch(/not a memory reference/);
    expect(await errorOf(dc.customRequest('weensy/noSuchThing', {}))).toMatch(/Unknown request/);
    expect(await errorOf(dc.nextRequest({ threadId: 55 }))).toMatch(/55/);
    const filters = await dc.setExceptionBreakpointsRequest({ filters: ['pagefault-user'], filterOptions: [{ filterId: 'bogus' }] });
    expect(filters.body?.breakpoints).toEqual([{ verified: true }, { verified: false, message: expect.stringMatching(/No exception filter bogus/) }]);
    const unverified = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'no_such_function' }, { name: 'schedule', hitCondition: 'often' }] })).body.breakpoints;
    expect(unverified.map((b) => b.verified)).toEqual([false, false]);
    expect(unverified[0]!.message).toMatch(/No function called no_such_function/);
    // A second launch in the same session is refused.
    expect(await errorOf(dc.launchRequest({ type: 'weensy', request: 'launch', name: 'again' } as DebugProtocol.LaunchRequestArguments))).toMatch(/already launched/);
    // Alive, and evaluating.
    const ok = await dc.evaluateRequest({ expression: 'NPROC', frameId: top.id, context: 'repl' });
    expect(ok.body.result).toMatch(/^16\b/);
    const initializeAgain = await dc.initializeRequest(INITIALIZE);
    expect(initializeAgain.success).toBe(true);
  });

  it('running: requests that need a stopped machine say so', async () => {
    const c = await startClient();
    dc = c.dc;
    const yieldLine = lineOf(weensyosFile('p-allocator.c')!, 'sys_yield();', 'heap_top += PAGESIZE');
    await launch(dc, {}, { breakpoints: [{ path: `${__dirname}/../../runtime/weensyos/p-allocator.c`, breakpoints: [{ line: yieldLine, hitCondition: '>= 1000000' }] }] });
    expect(await errorOf(dc.stackTraceRequest({ threadId: 1 }))).toMatch(/running: pause it first/);
    expect(await errorOf(dc.evaluateRequest({ expression: 'ticks', context: 'watch' }))).toMatch(/running: pause it/);
    const screen = await dc.evaluateRequest({ expression: '.screen', context: 'repl' });
    expect(typeof screen.body.result).toBe('string');
    await dc.terminateRequest({});
  });
});
