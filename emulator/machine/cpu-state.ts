import { FL_RESERVED1, SEGSEL_KERN_CODE, SEGSEL_KERN_DATA } from './constants';
import type { PagingRegisters } from './mmu/access';

/**
 * The architectural register state. Everything is a number or a typed array,
 * so the state can be copied, saved and compared as data.
 */
export class CpuState implements PagingRegisters {
  /**
   * The register file the interpreter indexes: the 16 general registers, then
   * ZERO_REG (register 16), which the [abs32] forms use as their base. No
   * encoding can name it (register fields are 4 bits), so it is never written
   * and always reads 0; it is not architectural state, so `regs` leaves it out.
   */
  readonly regFile: Int32Array;
  /** General registers as int32 halves: register r is (regs[2r], regs[2r+1]) = (lo, hi). A view of regFile. */
  readonly regs: Int32Array;
  /** Instruction pointer, a canonical linear address as a signed JS integer. */
  rip = 0;
  rflags = FL_RESERVED1;
  cs = SEGSEL_KERN_CODE;
  ss = SEGSEL_KERN_DATA;
  fs = 0;
  gs = 0;
  cr0 = 0;
  /** The last page-fault linear address, signed like rip. */
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  efer = 0;
  /** Linear address of the IDT (256 gates of 16 bytes). */
  idtr = 0;
  /** Linear address of the TSS. */
  tr = 0;

  /** `regFile`: 34 zeroed int32 for the register file (the machine's WebAssembly memory lends them); default new ones. */
  constructor(regFile: Int32Array = new Int32Array(34)) {
    if (regFile.length !== 34) throw new RangeError('the register file has 34 int32');
    this.regFile = regFile;
    this.regs = regFile.subarray(0, 32);
  }

  /** Current privilege level: the RPL bits of cs. */
  get cpl(): number {
    return this.cs & 3;
  }

  copyFrom(o: CpuState): void {
    this.regs.set(o.regs);
    this.rip = o.rip;
    this.rflags = o.rflags;
    this.cs = o.cs;
    this.ss = o.ss;
    this.fs = o.fs;
    this.gs = o.gs;
    this.cr0 = o.cr0;
    this.cr2 = o.cr2;
    this.cr3 = o.cr3;
    this.cr4 = o.cr4;
    this.efer = o.efer;
    this.idtr = o.idtr;
    this.tr = o.tr;
  }
}

/** Names of the scalar fields, in a fixed order, for snapshots and hashing. */
export const CPU_SCALARS = ['rip', 'rflags', 'cs', 'ss', 'fs', 'gs', 'cr0', 'cr2', 'cr3', 'cr4', 'efer', 'idtr', 'tr'] as const;
