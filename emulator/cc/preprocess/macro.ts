// Macro definitions: the public summary the language server reads, and the
// parsed replacement list the expander works from.

import type { SourceRange } from '../source';
import type { PPToken } from './pp-token';

/** A macro as the language server shows it (hover, completion, go to definition). */
export interface MacroDefinition {
  readonly name: string;
  /**
   * The parameter names of a function-like macro, the variadic one last
   * (`__VA_ARGS__`, or its GNU name as in `args...`); undefined for an
   * object-like macro.
   */
  readonly params?: readonly string[];
  readonly variadic: boolean;
  /** The replacement list as written, tokens separated by single spaces where the source had whitespace. */
  readonly body: string;
  /** The macro's name in its #define, in `<built-in>` or `<command-line>` for predefined ones. */
  readonly range: SourceRange;
  /** True for the macros the preprocessor computes at each use: __LINE__, __FILE__, __COUNTER__, __has_include... */
  readonly builtin: boolean;
}

/** Where a token of the replacement list sits among __VA_OPT__'s parts (C2x 6.10.4.1, a GNU extension in C11). */
export type VaOptRole = 'none' | 'begin' | 'open' | 'inner' | 'end';

/**
 * One token of a replacement list after the # and ## operators have been
 * folded into their operands, as gcc stores it: `# x` becomes the
 * parameter x marked `stringify`, and `a ## b` marks `a` with `pasteLeft`.
 */
export interface BodyToken {
  readonly token: PPToken;
  /** The parameter this token names, or -1. */
  readonly param: number;
  /** Preceded by # (a parameter, or __VA_OPT__). */
  readonly stringify: boolean;
  /** Followed by ##. */
  readonly pasteLeft: boolean;
  readonly vaopt: VaOptRole;
  /** Whitespace before the token (the #'s for a stringized parameter; none for the first token). */
  readonly spaceBefore: boolean;
  readonly lineStart: false;
  /** The range of the whole operand: from a # through its parameter. */
  readonly range: SourceRange;
}

export interface Macro extends MacroDefinition {
  readonly bodyTokens: readonly BodyToken[];
}

/**
 * True if two definitions are the same in C11 6.10.3p2's sense: same kind,
 * parameters and replacement list, with whitespace in the same places.
 */
export function sameDefinition(a: Macro, b: Macro): boolean {
  if (a.builtin || b.builtin) return false;
  if ((a.params === undefined) !== (b.params === undefined) || a.variadic !== b.variadic) return false;
  if (a.params && b.params && (a.params.length !== b.params.length || a.params.some((p, i) => p !== b.params![i]))) return false;
  if (a.bodyTokens.length !== b.bodyTokens.length) return false;
  return a.bodyTokens.every((t, i) => {
    const u = b.bodyTokens[i]!;
    return t.token.text === u.token.text && t.param === u.param && t.stringify === u.stringify && t.pasteLeft === u.pasteLeft && t.spaceBefore === u.spaceBefore;
  });
}
