// The punctuators of C11 6.4.6, without the digraphs (<: :> <% %> %: %:%:),
// which WeensyOS code never uses. The lexer takes the longest match
// (C11 6.4p4), so "..." is one token but ".." is two.

const THREE = new Set(['...', '<<=', '>>=']);
const TWO = new Set(['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##']);
const ONE = new Set(['[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|', '?', ':', ';', '=', ',', '#']);

/**
 * The length (1 to 3) of the punctuator that starts with the characters
 * `a`, `b`, `c` (any of which may be empty at the end of input), or 0 if `a`
 * starts no punctuator.
 */
export function punctuatorLength(a: string, b: string, c: string): number {
  if (THREE.has(a + b + c)) return 3;
  if (TWO.has(a + b)) return 2;
  return ONE.has(a) ? 1 : 0;
}
