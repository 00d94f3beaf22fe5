// Without an adapter process: the launch configuration's validation, the
// package.json contributions that describe it to VS Code (every attribute
// the adapter reads has a schema entry and a description; the snippets and
// initial configuration validate), the engine pin against @types/vscode,
// and the layering rules for debug-adapter/ and extension/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import type { AdapterHost } from '../../debug-adapter/adapter-host';
import { CUSTOM_COMMANDS, customEventBody } from '../../debug-adapter/custom-requests';
import { planLaunch } from '../../debug-adapter/launch-config';
import { DebugSession } from '../../emulator/index';
import { ROOT } from './dap-harness';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** A host with a fixed set of files and folders. */
function fakeHost(files: readonly string[], dirs: readonly string[]): AdapterHost {
  return {
    readFile: () => undefined,
    stat: (p) => (files.includes(p) ? 'file' : dirs.includes(p) ? 'directory' : undefined),
    absolute: (p, base) => (p.startsWith('/') ? p : `${base ?? '/cwd'}/${p}`),
    openLog: () => 'no logs here',
  };
}

describe('launch configuration', () => {
  const host = fakeHost(['/lab/kernel.c', '/lab/other.c', '/cwd/kernel.c'], ['/lab', '/cwd', '/out']);

  it('a folder or a file: the workspace is its folder', () => {
    expect(planLaunch({ kernel: '/lab' }, host)).toMatchObject({ ok: true, plan: { workspace: '/lab', kernel: '/lab/kernel.c' } });
    expect(planLaunch({ kernel: '/lab/other.c' }, host)).toMatchObject({ ok: true, plan: { workspace: '/lab', kernel: '/lab/other.c' } });
    expect(planLaunch({ kernel: 'kernel.c' }, host)).toMatchObject({ ok: true, plan: { kernel: '/cwd/kernel.c' } });
  });

  it('no kernel: the cwd kernel.c, else the bundled reference kernel', () => {
    expect(planLaunch({ cwd: '/cwd' }, host)).toMatchObject({ ok: true, plan: { workspace: '/cwd', kernel: '/cwd/kernel.c' } });
    const r = planLaunch({ cwd: '/out' }, host);
    expect(r).toMatchObject({ ok: true, plan: { workspace: '', kernelLabel: 'the bundled reference kernel' } });
    expect(r.ok && r.plan.kernel).toBe(undefined);
  });

  it('defines as an object or a list; stopOnEntry forms; the rest checked', () => {
    expect(planLaunch({ defines: { TICK_LIMIT: 1000, NO_SLOWDOWN: true, X: 'y' } }, host)).toMatchObject({ ok: true, plan: { defines: { TICK_LIMIT: '1000', NO_SLOWDOWN: '1', X: 'y' } } });
    expect(planLaunch({ defines: ['TICK_LIMIT=1000', 'NO_SLOWDOWN'] }, host)).toMatchObject({ ok: true, plan: { defines: { TICK_LIMIT: '1000', NO_SLOWDOWN: '1' } } });
    for (const v of [true, false, 'kernel', 'boot']) expect(planLaunch({ stopOnEntry: v }, host)).toMatchObject({ ok: true, plan: { stopOnEntry: v } });
    expect(planLaunch({ command: 'fork', variant: 'cs61', instructionsPerTick: 100, logFile: '/out/log.txt', jit: false }, host)).toMatchObject({
      ok: true, plan: { command: 'fork', variant: 'cs61', instructionsPerTick: 100, logFile: '/out/log.txt', jit: false },
    });
    const bad = planLaunch({ defines: { '1X': 2 }, variant: 'mit', logFile: '/nowhere/log.txt', kernel: '/out', jit: 'yes', cwd: '/missing' }, host);
    expect(bad.ok).toBe(false);
    const message = bad.ok ? '' : bad.message;
    for (const part of ['"1X" is not a macro name', '"variant" must be one of nyu, cs61', 'the folder /nowhere does not exist', 'is a folder without a kernel.c', '"jit" must be true or false', '"cwd" "/missing" is not a folder']) {
      expect(message).toContain(part);
    }
    expect(planLaunch(null, host)).toEqual({ ok: false, message: 'The launch configuration must be an object.' });
    expect(planLaunch({ kernel: '${workspaceFolder}/kernel.c' }, host)).toMatchObject({ ok: false, message: expect.stringMatching(/unresolved variable/) });
  });

  it('unknown attributes are warnings, VS Code\'s own are not', () => {
    const r = planLaunch({ type: 'weensy', request: 'launch', name: 'x', __sessionId: 'abc', preLaunchTask: 'build', stopOnentry: true }, host);
    expect(r).toMatchObject({ ok: true, plan: { warnings: ['The launch configuration attribute "stopOnentry" is not a WeensyOS attribute and is ignored.'] } });
  });
});

describe('package.json contributions', () => {
  const debuggers = pkg.contributes.debuggers as { type: string; languages: string[]; configurationAttributes: { launch: { properties: Record<string, { description?: string }> } }; initialConfigurations: Record<string, unknown>[]; configurationSnippets: { body: Record<string, unknown> }[] }[];
  const weensy = debuggers.find((d) => d.type === 'weensy')!;

  it('declares the weensy debugger for C with a schema entry and a description for every attribute', () => {
    expect(pkg.main).toBe('./dist/extension.js');
    expect(weensy.languages).toEqual(['c']);
    expect(pkg.contributes.breakpoints).toEqual([{ language: 'c' }]);
    const props = weensy.configurationAttributes.launch.properties;
    expect(Object.keys(props).sort()).toEqual(['command', 'cwd', 'defines', 'instructionsPerTick', 'jit', 'kernel', 'logFile', 'stopOnEntry', 'variant']);
    for (const [name, p] of Object.entries(props)) expect(p.description?.length ?? 0, name).toBeGreaterThan(30);
    expect(pkg.activationEvents).toContain('onDebugResolve:weensy');
    expect(pkg.contributes.commands).toContainEqual(expect.objectContaining({ command: 'weensyscope.sendKey', category: 'WeensyScope' }));
  });

  it('the initial configuration and every snippet name only known attributes', () => {
    const host = fakeHost(['/ws/kernel.c'], ['/ws']);
    const resolve = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/^\^"(.*)"$/, '$1').replace(/\\?\$\{workspaceFolder\}/g, '/ws') : v);
    for (const config of [...weensy.initialConfigurations, ...weensy.configurationSnippets.map((s) => s.body)]) {
      const resolved = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, resolve(v)]));
      const r = planLaunch(resolved, host);
      expect(r, JSON.stringify(config)).toMatchObject({ ok: true, plan: { warnings: [] } });
    }
  });

  it('engines.vscode admits the @types/vscode in use, within code-server 4.99.3 (VS Code 1.99.3)', () => {
    const types = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')).version as string;
    const [tMajor, tMinor] = types.split('.').map(Number);
    const engine = /^\^(\d+)\.(\d+)\.\d+$/.exec(pkg.engines.vscode)!;
    expect(Number(engine[1])).toBe(tMajor);
    expect(Number(engine[2])).toBeGreaterThanOrEqual(tMinor!);
    expect(Number(engine[2])).toBeLessThanOrEqual(99);
  });

  it('the exception filters the adapter offers are the session\'s', () => {
    expect(DebugSession.exceptionFilters().map((f) => f.filter)).toEqual(['pagefault-user', 'pagefault-kernel', 'gpf', 'triple-fault', 'panic', 'unexpected']);
  });

  it('custom messages are declared once', () => {
    expect(CUSTOM_COMMANDS).toEqual(['weensy/snapshot', 'weensy/translate', 'weensy/diff', 'weensy/sendKeys']);
    expect(customEventBody({ type: 'event', event: 'weensy/diagnostics', body: { diagnostics: [] } }, 'weensy/diagnostics')).toEqual({ diagnostics: [] });
    expect(customEventBody({ type: 'event', event: 'output', body: {} }, 'weensy/diagnostics')).toBeUndefined();
  });
});

describe('layering rules for the adapter and the extension', () => {
  const eslint = new ESLint({ cwd: ROOT });
  async function messages(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('debug-adapter/ reaches the emulator through the facade only and never imports vscode', async () => {
    expect((await messages("import { x } from '../emulator/debug/session';", 'debug-adapter/probe.ts')).some((m) => m.includes('invariant 6'))).toBe(true);
    expect((await messages("import * as x from 'vscode';", 'debug-adapter/probe.ts')).some((m) => m.includes('only extension/ imports vscode'))).toBe(true);
    expect((await messages("import { x } from '../extension/extension';", 'debug-adapter/probe.ts')).some((m) => m.includes('nothing imports it'))).toBe(true);
    expect(await messages("import { DebugSession as x } from '../emulator/index';", 'debug-adapter/probe.ts')).toEqual([]);
    expect(await messages("import { DebugSession as x } from '@vscode/debugadapter';", 'debug-adapter/probe.ts')).toEqual([]);
  });

  it('extension/ may import vscode and the adapter, and the emulator through the facade only', async () => {
    expect(await messages("import * as x from 'vscode';", 'extension/probe.ts')).toEqual([]);
    expect(await messages("import { WeensyDebugSession as x } from '../debug-adapter/weensy-debug-session';", 'extension/probe.ts')).toEqual([]);
    expect((await messages("import { Machine as x } from '../emulator/machine/machine';", 'extension/probe.ts')).some((m) => m.includes('invariant 6'))).toBe(true);
  });
});
