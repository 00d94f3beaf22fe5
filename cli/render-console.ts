import type { ConsoleScreen } from '../emulator/index';

// CGA colour numbers (0 black, 1 blue, 2 green, 3 cyan, 4 red, 5 magenta,
// 6 brown, 7 light grey, +8 bright) to ANSI's order (black red green yellow
// blue magenta cyan white).
const CGA_TO_ANSI = [0, 4, 2, 6, 1, 5, 3, 7];

function sgr(attr: number): string {
  const fg = attr & 0xf;
  const bg = (attr >> 4) & 0xf; // QEMU shows bit 7 as a bright background, not blink
  const fgCode = (fg & 8 ? 90 : 30) + CGA_TO_ANSI[fg & 7]!;
  const bgCode = (bg & 8 ? 100 : 40) + CGA_TO_ANSI[bg & 7]!;
  return `\x1b[${fgCode};${bgCode}m`;
}

/** The screen as ANSI-coloured text lines (each line resets its colour at the end). */
export function renderConsoleAnsi(screen: ConsoleScreen): string[] {
  const lines: string[] = [];
  for (let r = 0; r < screen.rows; r++) {
    let line = '';
    let current = -1;
    for (let c = 0; c < screen.columns; c++) {
      const cell = screen.cells[r * screen.columns + c]!;
      const attr = cell >> 8;
      const ch = cell & 0xff;
      if (attr !== current) {
        line += sgr(attr);
        current = attr;
      }
      line += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : ' ';
    }
    lines.push(line + '\x1b[0m');
  }
  return lines;
}
