// The rows the page-table tree shows for one table: its nonzero entries in
// index order, each run of empty entries as one "entries i–j empty" row,
// entries removed since the previous stop as ghost rows where they were,
// and each long run of alike entries (consecutive pages, same flags, same
// owner, none changed) folded into one row that expands, so the kernel's 256
// identity mappings in every process do not bury the process's own pages.

import type { SnapshotEntry, SnapshotEntryChange, SnapshotTable } from '../../emulator/index';
import type { DiffIndex } from './diff-index';
import { entryVa, LEVEL_SPAN } from './format';

export type TableRow =
  | { readonly kind: 'entry'; readonly entry: SnapshotEntry; readonly change: SnapshotEntryChange | undefined }
  | { readonly kind: 'removed'; readonly change: SnapshotEntryChange }
  | { readonly kind: 'empty'; readonly from: number; readonly to: number; readonly va: number; readonly vaLast: number; readonly bytes: number }
  | { readonly kind: 'run'; readonly entries: readonly SnapshotEntry[] };

/** Runs of at least this many alike entries are folded. */
export const RUN_MIN = 8;

function alike(a: SnapshotEntry, b: SnapshotEntry, span: number): boolean {
  if (a.kind !== b.kind || (a.kind !== 'page' && a.kind !== 'large-page')) return false;
  if (b.index !== a.index + 1 || b.pa !== a.pa + span || a.owner !== b.owner) return false;
  const f = a.flags, g = b.flags;
  return f.P === g.P && f.W === g.W && f.U === g.U && f.PWT === g.PWT && f.PCD === g.PCD && f.A === g.A && f.D === g.D && f.PS === g.PS && f.G === g.G && f.NX === g.NX;
}

/** The rows of `table` in space `l1`. */
export function tableRows(table: SnapshotTable, l1: number, diff: DiffIndex, runMin = RUN_MIN): TableRow[] {
  const span = LEVEL_SPAN[table.level]!;
  const removed = diff.removed(l1, table.level, table.va);
  type Item = { index: number; row: TableRow };
  const items: Item[] = [];
  // Entries, with alike runs folded (a changed entry never joins a run: it must stay in sight).
  const entries = table.entries;
  for (let i = 0; i < entries.length; ) {
    const e = entries[i]!;
    const change = diff.entry(l1, table.level, e.va);
    let j = i + 1;
    if (!change) while (j < entries.length && alike(entries[j - 1]!, entries[j]!, span) && !diff.entry(l1, table.level, entries[j]!.va)) j++;
    if (j - i >= runMin) {
      items.push({ index: e.index, row: { kind: 'run', entries: entries.slice(i, j) } });
      i = j;
    } else {
      items.push({ index: e.index, row: { kind: 'entry', entry: e, change } });
      i++;
    }
  }
  for (const c of removed) items.push({ index: c.index, row: { kind: 'removed', change: c } });
  items.sort((a, b) => a.index - b.index);

  const rows: TableRow[] = [];
  let next = 0;
  const gap = (to: number): void => {
    if (to > next) rows.push({ kind: 'empty', from: next, to: to - 1, va: entryVa(table.level, table.va, next), vaLast: entryVa(table.level, table.va, to - 1) + span - 1, bytes: (to - next) * span });
  };
  for (const it of items) {
    gap(it.index);
    rows.push(it.row);
    next = it.row.kind === 'run' ? it.row.entries.at(-1)!.index + 1 : it.index + 1;
  }
  gap(512);
  return rows;
}
