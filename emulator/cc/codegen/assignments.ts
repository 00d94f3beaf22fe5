// Assignment, compound assignment and ++/--: the target's address is
// computed once (kept in r11 when it needed rax), the value converted to the
// target's type, and stored; bit-fields read-modify-write their unit.

import type { BinaryOp, Expr } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { LONG, type Type } from '../types';
import type { ExprGen } from './expr-gen';
import { convertRegister, isUnsigned, isWord } from './representation';

const RAX = Reg.RAX;
const RDI = Reg.RDI;

/**
 * The value of an assignment to a bit-field is the value stored, i.e.
 * truncated to the field's width (C11 6.5.16p3): `s.b3 = 7` is 3 for a
 * 2-bit unsigned field. Re-extends `r` from the field's width.
 */
function truncateToField(g: ExprGen, r: number, target: Expr, needed: boolean): void {
  if (!needed || target.kind !== 'member' || target.field.bitWidth === undefined) return;
  const shift = 64 - target.field.bitWidth;
  g.em.emit('shli', 'r-imm8', { a: r, imm: shift });
  g.em.emit(isUnsigned(target.field.type) ? 'shri' : 'sari', 'r-imm8', { a: r, imm: shift });
}

export function assign(g: ExprGen, target: Expr, value: Expr): void {
  const em = g.em;
  const needed = g.valueNeeded();
  const direct = g.fixedAddress(target);
  if (direct) {
    g.expr(value);
    g.storeTo(RAX, g.addr(target), target);
    truncateToField(g, RAX, target, needed);
    return;
  }
  g.expr(value);
  em.emit('push', 'reg-in-op', { a: RAX });
  const a = g.stable(g.addr(target));
  em.emit('pop', 'reg-in-op', { a: RDI });
  g.storeTo(RDI, a, target);
  em.emit('mov', 'rr', { a: RAX, b: RDI });
  truncateToField(g, RAX, target, needed);
}

export function compoundAssign(g: ExprGen, e: Extract<Expr, { kind: 'compound-assign' }>): void {
  const em = g.em;
  const needed = g.valueNeeded();
  const simple = g.isSimple(e.value);
  if (!simple) {
    g.expr(e.value);
    em.emit('push', 'reg-in-op', { a: RAX });
  }
  const a = g.stable(g.addr(e.target));
  g.loadFrom(RAX, a, e.target);
  convertRegister(em, RAX, e.target.type, e.computeType);
  if (simple) g.simpleInto(RDI, e.value);
  else em.emit('pop', 'reg-in-op', { a: RDI });
  if (e.computeType.kind === 'pointer') {
    if (e.elementSize !== 1) em.emit('muli', e.elementSize <= 127 ? 'r-imm8' : 'r-imm32', { a: RDI, imm: e.elementSize });
    em.emit(e.op === '+' ? 'add' : 'sub', 'rr', { a: RAX, b: RDI });
  } else applyOp(g, e.op, e.computeType);
  convertRegister(em, RAX, e.computeType, e.target.type);
  g.storeTo(RAX, a, e.target);
  truncateToField(g, RAX, e.target, needed);
}

/** rax = rax op rdi in type `t`. */
function applyOp(g: ExprGen, op: BinaryOp, t: Type): void {
  const word = isWord(t);
  const u = isUnsigned(t);
  const m: Record<string, [string, string]> = {
    '+': ['add', 'addw'], '-': ['sub', 'subw'], '*': ['mul', 'mulw'], '&': ['and', 'and'], '|': ['or', 'or'], '^': ['xor', 'xor'],
    '/': u ? ['divu', 'divuw'] : ['div', 'divw'], '%': u ? ['remu', 'remuw'] : ['rem', 'remw'],
    '<<': ['shl', 'shlw'], '>>': u ? ['shr', 'shrw'] : ['sar', 'sarw'],
  };
  g.em.emit(m[op]![word ? 1 : 0], 'rr', { a: RAX, b: RDI });
}

export function incdec(g: ExprGen, e: Extract<Expr, { kind: 'incdec' }>): void {
  const em = g.em;
  const needed = g.valueNeeded() && e.prefix;
  const a = g.stable(g.addr(e.target));
  g.loadFrom(RAX, a, e.target);
  const r = e.prefix ? RAX : RDI;
  if (!e.prefix) em.emit('mov', 'rr', { a: RDI, b: RAX });
  const word = isWord(e.type);
  const fits8 = e.delta >= -128 && e.delta <= 127;
  em.emit(word ? 'addwi' : 'addi', fits8 ? 'r-imm8' : 'r-imm32', { a: r, imm: e.delta });
  convertRegister(em, r, word ? e.type : LONG, e.type);
  g.storeTo(r, a, e.target);
  truncateToField(g, RAX, e.target, needed);
}
