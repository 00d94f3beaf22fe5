// The memory-map panel end to end in a real VS Code (code-server 4.99.3,
// driven by Chromium; the harness is ./code-server.ts): the reference
// workspace (`weensy init`), two breakpoints in syscall_page_alloc set from
// the editor (F9), one before the page is allocated and one on the
// `return 0;` after map_page's virtual_memory_map. Starting the `weensy`
// configuration opens the panel beside (the default setting); at the first
// stop it shows the machine, and after Continue, at the second, the new
// mapping is listed, highlighted in the page-table tree and in the virtual
// map. Screenshots go to test/e2e/__output__/ (vscode-panel-*.png).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT, breakpointAt, cursorAt, failed, labWorkspace, lineOf, openFile, openWorkspace, panelFrame, runCommand, startVsCode, type VsCode } from './vscode-driver';

const SCREENSHOT = join(OUT, 'vscode-panel-after-virtual_memory_map.png');
const SCREENSHOT_FIRST = join(OUT, 'vscode-panel-first-stop.png');
const SCREENSHOT_FAILURE = join(OUT, 'vscode-panel-failure.png');

let vscode: VsCode | undefined;
let page: Page;
let allocLine: number;
let mappedLine: number;

describe('VS Code (code-server): the memory-map panel', () => {
  beforeAll(async () => {
    vscode = await startVsCode({
      prefix: 'weensy-e2e-panel-',
      screenshots: [SCREENSHOT, SCREENSHOT_FIRST, SCREENSHOT_FAILURE],
      viewport: { width: 1600, height: 1000 },
      workspace: (tmp) => {
        const workspace = labWorkspace(join(tmp, 'lab'));
        const kernel = readFileSync(join(workspace, 'kernel.c'), 'utf8');
        allocLine = lineOf(kernel, 'void* page = allocate_physical_page(p->p_pid);', 'static int syscall_page_alloc(');
        mappedLine = lineOf(kernel, 'return 0;', 'if (map_page(p, va, (uintptr_t) page, PTE_P | PTE_W | PTE_U) == 0) {');
        return workspace;
      },
    });
    page = vscode.page;
  }, 12 * 60_000);

  afterAll(async () => {
    await vscode?.stop();
  }, 60_000);

  it('opens beside a weensy session, and after virtual_memory_map shows the new mapping highlighted', async () => {
    try {
      await openWorkspace(page, vscode!.server.url, vscode!.workspace);
      await openFile(page, 'kernel.c');
      await page.locator('.monaco-editor .view-lines').first().click();
      await breakpointAt(page, allocLine, 1);
      await breakpointAt(page, mappedLine, 2);

      // F1, "Debug: Start Debugging" (retried until the debug contributions are in).
      await runCommand(page, 'Debug: Start Debugging');

      // The first stop: before the allocation (the editor's cursor goes to the line; the call stack's
      // selection is not waited for: on a loaded machine VS Code may draw it late). The panel opened
      // by itself, beside, and shows the machine.
      await cursorAt(page, allocLine);
      await expect.poll(() => page.locator('.debug-toolbar .action-label[aria-label*="Show Memory Map"]').count(), { timeout: 30_000 }).toBe(1);
      let panel = await panelFrame(page);
      await expect.poll(() => panel.textContent('.status-main', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 }).toContain(`kernel.c:${allocLine} in syscall_page_alloc()`);
      expect(await panel.textContent('.status')).toContain('The first stop seen');
      await page.screenshot({ path: SCREENSHOT_FIRST });

      // Continue (F5): the next stop is after virtual_memory_map has mapped the page.
      await page.keyboard.press('F5');
      await cursorAt(page, mappedLine);
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
      throw await failed(vscode, SCREENSHOT_FAILURE, e);
    }
  }, 4 * 60_000);
});
