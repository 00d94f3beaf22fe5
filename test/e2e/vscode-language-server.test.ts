// End to end in a real VS Code (code-server 4.99.3, driven by Chromium): the
// language server in the reference workspace (`weensy init`) with a mistake
// in kernel.c. Opening kernel.c starts it; the Problems panel lists our
// compiler's error with the source "weensyscope"; a hover on 0x2ff000
// decomposes the address; go to definition on virtual_memory_map opens the
// shipped kernel.h, read-only. Screenshots go to test/e2e/__output__/.
//
// Set-up as in vscode-debug.test.ts: code-server from
// ../shared/tools/install-code-server.sh, Debian's Chromium, a built dist/.

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT, activeTab, failed, labWorkspace, openFile, openWorkspace, runCommand, startVsCode, type VsCode } from './vscode-driver';

const SCREENSHOT_PROBLEMS = join(OUT, 'vscode-lsp-problems.png');
const SCREENSHOT_HOVER = join(OUT, 'vscode-lsp-hover.png');
const SCREENSHOT_DEFINITION = join(OUT, 'vscode-lsp-definition.png');
const SCREENSHOT_FAILURE = join(OUT, 'vscode-lsp-failure.png');

const HEAD = 'void kernel(const char* command) {';
const ADDED = ['    frob_count++;', '    uintptr_t stack_probe = 0x2ff000;', '    (void) stack_probe;'];

let vscode: VsCode | undefined;
let page: Page;
let kernelText: string;

/** 1-based line and column of `needle` in kernel.c (`delta` characters in). */
function lineCol(needle: string, delta = 0): { line: number; column: number } {
  const at = kernelText.indexOf(needle, kernelText.indexOf(HEAD)) + delta;
  const before = kernelText.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

/** Puts the cursor at a 1-based line and column with "Go to Line/Column" (Ctrl+G). */
async function goTo(line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('[id="status.editor.selection"]').getAttribute('aria-label'), { timeout: 10_000 }).toBe(`Ln ${line}, Col ${column}`);
}

describe('the language server in VS Code (code-server)', () => {
  beforeAll(async () => {
    vscode = await startVsCode({
      prefix: 'weensy-e2e-lsp-',
      screenshots: [SCREENSHOT_PROBLEMS, SCREENSHOT_HOVER, SCREENSHOT_DEFINITION, SCREENSHOT_FAILURE],
      viewport: { width: 1400, height: 900 },
      workspace: (tmp) => labWorkspace(join(tmp, 'lab'), (original) => {
        expect(original).toContain(HEAD);
        kernelText = original.replace(HEAD, `${HEAD}\n${ADDED.join('\n')}`);
        return kernelText;
      }),
    });
    page = vscode.page;
  }, 12 * 60_000);

  afterAll(async () => {
    await vscode?.stop();
  }, 60_000);

  it('shows our diagnostic in the Problems panel, hovers an address, goes to kernel.h (read-only)', async () => {
    try {
      await openWorkspace(page, vscode!.server.url, vscode!.workspace);
      await openFile(page, 'kernel.c');

      // The Problems panel: our error, from our source, at its line.
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const markers = page.locator('.markers-panel .monaco-list-row');
      const ours = markers.filter({ hasText: "'frob_count' undeclared" });
      await ours.first().waitFor({ timeout: 90_000 });
      const row = (await ours.first().textContent()) ?? '';
      expect(row).toContain('weensyscope');
      const at = lineCol('frob_count');
      expect(row).toContain(`[Ln ${at.line}, Col ${at.column}]`);
      // Opening the problem selects its range, the name exactly, and the editor underlines it.
      await ours.first().click();
      await expect.poll(() => page.locator('[id="status.editor.selection"]').getAttribute('aria-label'), { timeout: 10_000 })
        .toBe(`Ln ${at.line}, Col ${at.column + 'frob_count'.length} (${'frob_count'.length} selected)`);
      await page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: SCREENSHOT_PROBLEMS });

      // A hover on 0x2ff000 (Show or Focus Hover at the cursor).
      const probe = lineCol('0x2ff000', 3);
      await goTo(probe.line, probe.column);
      await runCommand(page, 'Show or Focus Hover');
      const hover = page.locator('.monaco-hover .hover-contents').filter({ hasText: '0x2ff000' });
      await hover.first().waitFor({ timeout: 30_000 });
      const hoverText = (await page.locator('.monaco-hover').first().textContent()) ?? '';
      expect(hoverText).toContain('the stack page of every process');
      expect(hoverText).toMatch(/page\s+L1\s+L2\s+L3\s+L4\s+offset\s*0x2ff \(767\)\s+0\s+0\s+1\s+255\s+0x000/);
      await page.waitForTimeout(500); // the hover fades in
      await page.screenshot({ path: SCREENSHOT_HOVER });
      await page.keyboard.press('Escape');

      // Go to definition on a call of virtual_memory_map: the shipped kernel.h opens.
      const call = kernelText.indexOf('virtual_memory_map(', kernelText.indexOf(HEAD));
      const before = kernelText.slice(0, call + 3);
      await goTo(before.split('\n').length, call + 3 - before.lastIndexOf('\n'));
      await page.keyboard.press('F12');
      await expect.poll(() => activeTab(page).getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.h\b/);
      const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines');
      // The editor draws spaces as no-break spaces.
      await expect.poll(async () => ((await lines.textContent()) ?? '').replace(/\u00a0/g, ' '), { timeout: 30_000 }).toContain('int virtual_memory_map(x86_64_pagetable* pagetable, uintptr_t va,');
      // The shipped header is ours: typing in it is refused (the client marks it read-only as it opens).
      await page.waitForTimeout(1500);
      await page.keyboard.type('zz');
      await expect.poll(() => page.locator('.monaco-editor-overlaymessage').first().textContent(), { timeout: 10_000 }).toMatch(/read-only/);
      expect(await lines.textContent()).not.toContain('zz');
      await page.screenshot({ path: SCREENSHOT_DEFINITION });
    } catch (e) {
      throw await failed(vscode, SCREENSHOT_FAILURE, e);
    }
  }, 4 * 60_000);
});
