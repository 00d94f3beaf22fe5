// The exception filters the session offers, how a CPU fault maps to one,
// and the names a filter's condition can use.

import { INT_GPF, INT_PAGEFAULT, PFERR_PRESENT, PFERR_USER, PFERR_WRITE, TRAPFRAME_SIZE, TSS_RSP0_OFFSET } from '../machine/constants';
import { pageFaultBits } from '../machine/diagnosis';
import type { CpuFault } from '../machine/fault';
import { Machine } from '../machine/machine';
import { describeStep } from '../machine/mmu/describe';
import { WRITE } from '../machine/mmu/access';
import { walk } from '../machine/mmu/walk';
import { restoreMachine, saveMachine } from '../machine/snapshot';
import { raiseFault } from '../machine/traps';
import type { ExceptionFilterDescription, ExceptionFilterId } from './debug-types';
import { currentSpace, readAddress, readBytes } from './kernel-access';

const CONDITION_NAMES = 'cr2, err, write, user, present, pid, rip';

export const EXCEPTION_FILTERS: readonly ExceptionFilterDescription[] = [
  { filter: 'pagefault-user', label: 'Page fault (user)', description: 'A page fault in user mode, stopped at the faulting instruction before the kernel sees it.', default: false },
  { filter: 'pagefault-kernel', label: 'Page fault (kernel)', description: 'A page fault in kernel mode, stopped at the faulting instruction.', default: true },
  { filter: 'gpf', label: 'General protection', description: 'A general-protection fault (#GP), stopped at the faulting instruction.', default: true },
  { filter: 'triple-fault', label: 'Triple fault', description: 'A fault whose delivery would shut the CPU down, stopped before it is delivered.', default: true },
  { filter: 'panic', label: 'Kernel panic / assertion', description: 'A call of panic() or assert_fail().', default: true },
  { filter: 'unexpected', label: 'Unexpected exception', description: 'Any other CPU exception (#UD, #DE, #SS, #NP ...).', default: false },
].map((f) => ({ ...f, filter: f.filter as ExceptionFilterId, supportsCondition: true as const, conditionDescription: `A condition over ${CONDITION_NAMES}, e.g. write && cr2 >= 0x100000` }));

export const FILTER_IDS: ReadonlySet<string> = new Set(EXCEPTION_FILTERS.map((f) => f.filter));

/** The filter a fault belongs to (not counting triple-fault, which depends on delivery). */
export function filterOf(fault: CpuFault, user: boolean): ExceptionFilterId {
  if (fault.vector === INT_PAGEFAULT) return user || fault.access?.user ? 'pagefault-user' : 'pagefault-kernel';
  if (fault.vector === INT_GPF) return 'gpf';
  return 'unexpected';
}

/** The names a filter condition sees. */
export function faultNames(m: Machine, fault: CpuFault, user: boolean, pid: number | undefined): Map<string, bigint> {
  const err = fault.errorCode ?? 0;
  const names = new Map<string, bigint>([
    ['cr2', BigInt(fault.va ?? m.cpu.cr2)],
    ['err', BigInt(err)],
    ['write', err & PFERR_WRITE ? 1n : 0n],
    ['user', user || err & PFERR_USER ? 1n : 0n],
    ['present', err & PFERR_PRESENT ? 1n : 0n],
    ['rip', BigInt(m.cpu.rip)],
    ['vector', BigInt(fault.vector)],
  ]);
  if (pid !== undefined) names.set('pid', BigInt(pid));
  return names;
}

export function errorBits(fault: CpuFault): readonly string[] | undefined {
  return fault.vector === INT_PAGEFAULT && fault.errorCode !== undefined ? pageFaultBits(fault.errorCode) : undefined;
}

/** "L4 entry 255 (empty) of the table at 0x9000: not present": the step of the walk to blame. */
export function failingWalkStep(fault: CpuFault): string | undefined {
  const w = fault.walk;
  if (!w || w.failedLevel === undefined) return undefined;
  const step = w.steps[w.failedLevel];
  if (!step) return undefined;
  const why: Record<string, string> = {
    'not-present': 'not present',
    'reserved-bit': 'reserved bits set',
    user: 'no PTE_U',
    write: 'no PTE_W',
    'execute-disable': 'XD set',
    smep: 'SMEP forbids it',
  };
  return `${describeStep(step)}: ${why[w.failure ?? ''] ?? w.failure ?? 'failed'}`;
}

/**
 * Whether delivering `fault` now would shut the CPU down, and the
 * diagnosis if so. A cheap check first: an installed IDT gate and the stack
 * the frame goes to writable in the current page table mean delivery works.
 * Otherwise delivery is simulated on a copy of the machine.
 */
export function predictTripleFault(m: Machine, fault: CpuFault): string | undefined {
  if (deliveryLooksFine(m, fault)) return undefined;
  const copy = new Machine({ memorySize: m.memory.size, instructionsPerTick: m.instructionsPerTick, jit: false });
  restoreMachine(copy, saveMachine(m));
  raiseFault(copy, fault);
  return copy.status === 'shutdown' ? copy.shutdownDiagnosis?.text ?? 'triple fault' : undefined;
}

function deliveryLooksFine(m: Machine, fault: CpuFault): boolean {
  if (fault.stage !== undefined) return false;
  const space = currentSpace(m);
  if (!space.paging) return true;
  const user = (m.cpu.cs & 3) === 3;
  const top = user ? readAddress(m, space, m.cpu.tr + TSS_RSP0_OFFSET) : m.cpu.regs[8]! >>> 0;
  if (top === undefined) return false;
  const regs = { cr0: m.cpu.cr0, cr3: m.cpu.cr3, cr4: m.cpu.cr4, efer: m.cpu.efer };
  const writable = (va: number): boolean => walk((pa) => m.memory.peek64(pa), regs, va | 0, Math.floor(va / 4294967296) | 0, WRITE).ok;
  const low = top - (top % 16) - TRAPFRAME_SIZE - 8;
  // The gate must be an installed, present interrupt or trap gate.
  const attr = readBytes(m, space, m.cpu.idtr + fault.vector * 16 + 8, 1)?.[0];
  const gateOk = attr !== undefined && (attr & 0x80) !== 0 && ((attr & 0xf) === 0xe || (attr & 0xf) === 0xf);
  return gateOk && writable(top - 8) && writable(low);
}
