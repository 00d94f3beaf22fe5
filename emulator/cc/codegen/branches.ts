// Control flow inside expressions: conditions as branches (with
// compare-and-branch instructions, constants folded into them), and the
// values of &&, || and ?:.

import type { Expr } from '../ast';
import type { Label } from './emitter';
import type { ExprGen } from './expr-gen';
import { isUnsigned, representation, scalarKind } from './representation';

type Rel = '==' | '!=' | '<' | '<=' | '>' | '>=';
const NEGATE: Record<Rel, Rel> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
const MIRROR: Record<Rel, Rel> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `a && b`, `a || b`, `c ? x : y` as values, in one register on both paths. */
export function conditionalValue(g: ExprGen, e: Expr, hint?: number): number {
  const em = g.em;
  const otherwise = em.newLabel();
  const end = em.newLabel();
  const r = g.alloc(hint);
  // Each arm computes into r (free while the arm runs, so that it can be the arm's own result).
  const arm = (x: Expr): void => {
    g.free(r);
    const v = g.val(x, r);
    if (v !== r) {
      g.alloc(r);
      em.emit('mov', 'rr', { a: r, b: v });
      g.free(v);
    }
  };
  if (e.kind === 'cond') {
    g.free(r);
    jumpIf(g, e.cond, false, otherwise);
    g.alloc(r);
    arm(e.then);
    em.branch('jmp', end);
    em.bind(otherwise);
    arm(e.otherwise);
    em.bind(end);
    return r;
  }
  jumpIf(g, e, false, otherwise);
  em.emit('movi', 'r-imm8', { a: r, imm: 1 });
  em.branch('jmp', end);
  em.bind(otherwise);
  em.emit('movi', 'r-imm8', { a: r, imm: 0 });
  em.bind(end);
  return r;
}

/**
 * `x < 0 || x >= k` (outside: true) or `x >= 0 && x < k` (outside: false),
 * either way round, for a signed x that is the same side-effect-free,
 * non-volatile expression in both tests and a constant k >= 0.
 */
function rangeCheck(e: Extract<Expr, { kind: 'logical' }>): { x: Expr; k: Extract<Expr, { kind: 'int' }>; outside: boolean } | undefined {
  const first = normalize(e.left);
  const second = normalize(e.right);
  if (!first || !second) return undefined;
  const tests = [first, second];
  const outside = e.op === '||';
  // Outside: x < 0 and x >= k. Inside: x >= 0 and x < k.
  const lowOp = outside ? '<' : '>=';
  const highOp = outside ? '>=' : '<';
  const low = tests.find((t) => t.op === lowOp && t.k === 0n);
  const high = tests.find((t) => t !== low && t.op === highOp && t.k >= 0n);
  if (!low || !high || !sameValue(low.x, high.x) || isUnsigned(low.x.type) || !scalarKind(low.x.type)) return undefined;
  if (high.k >= 1n << 31n) return undefined;
  return { x: high.x, k: high.node, outside };
}

/** A comparison of an expression with an integer constant as x < k or x >= k (x <= k is x < k+1, x > k is x >= k+1). */
function normalize(e: Expr): { x: Expr; op: '<' | '>='; k: bigint; node: Extract<Expr, { kind: 'int' }> } | undefined {
  if (e.kind !== 'binary' || e.right.kind !== 'int') return undefined;
  const k = representation(e.right.value, e.right.type);
  switch (e.op) {
    case '<':
      return { x: e.left, op: '<', k, node: e.right };
    case '>=':
      return { x: e.left, op: '>=', k, node: e.right };
    case '<=':
      return k === -1n ? { x: e.left, op: '<', k: 0n, node: e.right } : undefined;
    case '>':
      return k === -1n ? { x: e.left, op: '>=', k: 0n, node: e.right } : undefined;
    default:
      return undefined;
  }
}

/** True if `a` and `b` are the same side-effect-free, non-volatile lvalue or value (reading it twice gives the same). */
function sameValue(a: Expr, b: Expr): boolean {
  if (a.type.volatile || b.type.volatile) return false;
  switch (a.kind) {
    case 'symbol':
      return b.kind === 'symbol' && a.symbol === b.symbol;
    case 'member':
      return b.kind === 'member' && a.offset === b.offset && a.field === b.field && sameValue(a.object, b.object);
    case 'deref':
      return b.kind === 'deref' && sameValue(a.pointer, b.pointer);
    case 'cast':
      return b.kind === 'cast' && a.type.kind === b.type.kind && scalarKind(a.type)?.int === scalarKind(b.type)?.int && sameValue(a.operand, b.operand);
    case 'int':
      return b.kind === 'int' && a.value === b.value;
    default:
      return false;
  }
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
    const range = rangeCheck(e);
    if (range) {
      // x < 0 || x >= k is (unsigned)x >= k; x >= 0 && x < k is (unsigned)x < k: one load, one branch.
      const outside = range.outside === when;
      const x = g.val(range.x);
      const k = representation(range.k.value, range.k.type);
      if (k <= 127n) em.branch(outside ? 'bgeui' : 'bltui', target, { a: x, cmp: k });
      else {
        const [r, [x2]] = g.holding([x], range.k, () => g.val(range.k));
        em.branch(outside ? 'bgeu' : 'bltu', target, { a: x2!, b: r });
        g.free(r);
      }
      g.free(x);
      return;
    }
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
  if (e.kind === 'comma') {
    g.effect(e.left);
    return jumpIf(g, e.right, when, target);
  }
  if (e.kind === 'binary' && ['==', '!=', '<', '<=', '>', '>='].includes(e.op)) {
    let op = e.op as Rel;
    let left = e.left;
    let right = e.right;
    if (left.kind === 'int' && right.kind !== 'int') {
      [left, right] = [right, left];
      op = MIRROR[op];
    }
    if (!when) op = NEGATE[op];
    const u = isUnsigned(e.left.type);
    if (right.kind === 'int') {
      const v = representation(right.value, right.type);
      // a > k is a >= k+1; a <= k is a < k+1.
      const k = op === '>' || op === '<=' ? v + 1n : v;
      const fits = k >= -128n && k <= 127n && !(u && (op === '>' || op === '<=') && v === -1n);
      if (fits) {
        const l = g.val(left);
        const m = op === '==' ? 'beqi' : op === '!=' ? 'bnei' : op === '<' || op === '<=' ? (u ? 'bltui' : 'blti') : u ? 'bgeui' : 'bgei';
        if ((op === '==' || op === '!=') && k === 0n) em.branch(op === '==' ? 'bz' : 'bnz', target, { a: l });
        else em.branch(m, target, { a: l, cmp: k });
        g.free(l);
        return;
      }
    }
    const [l, r] = g.pair(left, right);
    const lt = u ? 'bltu' : 'blt';
    const ge = u ? 'bgeu' : 'bge';
    switch (op) {
      case '==':
        em.branch('beq', target, { a: l, b: r });
        break;
      case '!=':
        em.branch('bne', target, { a: l, b: r });
        break;
      case '<':
        em.branch(lt, target, { a: l, b: r });
        break;
      case '>=':
        em.branch(ge, target, { a: l, b: r });
        break;
      case '>':
        em.branch(lt, target, { a: r, b: l });
        break;
      case '<=':
        em.branch(ge, target, { a: r, b: l });
        break;
    }
    g.free(l);
    g.free(r);
    return;
  }
  const v = g.val(e);
  em.branch(when ? 'bnz' : 'bz', target, { a: v });
  g.free(v);
}
