// Calls. Arguments are evaluated right to left: the 7th and later are
// pushed (the callee finds them above its return address), the first six go
// straight into the argument registers (System V order), which then count
// as live temporaries (a call nested in an argument pushes and pops them).
// A struct or union result goes to a temporary in the caller's frame, whose
// address is the hidden first argument; a struct or union argument is passed
// as the address of a copy (our convention: both ends are compiled by us).
// The whole sequence runs through ExprGen.clobbering, which saves the live
// caller-saved temporaries around it.

import type { Expr } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { isRecord, sizeOf } from '../types';
import { materialize } from './addressing';
import type { ExprGen } from './expr-gen';
import { ARG_REGS, hasCall } from './regvars';

export { ARG_REGS };

const RAX = Reg.RAX;
const RDI = Reg.RDI;
const R11 = Reg.R11;

/** Evaluates argument `arg` into a register; a record becomes the address of a fresh copy. */
function argument(g: ExprGen, arg: Expr, hint?: number): number {
  if (!isRecord(arg.type)) return g.val(arg, hint);
  const src = g.val(arg);
  const copy = g.ctx.temporary(sizeOf(arg.type));
  const dst = g.alloc(hint);
  materialize(g.em, dst, { kind: 'frame', disp: copy });
  g.copy(dst, src, sizeOf(arg.type));
  g.free(src);
  return dst;
}

export function call(g: ExprGen, e: Extract<Expr, { kind: 'call' }>, hint?: number): number {
  return g.clobbering(() => callSequence(g, e), hint);
}

/** The call itself, with every temporary free on entry; leaves the result in rax and nothing busy. */
function callSequence(g: ExprGen, e: Extract<Expr, { kind: 'call' }>): void {
  const em = g.em;
  const structReturn = isRecord(e.type);
  const args = e.args;
  const regArgs = ARG_REGS.slice(structReturn ? 1 : 0);
  const inRegs = Math.min(args.length, regArgs.length);
  const direct = e.callee.kind === 'addr' && e.callee.operand.kind === 'symbol' && e.callee.operand.symbol.kind === 'function' ? e.callee.operand.symbol : undefined;
  // A callee computed by a call (f()(x)) goes first, so that no argument register is live across its call.
  const calleeFirst = !direct && hasCall(e.callee);
  if (calleeFirst) {
    const c = g.val(e.callee);
    em.emit('push', 'reg-in-op', { a: c });
    g.free(c);
  }
  for (let i = args.length - 1; i >= inRegs; i--) {
    const r = argument(g, args[i]!);
    em.emit('push', 'reg-in-op', { a: r });
    g.free(r);
  }
  for (let i = inRegs - 1; i >= 0; i--) {
    const target = regArgs[i]!;
    const r = argument(g, args[i]!, target);
    if (r !== target) {
      em.emit('mov', 'rr', { a: target, b: r });
      g.free(r);
      g.alloc(target);
    }
  }
  let temp = 0;
  if (structReturn) {
    temp = g.ctx.temporary(sizeOf(e.type));
    materialize(em, RDI, { kind: 'frame', disp: temp });
    g.alloc(RDI);
  }
  if (calleeFirst) em.emit('pop', 'reg-in-op', { a: R11 });
  else if (!direct) g.into(e.callee, R11);
  if (direct) em.emitRelocated('call', 'rel32', {}, 'rel32', g.ctx.staticSymbol(direct), 0);
  else em.emit('call', 'r', { a: R11 });
  for (let i = 0; i < inRegs; i++) g.free(regArgs[i]!);
  g.free(R11);
  g.free(RDI);
  const onStack = args.length - inRegs;
  if (onStack > 0) em.emit('addi', onStack * 8 <= 127 ? 'r-imm8' : 'r-imm32', { a: Reg.RSP, imm: onStack * 8 });
  if (structReturn) materialize(em, RAX, { kind: 'frame', disp: temp });
}
