// The debug adapter over stdio: launching the reference kernel, stopping on
// entry, source and function breakpoints (a line in kernel.c, a line in
// p-allocator.c hit by several processes, virtual_memory_map from
// process_setup with its arguments), evaluation, memory and disassembly.

import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { weensyosFile } from '../../emulator/index';
import { lineOf } from '../debug/session-harness';
import { BUILTIN, SLOW, errorOf, frames, launch, nextStop, runToStop, scopeVariables, startClient, stop, where, type OutputLog } from './dap-harness';

const KERNEL_C = join(BUILTIN, 'kernel.c');
const ALLOCATOR_C = join(BUILTIN, 'p-allocator.c');
const kernelText = weensyosFile('kernel.c')!;
const allocatorText = weensyosFile('p-allocator.c')!;

let dc: DebugClient | undefined;
afterEach(async () => {
  if (dc) await stop(dc);
  dc = undefined;
});

async function client(): Promise<{ dc: DebugClient; output: OutputLog; capabilities: DebugProtocol.Capabilities }> {
  const c = await startClient();
  dc = c.dc;
  return c;
}

describe('debug adapter: launch and breakpoints', SLOW, () => {
  it('announces its capabilities and stops on entry at the first line of kernel()', async () => {
    const { dc, capabilities, output } = await client();
    expect(capabilities).toMatchObject({
      supportsConfigurationDoneRequest: true, supportsConditionalBreakpoints: true, supportsHitConditionalBreakpoints: true, supportsLogPoints: true,
      supportsFunctionBreakpoints: true, supportsExceptionFilterOptions: true, supportsExceptionInfoRequest: true, supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true, supportsInstructionBreakpoints: true, supportsSteppingGranularity: true, supportsRestartRequest: true,
      supportsTerminateRequest: true, supportsReadMemoryRequest: true, supportsWriteMemoryRequest: true, supportsDisassembleRequest: true,
      supportsEvaluateForHovers: true, supportsSetVariable: true, supportsDelayedStackTraceLoading: true,
    });
    expect(capabilities.exceptionBreakpointFilters?.map((f) => f.filter)).toEqual(['pagefault-user', 'pagefault-kernel', 'gpf', 'triple-fault', 'panic', 'unexpected']);
    expect(capabilities.exceptionBreakpointFilters?.every((f) => f.supportsCondition)).toBe(true);
    expect(capabilities.breakpointModes?.map((m) => m.mode)).toEqual(['virtual', 'physical']);

    const stopped = nextStop(dc);
    await launch(dc, { stopOnEntry: true });
    const stop = await stopped;
    expect(stop.reason).toBe('entry');
    const top = (await frames(dc, stop.threadId!))[0]!;
    expect(top.name).toBe('kernel');
    expect(top.source?.path).toBe(KERNEL_C.replace(/\\/g, '/'));
    expect(top.line).toBe(lineOf(kernelText, 'hardware_init();', 'void kernel('));
    const threads = (await dc.threadsRequest()).body.threads;
    expect(threads.map((t) => t.name)).toContain('kernel (CPU)');
    expect(output.text()).toMatch(/booting the bundled reference kernel/);
  });

  it('stops at a breakpoint in kernel.c, and at a function breakpoint on virtual_memory_map from process_setup with its arguments', async () => {
    const { dc } = await client();
    const line = lineOf(kernelText, 'memset(processes, 0, sizeof(processes));', 'void kernel(');
    const first = nextStop(dc);
    const set = await launch(dc, {}, {
      breakpoints: [{ path: KERNEL_C, breakpoints: [{ line }] }],
      functionBreakpoints: [{ name: 'virtual_memory_map', condition: 'va == 0x100000 && pagetable == processes[1].p_pagetable' }],
    });
    expect(set.breakpoints[0]![0]).toMatchObject({ verified: true, line });
    expect(set.functionBreakpoints[0]).toMatchObject({ verified: true });
    const a = await first;
    expect(a.reason).toBe('breakpoint');
    expect(a.hitBreakpointIds).toEqual([set.breakpoints[0]![0]!.id]);
    expect(await where(dc, a.threadId!)).toBe(`kernel kernel.c:${line}`);

    const b = await runToStop(dc, () => dc.continueRequest({ threadId: a.threadId! }));
    expect(b.reason).toBe('function breakpoint');
    const fs = await frames(dc, b.threadId!);
    expect(fs[0]!.name).toBe('virtual_memory_map');
    expect(fs.map((f) => f.name)).toContain('process_setup');
    const locals = await scopeVariables(dc, fs[0]!.id, 'Locals');
    expect(locals.get('va')?.value).toMatch(/^(1048576|0x100000)/);
    expect(locals.get('sz')?.value).toMatch(/^(4096|0x1000)/);
    expect([...locals.keys()]).toEqual(expect.arrayContaining(['pagetable', 'va', 'pa', 'sz', 'perm']));

    // setVariable: the value of a C expression (the same value here, so the run is unchanged).
    const scopes = (await dc.scopesRequest({ frameId: fs[0]!.id })).body.scopes;
    const perm = locals.get('perm')!;
    const assigned = await dc.setVariableRequest({ variablesReference: scopes.find((x) => x.name === 'Locals')!.variablesReference, name: 'perm', value: 'perm | 0' });
    expect(assigned.body.value).toBe(perm.value);
    expect(await errorOf(dc.setVariableRequest({ variablesReference: scopes[0]!.variablesReference, name: 'perm', value: 'perm +' }))).toBeTruthy();

    // pageinfo through the kernel's own macro.
    const owner = await dc.evaluateRequest({ expression: 'pageinfo[PAGENUMBER(0x100000)].owner', frameId: fs[0]!.id, context: 'watch' });
    expect(owner.body.result).toMatch(/^1\b/);
    const hover = await dc.evaluateRequest({ expression: 'current', frameId: fs[0]!.id, context: 'hover' });
    expect(hover.body.result).toBeTruthy();
  });

  it('logpoints print without stopping; hit conditions count', async () => {
    const { dc, output } = await client();
    const ready = lineOf(kernelText, 'p->p_state = P_RUNNABLE;', 'void process_setup(');
    const stack = lineOf(kernelText, 'setup_stack(p);', 'void process_setup(');
    const first = nextStop(dc);
    const set = await launch(dc, {}, { breakpoints: [{ path: KERNEL_C, breakpoints: [{ line: ready, logMessage: 'process {pid} ready' }, { line: stack, hitCondition: '3' }] }] });
    expect(set.breakpoints[0]!.map((b) => b.verified)).toEqual([true, true]);
    const s = await first;
    expect(s.hitBreakpointIds).toEqual([set.breakpoints[0]![1]!.id]);
    const frameId = (await frames(dc, s.threadId!))[0]!.id;
    expect((await dc.evaluateRequest({ expression: 'pid', frameId, context: 'watch' })).body.result).toMatch(/^3\b/);
    expect(output.text('console')).toContain('process 1 ready\nprocess 2 ready\n');
    expect(output.text('console')).not.toContain('process 3 ready');
  });

  it('a breakpoint in p-allocator.c stops in several processes', async () => {
    const { dc } = await client();
    const line = lineOf(allocatorText, 'sys_yield();', 'heap_top += PAGESIZE');
    const first = nextStop(dc);
    const set = await launch(dc, {}, { breakpoints: [{ path: ALLOCATOR_C, breakpoints: [{ line }] }] });
    expect(set.breakpoints[0]![0]).toMatchObject({ verified: true, line });
    const pids = new Set<number>();
    let stop = await first;
    for (let i = 0; i < 12 && pids.size < 3; i++) {
      expect(stop.reason).toBe('breakpoint');
      const top = (await frames(dc, stop.threadId!))[0]!;
      expect(`${top.name} ${top.source?.name}:${top.line}`).toBe(`process_main p-allocator.c:${line}`);
      pids.add(stop.threadId!);
      const threadId = stop.threadId!;
      stop = await runToStop(dc, () => dc.continueRequest({ threadId }));
    }
    expect(pids.size).toBeGreaterThanOrEqual(3);
    const threads = (await dc.threadsRequest()).body.threads;
    for (const pid of pids) expect(threads.find((t) => t.id === pid)?.name).toMatch(new RegExp(`^pid ${pid} \\(p-allocator`));
  });

  it('reads memory, disassembles around the stopped instruction, and sets instruction breakpoints there', async () => {
    const { dc } = await client();
    const stopped = nextStop(dc);
    await launch(dc, { stopOnEntry: true });
    const stop = await stopped;
    const top = (await frames(dc, stop.threadId!))[0]!;
    const ip = top.instructionPointerReference!;

    const mem = await dc.customRequest('readMemory', { memoryReference: ip, count: 32 }) as DebugProtocol.ReadMemoryResponse;
    expect(mem.body?.address).toBe(ip);
    expect(Buffer.from(mem.body!.data!, 'base64').length).toBe(32);
    const phys = await dc.customRequest('readMemory', { memoryReference: 'p:0x0', offset: 16, count: 8 }) as DebugProtocol.ReadMemoryResponse;
    expect(phys.body?.address).toBe('0x10');

    const dis = (await dc.disassembleRequest({ memoryReference: ip, instructionOffset: -4, instructionCount: 10 })).body!.instructions;
    expect(dis).toHaveLength(10);
    const at = dis.findIndex((d) => d.address === ip);
    expect(at).toBe(4);
    expect(dis.some((d) => d.location?.name === 'kernel.c' && d.line !== undefined)).toBe(true);
    expect(dis.some((d) => d.symbol === 'kernel')).toBe(true);

    // writeMemory: a console cell, then the memory and invalidated events, and the bytes read back.
    const memoryEvent = dc.waitForEvent('memory');
    const invalidated = dc.waitForEvent('invalidated');
    const written = await dc.customRequest('writeMemory', { memoryReference: 'p:0xb8000', data: Buffer.from('Q\x4f').toString('base64') }) as DebugProtocol.WriteMemoryResponse;
    expect(written.body).toEqual({ offset: 0, bytesWritten: 2 });
    expect(((await memoryEvent) as DebugProtocol.MemoryEvent).body).toEqual({ memoryReference: 'p:0xb8000', offset: 0, count: 2 });
    expect(((await invalidated) as DebugProtocol.InvalidatedEvent).body.areas).toEqual(['variables']);
    const back = await dc.customRequest('readMemory', { memoryReference: 'p:0xb8000', count: 2 }) as DebugProtocol.ReadMemoryResponse;
    expect(Buffer.from(back.body!.data!, 'base64').toString('latin1')).toBe('Q\x4f');
    const unmapped = await dc.customRequest('readMemory', { memoryReference: 'v:0x0:0x7000000000', count: 16 }) as DebugProtocol.ReadMemoryResponse;
    expect(unmapped.body?.unreadableBytes).toBe(16);

    const next = dis[at + 2]!.address;
    const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: next }] }) as DebugProtocol.SetInstructionBreakpointsResponse;
    expect(ib.body.breakpoints[0]).toMatchObject({ verified: true });
    const refreshed = dc.waitForEvent('memory');
    const hit = await runToStop(dc, () => dc.continueRequest({ threadId: stop.threadId! }));
    expect(hit.reason).toBe('instruction breakpoint');
    // After the stop, memory the client read is announced as changed.
    expect(((await refreshed) as DebugProtocol.MemoryEvent).body.memoryReference).toBeTruthy();
    expect((await frames(dc, hit.threadId!))[0]!.instructionPointerReference).toBe(next);
  });
});
