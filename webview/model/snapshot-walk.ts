// The 4-level walk of one virtual address, done on a snapshot's page tables
// instead of on memory, for the panel's translator: it works on a saved
// snapshot too, with no debugger behind it. It follows the emulator's walk
// (emulator/machine/mmu/walk.ts; Intel SDM Vol. 3A 4.5-4.7) rule for rule:
// the same reserved-bit checks, rights ANDed over the levels, CR0.WP on (as
// the debugger's translate assumes, and WeensyOS sets), the same level blamed
// for a missing right. test/webview/snapshot-walk.test.ts checks it against
// the emulator's translate on thousands of addresses.
//
//   47      39 38      30 29      21 20      12 11          0
//  +----------+----------+----------+----------+-------------+
//  | L1 index | L2 index | L3 index | L4 index | page offset |
//  +----------+----------+----------+----------+-------------+
//
// Levels as WeensyOS numbers them: level 0 is the top table, L1.

import type { PanelSnapshot, SnapshotAddressSpace, SnapshotPageFlags, SnapshotTable } from '../../emulator/index';
import { hex, LEVEL_NAMES } from './format';
import { ownerName } from './owners';

export type AccessKind = 'read' | 'write' | 'fetch';
export interface Access {
  readonly kind: AccessKind;
  readonly user: boolean;
}

export type StepDecision = 'table' | 'page' | 'large-page' | 'not-present' | 'reserved-bit';
export type WalkFailure = 'not-canonical' | 'not-present' | 'reserved-bit' | 'user' | 'write' | 'execute-disable' | 'smep';

export interface SnapshotWalkStep {
  readonly level: number;
  readonly index: number;
  readonly tableAddress: number;
  readonly entryAddress: number;
  readonly raw: string;
  readonly flags: SnapshotPageFlags;
  readonly decision: StepDecision;
  /** The physical address the entry holds. */
  readonly pa: number;
  /** pageinfo's owner of that page (null when not present or unknown). */
  readonly owner: number | null;
  readonly reservedBits?: readonly string[];
}

export interface SnapshotWalk {
  readonly va: number;
  readonly access: Access;
  /** L1..L4 indices. */
  readonly indices: readonly number[];
  readonly offset: number;
  readonly steps: readonly SnapshotWalkStep[];
  readonly ok: boolean;
  readonly pa?: number;
  readonly pageSize?: number;
  /** Rights over the levels walked. */
  readonly user: boolean;
  readonly write: boolean;
  readonly executeDisable: boolean;
  readonly failure?: WalkFailure;
  /** The level to blame. */
  readonly failedLevel?: number;
  /** One sentence: the result, or where and why the walk stops. */
  readonly message: string;
}

const MAXPHYADDR = 40;
const RESERVED_ADDRESS_HI = ((1 << (52 - 32)) - 1) & ~((1 << (MAXPHYADDR - 32)) - 1);
const PTE_XD_HI = 0x80000000;
const PTE_PS = 0x80;
const EFER_NXE = 0x800;
const CR4_SMEP = 0x100000;
const TWO32 = 2 ** 32;
const EMPTY_RAW = '0x0000000000000000';

/** An entry's 64 bits as halves. */
export function entryHalves(raw: string): { lo: number; hi: number } {
  let v: bigint;
  try {
    v = BigInt(raw);
  } catch {
    v = 0n;
  }
  return { lo: Number(v & 0xffffffffn), hi: Number((v >> 32n) & 0xffffffffn) };
}

export function decodeFlags(lo: number, hi: number): SnapshotPageFlags {
  return {
    P: (lo & 1) !== 0, W: (lo & 2) !== 0, U: (lo & 4) !== 0, PWT: (lo & 8) !== 0, PCD: (lo & 0x10) !== 0,
    A: (lo & 0x20) !== 0, D: (lo & 0x40) !== 0, PS: (lo & 0x80) !== 0, G: (lo & 0x100) !== 0, NX: (hi & PTE_XD_HI) !== 0,
  };
}

/** The physical address held in an entry (bits 39:12). */
export function entryPa(lo: number, hi: number): number {
  return (hi & 0xff) * TWO32 + ((lo & ~0xfff) >>> 0);
}

/** The four indices and the offset of `va` (a JS number; high-half addresses negative). */
export function vaIndices(va: number): { indices: number[]; offset: number } | undefined {
  if (!Number.isSafeInteger(va)) return undefined;
  const v = BigInt.asUintN(64, BigInt(va));
  const top = v >> 47n;
  if (top !== 0n && top !== (1n << 17n) - 1n) return undefined;
  const idx = (shift: bigint): number => Number((v >> shift) & 511n);
  return { indices: [idx(39n), idx(30n), idx(21n), idx(12n)], offset: Number(v & 0xfffn) };
}

function reservedBits(lo: number, hi: number, level: number, efer: number): string[] | undefined {
  const found: string[] = [];
  if (hi & RESERVED_ADDRESS_HI) found.push(`address bits 51:${MAXPHYADDR} (beyond MAXPHYADDR)`);
  if (hi & PTE_XD_HI && !(efer & EFER_NXE)) found.push('bit 63 (XD) while EFER.NXE is clear');
  if (lo & PTE_PS) {
    if (level === 0) found.push('bit 7 (PS) in an L1 entry');
    if (level === 1) found.push('bit 7 (PS) in an L2 entry (1 GiB pages are not supported)');
    if (level === 2 && lo & 0x1fe000) found.push('bits 20:13 of a 2 MiB page entry');
  }
  return found.length ? found : undefined;
}

/** Fast lookups into one address space's tables. */
export class SpaceTables {
  private readonly byPa = new Map<number, SnapshotTable>();
  private readonly entryIndex = new Map<SnapshotTable, Map<number, number>>();

  constructor(readonly space: SnapshotAddressSpace) {
    for (const t of space.tables) if (!this.byPa.has(t.pa)) this.byPa.set(t.pa, t);
  }

  table(pa: number): SnapshotTable | undefined {
    return this.byPa.get(pa);
  }

  /** The raw entry `index` of the table at `pa` ('0x000...0' when it is empty or the table is unknown). */
  raw(pa: number, index: number): string {
    const t = this.byPa.get(pa);
    if (!t) return EMPTY_RAW;
    let idx = this.entryIndex.get(t);
    if (!idx) {
      idx = new Map(t.entries.map((e, i) => [e.index, i]));
      this.entryIndex.set(t, idx);
    }
    const i = idx.get(index);
    return i === undefined ? EMPTY_RAW : t.entries[i]!.raw;
  }
}

function accessText(a: Access): string {
  return `${a.user ? 'user-mode' : 'kernel-mode'} ${a.kind === 'fetch' ? 'instruction fetch' : a.kind}`;
}

/** Walks `va` in `tables` for `access`, as the MMU would on the snapshot's machine. */
export function walkSnapshot(snapshot: PanelSnapshot, tables: SpaceTables, va: number, access: Access): SnapshotWalk {
  const split = vaIndices(va);
  const label = tables.space.label;
  const base = { va, access, indices: split?.indices ?? [], offset: split?.offset ?? 0 };
  if (!split) {
    return { ...base, steps: [], ok: false, user: false, write: false, executeDisable: false, failure: 'not-canonical', message: `${hex(va)} is not a canonical address: bits 63-47 must all be equal` };
  }
  const { efer, cr4 } = snapshot.cpu;
  const nxe = (efer & EFER_NXE) !== 0;
  const pages = snapshot.pageinfo.pages;
  const steps: SnapshotWalkStep[] = [];
  let table = tables.space.l1;
  let user = true, write = true, xd = false;
  let firstNoUser = -1, firstNoWrite = -1, firstXd = -1;
  const stop = (failure: WalkFailure, level: number, message: string): SnapshotWalk =>
    ({ ...base, steps, ok: false, user, write, executeDisable: xd, failure, failedLevel: level, message });

  for (let level = 0; level < 4; level++) {
    const index = split.indices[level]!;
    const raw = tables.raw(table, index);
    const { lo, hi } = entryHalves(raw);
    const flags = decodeFlags(lo, hi);
    const pa = entryPa(lo, hi);
    const step = { level, index, tableAddress: table, entryAddress: table + 8 * index, raw, flags, pa };
    const entryName = `${LEVEL_NAMES[level]} entry ${index}`;
    if (!flags.P) {
      steps.push({ ...step, decision: 'not-present', owner: null });
      const why = raw === EMPTY_RAW ? 'is empty (not present)' : 'is not present (PTE_P is clear)';
      return stop('not-present', level, `${hex(va)} is not mapped in ${label}: ${entryName} of the ${LEVEL_NAMES[level]} table at ${hex(table)} ${why}, so the walk stops at ${LEVEL_NAMES[level]}.`);
    }
    const owner = pages[Math.floor(pa / 4096)]?.owner ?? null;
    const reserved = reservedBits(lo, hi, level, efer);
    if (reserved) {
      steps.push({ ...step, decision: 'reserved-bit', owner, reservedBits: reserved });
      return stop('reserved-bit', level, `${hex(va)} cannot be translated in ${label}: ${entryName} has reserved bits set (${reserved.join(', ')}), a page fault with RSVD.`);
    }
    if (!flags.U && firstNoUser < 0) firstNoUser = level;
    if (!flags.W && firstNoWrite < 0) firstNoWrite = level;
    if (nxe && flags.NX && firstXd < 0) firstXd = level;
    user &&= flags.U;
    write &&= flags.W;
    xd ||= nxe && flags.NX;
    const large = level === 2 && flags.PS;
    if (!large && level < 3) {
      steps.push({ ...step, decision: 'table', owner });
      table = pa;
      continue;
    }
    steps.push({ ...step, decision: large ? 'large-page' : 'page', owner });
    const pageSize = large ? 0x200000 : 4096;
    const frame = pa - (large ? (lo & 0x1ff000) >>> 0 : 0);
    const vaLow = Number(BigInt.asUintN(64, BigInt(va)) & BigInt(pageSize - 1));
    const result = frame + vaLow;
    const who = accessText(access);
    const blame = (l: number): string => `${LEVEL_NAMES[l]} entry ${split.indices[l]}`;
    if (access.user && !user) return stop('user', firstNoUser, `A ${who} at ${hex(va)} in ${label} faults: ${blame(firstNoUser)} lacks PTE_U, so the page is kernel-only.`);
    if (access.kind === 'write' && !write) {
      return stop('write', firstNoWrite, `A ${who} at ${hex(va)} in ${label} faults: ${blame(firstNoWrite)} lacks PTE_W, so the page is read-only${access.user ? '' : ' (CR0.WP makes that bind the kernel too)'}.`);
    }
    if (!access.user && access.kind === 'fetch' && user && cr4 & CR4_SMEP) return stop('smep', 3, `The kernel may not execute the user page ${hex(va)} while CR4.SMEP is set.`);
    if (access.kind === 'fetch' && xd) return stop('execute-disable', firstXd, `An instruction fetch at ${hex(va)} in ${label} faults: ${blame(firstXd)} has NX set.`);
    const info = pages[Math.floor(result / 4096)];
    const where = info ? ` (page ${hex(Math.floor(result / 4096) * 4096)}, ${ownerName(info.owner)}, refcount ${info.refcount})` : ' (beyond physical memory)';
    return {
      ...base, steps, ok: true, pa: result, pageSize, user, write, executeDisable: xd,
      message: `${hex(va)} in ${label} → physical ${hex(result)}${where}; ${user ? 'user-accessible' : 'kernel-only'}, ${write ? 'writable' : 'read-only'}.`,
    };
  }
  throw new Error('unreachable: the walk ends at L4');
}
