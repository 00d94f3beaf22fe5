// C's implicit conversions (C11 6.3): integer promotions, the usual
// arithmetic conversions, array and function decay, and the checks gcc makes
// when a value is assigned, passed or returned.

import type { Expr } from '../ast';
import type { SourceRange } from '../source';
import {
  asInt, compatible, DOUBLE, INT, INT_SIZES, isArithmetic, isInteger, isRecord, isSigned, pointerTo, rank, sizeOf, typeName, UINT, unqualified,
  int, type IntType, type Type,
} from '../types';
import { intLiteral, wrap } from './fold';
import type { Parser } from './parser';

/** Integer promotion (C11 6.3.1.1p2); bit-fields narrower than int promote to int. */
export function promote(t: Type, bitWidth?: number): Type {
  if (t.kind === 'enum') return promote(asInt(t));
  if (t.kind !== 'int') return t;
  if (bitWidth !== undefined && bitWidth < 32) return INT;
  if (bitWidth === 32) return isSigned(t) ? INT : UINT;
  return rank(t) < rank(INT) ? INT : unqualified(t);
}

export function bitWidthOf(e: Expr): number | undefined {
  return e.kind === 'member' ? e.field.bitWidth : undefined;
}

/** The common type of the usual arithmetic conversions (C11 6.3.1.8). */
export function commonType(a: Type, b: Type, aBits?: number, bBits?: number): Type {
  if (a.kind === 'float' || b.kind === 'float') {
    if ((a.kind === 'float' && a.size === 8) || (b.kind === 'float' && b.size === 8)) return DOUBLE;
    return a.kind === 'float' ? unqualified(a) : unqualified(b);
  }
  const x = promote(a, aBits) as IntType;
  const y = promote(b, bBits) as IntType;
  if (x.int === y.int) return x;
  if (isSigned(x) === isSigned(y)) return rank(x) >= rank(y) ? x : y;
  const [u, s] = isSigned(x) ? [y, x] : [x, y];
  if (rank(u) >= rank(s)) return u;
  if (INT_SIZES[s.int] > INT_SIZES[u.int]) return s;
  return int(s.int === 'long' ? 'ulong' : s.int === 'llong' ? 'ullong' : 'uint');
}

/** Array-to-pointer and function-to-pointer decay; also drops qualifiers of rvalues. */
export function decay(e: Expr): Expr {
  if (e.type.kind === 'array') return { kind: 'addr', operand: e, type: pointerTo(e.type.of), range: e.range };
  if (e.type.kind === 'function') return { kind: 'addr', operand: e, type: pointerTo(e.type), range: e.range };
  return e;
}

export function isLvalue(e: Expr): boolean {
  switch (e.kind) {
    case 'symbol':
      return e.symbol.kind === 'var';
    case 'deref':
    case 'compound-literal':
    case 'string':
      return true;
    case 'member':
      return isLvalue(e.object);
    default:
      return false;
  }
}

export function isNullPointerConstant(e: Expr): boolean {
  if (e.kind === 'int' && e.value === 0n) return true;
  if (e.kind === 'cast' && e.type.kind === 'pointer' && e.type.to.kind === 'void') return isNullPointerConstant(e.operand);
  return false;
}

/** Converts `e` (already decayed) to `to`, folding constants. No checks: see `assignConvert` for those. */
export function convert(e: Expr, to: Type, implicit = true): Expr {
  const target = to;
  if (to.kind === 'void') return { kind: 'cast', operand: e, type: to, implicit, range: e.range };
  const from = e.type;
  if (sameRepresentation(from, target) && implicit) return from === target ? e : { ...e, type: target } as Expr;
  if (e.kind === 'int' && (isInteger(target) || target.kind === 'pointer')) {
    const it = target.kind === 'pointer' ? int('ulong') : asInt(target as IntType);
    return { kind: 'int', value: wrap(e.value, it), type: target, range: e.range };
  }
  if (e.kind === 'int' && target.kind === 'float') return { kind: 'float', value: target.size === 4 ? Math.fround(Number(e.value)) : Number(e.value), type: target, range: e.range };
  if (e.kind === 'float' && isInteger(target) && Number.isFinite(e.value)) return intLiteral(BigInt(Math.trunc(e.value)), target, e.range);
  if (e.kind === 'float' && target.kind === 'float') return { kind: 'float', value: target.size === 4 ? Math.fround(e.value) : e.value, type: target, range: e.range };
  return { kind: 'cast', operand: e, type: target, implicit, range: e.range };
}

/** Same bits in a register: e.g. int and a typedef of int, or two pointer types. */
function sameRepresentation(a: Type, b: Type): boolean {
  if (a.kind === 'pointer' && b.kind === 'pointer') return true;
  if (isInteger(a) && isInteger(b)) {
    const x = asInt(a as IntType);
    const y = asInt(b as IntType);
    return x.int === y.int || (INT_SIZES[x.int] === INT_SIZES[y.int] && isSigned(x) === isSigned(y) && x.int !== 'bool' && y.int !== 'bool');
  }
  if (a.kind === 'float' && b.kind === 'float') return a.size === b.size;
  if (isRecord(a) && isRecord(b)) return a.tag === b.tag;
  return false;
}

/**
 * Converts for assignment, argument passing, return and initialization
 * (C11 6.5.16.1), with gcc 12's diagnostics: errors for what gcc rejects,
 * warnings for what it accepts with a warning.
 */
export function assignConvert(p: Parser, e: Expr, to: Type, what: string, range: SourceRange = e.range): Expr {
  const v = decay(e);
  const from = v.type;
  const t = unqualified(to);
  if (isArithmetic(t) && isArithmetic(from)) return convert(v, t);
  if (t.kind === 'pointer') {
    if (from.kind === 'pointer') {
      const a = t.to;
      const b = from.to;
      if (!(a.kind === 'void' || b.kind === 'void' || compatible(unqualified(a), unqualified(b)))) {
        p.warning(range, `${what} from incompatible pointer type '${typeName(from)}' (expected '${typeName(t)}')`);
      } else if ((b.const && !a.const) || (b.volatile && !a.volatile)) {
        p.warning(range, `${what} discards '${b.const ? 'const' : 'volatile'}' qualifier from pointer target type`);
      }
      return convert(v, t);
    }
    if (isNullPointerConstant(v)) return convert(v, t);
    if (isInteger(from)) {
      p.warning(range, `${what} makes pointer from integer without a cast`);
      return convert(v, t);
    }
  }
  if (t.kind === 'int' && t.int === 'bool' && from.kind === 'pointer') return convert(v, t);
  if (isInteger(t) && from.kind === 'pointer') {
    p.warning(range, `${what} makes integer from pointer without a cast`);
    return convert(v, t);
  }
  if (isRecord(t) && isRecord(from) && t.tag === from.tag) return v;
  p.error(range, `incompatible types in ${what}: '${typeName(from)}' cannot become '${typeName(to)}'`);
  return convert(v, t);
}

/** Checks that `e` is a scalar usable as a condition; returns it decayed. */
export function condition(p: Parser, e: Expr): Expr {
  const v = decay(e);
  if (!(isArithmetic(v.type) || v.type.kind === 'pointer')) p.error(v.range, `used ${typeName(v.type)} where a scalar is required`);
  return v;
}

export const sizeOfType = sizeOf;
