// Character classes for the C lexer (C11 6.4.2.1, 6.4.8). The lexer works on
// UTF-16 code units; every unit at or above 0x80 counts as an identifier
// character, as gcc accepts UTF-8 letters in identifiers.

export const NUL = 0;
export const TAB = 9;
export const LF = 10;
export const VT = 11;
export const FF = 12;
export const CR = 13;
export const SPACE = 32;
export const DQUOTE = 34;
export const HASH = 35;
export const SQUOTE = 39;
export const LPAREN = 40;
export const RPAREN = 41;
export const STAR = 42;
export const PLUS = 43;
export const MINUS = 45;
export const DOT = 46;
export const SLASH = 47;
export const LESS = 60;
export const GREATER = 62;
export const BACKSLASH = 92;

/** Space, tab, vertical tab, form feed and carriage return: whitespace that does not end a line. */
export function isHorizontalSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === VT || c === FF || c === CR || c === NUL;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** A character that may start an identifier: a letter, '_', '$' (a GNU extension) or any non-ASCII unit. */
export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0x80;
}

export function isIdentContinue(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
