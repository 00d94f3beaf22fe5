// Keyboard navigation with a roving tabindex for the memory maps: the grid
// takes one Tab stop and arrow keys move inside (the WAI-ARIA grid pattern).
// The page-table tree has its own (page-table-tree.ts), over rows it draws
// only in view.

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
