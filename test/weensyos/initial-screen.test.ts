// The handout's starting kernel (-DSTEP=0) draws the screen FACTS.md section 7
// describes: checked cell by cell against a golden file (characters and
// colours, UPDATE_GOLDEN=1 regenerates it) and, independently of the golden
// file, against the facts' description of the initial screen.
//
//   UPDATE_GOLDEN=1 npx vitest run test/weensyos/initial-screen.test.ts
//
// The number of K pages depends on the size of the kernel our compiler makes
// (FACTS.md section 3), so a change in code generation may move the golden
// file's first free page after the kernel: regenerate it and look at the diff.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootWeensyOS, buildWeensyOS, formatDiagnostic, readConsole } from '../../emulator/index';

const GOLDEN = join(__dirname, 'golden', 'step0-screen-tick10.txt');
const TICK = 10;

/** Each row as its text, then its 80 attribute bytes in hex. */
function render(cells: ArrayLike<number>): string {
  const out: string[] = [];
  for (let r = 0; r < 25; r++) {
    let text = '';
    let attrs = '';
    for (let c = 0; c < 80; c++) {
      const cell = cells[r * 80 + c]!;
      const ch = cell & 0xff;
      text += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '?';
      attrs += (cell >> 8).toString(16).padStart(2, '0');
    }
    out.push(`${String(r).padStart(2, '0')} |${text}|`, `   ${attrs}`);
  }
  return out.join('\n') + '\n';
}

describe('the initial screen of the handout kernel (STEP=0)', { timeout: 120_000 }, () => {
  const b = buildWeensyOS({ host: { readFile: () => undefined }, defines: new Map([['STEP', '0']]) });
  const screen = (): number[] => {
    expect(b.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const m = bootWeensyOS(b.kernel!, { output: { log: () => {} } });
    const ticks = b.kernel!.symbols.get('ticks')!.address;
    while (m.memory.read32(ticks) < TICK) expect(m.run(10_000).kind).toBe('budget');
    // memshow runs at every exception: stop on the way back to user mode, with the screen complete.
    while ((m.cpu.cs & 3) !== 3) expect(m.run(1).kind).toBe('budget');
    return Array.from(readConsole(m.memory).cells);
  };
  const cells = screen();
  const cell = (row: number, col: number): number => cells[row * 80 + col]!;
  const text = (row: number, col: number, n: number): string => Array.from({ length: n }, (_, i) => String.fromCharCode(cell(row, col + i) & 0xff)).join('');

  it(`matches the golden screen at tick ${TICK}`, () => {
    const actual = render(cells);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(join(__dirname, 'golden'), { recursive: true });
      writeFileSync(GOLDEN, actual);
    }
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: UPDATE_GOLDEN=1 makes it`).toBe(true);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('has the titles and labels where memshow puts them', () => {
    expect(text(0, 32, 15)).toBe('PHYSICAL MEMORY');
    expect(cell(0, 32) >> 8).toBe(0x0f);
    expect(text(1, 3, 8)).toBe('0x000000');
    expect(text(8, 3, 8)).toBe('0x1C0000');
    expect(text(10, 26, 28)).toMatch(/^VIRTUAL ADDRESS SPACE FOR \d $/);
    expect(text(22, 3, 8)).toBe('0x2C0000');
  });

  it('shows physical memory as the facts describe: R, free pages, the kernel, the I/O hole, four process rows', () => {
    const page = (pn: number): number => cell(1 + Math.floor(pn / 64), 12 + (pn % 64));
    expect(String.fromCharCode(page(0) & 0xff)).toBe('R');
    for (let pn = 1; pn < 0x40; pn++) expect(page(pn) & 0xff, `page ${pn}`).toBe('.'.charCodeAt(0));
    const end = Math.ceil(b.kernel!.symbols.get('end')!.address / 4096);
    // K in light magenta; kernel_pagetable's page, shared by the four processes (refcount 5), is drawn darker (& 0x77FF).
    for (let pn = 0x40; pn < end; pn++) expect([0x0d00 | 0x4b, 0x0500 | 0x4b], `page ${pn}`).toContain(page(pn));
    expect(page(0x7f)).toBe(0x0d00 | 'K'.charCodeAt(0));
    for (let pn = 0xa0; pn < 0x100; pn++) expect(String.fromCharCode(page(pn) & 0xff), `page ${pn}`).toBe('R');
    const colours = [0x0c, 0x0a, 0x09, 0x0e];
    for (let pid = 1; pid <= 4; pid++) {
      const base = 0x100 + (pid - 1) * 0x40;
      // The code page and the data page at the start of the row, the stack page at its end, in the pid's colour.
      for (const pn of [base, base + 1, base + 0x3f]) expect(page(pn), `page ${pn.toString(16)}`).toBe((colours[pid - 1]! << 8) | (0x30 + pid));
    }
  });

  it('shows the virtual map identical to physical memory, in reverse video, and nothing from 0x200000', () => {
    const reverse = (c: number): number => ((c & 0x0f00) << 4) | ((c & 0xf000) >> 4) | (c & 0xff);
    for (let vpn = 0; vpn < 0x200; vpn++) {
      const phys = cell(1 + Math.floor(vpn / 64), 12 + (vpn % 64));
      const virt = cell(11 + Math.floor(vpn / 64), 12 + (vpn % 64));
      if ((phys & 0xff) === 0x2e) continue; // a free page the process cannot be told from: '.' shows as mapped too
      expect(virt, `virtual page ${vpn.toString(16)}`).toBe(reverse(phys));
    }
    for (let vpn = 0x200; vpn < 0x300; vpn++) expect(cell(11 + Math.floor(vpn / 64), 12 + (vpn % 64)), `virtual page ${vpn.toString(16)}`).toBe(0x0020);
  });
});
