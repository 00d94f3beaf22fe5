// Prints tokens as text: a newline before a token that starts a line, a
// space where there was whitespace, and a space wherever two tokens would
// otherwise run together into different ones (like gcc -E's avoid_paste).
// For tests and for showing preprocessed output to a person.

import { DiagnosticSink } from '../diagnostic';
import { Lexer } from '../lex/lexer';
import type { Token } from '../token';

export function tokensToText(tokens: readonly Token[]): string {
  let out = '';
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    if (prev !== undefined) {
      if (t.lineStart) out += '\n';
      else if (t.spaceBefore || wouldMerge(prev, t)) out += ' ';
    }
    out += t.text;
    prev = t;
  }
  return out;
}

/** True if `a` written right before `b` would not lex back as those two tokens. */
function wouldMerge(a: Token, b: Token): boolean {
  // Pairs are checked by lexing them; the one triple that pairs miss is `. . .` becoming `...`.
  if (a.text === '.' && b.text.startsWith('.')) return true;
  const text = a.text + b.text;
  const lexer = new Lexer({ path: '<print>', text }, new DiagnosticSink());
  const first = lexer.next();
  return first.text !== a.text || first.range.end.offset !== a.text.length;
}
