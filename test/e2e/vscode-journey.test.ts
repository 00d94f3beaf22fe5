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
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedKernel } from '../weensyos/kernel-edits';
import { REPO } from './code-server';
import { OUT, activeTab, breakpointAt, cursorAt, failed, labWorkspace, lineOf, openFile, openWorkspace, panelFrame, runCommand, startVsCode, type VsCode } from './vscode-driver';

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

let vscode: VsCode | undefined;
let page: Page;
let kernel: string;

/** Every file under `dir`. */
function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? logFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The extension host's activation lines so far. */
function activations(): string[] {
  return logFiles(join(vscode!.server.home, 'data/logs'))
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
    vscode = await startVsCode({
      prefix: 'weensy-e2e-journey-',
      screenshots: [...STEPS.map(shot), SCREENSHOT_FAILURE],
      viewport: { width: 1600, height: 1000 },
      workspace: (tmp) => labWorkspace(join(tmp, 'lab'), () => (kernel = editedKernel([[ANCHOR, BUG]]))),
    });
    page = vscode.page;
  }, 12 * 60_000);

  afterAll(async () => {
    await vscode?.stop();
  }, 60_000);

  it('stays asleep in a C folder that is not WeensyOS (no activation, no language server)', async () => {
    const plain = join(vscode!.tmp, 'plain-c');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'main.c'), '#include <stdio.h>\n\nint main(void) {\n    printf("hello\\n");\n    return 0;\n}\n');
    writeFileSync(join(plain, 'Makefile'), 'main: main.c\n\tcc -o main main.c\n');
    try {
      await openWorkspace(page, vscode!.server.url, plain);
      await openFile(page, 'main.c');
      // The extension host logs every activation ("ExtensionService#_doActivateExtension <id>, ..."):
      // built-in ones appear, ours never does.
      await expect.poll(() => activations().length, { timeout: 30_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(3_000);
      expect(activations().filter((l) => /weensyscope/i.test(l))).toEqual([]);
      const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      expect(ps.split('\n').filter((l) => l.includes(vscode!.server.home) && l.includes('language-server.js'))).toEqual([]);
    } catch (e) {
      throw await failed(vscode, SCREENSHOT_FAILURE, e, false);
    }
  }, 2 * 60_000);

  it('breakpoint, step over virtual_memory_map in the panel, page fault, diagnostic', async () => {
    const mapLine = lineOf(kernel, MAP_PAGE, ALLOC);
    const afterMapLine = lineOf(kernel, AFTER_MAP_PAGE, MAP_PAGE);
    const bugLine = lineOf(kernel, BUG);
    try {
      await openWorkspace(page, vscode!.server.url, vscode!.workspace);
      await openFile(page, 'kernel.c');
      await page.locator('.monaco-editor .view-lines').first().click();
      // Here the extension wakes up, for the kernel.c (the same log the previous test read).
      await expect.poll(() => activations().filter((l) => /weensyscope\.weensyscope.*workspaceContains:kernel\.c/.test(l)).length, { timeout: 30_000 }).toBe(1);

      // 1. A breakpoint on syscall_page_alloc's map_page call (F9 works once the debugger's contributions are in).
      await breakpointAt(page, mapLine, 1);
      await runCommand(page, 'Debug: Start Debugging');
      await cursorAt(page, mapLine);
      let panel = await panelFrame(page);
      await expect.poll(() => panel.textContent('.status-main', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
        .toContain(`kernel.c:${mapLine} in syscall_page_alloc()`);
      await screenshot('1-breakpoint');

      // 2. Step over the call (F10, in the editor): virtual_memory_map has mapped the stack page, and the panel says so.
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('F10');
      await cursorAt(page, afterMapLine);
      panel = await panelFrame(page);
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
      await expect.poll(() => page.locator('.monaco-editor .codicon-debug-breakpoint').count(), { timeout: 10_000 }).toBe(0);
      await runCommand(page, 'WeensyScope: Send a Key to WeensyOS');
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
      await cursorAt(page, bugLine);
      await expect.poll(() => activeTab(page).getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.c\b/);
      panel = await panelFrame(page);
      await expect.poll(() => panel.textContent('.diagnosis section[aria-label="Last fault"]', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 }).toMatch(/0x2ff000/);
      await screenshot('3-page-fault');

      // Translate Address walks 0x2ff000 in the stopped machine.
      await runCommand(page, 'WeensyScope: Translate Address');
      // The input box comes once the command has run (it may activate code first): type only into it.
      const addressBox = page.locator('.quick-input-widget input[placeholder*="0x2ff000"]');
      await addressBox.waitFor({ timeout: 30_000 });
      await addressBox.fill('0x2ff000 pid 1');
      await page.keyboard.press('Enter');
      const toast = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: /^WeensyScope: .*0x2ff000/ });
      await toast.first().waitFor({ timeout: 30_000 });

      // 4. Stop debugging, type a mistake into kernel(), and WeensyScope's compiler flags it as you type.
      await runCommand(page, 'Debug: Stop');
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
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const ours = page.locator('.markers-panel .monaco-list-row').filter({ hasText: "'frob_count' undeclared" });
      await ours.first().waitFor({ timeout: 60_000 });
      expect(await ours.first().textContent()).toContain('weensyscope');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
      await screenshot('4-diagnostic');
    } catch (e) {
      throw await failed(vscode, SCREENSHOT_FAILURE, e);
    }
  }, 4 * 60_000);

  it('offers a launch configuration in a lab folder without one, and Run Checks grades it', async () => {
    const fresh = labWorkspace(join(vscode!.tmp, 'fresh-lab'));
    rmSync(join(fresh, '.vscode'), { recursive: true, force: true });
    try {
      await openWorkspace(page, vscode!.server.url, fresh);
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

      await runCommand(page, 'WeensyScope: Run Checks');
      const verdict = page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: 'WeensyScope: all five steps pass.' });
      await verdict.first().waitFor({ timeout: 90_000 });
      await expect.poll(() => page.locator('.output-view .view-lines').textContent({ timeout: 1_000 }).catch(() => ''), { timeout: 10_000 })
        .toMatch(/5\s+of\s+5\s+steps\s+pass\./);
    } catch (e) {
      throw await failed(vscode, SCREENSHOT_FAILURE, e);
    }
  }, 3 * 60_000);
});
