// Control flow inside expressions: conditions as branches (with
// compare-and-branch instructions and constants folded into them), and the
// values of &&, || and ?:.

import type { Expr } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import type { Label } from './emitter';
import type { ExprGen } from './expr-gen';
import { isUnsigned, representation } from './representation';

const RAX = Reg.RAX;
const RDI = Reg.RDI;

/** `a && b`, `a || b`, `c ? x : y` as values. */
export function conditionalValue(g: ExprGen, e: Expr): void {
  const em = g.em;
  const otherwise = em.newLabel();
  const end = em.newLabel();
  if (e.kind === 'cond') {
    jumpIf(g, e.cond, false, otherwise);
    g.expr(e.then);
    em.branch('jmp', end);
    em.bind(otherwise);
    g.expr(e.otherwise);
    em.bind(end);
    return;
  }
  jumpIf(g, e, false, otherwise);
  em.emit('movi', 'r-imm8', { a: RAX, imm: 1 });
  em.branch('jmp', end);
  em.bind(otherwise);
  em.emit('movi', 'r-imm8', { a: RAX, imm: 0 });
  em.bind(end);
}

/** Branches to `target` if `e` is true (`when` = true) or false (`when` = false); falls through otherwise. */
export function jumpIf(g: ExprGen, e: Expr, when: boolean, target: Label): void {
  const em = g.em;
  if (e.kind === 'int') {
    if ((e.value !== 0n) === when) em.branch('jmp', target);
    return;
  }
  if (e.kind === 'unary' && e.op === '!') return jumpIf(g, e.operand, !when, target);
  if (e.kind === 'logical') {
    const isAnd = e.op === '&&';
    if (isAnd !== when) {
      // (a && b) false -> a false or b false; (a || b) true -> a true or b true.
      jumpIf(g, e.left, when, target);
      jumpIf(g, e.right, when, target);
    } else {
      const skip = em.newLabel();
      jumpIf(g, e.left, !when, skip);
      jumpIf(g, e.right, when, target);
      em.bind(skip);
    }
    return;
  }
  if (e.kind === 'binary' && ['==', '!=', '<', '<=', '>', '>='].includes(e.op)) {
    let op = e.op as '==' | '!=' | '<' | '<=' | '>' | '>=';
    if (!when) op = ({ '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const)[op];
    const u = isUnsigned(e.left.type);
    const right = e.right;
    if (right.kind === 'int') {
      const v = representation(right.value, right.type);
      // a > k is a >= k+1; a <= k is a < k+1.
      const k = op === '>' || op === '<=' ? v + 1n : v;
      const fits = k >= -128n && k <= 127n && !(u && (op === '>' || op === '<=') && v === -1n);
      if (fits) {
        g.expr(e.left);
        const m = op === '==' ? 'beqi' : op === '!=' ? 'bnei' : op === '<' || op === '<=' ? (u ? 'bltui' : 'blti') : u ? 'bgeui' : 'bgei';
        if ((op === '==' || op === '!=') && k === 0n) em.branch(op === '==' ? 'bz' : 'bnz', target, { a: RAX });
        else em.branch(m, target, { a: RAX, cmp: k });
        return;
      }
    }
    g.operands(e.left, e.right);
    const lt = u ? 'bltu' : 'blt';
    const ge = u ? 'bgeu' : 'bge';
    switch (op) {
      case '==':
        return em.branch('beq', target, { a: RAX, b: RDI });
      case '!=':
        return em.branch('bne', target, { a: RAX, b: RDI });
      case '<':
        return em.branch(lt, target, { a: RAX, b: RDI });
      case '>=':
        return em.branch(ge, target, { a: RAX, b: RDI });
      case '>':
        return em.branch(lt, target, { a: RDI, b: RAX });
      case '<=':
        return em.branch(ge, target, { a: RDI, b: RAX });
    }
  }
  g.expr(e);
  em.branch(when ? 'bnz' : 'bz', target, { a: RAX });
}
