// The panel in a real browser for tests: Debian's Chromium driven by
// playwright-core (which downloads no browser), launched with the flags
// ../shared/tools/README.md lists, loading the built standalone page
// dist/webview/panel.html. `vscodeHost` stands in for a VS Code webview
// (acquireVsCodeApi recording the panel's messages and keeping its state
// across reloads), so the extension-facing paths run too. Screenshots go to
// test-artifacts/webview/ (gitignored) for a person to look at.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PanelSnapshot, SnapshotDiff } from '../../emulator/index';
import type { FromPanelMessage, SnapshotOrigin, ToPanelMessage } from '../../webview/panel-messages';

export const ROOT = join(__dirname, '..', '..');
const PAGE = join(ROOT, 'dist', 'webview', 'panel.html');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'webview');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Chromium's flags on this closed network (shared/tools/README.md): all of them. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROME_PATH); see ../shared/tools/README.md`);
  if (!existsSync(PAGE)) throw new Error(`${PAGE} is missing: run \`npm run build\` first (npm test does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The page's globals, as the callbacks playwright runs inside the browser use
 * them (the tests compile without the DOM library, like the rest of the
 * Node side). `__posted` is what the stand-in VS Code host recorded.
 */
declare const document: { readonly body: { readonly dataset: Record<string, string | undefined> } };
declare const window: { postMessage(message: unknown, origin: string): void; scrollTo(x: number, y: number): void; readonly __posted?: FromPanelMessage[] };

/** Installs a fake acquireVsCodeApi before the panel's script runs: messages are recorded, state survives reloads of the page. */
const VSCODE_HOST = `
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => { const t = sessionStorage.getItem('fake-vscode-state'); return t ? JSON.parse(t) : undefined; },
    setState: (s) => sessionStorage.setItem('fake-vscode-state', JSON.stringify(s)),
  });
`;

export interface PanelPage {
  readonly page: Page;
  /** Posts a picture as the extension does and waits until it is drawn (or refused). */
  show(snapshot: unknown, diff?: SnapshotDiff | null, origin?: SnapshotOrigin): Promise<void>;
  /** Posts any message (malformed ones included). */
  post(message: ToPanelMessage | Record<string, unknown>): Promise<void>;
  screenshot(name: string): Promise<string>;
  /** Messages the panel sent to its (stand-in) VS Code host. */
  posted(): Promise<FromPanelMessage[]>;
  errors: string[];
}

export async function openPanel(browser: Browser, options: { readonly vscodeHost?: boolean; readonly width?: number; readonly height?: number } = {}): Promise<PanelPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  if (options.vscodeHost) await page.addInitScript(VSCODE_HOST);
  await page.goto(pathToFileURL(PAGE).href);
  await page.waitForFunction(() => document.body.dataset.state !== undefined);
  const post = async (message: unknown): Promise<void> => {
    await page.evaluate((m) => {
      delete document.body.dataset.state;
      window.postMessage(m, '*');
    }, message);
    await page.waitForFunction(() => document.body.dataset.state !== undefined);
  };
  return {
    page,
    errors,
    post,
    show: (snapshot, diff = null, origin = { kind: 'session', sessionName: 'WeensyOS' }) => post({ type: 'show', snapshot: snapshot as PanelSnapshot, diff, origin }),
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      // From the top: the sticky header would otherwise be drawn where the page was scrolled to.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    posted: () => page.evaluate(() => window.__posted ?? []),
  };
}

/** The character and attribute of each cell of a memory grid (by its aria-label prefix), as the panel drew them. */
export async function gridCells(page: Page, selector: string): Promise<{ ch: string; attr: number; label: string; classes: string }[]> {
  return page.$$eval(`${selector} .cell`, (cells) => cells.map((c) => {
    const fg = /\bfg-(\d+)\b/.exec(c.className);
    const bg = /\bbg-(\d+)\b/.exec(c.className);
    return { ch: c.textContent ?? '', attr: Number(fg?.[1] ?? -1) | (Number(bg?.[1] ?? -1) << 4), label: c.getAttribute('aria-label') ?? '', classes: c.className };
  }));
}
