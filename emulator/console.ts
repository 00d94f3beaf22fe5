import { CONSOLE_ADDR, CONSOLE_COLUMNS, CONSOLE_ROWS, CURSORPOS_ADDR } from './machine/constants';
import type { PhysicalMemory } from './machine/physical-memory';

/** The 80x25 CGA text screen: each cell is char | attribute << 8, read from RAM at 0xB8000. */
export interface ConsoleScreen {
  readonly columns: number;
  readonly rows: number;
  readonly cells: Uint16Array;
  /** The `cursorpos` word at 0xB8FFC. */
  readonly cursorpos: number;
}

/** Copies the screen out of physical memory (no side effects). */
export function readConsole(memory: PhysicalMemory): ConsoleScreen {
  const n = CONSOLE_COLUMNS * CONSOLE_ROWS;
  const bytes = memory.readBytes(CONSOLE_ADDR, n * 2);
  const cells = new Uint16Array(n);
  for (let i = 0; i < n; i++) cells[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  const c = memory.readBytes(CURSORPOS_ADDR, 4);
  const cursorpos = c[0]! | (c[1]! << 8) | (c[2]! << 16) | (c[3]! << 24);
  return { columns: CONSOLE_COLUMNS, rows: CONSOLE_ROWS, cells, cursorpos };
}

/** The screen as plain text, one line per row, trailing blanks trimmed. NUL cells read as spaces. */
export function consoleText(screen: ConsoleScreen): string[] {
  const lines: string[] = [];
  for (let r = 0; r < screen.rows; r++) {
    let s = '';
    for (let c = 0; c < screen.columns; c++) {
      const ch = screen.cells[r * screen.columns + c]! & 0xff;
      s += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : ' ';
    }
    lines.push(s.trimEnd());
  }
  return lines;
}
