// The webview's layering rules (ARCHITECTURE.md, invariants 6 and 7): the
// panel imports only types from the emulator, through the facade, and no
// editor or Node API; the extension reaches the panel only through its
// message declarations. Each rule is shown to reject a violation and to
// accept the legal form, so a broken or deleted rule fails here.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('webview layering rules', () => {
  it('the webview may import types from the facade', async () => {
    expect(await messages("import type { PanelSnapshot } from '../emulator/index';\nexport type S = PanelSnapshot;\n", 'webview/probe.ts')).toEqual([]);
    expect(await messages("import { type PanelSnapshot } from '../../emulator/index';\nexport type S = PanelSnapshot;\n", 'webview/view/probe.ts')).toEqual([]);
  });

  it.each([
    ["import { takeSnapshot } from '../emulator/index';\nexport const t = takeSnapshot;\n", 'imports only types from the emulator'],
    ["import type { Machine } from '../emulator/machine/machine';\nexport type M = Machine;\n", 'from the runtime facade'],
    ["import * as vscode from 'vscode';\nexport const v = vscode;\n", 'the webview is a web page'],
    ["import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'no Node I/O'],
    ["import { WeensyDebugSession } from '../debug-adapter/weensy-debug-session';\nexport const w = WeensyDebugSession;\n", 'sees only snapshots'],
    ['export const env = process.env;\n', 'runs in a browser'],
  ])('the webview rejects %s', async (code, why) => {
    const found = await messages(code, 'webview/probe.ts');
    expect(found.some((m) => m.includes(why)), found.join('\n')).toBe(true);
  });

  it('the extension reaches the panel only through webview/panel-messages.ts (invariant 7)', async () => {
    expect(await messages("import { PanelApp } from '../webview/app';\nexport const a = PanelApp;\n", 'extension/probe.ts')).toEqual([
      expect.stringContaining('the extension talks to the panel through its messages'),
    ]);
    expect(await messages("import { isFromPanelMessage } from '../webview/panel-messages';\nexport const f = isFromPanelMessage;\n", 'extension/probe.ts')).toEqual([]);
  });
});
