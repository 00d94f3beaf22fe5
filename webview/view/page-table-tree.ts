// The L1-L4 tree of one address space as a treegrid: each entry with its
// index, the virtual range it covers, its raw value, the physical address it
// holds, its flags as columns, what it points to and that page's owner.
// Table entries open onto the next level's table (drawn only when open, so
// large trees cost nothing until looked at); runs of empty entries and long
// runs of alike entries are one row each. Entries changed since the previous
// stop are marked added / changed / removed, and A or D bits newly set glow.

import type { SnapshotEntry, SnapshotEntryChange, SnapshotPageFlags, SnapshotTable } from '../../emulator/index';
import { hex, LEVEL_NAMES, LEVEL_SPAN, range, spanText } from '../model/format';
import { ownerCell, ownerName, ownerShort } from '../model/owners';
import { decodeFlags, entryHalves, entryPa } from '../model/snapshot-walk';
import { tableRows, type TableRow } from '../model/table-rows';
import { spaceKey, type PanelContext } from './context';
import { button, h } from './dom';
import { focusRow, rowKeys } from './keyboard';

const FLAGS: readonly (keyof SnapshotPageFlags)[] = ['P', 'W', 'U', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'NX'];
const FLAG_TITLES: Record<keyof SnapshotPageFlags, string> = {
  P: 'present', W: 'writable', U: 'user-accessible', PWT: 'write-through', PCD: 'cache disabled', A: 'accessed',
  D: 'dirty', PS: 'page size (2 MiB page at L3)', G: 'global', NX: 'no-execute',
};
const COLUMNS = ['Entry', 'Virtual range', 'Raw value', 'Physical address', ...FLAGS, 'Points to', 'Owner'];

function pointsTo(kind: SnapshotEntry['kind'], level: number): string {
  switch (kind) {
    case 'table': return `${LEVEL_NAMES[level + 1]} table`;
    case 'page': return '4 KiB page';
    case 'large-page': return '2 MiB page';
    default: return 'not present';
  }
}

function ownerCellEl(owner: number | null): HTMLElement {
  if (owner === null) return h('td', { class: 'owner' }, '—');
  const c = ownerCell(owner);
  return h('td', { class: 'owner', title: ownerName(owner) }, h('span', { class: `chip fg-${c.attr & 15} bg-${c.attr >> 4}`, 'aria-hidden': 'true' }, c.ch), ' ', ownerShort(owner));
}

function flagCells(flags: SnapshotPageFlags, newly: readonly string[] = []): HTMLElement[] {
  return FLAGS.map((f) => {
    const set = flags[f];
    const fresh = newly.includes(f);
    return h('td', { class: `flag-cell${set ? ' set' : ''}${fresh ? ' new-bit' : ''}`, title: `${f}: ${FLAG_TITLES[f]}${set ? '' : ' (clear)'}${fresh ? ', newly set since the previous stop' : ''}` },
      set ? f : '·', fresh ? h('span', { class: 'sr-only' }, ' newly set') : null);
  });
}

interface Builder {
  readonly ctx: PanelContext;
  readonly si: number;
  readonly prefix: string;
  readonly rows: HTMLElement[];
}

function isOpen(b: Builder, key: string, byDefault: boolean): boolean {
  return b.ctx.ui.toggles[key] ?? byDefault;
}

function changeText(c: SnapshotEntryChange): string {
  if (c.change === 'added') return 'added since the previous stop';
  if (c.change === 'removed') return `removed since the previous stop (was ${c.before})`;
  return `changed since the previous stop (was ${c.before})${c.newlySet.length ? `; ${c.newlySet.join(' and ')} newly set` : ''}`;
}

function row(level: number, key: string, cls: string, label: string, cells: (HTMLElement | string)[], expanded?: boolean): HTMLElement {
  const tr = h('tr', { role: 'row', 'data-row': key, 'aria-level': level + 1, 'aria-label': label, class: cls, tabindex: -1, ...(expanded !== undefined ? { 'aria-expanded': String(expanded) } : {}) });
  for (const c of cells) tr.appendChild(typeof c === 'string' ? h('td', null, c) : c);
  return tr;
}

function entryCell(depth: number, text: string, expanded?: boolean): HTMLElement {
  const glyph = expanded === undefined ? '' : expanded ? '▾' : '▸';
  return h('td', { class: `entry depth-${depth}` }, h('span', { class: 'toggle', 'aria-hidden': 'true' }, glyph), text);
}

function addEntry(b: Builder, depth: number, e: SnapshotEntry, level: number, change: SnapshotEntryChange | undefined): void {
  const key = `${b.prefix}|${level}|${e.va}`;
  const child = e.kind === 'table' ? b.ctx.model.tables[b.si]!.table(e.pa) : undefined;
  const expandable = child !== undefined && child.level === level + 1;
  const open = expandable && isOpen(b, key, true);
  const space = b.ctx.model.snapshot.addressSpaces[b.si]!;
  const below = expandable && !open ? b.ctx.model.diffIndex.changesBelow(space.l1, level, e.va) : 0;
  const cls = ['entry-row', change ? `diff-${change.change}` : '', change?.newlySet.length ? 'diff-ad' : ''].filter(Boolean).join(' ');
  const label = `${LEVEL_NAMES[level]} entry ${e.index}, ${range(e.va, e.vaLast)}, ${pointsTo(e.kind, level)} at ${hex(e.pa)}, flags ${FLAGS.filter((f) => e.flags[f]).join(' ') || 'none'}, owner ${ownerName(e.owner)}${change ? `, ${changeText(change)}` : ''}`;
  const tr = row(level, key, cls, label, [
    entryCell(depth, `${LEVEL_NAMES[level]}[${e.index}]`, expandable ? open : undefined),
    h('td', { class: 'range' }, range(e.va, e.vaLast)),
    h('td', { class: 'raw', title: change ? changeText(change) : '' }, e.raw),
    h('td', { class: 'pa' }, hex(e.pa)),
    ...flagCells(e.flags, change?.newlySet),
    h('td', null, pointsTo(e.kind, level), below ? h('span', { class: 'badge', title: 'entries changed inside (open to see)' }, ` ${below} changed inside`) : null),
    ownerCellEl(e.owner),
  ], expandable ? open : undefined);
  if (change) tr.dataset.change = change.change;
  b.rows.push(tr);
  if (open && child) addTable(b, depth + 1, child);
}

function addRows(b: Builder, depth: number, table: SnapshotTable, rows: readonly TableRow[]): void {
  const level = table.level;
  const span = LEVEL_SPAN[level]!;
  for (const r of rows) {
    if (r.kind === 'entry') addEntry(b, depth, r.entry, level, r.change);
    else if (r.kind === 'empty') {
      const n = r.to - r.from + 1;
      const text = n === 1 ? `${LEVEL_NAMES[level]}[${r.from}] empty` : `${LEVEL_NAMES[level]}[${r.from}–${r.to}] empty (${n} entries)`;
      const tr = row(level, `${b.prefix}|empty|${level}|${r.va}`, 'empty-row', `${text}, ${range(r.va, r.vaLast)}`, [entryCell(depth, text), h('td', { class: 'range' }, range(r.va, r.vaLast)), h('td', { colspan: COLUMNS.length - 2, class: 'muted' }, `nothing mapped in these ${spanText(r.vaLast - r.va + 1)}`)]);
      b.rows.push(tr);
    } else if (r.kind === 'removed') {
      const c = r.change;
      const { lo, hi } = entryHalves(c.before ?? '0x0');
      const tr = row(level, `${b.prefix}|removed|${level}|${c.va}`, 'entry-row diff-removed', `${LEVEL_NAMES[level]} entry ${c.index}, ${changeText(c)}`, [
        entryCell(depth, `${LEVEL_NAMES[level]}[${c.index}]`), h('td', { class: 'range' }, range(c.va, c.va + span - 1)), h('td', { class: 'raw' }, c.before ?? ''),
        h('td', { class: 'pa' }, hex(entryPa(lo, hi))), ...flagCells(decodeFlags(lo, hi)), h('td', null, 'removed'), h('td', null, ''),
      ]);
      tr.dataset.change = 'removed';
      b.rows.push(tr);
    } else {
      const first = r.entries[0]!, last = r.entries.at(-1)!;
      const key = `${b.prefix}|run|${level}|${first.va}`;
      const open = isOpen(b, key, false);
      const text = `${LEVEL_NAMES[level]}[${first.index}–${last.index}]`;
      b.rows.push(row(level, key, 'run-row', `${text}: ${r.entries.length} alike entries mapping ${range(first.pa, last.pa + span - 1)}, owner ${ownerName(first.owner)}`, [
        entryCell(depth, text, open), h('td', { class: 'range' }, range(first.va, last.vaLast)), h('td', { class: 'raw muted' }, `${r.entries.length} alike entries`),
        h('td', { class: 'pa' }, range(first.pa, last.pa + span - 1)), ...flagCells(first.flags), h('td', null, `${r.entries.length} × ${pointsTo(first.kind, level)}`), ownerCellEl(first.owner),
      ], open));
      if (open) for (const e of r.entries) addEntry(b, depth + 1, e, level, undefined);
    }
  }
}

function addTable(b: Builder, depth: number, table: SnapshotTable): void {
  const space = b.ctx.model.snapshot.addressSpaces[b.si]!;
  addRows(b, depth, table, tableRows(table, space.l1, b.ctx.model.diffIndex));
}

export function pageTableTree(ctx: PanelContext, si: number): HTMLElement {
  const space = ctx.model.snapshot.addressSpaces[si]!;
  const root = ctx.model.tables[si]!.table(space.l1);
  const prefix = spaceKey(space);
  const rootKey = `${prefix}|root`;
  const body = h('tbody');
  const draw = (focusKey?: string): void => {
    const b: Builder = { ctx, si, prefix, rows: [] };
    const open = isOpen(b, rootKey, true);
    b.rows.push(row(-1, rootKey, 'table-row', `${space.label}'s L1 table at ${hex(space.l1)}`, [
      entryCell(0, `L1 table at ${hex(space.l1)}`, open), h('td', { colspan: COLUMNS.length - 2 }, `${root ? root.entries.length : 0} nonzero entries of 512; this page is owned by ${ownerName(root?.owner)}`), ownerCellEl(root?.owner ?? null),
    ], open));
    if (open && root) addTable(b, 1, root);
    body.replaceChildren(...b.rows);
    const target = (focusKey && b.rows.find((r) => r.dataset.row === focusKey)) || b.rows[0]!;
    focusRow(body, target, focusKey !== undefined);
  };
  const setOpen = (key: string, open: boolean): void => {
    ctx.actions.toggle(key, open);
    draw(key);
  };
  body.addEventListener('click', (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
    if (!tr) return;
    if (tr.hasAttribute('aria-expanded')) setOpen(tr.dataset.row!, tr.getAttribute('aria-expanded') !== 'true');
    else focusRow(body, tr);
  });
  rowKeys(body, (tr, key) => {
    const expanded = tr.getAttribute('aria-expanded');
    if (key === 'enter' && expanded !== null) setOpen(tr.dataset.row!, expanded !== 'true');
    else if (key === 'right' && expanded === 'false') setOpen(tr.dataset.row!, true);
    else if (key === 'left' && expanded === 'true') setOpen(tr.dataset.row!, false);
    else if (key === 'left') {
      const level = Number(tr.getAttribute('aria-level'));
      let p = tr.previousElementSibling as HTMLElement | null;
      while (p && Number(p.getAttribute('aria-level')) >= level) p = p.previousElementSibling as HTMLElement | null;
      if (p) focusRow(body, p);
    } else if (key === 'right' && expanded === 'true' && tr.nextElementSibling) focusRow(body, tr.nextElementSibling as HTMLElement);
  });
  draw();
  const all = (open: boolean): void => {
    // Level by level: opening a row reveals rows to open on the next pass (four levels and the runs).
    for (let pass = 0; pass < 6; pass++) {
      const rows = [...body.querySelectorAll<HTMLElement>('[aria-expanded]')].filter((r) => (r.getAttribute('aria-expanded') === 'true') !== open);
      if (rows.length === 0) break;
      for (const r of rows) ctx.actions.toggle(r.dataset.row!, open);
      draw();
    }
  };
  const counts = ctx.model.diffIndex.counts;
  const diffLine = ctx.model.diffIndex.any
    ? h('span', { class: 'summary' }, `Since the previous stop: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed; A/D newly set on ${counts.accessed}.`)
    : null;
  const head = h('thead', null, h('tr', { role: 'row' }, ...COLUMNS.map((c) => h('th', { role: 'columnheader', scope: 'col', class: FLAGS.includes(c as keyof SnapshotPageFlags) ? 'flag-head' : '', title: FLAG_TITLES[c as keyof SnapshotPageFlags] ?? '' }, c))));
  return h('div', { class: 'tree' },
    h('div', { class: 'toolbar' }, button('Expand all', () => all(true)), button('Collapse all', () => all(false)), diffLine,
      h('span', { class: 'legend' }, h('span', { class: 'key diff-added' }, 'added'), h('span', { class: 'key diff-changed' }, 'changed'), h('span', { class: 'key diff-removed' }, 'removed'), h('span', { class: 'key new-bit' }, 'A/D newly set'))),
    h('div', { class: 'tree-scroll' }, h('table', { role: 'treegrid', class: 'ptable', 'aria-label': `Page tables of ${space.label}` }, head, body)),
  );
}
