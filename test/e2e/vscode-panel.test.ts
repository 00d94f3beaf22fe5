// The memory-map panel end to end in a real VS Code (code-server 4.99.3,
// driven by Chromium; the harness is ./code-server.ts): the reference
// workspace (`weensy init`), two breakpoints in syscall_page_alloc set from
// the editor (F9), one before the page is allocated and one on the
// `return 0;` after map_page's virtual_memory_map. Starting the `weensy`
// configuration opens the panel beside (the default setting); at the first
// stop it shows the machine, and after Continue, at the second, the new
// mapping is listed, highlighted in the page-table tree and in the virtual
// map. Screenshots go to test/e2e/__output__/ (vscode-panel-*.png).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, installCodeServer, launchChromium, packageExtension, startCodeServer, type CodeServer } from './code-server';

const OUT = join(REPO, 'test/e2e/__output__');
const SCREENSHOT = join(OUT, 'vscode-panel-after-virtual_memory_map.png');
const SCREENSHOT_FIRST = join(OUT, 'vscode-panel-first-stop.png');
const SCREENSHOT_FAILURE = join(OUT, 'vscode-panel-failure.png');

/** The 1-based line of `text` in `source` after `after`. */
function lineOf(source: string, text: string, after: string): number {
  const from = source.indexOf(after);
  const at = source.indexOf(text, from);
  expect(from >= 0 && at >= 0, `${JSON.stringify(text)} not found`).toBe(true);
  return source.slice(0, at).split('\n').length;
}

let tmp: string | undefined;
let workspace: string;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let allocLine: number;
let mappedLine: number;

/** The panel's document: the webview's inner frame that holds the memory map. */
async function panelFrame(p: Page): Promise<Frame> {
  for (let deadline = Date.now() + 60_000; ;) {
    for (const f of p.frames()) {
      if (await f.$('.memgrid.physical').catch(() => null)) return f;
    }
    if (Date.now() > deadline) throw new Error('the memory-map panel never showed a snapshot');
    await p.waitForTimeout(250);
  }
}

/** Opens kernel.c at `line` and toggles a breakpoint there (F9), as a student would. */
async function breakpointAt(p: Page, line: number, count: number): Promise<void> {
  await p.keyboard.press('Control+g');
  await p.keyboard.type(String(line));
  await p.keyboard.press('Enter');
  // F9 does nothing until the workbench knows a debugger for C (the extension's contributions load after the editor).
  const glyphs = p.locator('.monaco-editor .codicon-debug-breakpoint');
  for (let deadline = Date.now() + 30_000; (await glyphs.count()) < count; await p.waitForTimeout(1_000)) {
    if (Date.now() > deadline) throw new Error(`F9 set no breakpoint at kernel.c:${line}`);
    await p.keyboard.press('F9');
  }
}

describe('VS Code (code-server): the memory-map panel', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const f of [SCREENSHOT, SCREENSHOT_FIRST, SCREENSHOT_FAILURE]) rmSync(f, { force: true });
    tmp = mkdtempSync(join(tmpdir(), 'weensy-e2e-panel-'));
    const [entry, vsix] = await Promise.all([installCodeServer(), packageExtension(tmp)]);
    workspace = join(tmp, 'lab');
    const init = spawnSync('node', [join(REPO, 'dist/weensy.js'), 'init', workspace], { encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    const kernel = readFileSync(join(workspace, 'kernel.c'), 'utf8');
    allocLine = lineOf(kernel, 'void* page = allocate_physical_page(p->p_pid);', 'static int syscall_page_alloc(');
    mappedLine = lineOf(kernel, 'return 0;', 'if (map_page(p, va, (uintptr_t) page, PTE_P | PTE_W | PTE_U) == 0) {');
    server = await startCodeServer(entry, vsix);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  }, 12 * 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('opens beside a weensy session, and after virtual_memory_map shows the new mapping highlighted', async () => {
    try {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const activeTab = page.locator('.editor-group-container.active .tabs-container .tab.active');
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="kernel.c"]').dblclick({ timeout: 30_000 });
      await expect.poll(() => activeTab.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.c\b/);
      await page.locator('.monaco-editor .view-lines').first().click();
      await breakpointAt(page, allocLine, 1);
      await breakpointAt(page, mappedLine, 2);

      // F1, "Debug: Start Debugging" (retried until the debug contributions are in).
      const start = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Debug: Start Debugging$/ }) });
      for (let deadline = Date.now() + 30_000; ;) {
        await page.keyboard.press('F1');
        await page.keyboard.type('Debug: Start Debugging');
        try {
          await start.first().click({ timeout: 3_000 });
          break;
        } catch (e) {
          await page.keyboard.press('Escape');
          if (Date.now() > deadline) throw new Error(`the command palette never offered "Debug: Start Debugging": ${String(e)}`, { cause: e });
        }
      }

      // The first stop: before the allocation (the editor's cursor goes to the line; the call stack's
      // selection is not waited for: on a loaded machine VS Code may draw it late). The panel opened
      // by itself, beside, and shows the machine.
      const cursor = page.locator('[id="status.editor.selection"]');
      const at = (line: number): Promise<void> => expect.poll(() => cursor.getAttribute('aria-label', { timeout: 1_000 }).catch(() => null), { timeout: 120_000 })
        .toMatch(new RegExp(`^Ln ${line}, Col \\d+$`));
      await at(allocLine);
      await expect.poll(() => page.locator('.debug-toolbar .action-label[aria-label*="Show Memory Map"]').count(), { timeout: 30_000 }).toBe(1);
      let panel = await panelFrame(page);
      await expect.poll(() => panel.textContent('.status-main', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 }).toContain(`kernel.c:${allocLine} in syscall_page_alloc()`);
      expect(await panel.textContent('.status')).toContain('The first stop seen');
      await page.screenshot({ path: SCREENSHOT_FIRST });

      // Continue (F5): the next stop is after virtual_memory_map has mapped the page.
      await page.keyboard.press('F5');
      await at(mappedLine);
      panel = await panelFrame(page);
      await expect.poll(() => panel.textContent('.status-main', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 }).toContain(`kernel.c:${mappedLine} in syscall_page_alloc()`);
      const added = (await panel.textContent('.change-list .diff-added'))!;
      const m = /^added: process (\d+)'s L4\[(\d+)\], (0x[0-9a-f]+) → (0x[0-9a-f]+)$/.exec(added.trim());
      expect(m, added).not.toBeNull();
      const [, pid, index, va, pa] = m!;
      // The address space on show is the current process's, and its tree has the new entry highlighted, in view.
      expect(await panel.inputValue('#space-picker')).toBe(`pid:${pid}`);
      const row = panel.locator(`tr[data-row="pid:${pid}|3|${parseInt(va!, 16)}"]`);
      expect(await row.getAttribute('data-change')).toBe('added');
      expect(await row.locator('td').first().textContent()).toBe(`L4[${index}]`);
      expect(await row.locator('td.pa').textContent()).toBe(pa);
      await expect.poll(() => row.evaluate((r) => {
        const box = r.getBoundingClientRect();
        const view = r.closest('.tree-scroll')!.getBoundingClientRect();
        return box.top >= view.top && box.bottom <= view.bottom;
      }), { timeout: 5_000 }).toBe(true);
      // The virtual map marks the page; the physical page's pageinfo changed too.
      expect(await panel.getAttribute(`.memgrid.virtual [data-i="${parseInt(va!, 16) / 4096}"]`, 'class')).toContain('changed');
      expect(await panel.getAttribute(`.memgrid.physical [data-i="${parseInt(pa!, 16) / 4096}"]`, 'class')).toContain('changed');
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: SCREENSHOT });
    } catch (e) {
      await page.screenshot({ path: SCREENSHOT_FAILURE }).catch(() => {});
      if (e instanceof Error) e.message += `\n(screenshot: test/e2e/__output__/vscode-panel-failure.png)\n--- code-server output ---\n${server?.output().slice(-4000) ?? ''}`;
      throw e;
    }
  }, 4 * 60_000);
});
