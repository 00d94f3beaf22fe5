// Building typed operator nodes: the constraints and conversions of C11
// 6.5.3-6.5.17, with constant folding.

import type { BinaryOp, Expr } from '../ast';
import type { SourceRange } from '../source';
import {
  asInt, compatible, INT, isArithmetic, isComplete, isInteger, isScalar, LONG, PTRDIFF_T, sizeOf, typeName, unqualified,
  type IntType, type Type,
} from '../types';
import { assignConvert, bitWidthOf, commonType, convert, decay, isLvalue, isNullPointerConstant, promote } from './conversions';
import { foldFloatBinary, foldIntBinary } from './fold';
import type { Parser } from './parser';

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '<', '<=', '>', '>=']);

/** Size of the object a pointer points to, for arithmetic; void and functions count 1, as in GNU C. */
export function elementSize(p: Parser, ptr: Type, range: SourceRange): number {
  if (ptr.kind !== 'pointer') return 1;
  const t = ptr.to;
  if (t.kind === 'void' || t.kind === 'function') return 1;
  if (!isComplete(t)) {
    p.error(range, `arithmetic on a pointer to an incomplete type '${typeName(t)}'`);
    return 1;
  }
  return sizeOf(t);
}

function folded(op: BinaryOp, l: Expr, r: Expr, opType: Type, type: Type, range: SourceRange): Expr {
  if (l.kind === 'int' && r.kind === 'int' && opType.kind !== 'pointer') {
    const f = foldIntBinary(op, l.value, r.value, asInt(opType as IntType));
    if (f) return { kind: 'int', value: f.value, type, range };
  }
  if (l.kind === 'float' && r.kind === 'float' && opType.kind === 'float') {
    const f = foldFloatBinary(op, l.value, r.value, opType.size === 4);
    if (f) return f.resultIsInt ? { kind: 'int', value: BigInt(f.value), type: INT, range } : { kind: 'float', value: f.value, type, range };
  }
  return { kind: 'binary', op, left: l, right: r, type, range };
}

/** `at` is where gcc points its messages: the operator (defaults to the whole expression). */
export function binary(p: Parser, op: BinaryOp, left: Expr, right: Expr, range: SourceRange, at: SourceRange = range): Expr {
  const lb = bitWidthOf(left);
  const rb = bitWidthOf(right);
  const l = decay(left);
  const r = decay(right);
  const lt = l.type;
  const rt = r.type;
  const bad = (): Expr => {
    p.error(at, `invalid operands to binary ${op} (have '${typeName(lt)}' and '${typeName(rt)}')`);
    return { kind: 'int', value: 0n, type: INT, range };
  };
  if (op === '+' || op === '-') {
    if (lt.kind === 'pointer' && isInteger(rt)) return pointerAdd(p, l, r, op === '-', range);
    if (op === '+' && isInteger(lt) && rt.kind === 'pointer') return pointerAdd(p, r, l, false, range);
    if (op === '-' && lt.kind === 'pointer' && rt.kind === 'pointer') {
      if (!compatible(unqualified(lt.to), unqualified(rt.to))) p.error(at, `invalid operands to binary - (have '${typeName(lt)}' and '${typeName(rt)}')`);
      return { kind: 'ptr-diff', left: l, right: r, elementSize: elementSize(p, lt, range), type: PTRDIFF_T, range };
    }
  }
  if (op === '<<' || op === '>>') {
    if (!isInteger(lt) || !isInteger(rt)) return bad();
    const t = promote(lt, lb);
    const count = r.kind === 'int' ? r.value : undefined;
    if (count !== undefined && (count < 0n || count >= BigInt(sizeOf(t) * 8))) p.warning(r.range, `shift count ${count < 0n ? 'is negative' : '>= width of type'}`);
    return folded(op, convert(l, t), convert(r, t), t, t, range);
  }
  if (COMPARISONS.has(op)) {
    if (isArithmetic(lt) && isArithmetic(rt)) {
      const t = commonType(lt, rt, lb, rb);
      return folded(op, convert(l, t), convert(r, t), t, INT, range);
    }
    if (lt.kind === 'pointer' || rt.kind === 'pointer') {
      const eq = op === '==' || op === '!=';
      if (lt.kind === 'pointer' && rt.kind === 'pointer') {
        const a = unqualified(lt.to);
        const b = unqualified(rt.to);
        if (!compatible(a, b) && !(eq && (a.kind === 'void' || b.kind === 'void'))) p.warning(at, `comparison of distinct pointer types lacks a cast`);
        return { kind: 'binary', op, left: l, right: convert(r, lt), type: INT, range };
      }
      if (lt.kind === 'pointer' && isInteger(rt)) {
        if (!isNullPointerConstant(r)) p.warning(at, 'comparison between pointer and integer');
        return { kind: 'binary', op, left: l, right: convert(r, lt), type: INT, range };
      }
      if (rt.kind === 'pointer' && isInteger(lt)) {
        if (!isNullPointerConstant(l)) p.warning(at, 'comparison between pointer and integer');
        return { kind: 'binary', op, left: convert(l, rt), right: r, type: INT, range };
      }
    }
    return bad();
  }
  if (op === '&' || op === '|' || op === '^' || op === '%') {
    if (!isInteger(lt) || !isInteger(rt)) return bad();
  } else if (!isArithmetic(lt) || !isArithmetic(rt)) return bad();
  const t = commonType(lt, rt, lb, rb);
  if ((op === '/' || op === '%') && r.kind === 'int' && r.value === 0n) p.warning(at, 'division by zero');
  return folded(op, convert(l, t), convert(r, t), t, t, range);
}

function pointerAdd(p: Parser, ptr: Expr, index: Expr, negate: boolean, range: SourceRange): Expr {
  let idx = convert(index, LONG);
  if (negate) idx = idx.kind === 'int' ? { ...idx, value: BigInt.asIntN(64, -idx.value) } : { kind: 'unary', op: '-', operand: idx, type: LONG, range: idx.range };
  return { kind: 'ptr-add', pointer: ptr, index: idx, elementSize: elementSize(p, ptr.type, range), type: ptr.type, range };
}

export function unary(p: Parser, op: '-' | '~' | '!' | '+', operand: Expr, range: SourceRange): Expr {
  const v = decay(operand);
  if (op === '!') {
    if (!isScalar(v.type)) p.error(range, `wrong type argument to unary exclamation mark`);
    if (v.kind === 'int') return { kind: 'int', value: v.value === 0n ? 1n : 0n, type: INT, range };
    return { kind: 'unary', op: '!', operand: v, type: INT, range };
  }
  if (op === '~' ? !isInteger(v.type) : !isArithmetic(v.type)) {
    p.error(range, `wrong type argument to unary ${op === '~' ? 'complement' : op === '-' ? 'minus' : 'plus'}`);
    return { kind: 'int', value: 0n, type: INT, range }; // an int, so the error does not cascade
  }
  const t = promote(v.type, bitWidthOf(operand));
  const c = convert(v, t);
  if (op === '+') return c;
  if (c.kind === 'int') {
    const f = foldIntBinary(op === '-' ? '-' : '^', op === '-' ? 0n : c.value, op === '-' ? c.value : -1n, asInt(t as IntType));
    if (f) return { kind: 'int', value: f.value, type: t, range };
  }
  if (c.kind === 'float' && op === '-') return { kind: 'float', value: -c.value, type: t, range };
  return { kind: 'unary', op, operand: c, type: t, range };
}

/** `what` is gcc's phrase: 'left operand of assignment', 'increment operand' or 'decrement operand'. */
export function checkModifiable(p: Parser, target: Expr, range: SourceRange, what: string): boolean {
  if (!isLvalue(target)) {
    p.error(range, `lvalue required as ${what}`);
    return false;
  }
  if (target.type.const) {
    p.error(range, `${what === 'left operand of assignment' ? 'assignment' : what.split(' ')[0]} of read-only ${describeLvalue(target)}`);
    return false;
  }
  if (target.type.kind === 'array') {
    p.error(range, `assignment to expression with array type`);
    return false;
  }
  return true;
}

function describeLvalue(e: Expr): string {
  if (e.kind === 'symbol') return `variable '${e.symbol.name}'`;
  if (e.kind === 'member') return `member '${e.field.name ?? ''}'`;
  return 'location';
}

export function assign(p: Parser, target: Expr, value: Expr, range: SourceRange, at: SourceRange = range): Expr {
  if (!checkModifiable(p, target, at, 'left operand of assignment')) return { kind: 'assign', target, value: decay(value), type: unqualified(target.type), range };
  const v = assignConvert(p, value, target.type, { kind: 'assignment' }, at);
  return { kind: 'assign', target, value: v, type: unqualified(target.type), range };
}

export function compoundAssign(p: Parser, op: BinaryOp, target: Expr, value: Expr, range: SourceRange, at: SourceRange = range): Expr {
  checkModifiable(p, target, at, 'left operand of assignment');
  const tt = target.type;
  const v = decay(value);
  if (tt.kind === 'pointer' && (op === '+' || op === '-') && isInteger(v.type)) {
    return { kind: 'compound-assign', op, target, value: convert(v, LONG), computeType: tt, elementSize: elementSize(p, tt, range), type: unqualified(tt), range };
  }
  // Check the operation as if written `target op value`.
  const probe = binary(p, op, target, v, range, at);
  const computeType = op === '<<' || op === '>>' ? promote(tt, bitWidthOf(target)) : probe.type;
  return { kind: 'compound-assign', op, target, value: convert(v, computeType), computeType, elementSize: 1, type: unqualified(tt), range };
}

export function incdec(p: Parser, target: Expr, prefix: boolean, increment: boolean, range: SourceRange, at: SourceRange = range): Expr {
  const what = `${increment ? 'increment' : 'decrement'} operand`;
  checkModifiable(p, target, at, what);
  const t = target.type;
  if (!isScalar(t)) p.error(at, `wrong type argument to ${increment ? 'increment' : 'decrement'}`);
  const step = t.kind === 'pointer' ? elementSize(p, t, range) : 1;
  return { kind: 'incdec', prefix, delta: increment ? step : -step, target, type: unqualified(t), range };
}
