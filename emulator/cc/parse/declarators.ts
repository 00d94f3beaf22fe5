// Declarators (C11 6.7.6): pointers, arrays, functions and parentheses,
// read inside out. A parenthesized inner declarator is handled by skipping
// it, reading the suffixes that follow (which apply first), then returning to
// read the inner part on top of that type.

import type { Token } from '../token';
import { arrayOf, isComplete, MAX_OBJECT_SIZE, pointerTo, qualified, sizeOf, typeName, type FunctionType, type Param, type Type } from '../types';
import { isAttributeStart, parseAttributes, type Attributes } from './attributes';
import { parseAssignment } from './expressions';
import { constantValue } from './fold';
import { describeToken, ParseAbort, type Parser } from './parser';
import { isSpecifierKeyword, parseDeclSpec, startsDeclaration } from './specifiers';

export interface ParamInfo {
  readonly name: string | undefined;
  readonly type: Type;
  readonly nameTok: Token | undefined;
  readonly start: Token;
}

export interface Declarator {
  readonly name: string | undefined;
  readonly nameTok: Token | undefined;
  readonly type: Type;
  /** For a function declarator directly applied to the name: its parameters with their names. */
  readonly params: readonly ParamInfo[] | undefined;
  readonly attrs: Attributes;
}

/** 'no': a name is required; 'allowed': a parameter, the name may be missing; 'required': a type name, no name allowed. */
export type AbstractMode = 'no' | 'allowed' | 'required';

const MAX_DEPTH = 200;

export function parseDeclarator(p: Parser, base: Type, mode: AbstractMode): Declarator {
  if (++p.depth > MAX_DEPTH) {
    p.errorAt(p.tok, 'declarator nested too deeply');
    throw new ParseAbort();
  }
  try {
    return declarator(p, base, mode);
  } finally {
    p.depth--;
  }
}

function declarator(p: Parser, base: Type, mode: AbstractMode): Declarator {
  const attrs: Attributes = {};
  let t = base;
  for (;;) {
    parseAttributes(p, attrs);
    if (!p.accept('*')) break;
    let isConst = false;
    let isVolatile = false;
    for (;;) {
      const w = p.tok.text;
      if (p.tok.kind === 'identifier' && (w === 'const' || w === '__const' || w === '__const__')) isConst = true;
      else if (p.tok.kind === 'identifier' && (w === 'volatile' || w === '__volatile__')) isVolatile = true;
      else if (p.tok.kind === 'identifier' && (w === 'restrict' || w === '__restrict' || w === '__restrict__')) {
        /* no effect on code */
      } else if (isAttributeStart(p)) {
        parseAttributes(p, attrs);
        continue;
      } else break;
      p.next();
    }
    t = qualified(pointerTo(t), { const: isConst, volatile: isVolatile });
  }
  if (p.is('(') && isNestedDeclarator(p, mode)) {
    const open = p.next();
    const innerStart = p.pos;
    skipToClose(p, open);
    const suffixed = suffixes(p, t, innerName(p, innerStart));
    const end = p.pos;
    p.pos = innerStart;
    const inner = parseDeclarator(p, suffixed.type, mode);
    p.expect(')');
    p.pos = end;
    parseAttributes(p, attrs);
    return { ...inner, attrs: { ...attrs, ...inner.attrs } };
  }
  let name: string | undefined;
  let nameTok: Token | undefined;
  // After the specifiers, an identifier here is the declared name even if it is a typedef name
  // in an outer scope (`typedef int T; { int T = 1; }`, C11 6.2.1p4).
  if (p.tok.kind === 'identifier' && !isSpecifierKeyword(p.tok) && !isAttributeStart(p)) {
    nameTok = p.next();
    name = nameTok.text;
    if (mode === 'required') p.errorAt(nameTok, `unexpected name '${name}' in a type name`);
  } else if (mode === 'no') {
    p.errorAt(p.tok, `expected an identifier or '(' before ${describeToken(p.tok)}`);
    throw new ParseAbort();
  }
  const s = suffixes(p, t, nameTok);
  parseAttributes(p, attrs);
  // GNU asm labels (`int x asm("name")`) are not supported; say so precisely.
  if (p.tok.kind === 'identifier' && (p.tok.text === 'asm' || p.tok.text === '__asm__' || p.tok.text === '__asm')) {
    p.errorAt(p.tok, 'asm labels on declarations are not supported');
    throw new ParseAbort();
  }
  return { name, nameTok, type: s.type, params: s.params, attrs };
}

/** After '(' in a declarator: a nested declarator, or (in abstract declarators) a parameter list? */
function isNestedDeclarator(p: Parser, mode: AbstractMode): boolean {
  const n = p.peek();
  if (n.kind === 'punct') return n.text === '*' || n.text === '(' || n.text === '[' || n.text === '^';
  if (n.kind !== 'identifier') return false;
  if (n.text === '__attribute__' || n.text === '__attribute') return true;
  if (startsDeclaration(p, n)) return false; // a parameter list such as (int) or (T x)
  return mode !== 'required';
}

function skipToClose(p: Parser, open: Token): void {
  let depth = 1;
  while (depth > 0) {
    if (p.tok.kind === 'eof') {
      p.errorAt(open, "unbalanced '(' in declarator");
      throw new ParseAbort();
    }
    if (p.is('(')) depth++;
    else if (p.is(')')) depth--;
    p.next();
  }
}

/** The name inside a parenthesized declarator starting at token `from` (`(*name)[3]`), for messages. */
function innerName(p: Parser, from: number): Token | undefined {
  for (let i = from; i < p.tokens.length; i++) {
    const t = p.tokens[i]!;
    if (t.kind === 'identifier' && !isSpecifierKeyword(t)) return t;
    if (t.kind !== 'punct' || t.text === ')' || t.text === '[') return undefined;
  }
  return undefined;
}

/** Array and function suffixes; `nameTok` is the declared name, for messages that name it as gcc's do. */
function suffixes(p: Parser, base: Type, nameTok?: Token): { type: Type; params: readonly ParamInfo[] | undefined } {
  const named = nameTok ? `'${nameTok.text}'` : undefined;
  const at = nameTok ?? p.tok;
  if (p.is('[')) {
    p.next();
    let length: number | undefined;
    while (p.tok.kind === 'identifier' && ['static', 'const', 'volatile', 'restrict', '__restrict'].includes(p.tok.text)) p.next();
    if (!p.is(']')) {
      const e = parseAssignment(p);
      const v = constantValue(e);
      // After an error the array gets one element, so its declaration raises no second message.
      if (v === undefined) {
        p.error(e.range, 'variable-length arrays are not supported: the size must be an integer constant');
        length = 1;
      } else if (v < 0n) {
        p.errorAt(at, named ? `size of array ${named} is negative` : 'size of unnamed array is negative');
        length = 1;
      } else length = Number(v);
    }
    p.expect(']', 'to close the array size');
    const rest = suffixes(p, base).type;
    if (length !== undefined && length * Math.max(1, sizeOf(rest)) > MAX_OBJECT_SIZE) {
      p.errorAt(at, named ? `size of array ${named} is too large` : 'size of unnamed array is too large');
      length = 1;
    }
    if (rest.kind === 'function') p.errorAt(at, named ? `declaration of ${named} as array of functions` : 'declaration of type name as array of functions');
    else if (rest.kind === 'void') p.errorAt(at, named ? `declaration of ${named} as array of voids` : 'declaration of type name as array of voids');
    else if (!isComplete(rest)) p.errorAt(at, `array type has incomplete element type '${typeName(rest)}'`);
    return { type: arrayOf(rest, length), params: undefined };
  }
  if (p.is('(')) {
    p.next();
    const { params, variadic, unprototyped } = parameterList(p);
    const returns = suffixes(p, base).type;
    if (returns.kind === 'function') p.errorAt(at, `${named ?? 'type name'} declared as function returning a function`);
    if (returns.kind === 'array') p.errorAt(at, `${named ?? 'type name'} declared as function returning an array`);
    const fn: FunctionType = { kind: 'function', returns, params: params.map((x): Param => ({ name: x.name, type: x.type })), variadic, unprototyped };
    return { type: fn, params };
  }
  return { type: base, params: undefined };
}

function parameterList(p: Parser): { params: ParamInfo[]; variadic: boolean; unprototyped: boolean } {
  if (p.accept(')')) return { params: [], variadic: false, unprototyped: true };
  if (p.is('void') && p.peek().kind === 'punct' && p.peek().text === ')') {
    p.next();
    p.next();
    return { params: [], variadic: false, unprototyped: false };
  }
  const params: ParamInfo[] = [];
  let variadic = false;
  for (;;) {
    if (p.accept('...')) {
      variadic = true;
      break;
    }
    if (!startsDeclaration(p)) {
      if (params.length === 0 && p.tok.kind === 'identifier' && isIdentifierList(p)) {
        p.errorAt(p.tok, "old-style parameter lists are not supported: give each parameter its type, as in 'int f(int a, int b)'");
        throw new ParseAbort();
      }
      if (p.tok.kind === 'identifier') p.errorAt(p.tok, `unknown type name '${p.tok.text}'`);
      else p.errorAt(p.tok, `expected a parameter declaration before ${describeToken(p.tok)}`);
      throw new ParseAbort();
    }
    const start = p.tok;
    const spec = parseDeclSpec(p, true);
    if (spec.storage && spec.storage !== 'register') p.errorAt(start, `storage class '${spec.storage}' in a parameter declaration`);
    const d = parseDeclarator(p, spec.type, 'allowed');
    let type = d.type;
    // Parameter adjustments (C11 6.7.6.3p7-8).
    if (type.kind === 'array') type = qualified(pointerTo(type.of), {});
    else if (type.kind === 'function') type = pointerTo(type);
    if (type.kind === 'void') p.errorAt(d.nameTok ?? start, d.name !== undefined ? `parameter ${params.length + 1} ('${d.name}') has incomplete type` : "'void' must be the only parameter");
    params.push({ name: d.name, type, nameTok: d.nameTok, start });
    if (!p.accept(',')) break;
  }
  p.expect(')', 'to close the parameter list');
  return { params, variadic, unprototyped: false };
}

/** A K&R identifier list `(a, b)` followed by declarations or a body: `int add(a, b) int a, b; { ... }`. */
function isIdentifierList(p: Parser): boolean {
  let i = p.pos;
  for (;;) {
    const t = p.tokens[i]!;
    const n = p.tokens[i + 1]!;
    if (t.kind !== 'identifier' || n.kind !== 'punct') return false;
    if (n.text === ')') break;
    if (n.text !== ',') return false;
    i += 2;
  }
  const after = p.tokens[i + 2]!;
  return (after.kind === 'punct' && after.text === '{') || startsDeclaration(p, after);
}

/** type-name (C11 6.7.7): specifiers and an abstract declarator, as in casts and sizeof. */
export function parseTypeName(p: Parser): Type {
  const spec = parseDeclSpec(p, false);
  const d = parseDeclarator(p, spec.type, 'required');
  return d.type;
}

