// GNU attributes (`__attribute__((...))`) and the keywords that behave like
// them. We act on aligned, packed, noreturn and section-free basics, and
// accept the rest that kernels write (unused, used, always_inline, noinline,
// format, deprecated, cold, hot, weak ...) silently, as gcc does.

import { constantValue } from './fold';
import { parseAssignment } from './expressions';
import { describeToken, ParseAbort, type Parser } from './parser';

export interface Attributes {
  aligned?: number;
  packed?: boolean;
  noreturn?: boolean;
}

const ATTRIBUTE_KEYWORDS = new Set(['__attribute__', '__attribute']);

export function isAttributeStart(p: Parser): boolean {
  return p.tok.kind === 'identifier' && ATTRIBUTE_KEYWORDS.has(p.tok.text);
}

/** Parses any number of consecutive `__attribute__((...))`, merging them into `into`. */
export function parseAttributes(p: Parser, into: Attributes = {}): Attributes {
  while (isAttributeStart(p)) {
    p.next();
    p.expect('(', 'after __attribute__');
    p.expect('(', 'after __attribute__(');
    while (!p.is(')')) {
      if (p.accept(',')) continue;
      const nameTok = p.next();
      if (nameTok.kind !== 'identifier') {
        p.errorAt(nameTok, `expected an attribute name before ${describeToken(nameTok)}`);
        throw new ParseAbort();
      }
      const name = nameTok.text.replace(/^__(.*)__$/, '$1');
      if (name === 'aligned') {
        if (p.accept('(')) {
          const e = parseAssignment(p);
          p.expect(')');
          const v = constantValue(e);
          if (v === undefined || v <= 0n || (v & (v - 1n)) !== 0n) p.error(e.range, 'requested alignment is not a positive power of two constant');
          else if (v > 1n << 28n) p.error(e.range, 'requested alignment is too large');
          else into.aligned = Math.max(into.aligned ?? 1, Number(v));
        } else into.aligned = Math.max(into.aligned ?? 1, 16); // the largest useful alignment on x86-64
      } else {
        if (name === 'packed') into.packed = true;
        if (name === 'noreturn') into.noreturn = true;
        if (p.accept('(')) skipBalanced(p);
      }
    }
    p.expect(')');
    p.expect(')');
  }
  return into;
}

/** Skips tokens up to and including the ')' matching an already-consumed '('. */
export function skipBalanced(p: Parser): void {
  let depth = 1;
  while (depth > 0 && p.tok.kind !== 'eof') {
    if (p.is('(')) depth++;
    else if (p.is(')')) depth--;
    p.next();
  }
}
