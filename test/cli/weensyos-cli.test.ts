// `weensy run`, `weensy check` and `weensy init` end to end: the built CLI
// (dist/weensy.js, which `npm test` builds first) spawned as a user runs it,
// without a terminal (so the final screen is printed as text).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weensyosFile } from '../../emulator/index';

const CLI = fileURLToPath(new URL('../../dist/weensy.js', import.meta.url));
const SLOW = { timeout: 180_000 };

let dir = '';
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), 'weensy-os-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function weensy(args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('weensy run: argument errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['run', '--bogus'], /^weensy run: unknown option '--bogus'\n/],
    [['run', 'extra'], /^weensy run: unexpected argument 'extra'\n/],
    [['run', '--until', 'forever'], /^weensy run: --until must be one of panic, fault, poweroff; got 'forever'\n/],
    [['run', '--screen=color'], /^weensy run: --screen must be one of ansi, text, none; got 'color'\n/],
    [['run', '--command', 'shell'], /^weensy run: --command must be one of allocator, fork, forkexit; got 'shell'\n/],
    [['run', '--ticks', '-5'], /^weensy run: --ticks needs a non-negative integer, got '-5'\n/],
    [['run', '--ticks'], /^weensy run: --ticks needs a value\n/],
    [['run', '--key', 'q'], /^weensy run: --key needs CHAR@TICK \(for example f@100\), got 'q'\n/],
    [['run', '--key', 'quit@5'], /^weensy run: --key quit@5: 'quit' is not one character/],
    [['run', '--instructions-per-tick', '0'], /^weensy run: --instructions-per-tick needs a positive integer, got '0'\n/],
    [['run', '-D', '3X=1'], /^weensy run: -D3X=1: '3X' is not a macro name\n/],
    [['run', '--variant', 'yale'], /^weensy run: --variant must be one of nyu, cs61; got 'yale'\n/],
    [['run', '--kernel', 'nowhere/kernel.c'], /^weensy run: --kernel nowhere\/kernel.c: no such file or folder\n/],
    [['check', '--ticks', '5'], /^weensy check: unknown option '--ticks'\n/],
    [['init', 'a', 'b'], /^weensy init: one folder only \(got 'a' and 'b'\)\n/],
    [['init', '--bogus'], /^weensy init: unknown option '--bogus'\n/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), () => {
      const r = weensy(args);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    });
  }

  it('a workspace folder without kernel.c', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = weensy(['run', '--kernel', 'empty']);
    expect(r.stderr).toBe('weensy run: --kernel empty: the folder has no kernel.c (weensy init empty writes one)\n');
    expect(r.status).toBe(2);
  });
});

describe('weensy help', () => {
  it('describes run, check and init', () => {
    const r = weensy(['help']);
    expect(r.status).toBe(0);
    for (const text of ['weensy run [options]', 'weensy check [--kernel FILE|DIR]', 'weensy init [DIR] [--force]', '--key CHAR@TICK', '--until panic|fault|poweroff']) {
      expect(r.stdout).toContain(text);
    }
    expect(weensy(['run', '--help']).stdout).toBe(r.stdout);
  });
});

describe('weensy init', () => {
  it('writes kernel.c and a launch configuration, and refuses to overwrite them without --force', () => {
    const r = weensy(['init', 'lab']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${join('lab', 'kernel.c')}\n`);
    expect(readFileSync(join(dir, 'lab/kernel.c'), 'utf8')).toBe(weensyosFile('kernel.c'));
    expect(JSON.parse(readFileSync(join(dir, 'lab/.vscode/launch.json'), 'utf8'))).toEqual({
      version: '0.2.0',
      configurations: [{ type: 'weensy', request: 'launch', name: 'WeensyOS', kernel: '${workspaceFolder}/kernel.c', stopOnEntry: false }],
    });
    writeFileSync(join(dir, 'lab/kernel.c'), '// my work\n');
    const again = weensy(['init', 'lab']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`weensy init: ${join('lab', 'kernel.c')} already exists (--force overwrites it)`);
    expect(readFileSync(join(dir, 'lab/kernel.c'), 'utf8')).toBe('// my work\n');
    const forced = weensy(['init', 'lab', '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'lab/kernel.c'), 'utf8')).toBe(weensyosFile('kernel.c'));
  });

  it('defaults to the current folder', () => {
    mkdirSync(join(dir, 'here'));
    expect(weensy(['init'], join(dir, 'here')).status).toBe(0);
    expect(existsSync(join(dir, 'here/kernel.c'))).toBe(true);
    expect(existsSync(join(dir, 'here/.vscode/launch.json'))).toBe(true);
  });
});

describe('weensy run', () => {
  it('runs the reference kernel to its TICK_LIMIT, prints the screen and a summary, and writes the log', SLOW, () => {
    const r = weensy(['run', '-D', 'TICK_LIMIT=15', '--log', 'run.log']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('                                PHYSICAL MEMORY');
    expect(r.stdout).toContain('VIRTUAL ADDRESS SPACE FOR');
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toMatch(/\nThe kernel powered off at tick 15\.\n[\d,]+ instructions \([\d,]+ in user mode\) in [\d.]+ s: [\d.]+ million instructions\/s; 15 ticks\. Build: [\d.]+ s\.\n$/);
    const log = readFileSync(join(dir, 'run.log'), 'latin1');
    expect(log.startsWith('PM_DUMP 0\n')).toBe(true);
  });

  it('gives byte-identical logs on two runs', SLOW, () => {
    expect(weensy(['run', '-DTICK_LIMIT=10', '--log=a.log', '--screen', 'none']).status).toBe(0);
    expect(weensy(['run', '-DTICK_LIMIT=10', '--log=b.log', '--screen', 'none']).status).toBe(0);
    const a = readFileSync(join(dir, 'a.log'));
    expect(a.length).toBeGreaterThan(10_000);
    expect(readFileSync(join(dir, 'b.log')).equals(a)).toBe(true);
  });

  it('--json prints the summary as JSON, with the screen', SLOW, () => {
    const r = weensy(['run', '--ticks', '5', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ stop: 'tick-limit', ticksEstimated: false, panic: null, lastFault: null, diagnosis: null, kernel: 'the built-in reference kernel' });
    expect(j.ticks).toBeGreaterThanOrEqual(5);
    expect(j.screen).toHaveLength(25);
    expect(j.screen[0]).toBe('                                PHYSICAL MEMORY');
  });

  it('builds --kernel FILE with its folder as the workspace, and reports a panic with exit status 3', SLOW, () => {
    const text = weensyosFile('kernel.c')!.replace('void kernel(const char* command) {', 'void kernel(const char* command) {\n    panic("student says %d\\n", 42);');
    expect(text).toContain('student says');
    write('panicky/kernel.c', text);
    const r = weensy(['run', '--kernel', 'panicky/kernel.c', '--screen', 'none']);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('The kernel panicked at tick 0: PANIC: student says 42\n');
    // The same through the workspace folder.
    const viaDir = weensy(['run', '--kernel', 'panicky', '--json']);
    expect(viaDir.status).toBe(3);
    expect(JSON.parse(viaDir.stdout)).toMatchObject({ stop: 'panic', panic: 'PANIC: student says 42', kernel: 'panicky/kernel.c' });
  });

  it('prints compile errors as gcc does and exits 1', SLOW, () => {
    write('broken/kernel.c', weensyosFile('kernel.c')!.replace('void kernel(const char* command) {', 'void kernel(const char* command) {\n    undeclared_thing = 1;'));
    const r = weensy(['run', '--kernel', 'broken']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^broken\/kernel\.c:\d+:5: error: .*undeclared_thing/m);
    expect(r.stderr).toMatch(/\|\s+undeclared_thing = 1;\n\s+\|\s+\^/);
    expect(r.stdout).toBe('');
  });

  it('--key presses a key at a tick: q powers off', SLOW, () => {
    const r = weensy(['run', '--key', 'q@12', '--ticks', '100', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stop).toBe('poweroff');
    expect(j.ticks).toBeGreaterThanOrEqual(12);
    expect(j.ticks).toBeLessThan(15);
  });
});

describe('weensy check', () => {
  it('fails a kernel that panics at boot, step by step, and exits 1', SLOW, () => {
    const r = weensy(['check', '--kernel', 'panicky']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Step 1: Kernel isolation \(KernelIsolated\) +FAIL$/m);
    expect(r.stdout).toMatch(/^Step 5: Fork \(Fork\) +FAIL$/m);
    expect(r.stdout).toContain('Problems with the allocator run (they fail steps 1-4):\n    - the kernel panicked before the first dump: PANIC: student says 42\n');
    expect(r.stdout).toContain('Problems with the fork run (they fail step 5):\n');
    expect(r.stdout).toMatch(/\n0 of 5 steps pass\.\n$/);
    const j = JSON.parse(weensy(['check', '--kernel', 'panicky', '--json']).stdout);
    expect(j.passed).toBe(false);
    expect(j.steps.map((s: { verdict: string }) => s.verdict)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail']);
  });
});
