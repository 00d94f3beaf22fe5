import type { Access } from './mmu/access';
import type { WalkResult } from './mmu/walk';

/** Architectural names of the vectors (SDM Table 6-1). */
export const VECTOR_NAMES: Readonly<Record<number, string>> = {
  0: '#DE divide error', 1: '#DB debug', 2: 'NMI', 3: '#BP breakpoint', 4: '#OF overflow', 5: '#BR bound range',
  6: '#UD invalid opcode', 7: '#NM device not available', 8: '#DF double fault', 10: '#TS invalid TSS',
  11: '#NP segment not present', 12: '#SS stack fault', 13: '#GP general protection', 14: '#PF page fault',
  16: '#MF floating point', 17: '#AC alignment check', 18: '#MC machine check', 19: '#XM SIMD',
};

export function vectorName(vector: number): string {
  if (VECTOR_NAMES[vector]) return VECTOR_NAMES[vector]!;
  if (vector === 32) return 'timer interrupt';
  if (vector >= 48 && vector < 64) return `system call ${vector}`;
  return `interrupt ${vector}`;
}

/** Where in trap delivery the CPU was when a fault happened. */
export type DeliveryStage = 'reading the IDT gate' | 'reading rsp0 from the TSS' | 'pushing the trap frame';

/**
 * A fault raised by an instruction or by trap delivery. Thrown (it is not an
 * Error, so no JS stack is captured) from deep inside an access and caught by
 * the run loop, which delivers it.
 */
export class CpuFault {
  constructor(
    readonly vector: number,
    /** The error code pushed, or undefined for vectors without one. */
    readonly errorCode: number | undefined,
    /** A sentence saying what went wrong, for people. */
    readonly message: string,
    /** Page faults: the linear address (CR2) and the walk that failed. */
    readonly va?: number,
    readonly walk?: WalkResult,
    readonly access?: Access,
    /** Set when the fault happened while the CPU delivered another event. */
    readonly stage?: DeliveryStage,
    /** A page fault taken on a stale TLB entry: the page tables now allow the access. */
    readonly fromStaleTlb?: boolean,
    /** With `stage`: the vector that was being delivered. */
    readonly duringVector?: number,
  ) {}

  /** This fault, marked as having happened while the CPU delivered `vector`. */
  during(stage: DeliveryStage, vector: number): CpuFault {
    if (this.stage) return this;
    return new CpuFault(this.vector, this.errorCode, this.message, this.va, this.walk, this.access, stage, this.fromStaleTlb, vector);
  }
}
