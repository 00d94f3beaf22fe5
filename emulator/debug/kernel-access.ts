// Side-effect-free reads of the stopped machine for the execution side:
// memory through any page table (the pure walk: no A/D bits, no TLB fill, no
// fault), the CPU's registers, WeensyOS's `current` and process table, and
// trap frames (x86_64_registers) on the kernel stack.

import type { LinkedImage } from '../cc/link/link';
import { CR0_PG, CR0_WP, TRAPFRAME_SIZE, TSS_RSP0_OFFSET } from '../machine/constants';
import type { Machine } from '../machine/machine';
import { READ } from '../machine/mmu/access';
import { isCanonical, walk } from '../machine/mmu/walk';
import { FRAME_GPR_ORDER, FRAME_SLOT } from '../machine/traps';
import { procLayout, readCurrent, readKernelState, type ProcessInfo, type ProcLayout } from '../weensyos/kernel-state';

const TWO32 = 4294967296;

/** An address space for reading: the L1 table at cr3, or physical memory (paging off). */
export interface Space {
  readonly cr3: number;
  readonly paging: boolean;
}

export function currentSpace(m: Machine): Space {
  return { cr3: m.cpu.cr3 - (m.cpu.cr3 % 4096), paging: (m.cpu.cr0 & CR0_PG) !== 0 };
}

/** The physical address of `va` in `space` (a supervisor read), or undefined. */
export function translate(m: Machine, space: Space, va: number): number | undefined {
  if (!space.paging) return va >= 0 && va < m.memory.size ? va : undefined;
  const lo = va | 0;
  const hi = Math.floor(va / TWO32) | 0;
  if (!isCanonical(lo, hi)) return undefined;
  const regs = { cr0: m.cpu.cr0 | CR0_PG | CR0_WP, cr3: space.cr3, cr4: m.cpu.cr4, efer: m.cpu.efer };
  const w = walk((pa) => m.memory.peek64(pa), regs, lo, hi, READ);
  return w.ok && w.pa + 1 <= m.memory.size ? w.pa : undefined;
}

/** `length` bytes at `va`, or undefined if any byte is unmapped. */
export function readBytes(m: Machine, space: Space, va: number, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const at = va + done;
    const pa = translate(m, space, at);
    if (pa === undefined) return undefined;
    const n = Math.min(length - done, 4096 - (at % 4096), m.memory.size - pa);
    out.set(m.memory.bytes.subarray(pa, pa + n), done);
    done += n;
  }
  return out;
}

/** A 64-bit little-endian value as a bigint, or undefined. */
export function read64(m: Machine, space: Space, va: number): bigint | undefined {
  const b = readBytes(m, space, va, 8);
  if (!b) return undefined;
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** An address-sized value as a JS number (exact below 2^53), or undefined. */
export function readAddress(m: Machine, space: Space, va: number): number | undefined {
  const v = read64(m, space, va);
  return v === undefined ? undefined : toNumber(v);
}

/** A bigint address as a number: the low half of the address space exactly, the high half as negative numbers (like rip). */
export function toNumber(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

export function physical64(m: Machine, pa: number): bigint {
  const b = m.memory.readBytes(pa, 8);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

export function cpuReg(m: Machine, r: number): bigint {
  return (BigInt(m.cpu.regs[2 * r + 1]! >>> 0) << 32n) | BigInt(m.cpu.regs[2 * r]! >>> 0);
}

export function cpuRegNumber(m: Machine, r: number): number {
  return m.cpu.regs[2 * r + 1]! * TWO32 + (m.cpu.regs[2 * r]! >>> 0);
}

export function isUser(m: Machine): boolean {
  return (m.cpu.cs & 3) === 3;
}

/** The trap frame a user-to-kernel transition pushed: at the TSS's rsp0, 16-aligned, minus the frame. */
export function userTrapFrameAddress(m: Machine): number | undefined {
  const rsp0 = readAddress(m, currentSpace(m), m.cpu.tr + TSS_RSP0_OFFSET);
  if (rsp0 === undefined) return undefined;
  return rsp0 - (rsp0 % 16) - TRAPFRAME_SIZE;
}

export interface TrapFrame {
  readonly address: number;
  /** The 16 general registers as the trap saved them (rsp included). */
  readonly registers: readonly bigint[];
  readonly rip: number;
  readonly rsp: number;
  readonly rbp: number;
  readonly cs: number;
  readonly intno: number;
  readonly err: number;
}

/** Reads an x86_64_registers frame at `address` (kernel memory, identity mapped), or undefined if it is unreadable or implausible. */
export function readTrapFrame(m: Machine, space: Space, address: number): TrapFrame | undefined {
  const bytes = readBytes(m, space, address, TRAPFRAME_SIZE);
  if (!bytes) return undefined;
  const slot = (k: number): bigint => {
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[8 * k + i]!);
    return v;
  };
  const registers: bigint[] = new Array<bigint>(16).fill(0n);
  FRAME_GPR_ORDER.forEach((reg, k) => {
    registers[reg] = slot(k);
  });
  registers[4] = slot(FRAME_SLOT.rsp);
  const cs = Number(slot(FRAME_SLOT.cs) & 0xffffn);
  const intno = Number(slot(FRAME_SLOT.intno) & 0xffffffffn);
  if ((cs !== 0x8 && (cs & 3) !== 3) || intno > 255) return undefined;
  return {
    address, registers, cs, intno,
    rip: toNumber(slot(FRAME_SLOT.rip)),
    rsp: toNumber(registers[4]!),
    rbp: toNumber(registers[5]!),
    err: Number(slot(FRAME_SLOT.err) & 0xffffffffn),
  };
}

/** What the session reads of the kernel's bookkeeping, with the symbol addresses looked up once. */
export class KernelAccess {
  private readonly processesAt: number | undefined;
  private readonly layout: ProcLayout;

  constructor(private readonly kernel: LinkedImage) {
    this.processesAt = kernel.symbols.get('processes')?.address;
    this.layout = procLayout(kernel);
  }

  /** current->p_pid, or undefined (no `current`, or NULL). The kernel is identity mapped. */
  currentPid(m: Machine): number | undefined {
    return readCurrent(m.memory, this.kernel).pid ?? undefined;
  }

  processes(m: Machine): readonly ProcessInfo[] {
    return readKernelState(m.memory, this.kernel).processes ?? [];
  }

  kernelPagetable(m: Machine): number | undefined {
    return readKernelState(m.memory, this.kernel).kernelPagetable ?? undefined;
  }

  /** The physical address of process slot `slot`'s p_registers. */
  savedRegistersAt(slot: number): number | undefined {
    if (this.processesAt === undefined) return undefined;
    return this.processesAt + slot * this.layout.size + this.layout.registers;
  }
}
