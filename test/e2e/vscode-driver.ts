// What the end-to-end tests in a real VS Code share (the harness under it is
// ./code-server.ts): starting code-server with the packaged extension and
// Chromium on a page, the reference workspace from `weensy init`, opening a
// folder and a file, the command palette, breakpoints, the debugger's stops,
// the memory-map panel's frame, and a screenshot when a test fails.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO, installCodeServer, launchChromium, packageExtension, startCodeServer, type CodeServer } from './code-server';

/** Where the screenshots go. */
export const OUT = join(REPO, 'test/e2e/__output__');

/** The 1-based line of `text` in `source` after `after`. */
export function lineOf(source: string, text: string, after = ''): number {
  const from = source.indexOf(after);
  const at = source.indexOf(text, from);
  expect(from >= 0 && at >= 0, `${JSON.stringify(text)} not found`).toBe(true);
  return source.slice(0, at).split('\n').length;
}

/**
 * The reference workspace in `folder`, as `weensy init` writes it; `edit`,
 * if given, gets its kernel.c and returns the text to write there instead.
 */
export function labWorkspace(folder: string, edit?: (kernel: string) => string): string {
  const init = spawnSync('node', [join(REPO, 'dist/weensy.js'), 'init', folder], { encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);
  if (edit) writeFileSync(join(folder, 'kernel.c'), edit(readFileSync(join(folder, 'kernel.c'), 'utf8')));
  return folder;
}

export interface VsCode {
  /** The temporary folder that holds the .vsix and the workspace. */
  readonly tmp: string;
  /** The workspace folder `startVsCode`'s `workspace` made. */
  readonly workspace: string;
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Closes the browser, stops code-server, removes the temporary folder. */
  stop(): Promise<void>;
}

/**
 * Clears the old `screenshots`, makes a temporary folder (`prefix`), installs
 * code-server and packages the extension into it, makes the workspace there
 * (`workspace` returns its folder), starts code-server and Chromium, and
 * opens a page of `viewport`'s size. A failure part way cleans up what started.
 */
export async function startVsCode(options: {
  readonly prefix: string;
  readonly screenshots: readonly string[];
  readonly viewport: { readonly width: number; readonly height: number };
  readonly workspace: (tmp: string) => string;
}): Promise<VsCode> {
  mkdirSync(OUT, { recursive: true });
  for (const f of options.screenshots) rmSync(f, { force: true });
  const tmp = mkdtempSync(join(tmpdir(), options.prefix));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const [entry, vsix] = await Promise.all([installCodeServer(), packageExtension(tmp)]);
    const workspace = options.workspace(tmp);
    server = await startCodeServer(entry, vsix);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport });
    return { tmp, workspace, server, browser, page, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * For a test's catch: screenshots the page to `path` and, unless `annotate`
 * is false, adds the screenshot's name and code-server's last output to the
 * error's message. Returns the error, to throw.
 */
export async function failed(vscode: VsCode | undefined, path: string, e: unknown, annotate = true): Promise<unknown> {
  await vscode?.page.screenshot({ path }).catch(() => {});
  if (annotate && e instanceof Error) e.message += `\n(screenshot: ${relative(REPO, path)})\n--- code-server output ---\n${vscode?.server.output().slice(-4000) ?? ''}`;
  return e;
}

/** Opens `folder` in the workbench and waits for it. */
export async function openWorkspace(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

/** The active editor group's active tab. */
export function activeTab(page: Page): Locator {
  return page.locator('.editor-group-container.active .tabs-container .tab.active');
}

/** Opens `name` from the explorer (a double click pins it) and waits for its tab to be the active one. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).dblclick({ timeout: 30_000 });
  await expect.poll(() => activeTab(page).getAttribute('aria-label'), { timeout: 30_000 }).toMatch(new RegExp(`^${escapeRegExp(name)}\\b`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** F1, a command's title, Enter on it; retried while the palette does not list it yet (contributions load after the workbench). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
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

/** Goes to `line` of kernel.c and toggles a breakpoint there (F9), as a student would, until `count` breakpoints show. */
export async function breakpointAt(page: Page, line: number, count: number): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  // F9 does nothing until the workbench knows a debugger for C (the extension's contributions load after the editor).
  const glyphs = page.locator('.monaco-editor .codicon-debug-breakpoint');
  for (let deadline = Date.now() + 30_000; (await glyphs.count()) < count; await page.waitForTimeout(1_000)) {
    if (Date.now() > deadline) throw new Error(`F9 set no breakpoint at kernel.c:${line}`);
    await page.keyboard.press('F9');
  }
}

/** Waits for the editor's cursor to be on `line` (where the debugger stopped). */
export async function cursorAt(page: Page, line: number): Promise<void> {
  const cursor = page.locator('[id="status.editor.selection"]');
  await expect.poll(() => cursor.getAttribute('aria-label', { timeout: 1_000 }).catch(() => null), { timeout: 120_000 })
    .toMatch(new RegExp(`^Ln ${line}, Col \\d+$`));
}

/** The panel's document: the webview's inner frame that holds the memory map. */
export async function panelFrame(page: Page): Promise<Frame> {
  for (let deadline = Date.now() + 60_000; ;) {
    for (const f of page.frames()) {
      if (await f.$('.memgrid.physical').catch(() => null)) return f;
    }
    if (Date.now() > deadline) throw new Error('the memory-map panel never showed a snapshot');
    await page.waitForTimeout(250);
  }
}
