// Robustness: the front end never throws on bad input (ARCHITECTURE.md,
// invariant 8), and the code generator never throws on what the front end
// accepts. Every valid test program (and test.h) is truncated at many
// offsets and mutated with seeded edits (a tiny xorshift generator, so every
// run tries the same inputs and a failure names the seed that found it);
// compileFile must come back with diagnostics, never an exception. Inputs
// are bounded in size, so no case can run for long.
//
// FUZZ_ROUNDS=n multiplies the number of cases and FUZZ_SEED=n changes them
// (for a longer hunt by hand).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, compileFile } from '../../emulator/cc/compile';
import { C_DIR, hostOf } from './compile-helpers';
import { xorshift } from '../support/xorshift';


const MAX_INPUT = 16_000;
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 0);

/** Text that tends to break parsers when dropped into the middle of a program. */
const SNIPPETS = [
  '{', '}', '(', ')', '[', ']', ';', ',', '*', '&', '=', ':', '?', '...', '->', '.', '++', '--', '<<=', '#', '##', '"', "'", '/*', '*/', '\\', '\n#define X(a) a##a\n',
  'int', 'struct', 'union', 'enum', 'typedef', 'static', 'const', 'void', 'char', 'long', 'unsigned', 'sizeof', '_Alignof', 'return', 'goto', 'case 1:', 'default:',
  'break;', 'continue;', 'switch (x)', 'while (1)', 'do', 'else', 'if (', '__attribute__((aligned(8)))', '__attribute__((packed))', 'typeof(', '({', '})', '(struct s){', '[3] =', '.x =',
  ': 3', ': 0', '0x', '1e9', '09', "'\\x'", '"\\777"', '__builtin_va_arg(', '__builtin_offsetof(', '_Static_assert(', 'asm("hlt")', '__func__', 'L"w"', '..', '@', '$', '`',
  '0', '-1', '2147483648', '18446744073709551616', 'x', 'main', 'a[0]', '(int)', '(void *)', '(char)',
];

/** Constants and type words that keep a program valid but push the code generator to its limits. */
const NUMBERS = ['0', '1', '-1', '255', '0x7fffffff', '0x80000000', '0xffffffff', '0x3bffffffff', '0x7fffffffffffffff', '0xffffffffffffffffUL', '4096', '65536', '1000000', '-0x80000000'];
const TYPE_WORDS = ['char', 'short', 'int', 'long', 'unsigned', 'unsigned char', 'signed char', '_Bool', 'unsigned long', 'long long'];

/** Replaces the `n`th match of `re` (counted modulo the matches) using `by`. */
function replaceNth(t: string, re: RegExp, n: number, by: string): string {
  const matches = [...t.matchAll(re)];
  if (matches.length === 0) return t;
  const m = matches[n % matches.length]!;
  return t.slice(0, m.index) + by + t.slice(m.index + m[0].length);
}

function mutate(text: string, rnd: () => number): string {
  let t = text;
  const edits = 1 + (rnd() % 4);
  for (let e = 0; e < edits; e++) {
    const at = t.length === 0 ? 0 : rnd() % t.length;
    switch (rnd() % 8) {
      case 6: // another number (mostly still a valid program)
        t = replaceNth(t, /\b\d+[uUlL]*\b/g, rnd(), NUMBERS[rnd() % NUMBERS.length]!);
        break;
      case 7: // another integer type
        t = replaceNth(t, /\b(char|short|int|long|unsigned)\b/g, rnd(), TYPE_WORDS[rnd() % TYPE_WORDS.length]!);
        break;
      case 0: // delete a span
        t = t.slice(0, at) + t.slice(at + 1 + (rnd() % 40));
        break;
      case 1: // insert a snippet
        t = t.slice(0, at) + SNIPPETS[rnd() % SNIPPETS.length]! + t.slice(at);
        break;
      case 2: {
        // duplicate a span somewhere else
        const from = rnd() % Math.max(1, t.length);
        const span = t.slice(from, from + 1 + (rnd() % 80));
        t = t.slice(0, at) + span + t.slice(at);
        break;
      }
      case 3: // replace one character
        t = t.slice(0, at) + String.fromCharCode(32 + (rnd() % 95)) + t.slice(at + 1);
        break;
      case 4: {
        // swap two lines
        const lines = t.split('\n');
        const i = rnd() % lines.length;
        const j = rnd() % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        t = lines.join('\n');
        break;
      }
      default: // cut everything after a random point, then close what is open
        t = t.slice(0, at) + '\n}'.repeat(rnd() % 3);
    }
  }
  return t.slice(0, MAX_INPUT);
}

interface Input {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

function inputs(): Input[] {
  const out: Input[] = [];
  const add = (path: string): void => {
    out.push({ name: path.slice(C_DIR.length + 1), path, text: readFileSync(path, 'utf8') });
  };
  for (const entry of readdirSync(C_DIR).sort()) {
    const path = join(C_DIR, entry);
    if (statSync(path).isDirectory()) for (const f of readdirSync(path).sort()) add(join(path, f));
    else if (entry.endsWith('.c') || entry.endsWith('.h')) add(path);
  }
  return out;
}

/** Compiles `text` as `path` (test.h and the linkage header are readable); returns what was thrown, if anything. */
function tryCompile(input: Input, text: string): unknown {
  const files: Record<string, string> = { [input.path]: text };
  for (const i of all) if (i.path !== input.path) files[i.path] = i.text;
  const options = { host: hostOf(files), includePaths: [C_DIR] };
  try {
    checkFile({ path: input.path, text }, options);
    compileFile({ path: input.path, text }, options);
    return undefined;
  } catch (e) {
    return e;
  }
}

const all = inputs();

describe('the compiler survives broken programs', () => {
  // Compiles every conformance program: 2-3 s alone, more on a loaded two-core machine, hence the room.
  it('starts from valid programs', { timeout: 30_000 }, () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    for (const i of all.filter((x) => x.path.endsWith('.c'))) {
      const r = compileFile({ path: i.path, text: i.text }, { host: hostOf(Object.fromEntries(all.map((x) => [x.path, x.text]))), includePaths: [C_DIR] });
      expect(r.diagnostics.filter((d) => d.severity === 'error'), i.name).toEqual([]);
    }
  });

  // Inputs that once made the compiler throw, run out of memory or hang; each must now give diagnostics (or compile).
  const regressions: Record<string, string> = {
    'an empty union initialized': 'union e {} u = {1};\nstruct s {} t = {1, 2};',
    'a constant index far outside any object': 'int a[10];\nint main(void) { int l[2]; return a[0x3bffffffffL] + l[-0x3bffffffffL]; }',
    'locals larger than the address space of a frame': 'int f(void) { char a[0x7fffffff]; char b[0x7fffffff]; return a[1] + b[2]; }',
    'a range designator over two billion elements': 'char c[0x7fffffff] = {[0 ... 0x7ffffffe] = 1};',
    'a statement expression outside a function': 'int x = ({ return 1; });\nint y = ({ goto out; out: 2; });',
    'a copy of a two-gigabyte struct': 'struct h { char a[0x7ffffff0]; } a, b;\nvoid f(void) { a = b; }',
    'a huge alignment': 'int x __attribute__((aligned(1 << 30)));\n_Alignas(1 << 30) int y;\nint z __attribute__((aligned(1 << 28))) = 1;',
    'a huge initialized array': 'int big[0x1fffffff] = {1};\nchar s[0x7fffffff] = "x";',
    'a flexible array member initialized': 'struct f { int n; int d[]; } v = {1, {2, 3}};\nint main(void) { struct f l = {1, {2}}; return l.n; }',
  };
  for (const [what, text] of Object.entries(regressions)) {
    it(`survives ${what}`, () => {
      const input: Input = { name: 'regression.c', path: '/regression.c', text };
      expect(tryCompile(input, text)).toBeUndefined();
    });
  }

  for (const [n, input] of all.entries()) {
    it(`truncations and mutations of ${input.name}`, () => {
      const rnd = xorshift(0x9e3779b9 ^ (n * 7919 + 1) ^ SEED);
      const failures: string[] = [];
      const attempt = (what: string, text: string): void => {
        const thrown = tryCompile(input, text);
        if (thrown !== undefined) failures.push(`${what}: ${thrown instanceof Error ? thrown.stack?.split('\n').slice(0, 3).join(' | ') : String(thrown)}`);
      };
      // Truncations at evenly spread offsets, plus a few seeded ones.
      const cuts = 8 * ROUNDS;
      for (let k = 1; k <= cuts; k++) attempt(`cut at ${Math.floor((input.text.length * k) / (cuts + 1))}`, input.text.slice(0, Math.floor((input.text.length * k) / (cuts + 1))));
      for (let k = 0; k < 4 * ROUNDS; k++) {
        const at = rnd() % input.text.length;
        attempt(`cut at ${at}`, input.text.slice(0, at));
      }
      // Seeded mutations.
      for (let k = 0; k < 12 * ROUNDS; k++) {
        const seed = rnd();
        attempt(`mutation seed ${seed}`, mutate(input.text, xorshift(seed)));
      }
      expect(failures, failures.join('\n')).toEqual([]);
    }, 60_000);
  }
});
