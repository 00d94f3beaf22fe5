// Physical memory as memshow_physical draws it: one cell per page, the
// owner's character in its colour, darker when shared; plus what the screen
// cannot show: refcounts (the "refcount" view), pages the audit flags (red
// frame), pages whose pageinfo changed since the previous stop (yellow frame).

import { hex, plural } from '../model/format';
import { ownerCell, ownerName, physicalCell, PO_FREE, PO_KERNEL, PO_RESERVED } from '../model/owners';
import type { PanelContext } from './context';
import { h } from './dom';
import { memoryGrid, type GridCell } from './memory-grid';

function refcountChar(n: number): string {
  if (n <= 0) return '.';
  return n < 10 ? String(n) : '+';
}

export function physicalCellOf(ctx: PanelContext, pn: number): GridCell {
  const { snapshot, index, diffIndex } = ctx.model;
  const info = snapshot.pageinfo.pages[pn]!;
  const c = physicalCell(info.owner, info.refcount);
  const findings = index.findings.get(pn);
  const changed = diffIndex.pageinfo(pn);
  const marks = [findings ? 'flag' : '', changed ? 'changed' : '', info.refcount > 1 ? 'shared' : ''].filter(Boolean).join(' ');
  const parts = [`page ${hex(pn * 4096)}`, info.refcount === 0 && info.owner !== PO_FREE ? `free (pageinfo owner ${ownerName(info.owner)})` : ownerName(info.owner), `refcount ${info.refcount}`];
  if (info.refcount > 1) parts.push('shared');
  if (findings) parts.push(`problem: ${findings[0]!.message}`);
  if (changed) parts.push('changed since the previous stop');
  return { ch: ctx.ui.cellMode === 'refcount' ? refcountChar(info.refcount) : c.ch, attr: c.attr, label: parts.join(', '), marks };
}

function summary(ctx: PanelContext): string {
  const pages = ctx.model.snapshot.pageinfo.pages;
  let kernel = 0, reserved = 0, free = 0, proc = 0, shared = 0;
  for (const p of pages) {
    if (p.refcount === 0 || p.owner === PO_FREE) free++;
    else if (p.owner === PO_KERNEL) kernel++;
    else if (p.owner === PO_RESERVED) reserved++;
    else proc++;
    if (p.refcount > 1) shared++;
  }
  const problems = ctx.model.index.findings.size;
  return `${plural(pages.length, 'page')}: ${kernel} kernel, ${reserved} reserved, ${free} free, ${proc} owned by processes (${shared} shared)` +
    (problems ? `; ${plural(problems, 'page')} with problems` : '');
}

function legend(ctx: PanelContext): HTMLElement {
  const chip = (owner: number, text: string): HTMLElement => {
    const c = ownerCell(owner);
    return h('span', { class: 'legend-item' }, h('span', { class: `cell fg-${c.attr & 15} bg-${c.attr >> 4}`, 'aria-hidden': 'true' }, c.ch), ' ', text);
  };
  const pids = [...new Set(ctx.model.snapshot.processes.map((p) => p.pid))].sort((a, b) => a - b);
  return h('div', { class: 'legend', 'aria-label': 'Legend' },
    chip(PO_KERNEL, 'kernel'), chip(PO_RESERVED, 'reserved'), chip(PO_FREE, 'free'),
    ...pids.map((pid) => chip(pid, `process ${pid}`)),
    h('span', { class: 'legend-item' }, h('span', { class: 'cell fg-4 bg-0', 'aria-hidden': 'true' }, '1'), ' darker: shared (refcount > 1)'),
    h('span', { class: 'legend-item' }, h('span', { class: 'cell fg-7 bg-0 flag', 'aria-hidden': 'true' }, '.'), ' problem found'),
    ctx.model.diffIndex.any ? h('span', { class: 'legend-item' }, h('span', { class: 'cell fg-7 bg-0 changed', 'aria-hidden': 'true' }, '.'), ' changed since the previous stop') : null,
  );
}

function modeSwitch(ctx: PanelContext): HTMLElement {
  const radio = (mode: 'owner' | 'refcount', text: string): HTMLElement =>
    h('label', null, h('input', { type: 'radio', name: 'cellmode', value: mode, checked: ctx.ui.cellMode === mode, onchange: () => ctx.actions.setCellMode(mode) }), ' ', text);
  return h('div', { class: 'mode', role: 'radiogroup', 'aria-label': 'Cells show' }, 'Cells show: ', radio('owner', 'owner'), radio('refcount', 'refcount'));
}

/** The physical map; `grid` is returned too so the selection can move without a redraw. */
export function physicalMap(ctx: PanelContext): { element: HTMLElement; grid: HTMLElement } {
  const pages = ctx.model.snapshot.pageinfo.pages;
  const grid = memoryGrid({
    label: 'Physical memory, one cell per page',
    count: pages.length,
    base: 0,
    cell: (pn) => physicalCellOf(ctx, pn),
    selected: ctx.ui.page,
    onSelect: (pn) => ctx.actions.selectPage(pn),
    onPreview: (pn) => ctx.actions.previewPage(pn),
  });
  grid.classList.add('physical');
  const source = ctx.model.snapshot.pageinfo.source === 'derived'
    ? h('p', { class: 'note' }, 'This kernel\'s pageinfo array could not be read, so owners and refcounts here are rebuilt from the page tables.')
    : null;
  const element = h('div', { class: 'physical-map' }, h('div', { class: 'toolbar' }, h('span', { class: 'summary' }, summary(ctx)), modeSwitch(ctx)), source, grid, legend(ctx));
  return { element, grid };
}
