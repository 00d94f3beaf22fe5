// End to end in a real VS Code (code-server 4.99.3, driven by Chromium):
// the reference workspace (`weensy init`) with the classic step-5 mistake,
// fork copying the parent's page from its *virtual* address instead of its
// physical one. The kernel runs on kernel_pagetable, which maps only
// physical memory (below 0x200000), so copying the stack page at 0x2ff000
// page-faults in kernel mode, a filter that is on by default. With kernel.c
// open, we start the `weensy` configuration from the command palette (default
// settings: the memory-map panel opens beside) and check what the student
// sees: the paused-on-exception state, memcpy on top of the call stack at
// its line, the exception widget with CR2, memcpy's `src` in Locals, and,
// one frame down, the student's own line in kernel.c with `va`; the Debug
// Console evaluates an expression there. Screenshots (the stop; the
// fork_page frame; a failure) go to test/e2e/__output__/.
//
// Set-up (minutes cold, seconds warm): code-server is installed by
// ../shared/tools/install-code-server.sh into node_modules/.cache/code-server;
// Chromium is Debian's /usr/bin/chromium (.ci/run installs it). Needs a
// built dist/ (`npm test` builds first).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedKernel } from '../weensyos/kernel-edits';
import { REPO } from './code-server';
import { OUT, activeTab, failed, labWorkspace, lineOf, openFile, openWorkspace, runCommand, startVsCode, type VsCode } from './vscode-driver';

const SCREENSHOT = join(OUT, 'vscode-debug-stopped.png');
const SCREENSHOT_FRAME = join(OUT, 'vscode-debug-fork_page.png');
const SCREENSHOT_FAILURE = join(OUT, 'vscode-debug-failure.png');

// fork_page's copy of a writable page, and the student's version of it.
const ANCHOR = '        memcpy(copy, (const void*) pa, PAGESIZE);';
const BUG = '        memcpy(copy, (const void*) va, PAGESIZE);';

let vscode: VsCode | undefined;
let page: Page;
let bugLine: number;
let memcpyLine: number;

describe('VS Code (code-server) end to end', () => {
  beforeAll(async () => {
    vscode = await startVsCode({
      prefix: 'weensy-e2e-',
      screenshots: [SCREENSHOT, SCREENSHOT_FRAME, SCREENSHOT_FAILURE],
      viewport: { width: 1400, height: 900 },
      // The reference workspace, as `weensy init` writes it, with the bug in kernel.c and the fork boot.
      workspace: (tmp) => {
        const workspace = labWorkspace(join(tmp, 'lab'), (original) => {
          expect(original).toBe(editedKernel([]));
          const kernel = editedKernel([[ANCHOR, BUG]]);
          bugLine = lineOf(kernel, BUG);
          return kernel;
        });
        memcpyLine = lineOf(readFileSync(join(REPO, 'runtime/weensyos/lib.c'), 'utf8'), '*d++ = *s++;', 'void* memcpy(');
        const launchPath = join(workspace, '.vscode/launch.json');
        const launch = JSON.parse(readFileSync(launchPath, 'utf8')) as { configurations: Record<string, unknown>[] };
        expect(launch.configurations).toHaveLength(1);
        expect(launch.configurations[0]).toMatchObject({ type: 'weensy', request: 'launch' });
        launch.configurations[0]!.command = 'fork';
        writeFileSync(launchPath, JSON.stringify(launch, null, 2) + '\n');
        return workspace;
      },
    });
    page = vscode.page;
  }, 12 * 60_000);

  afterAll(async () => {
    await vscode?.stop();
  }, 60_000);

  it('starts the weensy configuration, stops on the kernel page fault in fork, shows the location and the variables', async () => {
    try {
      await openWorkspace(page, vscode!.server.url, vscode!.workspace);
      // The student has kernel.c open (a double click pins it) when they start debugging.
      await openFile(page, 'kernel.c');

      // F1, "Debug: Start Debugging": the palette lists it once the debug contributions are in; until then, retry.
      await runCommand(page, 'Debug: Start Debugging');

      // Paused on the exception: the CPU thread's state, and memcpy's line on top of the stack.
      const callStack = page.locator('.debug-call-stack');
      await expect.poll(() => callStack.locator('.thread .state.label.exception').textContent(), { timeout: 60_000 })
        .toBe('Page fault in the kernel at 0x2ff000 (not-present, read, kernel).');
      const top = callStack.locator('.monaco-list-row.selected');
      await expect.poll(() => top.getAttribute('aria-label'), { timeout: 30_000 }).toBe(`Stack Frame memcpy, line ${memcpyLine}, lib.c`);
      const cursor = page.locator('[id="status.editor.selection"]');
      await expect.poll(() => cursor.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(new RegExp(`^Ln ${memcpyLine}, Col \\d+$`));
      await expect.poll(() => activeTab(page).getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^lib\.c\b/);

      // The exception widget: the fault in words, CR2, the failing walk step.
      const widget = page.locator('.exception-widget');
      await widget.waitFor({ timeout: 30_000 });
      expect(await widget.locator('.title .label').textContent()).toBe('Exception has occurred: Page fault (kernel)');
      expect(await widget.locator('.description').textContent()).toMatch(/^Page fault in the kernel at 0x2ff000 \(not-present, read, kernel\): kernel-mode read at 0x2ff000: page 0x2ff000 is not mapped/);
      expect(await widget.locator('.stack-trace').textContent()).toMatch(/CR2 = 0x2ff000[\s\S]*failing walk step: L4 entry 255 \(empty\)/);

      // Locals of memcpy: the source pointer is the unmapped virtual address.
      const variables = page.locator('.debug-variables');
      const variable = (name: string, value: string) => variables.locator(`.monaco-list-row[aria-label="${name}, value ${value}"]`);
      await variable('src', '0x2ff000').waitFor({ timeout: 30_000 });
      await variable('n', '4096').waitFor({ timeout: 5_000 });
      await page.screenshot({ path: SCREENSHOT });

      // One frame down: the student's line in kernel.c, and the virtual address it copied from.
      const forkPage = callStack.locator(`.monaco-list-row[aria-label="Stack Frame fork_page, line ${bugLine}, kernel.c"]`);
      await forkPage.click({ timeout: 30_000 });
      await expect.poll(() => activeTab(page).getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/^kernel\.c\b/);
      await expect.poll(() => cursor.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(new RegExp(`^Ln ${bugLine}, Col \\d+$`));
      await variable('va', '0x2ff000').waitFor({ timeout: 30_000 });

      // The Debug Console evaluates C in that frame, with the kernel's macros.
      await page.locator('.repl-input-wrapper').click();
      await page.keyboard.type('PAGENUMBER(va)');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.repl .evaluation-result').last().textContent(), { timeout: 30_000 }).toBe('767');
      await page.screenshot({ path: SCREENSHOT_FRAME });
    } catch (e) {
      throw await failed(vscode, SCREENSHOT_FAILURE, e);
    }
  }, 3 * 60_000);
});
