// The previous stop's changes, indexed the way the panel looks them up:
// page-table entries by (address space, level, first virtual address),
// removed entries by the table they were in, pageinfo changes by page,
// and the virtual pages whose leaf changed, per address space.

import type { SnapshotDiff, SnapshotEntryChange, SnapshotPageInfo } from '../../emulator/index';
import { LEVEL_SPAN } from './format';

export interface DiffIndex {
  readonly any: boolean;
  entry(l1: number, level: number, va: number): SnapshotEntryChange | undefined;
  /** Removed entries of the table at `level` starting at `tableVa` in space `l1`, by index. */
  removed(l1: number, level: number, tableVa: number): readonly SnapshotEntryChange[];
  /** Number of changed entries in space `l1` at levels below `level` within [va, va + span). */
  changesBelow(l1: number, level: number, va: number): number;
  pageinfo(pn: number): { readonly before: SnapshotPageInfo | null; readonly after: SnapshotPageInfo | null } | undefined;
  /** Virtual pages (by va) of space `l1` whose mapping changed. */
  virtualChanges(l1: number): ReadonlyMap<number, SnapshotEntryChange>;
  spaceAdded(l1: number): boolean;
  readonly counts: { readonly added: number; readonly changed: number; readonly removed: number; readonly accessed: number };
}

const NONE: DiffIndex = {
  any: false,
  entry: () => undefined,
  removed: () => [],
  changesBelow: () => 0,
  pageinfo: () => undefined,
  virtualChanges: () => new Map(),
  spaceAdded: () => false,
  counts: { added: 0, changed: 0, removed: 0, accessed: 0 },
};

export function buildDiffIndex(diff: SnapshotDiff | null): DiffIndex {
  if (!diff) return NONE;
  const entries = new Map<string, SnapshotEntryChange>();
  const removed = new Map<string, SnapshotEntryChange[]>();
  const byLevel = new Map<string, SnapshotEntryChange[]>();
  const virtual = new Map<number, Map<number, SnapshotEntryChange>>();
  const counts = { added: 0, changed: 0, removed: 0, accessed: 0 };
  for (const c of diff.entries) {
    entries.set(`${c.l1}:${c.level}:${c.va}`, c);
    counts[c.change]++;
    if (c.newlySet.length > 0) counts.accessed++;
    const tableVa = tableStart(c.level, c.va);
    if (c.change === 'removed') {
      const k = `${c.l1}:${c.level}:${tableVa}`;
      const list = removed.get(k);
      if (list) list.push(c);
      else removed.set(k, [c]);
    }
    const lk = `${c.l1}:${c.level}`;
    const list = byLevel.get(lk);
    if (list) list.push(c);
    else byLevel.set(lk, [c]);
    if (c.level === 3 || c.level === 2) {
      let m = virtual.get(c.l1);
      if (!m) virtual.set(c.l1, (m = new Map()));
      // A change of A/D alone is not a change of the mapping.
      const onlyAccess = c.change === 'changed' && sameIgnoringAD(c.before, c.after);
      if (!onlyAccess) m.set(c.va, c);
    }
  }
  const pageinfo = new Map(diff.pageinfo.map((p) => [p.page, p]));
  const added = new Set(diff.spacesAdded);
  return {
    any: diff.entries.length > 0 || diff.pageinfo.length > 0 || diff.processes.length > 0,
    entry: (l1, level, va) => entries.get(`${l1}:${level}:${va}`),
    removed: (l1, level, tableVa) => removed.get(`${l1}:${level}:${tableVa}`) ?? [],
    changesBelow: (l1, level, va) => {
      let n = 0;
      const end = va + LEVEL_SPAN[level]!;
      for (let l = level + 1; l < 4; l++) for (const c of byLevel.get(`${l1}:${l}`) ?? []) if (c.va >= va && c.va < end) n++;
      return n;
    },
    pageinfo: (pn) => pageinfo.get(pn),
    virtualChanges: (l1) => virtual.get(l1) ?? new Map(),
    spaceAdded: (l1) => added.has(l1),
    counts,
  };
}

/** The first virtual address of the table at `level` that holds the entry covering `va`. */
export function tableStart(level: number, va: number): number {
  if (level === 0) return 0;
  const span = LEVEL_SPAN[level - 1]!;
  return Math.floor(va / span) * span;
}

/** True if two raw entries differ only in the accessed and dirty bits. */
export function sameIgnoringAD(before: string | null, after: string | null): boolean {
  if (before === null || after === null) return false;
  try {
    return (BigInt(before) & ~0x60n) === (BigInt(after) & ~0x60n);
  } catch {
    return false;
  }
}
