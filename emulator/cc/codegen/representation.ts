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

/** Emits the conversion of register `r` from type `from` to type `to` (both scalar). */
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
  const fromSize = INT_SIZES[f.int];
  const toSize = INT_SIZES[t.int];
  if (toSize === 8) {
    if (f.int === 'uint') em.emit('zext32', 'rr', { a: r, b: r });
    return;
  }
  if (toSize === 4) {
    // Every type of 4 bytes or less is already its own sign-extended 32-bit pattern:
    // only a 64-bit source needs work.
    if (fromSize === 8) em.emit('sext32', 'rr', { a: r, b: r });
    return;
  }
  if (fromSize < toSize) {
    // Widening to short: a negative signed value must wrap into the unsigned range.
    if (isSigned(f) && !isSigned(t)) em.emit('zext16', 'rr', { a: r, b: r });
    return;
  }
  if (fromSize === toSize && isSigned(f) === isSigned(t)) return;
  const op = toSize === 1 ? (isSigned(t) ? 'sext8' : 'zext8') : isSigned(t) ? 'sext16' : 'zext16';
  em.emit(op, 'rr', { a: r, b: r });
}
