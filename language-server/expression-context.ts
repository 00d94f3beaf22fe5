// Where the cursor is in an expression, read from the tokens of the text as
// typed: the expressions around it that a hover may evaluate (the whole
// operand of a call argument, an initializer or a comparison, down to the
// token itself), and the call it is an argument of, with the argument's
// position (what signature help shows, and what tells a hover that
// virtual_memory_map's fifth argument is a permission).

import type { TextToken } from './text-tokens';

/** A run of tokens [first, last], inclusive. */
export interface TokenSpan {
  readonly first: number;
  readonly last: number;
}

export interface CallContext {
  /** The called name (a function or function-like macro). */
  readonly callee: string;
  readonly calleeToken: number;
  /** The 0-based argument the position is in. */
  readonly argument: number;
  /** The index of the call's '('. */
  readonly open: number;
}

const STOP_WORDS = new Set(['return', 'case', 'if', 'while', 'for', 'switch', 'do', 'else', 'goto', 'break', 'continue', 'default', 'typedef', 'static', 'extern']);
const STOP_PUNCT = new Set([',', ';', '{', '}', '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '?', ':', '#', '##']);
/** Operators below which a part of an expression is still one value: comparisons and logic split it. */
const SPLIT_PUNCT = new Set(['==', '!=', '<', '>', '<=', '>=', '&&', '||']);

function sameLogicalLine(a: TextToken, b: TextToken): boolean {
  return a.directive === b.directive;
}

/** True if the token ends an expression walk at paren depth 0. */
function stops(t: TextToken): boolean {
  if (t.kind === 'punct') return STOP_PUNCT.has(t.text);
  return t.kind === 'identifier' && STOP_WORDS.has(t.text);
}

/**
 * The largest expression around token `at`: outwards until a ',' ';' '='
 * or similar at the same depth, or an unmatched bracket; never across a
 * directive's end. `#define NAME body` is cut after NAME.
 */
export function enclosingExpression(tokens: readonly TextToken[], at: number): TokenSpan {
  const here = tokens[at]!;
  let first = at;
  let depth = 0;
  for (let j = at - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (!sameLogicalLine(t, here)) break;
    if (t.text === ')' || t.text === ']') depth++;
    else if (t.text === '(' || t.text === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && stops(t)) break;
    first = j;
  }
  // In a directive: skip "# define NAME" / "# if".
  if (here.directive >= 0) {
    const d = tokens.findIndex((t) => t.start === here.directive);
    const word = tokens[d + 1]?.text;
    if (word === 'define' && first <= d + 2) first = d + 3 + defineParams(tokens, d + 2);
    else if ((word === 'if' || word === 'elif') && first <= d + 1) first = d + 2;
  }
  let last = at;
  depth = 0;
  for (let j = at + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (!sameLogicalLine(t, here)) break;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && stops(t)) break;
    last = j;
  }
  return { first: Math.min(first, at), last };
}

/** The number of tokens of a function-like macro's parameter list after the name at `name` (0 for object-like). */
function defineParams(tokens: readonly TextToken[], name: number): number {
  const open = tokens[name + 1];
  if (!open || open.text !== '(' || open.start !== tokens[name]!.end) return 0;
  for (let j = name + 1; j < tokens.length; j++) if (tokens[j]!.text === ')') return j - name;
  return 0;
}

/**
 * The candidate expressions a hover tries, largest first: the enclosing
 * expression, the part of it between comparisons or logical operators,
 * the innermost parenthesized group, and the token itself with a macro's
 * arguments.
 */
export function candidateSpans(tokens: readonly TextToken[], at: number): TokenSpan[] {
  const out: TokenSpan[] = [];
  const add = (s: TokenSpan): void => {
    if (s.first <= at && at <= s.last && !out.some((o) => o.first === s.first && o.last === s.last)) out.push(s);
  };
  const whole = enclosingExpression(tokens, at);
  add(whole);
  // The comparison's side (or && / || operand) holding the cursor.
  let depth = 0;
  let from = whole.first;
  for (let j = whole.first; j <= whole.last; j++) {
    const t = tokens[j]!.text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth === 0 && SPLIT_PUNCT.has(t)) {
      if (at < j) {
        add({ first: from, last: j - 1 });
        break;
      }
      from = j + 1;
    }
    if (j === whole.last) add({ first: from, last: whole.last });
  }
  // The innermost parenthesized group around the cursor, without its parentheses.
  for (let j = at - 1, d = 0; j >= whole.first; j--) {
    const t = tokens[j]!.text;
    if (t === ')') d++;
    else if (t === '(') {
      if (d === 0) {
        let e = j + 1;
        for (let k = j + 1, dd = 0; k <= whole.last; k++) {
          const u = tokens[k]!.text;
          if (u === '(') dd++;
          else if (u === ')') {
            if (dd === 0) break;
            dd--;
          }
          e = k;
        }
        add({ first: j + 1, last: e });
        break;
      }
      d--;
    }
  }
  // The token itself, with a function-like macro's argument list.
  const tok = tokens[at]!;
  if (tok.kind === 'identifier' && tokens[at + 1]?.text === '(') {
    let d = 0;
    for (let k = at + 1; k < tokens.length; k++) {
      const u = tokens[k]!.text;
      if (u === '(') d++;
      else if (u === ')' && --d === 0) {
        add({ first: at, last: k });
        break;
      }
    }
  }
  add({ first: at, last: at });
  return out;
}

/** The call whose argument list holds `offset`, if any (the innermost one). */
export function callAt(tokens: readonly TextToken[], before: number): CallContext | undefined {
  let depth = 0;
  let argument = 0;
  for (let j = before; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.text === ')' || t.text === ']') depth++;
    else if (t.text === '[') {
      if (depth === 0) return undefined;
      depth--;
    } else if (t.text === '(') {
      if (depth === 0) {
        const callee = tokens[j - 1];
        if (callee && callee.kind === 'identifier' && !STOP_WORDS.has(callee.text) && !['sizeof', 'while', 'if', 'for', 'switch'].includes(callee.text)) {
          return { callee: callee.text, calleeToken: j - 1, argument, open: j };
        }
        // A parenthesized expression or a cast: keep looking outwards.
        argument = 0;
        continue;
      }
      depth--;
    } else if (depth === 0 && t.text === ',') argument++;
    else if (t.text === ';' || t.text === '{' || t.text === '}') return undefined;
  }
  return undefined;
}

/** The source text of a span, whitespace collapsed. */
export function spanText(text: string, tokens: readonly TextToken[], span: TokenSpan): string {
  return text.slice(tokens[span.first]!.start, tokens[span.last]!.end).replace(/\s+/g, ' ');
}
