// Address spaces the debugger reads and writes through: a page table (a
// process's, the kernel's, the current CR3) or physical memory. Every
// translation is the pure walk (mmu/walk.ts): no A/D bits, no TLB fill, no
// fault. The debugger reads as the kernel would (a supervisor access), so
// only a missing mapping or a reserved bit stops it, not PTE_U or PTE_W.

import { CR0_PG, CR0_WP, MEMSIZE_PHYSICAL } from '../../machine/constants';
import { hex } from '../../machine/hex';
import type { Machine } from '../../machine/machine';
import { READ } from '../../machine/mmu/access';
import { isCanonical, LEVEL_NAMES, walk, type WalkResult } from '../../machine/mmu/walk';

export type AddressSpace =
  /** Virtual addresses through the L1 table at `cr3`; `label` names it in messages ("process 3"). */
  | { readonly kind: 'virtual'; readonly cr3: number; readonly label: string }
  | { readonly kind: 'physical' };

export const PHYSICAL: AddressSpace = { kind: 'physical' };

/** Where a debugger access to one address ends up, or why it cannot. */
export type Translation = { readonly ok: true; readonly pa: number } | { readonly ok: false; readonly message: string; readonly walk?: WalkResult };

const TWO32 = 4294967296;

/** The pure walk of `va` through the table at `cr3`, as a supervisor access of kind `access`. */
export function walkIn(machine: Machine, cr3: number, va: number, access = READ): WalkResult | undefined {
  const lo = va | 0;
  const hi = Math.floor(va / TWO32) | 0;
  if (!isCanonical(lo, hi)) return undefined;
  const regs = { cr0: machine.cpu.cr0 | CR0_PG | CR0_WP, cr3, cr4: machine.cpu.cr4, efer: machine.cpu.efer };
  return walk((pa) => machine.memory.peek64(pa), regs, lo, hi, access);
}

/** One sentence on why the walk failed: "L4 entry 511 is not present". */
export function walkFailureReason(w: WalkResult): string {
  const step = w.failedLevel !== undefined ? w.steps[w.failedLevel] : undefined;
  if (!step) return 'the walk failed';
  const entry = `${LEVEL_NAMES[step.level]} entry ${step.index}`;
  if (w.failure === 'reserved-bit') return `${entry} has reserved bits set (${step.reservedBits?.join(', ') ?? '?'})`;
  return `${entry} is not present`;
}

/** Translates one address for the debugger. */
export function translateAddress(machine: Machine, space: AddressSpace, address: number): Translation {
  if (!Number.isSafeInteger(address)) return { ok: false, message: `${hex(address)} is not an address` };
  if (space.kind === 'physical') {
    if (address < 0 || address >= machine.memory.size) return { ok: false, message: `physical address ${hex(address)} is beyond physical memory (${hex(machine.memory.size)} bytes)` };
    return { ok: true, pa: address };
  }
  const w = walkIn(machine, space.cr3, address);
  if (!w) return { ok: false, message: `${hex(address)} is not a canonical address` };
  if (!w.ok) return { ok: false, message: `${hex(address)} is not mapped in ${space.label}: ${walkFailureReason(w)}`, walk: w };
  if (w.pa >= machine.memory.size) return { ok: false, message: `${hex(address)} in ${space.label} maps to physical ${hex(w.pa)}, beyond physical memory` };
  return { ok: true, pa: w.pa };
}

/** Reads `length` bytes; stops at the first unreadable byte (`error` says why). */
export function readSpace(machine: Machine, space: AddressSpace, address: number, length: number): { readonly bytes: Uint8Array; readonly error?: string } {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const at = address + done;
    const t = translateAddress(machine, space, at);
    if (!t.ok) return { bytes: out.subarray(0, done), error: t.message };
    const inPage = Math.min(length - done, 4096 - (((at % 4096) + 4096) % 4096), machine.memory.size - t.pa);
    out.set(machine.memory.bytes.subarray(t.pa, t.pa + inPage), done);
    done += inPage;
  }
  return { bytes: out };
}

/** Writes bytes through PhysicalMemory (so decoded code and TLB bookkeeping see the write); all or nothing. */
export function writeSpace(machine: Machine, space: AddressSpace, address: number, data: Uint8Array): { readonly ok: true } | { readonly ok: false; readonly message: string } {
  const pas: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const at = address + i;
    if (i === 0 || at % 4096 === 0 || space.kind === 'physical') {
      const t = translateAddress(machine, space, at);
      if (!t.ok) return { ok: false, message: t.message };
      pas.push(t.pa);
    } else {
      pas.push(pas[i - 1]! + 1);
    }
  }
  for (let i = 0; i < data.length; i++) machine.memory.write8(pas[i]!, data[i]!);
  return { ok: true };
}

/** The size of physical memory WeensyOS assumes (for messages about pages). */
export const PHYSICAL_PAGES = MEMSIZE_PHYSICAL / 4096;
