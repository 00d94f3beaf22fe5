// Builtins that become a few instructions: the stdarg operations and the
// machine operations behind x86-64.h's helpers.
//
// va_list follows the System V layout (24 bytes): { unsigned gp_offset;
// unsigned fp_offset; void* overflow_arg_area; void* reg_save_area; }. A
// variadic function's prologue stores the six argument registers in its
// register save area; va_arg takes the next one from there, then continues
// with the arguments the caller pushed.

import type { Expr } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { loadScalar, memOp } from './addressing';
import { constantValue } from '../parse/fold';
import type { ExprGen } from './expr-gen';

const RAX = Reg.RAX;
const RDI = Reg.RDI;
const RSI = Reg.RSI;
const CR: Readonly<Record<string, number>> = { lcr0: 0, rcr0: 0, rcr2: 2, lcr3: 3, rcr3: 3, lcr4: 4, rcr4: 4 };

export function intrinsic(g: ExprGen, e: Extract<Expr, { kind: 'intrinsic' }>): void {
  const em = g.em;
  const args = e.args;
  switch (e.name) {
    case 'lcr0':
    case 'lcr3':
    case 'lcr4':
      g.expr(args[0]!);
      em.emit('movcr', 'r-cr', { a: RAX, b: CR[e.name] });
      return;
    case 'rcr0':
    case 'rcr2':
    case 'rcr3':
    case 'rcr4':
      em.emit('movrc', 'r-cr', { a: RAX, b: CR[e.name] });
      return;
    case 'invlpg':
      g.expr(args[0]!);
      em.emit('invlpg', 'r', { a: RAX });
      return;
    case 'inb':
    case 'inw':
    case 'inl':
      g.expr(args[0]!);
      em.emit(e.name === 'inb' ? 'in8' : e.name === 'inw' ? 'in16' : 'in32', 'rr', { a: RAX, b: RAX });
      return;
    case 'outb':
    case 'outw':
    case 'outl':
      g.operands(args[0]!, args[1]!);
      em.emit(e.name === 'outb' ? 'out8' : e.name === 'outw' ? 'out16' : 'out32', 'rr', { a: RAX, b: RDI });
      return;
    case 'hlt':
    case 'cli':
    case 'sti':
      em.emit(e.name, 'none');
      return;
    case 'read_rflags':
      em.emit('pushf', 'none');
      em.emit('pop', 'reg-in-op', { a: RAX });
      return;
    case 'read_rsp':
      em.emit('mov', 'rr', { a: RAX, b: Reg.RSP });
      return;
    case 'read_rbp':
      em.emit('mov', 'rr', { a: RAX, b: Reg.RBP });
      return;
    case 'iret':
    case 'lidt':
    case 'ltr':
      g.expr(args[0]!);
      em.emit(e.name, 'r', { a: RAX });
      return;
    case 'int': {
      // The vector was checked to be a constant by the parser.
      const vector = Number(constantValue(args[0]!) ?? 0n);
      g.expr(args[1]!);
      em.emit('mov', 'rr', { a: RDI, b: RAX });
      em.emit('int', 'imm8', { imm: vector });
      return;
    }
    case 'unreachable':
    case 'trap':
      em.emit('ud2', 'none');
      return;
    case 'va_start': {
      const { saveArea, namedRegs, namedStack } = g.ctx.varargs();
      g.expr(args[0]!); // the va_list decays to a pointer to its one element
      em.emit('movi', 'r-imm8', { a: RDI, imm: namedRegs * 8 });
      memOp(em, 'st32', RDI, { kind: 'reg', reg: RAX, disp: 0 });
      em.emit('movi', 'r-imm8', { a: RDI, imm: 48 });
      memOp(em, 'st32', RDI, { kind: 'reg', reg: RAX, disp: 4 });
      memOp(em, 'lea', RDI, { kind: 'frame', disp: 16 + namedStack * 8 });
      memOp(em, 'st64', RDI, { kind: 'reg', reg: RAX, disp: 8 });
      memOp(em, 'lea', RDI, { kind: 'frame', disp: saveArea });
      memOp(em, 'st64', RDI, { kind: 'reg', reg: RAX, disp: 16 });
      return;
    }
    case 'va_arg': {
      // rsi = ap; if gp_offset < 48 take reg_save_area + gp_offset, else overflow_arg_area.
      const fromStack = em.newLabel();
      const done = em.newLabel();
      g.expr(args[0]!);
      em.emit('mov', 'rr', { a: RSI, b: RAX });
      memOp(em, 'ld32u', RDI, { kind: 'reg', reg: RSI, disp: 0 });
      em.branch('bgeui', fromStack, { a: RDI, cmp: 48 });
      memOp(em, 'ld64', RAX, { kind: 'reg', reg: RSI, disp: 16 });
      em.emit('add', 'rr', { a: RAX, b: RDI });
      em.emit('addi', 'r-imm8', { a: RDI, imm: 8 });
      memOp(em, 'st32', RDI, { kind: 'reg', reg: RSI, disp: 0 });
      em.branch('jmp', done);
      em.bind(fromStack);
      memOp(em, 'ld64', RAX, { kind: 'reg', reg: RSI, disp: 8 });
      em.emit('lea', 'mem8', { a: RDI, b: RAX, imm: 8 });
      memOp(em, 'st64', RDI, { kind: 'reg', reg: RSI, disp: 8 });
      em.bind(done);
      // rax points at the argument: load it with the requested type's representation.
      loadScalar(em, RAX, { kind: 'reg', reg: RAX, disp: 0 }, e.type);
      return;
    }
    case 'va_end':
      g.expr(args[0]!);
      return;
    case 'va_copy':
      g.operands(args[0]!, args[1]!);
      for (const off of [0, 8, 16]) {
        memOp(em, 'ld64', RSI, { kind: 'reg', reg: RDI, disp: off });
        memOp(em, 'st64', RSI, { kind: 'reg', reg: RAX, disp: off });
      }
      return;
  }
}
