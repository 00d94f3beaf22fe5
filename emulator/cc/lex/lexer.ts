// The C lexer: turns one source file into preprocessing tokens (C11 6.4),
// on demand, with exact positions.
//
// Translation phases 2 and 3 (C11 5.1.1.2) happen here. A backslash-newline
// splice may occur anywhere, even inside a token, so every character read
// goes through `at`, which steps over splices; positions keep pointing at the
// physical characters, so a token broken by a splice still has the range the
// user sees in the editor. Comments become whitespace. Trigraphs are off, as
// in gcc's gnu11 mode.

import { DiagnosticSink } from '../diagnostic';
import { LineMap, type SourceFile, type SourceRange } from '../source';
import type { Token, TokenKind } from '../token';
import {
  BACKSLASH, DOT, DQUOTE, GREATER, LESS, LF, CR, MINUS, PLUS, SLASH, SQUOTE, STAR, LPAREN, RPAREN,
  isDigit, isHexDigit, isHorizontalSpace, isIdentContinue, isIdentStart,
} from './chars';
import { punctuatorLength } from './punctuators';

const STRING_PREFIXES = new Set(['L', 'u', 'U', 'u8']);
const CHAR_PREFIXES = new Set(['L', 'u', 'U']);
// gcc accepts C++11 raw strings in its GNU C modes.
const RAW_PREFIXES = new Set(['R', 'LR', 'uR', 'UR', 'u8R']);

export class Lexer {
  /**
   * Set while lexing a group that conditional inclusion skips: problems that
   * only matter in live code (an unmatched quote) are not reported there,
   * as gcc does not report them (C11 6.10.1p6 only asks for tokens).
   */
  skipping = false;
  /** Set while lexing a directive line: an unmatched quote there is a warning, as in gcc, because the line may never be used as C. */
  inDirective = false;
  readonly lineMap: LineMap;
  private readonly text: string;
  private pos = 0;
  private space = false;
  private lineStart = true;
  private readonly warnedSplices = new Set<number>();

  constructor(readonly file: SourceFile, private readonly sink: DiagnosticSink, lineMap?: LineMap) {
    this.text = file.text;
    this.lineMap = lineMap ?? new LineMap(file);
  }

  /** The next token; at the end of the file, an 'eof' token (again on every later call). */
  next(): Token {
    this.skipTrivia(false);
    const start = this.at(this.pos);
    if (start >= this.text.length) {
      this.pos = this.text.length;
      this.lineStart = true;
      return this.make('eof', this.text.length, this.text.length, '');
    }
    const c = this.text.charCodeAt(start);
    if (isIdentStart(c) || (c === BACKSLASH && this.ucnLength(start) > 0)) return this.identifierOrLiteral(start);
    if (isDigit(c) || (c === DOT && isDigit(this.code(this.at(start + 1))))) return this.ppNumber(start);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(start, start, c);
    return this.punctuatorOrOther(start);
  }

  /**
   * True if no token remains on the current line: what ends a directive
   * (C11 6.10p2). Skips whitespace and comments, but not the newline, so
   * the next token still knows it starts a line.
   */
  atLineEnd(): boolean {
    this.skipTrivia(true);
    const p = this.at(this.pos);
    return p >= this.text.length || this.text.charCodeAt(p) === LF;
  }

  /**
   * Lexes a header name `<...>` (C11 6.4.7) if one starts here on this
   * line: only #include and __has_include ask for it, since elsewhere `<`
   * is an operator. Returns undefined, consuming nothing, if there is none.
   */
  headerName(): Token | undefined {
    this.skipTrivia(true);
    const start = this.at(this.pos);
    if (this.text.charCodeAt(start) !== LESS) return undefined;
    let p = start + 1;
    for (;;) {
      const r = this.at(p);
      const c = this.code(r);
      if (r >= this.text.length || c === LF) return undefined;
      if (c === GREATER) {
        this.pos = r + 1;
        return this.make('other', start, r + 1);
      }
      p = r + 1;
    }
  }

  /** The position of the first character at or after `p` that is not part of a backslash-newline splice. */
  private at(p: number): number {
    const t = this.text;
    for (;;) {
      if (t.charCodeAt(p) !== BACKSLASH) return p;
      let q = p + 1;
      // gcc also splices when spaces separate the backslash from the newline, with a warning.
      while (q < t.length && isHorizontalSpace(t.charCodeAt(q)) && t.charCodeAt(q) !== CR) q++;
      let after: number;
      if (t.charCodeAt(q) === LF) after = q + 1;
      else if (t.charCodeAt(q) === CR && t.charCodeAt(q + 1) === LF) after = q + 2;
      else return p;
      if (q > p + 1 && !this.warnedSplices.has(p)) {
        this.warnedSplices.add(p);
        this.sink.warning('backslash and newline separated by space', this.lineMap.range(p, q));
      }
      p = after;
    }
  }

  private code(p: number): number {
    return p < this.text.length ? this.text.charCodeAt(p) : -1;
  }

  /** The spelling of [start, end) with splices removed (C11 5.1.1.2p1, phase 2). */
  private spell(start: number, end: number): string {
    const raw = this.text.slice(start, end);
    if (!raw.includes('\\')) return raw;
    let out = '';
    for (let p = this.at(start); p < end; p = this.at(p + 1)) out += this.text[p];
    return out;
  }

  private make(kind: TokenKind, start: number, end: number, text?: string): Token {
    const token: Token = {
      kind,
      text: text ?? this.spell(start, end),
      range: this.lineMap.range(start, end),
      spaceBefore: this.space,
      lineStart: this.lineStart,
    };
    this.space = false;
    this.lineStart = false;
    return token;
  }

  private range(start: number, end: number): SourceRange {
    return this.lineMap.range(start, end);
  }

  /** Skips whitespace and comments (C11 6.4.9), noting whether any was seen and whether a line ended. */
  private skipTrivia(stopAtNewline: boolean): void {
    for (;;) {
      const p = this.at(this.pos);
      const c = this.code(p);
      if (c === LF) {
        if (stopAtNewline) {
          this.pos = p;
          return;
        }
        this.lineStart = true;
        this.space = true;
        this.pos = p + 1;
      } else if (isHorizontalSpace(c)) {
        this.space = true;
        this.pos = p + 1;
      } else if (c === SLASH && this.code(this.at(p + 1)) === STAR) {
        this.blockComment(p, this.at(p + 1) + 1);
        this.space = true;
      } else if (c === SLASH && this.code(this.at(p + 1)) === SLASH) {
        this.lineComment(this.at(p + 1) + 1);
        this.space = true;
      } else {
        this.pos = p;
        return;
      }
    }
  }

  private blockComment(start: number, p: number): void {
    for (;;) {
      const r = this.at(p);
      if (r >= this.text.length) {
        this.sink.error('unterminated comment', this.range(start, start + 2));
        this.pos = this.text.length;
        return;
      }
      if (this.text.charCodeAt(r) === STAR) {
        const s = this.at(r + 1);
        if (this.code(s) === SLASH) {
          this.pos = s + 1;
          return;
        }
      }
      p = r + 1;
    }
  }

  /** A `//` comment runs to the end of the line; a splice continues it onto the next one. */
  private lineComment(p: number): void {
    for (;;) {
      const r = this.at(p);
      if (r >= this.text.length || this.text.charCodeAt(r) === LF) {
        this.pos = r;
        return;
      }
      p = r + 1;
    }
  }

  /** The length of a universal character name (\uXXXX or \UXXXXXXXX) at `p`, or 0. */
  private ucnLength(p: number): number {
    const u = this.text[p + 1];
    const n = u === 'u' ? 4 : u === 'U' ? 8 : 0;
    if (n === 0) return 0;
    for (let i = 0; i < n; i++) if (!isHexDigit(this.text.charCodeAt(p + 2 + i))) return 0;
    return n + 2;
  }

  /** An identifier (C11 6.4.2), or a string or character literal whose encoding prefix it turns out to be. */
  private identifierOrLiteral(start: number): Token {
    let p = start;
    for (;;) {
      const q = this.at(p);
      const c = this.code(q);
      if (isIdentContinue(c)) p = q + 1;
      else if (c === BACKSLASH && this.ucnLength(q) > 0) p = q + this.ucnLength(q);
      else break;
    }
    const text = this.spell(start, p);
    const q = this.at(p);
    const next = this.code(q);
    if (next === DQUOTE && RAW_PREFIXES.has(text)) return this.rawString(start, q);
    if (next === DQUOTE && STRING_PREFIXES.has(text)) return this.quoted(start, q, DQUOTE);
    if (next === SQUOTE && CHAR_PREFIXES.has(text)) return this.quoted(start, q, SQUOTE);
    this.pos = p;
    return this.make('identifier', start, p, text);
  }

  /** A preprocessing number (C11 6.4.8): digits, letters, '.', and signs after e, E, p or P. */
  private ppNumber(start: number): Token {
    let p = this.at(start) + 1;
    if (this.text.charCodeAt(start) === DOT) p = this.at(p) + 1;
    for (;;) {
      const q = this.at(p);
      const c = this.code(q);
      if (c === 101 || c === 69 || c === 112 || c === 80) {
        const r = this.at(q + 1);
        const s = this.code(r);
        if (s === PLUS || s === MINUS) {
          p = r + 1;
          continue;
        }
      }
      if (isIdentContinue(c) || c === DOT) p = q + 1;
      else if (c === BACKSLASH && this.ucnLength(q) > 0) p = q + this.ucnLength(q);
      else break;
    }
    this.pos = p;
    return this.make('number', start, p);
  }

  /** A string literal or character constant (C11 6.4.4.4, 6.4.5) from `start` (its prefix), whose quote is at `quote`. */
  private quoted(start: number, quote: number, q: number): Token {
    const kind: TokenKind = q === DQUOTE ? 'string' : 'char';
    let p = quote + 1;
    for (;;) {
      const r = this.at(p);
      const c = this.code(r);
      if (r >= this.text.length || c === LF) {
        let end = r;
        if (end > start && this.text.charCodeAt(end - 1) === CR) end--;
        this.unterminated(q, start, end);
        this.pos = end;
        return this.make('other', start, end);
      }
      if (c === q) {
        this.pos = r + 1;
        return this.make(kind, start, r + 1);
      }
      if (c === BACKSLASH) {
        const s = this.at(r + 1);
        p = s < this.text.length && this.text.charCodeAt(s) !== LF ? s + 1 : r + 1;
      } else {
        p = r + 1;
      }
    }
  }

  /**
   * An unmatched quote is undefined behaviour (C11 6.4p3). Like gcc, the
   * lexer keeps the rest of the line as one 'other' token. It is an error in
   * code, a warning in a directive, and nothing in a skipped group.
   */
  private unterminated(q: number, start: number, end: number): void {
    if (this.skipping) return;
    const message = `missing terminating ${String.fromCharCode(q)} character`;
    const range = this.range(start, Math.max(end, start + 1));
    if (this.inDirective) this.sink.warning(message, range);
    else this.sink.error(message, range);
  }

  /**
   * A raw string R"delim(...)delim" (a GNU extension in C). Splices are not
   * processed inside it: its characters are taken exactly as written.
   */
  private rawString(start: number, quote: number): Token {
    let p = quote + 1;
    const t = this.text;
    while (p < t.length && p - quote - 1 <= 16) {
      const c = t.charCodeAt(p);
      if (c === LPAREN) break;
      if (c === RPAREN || c === BACKSLASH || c === DQUOTE || c <= 32 || c === 127) {
        this.sink.error(`invalid character '${t[p] === '\n' ? '\\n' : t[p]}' in raw string delimiter`, this.range(p, p + 1));
        this.pos = p;
        return this.make('other', start, p);
      }
      p++;
    }
    if (t.charCodeAt(p) !== LPAREN) {
      this.sink.error('raw string delimiter longer than 16 characters', this.range(quote, Math.min(p, t.length)));
      this.pos = Math.min(p, t.length);
      return this.make('other', start, this.pos);
    }
    const close = `)${t.slice(quote + 1, p)}"`;
    const found = t.indexOf(close, p + 1);
    const end = found < 0 ? t.length : found + close.length;
    if (found < 0) this.sink.error('unterminated raw string', this.range(start, quote + 1));
    this.pos = end;
    return this.make(found < 0 ? 'other' : 'string', start, end, this.spell(start, quote) + t.slice(quote, end));
  }

  private punctuatorOrOther(start: number): Token {
    const p1 = this.at(start + 1);
    const p2 = this.at(p1 + 1);
    const t = this.text;
    const n = punctuatorLength(t[start]!, t[p1] ?? '', t[p2] ?? '');
    if (n === 0) {
      // A stray character (`@`, a lone backslash...): C11 6.4p1's "each non-white-space character that cannot be one of the above".
      this.pos = start + 1;
      return this.make('other', start, start + 1);
    }
    const end = n === 1 ? start + 1 : n === 2 ? p1 + 1 : p2 + 1;
    this.pos = end;
    return this.make('punct', start, end);
  }
}

/** Lexes a whole file: the tokens, ending with one 'eof' token. */
export function lex(file: SourceFile, sink: DiagnosticSink = new DiagnosticSink()): Token[] {
  const lexer = new Lexer(file, sink);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.next();
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
  }
}
