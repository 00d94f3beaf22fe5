// Robustness: the preprocessor never throws and never hangs on malformed
// input (ARCHITECTURE.md, invariant 8). Every differential fixture is cut
// short at many offsets and mutated with seeded random edits; each run must
// return normally, end its tokens with exactly one 'eof', and report only
// well-formed diagnostics. The random numbers come from a fixed xorshift
// generator, so a failure reproduces exactly.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { preprocess, type PreprocessResult } from '../../emulator/cc/preprocess/preprocess';
import { BUILTIN, hostOf, parseFixture, type Fixture } from './preprocess-helpers';
import { xorshift } from '../support/xorshift';

const DIR = fileURLToPath(new URL('./fixtures/preprocess/', import.meta.url));
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.c'))
  .sort()
  .map((f) => parseFixture(f, readFileSync(join(DIR, f), 'utf8')));

/** The shared seeded generator, with a helper for bounded values. */
class XorShift {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = xorshift(seed);
  }
  below(n: number): number {
    return this.next() % n;
  }
}

/** Fragments that upset a preprocessor: quotes, splices, comment starts, operators, directives, parentheses. */
const FRAGMENTS = [
  '"', "'", '\\', '\\\n', '\n', '/*', '*/', '//', '#', '##', '(', ')', ',', '...', '<', '>', '0x', '1e+', '\0',
  '#define ', '#if ', '#elif ', '#else\n', '#endif\n', '#include "main.c"\n', '#include <', '__VA_ARGS__', '__VA_OPT__(',
  'defined(', '__LINE__', '__COUNTER__', '_Pragma(', '__has_include(', 'R"x(', 'u8"', 'L\'', '??/', 'é', ' ',
];

function mutate(text: string, rng: XorShift): string {
  let out = text;
  const edits = 1 + rng.below(4);
  for (let i = 0; i < edits; i++) {
    const at = out.length === 0 ? 0 : rng.below(out.length);
    const kind = rng.below(3);
    const fragment = FRAGMENTS[rng.below(FRAGMENTS.length)]!;
    if (kind === 0) out = out.slice(0, at) + fragment + out.slice(at);
    else if (kind === 1) out = out.slice(0, at) + fragment + out.slice(at + 1 + rng.below(8));
    else out = out.slice(0, at) + out.slice(at + 1 + rng.below(16));
  }
  return out;
}

function runOn(f: Fixture, files: Record<string, string>): PreprocessResult {
  const builtinHeaders = new Map(
    Object.entries(files)
      .filter(([path]) => path.startsWith(BUILTIN))
      .map(([path, text]) => [path.slice(BUILTIN.length), text]),
  );
  return preprocess(
    { path: 'main.c', text: files['main.c']! },
    { host: hostOf(files), includePaths: f.includePaths, builtinHeaders, defines: f.defines, undefines: [], limits: { maxSteps: 200_000 } },
  );
}

/** What every run must satisfy, as a list of problems (empty when all is well). */
function problems(r: PreprocessResult): string[] {
  const found: string[] = [];
  const eofs = r.tokens.filter((t) => t.kind === 'eof').length;
  if (eofs !== 1 || r.tokens[r.tokens.length - 1]?.kind !== 'eof') found.push(`tokens end badly (${eofs} eof tokens)`);
  for (const d of r.diagnostics) {
    const p = d.range.start;
    if (d.message === '' || p.line < 1 || p.column < 1 || d.range.end.offset < p.offset && d.range.end.file === p.file) found.push(`malformed diagnostic ${JSON.stringify(d)}`);
    if (d.message.startsWith('internal error')) found.push(d.message);
  }
  for (const t of r.tokens) if (t.range.start.line < 1 || t.range.start.column < 1) found.push(`token ${t.text} has no position`);
  return found;
}

describe('robustness on damaged fixtures', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s, cut short at 32 places', (_name, f) => {
    const main = f.files['main.c']!;
    const failures: string[] = [];
    for (let i = 0; i <= 32; i++) {
      const cut = Math.floor((main.length * i) / 32);
      const r = runOn(f, { ...f.files, 'main.c': main.slice(0, cut) });
      failures.push(...problems(r).map((p) => `cut at ${cut}: ${p}`));
    }
    expect(failures).toEqual([]);
  });

  it.each(fixtures.map((f, i) => [f.name, f, i] as const))('%s, with 40 seeded mutants', (_name, f, seed) => {
    const rng = new XorShift(0x9e3779b9 ^ (seed * 0x85ebca6b));
    const paths = Object.keys(f.files);
    const failures: string[] = [];
    for (let i = 0; i < 40; i++) {
      const path = paths[rng.below(paths.length)]!;
      const files = { ...f.files, [path]: mutate(f.files[path]!, rng) };
      const r = runOn(f, files);
      failures.push(...problems(r).map((p) => `mutant ${i} of ${path}: ${p}\n${files[path]}`));
    }
    expect(failures).toEqual([]);
  });
});

describe('robustness on pathological input', () => {
  const cases: [string, string][] = [
    ['a main file that includes itself', '#include "main.c"\nx'],
    ['an exponential macro', `#define a0 x\n${Array.from({ length: 60 }, (_, i) => `#define a${i + 1} a${i} a${i}`).join('\n')}\na60`],
    ['deeply nested #if parentheses', `#if ${'('.repeat(5000)}1${')'.repeat(5000)}\n#endif`],
    ['a long chain of unary operators', `#if ${'-'.repeat(5000)}1\n#endif`],
    ['a long ?: chain', `#if ${'1?'.repeat(3000)}1${':0'.repeat(3000)}\n#endif`],
    ['deeply nested invocations', `#define f(x) x\n${'f('.repeat(600)}1${')'.repeat(600)}`],
    ['an unterminated invocation of great depth', `#define f(x) x\n${'f('.repeat(3000)}`],
    ['ten thousand nested #ifs', `${'#if 1\n'.repeat(10000)}x`],
    ['only splices', '\\\n'.repeat(1000)],
    ['a file of NULs and quotes', '\0"\0\'\0'.repeat(100)],
    ['a macro whose expansion defines nothing but itself', '#define d(x) d(d(x))\nd(d(d(1)))'],
  ];
  it.each(cases)('%s', (_name, text) => {
    const r = preprocess(
      { path: 'main.c', text },
      { host: hostOf({ 'main.c': text }), includePaths: [], builtinHeaders: new Map(), defines: new Map(), undefines: [], limits: { maxSteps: 200_000 } },
    );
    expect(problems(r)).toEqual([]);
  });
});
