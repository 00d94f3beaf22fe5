// Shared by the hosted-mode tests: build and run C programs in-process, and
// compile the same sources natively with gcc when it is installed.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { buildHosted, describeHostedStop, formatDiagnostic, runHosted, type HostedRunOptions, type HostedRunResult, type LinkedImage } from '../../emulator/index';

export const C_DIR = fileURLToPath(new URL('./c/', import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

/** A SourceHost over a map of file texts. */
export function mapHost(files: Readonly<Record<string, string>>): { readFile(path: string): string | undefined } {
  return { readFile: (path) => files[path] };
}

/** Compiles `files` (the first is the main one) and fails the test on any error. */
export function build(files: Readonly<Record<string, string>>, defines?: ReadonlyMap<string, string>): LinkedImage {
  const sources = Object.entries(files).filter(([p]) => p.endsWith('.c')).map(([path, text]) => ({ path, text }));
  const r = buildHosted(sources, { host: mapHost(files), ...(defines ? { defines } : {}) });
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  expect(errors).toEqual([]);
  return r.image!;
}

export interface Ran extends HostedRunResult {
  readonly out: string;
  readonly err: string;
  readonly status: number;
  readonly message: string[];
}

/** Builds and runs a one-file program `prog.c`. */
export function run(source: string, options: Partial<HostedRunOptions> = {}, extraFiles: Readonly<Record<string, string>> = {}): Ran {
  const image = build({ 'prog.c': source, ...extraFiles });
  const r = runHosted(image, { maxInstructions: 20_000_000, argv: ['prog'], ...options });
  const report = describeHostedStop(r, image);
  const dec = new TextDecoder();
  return { ...r, out: dec.decode(r.stdout), err: dec.decode(r.stderr), status: report.status, message: report.message };
}

const programRuns = new Map<string, Ran>();

/** Runs one of the programs in test/hosted/c under weensy (once per test file: runs are deterministic). */
export function runProgramFile(name: string, maxInstructions = 100_000_000): Ran {
  const key = `${name}@${maxInstructions}`;
  let r = programRuns.get(key);
  if (!r) {
    r = run(readFileSync(join(C_DIR, name), 'utf8'), { maxInstructions });
    programRuns.set(key, r);
  }
  return r;
}

let gccChecked: boolean | undefined;
export function haveGcc(): boolean {
  if (gccChecked === undefined) gccChecked = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
  return gccChecked;
}

/** Compiles test/hosted/c/<name> with gcc and returns what it prints on standard output. */
export function runNative(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'weensy-native-'));
  try {
    const exe = join(dir, 'prog');
    execFileSync('gcc', ['-std=gnu11', '-w', '-O0', '-o', exe, join(C_DIR, name)]);
    return execFileSync(exe, { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares `actual` with test/hosted/golden/<name>; UPDATE_GOLDEN=1 rewrites the file. */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 regenerates it)`).toBe(readFileSync(path, 'utf8'));
}
