// The preprocessor's working units: tokens, plus the padding markers that
// record where whitespace came from while macros are expanded.
//
// Paddings are gcc's device (libcpp's CPP_PADDING), kept here so that the
// spaces in stringized arguments and in the output match gcc's exactly:
// a macro's expansion "inherits" the whitespace that preceded its name, and
// the end of an expansion or argument leaves a marker that stops tokens
// from running together. They never reach the parser.

import type { Token } from '../token';
import type { SourceRange } from '../source';

/** A token inside the preprocessor. */
export interface PPToken extends Token {
  /**
   * Set on an identifier met while its macro was being expanded: it is
   * "painted blue" and never expanded again, wherever it ends up
   * (C11 6.10.3.4p2).
   */
  readonly noExpand?: boolean;
}

/** What a padding takes its whitespace from. */
export interface SpacingSource {
  readonly spaceBefore: boolean;
  readonly lineStart: boolean;
}

export interface Padding {
  readonly kind: 'padding';
  /** The token whose leading whitespace the next token inherits, or null for a plain separator. */
  readonly source: SpacingSource | null;
}

export type Item = PPToken | Padding;

/** The separator left where an expansion or a substituted argument ends (gcc's avoid_paste). */
export const AVOID_PASTE: Padding = { kind: 'padding', source: null };

export function padding(source: SpacingSource): Padding {
  return { kind: 'padding', source };
}

export function isPunct(item: Item | undefined, text: string): boolean {
  return item !== undefined && item.kind === 'punct' && item.text === text;
}

/** An 'eof' token at `range`'s end: what a token source returns when it runs out. */
export function eofAt(range: SourceRange): PPToken {
  return { kind: 'eof', text: '', range: { start: range.end, end: range.end }, spaceBefore: false, lineStart: true };
}

/** A range covering `first` through `last` when both were written in the same place, else `first`'s. */
export function spanRange(first: PPToken, last: PPToken): SourceRange {
  const a = first.range;
  const b = last.range;
  if (a.start.file === b.end.file && first.expansion === last.expansion && a.start.offset <= b.end.offset) {
    return { start: a.start, end: b.end };
  }
  return a;
}

/**
 * Decides which token's whitespace the next real token takes, from the
 * paddings before it: gcc's rule, shared by the output, stringizing and
 * macro-argument spacing. The first padding wins, except that a plain
 * separator overrides a source that had no whitespace.
 */
export class SpaceTracker {
  private source: SpacingSource | null = null;

  padding(p: Padding): void {
    if (this.source === null || (!this.source.spaceBefore && p.source === null)) this.source = p.source;
  }

  /** The whitespace source for the real token `t`; resets for the next one. */
  take(t: PPToken): SpacingSource {
    const s = this.source ?? t;
    this.source = null;
    return s;
  }
}
