// The ## operator (C11 6.10.3.3): joins two tokens' spellings and keeps the
// result only if it lexes as exactly one preprocessing token.

import { DiagnosticSink } from '../diagnostic';
import { Lexer } from '../lex/lexer';
import type { Expansion } from '../token';
import { spanRange, type PPToken } from './pp-token';

/** The pasted token, or undefined if `lhs` and `rhs` do not form a valid token. */
export function pasteTokens(lhs: PPToken, rhs: PPToken, expansion: Expansion): PPToken | undefined {
  // `/` followed by `/` or `*` would lex as a comment; gcc separates them so the paste fails instead.
  const text = lhs.text + (lhs.kind === 'punct' && lhs.text === '/' && rhs.text !== '=' ? ' ' : '') + rhs.text;
  const sink = new DiagnosticSink();
  const lexer = new Lexer({ path: '<paste>', text }, sink);
  const t = lexer.next();
  if (t.kind === 'eof' || t.range.end.offset !== text.length || sink.all.length > 0) return undefined;
  return {
    kind: t.kind,
    text: t.text,
    range: spanRange(lhs, rhs),
    expansion,
    spaceBefore: lhs.spaceBefore,
    lineStart: false,
  };
}
