// Page-table entries decoded for people: index, the virtual range the entry
// covers, the raw value, the physical address, every flag, what the entry
// is (a table, a page, a 2 MiB page, not present) and the owner of the page
// it points to. Shared by the Page table scope, the console commands and
// the panel's snapshot. Reads memory only.

import { R } from '../../machine/int64';
import type { PhysicalMemory } from '../../machine/physical-memory';
import type { PageInfo } from '../../weensyos/kernel-state';

export interface PteFlags {
  readonly P: boolean;
  readonly W: boolean;
  readonly U: boolean;
  readonly PWT: boolean;
  readonly PCD: boolean;
  readonly A: boolean;
  readonly D: boolean;
  readonly PS: boolean;
  readonly G: boolean;
  readonly NX: boolean;
}

export const PTE_FLAG_NAMES = ['P', 'W', 'U', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'NX'] as const;

export type EntryKind = 'table' | 'page' | 'large-page' | 'not-present';

export interface DecodedEntry {
  /** 0 = L1 (top) ... 3 = L4 (leaf). */
  readonly level: number;
  readonly index: number;
  /** Physical address of the entry itself. */
  readonly entryAddress: number;
  /** The first virtual address the entry covers (high-half addresses are negative, as rip is). */
  readonly va: number;
  /** The last virtual address it covers. */
  readonly vaLast: number;
  /** The 64-bit entry as 0x + 16 hex digits. */
  readonly raw: string;
  /** The physical address in the entry (bits 39:12). */
  readonly pa: number;
  readonly flags: PteFlags;
  /** "P W U A" */
  readonly flagsText: string;
  readonly kind: EntryKind;
  /** pageinfo's owner of the physical page the entry points to, when known. */
  readonly owner?: number;
  readonly refcount?: number;
}

export const LEVEL_SPAN = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];

function hex64(lo: number, hi: number): string {
  return '0x' + (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** The virtual address of entry `index` of a table at `level` whose first address is `base`. */
export function entryVa(level: number, index: number, base: number): number {
  const va = base + index * LEVEL_SPAN[level]!;
  // L1 entries 256-511 cover the canonical high half.
  return level === 0 && index >= 256 ? va - 2 ** 48 : va;
}

export function decodeEntry(level: number, index: number, tablePa: number, lo: number, hi: number, base: number, pageinfo?: readonly PageInfo[] | null): DecodedEntry {
  const flags: PteFlags = {
    P: (lo & 1) !== 0, W: (lo & 2) !== 0, U: (lo & 4) !== 0, PWT: (lo & 8) !== 0, PCD: (lo & 0x10) !== 0,
    A: (lo & 0x20) !== 0, D: (lo & 0x40) !== 0, PS: (lo & 0x80) !== 0, G: (lo & 0x100) !== 0, NX: (hi & 0x80000000) !== 0,
  };
  const pa = (hi & 0xff) * 2 ** 32 + ((lo & ~0xfff) >>> 0);
  const va = entryVa(level, index, base);
  const kind: EntryKind = !flags.P ? 'not-present' : level === 3 ? 'page' : level === 2 && flags.PS ? 'large-page' : 'table';
  const info = flags.P && pageinfo ? pageinfo[Math.floor(pa / 4096)] : undefined;
  return {
    level, index, entryAddress: tablePa + 8 * index, va, vaLast: va + LEVEL_SPAN[level]! - 1,
    raw: hex64(lo, hi), pa, flags, flagsText: PTE_FLAG_NAMES.filter((n) => flags[n]).join(' ') || '0', kind,
    ...(info ? { owner: info.owner, refcount: info.refcount } : {}),
  };
}

/** The nonzero entries of the table at `tablePa` (empty entries are left out). */
export function readTableEntries(memory: PhysicalMemory, tablePa: number, level: number, base: number, pageinfo?: readonly PageInfo[] | null): DecodedEntry[] {
  const out: DecodedEntry[] = [];
  if (tablePa < 0 || tablePa + 4096 > memory.size) return out;
  for (let i = 0; i < 512; i++) {
    const lo = memory.peek64(tablePa + 8 * i);
    const hi = R.hi;
    if (lo === 0 && hi === 0) continue;
    out.push(decodeEntry(level, i, tablePa, lo, hi, base, pageinfo));
  }
  return out;
}

/** pageinfo owner in words: "kernel", "reserved", "free", "process 3". */
export function ownerText(owner: number | undefined): string {
  if (owner === undefined) return 'unknown';
  if (owner === -2) return 'kernel';
  if (owner === -1) return 'reserved';
  if (owner === 0) return 'free';
  return owner > 0 ? `process ${owner}` : `owner ${owner}`;
}
