// The debug session's breakpoints against the reference kernel: stop on
// entry, source lines in kernel.c and p-allocator.c (one line, several
// processes), function breakpoints, conditions with pid, hit counts,
// logpoints, and breakpoints that cannot be set.

import { describe, expect, it } from 'vitest';
import { DebugSession, KERNEL_THREAD_ID, WEENSYOS_ROOT, evaluateInteger, inspectConditionEvaluator, weensyosFile } from '../../emulator/index';
import { SLOW, baseName, continueToStop, frames, launch, lineOf, outputText, startToStop, where } from './session-harness';

const KERNEL_C = `${WEENSYOS_ROOT}/kernel.c`;
const ALLOCATOR_C = `${WEENSYOS_ROOT}/p-allocator.c`;
const kernelText = weensyosFile('kernel.c')!;
const allocatorText = weensyosFile('p-allocator.c')!;
/** The loop's sys_yield() line: every iteration passes it. */
const YIELD = lineOf(allocatorText, 'sys_yield();', 'heap_top += PAGESIZE');

describe('debug session: breakpoints', SLOW, () => {
  it('stops on entry at the first line of kernel(), or at entry_from_boot', () => {
    const s = launch({ stopOnEntry: true });
    const { stop } = startToStop(s);
    expect(stop.reason).toBe('entry');
    expect(stop.threadId).toBe(KERNEL_THREAD_ID);
    expect(where(s, stop)).toBe(`kernel kernel.c:${lineOf(kernelText, 'hardware_init();', 'void kernel(')}`);
    expect(frames(s, stop.threadId).map((f) => f.name)).toEqual(['kernel', 'entry_from_boot']);
    expect(s.threads()).toEqual([{ id: KERNEL_THREAD_ID, name: 'kernel (CPU)', state: 'kernel' }]);

    const boot = launch({ stopOnEntry: 'boot' });
    const first = startToStop(boot).stop;
    expect(first.reason).toBe('entry');
    expect(first.icount).toBe(0);
    expect(frames(boot, first.threadId)[0]!.name).toBe('entry_from_boot');
  });

  it('a line breakpoint in kernel.c, moved to the next statement, shows the trap boundary below exception()', () => {
    const s = launch();
    const comment = lineOf(kernelText, "// Save the process's registers", 'void exception(');
    const code = lineOf(kernelText, 'current->p_registers = *reg;', 'void exception(');
    const [bp] = s.setBreakpoints(KERNEL_C, [{ line: comment }]);
    expect(bp).toMatchObject({ verified: true, line: code, source: KERNEL_C });
    expect(bp!.message).toMatch(/Moved to line/);
    expect(bp!.locations).toEqual([{ image: 'kernel', address: expect.any(Number) }]);
    const { stop } = startToStop(s);
    expect(stop).toMatchObject({ reason: 'breakpoint', threadId: KERNEL_THREAD_ID, hitBreakpointIds: [bp!.id] });
    const fs = frames(s, stop.threadId);
    expect(`${fs[0]!.name} ${baseName(fs[0]!.source!)}:${fs[0]!.line}`).toBe(`exception kernel.c:${code}`);
    expect(fs[1]!.name).toBe('exception_entry');
    const label = fs[2]!;
    expect(label.presentationHint).toBe('label');
    expect(label.name).toMatch(/^(system call sys_\w+|timer interrupt|page fault) from pid \d$/);
    expect(label.trap?.fromUser).toBe(true);
    // Below the boundary: the user frames of the process that trapped, in its own program.
    const user = fs.slice(3);
    expect(user.length).toBeGreaterThan(0);
    expect(user.at(-1)!.name).toBe('process_main');
    expect(user.at(-1)!.moduleName).toMatch(/^p-allocator\d?$/);
  });

  it('a line of p-allocator.c has an address in each of the four images and stops in several processes', () => {
    const s = launch();
    const [bp] = s.setBreakpoints(ALLOCATOR_C, [{ line: YIELD }]);
    expect(bp!.verified).toBe(true);
    expect(bp!.locations.map((l) => l.image)).toEqual(['p-allocator', 'p-allocator2', 'p-allocator3', 'p-allocator4']);
    expect(bp!.locations.map((l) => l.address - (bp!.locations[0]!.address))).toEqual([0, 0x40000, 0x80000, 0xc0000]);
    const pids = new Set<number>();
    let result = startToStop(s);
    for (let i = 0; i < 6; i++) {
      const { stop } = result;
      expect(stop.reason).toBe('breakpoint');
      const pid = stop.threadId;
      pids.add(pid);
      const program = pid === 1 ? 'p-allocator' : `p-allocator${pid}`;
      const thread = s.threads().find((t) => t.id === pid)!;
      expect(thread.name).toBe(`pid ${pid} (${program}) running`);
      const top = frames(s, pid)[0]!;
      expect(top).toMatchObject({ name: 'process_main', source: ALLOCATOR_C, line: YIELD, moduleName: program });
      // The other processes are threads too, each with its own stack.
      for (const t of s.threads().filter((x) => x.id !== pid)) {
        expect(t.name).toMatch(/^pid \d \(p-allocator\d?\) runnable$/);
        expect(frames(s, t.id).at(-1)!.name).toBe('process_main');
      }
      result = continueToStop(s);
    }
    expect(pids.size).toBeGreaterThanOrEqual(3);
  });

  it('a function breakpoint on virtual_memory_map is hit from process_setup, its parameters readable', () => {
    const s = launch();
    const [bp] = s.setFunctionBreakpoints([{ name: 'virtual_memory_map' }]);
    expect(bp).toMatchObject({ verified: true, source: `${WEENSYOS_ROOT}/k-hardware.c` });
    let result = startToStop(s);
    let names: string[] = [];
    for (let i = 0; i < 200; i++) {
      expect(result.stop.reason).toBe('function breakpoint');
      names = frames(s, result.stop.threadId).map((f) => f.name);
      if (names.includes('process_setup')) break;
      result = continueToStop(s);
    }
    expect(names[0]).toBe('virtual_memory_map');
    expect(names).toContain('process_setup');
    expect(names.at(-1)).toBe('entry_from_boot');
    const top = frames(s, result.stop.threadId)[0]!;
    const perm = evaluateInteger('perm', top.context!, new Map());
    expect(perm.ok && (perm.value & 1n) === 1n).toBe(true);
    const va = evaluateInteger('va % PAGESIZE', top.context!, new Map());
    expect(va).toMatchObject({ ok: true, value: 0n });
    // A static function too, and an unknown one.
    const [stat, none] = s.setFunctionBreakpoints([{ name: 'map_page' }, { name: 'no_such_function' }]);
    expect(stat!.verified).toBe(true);
    expect(none).toMatchObject({ verified: false, message: expect.stringMatching(/No function called no_such_function/) });
  });

  it('frame ids name a thread and a depth: a frame asked for after the machine moved is that depth now', () => {
    const s = launch();
    s.setBreakpoints(ALLOCATOR_C, [{ line: YIELD, condition: 'pid == 2' }]);
    const first = startToStop(s).stop;
    const [top] = s.stackTrace(first.threadId).frames;
    // VS Code's Variables view may ask about the previous stop's top frame after a step, before the new stack trace.
    const second = continueToStop(s).stop;
    expect(second.threadId).toBe(first.threadId);
    expect(second.icount).toBeGreaterThan(first.icount);
    const again = s.frame(top!.id);
    expect(again.name).toBe('process_main');
    expect(again.id).toBe(top!.id);
    expect(s.stackTrace(second.threadId).frames[0]!.id).toBe(top!.id);
    // An id no thread has is still an error, with the id in it.
    expect(() => s.frame(424242)).toThrow(/No frame 424242/);
  });

  it('a condition with pid stops only that process', () => {
    const s = launch();
    s.setBreakpoints(ALLOCATOR_C, [{ line: YIELD, condition: 'pid == 3' }]);
    let result = startToStop(s);
    for (let i = 0; i < 3; i++) {
      expect(result.stop.threadId).toBe(3);
      expect(result.stop.reason).toBe('breakpoint');
      if (i < 2) result = continueToStop(s);
    }
  });

  it('hit counts: "3" stops once, on the third hit; "% 2" on every second; an instruction breakpoint', () => {
    const plain = launch();
    plain.setFunctionBreakpoints([{ name: 'exception' }]);
    const icounts = [startToStop(plain).stop.icount];
    for (let i = 0; i < 3; i++) icounts.push(continueToStop(plain).stop.icount);

    const third = launch();
    third.setFunctionBreakpoints([{ name: 'exception', hitCondition: '3' }]);
    expect(startToStop(third).stop.icount).toBe(icounts[2]);

    const every = launch();
    every.setFunctionBreakpoints([{ name: 'exception', hitCondition: '% 2' }]);
    expect(startToStop(every).stop.icount).toBe(icounts[1]);
    expect(continueToStop(every).stop.icount).toBe(icounts[3]);

    // An instruction breakpoint at the same address (where the function breakpoint sits: after the prologue).
    const insn = launch();
    const body = insn.map.kernelFunction('exception')!.bodyStart;
    const [ib] = insn.setInstructionBreakpoints([{ instructionReference: `0x${body.toString(16)}` }]);
    expect(ib).toMatchObject({ verified: true, source: KERNEL_C, locations: [{ image: '*', address: body }] });
    const atInsn = startToStop(insn).stop;
    expect(atInsn).toMatchObject({ reason: 'instruction breakpoint', icount: icounts[0], hitBreakpointIds: [ib!.id] });

    const bad = launch();
    const [r] = bad.setFunctionBreakpoints([{ name: 'exception', hitCondition: 'often' }]);
    expect(r).toMatchObject({ verified: false, message: expect.stringMatching(/not a count/) });
  });

  it('a logpoint prints with {expressions} interpolated and does not stop', () => {
    const s = launch();
    s.setBreakpoints(ALLOCATOR_C, [{ line: YIELD, logMessage: 'pid {pid} heap {heap_top % PAGESIZE}' }]);
    const events = [...s.start(), ...s.runUntilStop(15)];
    expect(events.some((e) => e.kind === 'stopped')).toBe(false);
    expect(s.running).toBe(true);
    const log = outputText(events, 'console');
    expect(log).toMatch(/^pid 1 heap 0$/m);
    expect(log).toMatch(/^pid [234] heap 0$/m);
    const paused = s.pause();
    expect(paused).toContainEqual(expect.objectContaining({ kind: 'stopped', reason: 'pause' }));
  });

  it("with the inspection side's C evaluator, conditions and logpoints are C", () => {
    const s = launch({ evaluator: inspectConditionEvaluator, defines: { NO_SLOWDOWN: '1' } });
    s.setFunctionBreakpoints([{ name: 'syscall_page_alloc', condition: 'p->p_pid == 2 && va >= PROC_START_ADDR && pid == 2' }]);
    const { stop } = startToStop(s);
    expect(stop.reason).toBe('function breakpoint');
    const top = frames(s, KERNEL_THREAD_ID)[0]!;
    expect(top.name).toBe('syscall_page_alloc');
    expect(evaluateInteger('va >= 0x140000', top.context!, new Map())).toMatchObject({ ok: true, value: 1n });
    s.setFunctionBreakpoints([]);
    const line = lineOf(kernelText, 'current->p_registers = *reg;', 'void exception(');
    s.setBreakpoints(KERNEL_C, [{ line, logMessage: 'owner {pageinfo[PAGENUMBER(0x100000)].owner} pid {current->p_pid}' }]);
    const events = [...s.continue(), ...s.runUntilStop(3)];
    expect(outputText(events, 'console')).toMatch(/^owner 1 pid [1-4]$/m);
    s.pause();
  });

  it('lines without code, launch errors and bad requests come back as messages', () => {
    const s = launch();
    const [none] = s.setBreakpoints(ALLOCATOR_C, [{ line: 10_000 }]);
    expect(none).toMatchObject({ verified: false, message: expect.stringMatching(/No code at or after line 10000/) });
    expect(() => s.setExceptionFilters([{ filterId: 'bogus' as never }])).toThrow(/No exception filter bogus/);
    expect(() => s.continue()).toThrow(/not started/);
    s.start();
    expect(() => s.stackTrace(1)).toThrow(/running/);
    s.pause();
    expect(() => s.stackTrace(42)).toThrow(/No thread 42/);
    expect(() => s.frame(123456)).toThrow(/No frame 123456/);

    const bad = DebugSession.launch({ host: { readFile: (p) => (p === '/lab/kernel.c' ? 'void kernel(const char* c) { int x = ; }\n' : undefined) }, workspace: '/lab' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.message).toMatch(/does not compile: .*kernel\.c:1:/);
    expect(bad.diagnostics.some((d) => d.severity === 'error' && d.range.start.file === '/lab/kernel.c')).toBe(true);
  });
});
