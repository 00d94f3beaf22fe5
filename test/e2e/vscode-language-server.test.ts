// End to end in a real VS Code (code-server 4.99.3, driven by Chromium): the
// language server in the reference workspace (`weensy init`) with a mistake
// in kernel.c. Opening kernel.c starts it; the Problems panel lists our
// compiler's error with the source "weensyscope"; a hover on 0x2ff000
// decomposes the address; go to definition on virtual_memory_map opens the
// shipped kernel.h, read-only. Screenshots go to test/e2e/__output__/.
//
// Set-up as in vscode-debug.test.ts: code-server from
// ../shared/tools/install-code-server.sh, Debian's Chromium, a built dist/.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, installCodeServer, launchChromium, packageExtension, startCodeServer, type CodeServer } from './code-server';

const OUT = join(REPO, 'test/e2e/__output__');
const SCREENSHOT_PROBLEMS = join(OUT, 'vscode-lsp-problems.png');
const SCREENSHOT_HOVER = join(OUT, 'vscode-lsp-hover.png');
const SCREENSHOT_DEFINITION = join(OUT, 'vscode-lsp-definition.png');
const SCREENSHOT_FAILURE = join(OUT, 'vscode-lsp-failure.png');

const HEAD = 'void kernel(const char* command) {';
const ADDED = ['    frob_count++;', '    uintptr_t stack_probe = 0x2ff000;', '    (void) stack_probe;'];

let tmp: string | undefined;
let workspace: string;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let kernelText: string;

/** 1-based line and column of `needle` in kernel.c (`delta` characters in). */
function lineCol(needle: string, delta = 0): { line: number; column: number } {
  const at = kernelText.indexOf(needle, kernelText.indexOf(HEAD)) + delta;
  const before = kernelText.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

/** F1, a command's title, Enter on it (retried while the palette does not list it yet). */
async function command(title: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  for (let deadline = Date.now() + 30_000; ;) {
    await page.keyboard.press('F1');
    await page.keyboard.type(title);
    try {
      await row.first().click({ timeout: 3_000 });
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`the command palette never offered "${title}": ${String(e)}`, { cause: e });
    }
  }
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
    mkdirSync(OUT, { recursive: true });
    for (const f of [SCREENSHOT_PROBLEMS, SCREENSHOT_HOVER, SCREENSHOT_DEFINITION, SCREENSHOT_FAILURE]) rmSync(f, { force: true });
    tmp = mkdtempSync(join(tmpdir(), 'weensy-e2e-lsp-'));
    const [entry, vsix] = await Promise.all([installCodeServer(), packageExtension(tmp)]);
    workspace = join(tmp, 'lab');
    const init = spawnSync('node', [join(REPO, 'dist/weensy.js'), 'init', workspace], { encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    const original = readFileSync(join(workspace, 'kernel.c'), 'utf8');
    expect(original).toContain(HEAD);
    kernelText = original.replace(HEAD, `${HEAD}\n${ADDED.join('\n')}`);
    writeFileSync(join(workspace, 'kernel.c'), kernelText);
    server = await startCodeServer(entry, vsix);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 12 * 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('shows our diagnostic in the Problems panel, hovers an address, goes to kernel.h (read-only)', async () => {
    try {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const activeTab = page.locator('.editor-group-container.active .tabs-container .tab.active');
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="kernel.c"]').dblclick({ timeout: 30_000 });
      await expect.poll(() => activeTab.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.c\b/);

      // The Problems panel: our error, from our source, at its line.
      await command('View: Focus Problems (Errors, Warnings, Infos)');
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
      await command('Show or Focus Hover');
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
      await expect.poll(() => activeTab.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.h\b/);
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
      await page.screenshot({ path: SCREENSHOT_FAILURE }).catch(() => {});
      if (e instanceof Error) e.message += `\n(screenshot: test/e2e/__output__/vscode-lsp-failure.png)\n--- code-server output ---\n${server?.output().slice(-4000) ?? ''}`;
      throw e;
    }
  }, 4 * 60_000);
});
