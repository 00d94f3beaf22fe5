// What the debugger reads of WeensyOS's own bookkeeping at a stop: the
// process table, pageinfo, `current` and kernel_pagetable (through the
// kernel image's symbols and debug information, kernel-state.ts), and the
// names of address spaces ("process 3", "the kernel page table").

import { CR0_PG } from '../../machine/constants';
import { hex } from '../../machine/hex';
import type { Machine } from '../../machine/machine';
import { readCurrent, readKernelState, P_FREE, type KernelState } from '../../weensyos/kernel-state';
import { PHYSICAL, type AddressSpace } from './address-space';
import type { InspectBuild } from './frame-context';

export interface KernelView {
  readonly state: KernelState;
  /** current->p_pid, or null (no `current`, or NULL). */
  readonly currentPid: number | null;
  /** The value of `current` (0 when NULL or missing). */
  readonly currentProc: number;
}

/** Reads the kernel's bookkeeping (memory only). */
export function kernelView(machine: Machine, build: InspectBuild): KernelView {
  const state = readKernelState(machine.memory, build.kernel);
  const current = readCurrent(machine.memory, build.kernel);
  return { state, currentPid: current.pid, currentProc: current.proc };
}

/** The live processes (slot > 0, not free, with a page table). */
export function liveProcesses(view: KernelView): NonNullable<KernelState['processes']> {
  return (view.state.processes ?? []).filter((p) => p.slot !== 0 && p.state !== P_FREE && p.pagetable !== 0);
}

/** "process 3", "processes 1, 2", "the kernel page table", or "the address space at 0x..." */
export function spaceLabel(view: KernelView, cr3: number): string {
  const pids = liveProcesses(view).filter((p) => p.pagetable === cr3).map((p) => p.pid);
  if (cr3 === view.state.kernelPagetable) return pids.length > 0 ? `the kernel page table (also process${pids.length > 1 ? 'es' : ''} ${pids.join(', ')})` : 'the kernel page table';
  if (pids.length === 1) return `process ${pids[0]}`;
  if (pids.length > 1) return `processes ${pids.join(', ')}`;
  return `the address space at ${hex(cr3)}`;
}

/** The address space of a CR3 value (paging off: physical). */
export function spaceOfCr3(machine: Machine, view: KernelView, cr3: number, paging = (machine.cpu.cr0 & CR0_PG) !== 0): AddressSpace {
  if (!paging) return PHYSICAL;
  const table = cr3 - (cr3 % 4096);
  return { kind: 'virtual', cr3: table, label: spaceLabel(view, table) };
}

/** The address space of process `pid`, or a message saying why there is none. */
export function spaceOfPid(view: KernelView, pid: number): AddressSpace | string {
  const procs = view.state.processes;
  if (!procs) return 'the kernel has no processes[] table the debugger can read';
  // A slot being set up (still P_FREE, but with a page table) counts: process_setup is where students look.
  const p = procs.find((q) => q.slot === pid && q.slot !== 0 && q.pagetable !== 0) ?? procs.find((q) => q.pid === pid && q.slot !== 0 && q.pagetable !== 0);
  if (!p) return `process ${pid} has no page table (its slot in processes[] is free)`;
  return { kind: 'virtual', cr3: p.pagetable, label: `process ${pid}` };
}

/** The kernel's address space: kernel_pagetable when paging is on and it is set, else physical memory. */
export function kernelSpace(machine: Machine, view: KernelView): AddressSpace {
  const kp = view.state.kernelPagetable;
  if (!(machine.cpu.cr0 & CR0_PG) || !kp) return PHYSICAL;
  return { kind: 'virtual', cr3: kp, label: 'the kernel page table' };
}
