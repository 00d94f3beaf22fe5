// The language server's layering rule (ARCHITECTURE.md, invariant 6): it
// reaches the compiler through the runtime facade only, and imports neither
// the editor's API nor the client library nor the other tools. Each
// rejection is shown, and the legal imports are accepted, so a broken or
// deleted rule fails here.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messages(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = [probe];\n`, { filePath: 'language-server/probe.ts' });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('language-server/ layering', () => {
  it.each([
    ["import { checkFile as probe } from '../emulator/cc/compile';", 'runtime facade'],
    ["import { preprocess as probe } from '../emulator/cc/preprocess/preprocess';", 'runtime facade'],
    ["import * as probe from 'vscode';", 'plain Node program'],
    ["import { LanguageClient as probe } from 'vscode-languageclient/node';", 'plain Node program'],
    ["import { WeensyDebugSession as probe } from '../debug-adapter/weensy-debug-session';", 'its own files only'],
    ["import { MemoryMapPanel as probe } from '../extension/memory-map-panel';", 'its own files only'],
  ])('rejects %s', async (code, reason) => {
    const found = await messages(code);
    expect(found.some((m) => m.startsWith('@typescript-eslint/no-restricted-imports') && m.includes(reason)), found.join('\n')).toBe(true);
  });

  it('accepts the facade, the server library and Node', async () => {
    expect(await messages("import { checkWeensyFile as probe } from '../emulator/index';")).toEqual([]);
    expect(await messages("import { createConnection as probe } from 'vscode-languageserver/node';")).toEqual([]);
    expect(await messages("import { readFileSync as probe } from 'node:fs';")).toEqual([]);
  });
});
