// The memory-map panel in real Chromium on what goes wrong: the broken-kernel
// fixtures (a console page without PTE_U, the kernel stack missing from
// process page tables, fork sharing writable pages, page tables given to the
// wrong owner, exit leaking pages), each stopped where it goes wrong, and
// malformed or truncated snapshots, which get an error page, never a blank
// one. Also a snapshot larger than WeensyOS makes (16 processes, full page
// tables): it draws, and its long tree is drawn around the view only.
// Screenshots: test-artifacts/webview/.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelSnapshot } from '../../emulator/index';
import { syntheticSnapshot } from '../../bench/synthetic-snapshot';
import { SAVED_SNAPSHOT_FORMAT } from '../../webview/panel-messages';
import { gridCells, launchBrowser, openPanel, type PanelPage } from './browser';
import { consoleNotUser, exitLeaks, forkSharesWritable, kernelStackMissing, tableOwnerWrong } from './panel-fixtures';

const SLOW = { timeout: 180_000 };

let browser: Browser;
const fixtures: Record<string, PanelSnapshot> = {};

async function findings(p: PanelPage): Promise<string[]> {
  return p.page.$$eval('.findings .finding-text', (l) => l.map((x) => x.textContent ?? ''));
}

describe('memory-map panel on broken kernels and bad input', SLOW, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    fixtures.console = consoleNotUser();
    fixtures.stack = kernelStackMissing();
    fixtures.fork = forkSharesWritable();
    fixtures.owner = tableOwnerWrong();
    fixtures.leak = exitLeaks();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('console without PTE_U: the fault with CR2, decoded error code, source link and failing step; the translator fails at L4 for lack of PTE_U', async () => {
    const s = fixtures.console!;
    const p = await openPanel(browser);
    await p.show(s);
    const fault = (await p.page.textContent('.fault'))!;
    expect(fault).toMatch(/user-mode read at 0xb8f[0-9a-f]{2}: L4 entry 184 \(0x00000000000b8003 P\|W\) of the table at 0x[0-9a-f]+ lacks PTE_U, so the page is kernel-only/);
    expect(fault).toMatch(/CR20xb8f[0-9a-f]{2}/);
    expect(fault).toContain('page fault (vector 14)');
    for (const bit of ['the page was present (a protection violation)', 'the access was a read', 'in user mode (CPL 3)']) expect(fault).toContain(bit);
    expect(fault).toMatch(/p-forkexit\.c:\d+ in process_main\(\)/);
    expect(fault).toContain('L4 (level 4 of 4)');
    expect(await p.page.textContent('.fault-walk tr.failed')).toContain('← the walk fails here');
    expect(await findings(p)).toContainEqual(expect.stringMatching(/^process \d does not map the console page 0xb8000 with PTE_U: a program writing the screen will page fault$/));
    expect(await p.page.textContent('#head-diagnosis')).toMatch(/\(1 fault, \d+ findings?\)/);
    // The physical map flags the console page.
    const cells = await gridCells(p.page, '.memgrid.physical');
    expect(cells[0xb8]!.classes).toContain('flag');
    expect(cells[0xb8]!.label).toContain('problem: process');
    // "Translate CR2 here": a user read, in the faulting process's address space.
    await p.page.click('.fault button:has-text("Translate 0xb8f")');
    expect(await p.page.inputValue('#translate-access')).toBe('user-read');
    expect(await p.page.getAttribute('.translate-out tr.step.failed', 'data-level')).toBe('3');
    expect(await p.page.textContent('.translate-out .verdict')).toMatch(/L4 entry 184 lacks PTE_U, so the page is kernel-only/);
    await p.screenshot('broken-console-not-user');
    expect(p.errors).toEqual([]);
    await p.page.close();
  });

  it('kernel stack missing: a kernel-mode fault whose walk fails at L4 entry 127, not present', async () => {
    const s = fixtures.stack!;
    const p = await openPanel(browser);
    await p.show(s);
    const fault = (await p.page.textContent('.fault'))!;
    expect(fault).toMatch(/kernel-mode (read|write) at 0x7f[0-9a-f]{3}: page 0x7f000 is not mapped: L4 entry 127 \(empty\)/);
    expect(fault).toContain('the page was not present');
    expect(fault).toContain('in kernel mode');
    expect(await p.page.$$eval('.fault-walk tbody tr', (r) => r.map((x) => x.className))).toEqual(['step', 'step', 'step', 'step failed']);
    await p.page.click('.fault button:has-text("Translate 0x7f")');
    expect(await p.page.getAttribute('.translate-out tr.step.failed', 'data-level')).toBe('3');
    expect(await p.page.textContent('.translate-out .verdict')).toMatch(/L4 entry 127 of the L4 table at 0x[0-9a-f]+ is empty \(not present\), so the walk stops at L4/);
    await p.screenshot('broken-kernel-stack-missing');
    await p.page.close();
  });

  it('fork sharing writable pages: the violation, the shared pages darker and flagged, both mappings listed', async () => {
    const s = fixtures.fork!;
    const p = await openPanel(browser);
    await p.show(s);
    const texts = await findings(p);
    const shared = texts.find((t) => t.includes('is writable by more than one process'));
    expect(shared).toMatch(/^page 0x([0-9a-f]+) is writable by more than one process: process 1 at 0x[0-9a-f]+ \(PTE_P\|PTE_W\|PTE_U\), process 2 at/);
    const pa = parseInt(/^page 0x([0-9a-f]+)/.exec(shared!)![1]!, 16);
    const cells = await gridCells(p.page, '.memgrid.physical');
    expect(cells[pa / 4096]!.classes).toMatch(/\bflag\b.*\bshared\b/);
    // Darker, as memshow draws shared pages: the intensity bit is clear.
    expect(cells[pa / 4096]!.attr & 0x08).toBe(0);
    await p.page.click(`.finding:has-text("page 0x${pa.toString(16)} is writable") button:has-text("Show page")`);
    const details = (await p.page.textContent('.details-host'))!;
    expect(details).toMatch(/Refcount2 \(shared\)/);
    expect(details).toMatch(/process 1: maps virtual 0x[0-9a-f]+ \(L4 entry\), P\|W\|U/);
    expect(details).toMatch(/process 2: maps virtual 0x[0-9a-f]+ \(L4 entry\), P\|W\|U/);
    expect(details).toContain('is writable by more than one process');
    await p.screenshot('broken-fork-shares-writable');
    await p.page.close();
  });

  it('page tables owned by the wrong process and leaked pages: each violation in a sentence, each page flagged', async () => {
    for (const [name, pattern] of [
      ['owner', /^page 0x[0-9a-f]+ is an L1 page table of process 2, but pageinfo says owner 3, refcount 1 \(expected owner 2, refcount 1\)$/],
      ['leak', /^page 0x[0-9a-f]+ is leaked: pageinfo says owner \d+, refcount 1, but no page table maps it \(it belongs to process \d+, whose slot is free: it exited, or is not set up yet\)$/],
    ] as const) {
      const s = fixtures[name]!;
      const p = await openPanel(browser);
      await p.show(s);
      const texts = await findings(p);
      expect(texts).toContainEqual(expect.stringMatching(pattern));
      expect(texts).toHaveLength(s.findings.length);
      const cells = await gridCells(p.page, '.memgrid.physical');
      for (const f of s.findings) expect(cells[f.page / 4096]!.classes).toContain('flag');
      await p.screenshot(`broken-${name === 'owner' ? 'table-owner' : 'exit-leaks'}`);
      await p.page.close();
    }
  });

  it('malformed and truncated snapshots get an error page that says what is wrong; a good one afterwards is shown', async () => {
    const good = fixtures.console!;
    const p = await openPanel(browser);
    const errorText = async (): Promise<string> => {
      expect(await p.page.getAttribute('body', 'data-state')).toBe('error');
      expect(await p.page.getAttribute('.error-state', 'role')).toBe('alert');
      return (await p.page.textContent('.error-state'))!;
    };
    const text = JSON.stringify({ format: SAVED_SNAPSHOT_FORMAT, snapshot: good, diff: null });
    await p.post({ type: 'showFile', fileName: 'cut.json', text: text.slice(0, text.length / 2) });
    expect(await errorText()).toMatch(/The file is not valid JSON: .*The file looks truncated\./);
    await p.screenshot('malformed-truncated-file');

    const { addressSpaces: _gone, ...missing } = good;
    await p.show(missing);
    expect(await errorText()).toContain('addressSpaces is missing');
    const wrongFlag = JSON.parse(JSON.stringify(good));
    wrongFlag.addressSpaces[1].tables[0].entries[0].flags.U = 'yes';
    await p.show(wrongFlag);
    expect(await errorText()).toContain('addressSpaces[1].tables[0].entries[0].flags.U: expected true or false, found "yes"');
    await p.show({ ...good, version: 2 });
    expect(await errorText()).toContain('version 2: this panel reads snapshot version 1');
    await p.show({ ...good, console: { ...good.console, cells: good.console.cells.slice(0, 1000) } });
    expect(await errorText()).toContain('console.cells: 1000 cells for a 80x25 screen (truncated?)');
    await p.show(null);
    expect(await errorText()).toContain('the snapshot: expected an object, found null');
    await p.post({ type: 'showFile', fileName: 'notes.json', text: '{"hello": 1}' });
    expect(await errorText()).toContain('version is missing');

    // A saved file whose diff is damaged: the snapshot is shown, with a note.
    await p.post({ type: 'showFile', fileName: 'ok.json', text: JSON.stringify({ format: SAVED_SNAPSHOT_FORMAT, snapshot: good, diff: { entries: 3 }, title: 'lab' }) });
    expect(await p.page.getAttribute('body', 'data-state')).toBe('shown');
    expect(await p.page.textContent('.status')).toContain('The changes since the previous stop are not shown: diff.entries: expected an array, found 3');
    expect(await p.page.textContent('.status-main')).toContain('Saved snapshot ok.json (lab)');
    // Messages that are not messages change nothing.
    await p.page.evaluate(() => window.postMessage('garbage', '*'));
    await p.page.evaluate(() => window.postMessage({ type: 'nonsense' }, '*'));
    expect(await p.page.getAttribute('body', 'data-state')).toBe('shown');
    expect(p.errors).toEqual([]);
    await p.page.close();
  });

  it('16 processes with full page tables: every address space in the picker, the long tree drawn around the view', async () => {
    const s = syntheticSnapshot(16);
    const p = await openPanel(browser);
    await p.show(s);
    expect(await p.page.$$eval('#space-picker option', (o) => o.length)).toBe(17);
    const rowcount = Number(await p.page.getAttribute('table.ptable', 'aria-rowcount'));
    expect(rowcount).toBeGreaterThan(1000);
    const drawn = await p.page.locator('table.ptable tr[data-row]').count();
    expect(drawn).toBeLessThan(200);
    // End goes to the last row (it is drawn on the way); Home comes back.
    await p.page.focus('table.ptable tr[data-row][tabindex="0"]');
    await p.page.keyboard.press('End');
    const last = await p.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('aria-rowindex'));
    expect(Number(last)).toBe(rowcount);
    await p.page.keyboard.press('Home');
    expect(await p.page.locator('table.ptable tr[data-row]').first().getAttribute('aria-rowindex')).toBe('2');
    await p.screenshot('synthetic-16-processes');
    expect(p.errors).toEqual([]);
    await p.page.close();
  });
});

/** The page's window, in callbacks that run in the browser (these files compile without the DOM library). */
declare const window: { postMessage(message: unknown, origin: string): void };
