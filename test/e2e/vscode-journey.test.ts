// First, a C folder that is not WeensyOS: the extension must not activate
// there (the extension host's log lists no activation of it, and no
// language server runs). Then a student's first session, end to end, in a real VS Code (code-server
// 4.99.3, driven by Chromium; the harness is ./code-server.ts), from the
// package `npm run package` makes (scripts/package.mjs): the reference
// workspace (`weensy init`) with the classic step-5 mistake (fork copies the
// parent's page from its virtual address, as in vscode-debug.test.ts). The
// student
//   1. opens the folder and kernel.c, sets a breakpoint on
//      syscall_page_alloc's map_page call, starts debugging (F1, Debug: Start
//      Debugging) and stops there; the memory-map panel is open beside (the
//      default);
//   2. steps over the call (F10): the panel lists and highlights the new
//      mapping virtual_memory_map made;
//   3. removes the breakpoint (F9), sends the key `f` (WeensyScope: Send a Key to
//      WeensyOS) and continues (F5): WeensyOS reboots into p-fork, and the
//      debugger stops on fork's kernel page fault at 0x2ff000, the exception
//      widget saying which walk step failed;
//   4. stops debugging, types an undeclared name into kernel.c, and sees
//      WeensyScope's diagnostic.
// A screenshot at each step: test/e2e/__output__/journey-*.png; with
// WEENSY_DOCS_SCREENSHOTS=1 (`npm run screenshots`) they are also copied to
// docs/images/, where the README shows them.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedKernel } from '../weensyos/kernel-edits';
import { REPO, installCodeServer, launchChromium, packageExtension, startCodeServer, type CodeServer } from './code-server';

const OUT = join(REPO, 'test/e2e/__output__');
const DOCS = join(REPO, 'docs/images');
const STEPS = ['1-breakpoint', '2-stepped-over-virtual_memory_map', '3-page-fault', '4-diagnostic'] as const;
const shot = (step: (typeof STEPS)[number]): string => join(OUT, `journey-${step}.png`);
const SCREENSHOT_FAILURE = join(OUT, 'journey-failure.png');

// fork_page's copy of a writable page, and the student's version of it.
const ANCHOR = '        memcpy(copy, (const void*) pa, PAGESIZE);';
const BUG = '        memcpy(copy, (const void*) va, PAGESIZE);';
// syscall_page_alloc: the new page's mapping, and the line after it.
const ALLOC = 'static int syscall_page_alloc(';
const MAP_PAGE = 'if (map_page(p, va, (uintptr_t) page, PTE_P | PTE_W | PTE_U) == 0) {';
const AFTER_MAP_PAGE = 'return 0;';
// A typo a student might make, typed into kernel() after its first line.
const TYPO = 'frob_count++;';

/** The 1-based line of `text` in `source` after `after`. */
function lineOf(source: string, text: string, after = ''): number {
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
let kernel: string;

/** F1, a command's title, Enter; retried until the palette lists it (contributions load after the workbench). */
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

/** Waits for the editor's cursor to be on `line` (where the debugger stopped). */
async function cursorAt(line: number): Promise<void> {
  const cursor = page.locator('[id="status.editor.selection"]');
  await expect.poll(() => cursor.getAttribute('aria-label', { timeout: 1_000 }).catch(() => null), { timeout: 120_000 })
    .toMatch(new RegExp(`^Ln ${line}, Col \\d+$`));
}

/** The panel's document: the webview's inner frame that holds the memory map. */
async function panelFrame(): Promise<Frame> {
  for (let deadline = Date.now() + 60_000; ;) {
    for (const f of page.frames()) {
      if (await f.$('.memgrid.physical').catch(() => null)) return f;
    }
    if (Date.now() > deadline) throw new Error('the memory-map panel never showed a snapshot');
    await page.waitForTimeout(250);
  }
}

/** Every file under `dir`. */
function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? logFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The extension host's activation lines so far. */
function activations(): string[] {
  return logFiles(join(server!.home, 'data/logs'))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('_doActivateExtension')));
}

async function screenshot(step: (typeof STEPS)[number]): Promise<void> {
  await page.screenshot({ path: shot(step) });
  if (process.env.WEENSY_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(shot(step), join(DOCS, `journey-${step}.png`));
  }
}

describe('a student\'s first session in VS Code (code-server), from the packaged .vsix', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const f of [...STEPS.map(shot), SCREENSHOT_FAILURE]) rmSync(f, { force: true });
    tmp = mkdtempSync(join(tmpdir(), 'weensy-e2e-journey-'));
    const [entry, vsix] = await Promise.all([installCodeServer(), packageExtension(tmp)]);
    workspace = join(tmp, 'lab');
    const init = spawnSync('node', [join(REPO, 'dist/weensy.js'), 'init', workspace], { encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    kernel = editedKernel([[ANCHOR, BUG]]);
    writeFileSync(join(workspace, 'kernel.c'), kernel);
    server = await startCodeServer(entry, vsix);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  }, 12 * 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('stays asleep in a C folder that is not WeensyOS (no activation, no language server)', async () => {
    const plain = join(tmp!, 'plain-c');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'main.c'), '#include <stdio.h>\n\nint main(void) {\n    printf("hello\\n");\n    return 0;\n}\n');
    writeFileSync(join(plain, 'Makefile'), 'main: main.c\n\tcc -o main main.c\n');
    try {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(plain)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const activeTab = page.locator('.editor-group-container.active .tabs-container .tab.active');
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="main.c"]').dblclick({ timeout: 30_000 });
      await expect.poll(() => activeTab.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^main\.c\b/);
      // The extension host logs every activation ("ExtensionService#_doActivateExtension <id>, ..."):
      // built-in ones appear, ours never does.
      await expect.poll(() => activations().length, { timeout: 30_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(3_000);
      expect(activations().filter((l) => /weensyscope/i.test(l))).toEqual([]);
      const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      expect(ps.split('\n').filter((l) => l.includes(server!.home) && l.includes('language-server.js'))).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: SCREENSHOT_FAILURE }).catch(() => {});
      throw e;
    }
  }, 2 * 60_000);

  it('breakpoint, step over virtual_memory_map in the panel, page fault, diagnostic', async () => {
    const mapLine = lineOf(kernel, MAP_PAGE, ALLOC);
    const afterMapLine = lineOf(kernel, AFTER_MAP_PAGE, MAP_PAGE);
    const bugLine = lineOf(kernel, BUG);
    try {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const activeTab = page.locator('.editor-group-container.active .tabs-container .tab.active');
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="kernel.c"]').dblclick({ timeout: 30_000 });
      await expect.poll(() => activeTab.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.c\b/);
      await page.locator('.monaco-editor .view-lines').first().click();
      // Here the extension wakes up, for the kernel.c (the same log the previous test read).
      await expect.poll(() => activations().filter((l) => /weensyscope\.weensyscope.*workspaceContains:kernel\.c/.test(l)).length, { timeout: 30_000 }).toBe(1);

      // 1. A breakpoint on syscall_page_alloc's map_page call (F9 works once the debugger's contributions are in).
      await page.keyboard.press('Control+g');
      await page.keyboard.type(String(mapLine));
      await page.keyboard.press('Enter');
      const glyphs = page.locator('.monaco-editor .codicon-debug-breakpoint');
      for (let deadline = Date.now() + 30_000; (await glyphs.count()) < 1; await page.waitForTimeout(1_000)) {
        if (Date.now() > deadline) throw new Error(`F9 set no breakpoint at kernel.c:${mapLine}`);
        await page.keyboard.press('F9');
      }
      await command('Debug: Start Debugging');
      await cursorAt(mapLine);
      let panel = await panelFrame();
      await expect.poll(() => panel.textContent('.status-main', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
        .toContain(`kernel.c:${mapLine} in syscall_page_alloc()`);
      await screenshot('1-breakpoint');

      // 2. Step over the call (F10, in the editor): virtual_memory_map has mapped the stack page, and the panel says so.
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('F10');
      await cursorAt(afterMapLine);
      panel = await panelFrame();
      await expect.poll(() => panel.textContent('.status-main', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
        .toContain(`kernel.c:${afterMapLine} in syscall_page_alloc()`);
      const added = (await panel.textContent('.change-list .diff-added'))!;
      const m = /^added: process (\d+)'s L4\[(\d+)\], (0x[0-9a-f]+) → (0x[0-9a-f]+)$/.exec(added.trim());
      expect(m, added).not.toBeNull();
      const row = panel.locator(`tr[data-row="pid:${m![1]}|3|${parseInt(m![3]!, 16)}"]`);
      expect(await row.getAttribute('data-change')).toBe('added');
      await row.scrollIntoViewIfNeeded();
      await screenshot('2-stepped-over-virtual_memory_map');

      // 3. No more breakpoints; the key f reboots WeensyOS into p-fork; Continue (F5): p-fork forks,
      // and the copy from the virtual address faults in the kernel.
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+g');
      await page.keyboard.type(String(mapLine));
      await page.keyboard.press('Enter');
      await page.keyboard.press('F9');
      await expect.poll(() => glyphs.count(), { timeout: 10_000 }).toBe(0);
      await command('WeensyScope: Send a Key to WeensyOS');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reboot into p-fork' }).first().click({ timeout: 10_000 });
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('F5');
      const callStack = page.locator('.debug-call-stack');
      await expect.poll(() => callStack.locator('.thread .state.label.exception').textContent({ timeout: 1_000 }).catch(() => null), { timeout: 120_000 })
        .toBe('Page fault in the kernel at 0x2ff000 (not-present, read, kernel).');
      const widget = page.locator('.exception-widget');
      await widget.waitFor({ timeout: 30_000 });
      expect(await widget.locator('.stack-trace').textContent()).toMatch(/CR2 = 0x2ff000[\s\S]*failing walk step: L4 entry 255 \(empty\)/);
      // The student's own line, one frame down.
      await callStack.locator(`.monaco-list-row[aria-label="Stack Frame fork_page, line ${bugLine}, kernel.c"]`).click({ timeout: 30_000 });
      await cursorAt(bugLine);
      await expect.poll(() => activeTab.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.c\b/);
      panel = await panelFrame();
      await expect.poll(() => panel.textContent('.diagnosis section[aria-label="Last fault"]', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 }).toMatch(/0x2ff000/);
      await screenshot('3-page-fault');

      // Translate Address walks 0x2ff000 in the stopped machine.
      await command('WeensyScope: Translate Address');
      // The input box comes once the command has run (it may activate code first): type only into it.
      const addressBox = page.locator('.quick-input-widget input[placeholder*="0x2ff000"]');
      await addressBox.waitFor({ timeout: 30_000 });
      await addressBox.fill('0x2ff000 pid 1');
      await page.keyboard.press('Enter');
      const toast = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: /^WeensyScope: .*0x2ff000/ });
      await toast.first().waitFor({ timeout: 30_000 });

      // 4. Stop debugging, type a mistake into kernel(), and WeensyScope's compiler flags it as you type.
      await command('Debug: Stop');
      await expect.poll(() => page.locator('.debug-toolbar').isVisible(), { timeout: 30_000 }).toBe(false);
      const kernelLine = lineOf(kernel, '{', 'void kernel(const char* command) {');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+g');
      await page.keyboard.type(String(kernelLine));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type(TYPO);
      await page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
      await command('View: Focus Problems (Errors, Warnings, Infos)');
      const ours = page.locator('.markers-panel .monaco-list-row').filter({ hasText: "'frob_count' undeclared" });
      await ours.first().waitFor({ timeout: 60_000 });
      expect(await ours.first().textContent()).toContain('weensyscope');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
      await screenshot('4-diagnostic');
    } catch (e) {
      await page.screenshot({ path: SCREENSHOT_FAILURE }).catch(() => {});
      if (e instanceof Error) e.message += `\n(screenshot: test/e2e/__output__/journey-failure.png)\n--- code-server output ---\n${server?.output().slice(-4000) ?? ''}`;
      throw e;
    }
  }, 4 * 60_000);

  it('offers a launch configuration in a lab folder without one, and Run Checks grades it', async () => {
    const fresh = join(tmp!, 'fresh-lab');
    const init = spawnSync('node', [join(REPO, 'dist/weensy.js'), 'init', fresh], { encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    rmSync(join(fresh, '.vscode'), { recursive: true, force: true });
    try {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(fresh)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const offer = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'looks like the WeensyOS lab' });
      await offer.first().waitFor({ timeout: 60_000 });
      await offer.first().locator('.monaco-button', { hasText: 'Create launch.json' }).click();
      await expect.poll(() => {
        try {
          return (JSON.parse(readFileSync(join(fresh, '.vscode/launch.json'), 'utf8')) as { configurations: { type: string }[] }).configurations.map((c) => c.type);
        } catch {
          return [];
        }
      }, { timeout: 30_000 }).toEqual(['weensy']);

      await command('WeensyScope: Run Checks');
      const verdict = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: 'WeensyScope: all five steps pass.' });
      await verdict.first().waitFor({ timeout: 90_000 });
      await expect.poll(() => page.locator('.output-view .view-lines').textContent({ timeout: 1_000 }).catch(() => ''), { timeout: 10_000 })
        .toMatch(/5\s+of\s+5\s+steps\s+pass\./);
    } catch (e) {
      await page.screenshot({ path: SCREENSHOT_FAILURE }).catch(() => {});
      if (e instanceof Error) e.message += `\n(screenshot: test/e2e/__output__/journey-failure.png)\n--- code-server output ---\n${server?.output().slice(-4000) ?? ''}`;
      throw e;
    }
  }, 3 * 60_000);
});
