// Macro definition and expansion (C11 6.10.3): object- and function-like
// macros, # and ##, variadic macros with gcc's extensions, rescanning with
// the painted-blue rule, and where expanded tokens say they came from.

import { describe, expect, it } from 'vitest';
import { userRange } from '../../emulator/cc/token';
import { run, text, tokenNamed, where } from './preprocess-helpers';

describe('object-like and function-like macros', () => {
  it('replaces object-like macros, rescanning the result', () => {
    expect(text('#define N 4\n#define M (N * 2)\nint a[M];')).toBe('int a[(4 * 2)];');
  });

  it('expands a function-like macro only before a parenthesis, which may follow on a later line', () => {
    expect(text('#define f(x) <x>\nf f (1) f\n(2) (f)')).toBe('f <1> <2> (f)');
  });

  it('splits arguments at top-level commas only', () => {
    expect(text('#define two(a, b) [a|b]\ntwo((1, 2), f(3, 4)) two(,) two( , x)')).toBe('[(1, 2)|f(3, 4)] [|] [|x]');
  });

  it('expands arguments before substituting them, not when they meet # or ##', () => {
    expect(text('#define A 1\n#define s(x) #x x x##2\ns(A)')).toBe('"A" 1 A2');
  });

  it('treats an empty argument list as one empty argument, or none for a macro without parameters', () => {
    expect(text('#define z() Z\n#define one(x) [x]\nz() one()')).toBe('Z []');
  });

  it('does not warn about an identical redefinition (C11 6.10.3p2)', () => {
    expect(run('#define A (1 +  2)\n#define A (1 + 2) /* same */\nA').diagnostics).toEqual([]);
  });

  it('warns about a different redefinition, as gcc does, and uses the new one', () => {
    const r = run('#define A 1\n#define A 2\n#define F(x) x\n#define F(y) y\nA');
    expect(r.text).toBe('2');
    expect(r.diagnostics).toEqual([
      'main.c:2:9: warning: "A" redefined\nmain.c:1:9: note: this is the location of the previous definition',
      'main.c:4:9: warning: "F" redefined\nmain.c:3:9: note: this is the location of the previous definition',
    ]);
  });

  it('does not expand a macro inside its own expansion, even through another macro', () => {
    expect(text('#define foo foo + 1\n#define a b\n#define b a\nfoo a b')).toBe('foo + 1 a b');
  });

  it('paints a name blue for good once met while its macro is disabled (C11 6.10.3.4p2)', () => {
    // The inner f is met during f's rescan: it stays unexpanded even though a '(' follows outside.
    expect(text('#define f(x) x f\n#define g f(1)\ng(2)')).toBe('1 f(2)');
  });

  it('gives gcc\'s answer for C11 6.10.3.4p4\'s f(2)(9)', () => {
    expect(text('#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)')).toBe('2*9*g');
  });
});

describe('the standard\'s examples (C11 6.10.3.5)', () => {
  it('gives example 3\'s results', () => {
    const src = [
      '#define x 3', '#define f(a) f(x * (a))', '#undef x', '#define x 2', '#define g f', '#define z z[0]', '#define h g(~',
      '#define m(a) a(w)', '#define w 0,1', '#define t(a) a', '#define p() int', '#define q(x) x', '#define r(x,y) x ## y',
      '#define str(x) # x',
      'f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);',
      'g(x+(3,4)-w) | h 5) & m',
      '(f)^m(m);',
      'p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };',
      'char c[2][6] = { str(hello), str() };',
    ].join('\n');
    expect(text(src).replace(/\s+/g, ' ')).toBe(
      'f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1); ' +
        'f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1); ' +
        'int i[] = { 1, 23, 4, 5, }; ' +
        'char c[2][6] = { "hello", "" };',
    );
  });

  it('gives example 4\'s results, including the macro-expanded #include', () => {
    const src = [
      '#define str(s) # s', '#define xstr(s) str(s)',
      '#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\', ' x ## s, x ## t)',
      '#define INCFILE(n) vers ## n', '#define glue(a, b) a ## b', '#define xglue(a, b) glue(a, b)',
      '#define HIGHLOW "hello"', '#define LOW LOW ", world"',
      'debug(1, 2);',
      'fputs(str(strncmp("abc\\0d", "abc", \'\\4\') // this goes away',
      ' == 0) str(: @\\n), s);',
      '#include xstr(INCFILE(2).h)',
      'glue(HIGH, LOW);',
      'xglue(HIGH, LOW)',
    ].join('\n');
    const r = run(src, { 'vers2.h': 'included_vers2' });
    expect(r.diagnostics).toEqual([]);
    expect(r.text.split('\n')).toEqual([
      'printf("x" "1" "= %d, x" "2" "= %s", x1, x2);',
      'fputs("strncmp(\\"abc\\\\0d\\", \\"abc\\", \'\\\\4\') == 0" ": @\\n", s);',
      'included_vers2',
      '"hello";',
      '"hello" ", world"',
    ]);
  });

  it('gives example 5\'s placemarker results', () => {
    const src = '#define t(x,y,z) x ## y ## z\nint j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),\n t(10,,), t(,11,), t(,,12), t(,,) };';
    expect(text(src).replace(/\s+/g, ' ')).toBe('int j[] = { 123, 45, 67, 89, 10, 11, 12, };');
  });

  it('gives example 7\'s variadic results', () => {
    const src = [
      '#define debug(...) fprintf(stderr, __VA_ARGS__)', '#define showlist(...) puts(#__VA_ARGS__)',
      '#define report(test, ...) ((test)?puts(#test):\\', ' printf(__VA_ARGS__))',
      'debug("Flag");', 'debug("X = %d\\n", x);', 'showlist(The first, second, and third items.);',
      'report(x>y, "x is %d but y is %d", x, y);',
    ].join('\n');
    expect(text(src).split('\n')).toEqual([
      'fprintf(stderr, "Flag");',
      'fprintf(stderr, "X = %d\\n", x);',
      'puts("The first, second, and third items.");',
      '((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));',
    ]);
  });
});

describe('the # operator', () => {
  it('collapses whitespace, including newlines and comments, to one space', () => {
    expect(text('#define s(x) #x\ns(  a  /* c */  b\n  c  )')).toBe('"a b c"');
  });

  it('escapes quotes and backslashes in string and character literals only', () => {
    expect(text('#define s(x) #x\ns("\\\\" \'\\\'\' "\\n" \\n)')).toBe('"\\"\\\\\\\\\\" \'\\\\\'\' \\"\\\\n\\" \\n"');
  });

  it('spaces an expanded argument as gcc does', () => {
    const defs = '#define E\n#define S(x) #x\n#define X(x) S(x)\n#define G(x) [x]\n';
    expect(text(`${defs}X(G(E y)) X(( E)) X((E)) X(a+G(b))`)).toBe('"[ y]" "( )" "()" "a+[b]"');
  });

  it('drops a final lone backslash with a warning', () => {
    const r = run('#define s(x) #x\ns(\\)');
    expect(r.text).toBe('""');
    expect(r.diagnostics).toEqual(["main.c:2:1: warning: invalid string literal, ignoring final '\\'\nmain.c:2:1: note: in expansion of macro 's'"]);
  });
});

describe('the ## operator', () => {
  it('pastes identifiers, numbers and punctuators into one token', () => {
    const r = run('#define cat(a, b) a ## b\ncat(x, 1) cat(1, e) cat(-, >) cat(<<, =) cat(L, "s") cat(., 5)');
    expect(r.result.tokens.map((t) => t.text)).toEqual(['x1', '1e', '->', '<<=', 'L"s"', '.5', '']);
  });

  it('rescans a pasted name, which may be a macro', () => {
    expect(text('#define cat(a, b) a ## b\n#define xy 42\n#define f(n) [n]\ncat(x, y) cat(f, )(3)')).toBe('42 [3]');
  });

  it('pastes within object-like macros too', () => {
    expect(text('#define A x ## y ## 1\nA')).toBe('xy1');
  });

  it('reports an invalid paste at the operand and keeps both tokens', () => {
    const r = run('#define cat(a, b) a ## b\ncat(+, -) cat(/, /) cat(a, 1.)');
    expect(r.text).toBe('+ - / / a 1.');
    expect(r.diagnostics.map((d) => d.split('\n')[0])).toEqual([
      'main.c:2:5: error: pasting "+" and "-" does not give a valid preprocessing token',
      'main.c:2:15: error: pasting "/" and "/" does not give a valid preprocessing token',
      'main.c:2:25: error: pasting "a" and "1." does not give a valid preprocessing token',
    ]);
  });

  it('uses gcc\'s __INT64_C-style suffix pasting from the predefined macros', () => {
    expect(text('__INT64_C(5) __UINT64_C(0x10) __UINT32_C(7) __INT8_C(3)')).toBe('5L 0x10UL 7U 3');
  });
});

describe('variadic macros', () => {
  const defs = [
    '#define e(fmt, ...) printf(fmt, ## __VA_ARGS__)',
    '#define n(fmt, args...) printf(fmt , ##args)',
    '#define o(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)',
    '#define p(...) [__VA_OPT__(x ## __VA_ARGS__ ## y)]',
    '#define q(...) #__VA_ARGS__',
    '#define r(x, ...) g(x, ##__VA_ARGS__)',
    '#define s(...) z(, ## __VA_ARGS__)',
    '#define vs(...) #__VA_OPT__(a __VA_ARGS__ b)',
    '#define EMPTY',
    '#define ID(...) __VA_ARGS__',
    '',
  ].join('\n');
  const out = (line: string): string => text(defs + line).replace(/\s+/g, ' ');

  it('passes the variable arguments, commas included, as __VA_ARGS__', () => {
    expect(out('e("a", 1, (2, 3))')).toBe('printf("a", 1, (2, 3))');
  });

  it('drops the comma of `, ## __VA_ARGS__` only when the arguments are left out (gcc)', () => {
    expect(out('e("a") e("a",) e("a", 1) r(1) r() r(1,) s() s(1)')).toBe('printf("a") printf("a",) printf("a", 1) g(1) g() g(1,) z() z(,1)');
  });

  it('accepts GNU named variadic parameters', () => {
    expect(out('n("b") n("b", 1, 2)')).toBe('printf("b") printf("b" , 1, 2)');
  });

  it('keeps __VA_OPT__\'s contents only when the arguments expand to something', () => {
    expect(out('o(1) o(1, 2, 3) o(1,) o(1, EMPTY) o(1, ID())')).toBe('f(1 ) f(1 , 2, 3) f(1 ) f(1 ) f(1 )');
    expect(out('p() p(a) p(a,b)')).toBe('[] [xay] [xa,by]');
  });

  it('stringizes __VA_ARGS__ and #__VA_OPT__', () => {
    expect(out('q() q( a , b ) q(,) vs() vs(1) vs( x  y )')).toBe('"" "a , b" "," "" "a 1 b" "a x y b"');
  });
});

describe('macro argument errors', () => {
  it('reports a wrong argument count at the closing parenthesis and leaves the name', () => {
    const r = run('#define g(x, y) x y\ng(1) after\ng(1,2,3) after2');
    expect(r.text).toBe('g after\ng after2');
    expect(r.diagnostics).toEqual([
      'main.c:2:4: error: macro "g" requires 2 arguments, but only 1 given\nmain.c:1:9: note: macro "g" defined here',
      'main.c:3:8: error: macro "g" passed 3 arguments, but takes just 2\nmain.c:1:9: note: macro "g" defined here',
    ]);
  });

  it('reports an invocation left open at the end of the file', () => {
    const r = run('#define f(x) x\nint a;\nf(1, (2)');
    expect(r.text).toBe('int a;\nf');
    expect(r.diagnostics).toEqual(['main.c:3:1: error: unterminated argument list invoking macro "f"']);
  });

  it('points into the user\'s file through nested expansions, with notes', () => {
    const r = run('#define two(a, b) a b\n#define wrap() two(1)\nx wrap() y');
    expect(r.diagnostics).toEqual([
      'main.c:3:3: error: macro "two" requires 2 arguments, but only 1 given\n' +
        'main.c:1:9: note: macro "two" defined here\n' +
        "main.c:3:3: note: in expansion of macro 'wrap'",
    ]);
  });
});

describe('positions through expansions', () => {
  const src = '#define B(x) (x + y)\n#define A B(1)\nint v = A;\nint w = B(\n  z);';

  it('keeps where body tokens were written, with the chain of expansions', () => {
    const r = run(src);
    const plus = tokenNamed(r, '+');
    expect(where(plus.range)).toBe('main.c:1:17-1:18');
    expect(plus.expansion?.macro).toBe('B');
    expect(where(plus.expansion!.invocation)).toBe('main.c:2:11-2:15');
    expect(plus.expansion?.parent?.macro).toBe('A');
    expect(where(plus.expansion!.parent!.invocation)).toBe('main.c:3:9-3:10');
    expect(plus.expansion?.parent?.parent).toBeUndefined();
    expect(where(userRange(plus))).toBe('main.c:3:9-3:10');
  });

  it('leaves arguments where the user wrote them', () => {
    const r = run(src);
    const one = tokenNamed(r, '1');
    expect(where(one.range)).toBe('main.c:2:13-2:14');
    expect(one.expansion?.macro).toBe('A');
    const z = tokenNamed(r, 'z');
    expect(where(z.range)).toBe('main.c:5:3-5:4');
    expect(z.expansion).toBeUndefined();
  });

  it('spans an invocation from its name to its closing parenthesis', () => {
    const r = run(src);
    const y = tokenNamed(r, 'y', 1);
    expect(where(y.expansion!.invocation)).toBe('main.c:4:9-5:5');
  });

  it('points a pasted token at its operands, and a stringized one at the # and its parameter', () => {
    const r = run('#define cat(a, b) a ## b\n#define s(a) # a\ncat(x, y) s(q)');
    expect(where(tokenNamed(r, 'xy').range)).toBe('main.c:3:5-3:9');
    expect(where(tokenNamed(r, '"q"').range)).toBe('main.c:2:14-2:17');
  });

  it('marks output spacing and line starts for printing', () => {
    const r = run('#define A a  b\nx A;\nA');
    expect(r.result.tokens.map((t) => [t.text, t.spaceBefore, t.lineStart])).toEqual([
      ['x', true, true], ['a', true, false], ['b', true, false], [';', false, false], ['a', true, true], ['b', true, false], ['', false, true],
    ]);
  });
});

describe('the macros in the result', () => {
  it('describes each macro for the language server', () => {
    const r = run('#define PAGESIZE 4096\n#define ROUNDUP(x,  n) (((x) + (n) - 1) / (n) * (n))\n#define log(fmt, args...) f(fmt, args)\n#define G\n#undef G');
    const page = r.result.macros.get('PAGESIZE')!;
    expect([page.params, page.variadic, page.body, where(page.range), page.builtin]).toEqual([undefined, false, '4096', 'main.c:1:9-1:17', false]);
    const round = r.result.macros.get('ROUNDUP')!;
    expect([round.params, round.body]).toEqual([['x', 'n'], '(((x) + (n) - 1) / (n) * (n))']);
    expect([r.result.macros.get('log')!.params, r.result.macros.get('log')!.variadic]).toEqual([['fmt', 'args'], true]);
    expect(r.result.macros.has('G')).toBe(false);
    expect(r.result.macros.get('__LINE__')!.builtin).toBe(true);
    expect(r.result.macros.get('__x86_64__')!.range.start.file).toBe('<built-in>');
  });
});

describe('limits', () => {
  it('stops a runaway expansion with a diagnostic instead of hanging', () => {
    const defs = Array.from({ length: 40 }, (_, i) => `#define x${i + 1} x${i} x${i}`).join('\n');
    const r = run(`#define x0 a\n${defs}\nx40`, {}, { limits: { maxSteps: 100_000 } });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatch(/^main\.c:42:1: error: preprocessing stopped after 100000 steps/);
    expect(r.result.tokens[r.result.tokens.length - 1]!.kind).toBe('eof');
  });

  it('bounds macro invocations nested in arguments', () => {
    const deep = `${'f('.repeat(50)}1${')'.repeat(50)}`;
    const r = run(`#define f(x) x\n${deep}`, {}, { limits: { maxNesting: 20 } });
    // Past the limit the argument is left unexpanded; rescanning then finds f disabled.
    expect(r.text).toBe(`${'f('.repeat(29)}1${')'.repeat(29)}`);
    expect(r.diagnostics).toEqual(['main.c:2:43: error: macro arguments nested more than 20 deep']);
    expect(run(`#define f(x) x\n${deep}`).text).toBe('1');
  });
});

describe('tokensToText', () => {
  it('separates tokens that would otherwise lex differently, as gcc -E does', () => {
    expect(text('#define P +\n#define M -\n#define DOT .\nP+ -M P P x DOT 5 DOT DOT DOT\n#define cat(a, b) a b\ncat(/, /) cat(/, *) cat(a, b) cat(1, e)')).toBe(
      '+ + - - + + x . 5 . . .\n/ / / * a b 1 e',
    );
  });

  it('keeps the spelling and the line structure of untouched code', () => {
    expect(text('int main(void) {\n    return x->y[0]++ + *p;\n}')).toBe('int main(void) {\nreturn x->y[0]++ + *p;\n}');
  });
});
