// Initializers (C11 6.7.9): braces, designators (.member, [index], and GNU
// [first ... last]), brace elision, string literals for char arrays, and the
// array length an initializer implies. The result is a flat list of scalar
// stores at byte offsets; everything not stored is zero.

import type { Expr, InitEntry, Initializer } from '../ast';
import type { Token } from '../token';
import { findField } from '../layout';
import { arrayOf, isRecord, isScalar, MAX_OBJECT_SIZE, sizeOf, typeName, unqualified, type Field, type Type } from '../types';
import { assignConvert, decay } from './conversions';
import { parseAssignment } from './expressions';
import { constantValue } from './fold';
import { parseStringLiteral } from './literals';
import { describeToken, ParseAbort, type Parser } from './parser';

/** A GNU range designator repeats its element's stores; more than this many is refused (they are kept in memory). */
const MAX_RANGE_STORES = 1 << 20;

interface Ctx {
  readonly p: Parser;
  readonly entries: InitEntry[];
}

/**
 * Parses an initializer for an object of `type`. For an array of unknown
 * length the returned type has the length the initializer implies.
 */
export function parseInitializer(p: Parser, type: Type): { init: Initializer; type: Type } {
  const start = p.tok;
  const startPos = p.pos;
  const ctx: Ctx = { p, entries: [] };
  let t = type;
  try {
    if (t.kind === 'array' && t.length === undefined) {
      const n = initObject(ctx, t, 0, true);
      t = arrayOf(t.of, n * Math.max(1, sizeOf(t.of)) > MAX_OBJECT_SIZE ? 1 : n);
      if (n * Math.max(1, sizeOf(t.of)) > MAX_OBJECT_SIZE) p.errorAt(start, 'size of array is too large');
    } else initObject(ctx, t, 0, true);
  } catch (e) {
    // After an error inside braces, skip to the brace that closes the initializer, so the
    // declaration (and the function around it) carries on instead of resynchronizing on a '}'.
    if (!(e instanceof ParseAbort) || !start.text.startsWith('{') || start.kind !== 'punct') throw e;
    let depth = 0;
    for (let i = startPos; i < p.pos; i++) {
      const k = p.tokens[i]!;
      if (k.kind === 'punct' && k.text === '{') depth++;
      else if (k.kind === 'punct' && k.text === '}') depth--;
    }
    if (depth > 0) skipToBrace(p, depth);
    if (t.kind === 'array' && t.length === undefined) t = arrayOf(t.of, 1);
  }
  return { init: { entries: ctx.entries, range: p.rangeFrom(start) }, type: t };
}

/**
 * Initializes one object at `offset`. `topLevel` objects (and any object
 * whose initializer starts with '{') own their braces; others take their
 * elements from the enclosing list (brace elision). Returns, for arrays, the
 * number of elements initialized (the implied length).
 */
function initObject(ctx: Ctx, type: Type, offset: number, topLevel: boolean): number {
  const p = ctx.p;
  if (isCharArray(type) && (p.tok.kind === 'string' || (p.is('{') && p.peek().kind === 'string' && isClose(p, 2)))) {
    return initString(ctx, type, offset);
  }
  if (p.is('{')) {
    p.next();
    let n = 0;
    if (isScalar(type)) {
      if (p.is('}')) p.errorAt(p.tok, 'empty scalar initializer');
      else scalar(ctx, type, offset);
      while (p.accept(',')) {
        if (p.is('}')) break;
        p.warning(p.rangeFrom(p.tok), 'excess elements in scalar initializer');
        parseAssignment(p);
      }
    } else n = list(ctx, type, offset, true);
    p.expect('}', 'to close the initializer');
    return n;
  }
  if (isScalar(type)) {
    scalar(ctx, type, offset);
    return 1;
  }
  if (isRecord(type) && !topLevel) {
    // A struct-valued expression may initialize a member directly (a literal never is one):
    // try it, and take the elements one by one if it is not.
    if (p.tok.kind !== 'number' && p.tok.kind !== 'char' && p.tok.kind !== 'string') {
      const save = p.pos;
      const diagCount = p.diags.all.length;
      p.speculating++;
      try {
        const e = decay(parseAssignment(p));
        if (isRecord(e.type) && e.type.tag === type.tag) {
          ctx.entries.push({ offset, type, expr: e });
          return 1;
        }
      } catch (err) {
        if (!(err instanceof ParseAbort)) throw err;
      } finally {
        p.speculating--;
      }
      p.pos = save;
      p.diags.all.length = diagCount;
    }
    return list(ctx, type, offset, false);
  }
  if (isRecord(type) && topLevel) {
    const e = decay(parseAssignment(p));
    if (!isRecord(e.type) || e.type.tag !== type.tag) p.error(e.range, `invalid initializer for '${typeName(type)}'`);
    ctx.entries.push({ offset, type, expr: e });
    return 1;
  }
  if (type.kind === 'array' && !topLevel) return list(ctx, type, offset, false);
  p.errorAt(p.tok, `invalid initializer for '${typeName(type)}': expected '{'`);
  parseAssignment(p);
  return 0;
}

function isClose(p: Parser, n: number): boolean {
  const t = p.peek(n);
  return t.kind === 'punct' && (t.text === '}' || (t.text === ',' && p.peek(n + 1).text === '}'));
}

function isCharArray(t: Type): boolean {
  return t.kind === 'array' && t.of.kind === 'int' && (t.of.int === 'char' || t.of.int === 'schar' || t.of.int === 'uchar');
}

function initString(ctx: Ctx, type: Type, offset: number): number {
  const p = ctx.p;
  const braced = p.accept('{');
  const start = p.tok;
  const bytes: number[] = [];
  while (p.tok.kind === 'string') {
    const s = parseStringLiteral(p.next().text);
    if (s.ok) bytes.push(...s.bytes);
    else p.errorAt(p.prev, s.message);
  }
  if (braced) {
    p.accept(',');
    p.expect('}');
  }
  const arr = type as { kind: 'array'; of: Type; length: number | undefined };
  const length = arr.length ?? bytes.length + 1;
  if (bytes.length > length) p.warning(p.rangeFrom(start), 'initializer-string for array of chars is too long');
  for (let i = 0; i < Math.min(bytes.length, length); i++) {
    if (bytes[i] === 0) continue;
    ctx.entries.push({ offset: offset + i, type: arr.of, expr: { kind: 'int', value: BigInt(bytes[i]!), type: arr.of, range: p.rangeFrom(start) } });
  }
  return bytes.length + 1;
}

function scalar(ctx: Ctx, type: Type, offset: number, bit?: { width: number; offset: number }): void {
  const p = ctx.p;
  const e = parseAssignment(p);
  const v = assignConvert(p, e, unqualified(type), { kind: 'initialization' }, e.range);
  ctx.entries.push({ offset, type: unqualified(type), expr: v, ...(bit ? { bitWidth: bit.width, bitOffset: bit.offset } : {}) });
}

/** One step of a designation: `.name`, `[i]` or `[first ... last]`. */
type Designator =
  | { readonly kind: 'field'; readonly name: string; readonly tok: Token }
  | { readonly kind: 'index'; readonly first: number; readonly last: number; readonly tok: Token; readonly indexTok: Token };

/**
 * The elements of an aggregate, braced (up to '}') or elided (as many as it
 * holds). `pending` is the rest of a designation that an enclosing list
 * began (`.a.y = 3` designates a, then y inside it); after it, elements
 * continue in order with the next subobject, as gcc does (C11 6.7.9p17).
 * Returns the implied array length.
 */
function list(ctx: Ctx, type: Type, offset: number, braced: boolean, pending?: readonly Designator[]): number {
  const p = ctx.p;
  const fields = isRecord(type) ? type.tag.fields.filter((f) => f.name !== undefined || f.bitWidth === undefined) : [];
  const capacity = type.kind === 'array' ? type.length : type.kind === 'union' ? Math.min(1, fields.length) : fields.length;
  let index = 0;
  let max = 0;
  while (!p.is('}') && p.tok.kind !== 'eof') {
    let designation = pending;
    pending = undefined;
    if (!designation && (p.is('.') || p.is('['))) {
      if (!braced) break; // a designator belongs to the enclosing braced list
      designation = parseDesignation(p);
    }
    if (designation) index = designate(ctx, type, offset, fields, designation);
    else if (capacity !== undefined && index >= capacity) {
      if (!braced) break;
      p.warning(p.rangeFrom(p.tok), `excess elements in ${type.kind === 'array' ? 'array' : type.kind} initializer`);
      skipInitializer(p);
      index++;
    } else {
      element(ctx, type, offset, fields, index, undefined);
      index++;
    }
    max = Math.max(max, index);
    if (!braced && capacity !== undefined && index >= capacity) break;
    if (!p.is(',')) break;
    // An elided list leaves the comma to its enclosing braced list when what follows is its business:
    // the closing brace, or a designator (which always starts from the braced level).
    if (!braced && (isAtListEnd(p) || (p.peek().kind === 'punct' && (p.peek().text === '.' || p.peek().text === '[')))) break;
    p.next();
  }
  return max;
}

/** Initializes element `index` of an aggregate (with the rest of a designation, if any). */
function element(ctx: Ctx, type: Type, offset: number, fields: readonly Field[], index: number, rest: readonly Designator[] | undefined): void {
  const [t, off, bit] = type.kind === 'array' ? [type.of, offset + index * sizeOf(type.of), undefined] : [fields[index]!.type, offset + fields[index]!.offset, fields[index]!];
  if (t.kind === 'array' && t.length === undefined) {
    // A flexible array member has no room in the object (gcc extends static objects; we do not).
    ctx.p.errorAt(ctx.p.tok, 'initialization of a flexible array member is not supported');
    skipInitializer(ctx.p);
    return;
  }
  if (rest && rest.length > 0) {
    if (!isRecord(t) && t.kind !== 'array') {
      ctx.p.errorAt(rest[0]!.tok, rest[0]!.kind === 'field' ? 'field name not in record or union initializer' : 'array index in non-array initializer');
      throw new ParseAbort();
    }
    list(ctx, t, off, false, rest);
  } else if (bit?.bitWidth !== undefined) scalar(ctx, t, off, { width: bit.bitWidth, offset: bit.bitOffset! });
  else initObject(ctx, t, off, false);
}

/** Applies the first step of a designation at this level; returns the index of the next element in order. */
function designate(ctx: Ctx, type: Type, offset: number, fields: readonly Field[], designation: readonly Designator[]): number {
  const p = ctx.p;
  const [d, ...rest] = designation;
  if (type.kind === 'array') {
    if (d!.kind !== 'index') {
      p.errorAt(d!.tok, 'field name not in record or union initializer');
      throw new ParseAbort();
    }
    if (type.length !== undefined && d.last >= type.length) p.errorAt(d.indexTok, 'array index in initializer exceeds array bounds');
    const before = ctx.entries.length;
    element(ctx, type, offset, fields, d.first, rest);
    // A GNU range repeats the element's stores (the initializer is evaluated once per element in gcc; ours once).
    const made = ctx.entries.slice(before);
    const size = sizeOf(type.of);
    if ((d.last - d.first) * made.length > MAX_RANGE_STORES) {
      p.errorAt(d.tok, `initializer range [${d.first} ... ${d.last}] is too large (at most ${MAX_RANGE_STORES} stores)`);
      return d.last + 1;
    }
    for (let k = d.first + 1; k <= d.last; k++) for (const e of made) ctx.entries.push({ ...e, offset: e.offset + (k - d.first) * size });
    return d.last + 1;
  }
  if (d!.kind !== 'field') {
    p.errorAt(d!.tok, 'array index in non-array initializer');
    throw new ParseAbort();
  }
  let i = fields.findIndex((f) => f.name === d.name);
  let path: readonly Designator[] = rest;
  if (i < 0) {
    // A member of an anonymous struct or union: designate that member, then the name inside it.
    i = fields.findIndex((f) => f.name === undefined && isRecord(f.type) && findField(f.type.tag, d.name) !== undefined);
    path = designation;
  }
  if (i < 0) {
    p.errorAt(d.tok, `'${typeName(type)}' has no member named '${d.name}'`);
    throw new ParseAbort();
  }
  element(ctx, type, offset, fields, i, path);
  return i + 1;
}

/** `.a[2].b ... =`: the designators, then '=' (gcc accepts `[i] value` without it, as an obsolete form). */
function parseDesignation(p: Parser): Designator[] {
  const out: Designator[] = [];
  while (p.is('.') || p.is('[')) {
    const tok = p.next();
    if (tok.text === '.') {
      const nameTok = p.next();
      if (nameTok.kind !== 'identifier') {
        p.errorAt(nameTok, `expected a member name before ${describeToken(nameTok)}`);
        throw new ParseAbort();
      }
      out.push({ kind: 'field', name: nameTok.text, tok: nameTok });
    } else {
      const indexTok = p.tok;
      const first = arrayIndex(p);
      const last = p.accept('...') ? arrayIndex(p) : first;
      p.expect(']');
      if (last < first) p.errorAt(tok, 'empty index range in initializer');
      out.push({ kind: 'index', first, last: Math.max(first, last), tok, indexTok });
    }
  }
  if (!p.accept('=') && !(out.length === 1 && out[0]!.kind === 'index')) p.errorAt(p.tok, `expected '=' after the designator before ${describeToken(p.tok)}`);
  return out;
}

/** Skips one initializer that has no object to go to (after "excess elements"), braced or not. */
function skipInitializer(p: Parser): void {
  if (p.accept('{')) skipToBrace(p);
  else parseAssignment(p);
}

/** Skips to just after the '}' that closes an already-consumed '{' (`depth` of them). */
function skipToBrace(p: Parser, depth = 1): void {
  while (depth > 0 && p.tok.kind !== 'eof') {
    if (p.is('{')) depth++;
    else if (p.is('}')) depth--;
    p.next();
  }
}

/** True if the ',' at the cursor is followed by '}' (a trailing comma that the braced level must consume). */
function isAtListEnd(p: Parser): boolean {
  return p.is(',') && p.peek().kind === 'punct' && p.peek().text === '}';
}

function arrayIndex(p: Parser): number {
  const e = parseAssignment(p);
  const v = constantValue(e);
  if (v === undefined || v < 0n) {
    p.error(e.range, 'array index in initializer is not a non-negative integer constant');
    return 0;
  }
  if (v > BigInt(MAX_OBJECT_SIZE)) {
    p.error(e.range, 'array index in initializer exceeds array bounds');
    return 0;
  }
  return Number(v);
}

/** `(type){ ... }`: an unnamed object, local in a function and static at file scope (C11 6.5.2.5). */
export function parseCompoundLiteral(p: Parser, type: Type, start: Token): Expr {
  const { init, type: t } = parseInitializer(p, type);
  const range = p.rangeFrom(start);
  const object = p.newVar(`.compound${p.id()}`, t, p.fn ? 'local' : 'static', range);
  object.defined = true;
  object.addressTaken = true;
  if (p.fn) p.fn.symbol.locals.push(object);
  else {
    object.init = init;
    p.objects.push(object);
  }
  return { kind: 'compound-literal', object, init, type: t, range };
}
