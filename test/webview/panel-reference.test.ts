// The memory-map panel in real Chromium on snapshots of the reference
// kernel: its maps equal WeensyOS's own memshow drawing cell for cell (the
// kernel drew the screen from the same memory an instant before), the
// selected page lists every mapping of it, the page-table tree shows the
// entries and their flags, the translator fails at the right level, the diff
// after a virtual_memory_map is highlighted, and the panel keeps its state
// across a reload, navigates by keyboard and sends source links to the
// extension. Screenshots: test-artifacts/webview/.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelSnapshot, SnapshotDiff } from '../../emulator/index';
import { gridCells, launchBrowser, openPanel, type PanelPage } from './browser';

/** The page's document, in callbacks that run in the browser (these files compile without the DOM library). */
declare const document: { readonly body: { readonly dataset: Record<string, string | undefined> } };
import { referenceAfterMap, referenceAtMemshow } from './panel-fixtures';

const SLOW = { timeout: 180_000 };

let browser: Browser;
let allocators: PanelSnapshot;
let forked: PanelSnapshot;
let afterMap: { before: PanelSnapshot; after: PanelSnapshot; diff: SnapshotDiff; va: number };

/** The console's cell at (row, column) as memshow wrote it. */
function screenCell(s: PanelSnapshot, row: number, col: number): { ch: string; attr: number } {
  const c = s.console.cells[row * s.console.columns + col]!;
  return { ch: String.fromCharCode(c & 0xff), attr: (c >> 8) & 0xff };
}

function screenRow(s: PanelSnapshot, row: number): string {
  return s.console.cells.slice(row * 80, row * 80 + 80).map((c) => String.fromCharCode(c & 0xff || 32)).join('');
}

async function detailsText(p: PanelPage): Promise<string> {
  return (await p.page.textContent('.details-host')) ?? '';
}

describe('memory-map panel on the reference kernel', SLOW, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    allocators = referenceAtMemshow({ condition: 'ticks > 3' });
    forked = referenceAtMemshow({ command: 'fork', condition: 'ticks > 30' });
    afterMap = referenceAfterMap();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([['four allocators', () => allocators], ['p-fork (shared pages)', () => forked]])('%s: the physical map is memshow_physical, cell for cell', async (name, snapshot) => {
    const s = snapshot();
    const p = await openPanel(browser);
    await p.show(s);
    const cells = await gridCells(p.page, '.memgrid.physical');
    expect(cells).toHaveLength(512);
    for (let pn = 0; pn < 512; pn++) {
      const drawn = screenCell(s, 1 + Math.floor(pn / 64), 12 + (pn % 64));
      expect({ pn, ch: cells[pn]!.ch, attr: cells[pn]!.attr }).toEqual({ pn, ...drawn });
      const info = s.pageinfo.pages[pn]!;
      expect(cells[pn]!.label).toContain(`refcount ${info.refcount}`);
    }
    if (name.startsWith('p-fork')) {
      const shared = s.pageinfo.pages.findIndex((q) => q.refcount > 1);
      expect(shared, 'p-fork shares its code page').toBeGreaterThan(0);
      expect(cells[shared]!.classes).toContain('shared');
      expect(cells[shared]!.label).toMatch(/refcount [2-9], shared/);
      // The refcount view: digits instead of owners.
      await p.page.check('input[value="refcount"]');
      const counts = await gridCells(p.page, '.memgrid.physical');
      expect(counts[shared]!.ch).toBe(String(s.pageinfo.pages[shared]!.refcount));
      expect(counts[0x40]!.ch).toBe('1');
      await p.screenshot('reference-fork-refcounts');
    } else {
      await p.screenshot('reference-allocators');
    }
    expect(p.errors).toEqual([]);
    await p.page.close();
  });

  it('the virtual map is memshow_virtual of the process the screen shows', async () => {
    const s = allocators;
    const title = /VIRTUAL ADDRESS SPACE FOR (\d+)/.exec(screenRow(s, 10));
    expect(title).not.toBeNull();
    const pid = Number(title![1]);
    const p = await openPanel(browser);
    await p.show(s);
    await p.page.selectOption('#space-picker', `pid:${pid}`);
    const cells = await gridCells(p.page, '.memgrid.virtual');
    expect(cells).toHaveLength(768);
    for (let vpn = 0; vpn < 768; vpn++) {
      expect({ vpn, ch: cells[vpn]!.ch, attr: cells[vpn]!.attr }).toEqual({ vpn, ...screenCell(s, 11 + Math.floor(vpn / 64), 12 + (vpn % 64)) });
    }
    expect(cells[0x2ff]!.label).toMatch(new RegExp(`^virtual 0x2ff000 → physical 0x[0-9a-f]+: process ${pid}, refcount 1, P\\|W\\|U$`));
    await p.page.close();
  });

  it('a selected page shows its owner, refcount and every (address space, va, level) that maps it', async () => {
    const s = allocators;
    const p1 = s.addressSpaces.find((a) => a.pids.includes(1) && !a.kernel)!;
    const stack = p1.pages.find((q) => q.va === 0x2ff000)!;
    const pn = stack.pa / 4096;
    const p = await openPanel(browser);
    await p.show(s);
    await p.page.click(`.memgrid.physical [data-i="${pn}"]`);
    const text = await detailsText(p);
    expect(text).toContain(`Physical page 0x${stack.pa.toString(16)}`);
    expect(text).toMatch(/Ownerprocess 1\s*Refcount1/);
    expect(text).toContain('process 1: maps virtual 0x2ff000 (L4 entry), P|W|U');
    // The kernel's identity mapping of low memory maps it too, kernel-only, in every page table.
    if (stack.pa < 0x100000) expect(text).toContain(`the kernel page table: maps virtual 0x${stack.pa.toString(16)} (L4 entry), P|W`);
    // A page-table page: what points at it, at which level.
    const l4 = p1.tables.find((t) => t.level === 3)!;
    await p.page.click(`.memgrid.physical [data-i="${l4.pa / 4096}"]`);
    expect(await detailsText(p)).toMatch(/process 1: L3 entry for 0x0–0x1fffff points here: it is an L4 page table/);
    await p.page.click(`.memgrid.physical [data-i="${p1.l1 / 4096}"]`);
    expect(await detailsText(p)).toContain('process 1: its L1 page table');
    // Hovering previews another page without losing the selection.
    await p.page.hover('.memgrid.physical [data-i="64"]');
    expect(await detailsText(p)).toMatch(/Physical page 0x40000 \(under the pointer\)Ownerthe kernel/);
    await p.page.mouse.move(5, 5);
    expect(await detailsText(p)).toContain(`Physical page 0x${p1.l1.toString(16)}`);
    await p.screenshot('reference-selected-page');
    await p.page.close();
  });

  it('the physical map is one Tab stop; arrows, Home/End move the selection', async () => {
    const p = await openPanel(browser);
    await p.show(allocators);
    await p.page.focus('.memgrid.physical [tabindex="0"]');
    await p.page.keyboard.press('ArrowRight');
    expect(await detailsText(p)).toContain('Physical page 0x1000');
    await p.page.keyboard.press('End');
    expect(await detailsText(p)).toContain('Physical page 0x3f000');
    await p.page.keyboard.press('ArrowDown');
    expect(await detailsText(p)).toContain('Physical page 0x7f000');
    expect(await p.page.$$eval('.memgrid.physical [tabindex="0"]', (c) => c.map((x) => x.getAttribute('data-i')))).toEqual([String(0x7f)]);
    expect(await p.page.getAttribute('.memgrid.physical', 'role')).toBe('grid');
    // In the virtual map arrows only move; Enter translates the page under the cursor.
    await p.page.focus('.memgrid.virtual [tabindex="0"]');
    for (let i = 0; i < 0x100; i++) await p.page.keyboard.press('ArrowRight');
    expect(await p.page.inputValue('#translate-va')).toBe('');
    expect(await p.page.textContent('.hover-line')).toMatch(/^virtual 0x100000 → physical 0x[0-9a-f]+: process \d, refcount 1, P\|U$/); // code: read-only (step 6)
    await p.page.keyboard.press('Enter');
    expect(await p.page.inputValue('#translate-va')).toBe('0x100000');
    expect(await p.page.textContent('.translate-out .verdict')).toMatch(/^0x100000 in process \d → physical/);
    await p.page.close();
  });

  it('the page-table tree: entries with index, range, raw value, address, flags, owner; empty runs folded; keyboard expand/collapse', async () => {
    const s = allocators;
    const p1 = s.addressSpaces.find((a) => a.pids.includes(1) && !a.kernel)!;
    const p = await openPanel(browser);
    await p.show(s);
    await p.page.selectOption('#space-picker', 'pid:1');
    const stackRow = p.page.locator('tr[data-row="pid:1|3|3141632"]');
    const cells = await stackRow.locator('td').allTextContents();
    const entry = p1.tables.flatMap((t) => t.entries).find((e) => e.va === 0x2ff000)!;
    expect(cells.slice(0, 4)).toEqual(['L4[255]', '0x2ff000–0x2fffff', entry.raw, `0x${entry.pa.toString(16)}`]);
    // P W U PWT PCD A D PS G NX
    const flags = ['P', 'W', 'U', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'NX'].map((f) => (entry.flags[f as 'P'] ? f : '·'));
    expect(cells.slice(4, 14)).toEqual(flags);
    expect(cells.slice(14)).toEqual(['4 KiB page', '1process 1']);
    expect(await p.page.locator('tr[data-row="pid:1|empty|3|2097152"] td').first().textContent()).toBe('L4[0–254] empty (255 entries)');
    expect(await p.page.getAttribute('table.ptable', 'role')).toBe('treegrid');
    // Keyboard: L1[0] collapses with ArrowLeft and opens with ArrowRight.
    const l1 = p.page.locator('tr[data-row="pid:1|0|0"]');
    await l1.focus();
    await p.page.keyboard.press('ArrowLeft');
    expect(await p.page.getAttribute('tr[data-row="pid:1|0|0"]', 'aria-expanded')).toBe('false');
    expect(await stackRow.count()).toBe(0);
    await p.page.keyboard.press('ArrowRight');
    expect(await stackRow.count()).toBe(1);
    // A folded run of alike entries opens with Enter.
    const run = p.page.locator('tr.run-row').first();
    const runLabel = (await run.getAttribute('aria-label'))!;
    const n = Number(/: (\d+) alike entries/.exec(runLabel)![1]);
    const rowsBefore = await p.page.locator('tr[data-row]').count();
    await run.focus();
    await p.page.keyboard.press('Enter');
    expect(await p.page.locator('tr[data-row]').count()).toBe(rowsBefore + n);
    await p.screenshot('reference-page-tables');
    await p.page.close();
  });

  it('after virtual_memory_map: the new mapping is listed and highlighted in the tree and both maps; A/D newly set glow', async () => {
    const { after, diff, va } = afterMap;
    const p = await openPanel(browser);
    await p.show(after, diff);
    const p2 = after.addressSpaces.find((a) => a.pids.includes(2) && !a.kernel)!;
    const entry = p2.tables.flatMap((t) => t.entries).find((e) => e.va === va && e.kind === 'page')!;
    const index = (va / 4096) % 512;
    expect(await p.page.textContent('.change-list')).toContain(`added: process 2's L4[${index}], 0x${va.toString(16)} → 0x${entry.pa.toString(16)}`);
    // The picker starts on the current process, process 2.
    expect(await p.page.inputValue('#space-picker')).toBe('pid:2');
    const row = p.page.locator(`tr[data-row="pid:2|3|${va}"]`);
    expect(await row.getAttribute('data-change')).toBe('added');
    expect(await row.getAttribute('class')).toContain('diff-added');
    expect(await row.getAttribute('aria-label')).toContain('added since the previous stop');
    // The tree scrolled itself to the change.
    await p.page.waitForTimeout(100);
    const inView = await row.evaluate((r) => {
      const box = r.getBoundingClientRect();
      const view = r.closest('.tree-scroll')!.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom;
    });
    expect(inView).toBe(true);
    const virt = await gridCells(p.page, '.memgrid.virtual');
    expect(virt[va / 4096]!.classes).toContain('changed');
    expect(virt[va / 4096]!.label).toContain('mapped since the previous stop');
    const phys = await gridCells(p.page, '.memgrid.physical');
    expect(phys[entry.pa / 4096]!.classes).toContain('changed');
    // Elsewhere the kernel wrote the new page through its identity mapping: A and D newly set there.
    const ad = diff.entries.find((e) => e.newlySet.length > 0)!;
    expect(ad).toBeDefined();
    await p.page.selectOption('#space-picker', 'kernel');
    const adRow = p.page.locator(`tr[data-row="kernel|${ad.level}|${ad.va}"]`);
    expect(await adRow.locator('td.new-bit').allTextContents()).toEqual(ad.newlySet.map((f) => `${f} newly set`));
    await p.page.selectOption('#space-picker', 'pid:2');
    await p.page.waitForTimeout(100);
    await p.screenshot('reference-after-virtual_memory_map');
    // The standalone page follows the system's dark mode (in VS Code the theme's colours apply).
    await p.page.emulateMedia({ colorScheme: 'dark' });
    await p.screenshot('reference-after-virtual_memory_map-dark');
    expect(p.errors).toEqual([]);
    await p.page.close();
  });

  it('the translator draws the walk and fails at the right level, for the right reason', async () => {
    const p = await openPanel(browser);
    await p.show(allocators);
    const walk = async (va: string, space: string, access: string): Promise<{ verdict: string; failed: string | null; steps: number }> => {
      await p.page.selectOption('#translate-space', space);
      await p.page.selectOption('#translate-access', access);
      await p.page.fill('#translate-va', va);
      await p.page.press('#translate-va', 'Enter');
      return {
        verdict: (await p.page.textContent('.translate-out .verdict')) ?? '',
        failed: await p.page.locator('.translate-out tr.step.failed').getAttribute('data-level', { timeout: 100 }).catch(() => null),
        steps: await p.page.locator('.translate-out tr.step').count(),
      };
    };
    const ok = await walk('0x2ff000', 'pid:1', 'user-write');
    expect(ok).toMatchObject({ failed: null, steps: 4 });
    expect(ok.verdict).toMatch(/^0x2ff000 in process 1 → physical 0x[0-9a-f]+ \(page 0x[0-9a-f]+, process 1, refcount 1\); user-accessible, writable\.$/);
    expect(await p.page.textContent('.split')).toContain('L4 index255');
    expect(await walk('0x2fe000', 'pid:1', 'user-read')).toMatchObject({ failed: '3', verdict: expect.stringContaining('L4 entry 254 of the L4 table at') });
    expect(await walk('0x400000', 'pid:1', 'user-read')).toMatchObject({ failed: '2', verdict: expect.stringMatching(/L3 entry 2 .* is empty \(not present\), so the walk stops at L3/) });
    expect(await walk('0x8000000000', 'pid:1', 'kernel-read')).toMatchObject({ failed: '0', verdict: expect.stringContaining('so the walk stops at L1') });
    expect(await walk('0x40000', 'pid:1', 'user-read')).toMatchObject({ failed: '3', verdict: expect.stringContaining('L4 entry 64 lacks PTE_U, so the page is kernel-only') });
    expect(await walk('0x40000', 'pid:1', 'kernel-write')).toMatchObject({ failed: null, verdict: expect.stringContaining('kernel-only, writable') });
    expect((await walk('0x800000000000', 'pid:1', 'kernel-read')).verdict).toContain('is not a canonical address');
    expect((await walk('xyz', 'pid:1', 'kernel-read')).verdict).toContain('“xyz” is not an address');
    await walk('0x2fe000', 'pid:1', 'user-read');
    await p.screenshot('reference-translate-fails-at-L4');
    await p.page.close();
  });

  it('the console is the CGA screen in its colours', async () => {
    const s = allocators;
    const p = await openPanel(browser);
    await p.show(s);
    const rows = await p.page.$$eval('pre.cga .cga-row', (r) => r.map((x) => x.textContent ?? ''));
    expect(rows).toHaveLength(25);
    for (let r = 0; r < 25; r++) expect(rows[r]!.replace(/\s+$/, '')).toBe(screenRow(s, r).replace(/\s+$/, ''));
    // "PHYSICAL MEMORY" is drawn in 0x0F (white on black).
    const title = await p.page.$$eval('pre.cga .cga-row:first-child span', (sp) => sp.filter((x) => x.textContent?.includes('PHYSICAL MEMORY')).map((x) => x.className));
    expect(title).toEqual(['fg-15 bg-0']);
    await p.page.close();
  });

  it('in VS Code: says ready, sends source links to the extension, keeps its state across a reload', async () => {
    const p = await openPanel(browser, { vscodeHost: true });
    expect(await p.posted()).toEqual([{ type: 'ready' }]);
    const s = afterMap.after;
    await p.show(s, afterMap.diff);
    await p.page.click('.status-main button.source');
    expect((await p.posted()).at(-1)).toEqual({ type: 'openSource', file: '<weensyos>/kernel.c', line: s.cpu.source!.line, column: s.cpu.source!.column });
    // Choices: a page, an address space, a translation, a folded section.
    await p.page.click('.memgrid.physical [data-i="64"]');
    await p.page.selectOption('#space-picker', 'pid:3');
    await p.page.fill('#translate-va', '0x100000');
    await p.page.press('#translate-va', 'Enter');
    await p.page.click('#head-console button');
    await p.page.waitForTimeout(300);
    await p.page.reload();
    await p.page.waitForFunction(() => document.body.dataset.state !== undefined);
    expect(await p.posted()).toEqual([{ type: 'ready' }]);
    await p.show(s, afterMap.diff);
    expect(await detailsText(p)).toContain('Physical page 0x40000');
    expect(await p.page.inputValue('#space-picker')).toBe('pid:3');
    expect(await p.page.inputValue('#translate-va')).toBe('0x100000');
    // The translator follows the address space on show (process 3, which maps nothing at 0x100000).
    expect(await p.page.textContent('.translate-out .verdict')).toMatch(/^0x100000 is not mapped in process 3: L4 entry 256 /);
    expect(await p.page.isHidden('#body-console')).toBe(true);
    expect(await p.page.getAttribute('#head-console button', 'aria-expanded')).toBe('false');
    expect(p.errors).toEqual([]);
    await p.page.close();
  });
});
