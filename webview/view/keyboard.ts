// Keyboard navigation with a roving tabindex: a grid of cells (the memory
// maps) and a list of rows (the page-table tree) each take one Tab stop;
// arrow keys move inside. Follows the WAI-ARIA grid and treegrid patterns.

/** Arrow keys, Home/End (row), Ctrl+Home/End (grid), PageUp/PageDown (four rows) over cells with data-i = 0..count-1. */
export function gridKeys(grid: HTMLElement, columns: number, count: number, onMove: (i: number) => void, onActivate: (i: number) => void): void {
  grid.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    const at = Number(target.dataset.i);
    if (!Number.isInteger(at)) return;
    let to: number;
    switch (e.key) {
      case 'ArrowRight': to = at + 1; break;
      case 'ArrowLeft': to = at - 1; break;
      case 'ArrowDown': to = at + columns; break;
      case 'ArrowUp': to = at - columns; break;
      case 'Home': to = e.ctrlKey ? 0 : at - (at % columns); break;
      case 'End': to = e.ctrlKey ? count - 1 : Math.min(count - 1, at - (at % columns) + columns - 1); break;
      case 'PageDown': to = at + 4 * columns; break;
      case 'PageUp': to = at - 4 * columns; break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        onActivate(at);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (to < 0 || to >= count) return;
    focusCell(grid, to);
    onMove(to);
  });
}

/** Makes cell i the grid's one Tab stop and focuses it. */
export function focusCell(grid: HTMLElement, i: number, focus = true): void {
  const prev = grid.querySelector<HTMLElement>('[tabindex="0"]');
  const next = grid.querySelector<HTMLElement>(`[data-i="${i}"]`);
  if (!next) return;
  if (prev && prev !== next) prev.tabIndex = -1;
  next.tabIndex = 0;
  if (focus) next.focus();
}

/** Up/Down/Home/End over rows with [data-row]; Left/Right call back (collapse/expand), Enter activates. */
export function rowKeys(
  list: HTMLElement, onKey: (row: HTMLElement, key: 'left' | 'right' | 'enter') => void,
): void {
  list.addEventListener('keydown', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
    if (!row || e.target !== row) return;
    const rows = [...list.querySelectorAll<HTMLElement>('[data-row]')];
    const at = rows.indexOf(row);
    let to: number;
    switch (e.key) {
      case 'ArrowDown': to = at + 1; break;
      case 'ArrowUp': to = at - 1; break;
      case 'Home': to = 0; break;
      case 'End': to = rows.length - 1; break;
      case 'PageDown': to = Math.min(rows.length - 1, at + 10); break;
      case 'PageUp': to = Math.max(0, at - 10); break;
      case 'ArrowLeft': e.preventDefault(); onKey(row, 'left'); return;
      case 'ArrowRight': e.preventDefault(); onKey(row, 'right'); return;
      case 'Enter':
      case ' ': e.preventDefault(); onKey(row, 'enter'); return;
      default: return;
    }
    e.preventDefault();
    const next = rows[to];
    if (next) focusRow(list, next);
  });
}

export function focusRow(list: HTMLElement, row: HTMLElement, focus = true): void {
  for (const r of list.querySelectorAll<HTMLElement>('[data-row][tabindex="0"]')) if (r !== row) r.tabIndex = -1;
  row.tabIndex = 0;
  if (focus) row.focus();
}
