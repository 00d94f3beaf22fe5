// The architecture invariants that lint enforces (ARCHITECTURE.md): each rule
// is shown to reject a violation and to accept the legal form, so a broken
// or deleted rule fails here.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering rules', () => {
  it.each([
    ["import * as vscode from 'vscode';", 'invariant 1'],
    ["import { DebugSession } from '@vscode/debugadapter';", 'invariant 1'],
    ["import { readFileSync } from 'node:fs';", 'invariant 1'],
    ["import { readFileSync } from 'fs';", 'invariant 1'],
    ["import { spawn } from 'node:child_process';", 'invariant 1'],
    ["import { x } from '../../debug-adapter/session';", 'invariant 1'],
  ])('emulator/ rejects %s', async (code, invariant) => {
    const found = await messages(`${code}\nexport const used = 1;\n`, 'emulator/machine/probe.ts');
    expect(found.some((m) => m.includes(invariant))).toBe(true);
  });

  it.each(['document.title', 'window.innerWidth', 'process.stdout', 'fetch("x")', "require('fs')"])(
    'emulator/ rejects the global in %s',
    async (expr) => {
      const found = await messages(`export const probe = () => ${expr};\n`, 'emulator/probe.ts');
      expect(found.some((m) => m.startsWith('no-restricted-globals'))).toBe(true);
    },
  );

  it('emulator/ accepts pure code', async () => {
    const found = await messages("import { PAGESIZE } from './constants';\nexport const pages = (n: number): number => n * PAGESIZE;\n", 'emulator/machine/probe.ts');
    expect(found).toEqual([]);
  });

  it('the machine may not import the compiler (invariant 2)', async () => {
    const found = await messages("import { compile } from '../cc/compile';\nexport const c = compile;\n", 'emulator/machine/probe.ts');
    expect(found.some((m) => m.includes('invariant 2'))).toBe(true);
  });

  it('the compiler may import only the instruction set and image format of the machine (invariant 2)', async () => {
    const bad = await messages("import { Machine } from '../machine/machine';\nexport const m = Machine;\n", 'emulator/cc/probe.ts');
    expect(bad.some((m) => m.includes('invariant 2'))).toBe(true);
    const good = await messages("import { OPCODES } from '../machine/isa/opcodes';\nexport const o = OPCODES;\n", 'emulator/cc/probe.ts');
    expect(good).toEqual([]);
  });

  it('the CLI reaches the machine through the facade only (invariant 6)', async () => {
    const bad = await messages("import { Machine } from '../emulator/machine/machine';\nexport const m = Machine;\n", 'cli/probe.ts');
    expect(bad.some((m) => m.includes('invariant 6'))).toBe(true);
    const good = await messages("import { Machine } from '../emulator/index';\nexport const m = Machine;\n", 'cli/probe.ts');
    expect(good).toEqual([]);
  });
});
