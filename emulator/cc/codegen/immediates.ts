// Which constants WS64's immediate forms take (see ExprGen.immediateOp).

import type { BinaryOp } from '../ast';
import type { Type } from '../types';
import { isWord } from './representation';

export const fits8 = (v: bigint): boolean => v >= -128n && v <= 127n;
export const fits32 = (v: bigint): boolean => v >= -(1n << 31n) && v < 1n << 31n;

/** True if `immediateOp` has a form for `op` with constant `v`. */
export function immediateFormExists(op: BinaryOp, t: Type, v: bigint): boolean {
  const word = isWord(t);
  if (op === '+') return fits32(v);
  if (op === '-') return v > -(1n << 31n) && v <= 1n << 31n;
  if (op === '&' || op === '|' || op === '^') return fits32(v);
  if (op === '<<' || op === '>>') return true;
  if (op === '*') {
    const bits = word ? BigInt.asUintN(32, v) : BigInt.asUintN(64, v);
    if (bits !== 0n && (bits & (bits - 1n)) === 0n) return true;
    return !word && fits32(v);
  }
  return false;
}
