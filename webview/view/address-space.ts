// One address space at a time: the picker (every live process's page table
// and the kernel's, the current process first chosen), its virtual map as
// memshow_virtual draws it (the owner of the physical page behind each
// virtual page, reverse video when user-accessible, blank when unmapped),
// and below it, its page-table tree.

import { hex, PAGESIZE } from '../model/format';
import { ownerName, permText, UNMAPPED_CELL, virtualCell } from '../model/owners';
import { spaceKey, type PanelContext } from './context';
import { h } from './dom';
import { memoryGrid, type GridCell } from './memory-grid';

/** MEMSIZE_VIRTUAL / PAGESIZE: the virtual pages memshow draws. */
export const VIRTUAL_PAGES = 768;

export function spacePicker(ctx: PanelContext, si: number, id: string, onPick: (key: string) => void, label = 'Address space'): HTMLElement {
  const s = ctx.model.snapshot;
  const options = s.addressSpaces.map((space, i) => {
    const procs = s.processes.filter((p) => space.pids.includes(p.pid));
    const program = !space.kernel && procs.length === 1 && procs[0]!.program ? ` — ${procs[0]!.program}` : '';
    const current = procs.some((p) => p.current) ? ' (current)' : '';
    const added = ctx.model.diffIndex.spaceAdded(space.l1) ? ' (new)' : '';
    return h('option', { value: spaceKey(space), selected: i === si }, `${space.label}${program}${current}${added} — L1 at ${hex(space.l1)}`);
  });
  const select = h('select', { id, onchange: (e: Event) => onPick((e.target as HTMLSelectElement).value) }, ...options);
  return h('label', { class: 'picker', for: id }, `${label} `, select);
}

function virtualCellOf(ctx: PanelContext, si: number, vpn: number): GridCell {
  const space = ctx.model.snapshot.addressSpaces[si]!;
  const va = vpn * PAGESIZE;
  const page = ctx.model.index.virtualPages[si]!.get(va);
  const change = ctx.model.diffIndex.virtualChanges(space.l1).get(va);
  const marks = change ? (change.change === 'removed' ? 'removed' : 'changed') : '';
  if (!page) return { ...UNMAPPED_CELL, label: `virtual ${hex(va)}: not mapped${change ? ', unmapped since the previous stop' : ''}`, marks };
  const info = ctx.model.snapshot.pageinfo.pages[Math.floor(page.pa / PAGESIZE)];
  if (!info) return { ch: '!', attr: 0x4f, label: `virtual ${hex(va)} → physical ${hex(page.pa)}, beyond physical memory`, marks: `flag ${marks}` };
  const c = virtualCell(info.owner, info.refcount, page.perm);
  const what = `${change ? (change.change === 'added' ? ', mapped since the previous stop' : ', changed since the previous stop') : ''}`;
  return { ...c, label: `virtual ${hex(va)} → physical ${hex(page.pa)}: ${ownerName(info.refcount === 0 ? 0 : info.owner)}, refcount ${info.refcount}, ${permText(page.perm)}${what}`, marks };
}

/** The picker and virtual map of address space `si`. */
export function addressSpaceView(ctx: PanelContext, si: number): HTMLElement {
  const space = ctx.model.snapshot.addressSpaces[si]!;
  const key = spaceKey(space);
  const maxVa = space.pages.reduce((m, p) => Math.max(m, p.va), 0);
  const count = Math.max(VIRTUAL_PAGES, Math.ceil((maxVa + 1) / PAGESIZE));
  const line = h('p', { class: 'hover-line', 'aria-hidden': 'true' }, 'Reverse video: user-accessible (PTE_U). Blank: not mapped. Click a page (or press Enter on it) to translate it.');
  const grid = memoryGrid({
    label: `Virtual address space of ${space.label}, one cell per page from 0 to ${hex(count * PAGESIZE - 1)}`,
    count, base: 0,
    cell: (vpn) => virtualCellOf(ctx, si, vpn),
    selected: null,
    onSelect: (vpn) => {
      const va = vpn * PAGESIZE;
      const page = ctx.model.index.virtualPages[si]!.get(va);
      if (page) ctx.actions.selectPage(Math.floor(page.pa / PAGESIZE));
      ctx.actions.translate(va, key);
    },
    // Arrow keys only say what is under the cursor; Enter (or a click) translates, which moves the page to the translator.
    onMove: (vpn) => {
      line.textContent = virtualCellOf(ctx, si, vpn).label;
    },
    onPreview: (vpn) => {
      line.textContent = vpn === null ? 'Reverse video: user-accessible (PTE_U). Blank: not mapped. Click a page (or press Enter on it) to translate it.' : virtualCellOf(ctx, si, vpn).label;
    },
  });
  grid.classList.add('virtual');
  const added = ctx.model.diffIndex.spaceAdded(space.l1) ? h('p', { class: 'note' }, 'This address space is new since the previous stop: all its entries count as added.') : null;
  return h('div', { class: 'virtual-map' },
    h('div', { class: 'toolbar' }, spacePicker(ctx, si, 'space-picker', (k) => ctx.actions.selectSpace(k)), h('span', { class: 'summary' }, `${space.pages.length} virtual pages mapped below ${hex(count * PAGESIZE)}; ${space.tables.length} page-table pages`)),
    added, grid, line);
}
