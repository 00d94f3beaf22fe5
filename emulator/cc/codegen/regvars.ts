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

interface Visitor {
  expr(e: Expr, depth: number): void;
  enter(s: Stmt, depth: number): void;
  exit(s: Stmt): void;
}

/** Visits every statement (on entry and exit) and expression in `s`, with the loop nesting depth. */
function walkStmt(s: Stmt, depth: number, v: Visitor): void {
  v.enter(s, depth);
  walkInside(s, depth, v);
  v.exit(s);
}

function walkInside(s: Stmt, depth: number, v: Visitor): void {
  const f = (e: Expr, d: number): void => walkExpr(e, d, v);
  const w = (t: Stmt | undefined, d = depth): void => {
    if (t) walkStmt(t, d, v);
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
      // A declaration in the init clause is a block of declarations whose scope is the whole for.
      if (s.init?.kind === 'block') for (const t of s.init.body) w(t);
      else w(s.init);
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

function walkExpr(e: Expr, depth: number, v: Visitor): void {
  v.expr(e, depth);
  if (e.kind === 'stmt-expr') walkStmt(e.body, depth, v);
  for (const c of children(e)) walkExpr(c, depth, v);
}

function candidate(v: VarSymbol): boolean {
  return (v.storage === 'local' || v.storage === 'param') && !v.addressTaken && !v.type.volatile && v.alignAttr === undefined && (v.type.kind === 'int' || v.type.kind === 'enum' || v.type.kind === 'pointer') && scalarKind(v.type) !== undefined;
}

/** Decides where `fn`'s variables live (see the file comment); `safe` keeps every caller-saved register for temporaries. */
export function planRegisters(fn: FunctionSymbol, safe = false): RegisterPlan {
  const weights = new Map<VarSymbol, number>();
  const candidates = new Set<VarSymbol>();
  for (const p of fn.params) if (candidate(p)) candidates.add(p);
  for (const v of fn.locals) if (v.storage === 'local' && candidate(v)) candidates.add(v);
  let leaf = !safe && !isRecord(fn.type.returns) && !fn.usesVarargs;
  // Scopes as intervals of statement positions: variables whose scopes do not overlap can
  // share a register (a block's objects have no value before their declaration is reached
  // again, C11 6.2.4p6, so jumps into a scope need nothing kept).
  let pos = 0;
  const start = new Map<VarSymbol, number>();
  const end = new Map<VarSymbol, number>();
  const scopes: VarSymbol[][] = [];
  const visitor: Visitor = {
    expr(e, depth) {
      if (e.kind === 'symbol' && e.symbol.kind === 'var' && candidates.has(e.symbol)) weights.set(e.symbol, (weights.get(e.symbol) ?? 0) + 8 ** Math.min(depth, 4));
      if (e.kind === 'call' || e.kind === 'intrinsic' || e.kind === 'stmt-expr' || e.kind === 'compound-literal') leaf = false;
    },
    enter(s, depth) {
      pos++;
      if (s.kind === 'block' || s.kind === 'for') scopes.push([]);
      if (s.kind === 'decl') {
        start.set(s.symbol, pos);
        // The initialization writes the variable: a use.
        if (s.init && candidates.has(s.symbol)) weights.set(s.symbol, (weights.get(s.symbol) ?? 0) + 8 ** Math.min(depth, 4));
        scopes[scopes.length - 1]?.push(s.symbol);
        // Aggregate initializers use fixed registers (local-init.ts).
        if (s.init && !candidates.has(s.symbol) && (scalarKind(s.symbol.type) === undefined || s.symbol.alignAttr !== undefined)) leaf = false;
      }
    },
    exit(s) {
      pos++;
      if (s.kind === 'block' || s.kind === 'for') for (const v of scopes.pop()!) end.set(v, pos);
    },
  };
  if (fn.body) walkStmt(fn.body, 0, visitor);
  const overlaps = (a: VarSymbol, b: VarSymbol): boolean => (start.get(a) ?? 0) <= (end.get(b) ?? Infinity) && (start.get(b) ?? 0) <= (end.get(a) ?? Infinity);

  const vars = new Map<VarSymbol, number>();
  const holders = new Map<number, VarSymbol[]>();
  const saved: number[] = [];
  let temps = [...TEMP_REGS];
  const structReturn = isRecord(fn.type.returns);
  const regParams = ARG_REGS.slice(structReturn ? 1 : 0);
  const byWeight = [...candidates].sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
  const take = (v: VarSymbol, r: number): void => {
    vars.set(v, r);
    temps = temps.filter((t) => t !== r);
    holders.set(r, [...(holders.get(r) ?? []), v]);
    if (CALLEE_SAVED.includes(r) && !saved.includes(r)) saved.push(r);
  };
  /** A register of `regs` already holding variables, none of whose scopes overlaps v's. */
  const shareable = (v: VarSymbol, regs: readonly number[]): number | undefined => regs.find((r) => holders.has(r) && holders.get(r)!.every((u) => !overlaps(u, v)));
  if (leaf) {
    fn.params.forEach((p, i) => {
      if (candidates.has(p) && i < regParams.length) take(p, regParams[i]!);
    });
  }
  for (const v of byWeight) {
    if (vars.has(v)) continue;
    const w = weights.get(v) ?? 0;
    if (w === 0) continue;
    if (leaf) {
      const r = shareable(v, LEAF_VAR_REGS) ?? (temps.length > MIN_TEMPS ? LEAF_VAR_REGS.find((x) => temps.includes(x)) : undefined);
      if (r !== undefined) {
        take(v, r);
        continue;
      }
    }
    // A callee-saved register already saved costs nothing more; a new one costs a save and a restore.
    const r = shareable(v, CALLEE_SAVED) ?? (w >= 2 ? CALLEE_SAVED.find((x) => !holders.has(x)) : undefined);
    if (r !== undefined) take(v, r);
  }
  saved.sort((a, b) => CALLEE_SAVED.indexOf(a) - CALLEE_SAVED.indexOf(b));
  return { vars, saved, temps };
}
