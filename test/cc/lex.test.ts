// The C lexer: preprocessing tokens (C11 6.4), their exact positions
// through backslash-newline splices, and its diagnostics.

import { describe, expect, it } from 'vitest';
import { DiagnosticSink, formatDiagnostic } from '../../emulator/cc/diagnostic';
import { lex, Lexer } from '../../emulator/cc/lex/lexer';
import type { Token } from '../../emulator/cc/token';

function tokens(text: string): Token[] {
  return lex({ path: 't.c', text }).filter((t) => t.kind !== 'eof');
}
const texts = (text: string): string[] => tokens(text).map((t) => t.text);
const kinds = (text: string): string[] => tokens(text).map((t) => `${t.kind}:${t.text}`);
/** "line:column-line:column" of a token's range. */
const span = (t: Token): string => `${t.range.start.line}:${t.range.start.column}-${t.range.end.line}:${t.range.end.column}`;
function diagnostics(text: string, setup?: (l: Lexer) => void): string[] {
  const sink = new DiagnosticSink();
  const lexer = new Lexer({ path: 't.c', text }, sink);
  setup?.(lexer);
  while (lexer.next().kind !== 'eof');
  return sink.all.map(formatDiagnostic);
}

describe('token kinds', () => {
  it('classifies identifiers, numbers, literals, punctuators and stray characters', () => {
    expect(kinds(`int x_1 = 0x1F + 'c' ; "s" @ \` \\ $dollar é`)).toEqual([
      'identifier:int', 'identifier:x_1', 'punct:=', 'number:0x1F', 'punct:+', "char:'c'", 'punct:;', 'string:"s"',
      'other:@', 'other:`', 'other:\\', 'identifier:$dollar', 'identifier:é',
    ]);
  });

  it('lexes pp-numbers greedily, signs only after e, E, p, P (C11 6.4.8)', () => {
    expect(texts('1e+5 0x1p-3 1.2.3 0xe+1 12ab .5 1..2 1-2 0x1P+')).toEqual(['1e+5', '0x1p-3', '1.2.3', '0xe+1', '12ab', '.5', '1..2', '1', '-', '2', '0x1P+']);
  });

  it('takes the longest punctuator (C11 6.4p4)', () => {
    expect(texts('a+++++b')).toEqual(['a', '++', '++', '+', 'b']);
    expect(texts('x<<=y>>=z->w')).toEqual(['x', '<<=', 'y', '>>=', 'z', '->', 'w']);
    expect(texts('.. ... ....')).toEqual(['.', '.', '...', '...', '.']);
    expect(texts('## # %: <:')).toEqual(['##', '#', '%', ':', '<', ':']);
  });

  it('keeps encoding prefixes with their literals, and u8 char constants are not C11', () => {
    expect(kinds(`L"a" u"b" U"c" u8"d" L'e' u'f' U'g' u8'h' Lx"i"`)).toEqual([
      'string:L"a"', 'string:u"b"', 'string:U"c"', 'string:u8"d"', "char:L'e'", "char:u'f'", "char:U'g'",
      'identifier:u8', "char:'h'", 'identifier:Lx', 'string:"i"',
    ]);
  });

  it('keeps escaped quotes inside literals', () => {
    expect(texts(`"a\\"b" '\\'' "\\\\" x`)).toEqual(['"a\\"b"', "'\\''", '"\\\\"', 'x']);
  });

  it('reads raw strings (a GNU extension in C) without escapes or splices', () => {
    const ts = tokens('R"x(a)"b\\\nc)x" LR"(q)" y');
    expect(ts.map((t) => t.text)).toEqual(['R"x(a)"b\\\nc)x"', 'LR"(q)"', 'y']);
    expect(span(ts[0]!)).toBe('1:1-2:5');
  });

  it('accepts universal character names in identifiers', () => {
    expect(kinds('caf\\u00e9 x\\U0001F600y \\u12')).toEqual(['identifier:caf\\u00e9', 'identifier:x\\U0001F600y', 'other:\\', 'identifier:u12']);
  });
});

describe('whitespace, comments and lines', () => {
  it('turns comments into whitespace (C11 5.1.1.2p1, phase 3)', () => {
    const ts = tokens('a/**/b/* x */c // d\ne');
    expect(ts.map((t) => [t.text, t.spaceBefore, t.lineStart])).toEqual([
      ['a', false, true],
      ['b', true, false],
      ['c', true, false],
      ['e', true, true],
    ]);
  });

  it('does not end a line inside a block comment', () => {
    const ts = tokens('a /* one\ntwo */ b\nc');
    expect(ts.map((t) => [t.text, t.lineStart])).toEqual([['a', true], ['b', false], ['c', true]]);
  });

  it('does not take // inside a string for a comment', () => {
    expect(texts('"http://x" y')).toEqual(['"http://x"', 'y']);
  });

  it('handles CRLF line ends', () => {
    const ts = tokens('a\r\n  b\r\n');
    expect(ts.map((t) => [t.text, span(t), t.lineStart])).toEqual([['a', '1:1-1:2', true], ['b', '2:3-2:4', true]]);
  });
});

describe('backslash-newline splices keep exact positions', () => {
  it('joins a token split across lines, with its range over both', () => {
    const ts = tokens('in\\\nt x');
    expect(ts.map((t) => [t.text, span(t)])).toEqual([['int', '1:1-2:2'], ['x', '2:3-2:4']]);
    expect(ts[0]!.range.start.offset).toBe(0);
    expect(ts[0]!.range.end.offset).toBe(5);
  });

  it('splices inside string literals, punctuators and comments', () => {
    expect(texts('"ab\\\ncd" -\\\n> /\\\n* c *\\\n/ q')).toEqual(['"abcd"', '->', 'q']);
  });

  it('continues a // comment onto the next line', () => {
    expect(texts('// a \\\n b\nc')).toEqual(['c']);
  });

  it('does not make a line start after a splice', () => {
    const ts = tokens('a \\\nb');
    expect(ts.map((t) => [t.text, t.lineStart, t.spaceBefore])).toEqual([['a', true, false], ['b', false, true]]);
  });

  it('accepts spaces between the backslash and the newline, with a warning', () => {
    expect(texts('ab\\  \ncd')).toEqual(['abcd']);
    expect(diagnostics('ab\\  \ncd')).toEqual(['t.c:1:3: warning: backslash and newline separated by space']);
  });
});

describe('malformed input', () => {
  it('reports an unterminated comment where it starts and ends the file', () => {
    expect(diagnostics('a /* b\nc')).toEqual(['t.c:1:3: error: unterminated comment']);
    expect(texts('a /* b\nc')).toEqual(['a']);
  });

  it('keeps an unterminated literal to the end of the line as one token', () => {
    expect(kinds(`x "abc\ny 'q\n`)).toEqual(['identifier:x', 'other:"abc', 'identifier:y', "other:'q"]);
    expect(diagnostics(`x "abc\ny don't`)).toEqual([
      't.c:1:3: error: missing terminating " character',
      "t.c:2:6: error: missing terminating ' character",
    ]);
  });

  it('makes an unterminated literal a warning in a directive and silent in a skipped group', () => {
    expect(diagnostics(`'x`, (l) => (l.inDirective = true))).toEqual(["t.c:1:1: warning: missing terminating ' character"]);
    expect(diagnostics(`'x`, (l) => (l.skipping = true))).toEqual([]);
  });

  it('reports an unterminated raw string and a bad delimiter', () => {
    expect(diagnostics('R"a(b')).toEqual(['t.c:1:1: error: unterminated raw string']);
    // After a bad delimiter the rest lexes as ordinary tokens, so the closing quote is unmatched too.
    expect(diagnostics('R"a b(c)a b"')).toEqual([
      "t.c:1:4: error: invalid character ' ' in raw string delimiter",
      't.c:1:12: error: missing terminating " character',
    ]);
  });

  it('never loops on a file of odd characters', () => {
    const odd = '\\\\\n\\\r\n\0\u2028"\\\n\'\\';
    expect(tokens(odd).length).toBeLessThan(odd.length + 1);
  });
});

describe('directive support', () => {
  it('tells where a directive line ends without consuming the next line', () => {
    const lexer = new Lexer({ path: 't.c', text: '# define X 1 /* c\n */ 2\nnext' }, new DiagnosticSink());
    const line: string[] = [];
    lexer.next();
    while (!lexer.atLineEnd()) line.push(lexer.next().text);
    expect(line).toEqual(['define', 'X', '1', '2']);
    const next = lexer.next();
    expect([next.text, next.lineStart]).toEqual(['next', true]);
  });

  it('lexes a header name only when asked, and only when it is closed on the line', () => {
    const lexer = new Lexer({ path: 't.c', text: ' <sys/a b.h> x\n<y' }, new DiagnosticSink());
    const h = lexer.headerName()!;
    expect([h.text, span(h)]).toEqual(['<sys/a b.h>', '1:2-1:13']);
    expect(lexer.headerName()).toBeUndefined();
    expect(lexer.next().text).toBe('x');
    expect(lexer.headerName()).toBeUndefined();
    expect(lexer.next().text).toBe('<');
  });
});
