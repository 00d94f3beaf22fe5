import type { SourceRange } from './source';

/**
 * Preprocessing-token kinds (C11 6.4). Keywords are identifiers until the
 * parser looks at them; numbers are pp-numbers until the parser converts them.
 */
export type TokenKind = 'identifier' | 'number' | 'char' | 'string' | 'punct' | 'other' | 'eof';

/** One level of macro expansion a token came through (innermost first in a chain). */
export interface Expansion {
  /** The macro's name. */
  readonly macro: string;
  /** Where the macro was invoked (its name, through the closing parenthesis). */
  readonly invocation: SourceRange;
  /** The expansion this invocation itself came from, if any. */
  readonly parent?: Expansion;
}

export interface Token {
  readonly kind: TokenKind;
  /** The spelling, exactly as it will be parsed (after ## pasting and # stringizing). */
  readonly text: string;
  /**
   * Where the characters of this token were written: in a macro body for
   * tokens from a definition, in the file for the rest. Pasted and
   * stringized tokens point at the operator's operands.
   */
  readonly range: SourceRange;
  /**
   * Set when the token came out of a macro's replacement list (or was made
   * by # or ##): the innermost expansion. A token of a macro argument keeps
   * the expansion it had where the argument was written (none, if that was
   * the file), so that diagnostics about it point at the argument itself.
   */
  readonly expansion?: Expansion;
  /** True if whitespace preceded the token (matters for # stringizing and for printing). */
  readonly spaceBefore: boolean;
  /**
   * True if the token is the first of its line in the file it was read
   * from, or the first token of a macro expansion whose name was.
   */
  readonly lineStart: boolean;
}

/**
 * Where a diagnostic about `t` should point: the outermost macro invocation
 * in the user's file if the token came from a macro, else the token itself.
 */
export function userRange(t: Token): SourceRange {
  let e = t.expansion;
  if (!e) return t.range;
  while (e.parent) e = e.parent;
  return e.invocation;
}
