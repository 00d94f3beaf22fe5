// Assignment, compound assignment and ++/--. A register variable is updated
// in place (`x += y` is one instruction; `x = e` computes e straight into x
// when e does not mention x). A target in memory has its address computed
// once, is loaded, operated on and stored; bit-fields read-modify-write
// their unit.

import type { BinaryOp, Expr, VarSymbol } from '../ast';
import { LONG, isRecord, sizeOf, type Type } from '../types';
import type { ExprGen } from './expr-gen';
import { loadScalar } from './addressing';
import { isUnsigned, isWord, needsConversion, scalarKind } from './representation';
import { hasCall, mentions } from './regvars';

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '<', '<=', '>', '>=']);

/**
 * The value of an assignment to a bit-field is the value stored, i.e.
 * truncated to the field's width (C11 6.5.16p3): `s.b3 = 7` is 3 for a
 * 2-bit unsigned field. Re-extends `r` from the field's width.
 */
function truncateToField(g: ExprGen, r: number, target: Expr, needed: boolean): number {
  if (!needed || target.kind !== 'member' || target.field.bitWidth === undefined) return r;
  const d = g.own(r);
  const shift = 64 - target.field.bitWidth;
  g.em.emit('shli', 'r-imm8', { a: d, imm: shift });
  g.em.emit(isUnsigned(target.field.type) ? 'shri' : 'sari', 'r-imm8', { a: d, imm: shift });
  return d;
}

/**
 * Sets register variable `v` (in register x) to `value`, whose type is
 * `from` (default: v's own type, as the operand of an assignment already is).
 */
export function setVar(g: ExprGen, x: number, v: VarSymbol, value: Expr, from: Type = v.type): void {
  const em = g.em;
  if (!needsConversion(from, v.type)) {
    // x = x op y, x = x + i: in place.
    if (value.kind === 'binary' && !COMPARISONS.has(value.op) && isVar(value.left, v) && !needsConversion(value.type, v.type)) {
      g.applyOp(x, value.op, value.type, value.right);
      return;
    }
    if (value.kind === 'ptr-add' && isVar(value.pointer, v)) {
      pointerStep(g, x, '+', value.index, value.elementSize);
      return;
    }
  }
  if (!needsConversion(from, v.type) && (value.kind === 'member' || value.kind === 'deref') && scalarKind(value.type) && !(value.kind === 'member' && value.field.bitWidth !== undefined)) {
    // x = p->next: the load may target x even if the address uses x (it is read first).
    const a = g.address(value);
    g.freeAddr(a);
    loadScalar(em, x, a, value.type);
    return;
  }
  let r: number;
  if (!mentions(value, v)) {
    // Computing into x directly is invisible: nothing in the expression reads x.
    const prev = g.borrowed;
    g.borrowed = x;
    try {
      r = g.convert(g.val(value, x), from, v.type, x);
    } finally {
      g.borrowed = prev;
    }
  } else r = g.convert(g.val(value), from, v.type);
  if (r !== x) em.emit('mov', 'rr', { a: x, b: r });
  g.free(r);
  g.free(x);
}

/**
 * A store writes only the low bytes of a register, and the conversions
 * between integer types only change bits at or above the smaller of the two
 * sizes: a conversion before a store no wider than both sizes can be left
 * out (`p->vx = (short)-p->vx` needs no sext16). Not for _Bool (a real test).
 */
function stripTruncations(value: Expr, target: Expr): Expr {
  const size = storedSize(target);
  if (size === undefined) return value;
  while (value.kind === 'cast' && scalarKind(value.type) && scalarKind(value.operand.type) && scalarKind(value.type)!.int !== 'bool' && size <= Math.min(sizeOf(value.type), sizeOf(value.operand.type))) value = value.operand;
  return value;
}

/** The byte size a store to `target` writes, for a plain integer target (not _Bool, not a record). */
function storedSize(target: Expr): number | undefined {
  const k = scalarKind(target.type);
  if (!k || k.int === 'bool') return undefined;
  return sizeOf(target.type);
}

/** Whether the conversion of a value to `target`'s type before its store can be left out (see stripTruncations). */
function storeTruncates(target: Expr, needed: boolean): boolean {
  return !needed && storedSize(target) !== undefined;
}

function isVar(e: Expr, v: VarSymbol): boolean {
  return e.kind === 'symbol' && e.symbol === v;
}

/** d = d op (index * size) for a pointer d; `pre` is the index already evaluated. */
function pointerStep(g: ExprGen, d: number, op: BinaryOp, index: Expr, size: number, pre?: number): number {
  const em = g.em;
  if (pre === undefined && index.kind === 'int') {
    let k = BigInt.asIntN(64, index.value * BigInt(size));
    if (op === '-') k = BigInt.asIntN(64, -k);
    if (k >= -(1n << 31n) && k < 1n << 31n) {
      if (k !== 0n) em.emit('addi', k >= -128n && k <= 127n ? 'r-imm8' : 'r-imm32', { a: d, imm: k });
      return d;
    }
  }
  let r: number;
  if (pre !== undefined) r = pre;
  else [r, [d]] = g.holding([d], index, () => g.val(index)) as [number, number[]];
  const scale = [1, 2, 4, 8].indexOf(size);
  if (op === '+' && scale >= 0) {
    em.emit('lea', 'mem-idx', { a: d, b: d, c: r, s: scale });
    g.free(r);
    return d;
  }
  r = g.own(r);
  g.scaleBy(r, size);
  em.emit(op === '+' ? 'add' : 'sub', 'rr', { a: d, b: r });
  g.free(r);
  return d;
}

export function assign(g: ExprGen, e: Extract<Expr, { kind: 'assign' }>, hint?: number): number {
  const needed = g.valueNeeded();
  const { target, value } = e;
  const x = g.regVarOf(target);
  if (x !== undefined) {
    setVar(g, x, (target as Extract<Expr, { kind: 'symbol' }>).symbol as VarSymbol, value);
    return x;
  }
  const v = g.val(needed ? value : stripTruncations(value, target), isRecord(target.type) ? undefined : hint);
  const [a, [v2]] = g.holding([v], target, () => g.address(target));
  g.store(v2!, a, target);
  g.freeAddr(a);
  return truncateToField(g, v2!, target, needed);
}

export function compoundAssign(g: ExprGen, e: Extract<Expr, { kind: 'compound-assign' }>, hint?: number): number {
  const needed = g.valueNeeded();
  const { target, value, computeType: ct, op } = e;
  const x = g.regVarOf(target);
  if (x !== undefined) {
    if (ct.kind === 'pointer') pointerStep(g, x, op, value, e.elementSize);
    else if (!needsConversion(target.type, ct) && !needsConversion(ct, target.type)) g.applyOp(x, op, ct, value);
    else {
      let d = g.own(g.convert(x, target.type, ct));
      d = g.applyOp(d, op, ct, value);
      d = g.convert(d, ct, target.type);
      g.em.emit('mov', 'rr', { a: x, b: d });
      g.free(d);
    }
    return x;
  }
  // A value containing a call goes first, so that nothing is live across the call.
  let pre = hasCall(value) ? g.val(value) : undefined;
  let a;
  if (pre !== undefined) {
    let held: number[];
    [a, held] = g.holding([pre], target, () => g.address(target));
    pre = held[0];
  } else a = g.address(target);
  let d = g.load(a, target, hint, true);
  d = g.convert(d, target.type, ct);
  if (ct.kind === 'pointer') d = pointerStep(g, d, op, value, e.elementSize, pre);
  else if (pre !== undefined) {
    g.em.emit(opOf(op, ct), 'rr', { a: d, b: pre });
    g.free(pre);
  } else d = g.applyOp(d, op, ct, value);
  if (!storeTruncates(target, needed) || sizeOf(target.type) > sizeOf(ct)) d = g.convert(d, ct, target.type);
  g.store(d, a, target);
  g.freeAddr(a);
  return truncateToField(g, d, target, needed);
}

function opOf(op: BinaryOp, t: Type): string {
  const u = isUnsigned(t);
  const m: Record<string, [string, string]> = {
    '+': ['add', 'addw'], '-': ['sub', 'subw'], '*': ['mul', 'mulw'], '&': ['and', 'and'], '|': ['or', 'or'], '^': ['xor', 'xor'],
    '/': u ? ['divu', 'divuw'] : ['div', 'divw'], '%': u ? ['remu', 'remuw'] : ['rem', 'remw'],
    '<<': ['shl', 'shlw'], '>>': u ? ['shr', 'shrw'] : ['sar', 'sarw'],
  };
  return m[op]![isWord(t) ? 1 : 0];
}

export function incdec(g: ExprGen, e: Extract<Expr, { kind: 'incdec' }>, hint?: number): number {
  const em = g.em;
  const needed = g.valueNeeded();
  const word = isWord(e.type);
  const fits8 = e.delta >= -128 && e.delta <= 127;
  const step = (d: number, convert = true): void => {
    em.emit(word ? 'addwi' : 'addi', fits8 ? 'r-imm8' : 'r-imm32', { a: d, imm: e.delta });
    if (convert) g.convertIn(d, word ? e.type : LONG, e.type);
  };
  const x = g.regVarOf(e.target);
  if (x !== undefined) {
    let old: number | undefined;
    if (!e.prefix && needed) {
      old = g.alloc(hint);
      em.emit('mov', 'rr', { a: old, b: x });
    }
    step(x);
    return old ?? x;
  }
  const a = g.address(e.target);
  const d = g.load(a, e.target, hint, true);
  if (!e.prefix && needed) {
    const n = g.alloc();
    em.emit('mov', 'rr', { a: n, b: d });
    step(n, storedSize(e.target) === undefined);
    g.store(n, a, e.target);
    g.free(n);
    g.freeAddr(a);
    return d;
  }
  step(d, !storeTruncates(e.target, needed && e.prefix));
  g.store(d, a, e.target);
  g.freeAddr(a);
  return truncateToField(g, d, e.target, needed && e.prefix);
}
