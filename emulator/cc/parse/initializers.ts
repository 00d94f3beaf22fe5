// Initializers (C11 6.7.9): braces, designators (.member, [index], and GNU
// [first ... last]), brace elision, string literals for char arrays, and the
// array length an initializer implies. The result is a flat list of scalar
// stores at byte offsets; everything not stored is zero.

import type { Expr, InitEntry, Initializer } from '../ast';
import type { Token } from '../token';
import { arrayOf, isRecord, isScalar, sizeOf, typeName, unqualified, type Type } from '../types';
import { assignConvert, decay } from './conversions';
import { parseAssignment } from './expressions';
import { constantValue } from './fold';
import { parseStringLiteral } from './literals';
import { describeToken, ParseAbort, type Parser } from './parser';

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
  const ctx: Ctx = { p, entries: [] };
  let t = type;
  if (t.kind === 'array' && t.length === undefined) {
    const n = initObject(ctx, t, 0, true);
    t = arrayOf(t.of, n);
  } else initObject(ctx, t, 0, true);
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
    // A struct-valued expression may initialize a member directly.
    const save = p.pos;
    const diagCount = p.diags.all.length;
    try {
      const e = decay(parseAssignment(p));
      if (isRecord(e.type) && e.type.tag === type.tag) {
        ctx.entries.push({ offset, type, expr: e });
        return 1;
      }
    } catch (err) {
      if (!(err instanceof ParseAbort)) throw err;
    }
    p.pos = save;
    p.diags.all.length = diagCount;
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
  const v = assignConvert(p, e, unqualified(type), 'initialization', e.range);
  ctx.entries.push({ offset, type: unqualified(type), expr: v, ...(bit ? { bitWidth: bit.width, bitOffset: bit.offset } : {}) });
}

/** The elements of an aggregate, braced (up to '}') or elided (as many as it holds). Returns the implied array length. */
function list(ctx: Ctx, type: Type, offset: number, braced: boolean): number {
  const p = ctx.p;
  if (type.kind === 'array') {
    const size = sizeOf(type.of);
    let index = 0;
    let max = 0;
    while (!p.is('}') && p.tok.kind !== 'eof') {
      if (p.is('[')) {
        if (!braced) break; // a designator belongs to the enclosing braced list
        p.next();
        const first = arrayIndex(p);
        let last = first;
        if (p.accept('...')) last = arrayIndex(p);
        p.expect(']');
        p.accept('=');
        if (type.length !== undefined && last >= type.length) p.error(p.rangeFrom(p.prev), `array index ${last} in initializer exceeds array bounds`);
        const before = ctx.entries.length;
        initObject(ctx, type.of, offset + first * size, false);
        const made = ctx.entries.slice(before);
        for (let k = first + 1; k <= last; k++) for (const e of made) ctx.entries.push({ ...e, offset: e.offset + (k - first) * size });
        index = last + 1;
      } else {
        if (type.length !== undefined && index >= type.length) {
          if (!braced) break;
          p.warning(p.rangeFrom(p.tok), 'excess elements in array initializer');
          parseAssignment(p);
        } else initObject(ctx, type.of, offset + index * size, false);
        index++;
      }
      max = Math.max(max, index);
      if (!braced && type.length !== undefined && index >= type.length) break;
      if (!p.is('}') && !(p.is(',') && (braced || !isAtListEnd(p)))) break;
      if (p.is(',')) {
        if (!braced && isAtListEnd(p)) break;
        p.next();
      }
    }
    return max;
  }
  if (isRecord(type)) {
    const fields = type.tag.fields.filter((f) => f.name !== undefined || f.bitWidth === undefined);
    let i = 0;
    while (!p.is('}') && p.tok.kind !== 'eof') {
      if (p.is('.')) {
        if (!braced) break;
        designatedMember(ctx, type, offset);
        i = fields.length; // after a designator we do not continue positionally past it (see note below)
      } else {
        if (i >= fields.length || (type.kind === 'union' && i > 0)) {
          if (!braced) break;
          p.warning(p.rangeFrom(p.tok), `excess elements in ${type.kind} initializer`);
          parseAssignment(p);
        } else {
          const f = fields[i]!;
          if (f.bitWidth !== undefined) scalar(ctx, f.type, offset + f.offset, { width: f.bitWidth, offset: f.bitOffset! });
          else initObject(ctx, f.type, offset + f.offset, false);
        }
        i++;
      }
      if (!braced && i >= (type.kind === 'union' ? 1 : fields.length)) break;
      if (p.is(',')) {
        if (!braced && isAtListEnd(p)) break;
        p.next();
      } else break;
    }
    return 1;
  }
  return 0;
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
  return Number(v);
}

/** `.a.b[2] = value` inside a braced record initializer. */
function designatedMember(ctx: Ctx, type: Type, offset: number): void {
  const p = ctx.p;
  let t = type;
  let off = offset;
  let bit: { width: number; offset: number } | undefined;
  while (p.is('.') || p.is('[')) {
    if (p.accept('.')) {
      const nameTok = p.next();
      if (!isRecord(t)) {
        p.errorAt(nameTok, `field name not in record or union initializer`);
        throw new ParseAbort();
      }
      const f = findMember(t, nameTok.text);
      if (!f) {
        p.errorAt(nameTok, `'${typeName(t)}' has no member named '${nameTok.text}'`);
        throw new ParseAbort();
      }
      off += f.offset;
      bit = f.field.bitWidth !== undefined ? { width: f.field.bitWidth, offset: f.field.bitOffset! } : undefined;
      t = f.field.type;
    } else {
      p.next();
      const idx = arrayIndex(p);
      p.expect(']');
      if (t.kind !== 'array') {
        p.errorAt(p.prev, 'array index in non-array initializer');
        throw new ParseAbort();
      }
      off += idx * sizeOf(t.of);
      t = t.of;
    }
  }
  if (!p.accept('=')) p.errorAt(p.tok, `expected '=' after the designator before ${describeToken(p.tok)}`);
  if (bit) scalar(ctx, t, off, bit);
  else initObject(ctx, t, off, false);
}

function findMember(t: Type, name: string): { field: import('../types').Field; offset: number } | undefined {
  if (!isRecord(t)) return undefined;
  for (const f of t.tag.fields) {
    if (f.name === name) return { field: f, offset: f.offset };
    if (f.name === undefined && isRecord(f.type)) {
      const inner = findMember(f.type, name);
      if (inner) return { field: inner.field, offset: f.offset + inner.offset };
    }
  }
  return undefined;
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
