// The rows of the page-table tree of one address space, as descriptions
// (key, level, whether it opens, whether it changed) that make their <tr>
// only when asked: the tree draws just the rows in view, so an address space
// with thousands of entries costs a list of small objects, not a DOM.
//
// Each entry row has its index, the virtual range it covers, its raw value,
// the physical address it holds, its flags as columns, what it points to and
// that page's owner. Table entries open onto the next level's table; runs of
// empty entries and long runs of alike entries are one row each.

import type { SnapshotEntry, SnapshotEntryChange, SnapshotPageFlags, SnapshotTable } from '../../emulator/index';
import { hex, LEVEL_NAMES, LEVEL_SPAN, range, spanText } from '../model/format';
import { ownerCell, ownerName } from '../model/owners';
import { decodeFlags, entryHalves, entryPa } from '../model/snapshot-walk';
import { tableRows } from '../model/table-rows';
import type { PanelContext } from './context';
import { h } from './dom';

export const FLAGS: readonly (keyof SnapshotPageFlags)[] = ['P', 'W', 'U', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'NX'];
export const FLAG_TITLES: Record<keyof SnapshotPageFlags, string> = {
  P: 'present', W: 'writable', U: 'user-accessible', PWT: 'write-through', PCD: 'cache disabled', A: 'accessed',
  D: 'dirty', PS: 'page size (2 MiB page at L3)', G: 'global', NX: 'no-execute',
};
export const COLUMNS = ['Entry', 'Virtual range', 'Raw value', 'Physical address', ...FLAGS, 'Points to', 'Owner'];

export interface RowSpec {
  readonly key: string;
  /** aria-level - 1: 0 for the L1 table's row, then one more per level of nesting. */
  readonly depth: number;
  /** Whether the row opens (and is open), for rows that can. */
  readonly open?: boolean;
  readonly change?: SnapshotEntryChange['change'];
  /** Entries changed inside a closed row. */
  readonly changesInside?: number;
  make(): HTMLElement;
}

function pointsTo(kind: SnapshotEntry['kind'], level: number): string {
  switch (kind) {
    case 'table': return `${LEVEL_NAMES[level + 1]} table`;
    case 'page': return '4 KiB page';
    case 'large-page': return '2 MiB page';
    default: return 'not present';
  }
}

function ownerTd(owner: number | null): HTMLElement {
  if (owner === null) return h('td', { class: 'owner' }, '—');
  const c = ownerCell(owner);
  return h('td', { class: 'owner', title: ownerName(owner) }, h('span', { class: `chip fg-${c.attr & 15} bg-${c.attr >> 4}`, 'aria-hidden': 'true' }, c.ch), h('span', { class: 'sr-only' }, ownerName(owner)));
}

function flagTds(flags: SnapshotPageFlags, newly: readonly string[] = []): HTMLElement[] {
  return FLAGS.map((f) => {
    const set = flags[f];
    const fresh = newly.includes(f);
    return h('td', { class: `flag-cell${set ? ' set' : ''}${fresh ? ' new-bit' : ''}`, title: `${f}: ${FLAG_TITLES[f]}${set ? '' : ' (clear)'}${fresh ? ', newly set since the previous stop' : ''}` },
      set ? f : '·', fresh ? h('span', { class: 'sr-only' }, ' newly set') : null);
  });
}

export function changeText(c: SnapshotEntryChange): string {
  if (c.change === 'added') return 'added since the previous stop';
  if (c.change === 'removed') return `removed since the previous stop (was ${c.before})`;
  return `changed since the previous stop (was ${c.before})${c.newlySet.length ? `; ${c.newlySet.join(' and ')} newly set` : ''}`;
}

function tr(spec: { key: string; depth: number; open?: boolean; change?: string }, cls: string, label: string, cells: HTMLElement[]): HTMLElement {
  const row = h('tr', { role: 'row', 'data-row': spec.key, 'aria-level': spec.depth + 1, 'aria-label': label, class: cls, tabindex: -1 });
  if (spec.open !== undefined) row.setAttribute('aria-expanded', String(spec.open));
  if (spec.change) row.dataset.change = spec.change;
  for (const c of cells) row.appendChild(c);
  return row;
}

function entryTd(depth: number, text: string, open?: boolean): HTMLElement {
  const glyph = open === undefined ? '' : open ? '▾' : '▸';
  return h('td', { class: `entry depth-${Math.min(depth, 5)}` }, h('span', { class: 'toggle', 'aria-hidden': 'true' }, glyph), text);
}

/** Collects the rows of one address space's tree under the current open/closed choices. */
export class TreeRows {
  readonly rows: RowSpec[] = [];
  private readonly l1: number;

  constructor(private readonly ctx: PanelContext, private readonly si: number, private readonly prefix: string) {
    this.l1 = ctx.model.snapshot.addressSpaces[si]!.l1;
  }

  private isOpen(key: string, byDefault: boolean): boolean {
    return this.ctx.ui.toggles[key] ?? byDefault;
  }

  /** The L1 table's row and, when open, everything below it. */
  collect(): RowSpec[] {
    const space = this.ctx.model.snapshot.addressSpaces[this.si]!;
    const root = this.ctx.model.tables[this.si]!.table(space.l1);
    const key = `${this.prefix}|root`;
    const open = this.isOpen(key, true);
    const spec = { key, depth: 0, open };
    this.rows.push({
      ...spec,
      make: () => tr(spec, 'table-row', `${space.label}'s L1 table at ${hex(space.l1)}`, [
        entryTd(0, `L1 table at ${hex(space.l1)}`, open),
        h('td', { colspan: COLUMNS.length - 2 }, `${root ? root.entries.length : 0} nonzero entries of 512; this page is owned by ${ownerName(root?.owner)}`),
        ownerTd(root?.owner ?? null),
      ]),
    });
    if (open && root) this.table(1, root);
    return this.rows;
  }

  private table(depth: number, table: SnapshotTable): void {
    const level = table.level;
    const span = LEVEL_SPAN[level]!;
    for (const r of tableRows(table, this.l1, this.ctx.model.diffIndex)) {
      if (r.kind === 'entry') this.entry(depth, r.entry, level, r.change);
      else if (r.kind === 'empty') {
        const n = r.to - r.from + 1;
        const text = n === 1 ? `${LEVEL_NAMES[level]}[${r.from}] empty` : `${LEVEL_NAMES[level]}[${r.from}–${r.to}] empty (${n} entries)`;
        const spec = { key: `${this.prefix}|empty|${level}|${r.va}`, depth };
        this.rows.push({
          ...spec,
          make: () => tr(spec, 'empty-row', `${text}, ${range(r.va, r.vaLast)}`, [
            entryTd(depth, text), h('td', { class: 'range' }, range(r.va, r.vaLast)), h('td', { colspan: COLUMNS.length - 2, class: 'muted' }, `nothing mapped in these ${spanText(r.bytes)}`),
          ]),
        });
      } else if (r.kind === 'removed') {
        const c = r.change;
        const spec = { key: `${this.prefix}|removed|${level}|${c.va}`, depth, change: 'removed' as const };
        this.rows.push({
          ...spec,
          make: () => {
            const { lo, hi } = entryHalves(c.before ?? '0x0');
            return tr(spec, 'entry-row diff-removed', `${LEVEL_NAMES[level]} entry ${c.index}, ${changeText(c)}`, [
              entryTd(depth, `${LEVEL_NAMES[level]}[${c.index}]`), h('td', { class: 'range' }, range(c.va, c.va + span - 1)), h('td', { class: 'raw' }, c.before ?? ''),
              h('td', { class: 'pa' }, hex(entryPa(lo, hi))), ...flagTds(decodeFlags(lo, hi)), h('td', null, 'removed'), h('td', null, ''),
            ]);
          },
        });
      } else {
        const first = r.entries[0]!, last = r.entries.at(-1)!;
        const key = `${this.prefix}|run|${level}|${first.va}`;
        const open = this.isOpen(key, false);
        const text = `${LEVEL_NAMES[level]}[${first.index}–${last.index}]`;
        const spec = { key, depth, open };
        this.rows.push({
          ...spec,
          make: () => tr(spec, 'run-row', `${text}: ${r.entries.length} alike entries mapping ${range(first.pa, last.pa + span - 1)}, owner ${ownerName(first.owner)}`, [
            entryTd(depth, text, open), h('td', { class: 'range' }, range(first.va, last.vaLast)), h('td', { class: 'raw muted' }, `${r.entries.length} alike entries`),
            h('td', { class: 'pa' }, range(first.pa, last.pa + span - 1)), ...flagTds(first.flags), h('td', null, `${r.entries.length} × ${pointsTo(first.kind, level)}`), ownerTd(first.owner),
          ]),
        });
        if (open) for (const e of r.entries) this.entry(depth + 1, e, level, undefined);
      }
    }
  }

  private entry(depth: number, e: SnapshotEntry, level: number, change: SnapshotEntryChange | undefined): void {
    const key = `${this.prefix}|${level}|${e.va}`;
    const child = e.kind === 'table' ? this.ctx.model.tables[this.si]!.table(e.pa) : undefined;
    const expandable = child !== undefined && child.level === level + 1;
    const open = expandable ? this.isOpen(key, true) : undefined;
    const inside = expandable && !open ? this.ctx.model.diffIndex.changesBelow(this.l1, level, e.va) : 0;
    const spec = { key, depth, ...(open !== undefined ? { open } : {}), ...(change ? { change: change.change } : {}), ...(inside ? { changesInside: inside } : {}) };
    this.rows.push({
      ...spec,
      make: () => {
        const cls = ['entry-row', change ? `diff-${change.change}` : '', change?.newlySet.length ? 'diff-ad' : ''].filter(Boolean).join(' ');
        const label = `${LEVEL_NAMES[level]} entry ${e.index}, ${range(e.va, e.vaLast)}, ${pointsTo(e.kind, level)} at ${hex(e.pa)}, flags ${FLAGS.filter((f) => e.flags[f]).join(' ') || 'none'}, owner ${ownerName(e.owner)}${change ? `, ${changeText(change)}` : ''}`;
        return tr(spec, cls, label, [
          entryTd(depth, `${LEVEL_NAMES[level]}[${e.index}]`, open),
          h('td', { class: 'range' }, range(e.va, e.vaLast)),
          h('td', { class: 'raw', title: change ? changeText(change) : '' }, e.raw),
          h('td', { class: 'pa' }, hex(e.pa)),
          ...flagTds(e.flags, change?.newlySet),
          h('td', null, pointsTo(e.kind, level), inside ? h('span', { class: 'badge', title: 'entries changed inside (open to see)' }, ` ${inside} changed inside`) : null),
          ownerTd(e.owner),
        ]);
      },
    });
    if (open && child) this.table(depth + 1, child);
  }
}
