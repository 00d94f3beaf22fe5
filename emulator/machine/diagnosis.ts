// Machine-readable and human-readable accounts of a shutdown (triple fault).
// Where QEMU silently reboots, we say which access failed, in which address
// space, and at which step of which walk.

import { PFERR_FETCH, PFERR_PRESENT, PFERR_RSVD, PFERR_USER, PFERR_WRITE, INT_PAGEFAULT } from './constants';
import { vectorName, type CpuFault, type DeliveryStage } from './fault';
import { hex } from './hex';
import type { Machine } from './machine';
import type { WalkResult } from './mmu/walk';

/** One fault of the chain that ended in shutdown, as plain data. */
export interface FaultRecord {
  readonly vector: number;
  readonly name: string;
  readonly errorCode?: number;
  /** For page faults: the error code's bits in words. */
  readonly errorBits?: readonly string[];
  readonly message: string;
  /** Page faults: the faulting linear address (what CR2 receives). */
  readonly va?: number;
  readonly stage?: DeliveryStage;
  readonly duringVector?: number;
  readonly walk?: WalkResult;
}

export interface ShutdownDiagnosis {
  readonly kind: 'triple-fault';
  /** rip of the instruction (or interrupted instruction) whose event could not be delivered. */
  readonly rip: number;
  readonly cpl: number;
  /** The address space in force: CR3. */
  readonly cr3: number;
  readonly chain: readonly FaultRecord[];
  /** Several sentences for people, one per fault of the chain. */
  readonly text: string;
}

/** "not-present, write, user" */
export function pageFaultBits(code: number): string[] {
  const bits = [code & PFERR_PRESENT ? 'protection violation' : 'not-present', code & PFERR_WRITE ? 'write' : 'read', code & PFERR_USER ? 'user' : 'kernel'];
  if (code & PFERR_RSVD) bits.push('reserved bit');
  if (code & PFERR_FETCH) bits.push('instruction fetch');
  return bits;
}

export function faultRecord(f: CpuFault): FaultRecord {
  return {
    vector: f.vector,
    name: vectorName(f.vector),
    ...(f.errorCode !== undefined ? { errorCode: f.errorCode } : {}),
    ...(f.vector === INT_PAGEFAULT && f.errorCode !== undefined ? { errorBits: pageFaultBits(f.errorCode) } : {}),
    message: f.message,
    ...(f.va !== undefined ? { va: f.va } : {}),
    ...(f.stage ? { stage: f.stage, duringVector: f.duringVector } : {}),
    ...(f.walk ? { walk: f.walk } : {}),
  };
}

/** One sentence for a fault of the chain. */
export function describeFault(rec: FaultRecord): string {
  const code = rec.errorCode !== undefined ? ` (error code ${hex(rec.errorCode)}${rec.errorBits ? ': ' + rec.errorBits.join(', ') : ''})` : '';
  const head = rec.stage ? `While delivering ${vectorName(rec.duringVector ?? -1)}, ${rec.stage} raised ` : '';
  return `${head}${rec.name}${code}: ${rec.message}.`;
}

export function buildShutdownDiagnosis(m: Machine, chain: readonly CpuFault[]): ShutdownDiagnosis {
  const records = chain.map(faultRecord);
  const lines = [
    `Triple fault: the CPU shut down at rip ${hex(m.cpu.rip)} (CPL ${m.cpu.cs & 3}, address space CR3 = ${hex(m.cpu.cr3)}). QEMU would silently reboot here.`,
    ...records.map((rec, i) => `${i + 1}. ${describeFault(rec)}`),
  ];
  return { kind: 'triple-fault', rip: m.cpu.rip, cpl: m.cpu.cs & 3, cr3: m.cpu.cr3, chain: records, text: lines.join('\n') };
}
