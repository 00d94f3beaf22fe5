// A memshow-style grid of pages, 64 to a row with the row's first address
// on the left, each cell a character in its CGA colours (fg-N / bg-N
// classes). Shared by the physical map and the virtual map. One Tab stop;
// arrows move (and select), Enter selects, hovering previews.

import { hex6 } from '../model/format';
import type { Cell } from '../model/owners';
import { h } from './dom';
import { focusCell, gridKeys } from './keyboard';

export interface GridCell extends Cell {
  /** What a screen reader says for the cell. */
  readonly label: string;
  /** Extra classes: 'flag', 'changed', 'removed', 'shared'. */
  readonly marks?: string;
}

export interface GridOptions {
  readonly label: string;
  readonly count: number;
  /** The address of cell 0 and the bytes per cell. */
  readonly base: number;
  readonly cell: (i: number) => GridCell;
  readonly selected: number | null;
  readonly onSelect: (i: number) => void;
  readonly onPreview: (i: number | null) => void;
  /** What arrow keys do on reaching a cell (default: select it). */
  readonly onMove?: (i: number) => void;
}

export const GRID_COLUMNS = 64;

export function memoryGrid(o: GridOptions): HTMLElement {
  const grid = h('div', { class: 'memgrid', role: 'grid', 'aria-label': o.label, 'aria-rowcount': Math.ceil(o.count / GRID_COLUMNS), 'aria-colcount': GRID_COLUMNS + 1 });
  const tabStop = o.selected !== null && o.selected >= 0 && o.selected < o.count ? o.selected : 0;
  for (let r = 0; r * GRID_COLUMNS < o.count; r++) {
    const row = h('div', { class: 'memrow', role: 'row' }, h('span', { class: 'memlabel', role: 'rowheader' }, hex6(o.base + r * GRID_COLUMNS * 4096)));
    const frag = document.createDocumentFragment();
    for (let i = r * GRID_COLUMNS; i < Math.min(o.count, (r + 1) * GRID_COLUMNS); i++) {
      const c = o.cell(i);
      const span = document.createElement('span');
      span.className = `cell fg-${c.attr & 15} bg-${(c.attr >> 4) & 15}${c.marks ? ' ' + c.marks : ''}${i === o.selected ? ' selected' : ''}`;
      span.setAttribute('role', 'gridcell');
      span.setAttribute('aria-label', c.label);
      if (i === o.selected) span.setAttribute('aria-selected', 'true');
      span.dataset.i = String(i);
      span.tabIndex = i === tabStop ? 0 : -1;
      span.textContent = c.ch;
      frag.appendChild(span);
    }
    row.appendChild(frag);
    grid.appendChild(row);
  }
  const cellOf = (e: Event): number | undefined => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('[data-i]');
    return t ? Number(t.dataset.i) : undefined;
  };
  grid.addEventListener('click', (e) => {
    const i = cellOf(e);
    if (i === undefined) return;
    focusCell(grid, i);
    o.onSelect(i);
  });
  grid.addEventListener('mouseover', (e) => {
    const i = cellOf(e);
    if (i !== undefined) o.onPreview(i);
  });
  grid.addEventListener('mouseleave', () => o.onPreview(null));
  gridKeys(grid, GRID_COLUMNS, o.count, o.onMove ?? o.onSelect, o.onSelect);
  return grid;
}

/** Moves the selection mark without redrawing the grid. */
export function markSelected(grid: HTMLElement, i: number | null): void {
  const prev = grid.querySelector('.cell.selected');
  if (prev) {
    prev.classList.remove('selected');
    prev.removeAttribute('aria-selected');
  }
  if (i === null) return;
  const next = grid.querySelector<HTMLElement>(`[data-i="${i}"]`);
  if (next) {
    next.classList.add('selected');
    next.setAttribute('aria-selected', 'true');
    focusCell(grid, i, false);
  }
}
