// The 4-level page walk of x86-64 (Intel SDM Vol. 3A, 4.5 "4-Level Paging",
// 4.6 "Access Rights", 4.7 "Page-Fault Exceptions"), as a pure function.
//
// A 48-bit canonical linear address splits 9|9|9|9|12:
//
//   47      39 38      30 29      21 20      12 11          0
//  +----------+----------+----------+----------+-------------+
//  | L1 index | L2 index | L3 index | L4 index | page offset |
//  +----------+----------+----------+----------+-------------+
//    (PML4)     (PDPT)     (PD)       (PT)
//
// Levels are numbered as WeensyOS numbers them: level 0 is the top table,
// called L1 (Intel's PML4); level 3 is the leaf table, L4 (Intel's page
// table). This is the reverse of Intel's naming, and what kernel.c's
// PAGEINDEX(addr, level) and L1PAGEINDEX..L4PAGEINDEX mean.
//
// The walk reads memory and nothing else: it sets no A/D bits, fills no TLB,
// writes no CR2. `mmu.ts` applies those side effects in one place; debuggers
// call this directly to translate without disturbing the machine.

import {
  CR0_PG, CR0_WP, CR4_PGE, CR4_SMEP, EFER_NXE, MAXPHYADDR,
  PFERR_FETCH, PFERR_PRESENT, PFERR_RSVD, PFERR_USER, PFERR_WRITE,
  PTE_P, PTE_PS, PTE_U, PTE_W, PTE_XD_HI,
} from '../constants';
import { R } from '../int64';
import type { Access, PagingRegisters } from './access';

export const LEVEL_NAMES = ['L1', 'L2', 'L3', 'L4'] as const;

/** What one level of the walk did with its entry. */
export type StepDecision =
  | 'table' // present; points at the next table
  | 'page' // present leaf mapping a 4 KiB page (L4)
  | 'large-page' // present L3 entry with PS: a 2 MiB page
  | 'not-present' // P clear: the walk stops here
  | 'reserved-bit'; // a reserved bit is set: the walk stops here

export interface WalkStep {
  /** WeensyOS level: 0 = L1 (top) ... 3 = L4 (leaf). */
  readonly level: number;
  /** Physical address of the table read at this level. */
  readonly tableAddress: number;
  /** Index of the entry in that table (0-511). */
  readonly index: number;
  /** Physical address of the entry (tableAddress + 8 * index). */
  readonly entryAddress: number;
  /** The entry, as unsigned 32-bit halves. */
  readonly entryLo: number;
  readonly entryHi: number;
  readonly decision: StepDecision;
  /** For 'reserved-bit': which reserved bits are set, as a readable list. */
  readonly reservedBits?: readonly string[];
}

/** Why a translation failed. */
export type WalkFailure =
  | 'not-present'
  | 'reserved-bit'
  | 'user' // user-mode access to a page some level marks supervisor-only (U clear)
  | 'write' // write to a page some level marks read-only (W clear)
  | 'execute-disable' // fetch from a page some level marks XD (EFER.NXE set)
  | 'smep'; // supervisor fetch from a user page with CR4.SMEP set

export interface WalkResult {
  readonly ok: boolean;
  /** The linear address translated, as a signed JS integer (exact for canonical addresses). */
  readonly va: number;
  readonly access: Access;
  /** The physical address, or -1 on failure. */
  readonly pa: number;
  /** 4096, or 0x200000 for a 2 MiB page; 0 on failure. */
  readonly pageSize: number;
  /** One record per level visited, top first. Empty when paging is off. */
  readonly steps: readonly WalkStep[];
  /** Effective rights: the AND of U and of W over every level visited; XD is the OR. */
  readonly user: boolean;
  readonly write: boolean;
  readonly executeDisable: boolean;
  /** The G bit of the leaf (honoured by the TLB only when CR4.PGE is set). */
  readonly global: boolean;
  readonly failure?: WalkFailure;
  /** The level to blame: where the walk stopped, or the first level lacking the right. */
  readonly failedLevel?: number;
  /** The page-fault error code the CPU would push (0 on success). */
  readonly errorCode: number;
}

/** Bits 51:MAXPHYADDR of an entry, as a mask on its high word. */
const RESERVED_ADDRESS_HI = ((1 << (52 - 32)) - 1) & ~((1 << (MAXPHYADDR - 32)) - 1);
/** Bits 39:12 (with MAXPHYADDR = 40): the physical-address field of an entry, high word. */
const ADDRESS_HI = (1 << (MAXPHYADDR - 32)) - 1;
const TWO32 = 4294967296;

/** The physical address held in an entry (bits MAXPHYADDR-1:12). */
export function entryAddress(lo: number, hi: number): number {
  return (hi & ADDRESS_HI) * TWO32 + ((lo & ~0xfff) >>> 0);
}

/** True when bits 63:47 of the address all equal bit 47 (SDM 3.3.7.1). */
export function isCanonical(_lo: number, hi: number): boolean {
  const top = hi >> 15; // bits 63:47 as a sign-extended 17-bit field
  return top === 0 || top === -1;
}

/** The four page-table indices of a linear address, L1 first. */
export function pageIndices(lo: number, hi: number): [number, number, number, number] {
  return [(hi >>> 7) & 511, ((lo >>> 30) | (hi << 2)) & 511, (lo >>> 21) & 511, (lo >>> 12) & 511];
}

function reservedBits(lo: number, hi: number, level: number, regs: PagingRegisters): string[] | undefined {
  let found: string[] | undefined;
  const add = (s: string): void => {
    (found ??= []).push(s);
  };
  if (hi & RESERVED_ADDRESS_HI) add(`address bits 51:${MAXPHYADDR} (beyond MAXPHYADDR)`);
  if (hi & PTE_XD_HI && !(regs.efer & EFER_NXE)) add('bit 63 (XD) while EFER.NXE is clear');
  if (lo & PTE_PS) {
    if (level === 0) add('bit 7 (PS) in an L1 entry');
    // Our CPU reports no 1-GiB page support (CPUID.80000001H:EDX[26] = 0), so PS in L2 is reserved.
    if (level === 1) add('bit 7 (PS) in an L2 entry (1 GiB pages are not supported)');
    if (level === 2 && lo & 0x1fe000) add('bits 20:13 of a 2 MiB page entry');
  }
  return found;
}

/**
 * Translates linear address (lo, hi) for `access` under `regs`, reading
 * paging structures through `read64` (which returns lo and leaves hi in R.hi).
 * The address must be canonical; the caller raises #GP otherwise.
 */
export function walk(read64: (pa: number) => number, regs: PagingRegisters, lo: number, hi: number, access: Access): WalkResult {
  const va = hi * TWO32 + (lo >>> 0);
  if (!(regs.cr0 & CR0_PG)) {
    return { ok: true, va, access, pa: va, pageSize: 4096, steps: [], user: true, write: true, executeDisable: false, global: false, errorCode: 0 };
  }
  const indices = pageIndices(lo, hi);
  const steps: WalkStep[] = [];
  let table = entryAddress(regs.cr3, 0);
  let user = true;
  let write = true;
  let xd = false;
  let firstNoUser = -1;
  let firstNoWrite = -1;
  let firstXd = -1;
  const nxe = (regs.efer & EFER_NXE) !== 0;
  const baseCode = (access.kind === 'write' ? PFERR_WRITE : 0) | (access.user ? PFERR_USER : 0) | fetchBit(access, regs);

  for (let level = 0; level < 4; level++) {
    const index = indices[level]!;
    const at = table + index * 8;
    const elo = read64(at);
    const ehi = R.hi;
    if (!(elo & PTE_P)) {
      steps.push(makeStep(level, table, index, at, elo, ehi, 'not-present'));
      return fail(va, access, steps, 'not-present', level, baseCode, user, write, xd);
    }
    // Cheap mask test first; the readable list is built only when a bit is really set.
    if (ehi & (RESERVED_ADDRESS_HI | PTE_XD_HI) || elo & PTE_PS) {
      const reserved = reservedBits(elo, ehi, level, regs);
      if (reserved) {
        const failed: WalkStep = { ...makeStep(level, table, index, at, elo, ehi, 'reserved-bit'), reservedBits: reserved };
        steps.push(failed);
        return fail(va, access, steps, 'reserved-bit', level, baseCode | PFERR_PRESENT | PFERR_RSVD, user, write, xd);
      }
    }
    if (!(elo & PTE_U) && firstNoUser < 0) firstNoUser = level;
    if (!(elo & PTE_W) && firstNoWrite < 0) firstNoWrite = level;
    if (nxe && ehi & PTE_XD_HI && firstXd < 0) firstXd = level;
    user = user && (elo & PTE_U) !== 0;
    write = write && (elo & PTE_W) !== 0;
    xd = xd || (nxe && (ehi & PTE_XD_HI) !== 0);
    const large = level === 2 && (elo & PTE_PS) !== 0;
    if (large || level === 3) {
      steps.push(makeStep(level, table, index, at, elo, ehi, large ? 'large-page' : 'page'));
      const pageSize = large ? 0x200000 : 4096;
      const frame = entryAddress(elo, ehi) - (large ? (elo & 0x1ff000) >>> 0 : 0);
      const pa = frame + ((lo >>> 0) & (pageSize - 1));
      const global = (elo & 0x100) !== 0 && (regs.cr4 & CR4_PGE) !== 0;
      const denied = checkRights(access, regs, user, write, xd, firstNoUser, firstNoWrite, firstXd);
      if (denied) {
        return {
          ok: false, va, access, pa: -1, pageSize: 0, steps, user, write, executeDisable: xd, global,
          failure: denied.failure, failedLevel: denied.level, errorCode: baseCode | PFERR_PRESENT,
        };
      }
      return { ok: true, va, access, pa, pageSize, steps, user, write, executeDisable: xd, global, errorCode: 0 };
    }
    steps.push(makeStep(level, table, index, at, elo, ehi, 'table'));
    table = entryAddress(elo, ehi);
  }
  throw new Error('unreachable: the walk ends at level 3');
}

/** One step record; a plain literal of fixed shape (spreads made the walk several times slower). */
function makeStep(level: number, tableAddress: number, index: number, entryAddress: number, lo: number, hi: number, decision: StepDecision): WalkStep {
  return { level, tableAddress, index, entryAddress, entryLo: lo >>> 0, entryHi: hi >>> 0, decision };
}

/** The I/D bit is reported only when NXE or SMEP is on (SDM 4.7). */
export function fetchBit(access: Access, regs: PagingRegisters): number {
  if (access.kind !== 'fetch') return 0;
  return regs.efer & EFER_NXE || regs.cr4 & CR4_SMEP ? PFERR_FETCH : 0;
}

function fail(
  va: number, access: Access, steps: WalkStep[], failure: WalkFailure, level: number, errorCode: number,
  user: boolean, write: boolean, xd: boolean,
): WalkResult {
  return { ok: false, va, access, pa: -1, pageSize: 0, steps, user, write, executeDisable: xd, global: false, failure, failedLevel: level, errorCode };
}

/** Access rights (SDM 4.6.1), given the rights combined over all levels. */
function checkRights(
  access: Access, regs: PagingRegisters, user: boolean, write: boolean, xd: boolean,
  firstNoUser: number, firstNoWrite: number, firstXd: number,
): { failure: WalkFailure; level: number } | undefined {
  if (access.user) {
    if (!user) return { failure: 'user', level: firstNoUser };
    if (access.kind === 'write' && !write) return { failure: 'write', level: firstNoWrite };
  } else {
    // Supervisor writes honour W only when CR0.WP is set (WeensyOS sets it).
    if (access.kind === 'write' && !write && regs.cr0 & CR0_WP) return { failure: 'write', level: firstNoWrite };
    if (access.kind === 'fetch' && user && regs.cr4 & CR4_SMEP) return { failure: 'smep', level: 3 };
  }
  if (access.kind === 'fetch' && xd) return { failure: 'execute-disable', level: firstXd };
  return undefined;
}
