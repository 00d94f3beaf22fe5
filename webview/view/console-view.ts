// The 80x25 CGA text screen as WeensyOS draws it: each cell's character in
// its attribute's colours, runs of one attribute in one span, the cursor
// (cursorpos) marked. The text stays selectable and readable by a screen reader.

import type { PanelSnapshot } from '../../emulator/index';
import { h } from './dom';

/** Code page 437 glyphs for the control range WeensyOS may print; other bytes map to Latin-1. */
const CP437_LOW = ' ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼';

function glyph(code: number): string {
  if (code === 0) return ' ';
  if (code < 32) return CP437_LOW[code]!;
  if (code === 127) return '⌂';
  return String.fromCharCode(code);
}

export function consoleView(s: PanelSnapshot): HTMLElement {
  const { columns, rows, cells, cursorpos } = s.console;
  const pre = h('pre', { class: 'cga', 'aria-label': `WeensyOS console, ${columns} by ${rows}` });
  for (let r = 0; r < rows; r++) {
    const line = h('span', { class: 'cga-row' });
    let run = '';
    let attr = -1;
    const flush = (): void => {
      if (run) line.appendChild(h('span', { class: `fg-${attr & 15} bg-${(attr >> 4) & 15}` }, run));
      run = '';
    };
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      const cell = cells[i]!;
      const a = (cell >> 8) & 0xff;
      if (i === cursorpos) {
        flush();
        line.appendChild(h('span', { class: `fg-${a & 15} bg-${(a >> 4) & 15} cursor`, title: `cursorpos ${cursorpos}` }, glyph(cell & 0xff)));
        attr = -1;
        continue;
      }
      if (a !== attr) {
        flush();
        attr = a;
      }
      run += glyph(cell & 0xff);
    }
    flush();
    pre.appendChild(line);
    if (r < rows - 1) pre.appendChild(document.createTextNode('\n'));
  }
  return h('div', { class: 'console-wrap' }, pre);
}
