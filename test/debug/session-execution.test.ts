// The debug session's execution control: exception filters (the console
// fixture's user page fault, conditions), stepping across the user-kernel
// boundary, pause while the kernel spins, and determinism.

import { describe, expect, it } from 'vitest';
import { KERNEL_THREAD_ID, WEENSYOS_ROOT, consoleText, readConsole, weensyosFile } from '../../emulator/index';
import { SLOW, baseName, continueToStop, editedKernel, frames, launch, lineOf, outputText, runToStop, startToStop, where, type Stopped } from './session-harness';
import type { DebugSession } from '../../emulator/index';

const ALLOCATOR_C = `${WEENSYOS_ROOT}/p-allocator.c`;
const allocatorText = weensyosFile('p-allocator.c')!;
const forkexitText = weensyosFile('p-forkexit.c')!;
const YIELD = lineOf(allocatorText, 'sys_yield();', 'heap_top += PAGESIZE');
const ALLOC_IF = lineOf(allocatorText, 'sys_page_alloc(heap_top) < 0');
const HEAP_WRITE = lineOf(allocatorText, '*heap_top = p;');
const WHILE = lineOf(allocatorText, 'while (1) {');

/** The reference kernel with the console page mapped without PTE_U (broken-kernels.test.ts's fixture). */
const CONSOLE_NOT_USER = editedKernel([[
  '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W | PTE_U, NULL);',
  '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W, NULL);',
]]);

/** The reference kernel where sys_yield blocks the caller for good: soon nothing is runnable. */
const YIELD_BLOCKS = editedKernel([['    case INT_SYS_YIELD:\n        schedule();', '    case INT_SYS_YIELD:\n        current->p_state = P_BLOCKED;\n        schedule();']]);

function consoleRow(s: DebugSession, row: number): string {
  return consoleText(readConsole(s.machine.memory))[row] ?? '';
}

describe('debug session: exception filters', SLOW, () => {
  it('stops at the console fixture user page fault before delivery, then delivers it to exception()', () => {
    const s = launch({ kernelText: CONSOLE_NOT_USER, command: 'forkexit' });
    s.setExceptionFilters([{ filterId: 'pagefault-user' }]);
    const { stop } = startToStop(s);
    expect(stop.reason).toBe('exception');
    expect(stop.threadId).not.toBe(KERNEL_THREAD_ID);
    const info = s.exceptionInfo(stop.threadId);
    expect(info.exceptionId).toBe('pagefault-user');
    const d = info.details;
    expect(d.vector).toBe(14);
    expect(d.cr2).toBeGreaterThanOrEqual(0xb8f00);
    expect(d.cr2).toBeLessThan(0xb9000);
    expect(d.errorCode).toBe(5);
    expect(d.errorBits).toEqual(['protection violation', 'read', 'user']);
    expect(d.walkStep).toMatch(/^L\d entry \d+ \(.*\) of the table at 0x[0-9a-f]+: no PTE_U$/);
    expect(d.pid).toBe(stop.threadId);
    expect(info.description).toMatch(new RegExp(`^Page fault in pid ${stop.threadId} at 0xb8f`));
    // At the faulting instruction: the line that reads the console.
    expect(where(s, stop)).toBe(`process_main p-forkexit.c:${lineOf(forkexitText, 'if (console[CPOS(24, 0)])')}`);
    expect(consoleRow(s, 24)).not.toMatch(/page fault/);
    // Continuing delivers it: the kernel reports it and marks the process broken.
    const next = continueToStop(s);
    expect(next.stop.icount).toBeGreaterThan(stop.icount);
    expect(consoleRow(s, 24)).toMatch(new RegExp(`^Process ${stop.threadId} page fault for 0xb8f[0-9a-f]{2} \\(read protection problem`));
    // The kernel's message on the console comes out as console output too.
    expect(outputText(next.events, 'console')).toMatch(/^Process \d+ page fault for 0xb8f/m);
    expect(s.threads().find((t) => t.id === stop.threadId)?.state).toBe('broken');
  });

  it('reports processes as they appear as thread events (p-fork forks its way to four processes)', () => {
    const s = launch({ command: 'fork' });
    const events = [...s.start(), ...s.runUntilStop(3)];
    const threads = events.filter((e) => e.kind === 'thread');
    expect(threads.map((e) => [e.reason, e.threadId])).toEqual([['started', 1], ['started', 2], ['started', 3], ['started', 4]]);
    s.pause();
    expect(s.threads().map((t) => t.id).filter((id) => id !== KERNEL_THREAD_ID)).toEqual([1, 2, 3, 4]);
  });

  it('echoes kernel messages but not the rows of the memory map (row 22 is both)', () => {
    // The allocators grow into row 22's address range (0x2C0000-0x2FF000: their stacks) at once.
    const s = launch({ command: 'allocator' });
    const events = [...s.start(), ...s.runUntilStop(10)];
    expect(consoleRow(s, 22)).toMatch(/^ {3}0x2C0000 /);
    expect(outputText(events, 'console')).not.toMatch(/0x2C0000/);
  });

  it('a filter condition over cr2, err and pid decides', () => {
    const never = launch({ kernelText: CONSOLE_NOT_USER, command: 'forkexit' });
    never.setExceptionFilters([{ filterId: 'pagefault-user', condition: 'cr2 < 0xb8000 || write' }]);
    const events = [...never.start(), ...never.runUntilStop(40)];
    expect(events.filter((e) => e.kind === 'stopped')).toEqual([]);
    expect(consoleRow(never, 24)).toMatch(/^Process \d+ page fault/);

    const always = launch({ kernelText: CONSOLE_NOT_USER, command: 'forkexit' });
    always.setExceptionFilters([{ filterId: 'pagefault-user', condition: '!write && user && present && cr2 >= 0xb8000 && err == 5 && pid > 1' }]);
    expect(startToStop(always).stop.reason).toBe('exception');
  });

  it('a fault whose delivery would shut the CPU down stops before it, with the diagnosis', () => {
    const s = launch({ kernelText: editedKernel([['        if (vam.pn < 0) {\n            continue;', '        if (vam.pn < 0 || va == KERNEL_STACK_TOP - PAGESIZE) {\n            continue;']]) });
    const { stop } = startToStop(s);
    expect(stop.reason).toBe('exception');
    const info = s.exceptionInfo(stop.threadId);
    expect(info.exceptionId).toBe('triple-fault');
    expect(info.description).toMatch(/would shut the CPU down \(triple fault\)/);
    expect(info.details.message).toMatch(/Triple fault/);
    expect(info.details.message).toMatch(/L4 entry 127/);
    // The kernel faults on its own stack as soon as it loads the first process's page table; the machine has not shut down yet.
    expect(info.details).toMatchObject({ vector: 14, user: false, errorBits: ['not-present', 'read', 'kernel'], walkStep: expect.stringMatching(/^L4 entry 127 \(empty\)/) });
    expect(s.machine.status).toBe('running');
    expect(stop.threadId).toBe(KERNEL_THREAD_ID);
    // The stack is unwound through physical memory, since the page table in force lacks it.
    expect(frames(s, KERNEL_THREAD_ID).map((f) => f.name)).toEqual(expect.arrayContaining(['set_pagetable', 'kernel', 'entry_from_boot']));
    // Continuing delivers it: the CPU shuts down, and the session says so.
    const after = continueToStop(s);
    expect(after.stop.reason).toBe('exception');
    expect(s.machine.status).toBe('shutdown');
    expect(outputText(after.events, 'important')).toMatch(/Triple fault/);
    expect(s.continue().map((e) => e.kind)).toEqual(['output', 'exited', 'terminated']);
  });

  it('general protection and other exceptions from a workspace program, each filter with its own stop', () => {
    const program = (body: string): string => `#include "process.h"
void process_main(void) {
    pid_t p = sys_getpid();
    if (p == 2) {
        ${body}
    }
    while (1) {
        sys_yield();
    }
}
`;
    const gpf = launch({ files: { 'p-allocator.c': program('lcr3(0);') } });
    gpf.setExceptionFilters([{ filterId: 'gpf', condition: 'pid == 2 && user' }]);
    const g = startToStop(gpf).stop;
    expect(gpf.exceptionInfo(g.threadId)).toMatchObject({ exceptionId: 'gpf', details: { vector: 13, user: true, pid: 2, errorCode: 0 } });
    expect(where(gpf, g)).toMatch(/^(lcr3 x86-64\.h|process_main p-allocator\.c):\d+$/);

    const de = launch({ files: { 'p-allocator.c': program('volatile int zero = 0;\n        p = p / zero;') } });
    de.setExceptionFilters([{ filterId: 'unexpected' }]);
    const d = startToStop(de).stop;
    expect(de.exceptionInfo(d.threadId)).toMatchObject({ exceptionId: 'unexpected', details: { vector: 0, user: true, pid: 2 } });
    expect(where(de, d)).toBe('process_main p-allocator.c:6');
    // Our IDT has no gate for #DE: delivering it would triple-fault, and that filter says so before it happens.
    de.setExceptionFilters([{ filterId: 'triple-fault' }]);
    const triple = continueToStop(de).stop;
    expect(triple.icount).toBe(d.icount);
    expect(de.exceptionInfo(triple.threadId)).toMatchObject({ exceptionId: 'triple-fault', details: { vector: 0, message: expect.stringMatching(/IDT gate 0 .* is not installed/) } });
    expect(de.machine.status).toBe('running');
  });

  it('a kernel panic stops at panic() with the message', () => {
    const s = launch({ kernelText: editedKernel([['    case INT_SYS_GETPID:\n', '    case INT_SYS_GETPID:\n        assert(current->p_pid == 42);\n']]) });
    const { stop } = startToStop(s);
    expect(stop.reason).toBe('exception');
    const info = s.exceptionInfo(stop.threadId);
    expect(info.exceptionId).toBe('panic');
    expect(info.details.message).toMatch(/^kernel\.c:\d+: assertion 'current->p_pid == 42' failed$/);
    expect(frames(s, stop.threadId).map((f) => f.name).slice(0, 2)).toEqual(['assert_fail', 'exception']);
  });
});

/** Stops a session at the p-allocator line `line` in process `pid`. */
function stopAt(line: number, pid: number): { s: DebugSession; stop: Stopped } {
  const s = launch();
  s.setBreakpoints(ALLOCATOR_C, [{ line, condition: `pid == ${pid}` }]);
  const { stop } = startToStop(s);
  expect(stop.threadId).toBe(pid);
  s.setBreakpoints(ALLOCATOR_C, []);
  return { s, stop };
}

describe('debug session: stepping', SLOW, () => {
  it('next over sys_yield() lands on the next line of the same process, after others ran', () => {
    const { s, stop } = stopAt(YIELD, 2);
    const { stop: after } = runToStop(s, s.next(2));
    expect(after).toMatchObject({ reason: 'step', threadId: 2 });
    expect(where(s, after)).toBe(`process_main p-allocator.c:${WHILE}`);
    // The kernel ran, and so did the other processes (the step took more than one trap's worth).
    expect(after.icount - stop.icount).toBeGreaterThan(100_000);
  });

  it('step into sys_page_alloc, into exception(), and out to the next line of the same process', () => {
    const { s } = stopAt(ALLOC_IF, 2);
    const inHeader = runToStop(s, s.stepIn(2)).stop;
    expect(where(s, inHeader)).toMatch(/^sys_page_alloc process\.h:\d+$/);
    const inKernel = runToStop(s, s.stepIn(2)).stop;
    expect(inKernel.threadId).toBe(KERNEL_THREAD_ID);
    const fs = frames(s, KERNEL_THREAD_ID);
    expect(fs.map((f) => f.name).slice(0, 3)).toEqual(['exception', 'exception_entry', 'system call sys_page_alloc from pid 2']);
    expect(fs[2]!.presentationHint).toBe('label');
    expect(fs.slice(3).map((f) => f.name)).toEqual(['sys_page_alloc', 'process_main']);
    expect(fs[0]!.line).toBe(lineOf(weensyosFile('kernel.c')!, 'current->p_registers = *reg;', 'void exception('));
    // The process's own thread shows its user frames, from the trap frame.
    expect(frames(s, 2).map((f) => f.name)).toEqual(['sys_page_alloc', 'process_main']);
    const out = runToStop(s, s.stepOut(KERNEL_THREAD_ID)).stop;
    expect(out).toMatchObject({ reason: 'step', threadId: 2 });
    expect(where(s, out)).toBe(`process_main p-allocator.c:${HEAP_WRITE}`);
  });

  it('next in the kernel through run() continues in the process it resumes', () => {
    const s = launch();
    s.setFunctionBreakpoints([{ name: 'run' }]);
    startToStop(s);
    s.setFunctionBreakpoints([]);
    // Step over every line of run(): the last one, exception_return(), never returns.
    let stop: Stopped | undefined;
    for (let i = 0; i < 6; i++) {
      stop = runToStop(s, s.next(KERNEL_THREAD_ID)).stop;
      if (stop.threadId !== KERNEL_THREAD_ID) break;
    }
    expect(stop!.threadId).not.toBe(KERNEL_THREAD_ID);
    const top = frames(s, stop!.threadId)[0]!;
    expect(baseName(top.source!)).toMatch(/^(p-allocator\.c|process\.h)$/);
  });

  it('instruction steps: one instruction, over a call, and into the trap handler at an int', () => {
    const { s, stop } = stopAt(YIELD, 1);
    // Line 39 starts with the call of sys_yield: stepping over it runs all of it.
    const over = runToStop(s, s.next(1, 'instruction')).stop;
    expect(over.threadId).toBe(1);
    expect(where(s, over)).toBe(`process_main p-allocator.c:${WHILE}`);
    const { s: s2, stop: stop2 } = stopAt(YIELD, 1);
    void stop;
    const into = runToStop(s2, s2.stepIn(1, 'instruction')).stop;
    expect(into.icount).toBe(stop2.icount + 1);
    expect(frames(s2, 1).map((f) => f.name)).toEqual(['sys_yield', 'process_main']);
    let st = into;
    for (let i = 0; i < 20 && st.threadId === 1; i++) st = runToStop(s2, s2.stepIn(1, 'instruction')).stop;
    expect(st.threadId).toBe(KERNEL_THREAD_ID);
    expect(frames(s2, KERNEL_THREAD_ID).map((f) => f.name).slice(0, 2)).toEqual(['exception_entry', 'system call sys_yield from pid 1']);
  });
});

describe('debug session: pause, threads and determinism', SLOW, () => {
  it('pausing a kernel that spins with nothing runnable says so', () => {
    const s = launch({ kernelText: YIELD_BLOCKS });
    const events = [...s.start(), ...s.runUntilStop(30)];
    expect(s.running).toBe(true);
    expect(outputText(events, 'important')).toMatch(/without a user instruction/);
    const paused = s.pause().find((e): e is Stopped => e.kind === 'stopped')!;
    expect(paused.reason).toBe('pause');
    expect(paused.threadId).toBe(KERNEL_THREAD_ID);
    expect(paused.description).toMatch(/no process is runnable, so the kernel spins in schedule\(\)/);
    expect(s.threads().filter((t) => t.id !== KERNEL_THREAD_ID).map((t) => t.state)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    // Keys still work: 'q' powers off.
    s.sendKeys('q');
    const end = [...s.continue(), ...s.runUntilStop(20)];
    expect(end.map((e) => e.kind)).toEqual(expect.arrayContaining(['exited', 'terminated']));
  });

  it('two sessions with the same breakpoints stop at the same instruction counts, whatever the slices', () => {
    const stops = (slice: number): number[] => {
      const s = launch();
      s.setBreakpoints(ALLOCATOR_C, [{ line: YIELD, condition: 'pid != 1' }]);
      s.setFunctionBreakpoints([{ name: 'syscall_page_alloc', hitCondition: '% 3' }]);
      const out: number[] = [];
      let events = s.start();
      for (let i = 0; i < 5; i++) {
        const r = runToStop(s, events, 10_000, slice);
        out.push(r.stop.icount);
        events = s.continue();
      }
      return out;
    };
    expect(stops(1_000_000)).toEqual(stops(3_333_333));
  });

  it('restart boots again with the breakpoints kept', () => {
    const s = launch();
    s.setFunctionBreakpoints([{ name: 'process_setup' }]);
    const first = startToStop(s).stop;
    const again = runToStop(s, s.restart()).stop;
    expect(again.icount).toBe(first.icount);
    expect(s.terminate().map((e) => e.kind)).toEqual(['terminated']);
  });
});
