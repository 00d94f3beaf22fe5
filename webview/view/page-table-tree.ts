// The L1-L4 tree of one address space as a treegrid (rows from
// tree-rows.ts). Only the rows in view are in the DOM, between two spacer
// rows, so a tree of thousands of entries draws as fast as a small one
// (aria-rowcount and aria-rowindex tell assistive technology the whole size).
// One Tab stop; Up/Down/PageUp/PageDown/Home/End move, Right opens or goes to
// the first child, Left closes or goes to the parent, Enter toggles. Entries
// changed since the previous stop are marked, and the first is scrolled into
// the tree's view when it is drawn.

import type { SnapshotPageFlags } from '../../emulator/index';
import { spaceKey, type PanelContext } from './context';
import { button, h } from './dom';
import { COLUMNS, FLAG_TITLES, FLAGS, TreeRows, type RowSpec } from './tree-rows';

/** Rows drawn above and below the visible ones. */
const OVERSCAN = 30;
/** Trees up to this many rows are drawn whole (WeensyOS's usually are); longer ones only around the view. */
const DRAW_WHOLE = 400;
/** The height of a row before one has been measured (CSS sets it: .ptable tbody tr). */
const ROW_HEIGHT = 20;

export function pageTableTree(ctx: PanelContext, si: number): HTMLElement {
  const space = ctx.model.snapshot.addressSpaces[si]!;
  const prefix = spaceKey(space);
  const body = h('tbody');
  const table = h('table', { role: 'treegrid', class: 'ptable', 'aria-label': `Page tables of ${space.label}` });
  const scroller = h('div', { class: 'tree-scroll' });
  let rows: RowSpec[] = [];
  let rowHeight = ROW_HEIGHT;
  /** The row that holds the Tab stop (by index into rows). */
  let active = 0;
  const made = new Map<string, HTMLElement>();

  const element = (i: number): HTMLElement => {
    const spec = rows[i]!;
    let el = made.get(spec.key);
    if (!el) {
      el = spec.make();
      made.set(spec.key, el);
    }
    el.dataset.idx = String(i);
    el.setAttribute('aria-rowindex', String(i + 2));
    el.tabIndex = i === active ? 0 : -1;
    return el;
  };

  const spacer = (height: number): HTMLElement => {
    const s = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: COLUMNS.length }));
    s.style.height = `${height}px`;
    return s;
  };

  /** Draws the rows in view (all of them when the tree is hidden or small). */
  const drawWindow = (): void => {
    const view = scroller.clientHeight || 600;
    const whole = rows.length <= DRAW_WHOLE;
    const first = whole ? 0 : Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - OVERSCAN);
    const last = whole ? rows.length : Math.min(rows.length, Math.ceil((scroller.scrollTop + view) / rowHeight) + OVERSCAN);
    const focusedKey = (document.activeElement as HTMLElement | null)?.closest?.('tr[data-row]')?.getAttribute('data-row');
    const children: HTMLElement[] = [];
    if (first > 0) children.push(spacer(first * rowHeight));
    for (let i = first; i < last; i++) children.push(element(i));
    if (last < rows.length) children.push(spacer((rows.length - last) * rowHeight));
    body.replaceChildren(...children);
    const measured = body.querySelector<HTMLElement>('tr[data-row]')?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - rowHeight) > 0.5) rowHeight = measured;
    if (focusedKey) body.querySelector<HTMLElement>(`tr[data-row="${CSS.escape(focusedKey)}"]`)?.focus({ preventScroll: true });
  };

  const collect = (): void => {
    rows = new TreeRows(ctx, si, prefix).collect();
    made.clear();
    active = Math.min(active, rows.length - 1);
    table.setAttribute('aria-rowcount', String(rows.length + 1));
  };

  /** Scrolls row i into the tree's view (at a third of its height when `centre`), draws, and optionally focuses it. */
  const reveal = (i: number, focus: boolean, centre = false): void => {
    if (i < 0 || i >= rows.length) return;
    active = i;
    const top = i * rowHeight;
    const view = scroller.clientHeight;
    if (centre) scroller.scrollTop = Math.max(0, top - view / 3);
    else if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + rowHeight > scroller.scrollTop + view) scroller.scrollTop = top + rowHeight - view;
    drawWindow();
    for (const el of body.querySelectorAll<HTMLElement>('tr[tabindex="0"]')) el.tabIndex = -1;
    const el = body.querySelector<HTMLElement>(`tr[data-idx="${i}"]`);
    if (el) {
      el.tabIndex = 0;
      if (focus) el.focus({ preventScroll: true });
    }
  };

  const setOpen = (i: number, open: boolean): void => {
    const key = rows[i]!.key;
    ctx.actions.toggle(key, open);
    collect();
    reveal(Math.max(0, rows.findIndex((r) => r.key === key)), true);
  };

  const parentOf = (i: number): number => {
    const d = rows[i]!.depth;
    for (let j = i - 1; j >= 0; j--) if (rows[j]!.depth < d) return j;
    return -1;
  };

  let scheduled = false;
  scroller.addEventListener('scroll', () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      drawWindow();
    });
  });
  body.addEventListener('click', (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('tr[data-idx]');
    if (!el) return;
    const i = Number(el.dataset.idx);
    if (rows[i]!.open !== undefined) setOpen(i, !rows[i]!.open);
    else reveal(i, true);
  });
  body.addEventListener('keydown', (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('tr[data-idx]');
    if (!el || e.target !== el) return;
    const i = Number(el.dataset.idx);
    const spec = rows[i]!;
    const page = Math.max(1, Math.floor(scroller.clientHeight / rowHeight) - 1);
    const moves: Record<string, () => void> = {
      ArrowDown: () => reveal(i + 1, true),
      ArrowUp: () => reveal(i - 1, true),
      PageDown: () => reveal(Math.min(rows.length - 1, i + page), true),
      PageUp: () => reveal(Math.max(0, i - page), true),
      Home: () => reveal(0, true),
      End: () => reveal(rows.length - 1, true),
      ArrowRight: () => (spec.open === false ? setOpen(i, true) : spec.open ? reveal(i + 1, true) : undefined),
      ArrowLeft: () => (spec.open ? setOpen(i, false) : reveal(parentOf(i), true)),
      Enter: () => (spec.open !== undefined ? setOpen(i, !spec.open) : undefined),
      ' ': () => (spec.open !== undefined ? setOpen(i, !spec.open) : undefined),
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    move();
  });

  const all = (open: boolean): void => {
    // Level by level: opening a row reveals rows to open on the next pass (four levels and the runs).
    for (let pass = 0; pass < 6; pass++) {
      const todo = rows.filter((r) => r.open !== undefined && r.open !== open);
      if (todo.length === 0) break;
      for (const r of todo) ctx.actions.toggle(r.key, open);
      collect();
    }
    reveal(0, false);
  };

  /** The next changed row after the active one (cycling), brought into view. */
  const nextChange = (focus: boolean): void => {
    const changed = rows.map((r, i) => (r.change || r.changesInside ? i : -1)).filter((i) => i >= 0);
    if (changed.length === 0) return;
    reveal(changed.find((i) => i > active) ?? changed[0]!, focus, true);
  };

  collect();
  const head = h('thead', null, h('tr', { role: 'row', 'aria-rowindex': 1 }, ...COLUMNS.map((c) => h('th', {
    role: 'columnheader', scope: 'col', class: FLAGS.includes(c as keyof SnapshotPageFlags) ? 'flag-head' : '', title: FLAG_TITLES[c as keyof SnapshotPageFlags] ?? '',
  }, c))));
  table.append(head, body);
  scroller.appendChild(table);
  drawWindow();
  // Once laid out, the first change is scrolled into the tree's view (the page itself does not move).
  requestAnimationFrame(() => {
    if (!ctx.model.diffIndex.any) return drawWindow();
    active = -1;
    nextChange(false);
  });

  const counts = ctx.model.diffIndex.counts;
  const diffLine = ctx.model.diffIndex.any
    ? h('span', { class: 'summary' }, `Since the previous stop: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed; A/D newly set on ${counts.accessed}.`)
    : null;
  return h('div', { class: 'tree' },
    h('div', { class: 'toolbar' }, button('Expand all', () => all(true)), button('Collapse all', () => all(false)),
      ctx.model.diffIndex.any ? button('Next change', () => nextChange(true), { title: 'Scroll to the next entry changed since the previous stop' }) : null, diffLine,
      h('span', { class: 'legend' }, h('span', { class: 'key diff-added' }, 'added'), h('span', { class: 'key diff-changed' }, 'changed'), h('span', { class: 'key diff-removed' }, 'removed'), h('span', { class: 'key new-bit' }, 'A/D newly set'))),
    scroller,
  );
}
