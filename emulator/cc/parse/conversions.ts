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

/** Where a value is being converted, for gcc's wording of the messages. */
export type ConversionContext =
  | { readonly kind: 'assignment' }
  | { readonly kind: 'initialization' }
  | { readonly kind: 'return' }
  /** `callee` is the function's name as written ("'f'"), or "function" for a call through an expression. */
  | { readonly kind: 'argument'; readonly index: number; readonly callee: string };

/**
 * Converts for assignment, argument passing, return and initialization
 * (C11 6.5.16.1), with gcc 12's diagnostics and wording: errors for what gcc
 * rejects, warnings for what it accepts with a warning.
 */
export function assignConvert(p: Parser, e: Expr, to: Type, ctx: ConversionContext, range: SourceRange = e.range): Expr {
  const v = decay(e);
  const from = v.type;
  const t = unqualified(to);
  const T = `'${typeName(t)}'`;
  const F = `'${typeName(from)}'`;
  const where = (): string => {
    switch (ctx.kind) {
      case 'assignment':
        return `assignment to ${T} from ${F}`;
      case 'initialization':
        return `initialization of ${T} from ${F}`;
      case 'return':
        return `returning ${F} from a function with return type ${T}`;
      case 'argument':
        return `passing argument ${ctx.index} of ${ctx.callee}`;
    }
  };
  if (from.kind === 'void') {
    p.error(range, 'void value not ignored as it ought to be');
    return { kind: 'int', value: 0n, type: isArithmetic(t) || t.kind === 'pointer' ? t : INT, range: v.range };
  }
  if (isArithmetic(t) && isArithmetic(from)) return convert(v, t);
  if (t.kind === 'pointer') {
    if (from.kind === 'pointer') {
      const a = t.to;
      const b = from.to;
      if (!(a.kind === 'void' || b.kind === 'void' || compatible(unqualified(a), unqualified(b)))) {
        const message = {
          assignment: `assignment to ${T} from incompatible pointer type ${F}`,
          initialization: `initialization of ${T} from incompatible pointer type ${F}`,
          return: `returning ${F} from a function with incompatible return type ${T}`,
          argument: `${where()} from incompatible pointer type (expected ${T} but argument is of type ${F})`,
        }[ctx.kind];
        p.warning(range, message);
      } else if ((b.const && !a.const) || (b.volatile && !a.volatile)) {
        const head = ctx.kind === 'argument' ? where() : ctx.kind;
        p.warning(range, `${head} discards '${b.const && !a.const ? 'const' : 'volatile'}' qualifier from pointer target type`);
      }
      return convert(v, t);
    }
    if (isNullPointerConstant(v)) return convert(v, t);
    if (isInteger(from)) {
      p.warning(range, `${where()} makes pointer from integer without a cast`);
      return convert(v, t);
    }
  }
  if (t.kind === 'int' && t.int === 'bool' && from.kind === 'pointer') return convert(v, t);
  if (isInteger(t) && from.kind === 'pointer') {
    p.warning(range, `${where()} makes integer from pointer without a cast`);
    return convert(v, t);
  }
  if (isRecord(t) && isRecord(from) && t.tag === from.tag) return v;
  const message = {
    assignment: `incompatible types when assigning to type ${T} from type ${F}`,
    initialization: `incompatible types when initializing type ${T} using type ${F}`,
    return: `incompatible types when returning type ${F} but ${T} was expected`,
    argument: `incompatible type for argument ${ctx.kind === 'argument' ? ctx.index : 0} of ${ctx.kind === 'argument' ? ctx.callee : ''} (expected ${T} but argument is of type ${F})`,
  }[ctx.kind];
  // gcc puts warnings about an assignment at the '=', and this error at the value.
  p.error(ctx.kind === 'assignment' ? v.range : range, message);
  return isRecord(t) || isRecord(from) ? { kind: 'int', value: 0n, type: isRecord(t) ? INT : t, range: v.range } : convert(v, t);
}

/** Checks that `e` is a scalar usable as a condition; returns it decayed. */
export function condition(p: Parser, e: Expr): Expr {
  const v = decay(e);
  const t = v.type;
  if (t.kind === 'void') p.error(v.range, 'void value not ignored as it ought to be');
  else if (!(isArithmetic(t) || t.kind === 'pointer')) p.error(v.range, `used ${isRecord(t) ? `${t.kind} type value` : `'${typeName(t)}'`} where scalar is required`);
  return v;
}

export const sizeOfType = sizeOf;
