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
//   variables used at least twice are worth that. A variable in whose scope
//   no call (nor fixed-register code) runs may take r10 or r11 instead.
// Uses are weighted by how often they are expected to run (`trips`: a loop's
// constant bound, else 8 per loop level). Variables whose scopes do not
// overlap share a register, and so do constants hoisted out of loops (Hoist).
// The other caller-saved registers (rax, rcx, rdx, rsi, rdi, r8-r11) are the
// pool for expression temporaries (see ExprGen); rbp stays the frame pointer.

import type { Expr, FunctionSymbol, Stmt, VarSymbol } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { isRecord } from '../types';
import { representation, scalarKind } from './representation';
import { immediateFormExists } from './immediates';

/** The argument registers, in order (System V). */
export const ARG_REGS = [Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9] as const;
/** Caller-saved registers, in the order temporaries are handed out. */
export const TEMP_REGS: readonly number[] = [Reg.RAX, Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9, Reg.R10, Reg.R11];
/** Callee-saved registers available to variables (rbp is the frame pointer). */
export const CALLEE_SAVED: readonly number[] = [Reg.RBX, Reg.R12, Reg.R13, Reg.R14, Reg.R15];
/** Caller-saved registers a leaf function's variables may take, least useful to temporaries first. */
const LEAF_VAR_REGS: readonly number[] = [Reg.R11, Reg.R10, Reg.R9, Reg.R8, Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI];
/** Caller-saved registers other functions' variables may take while no call can clobber them. */
const CALL_FREE_REGS: readonly number[] = [Reg.R11, Reg.R10];
/** Temporaries a leaf function keeps (rax among them). */
const MIN_TEMPS = 4;

export interface RegisterPlan {
  /** Variables kept in registers, and their register. */
  readonly vars: ReadonlyMap<VarSymbol, number>;
  /** Constants hoisted out of loops: the integer literal's register. */
  readonly constants: ReadonlyMap<Expr, number>;
  /** The constants each loop loads before it starts. */
  readonly preheaders: ReadonlyMap<Stmt, readonly { readonly reg: number; readonly value: bigint }[]>;
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
  /** `depth` is how many times the expression is expected to run per call (see `trips`). */
  expr(e: Expr, depth: number): void;
  enter(s: Stmt, depth: number): void;
  exit(s: Stmt): void;
}

/**
 * How many times a loop is expected to run: its bound when the condition
 * compares with a constant of at least 8 (`i < 4096`), else 8. Static
 * guesses, but they rank a loop to 819200 above one to 4096.
 */
function trips(cond: Expr | undefined): number {
  if (cond?.kind === 'binary' && cond.right.kind === 'int' && ['<', '<=', '>', '>=', '!='].includes(cond.op)) {
    const k = cond.right.value < 0n ? -cond.right.value : cond.right.value;
    if (k >= 8n) return Number(k > 1n << 20n ? 1n << 20n : k);
  }
  return 8;
}
const MAX_WEIGHT = 2 ** 40;

/** Visits every statement (on entry and exit) and expression in `s`, with the expected number of runs. */
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
    case 'do': {
      const d = Math.min(depth * trips(s.cond), MAX_WEIGHT);
      f(s.cond, d);
      w(s.body, d);
      return;
    }
    case 'for':
      // A declaration in the init clause is a block of declarations whose scope is the whole for.
      if (s.init?.kind === 'block') for (const t of s.init.body) w(t);
      else w(s.init);
      {
        const d = Math.min(depth * trips(s.cond), MAX_WEIGHT);
        if (s.cond) f(s.cond, d);
        if (s.step) f(s.step, d);
        w(s.body, d);
      }
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

/**
 * A constant a loop would load into a register on every iteration (a
 * comparison with a number beyond the branches' imm8, an operation without
 * an immediate form), loaded once before the loop instead: allocated like a
 * variable whose scope is the loop. Not done in functions with goto or
 * labels, nor for loops a switch outside them jumps into: the load before
 * the loop must run before any use.
 */
interface Hoist {
  readonly kind: 'hoist';
  readonly loop: Stmt;
  readonly value: bigint;
  readonly nodes: Expr[];
}
type Item = VarSymbol | Hoist;

/** The integer literal `e` of a loop makes a register hold, if any (see Hoist). */
function materializedConstant(e: Expr): Extract<Expr, { kind: 'int' }> | undefined {
  if (e.kind === 'binary' && e.right.kind === 'int') {
    const v = representation(e.right.value, e.right.type);
    if (['==', '!=', '<', '<=', '>', '>='].includes(e.op)) return v >= -127n && v <= 126n ? undefined : e.right;
    return immediateFormExists(e.op, e.left.type, v) ? undefined : e.right;
  }
  if (e.kind === 'compound-assign' && e.value.kind === 'int' && e.computeType.kind !== 'pointer') {
    return immediateFormExists(e.op, e.computeType, representation(e.value.value, e.value.type)) ? undefined : e.value;
  }
  return undefined;
}

/** Decides where `fn`'s variables live (see the file comment); `safe` keeps every caller-saved register for temporaries. */
export function planRegisters(fn: FunctionSymbol, safe = false): RegisterPlan {
  const weights = new Map<Item, number>();
  const candidates = new Set<VarSymbol>();
  for (const p of fn.params) if (candidate(p)) candidates.add(p);
  for (const v of fn.locals) if (v.storage === 'local' && candidate(v)) candidates.add(v);
  let leaf = !safe && !isRecord(fn.type.returns) && !fn.usesVarargs;
  // Scopes as intervals of statement positions: variables whose scopes do not overlap can
  // share a register (a block's objects have no value before their declaration is reached
  // again, C11 6.2.4p6, so jumps into a scope need nothing kept).
  let pos = 0;
  const start = new Map<Item, number>();
  const end = new Map<Item, number>();
  const scopes: VarSymbol[][] = [];
  const loops: { stmt: Stmt; start: number; switches: number; hoists: Map<string, Hoist> }[] = [];
  const hoists: Hoist[] = [];
  const unhoistable = new Set<Stmt>();
  /** Statement positions of code that clobbers caller-saved registers (calls, fixed-register code). */
  const clobbers: number[] = [];
  let jumps = false;
  const isLoop = (s: Stmt): boolean => s.kind === 'while' || s.kind === 'do' || s.kind === 'for';
  const visitor: Visitor = {
    expr(e, depth) {
      if (e.kind === 'symbol' && e.symbol.kind === 'var' && candidates.has(e.symbol)) weights.set(e.symbol, (weights.get(e.symbol) ?? 0) + depth);
      // An assigned variable in memory is loaded and stored: count the target twice.
      if ((e.kind === 'compound-assign' || e.kind === 'incdec') && e.target.kind === 'symbol' && e.target.symbol.kind === 'var' && candidates.has(e.target.symbol)) weights.set(e.target.symbol, (weights.get(e.target.symbol) ?? 0) + depth);
      if (e.kind === 'call' || e.kind === 'intrinsic' || e.kind === 'stmt-expr' || e.kind === 'compound-literal') {
        leaf = false;
        clobbers.push(pos);
      }
      const k = loops.length > 0 ? materializedConstant(e) : undefined;
      if (k) {
        const loop = loops[loops.length - 1]!;
        const v = representation(k.value, k.type);
        let h = loop.hoists.get(v.toString());
        if (!h) {
          h = { kind: 'hoist', loop: loop.stmt, value: v, nodes: [] };
          loop.hoists.set(v.toString(), h);
          hoists.push(h);
          start.set(h, loop.start);
        }
        h.nodes.push(k);
        weights.set(h, (weights.get(h) ?? 0) + depth);
      }
    },
    enter(s, depth) {
      pos++;
      if (s.kind === 'goto' || s.kind === 'label') jumps = true;
      if (isLoop(s)) loops.push({ stmt: s, start: pos, switches: 0, hoists: new Map() });
      if (s.kind === 'switch') for (const l of loops) l.switches++;
      if (s.kind === 'case' || s.kind === 'default') for (const l of loops) if (l.switches === 0) unhoistable.add(l.stmt);
      if (s.kind === 'block' || s.kind === 'for') scopes.push([]);
      if (s.kind === 'decl') {
        start.set(s.symbol, pos);
        // The initialization writes the variable: a use.
        if (s.init && candidates.has(s.symbol)) weights.set(s.symbol, (weights.get(s.symbol) ?? 0) + depth);
        scopes[scopes.length - 1]?.push(s.symbol);
        // Aggregate initializers use fixed registers (local-init.ts).
        if (s.init && !candidates.has(s.symbol) && (scalarKind(s.symbol.type) === undefined || s.symbol.alignAttr !== undefined)) {
          leaf = false;
          clobbers.push(pos);
        }
      }
      // So does returning a struct.
      if (s.kind === 'return' && isRecord(fn.type.returns)) clobbers.push(pos);
    },
    exit(s) {
      pos++;
      if (s.kind === 'block' || s.kind === 'for') for (const v of scopes.pop()!) end.set(v, pos);
      if (s.kind === 'switch') for (const l of loops) l.switches--;
      if (isLoop(s)) for (const h of loops.pop()!.hoists.values()) end.set(h, pos);
    },
  };
  if (fn.body) walkStmt(fn.body, 1, visitor);
  const overlaps = (a: Item, b: Item): boolean => (start.get(a) ?? 0) <= (end.get(b) ?? Infinity) && (start.get(b) ?? 0) <= (end.get(a) ?? Infinity);

  const vars = new Map<VarSymbol, number>();
  const constants = new Map<Expr, number>();
  const preheaders = new Map<Stmt, { reg: number; value: bigint }[]>();
  const holders = new Map<number, Item[]>();
  const saved: number[] = [];
  let temps = [...TEMP_REGS];
  const structReturn = isRecord(fn.type.returns);
  const regParams = ARG_REGS.slice(structReturn ? 1 : 0);
  const items: Item[] = [...candidates, ...(jumps ? [] : hoists.filter((h) => !unhoistable.has(h.loop)))];
  const byWeight = items.sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
  const take = (v: Item, r: number): void => {
    if (v.kind === 'hoist') {
      for (const n of v.nodes) constants.set(n, r);
      preheaders.set(v.loop, [...(preheaders.get(v.loop) ?? []), { reg: r, value: v.value }]);
    } else vars.set(v, r);
    temps = temps.filter((t) => t !== r);
    holders.set(r, [...(holders.get(r) ?? []), v]);
    if (CALLEE_SAVED.includes(r) && !saved.includes(r)) saved.push(r);
  };
  /** True if no call or fixed-register code runs while v is in scope. */
  const callFree = (v: Item): boolean => !clobbers.some((p) => p >= (start.get(v) ?? 0) && p <= (end.get(v) ?? Infinity));
  /** A register of `regs` already holding variables, none of whose scopes overlaps v's. */
  const shareable = (v: Item, regs: readonly number[]): number | undefined => regs.find((r) => holders.has(r) && holders.get(r)!.every((u) => !overlaps(u, v)));
  if (leaf) {
    fn.params.forEach((p, i) => {
      if (candidates.has(p) && i < regParams.length) take(p, regParams[i]!);
    });
  }
  for (const v of byWeight) {
    if (v.kind === 'var' && vars.has(v)) continue;
    const w = weights.get(v) ?? 0;
    if (w === 0) continue;
    if (leaf) {
      const r = shareable(v, LEAF_VAR_REGS) ?? (temps.length > MIN_TEMPS ? LEAF_VAR_REGS.find((x) => temps.includes(x)) : undefined);
      if (r !== undefined) {
        take(v, r);
        continue;
      }
    }
    // A callee-saved register already saved costs nothing more; so does r10 or r11 (caller-saved,
    // not argument registers) for what no call outlives; a new callee-saved one costs a save and a restore.
    const scratch = !leaf && !safe && callFree(v) ? (shareable(v, CALL_FREE_REGS) ?? CALL_FREE_REGS.find((x) => !holders.has(x))) : undefined;
    const r = shareable(v, CALLEE_SAVED) ?? scratch ?? (w >= 2 ? CALLEE_SAVED.find((x) => !holders.has(x)) : undefined);
    if (r !== undefined) take(v, r);
  }
  saved.sort((a, b) => CALLEE_SAVED.indexOf(a) - CALLEE_SAVED.indexOf(b));
  return { vars, constants, preheaders, saved, temps };
}
