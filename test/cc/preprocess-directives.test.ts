// The other directives (#define's errors, #undef, #line, #error, #warning,
// #pragma, _Pragma), the built-in macros, and command-line definitions.

import { describe, expect, it } from 'vitest';
import { run, text, tokenNamed, where } from './preprocess-helpers';

describe('#define and #undef errors, with gcc\'s messages and columns', () => {
  it.each([
    ['#define', 'main.c:1:2: error: no macro name given in #define directive'],
    ['#define 3', 'main.c:1:9: error: macro names must be identifiers'],
    ['#define defined', 'main.c:1:9: error: "defined" cannot be used as a macro name'],
    ['#define __VA_ARGS__ 1', 'main.c:1:9: warning: __VA_ARGS__ can only appear in the expansion of a C99 variadic macro'],
    ['#define __has_include 1', 'main.c:1:9: error: "__has_include" cannot be used as a macro name'],
    ['#define f(x, x) x', 'main.c:1:14: error: duplicate macro parameter "x"'],
    ['#define g(x y) x', 'main.c:1:13: error: expected \',\' or \')\', found "y"'],
    ['#define h(1) x', 'main.c:1:11: error: expected parameter name, found "1"'],
    ['#define i(x', "main.c:1:11: error: expected ')' before end of line"],
    ['#define j(x,) x', 'main.c:1:13: error: expected parameter name, found ")"'],
    ['#define k(x...y) x', 'main.c:1:15: error: expected \')\' after "..."'],
    ['#define l(x) #y', "main.c:1:14: error: '#' is not followed by a macro parameter"],
    ['#define m ## a', "main.c:1:11: error: '##' cannot appear at either end of a macro expansion"],
    ['#define n a ##', "main.c:1:13: error: '##' cannot appear at either end of a macro expansion"],
    ['#define o(...) __VA_OPT__(', 'main.c:1:16: error: unterminated __VA_OPT__'],
    ['#define p(...) __VA_OPT__ x', 'main.c:1:16: error: __VA_OPT__ must be followed by an open parenthesis'],
    ['#define q(...) __VA_OPT__(## x)', "main.c:1:27: error: '##' cannot appear at either end of __VA_OPT__"],
    ['#define r(...) __VA_OPT__(__VA_OPT__())', 'main.c:1:27: error: __VA_OPT__ may not appear in a __VA_OPT__'],
    ['#define s(x) __VA_ARGS__', 'main.c:1:14: warning: __VA_ARGS__ can only appear in the expansion of a C99 variadic macro'],
    ['#define t+1', 'main.c:1:9: warning: ISO C99 requires whitespace after the macro name'],
    ['#undef', 'main.c:1:2: error: no macro name given in #undef directive'],
    ['#undef 3', 'main.c:1:8: error: macro names must be identifiers'],
    ['#undef X Y', 'main.c:1:10: warning: extra tokens at end of #undef directive'],
    ['#undef __LINE__', 'main.c:1:8: warning: undefining "__LINE__"'],
  ])('%s', (line, message) => {
    expect(run(line).diagnostics).toEqual([message]);
  });

  it('drops a definition with an error, as gcc does', () => {
    expect(text('#define f(x, x) x\nf(1)')).toBe('f(1)');
  });

  it('lets a function-like macro take # in an object-like body as an ordinary token', () => {
    expect(text('#define H #\n#define HH # ## #\nH HH')).toBe('# ##');
  });
});

describe('#line and line markers', () => {
  it('renumbers the following lines and renames the file for __LINE__ and __FILE__', () => {
    const r = run('__LINE__\n#line 100\n__LINE__ __FILE__\n#line 7 "x.c"\n__LINE__ __FILE__\n# 20 "y.c" 2\n__LINE__ __FILE__');
    expect(r.text).toBe('1\n100 "main.c"\n7 "x.c"\n20 "y.c"');
  });

  it('keeps token positions physical, for the editor', () => {
    const r = run('#line 100\nint x;');
    expect(where(tokenNamed(r, 'x').range)).toBe('main.c:2:5-2:6');
  });

  it('macro-expands the line', () => {
    expect(text('#define L 50\n#define F "f.c"\n#line L F\n__LINE__ __FILE__')).toBe('50 "f.c"');
  });

  it('reports bad #line directives', () => {
    expect(run('#line\n#line x\n#line 5 foo\n#line 6 "a" b').diagnostics).toEqual([
      'main.c:1:2: error: unexpected end of file after #line',
      'main.c:2:7: error: "x" after #line is not a positive integer',
      'main.c:3:9: error: invalid filename "foo"',
      'main.c:4:13: warning: extra tokens at end of #line directive',
    ]);
  });
});

describe('#error, #warning and unknown directives', () => {
  it('reports #error and #warning with their text, spaced as gcc spaces it', () => {
    const r = run('#error hello   world "x" don\'t\n#warning careful  now\nafter');
    expect(r.text).toBe('after');
    expect(r.diagnostics).toEqual([
      "main.c:1:29: warning: missing terminating ' character",
      'main.c:1:2: error: #error hello world "x" don\'t',
      'main.c:2:2: warning: #warning careful now',
    ]);
  });

  it('reports an invalid directive and carries on', () => {
    const r = run('#foo bar\n#!x\nok');
    expect(r.text).toBe('ok');
    expect(r.diagnostics).toEqual(['main.c:1:2: error: invalid preprocessing directive #foo', 'main.c:2:2: error: invalid preprocessing directive #!']);
  });

  it('accepts the null directive, #ident, and a # that does not start a line', () => {
    expect(run('#\n# /* c */\n#ident "v1"\nx # y').text).toBe('x # y');
  });

  it('does not take a # from a macro expansion for a directive', () => {
    expect(text('#define EMPTY\nEMPTY # define X 1\nX')).toBe('# define X 1\nX');
  });

  it('processes directives met while collecting macro arguments, as gcc does', () => {
    expect(text('#define f(x) [x]\nf(a\n#define Z 9\nZ)').replace(/\s+/g, ' ')).toBe('[a 9]');
  });
});

describe('pragmas', () => {
  it('drops unknown pragmas and acts on #pragma GCC warning/error', () => {
    const r = run('#pragma pack(1)\n#pragma GCC warning "beware"\n#pragma GCC error "stop"\nx');
    expect(r.text).toBe('x');
    expect(r.diagnostics).toEqual(['main.c:2:2: warning: beware', 'main.c:3:2: error: stop']);
  });

  it('saves and restores macros with push_macro and pop_macro', () => {
    expect(text('#define X 1\n#pragma push_macro("X")\n#undef X\n#define X 2\nX\n#pragma pop_macro("X")\nX')).toBe('2\n1');
  });

  it('carries out _Pragma and expands it to nothing (C11 6.10.9)', () => {
    // Like gcc, a malformed _Pragma leaves its name and loses what it read: here `(x` and `d`.
    const r = run('a _Pragma("GCC warning \\"w\\"") b _Pragma("once") _Pragma(x) c _Pragma d', {}, {});
    expect(r.text).toBe('a b _Pragma) c _Pragma');
    expect(r.diagnostics.map((d) => d.split('\n')[0])).toEqual([
      'main.c:1:3: warning: w',
      'main.c:1:34: warning: #pragma once in main file',
      'main.c:1:50: error: _Pragma takes a parenthesized string literal',
      'main.c:1:63: error: _Pragma takes a parenthesized string literal',
    ]);
  });

  it('warns about #pragma once in the main file', () => {
    expect(run('#pragma once').diagnostics).toEqual(['main.c:1:2: warning: #pragma once in main file']);
  });
});

describe('built-in macros', () => {
  it('gives __LINE__ as the line of the outermost invocation, or of the argument', () => {
    expect(text('#define f(x) x __LINE__\nf(a\nb\n__LINE__\n)\n__LINE__')).toBe('a\nb\n4 2\n6');
  });

  it('counts with __COUNTER__', () => {
    expect(text('__COUNTER__ __COUNTER__ __COUNTER__')).toBe('0 1 2');
  });

  it('gives fixed __DATE__, __TIME__ and __TIMESTAMP__, so builds are deterministic', () => {
    expect(text('__DATE__ __TIME__ __TIMESTAMP__')).toBe('"Jan  1 1970" "00:00:00" "Thu Jan  1 00:00:00 1970"');
  });

  it('leaves __func__ to the parser', () => {
    expect(text('__func__')).toBe('__func__');
  });

  it('escapes file names in __FILE__', () => {
    expect(text('#line 1 "a\\\\b\\"c.c"\n__FILE__')).toBe('"a\\\\b\\"c.c"');
  });

  it('lets built-ins be redefined, with a warning', () => {
    const r = run('#define __LINE__ 5\n__LINE__');
    expect([r.text, r.diagnostics]).toEqual(['5', ['main.c:1:9: warning: "__LINE__" redefined']]);
  });
});

describe('command-line definitions', () => {
  it('defines -D names, function-like ones included, before the first line', () => {
    const defines = new Map([['TICK_LIMIT', '1000'], ['FORCE_FORK', '1'], ['SQ(x)', '((x)*(x))']]);
    const r = run('TICK_LIMIT FORCE_FORK SQ(3)', {}, { defines });
    expect(r.text).toBe('1000 1 ((3)*(3))');
    expect(r.result.macros.get('TICK_LIMIT')!.range.start.file).toBe('<command-line>');
  });

  it('applies -U after -D, and can remove predefined macros', () => {
    const r = run('X __x86_64__ __STDC_HOSTED__', {}, { defines: new Map([['X', '1']]), undefines: ['X', '__x86_64__'] });
    expect(r.text).toBe('X __x86_64__ 0');
  });

  it('makes __STDC_HOSTED__ an option', () => {
    expect(text('__STDC_HOSTED__', {}, { hosted: true })).toBe('1');
  });
});
