// Calls: arguments right to left onto the stack, the first six popped into
// the argument registers (System V order); more stay on the stack for the
// callee, which finds them above its return address. A struct or union
// result goes to a temporary in the caller's frame, whose address is the
// hidden first argument; a struct or union argument is passed as the address
// of a copy (our convention: both ends are compiled by us).

import type { Expr } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { isRecord, sizeOf } from '../types';
import { copyBytes, materialize } from './addressing';
import type { ExprGen } from './expr-gen';

export const ARG_REGS = [Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9] as const;

const RAX = Reg.RAX;
const RDI = Reg.RDI;
const R11 = Reg.R11;

export function call(g: ExprGen, e: Extract<Expr, { kind: 'call' }>): void {
  const em = g.em;
  const structReturn = isRecord(e.type);
  const args = [...e.args];
  // Arguments right to left onto the stack, then the first six into registers.
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    g.expr(arg);
    if (isRecord(arg.type)) {
      // A struct or union goes by value as the address of a copy in the caller's frame
      // (our convention, not the psABI's: both ends are compiled by us).
      const copy = g.ctx.temporary(sizeOf(arg.type));
      materialize(em, RDI, { kind: 'frame', disp: copy });
      copyBytes(em, RDI, RAX, sizeOf(arg.type), Reg.RDX);
      em.emit('push', 'reg-in-op', { a: RDI });
    } else em.emit('push', 'reg-in-op', { a: RAX });
  }
  let temp = 0;
  // A struct result goes to a temporary in our frame whose address is the hidden first argument.
  if (structReturn) temp = g.ctx.temporary(sizeOf(e.type));
  const direct = e.callee.kind === 'addr' && e.callee.operand.kind === 'symbol' && e.callee.operand.symbol.kind === 'function' ? e.callee.operand.symbol : undefined;
  if (!direct) {
    g.expr(e.callee);
    em.emit('mov', 'rr', { a: R11, b: RAX });
  }
  const regArgs = ARG_REGS.slice(structReturn ? 1 : 0);
  const inRegs = Math.min(args.length, regArgs.length);
  for (let i = 0; i < inRegs; i++) em.emit('pop', 'reg-in-op', { a: regArgs[i]! });
  if (structReturn) materialize(em, RDI, { kind: 'frame', disp: temp });
  if (direct) em.emitRelocated('call', 'rel32', {}, 'rel32', g.ctx.staticSymbol(direct), 0);
  else em.emit('call', 'r', { a: R11 });
  const onStack = args.length - inRegs;
  if (onStack > 0) em.emit('addi', onStack * 8 <= 127 ? 'r-imm8' : 'r-imm32', { a: Reg.RSP, imm: onStack * 8 });
  if (structReturn) materialize(em, RAX, { kind: 'frame', disp: temp });
}
