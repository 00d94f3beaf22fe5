import { parseAssignment } from './expressions';
import { constantValue } from './fold';
import { parseStringLiteral } from './literals';
import type { Parser } from './parser';

/** `_Static_assert(constant-expression, string-literal);` (C11 6.7.10); the message is optional as in C2x. */
export function parseStaticAssert(p: Parser): void {
  const start = p.next();
  p.expect('(');
  const e = parseAssignment(p);
  let message = '';
  if (p.accept(',')) {
    while (p.tok.kind === 'string') {
      const s = parseStringLiteral(p.next().text);
      if (s.ok) message += String.fromCharCode(...s.bytes);
    }
  }
  p.expect(')');
  p.expect(';');
  const v = constantValue(e);
  if (v === undefined) p.error(e.range, 'expression in static assertion is not constant');
  else if (v === 0n) p.error(p.rangeFrom(start), `static assertion failed${message ? `: "${message}"` : ''}`);
}
