// How C integer values sit in 64-bit registers, and the instructions that
// convert between types. The convention (RISC-V's, which the W operations of
// WS64 assume):
// - every type holds its true value (sign- or zero-extended), except
// - `unsigned int`, which is held sign-extended like `int`: the W operations
//   produce sign-extended results, equality and unsigned comparisons still
//   give the right answers, and int <-> unsigned int costs nothing. Widening
//   it to a 64-bit type needs a `zext32`.
// Pointers, long and unsigned long are full 64-bit values.

import { asInt, INT_SIZES, isSigned, type IntType, type Type } from '../types';
import type { Emitter } from './emitter';

/** The integer view of a scalar type for code generation (pointers behave as unsigned long). */
export function scalarKind(t: Type): IntType | undefined {
  if (t.kind === 'int') return t;
  if (t.kind === 'enum') return asInt(t);
  if (t.kind === 'pointer') return { kind: 'int', int: 'ulong' };
  return undefined;
}

/** True if operations on `t` use the 32-bit ("W") instructions. */
export function isWord(t: Type): boolean {
  const k = scalarKind(t);
  return k !== undefined && INT_SIZES[k.int] === 4;
}

/** True if comparisons and division on `t` are unsigned. */
export function isUnsigned(t: Type): boolean {
  const k = scalarKind(t);
  return k !== undefined && !isSigned(k);
}

/** The register representation of constant `v` of type `t`. */
export function representation(v: bigint, t: Type): bigint {
  const k = scalarKind(t);
  if (!k) return v;
  if (k.int === 'uint') return BigInt.asIntN(32, v);
  if (INT_SIZES[k.int] === 8) return BigInt.asIntN(64, v);
  return v;
}

/**
 * The one instruction (`op dst, src`) that converts a value of type `from`
 * to type `to` (both scalar, `to` not _Bool), or undefined when the register
 * already holds the right representation.
 */
export function conversionOp(from: Type, to: Type): string | undefined {
  const f = scalarKind(from);
  const t = scalarKind(to);
  if (!f || !t || t.int === 'bool') return undefined;
  const fromSize = INT_SIZES[f.int];
  const toSize = INT_SIZES[t.int];
  if (toSize === 8) return f.int === 'uint' ? 'zext32' : undefined;
  // Every type of 4 bytes or less is already its own sign-extended 32-bit pattern:
  // only a 64-bit source needs work.
  if (toSize === 4) return fromSize === 8 ? 'sext32' : undefined;
  if (fromSize < toSize) {
    // Widening to short: a negative signed value must wrap into the unsigned range.
    return isSigned(f) && !isSigned(t) ? 'zext16' : undefined;
  }
  if (fromSize === toSize && isSigned(f) === isSigned(t)) return undefined;
  return toSize === 1 ? (isSigned(t) ? 'sext8' : 'zext8') : isSigned(t) ? 'sext16' : 'zext16';
}

/** True if converting `from` to `to` changes the register (a _Bool target counts unless the source is _Bool). */
export function needsConversion(from: Type, to: Type): boolean {
  const t = scalarKind(to);
  if (t?.int === 'bool') return scalarKind(from)?.int !== 'bool';
  return conversionOp(from, to) !== undefined;
}

/**
 * Emits the conversion of register `r` from type `from` to type `to` (both
 * scalar). A _Bool target needs a zero register: r10 or r11, so only code
 * that owns those (statement level, outside the register allocator) calls this
 * for _Bool; ExprGen.convert handles _Bool itself.
 */
export function convertRegister(em: Emitter, r: number, from: Type, to: Type): void {
  const f = scalarKind(from);
  const t = scalarKind(to);
  if (!f || !t) return;
  if (t.int === 'bool') {
    if (f.int === 'bool') return;
    // r = (r != 0), with a scratch register holding zero.
    const zero = r === 11 ? 10 : 11;
    em.emit('movi', 'r-imm8', { a: zero, imm: 0 });
    em.emit('sne', 'rr', { a: r, b: zero });
    return;
  }
  const op = conversionOp(from, to);
  if (op) em.emit(op, 'rr', { a: r, b: r });
}
