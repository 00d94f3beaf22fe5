// Snapshots for the panel's tests, recorded at test time from real runs:
// the reference kernel stopped before and after a virtual_memory_map (the
// diff shows the new mapping), and the broken-kernel fixtures of
// test/weensyos/broken-kernels.test.ts stopped where they go wrong. Each is
// the snapshot the debug adapter would send (takeSnapshot of a debug
// session's machine), so the browser tests see exactly what the extension
// posts.

import { expect } from 'vitest';
import {
  auditPages, bootWeensyOS, buildWeensyOS, diffSnapshots, formatDiagnostic, inspectConditionEvaluator, readKernelState, takeSnapshot,
  weensyosFile, WEENSYOS_ROOT, type DebugSession, type Machine, type PanelSnapshot, type SnapshotDiff, type WeensyBuild,
} from '../../emulator/index';
import { continueToStop, launch, lineOf, startToStop } from '../debug/session-harness';
import { editedKernel } from '../weensyos/kernel-edits';

export interface Picture {
  readonly snapshot: PanelSnapshot;
  readonly diff: SnapshotDiff | null;
}

const KERNEL_C = `${WEENSYOS_ROOT}/kernel.c`;
const kernelText = weensyosFile('kernel.c')!;

function snap(s: DebugSession): PanelSnapshot {
  return takeSnapshot(s.machine, s.build);
}

/**
 * The reference kernel in syscall_page_alloc for process 2 (ticks > 2):
 * stopped before it allocates, then after virtual_memory_map has mapped the
 * page (the `return 0;` that follows map_page). `diff` is the adapter's
 * diff between the two stops.
 */
export function referenceAfterMap(): { before: PanelSnapshot; after: PanelSnapshot; diff: SnapshotDiff; va: number } {
  const s = launch({ evaluator: inspectConditionEvaluator });
  const alloc = lineOf(kernelText, 'void* page = allocate_physical_page(p->p_pid);', 'static int syscall_page_alloc(');
  const mapped = lineOf(kernelText, 'return 0;', 'if (map_page(p, va, (uintptr_t) page, PTE_P | PTE_W | PTE_U) == 0) {');
  s.setBreakpoints(KERNEL_C, [{ line: alloc, condition: 'p->p_pid == 2 && ticks > 2' }]);
  startToStop(s);
  const before = snap(s);
  s.setBreakpoints(KERNEL_C, [{ line: mapped, condition: 'p->p_pid == 2' }]);
  continueToStop(s);
  const after = snap(s);
  const p2 = after.processes.find((p) => p.pid === 2)!;
  const added = diffSnapshots(before, after).entries.find((e) => e.l1 === p2.pagetable && e.level === 3 && e.change === 'added');
  expect(added, 'virtual_memory_map added an L4 entry in process 2').toBeDefined();
  s.terminate();
  return { before, after, diff: diffSnapshots(before, after), va: added!.va };
}

/**
 * The reference kernel stopped in exception() at `check_keyboard();`, just
 * after memshow_physical and memshow_virtual_animate drew the screen from
 * the same pageinfo and page tables the snapshot reads: the panel's maps must
 * equal the kernel's own drawing, cell for cell.
 */
export function referenceAtMemshow(spec: { readonly command?: string; readonly condition: string }): PanelSnapshot {
  const s = stoppedReference(spec.condition, spec.command);
  const snapshot = snap(s);
  s.terminate();
  return snapshot;
}

/** The reference kernel's debug session, stopped as referenceAtMemshow describes (the caller terminates it). */
export function stoppedReference(condition: string, command?: string): DebugSession {
  const s = launch({ evaluator: inspectConditionEvaluator, ...(command ? { command } : {}) });
  s.setBreakpoints(KERNEL_C, [{ line: lineOf(kernelText, 'check_keyboard();', 'void exception('), condition }]);
  startToStop(s);
  return s;
}

/** A broken kernel stopped at its first user-mode or kernel-mode page fault (the fault pending, as the debugger stops). */
function stopAtFault(kernel: string, filter: 'pagefault-user' | 'pagefault-kernel', command?: string): PanelSnapshot {
  const s = launch({ kernelText: kernel, ...(command ? { command } : {}) });
  s.setExceptionFilters([{ filterId: filter }]);
  const { stop } = startToStop(s);
  expect(stop.reason).toBe('exception');
  const snapshot = snap(s);
  s.terminate();
  return snapshot;
}

/** The console page mapped without PTE_U: p-forkexit's child faults reading the screen. */
export function consoleNotUser(): PanelSnapshot {
  return stopAtFault(editedKernel([[
    '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W | PTE_U, NULL);',
    '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W, NULL);',
  ]]), 'pagefault-user', 'forkexit');
}

/** The kernel stack page left out of process page tables: the first interrupt's push faults in kernel mode. */
export function kernelStackMissing(): PanelSnapshot {
  return stopAtFault(editedKernel([[
    '        if (vam.pn < 0) {\n            continue;',
    '        if (vam.pn < 0 || va == KERNEL_STACK_TOP - PAGESIZE) {\n            continue;',
  ]]), 'pagefault-kernel');
}

function build(kernel: string, defines: Record<string, string> = {}): WeensyBuild {
  const files = new Map([['/lab/kernel.c', kernel]]);
  const b = buildWeensyOS({ host: { readFile: (p) => files.get(p) }, workspace: '/lab', defines: new Map(Object.entries(defines)) });
  expect(b.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  return b;
}

/** Runs a build in slices until the page audit reports a finding of `kind`; the snapshot then. */
function runUntilFinding(b: WeensyBuild, kind: string, command?: string): PanelSnapshot {
  const m: Machine = bootWeensyOS(b.kernel!, { command, output: { log: () => {} } });
  for (let i = 0; i < 400; i++) {
    const stop = m.run(100_000);
    if (auditPages(m.memory, readKernelState(m.memory, b.kernel!)).findings.some((f) => f.kind === kind)) break;
    if (stop.kind !== 'budget') break;
  }
  const snapshot = takeSnapshot(m, { kernel: b.kernel!, programs: b.programs, macros: b.macros });
  expect(snapshot.findings.map((f) => f.kind)).toContain(kind);
  return snapshot;
}

/** fork shares writable pages instead of copying them (FORCE_FORK): two processes can write one page. */
export function forkSharesWritable(): PanelSnapshot {
  return runUntilFinding(build(editedKernel([['    if (perm & PTE_W) {\n#if COPY_ON_WRITE', '    if ((perm & PTE_W) && 0) {\n#if COPY_ON_WRITE']]), { FORCE_FORK: '1', NO_SLOWDOWN: '1' }), 'shared-writable');
}

/** A process's page-table pages given to the wrong owner: the kernel's own check panics; the audit names the page. */
export function tableOwnerWrong(): PanelSnapshot {
  return runUntilFinding(build(editedKernel([['    pagetable_owner = owner;\n    x86_64_pagetable* copy = allocate_pagetable_page();', '    pagetable_owner = owner == 2 ? 3 : owner;\n    x86_64_pagetable* copy = allocate_pagetable_page();']])), 'table-owner');
}

/** exit that frees nothing: the pages of exited processes are leaked. */
export function exitLeaks(): PanelSnapshot {
  return runUntilFinding(build(editedKernel([['    p->p_state = P_FREE;\n    free_process_memory(p);', '    p->p_state = P_FREE;']]), { NO_SLOWDOWN: '1' }), 'leak', 'forkexit');
}
