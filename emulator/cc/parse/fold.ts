// Constant folding with C's semantics: every integer result wraps to its
// type's width (two's complement), as gcc computes it. The parser folds while
// it builds expressions, so constant expressions arrive as literals.

import type { BinaryOp, Expr } from '../ast';
import type { SourceRange } from '../source';
import { asInt, INT, isSigned, sizeOf, type IntType, type Type } from '../types';

/** Wraps `v` to the range of integer type `t`. */
export function wrap(v: bigint, t: IntType): bigint {
  if (t.int === 'bool') return v !== 0n ? 1n : 0n;
  const bits = sizeOf(t) * 8;
  return isSigned(t) ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

export function intLiteral(value: bigint, type: Type, range: SourceRange): Expr {
  const t = type.kind === 'enum' ? asInt(type) : type;
  return { kind: 'int', value: t.kind === 'int' ? wrap(value, t) : value, type, range };
}

/** Folds `l op r` where both are integer literals already converted to the operation's type; undefined if it cannot be folded. */
export function foldIntBinary(op: BinaryOp, l: bigint, r: bigint, operandType: IntType): { value: bigint; resultIsInt: boolean } | undefined {
  const w = (v: bigint): bigint => wrap(v, operandType);
  const bits = BigInt(sizeOf(operandType) * 8);
  switch (op) {
    case '+':
      return { value: w(l + r), resultIsInt: false };
    case '-':
      return { value: w(l - r), resultIsInt: false };
    case '*':
      return { value: w(l * r), resultIsInt: false };
    case '/':
      if (r === 0n) return undefined;
      return { value: w(l / r), resultIsInt: false }; // BigInt division truncates toward zero, as C does
    case '%':
      if (r === 0n) return undefined;
      return { value: w(l % r), resultIsInt: false };
    case '<<':
      if (r < 0n || r >= bits) return undefined;
      return { value: w(l << r), resultIsInt: false };
    case '>>':
      if (r < 0n || r >= bits) return undefined;
      return { value: w(l >> r), resultIsInt: false }; // l is already unsigned for unsigned types: logical shift
    case '&':
      return { value: w(l & r), resultIsInt: false };
    case '|':
      return { value: w(l | r), resultIsInt: false };
    case '^':
      return { value: w(l ^ r), resultIsInt: false };
    case '==':
      return { value: l === r ? 1n : 0n, resultIsInt: true };
    case '!=':
      return { value: l !== r ? 1n : 0n, resultIsInt: true };
    case '<':
      return { value: l < r ? 1n : 0n, resultIsInt: true };
    case '<=':
      return { value: l <= r ? 1n : 0n, resultIsInt: true };
    case '>':
      return { value: l > r ? 1n : 0n, resultIsInt: true };
    case '>=':
      return { value: l >= r ? 1n : 0n, resultIsInt: true };
  }
}

export function foldFloatBinary(op: BinaryOp, l: number, r: number, single: boolean): { value: number; resultIsInt: boolean } | undefined {
  const f = (v: number): number => (single ? Math.fround(v) : v);
  switch (op) {
    case '+':
      return { value: f(l + r), resultIsInt: false };
    case '-':
      return { value: f(l - r), resultIsInt: false };
    case '*':
      return { value: f(l * r), resultIsInt: false };
    case '/':
      return { value: f(l / r), resultIsInt: false };
    case '==':
      return { value: l === r ? 1 : 0, resultIsInt: true };
    case '!=':
      return { value: l !== r ? 1 : 0, resultIsInt: true };
    case '<':
      return { value: l < r ? 1 : 0, resultIsInt: true };
    case '<=':
      return { value: l <= r ? 1 : 0, resultIsInt: true };
    case '>':
      return { value: l > r ? 1 : 0, resultIsInt: true };
    case '>=':
      return { value: l >= r ? 1 : 0, resultIsInt: true };
    default:
      return undefined;
  }
}

/** The value of an integer constant expression, if `e` is one (after folding). */
export function constantValue(e: Expr): bigint | undefined {
  if (e.kind === 'int') return e.value;
  if (e.kind === 'cast' && e.operand.kind === 'int' && (e.type.kind === 'int' || e.type.kind === 'enum')) return wrap(e.operand.value, asInt(e.type));
  return undefined;
}

export const TRUE_INT = (range: SourceRange): Expr => ({ kind: 'int', value: 1n, type: INT, range });
