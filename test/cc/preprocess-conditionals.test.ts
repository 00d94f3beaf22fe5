// Conditional inclusion (C11 6.10.1): the directives, the #if expression
// evaluator's arithmetic, and their diagnostics with gcc's wording and columns.

import { describe, expect, it } from 'vitest';
import { run, text } from './preprocess-helpers';

/** True if `#if expr` takes its group. */
const holds = (expr: string, defs = ''): boolean => text(`${defs}#if ${expr}\nyes\n#else\nno\n#endif`) === 'yes';
const errorsOf = (expr: string): string[] => run(`#if ${expr}\n#endif`).diagnostics;

describe('choosing groups', () => {
  it('takes the first group whose condition holds', () => {
    const src = (v: number): string => `#define V ${v}\n#if V == 1\none\n#elif V == 2\ntwo\n#elif V == 2\nagain\n#else\nother\n#endif`;
    expect([1, 2, 3].map((v) => text(src(v)))).toEqual(['one', 'two', 'other']);
  });

  it('handles #ifdef, #ifndef, #elifdef and #elifndef', () => {
    const src = '#define A\n#ifdef A\na\n#endif\n#ifndef A\nna\n#endif\n#ifdef B\nb\n#elifdef A\nea\n#endif\n#if 0\n#elifndef B\nenb\n#endif';
    expect(text(src)).toBe('a\nea\nenb');
  });

  it('nests, and evaluates nothing inside a skipped group', () => {
    const src = '#if 0\n#if 1/0\n#else\nx\n#endif\n#elif 1\ny\n#endif';
    const r = run(src);
    expect([r.text, r.diagnostics]).toEqual(['y', []]);
  });

  it('does not evaluate an #elif once a group was taken', () => {
    expect(run('#if 1\na\n#elif 1/0\nb\n#endif').diagnostics).toEqual([]);
  });

  it('ignores malformed text and unknown directives in skipped groups', () => {
    const r = run("#if 0\ndon't \"stop\n#bogus\n#error no\n#else\nok\n#endif");
    expect([r.text, r.diagnostics]).toEqual(['ok', []]);
  });

  it('keeps each file\'s conditionals to itself', () => {
    const r = run('#include "a.h"\nafter\n#endif', { 'a.h': '#if 1\ninside\n' });
    expect(r.text).toBe('inside\nafter');
    expect(r.diagnostics).toEqual(['a.h:1:2: error: unterminated #if', 'main.c:3:2: error: #endif without #if']);
  });
});

describe('#if expressions', () => {
  it('has defined in both forms, on names that are not expanded', () => {
    const defs = '#define A B\n#define E\n';
    expect([holds('defined A', defs), holds('defined(E)', defs), holds('defined ( B )', defs), holds('!defined X && defined A', defs)]).toEqual([
      true, true, false, true,
    ]);
  });

  it('evaluates defined produced by a macro, as gcc does', () => {
    expect(holds('D(B)', '#define A\n#define D(x) defined(x) || defined A\n')).toBe(true);
    // The argument is expanded before substitution, so an empty macro leaves `defined()`, as in gcc.
    expect(run('#define A\n#define D(x) defined(x)\n#if D(A)\n#endif').diagnostics).toEqual([
      'main.c:3:5: error: operator "defined" requires an identifier\nmain.c:3:5: note: in expansion of macro \'D\'',
    ]);
  });

  it('treats identifiers left after expansion as 0, keywords and true included', () => {
    expect([holds('undefined_name == 0'), holds('true'), holds('sizeof'), holds('F', '#define F(x) x\n')]).toEqual([true, false, false, false]);
  });

  it('knows the built-in names to defined and #ifdef', () => {
    expect(text('#if defined(__has_include) && defined __LINE__ && defined(_Pragma)\nok\n#endif\n#ifdef __COUNTER__\nok2\n#endif')).toBe('ok\nok2');
  });

  it('computes in 64 bits with C\'s precedence', () => {
    expect(holds('1 + 2 * 3 == 7 && (1 + 2) * 3 == 9 && 7 / 2 == 3 && -7 / 2 == -3 && -7 % 2 == -1')).toBe(true);
    expect(holds('(1 << 40) == 0x10000000000 && 0x7fffffffffffffff > 0 && (3 & 5) == 1 && (3 | 5) == 7 && (3 ^ 5) == 6 && ~0 == -1')).toBe(true);
    expect(holds('1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && 1 != 2 && !0 && (0 ? 1 : 2) == 2 && (1, 2) == 2')).toBe(true);
  });

  it('makes the comparison unsigned when either side is (the usual arithmetic conversions)', () => {
    expect([holds('-1 > 0u'), holds('-1 > 0'), holds('(1 ? -1 : 0u) > 0'), holds('0xffffffffffffffff == -1'), holds('18446744073709551615 == -1')]).toEqual([
      true, false, true, true, true,
    ]);
  });

  it('gives shifts gcc\'s results at and beyond the width', () => {
    expect(holds('(1u << 64) == 0 && (-1 >> 70) == -1 && (1 >> 64) == 0 && (8 >> -1) == 16 && (-8 >> 1) == -4')).toBe(true);
  });

  it('values character constants as gcc does on x86-64 (signed char, multi-character ints)', () => {
    expect(holds("'a' == 97 && '\\377' == -1 && '\\n' == 10 && '\\x41' == 65 && 'ab' == 24930 && L'\\xffffffff' == -1")).toBe(true);
    expect(holds("u'\\xffff' == 65535 && U'\\xffffffff' == 4294967295 && L'ab' == 'b' && 'abcde' == 'bcde' && '\\e' == 27")).toBe(true);
  });

  it('short-circuits && || and ?:, suppressing errors in the unevaluated operand', () => {
    const r = run('#if (0 && 1/0) || (1 || 1/0) || (1 ? 2 : 1/0)\nok\n#endif');
    expect([r.text, r.diagnostics]).toEqual(['ok', []]);
  });

  it('warns about signed overflow and wraps', () => {
    const r = run('#if 0x7fffffffffffffff + 1 < 0 && (-9223372036854775807 - 1) / -1 < 0\nwrapped\n#endif');
    expect(r.text).toBe('wrapped');
    expect(r.diagnostics).toEqual([
      'main.c:1:28: warning: integer overflow in preprocessor expression',
      'main.c:1:67: warning: integer overflow in preprocessor expression',
    ]);
  });

  it('warns about constants as gcc does', () => {
    const r = run("#if 18446744073709551615 && 'ab' && 99999999999999999999\n#endif");
    expect(r.diagnostics).toEqual([
      'main.c:1:5: warning: integer constant is so large that it is unsigned',
      'main.c:1:29: warning: multi-character character constant',
      'main.c:1:37: warning: integer constant is too large for its type',
    ]);
  });

  it('answers __has_include for both forms', () => {
    const files = { 'there.h': '', 'inc/sys.h': '' };
    const r = run('#if __has_include("there.h") && !__has_include("missing.h") && __has_include(<sys.h>) && !__has_include(<there.h>)\nok\n#endif', files, {
      includePaths: ['inc'],
    });
    expect([r.text, r.diagnostics]).toEqual(['ok', []]);
  });

  it('answers __has_attribute and __has_builtin for what the compiler supports', () => {
    expect(text('#if __has_attribute(packed) && __has_attribute(__aligned__) && !__has_attribute(fancy) && __has_builtin(__builtin_va_arg)\nok\n#endif')).toBe('ok');
  });
});

describe('#if errors, with gcc\'s messages and columns', () => {
  it.each([
    ['', 'main.c:1:2: error: #if with no expression'],
    ['1 +', "main.c:1:7: error: operator '+' has no right operand"],
    ['(1', "main.c:1:5: error: missing ')' in expression"],
    [')', "main.c:1:5: error: missing '(' in expression"],
    ['1 2', 'main.c:1:7: error: missing binary operator before token "2"'],
    ['* 2', "main.c:1:5: error: operator '*' has no left operand"],
    ['()', "main.c:1:6: error: missing expression between '(' and ')'"],
    ['1 ? 2', "main.c:1:7: error: '?' without following ':'"],
    ['1 : 2', "main.c:1:7: error: ':' without preceding '?'"],
    ['"s"', 'main.c:1:5: error: token ""s"" is not valid in preprocessor expressions'],
    ['x = 1', 'main.c:1:7: error: token "=" is not valid in preprocessor expressions'],
    ['= 1', 'main.c:1:5: error: token "=" is not valid in preprocessor expressions'],
    ['1.0', 'main.c:1:5: error: floating constant in preprocessor expression'],
    ['08', 'main.c:1:5: error: invalid digit "8" in octal constant'],
    ['1xyz', 'main.c:1:5: error: invalid suffix "xyz" on integer constant'],
    ['x(1)', 'main.c:1:6: error: missing binary operator before token "("'],
    ['1/0', 'main.c:1:6: error: division by zero in #if'],
    ['1 % (2 - 2)', 'main.c:1:7: error: division by zero in #if'],
    ['defined', 'main.c:1:5: error: operator "defined" requires an identifier'],
    ['defined(X', 'main.c:1:13: error: missing \')\' after "defined"'],
    ['defined 3', 'main.c:1:13: error: operator "defined" requires an identifier'],
    ["''", 'main.c:1:5: error: empty character constant'],
  ])('#if %s', (expr, message) => {
    expect(errorsOf(expr)).toEqual([message]);
  });

  it('leaves no macro disabled when an error stops the expression midway', () => {
    const r = run('#define B 1 2 3\n#if B\n#endif\nB');
    expect(r.text).toBe('1 2 3');
    expect(r.diagnostics).toEqual(['main.c:2:5: error: missing binary operator before token "2"\nmain.c:2:5: note: in expansion of macro \'B\'']);
  });

  it('skips the group after an error', () => {
    expect(text('#if 1 +\nno\n#else\nyes\n#endif')).toBe('yes');
  });
});

describe('misplaced and missing directives', () => {
  it('reports stray #else, #elif and #endif', () => {
    expect(run('#else\n#endif\n#elif 1\nx').diagnostics).toEqual([
      'main.c:1:2: error: #else without #if',
      'main.c:2:2: error: #endif without #if',
      'main.c:3:2: error: #elif without #if',
    ]);
  });

  it('reports #else and #elif after #else, noting where the conditional began', () => {
    const r = run('#if 0\n#else\na\n#else\nb\n#elif 1\nc\n#endif');
    expect(r.text).toBe('a');
    expect(r.diagnostics).toEqual([
      'main.c:4:2: error: #else after #else\nmain.c:1:2: note: the conditional began here',
      'main.c:6:2: error: #elif after #else\nmain.c:1:2: note: the conditional began here',
    ]);
  });

  it('reports each unterminated conditional at its directive', () => {
    expect(run('#ifdef A\n#else\n#if 1\nx').diagnostics).toEqual(['main.c:3:2: error: unterminated #if', 'main.c:1:2: error: unterminated #else']);
  });

  it('checks #ifdef operands and extra tokens', () => {
    expect(run('#ifdef\n#endif\n#ifdef 3\n#endif\n#ifdef X Y\n#endif junk\n#ifndef X\n#else junk\n#endif').diagnostics).toEqual([
      'main.c:1:2: error: no macro name given in #ifdef directive',
      'main.c:3:8: error: macro names must be identifiers',
      'main.c:5:10: warning: extra tokens at end of #ifdef directive',
      'main.c:6:8: warning: extra tokens at end of #endif directive',
      'main.c:8:7: warning: extra tokens at end of #else directive',
    ]);
  });
});
