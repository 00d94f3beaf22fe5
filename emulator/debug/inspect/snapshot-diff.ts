// What changed between two snapshots, for the panel's highlights: page
// entries added, changed or removed in each address space (keyed by the
// address space's L1 table, the level and the first virtual address the
// entry covers, so a table moved to another page still lines up), A/D bits
// newly set, pageinfo and process changes, address spaces that came or went.

import type { PanelSnapshot, SnapshotDiff, SnapshotEntry, SnapshotEntryChange, SnapshotPageInfo, SnapshotProcess } from './snapshot-types';

function entriesOf(s: PanelSnapshot): Map<string, { l1: number; level: number; e: SnapshotEntry }> {
  const map = new Map<string, { l1: number; level: number; e: SnapshotEntry }>();
  for (const space of s.addressSpaces) {
    for (const t of space.tables) for (const e of t.entries) map.set(`${space.l1}:${t.level}:${e.va}`, { l1: space.l1, level: t.level, e });
  }
  return map;
}

export function diffSnapshots(prev: PanelSnapshot, next: PanelSnapshot): SnapshotDiff {
  const before = entriesOf(prev);
  const after = entriesOf(next);
  const prevSpaces = new Set(prev.addressSpaces.map((s) => s.l1));
  const nextSpaces = new Set(next.addressSpaces.map((s) => s.l1));
  const entries: SnapshotEntryChange[] = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    if (!b) {
      // Entries of a whole new address space are all "added"; the panel can tell from spacesAdded.
      entries.push({ l1: a.l1, level: a.level, va: a.e.va, index: a.e.index, change: 'added', before: null, after: a.e.raw, newlySet: [] });
    } else if (b.e.raw !== a.e.raw) {
      const newlySet: ('A' | 'D')[] = [];
      if (a.e.flags.A && !b.e.flags.A) newlySet.push('A');
      if (a.e.flags.D && !b.e.flags.D) newlySet.push('D');
      entries.push({ l1: a.l1, level: a.level, va: a.e.va, index: a.e.index, change: 'changed', before: b.e.raw, after: a.e.raw, newlySet });
    }
  }
  for (const [key, b] of before) {
    if (!after.has(key) && nextSpaces.has(b.l1)) entries.push({ l1: b.l1, level: b.level, va: b.e.va, index: b.e.index, change: 'removed', before: b.e.raw, after: null, newlySet: [] });
  }
  entries.sort((x, y) => x.l1 - y.l1 || x.va - y.va || x.level - y.level);

  const pageinfo: { page: number; before: SnapshotPageInfo | null; after: SnapshotPageInfo | null }[] = [];
  const n = Math.max(prev.pageinfo.pages.length, next.pageinfo.pages.length);
  for (let pn = 0; pn < n; pn++) {
    const b = prev.pageinfo.pages[pn] ?? null;
    const a = next.pageinfo.pages[pn] ?? null;
    if (b?.owner !== a?.owner || b?.refcount !== a?.refcount) pageinfo.push({ page: pn, before: b, after: a });
  }

  const processes: { slot: number; before: SnapshotProcess | null; after: SnapshotProcess | null }[] = [];
  const slots = new Set([...prev.processes.map((p) => p.slot), ...next.processes.map((p) => p.slot)]);
  for (const slot of [...slots].sort((x, y) => x - y)) {
    const b = prev.processes.find((p) => p.slot === slot) ?? null;
    const a = next.processes.find((p) => p.slot === slot) ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) processes.push({ slot, before: b, after: a });
  }

  const consoleChanged = prev.console.cursorpos !== next.console.cursorpos || prev.console.cells.some((c, i) => c !== next.console.cells[i]);
  return {
    entries, pageinfo, processes,
    spacesAdded: [...nextSpaces].filter((l1) => !prevSpaces.has(l1)),
    spacesRemoved: [...prevSpaces].filter((l1) => !nextSpaces.has(l1)),
    consoleChanged,
  };
}
