// Which scalar variables of a function live in registers, and which
// registers expression temporaries may use.
//
// A local or parameter qualifies when it is a scalar (integer, enum or
// pointer), not volatile, never has its address taken (the front end's
// `addressTaken`, which also covers aggregates and compound literals) and has
// no alignment attribute. Everything else stays in the frame.
//
// - In a leaf function (no calls, intrinsics, statement expressions or
//   compound literals, nothing that needs the fixed-register helpers of
//   statement-level code: aggregate initializers, struct returns) variables
//   take caller-saved registers, which cost nothing to use: a register
//   parameter simply stays in the register it arrived in. At least four
//   caller-saved registers stay free for temporaries.
// - Otherwise (and when a leaf runs out) variables take the callee-saved
//   rbx, r12-r15, which the prologue saves and the epilogue restores; only
//   variables used at least twice (uses in loops count 8 times per level)
//   are worth that.
// The other caller-saved registers (rax, rcx, rdx, rsi, rdi, r8-r11) are the
// pool for expression temporaries (see ExprGen); rbp stays the frame pointer.

import type { Expr, FunctionSymbol, Stmt, VarSymbol } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { isRecord } from '../types';
import { scalarKind } from './representation';

/** The argument registers, in order (System V). */
export const ARG_REGS = [Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9] as const;
/** Caller-saved registers, in the order temporaries are handed out. */
export const TEMP_REGS: readonly number[] = [Reg.RAX, Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9, Reg.R10, Reg.R11];
/** Callee-saved registers available to variables (rbp is the frame pointer). */
export const CALLEE_SAVED: readonly number[] = [Reg.RBX, Reg.R12, Reg.R13, Reg.R14, Reg.R15];
/** Caller-saved registers a leaf function's variables may take, least useful to temporaries first. */
const LEAF_VAR_REGS: readonly number[] = [Reg.R11, Reg.R10, Reg.R9, Reg.R8, Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI];
/** Temporaries a leaf function keeps (rax among them). */
const MIN_TEMPS = 4;

export interface RegisterPlan {
  /** Variables kept in registers, and their register. */
  readonly vars: ReadonlyMap<VarSymbol, number>;
  /** Callee-saved registers the function uses: saved by the prologue, restored by the epilogue. */
  readonly saved: readonly number[];
  /** Registers for expression temporaries. */
  readonly temps: readonly number[];
}

/** The direct subexpressions of `e` (statement expressions: none; see `opaque`). */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'binary':
    case 'ptr-diff':
    case 'logical':
    case 'comma':
      return [e.left, e.right];
    case 'unary':
    case 'cast':
    case 'addr':
      return [e.operand];
    case 'ptr-add':
      return [e.pointer, e.index];
    case 'assign':
    case 'compound-assign':
      return [e.target, e.value];
    case 'incdec':
      return [e.target];
    case 'cond':
      return [e.cond, e.then, e.otherwise];
    case 'call':
      return [e.callee, ...e.args];
    case 'member':
      return [e.object];
    case 'deref':
      return [e.pointer];
    case 'intrinsic':
      return e.args;
    case 'compound-literal':
      return e.init.entries.map((x) => x.expr);
    default:
      return [];
  }
}

const callMemo = new WeakMap<Expr, boolean>();
/**
 * True if evaluating `e` clobbers the caller-saved registers: a call, an
 * intrinsic, a statement expression or a compound literal (their code uses
 * fixed registers).
 */
export function hasCall(e: Expr): boolean {
  const m = callMemo.get(e);
  if (m !== undefined) return m;
  const r = e.kind === 'call' || e.kind === 'intrinsic' || e.kind === 'stmt-expr' || e.kind === 'compound-literal' || children(e).some(hasCall);
  callMemo.set(e, r);
  return r;
}

/** True if `e` may read or write `v` (statement expressions: assumed to). */
export function mentions(e: Expr, v: VarSymbol): boolean {
  if (e.kind === 'symbol') return e.symbol === v;
  if (e.kind === 'stmt-expr') return true;
  return children(e).some((c) => mentions(c, v));
}

const needMemo = new WeakMap<Expr, number>();
/** Roughly how many temporaries evaluating `e` takes (Sethi-Ullman numbering; calls save what is live). */
export function need(e: Expr): number {
  const m = needMemo.get(e);
  if (m !== undefined) return m;
  const cs = children(e);
  let r = 1;
  if (e.kind === 'call' || e.kind === 'intrinsic' || e.kind === 'stmt-expr') r = 1;
  else if (cs.length === 1) r = need(cs[0]!) + (e.kind === 'member' || e.kind === 'deref' ? 0 : 1);
  else if (cs.length > 1) {
    const ns = cs.map(need).sort((a, b) => b - a);
    r = ns[0] === ns[1] ? ns[0]! + 1 : ns[0]!;
    r += 1;
  }
  needMemo.set(e, r);
  return r;
}

/** Calls `f` for every expression of every statement in `s`, with the loop nesting depth. */
function walkStmt(s: Stmt, depth: number, f: (e: Expr, depth: number) => void, onStmt: (s: Stmt) => void): void {
  onStmt(s);
  const w = (t: Stmt | undefined, d = depth): void => {
    if (t) walkStmt(t, d, f, onStmt);
  };
  switch (s.kind) {
    case 'block':
      for (const t of s.body) w(t);
      return;
    case 'expr':
      return f(s.expr, depth);
    case 'decl':
      for (const x of s.init?.entries ?? []) f(x.expr, depth);
      return;
    case 'if':
      f(s.cond, depth);
      w(s.then);
      w(s.otherwise);
      return;
    case 'while':
    case 'do':
      f(s.cond, depth + 1);
      w(s.body, depth + 1);
      return;
    case 'for':
      w(s.init);
      if (s.cond) f(s.cond, depth + 1);
      if (s.step) f(s.step, depth + 1);
      w(s.body, depth + 1);
      return;
    case 'return':
      if (s.value) f(s.value, depth);
      return;
    case 'switch':
      f(s.cond, depth);
      w(s.body);
      return;
    case 'label':
    case 'case':
    case 'default':
      w(s.body);
      return;
    default:
      return;
  }
}

function walkExpr(e: Expr, depth: number, f: (e: Expr, depth: number) => void, onStmt: (s: Stmt) => void): void {
  f(e, depth);
  if (e.kind === 'stmt-expr') walkStmt(e.body, depth, (x, d) => walkExpr(x, d, f, onStmt), onStmt);
  for (const c of children(e)) walkExpr(c, depth, f, onStmt);
}

function candidate(v: VarSymbol): boolean {
  return (v.storage === 'local' || v.storage === 'param') && !v.addressTaken && !v.type.volatile && v.alignAttr === undefined && (v.type.kind === 'int' || v.type.kind === 'enum' || v.type.kind === 'pointer') && scalarKind(v.type) !== undefined;
}

/** Decides where `fn`'s variables live (see the file comment). */
export function planRegisters(fn: FunctionSymbol): RegisterPlan {
  const weights = new Map<VarSymbol, number>();
  const candidates = new Set<VarSymbol>();
  for (const p of fn.params) if (candidate(p)) candidates.add(p);
  for (const v of fn.locals) if (v.storage === 'local' && candidate(v)) candidates.add(v);
  let leaf = !isRecord(fn.type.returns) && !fn.usesVarargs;
  const visit = (e: Expr, depth: number): void => {
    if (e.kind === 'symbol' && e.symbol.kind === 'var' && candidates.has(e.symbol)) weights.set(e.symbol, (weights.get(e.symbol) ?? 0) + 8 ** Math.min(depth, 4));
    if (e.kind === 'call' || e.kind === 'intrinsic' || e.kind === 'stmt-expr' || e.kind === 'compound-literal') leaf = false;
  };
  const onStmt = (s: Stmt): void => {
    // Aggregate initializers use fixed registers (local-init.ts).
    if (s.kind === 'decl' && s.init && !candidates.has(s.symbol) && (scalarKind(s.symbol.type) === undefined || s.symbol.alignAttr !== undefined)) leaf = false;
  };
  if (fn.body) walkStmt(fn.body, 0, (e, d) => walkExpr(e, d, visit, onStmt), onStmt);

  const vars = new Map<VarSymbol, number>();
  const saved: number[] = [];
  let temps = [...TEMP_REGS];
  const structReturn = isRecord(fn.type.returns);
  const regParams = ARG_REGS.slice(structReturn ? 1 : 0);
  const byWeight = [...candidates].sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
  const take = (v: VarSymbol, r: number): void => {
    vars.set(v, r);
    temps = temps.filter((t) => t !== r);
  };
  if (leaf) {
    fn.params.forEach((p, i) => {
      if (candidates.has(p) && i < regParams.length) take(p, regParams[i]!);
    });
  }
  for (const v of byWeight) {
    if (vars.has(v)) continue;
    const w = weights.get(v) ?? 0;
    if (leaf) {
      if (w === 0) continue;
      const r = temps.length > MIN_TEMPS ? LEAF_VAR_REGS.find((x) => temps.includes(x)) : undefined;
      if (r !== undefined) {
        take(v, r);
        continue;
      }
    }
    if (w < 2 || saved.length === CALLEE_SAVED.length) continue;
    const r = CALLEE_SAVED[saved.length]!;
    saved.push(r);
    vars.set(v, r);
  }
  return { vars, saved, temps };
}
