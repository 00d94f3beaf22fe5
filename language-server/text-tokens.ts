// A light tokenizer over the text in the editor, for what the cursor is on:
// hovers, completion and signature help work on the text as it is now,
// which may not compile yet. Comments are skipped; tokens inside a
// preprocessor directive know the directive's first offset, so an
// expression never runs across a directive's end. The compiler's own
// lexer works on files through the preprocessor; this one only needs
// offsets in one text and must be cheap to rerun on every keystroke.

export type TextTokenKind = 'identifier' | 'number' | 'char' | 'string' | 'punct';

export interface TextToken {
  readonly kind: TextTokenKind;
  readonly text: string;
  /** Offsets in the document: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The offset of the '#' of the directive this token is part of, or -1 outside directives. */
  readonly directive: number;
}

const PUNCTUATORS = [
  '%:%:', '...', '<<=', '>>=', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '<:', ':>', '<%', '%>', '%:',
];

const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);

/** Tokens of `text`, in order. Never throws; anything unreadable becomes a one-character punctuator. */
export function tokenizeText(text: string): TextToken[] {
  const out: TextToken[] = [];
  let i = 0;
  let directive = -1;
  let atLineStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      // A directive ends at a newline that no backslash continues.
      if (directive >= 0 && !continued(text, i)) directive = -1;
      atLineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\\') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && !(text[i] === '\n' && !continued(text, i))) i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    const start = i;
    if (c === '#' && atLineStart && directive < 0) directive = start;
    atLineStart = false;
    let kind: TextTokenKind;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i++;
      kind = 'identifier';
      // A prefixed literal: L'x', u8"..."
      if ((text[i] === "'" || text[i] === '"') && /^(L|u|U|u8)$/.test(text.slice(start, i))) {
        kind = text[i] === "'" ? 'char' : 'string';
        i = quoted(text, i);
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i++;
      while (i < n) {
        const d = text[i]!;
        if ((d === '+' || d === '-') && /[eEpP]/.test(text[i - 1]!)) i++;
        else if (isIdentPart(d) || d === '.') i++;
        else break;
      }
      kind = 'number';
    } else if (c === '"' || c === "'") {
      i = quoted(text, i);
      kind = c === '"' ? 'string' : 'char';
    } else {
      const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
      i += p ? p.length : 1;
      kind = 'punct';
    }
    out.push({ kind, text: text.slice(start, i), start, end: i, directive });
  }
  return out;
}

/** True if the newline at `i` follows a backslash (a line splice). */
function continued(text: string, i: number): boolean {
  let j = i - 1;
  if (text[j] === '\r') j--;
  return text[j] === '\\';
}

/** The end of a quoted literal starting at `i` (its quote); an unterminated one ends at the line's end. */
function quoted(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\\') j += 2;
    else if (c === q) return j + 1;
    else if (c === '\n') return j;
    else j++;
  }
  return text.length;
}

/** The index of the token that contains `offset` or ends right at it (the word before the cursor), or -1. */
export function tokenAt(tokens: readonly TextToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid]!;
    if (t.end < offset) lo = mid + 1;
    else if (t.start > offset) hi = mid - 1;
    else {
      // Between two adjacent tokens ("a+|b"): prefer the one that starts here if it is a word.
      const next = tokens[mid + 1];
      if (t.end === offset && next && next.start === offset && next.kind !== 'punct') return mid + 1;
      return mid;
    }
  }
  return -1;
}

/** The index of the last token that ends at or before `offset`, or -1. */
export function tokenBefore(tokens: readonly TextToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** True if `offset` is inside a comment or a string or character literal of `text`. */
export function inCommentOrLiteral(text: string, tokens: readonly TextToken[], offset: number): boolean {
  const i = tokenBefore(tokens, offset);
  const t = tokens[i];
  if (t && (t.kind === 'string' || t.kind === 'char') && offset < t.end) return true;
  const inside = tokens[i + 1];
  if (inside && inside.start < offset && (inside.kind === 'string' || inside.kind === 'char')) return true;
  // Between tokens: a comment if one opens after the previous token and has not closed before the offset.
  const from = t ? t.end : 0;
  const gap = text.slice(from, offset);
  const block = gap.lastIndexOf('/*');
  if (block >= 0 && gap.indexOf('*/', block + 2) < 0) return true;
  const line = gap.lastIndexOf('//');
  return line >= 0 && gap.indexOf('\n', line) < 0;
}
