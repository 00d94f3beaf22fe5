// Differential test: every fixture in fixtures/preprocess/ is preprocessed
// by us and by the system's gcc (-E -P -std=gnu11, with our predefined-macro
// settings), and both outputs, tokenized by our lexer, must be the same
// token sequence (whitespace does not count).
//
// gcc's output is recorded next to each fixture as NAME.expected, and our
// output is always checked against that golden file, so the test does its
// job where gcc is missing too. Where gcc is present the golden file is also
// checked against a fresh gcc run; UPDATE_GOLDEN=1 rewrites the golden files
// from gcc.
//
// A fixture is main.c, optionally followed by more files, each starting at a
// line `//@file PATH` (PATH under `@builtin/` makes a built-in header). Lines
// `//@include-path DIR` and `//@define NAME[=VALUE]` in main.c are options.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../emulator/cc/diagnostic';
import { lex } from '../../emulator/cc/lex/lexer';
import { preprocess } from '../../emulator/cc/preprocess/preprocess';
import { BUILTIN, hostOf, parseFixture, type Fixture } from './preprocess-helpers';

const DIR = fileURLToPath(new URL('./fixtures/preprocess/', import.meta.url));

function ours(f: Fixture): { tokens: string[]; errors: string[] } {
  const builtinHeaders = new Map(
    Object.entries(f.files)
      .filter(([path]) => path.startsWith(BUILTIN))
      .map(([path, text]) => [path.slice(BUILTIN.length), text]),
  );
  const r = preprocess(
    { path: 'main.c', text: f.files['main.c']! },
    { host: hostOf(f.files), includePaths: f.includePaths, builtinHeaders, defines: f.defines, undefines: [] },
  );
  return {
    tokens: r.tokens.filter((t) => t.kind !== 'eof').map((t) => t.text),
    errors: r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
  };
}

/** gcc's -E -P output with our target's macro settings, or undefined if gcc is not installed. */
function gcc(f: Fixture): { stdout: string; status: number | null; stderr: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'weensy-pp-'));
  try {
    for (const [path, text] of Object.entries(f.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    mkdirSync(join(dir, BUILTIN), { recursive: true });
    const args = [
      '-E', '-P', '-std=gnu11', '-ffreestanding', '-nostdinc',
      // Not a Linux target (see predefined-macros.ts).
      '-U__linux__', '-U__linux', '-Ulinux', '-U__gnu_linux__', '-U__unix__', '-U__unix', '-Uunix',
      '-D__WEENSYSCOPE__=1', '-Wno-builtin-macro-redefined',
      '-D__DATE__="Jan  1 1970"', '-D__TIME__="00:00:00"', '-D__TIMESTAMP__="Thu Jan  1 00:00:00 1970"',
      ...f.includePaths.flatMap((p) => ['-I', p]),
      '-idirafter', BUILTIN,
      ...[...f.defines].map(([name, value]) => `-D${name}=${value}`),
      'main.c',
    ];
    const r = spawnSync('gcc', args, { cwd: dir, encoding: 'utf8' });
    if (r.error) return undefined;
    return { stdout: r.stdout, status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tokens of preprocessed text; gcc keeps #pragma lines, which we act on or drop. */
function tokensOf(text: string): string[] {
  const kept = text
    .split('\n')
    .filter((line) => !/^\s*#\s*pragma\b/.test(line))
    .join('\n');
  return lex({ path: 'gcc-output', text: kept })
    .filter((t) => t.kind !== 'eof')
    .map((t) => t.text);
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.c'))
  .sort();
const gccPresent = spawnSync('gcc', ['--version']).error === undefined;

describe(`preprocessor vs gcc (${gccPresent ? 'live gcc and golden files' : 'golden files only: gcc not found'})`, () => {
  it('has a corpus of at least 40 fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  it.each(names)('%s', (file) => {
    const fixture = parseFixture(file, readFileSync(join(DIR, file), 'utf8'));
    const goldenPath = join(DIR, file.replace(/\.c$/, '.expected'));
    const live = gccPresent ? gcc(fixture) : undefined;
    if (live !== undefined) expect(live.status, `gcc failed on ${file}:\n${live.stderr}`).toBe(0);
    if (process.env.UPDATE_GOLDEN === '1' && live !== undefined) writeFileSync(goldenPath, live.stdout);
    expect(existsSync(goldenPath), `${goldenPath} is missing: run UPDATE_GOLDEN=1 where gcc is installed`).toBe(true);
    const golden = tokensOf(readFileSync(goldenPath, 'utf8'));
    if (live !== undefined) expect(golden, 'the golden file is stale: run UPDATE_GOLDEN=1').toEqual(tokensOf(live.stdout));
    const result = ours(fixture);
    expect(result.errors).toEqual([]);
    expect(result.tokens.join(' ')).toBe(golden.join(' '));
    expect(result.tokens).toEqual(golden);
  });
});
