// Expressions to WS64, into registers. `val(e)` evaluates e and returns the
// register holding its value (for a struct or union: its address):
// - a temporary from the function's pool (see regvars.ts), which the caller
//   now owns and must `free`; or
// - the register of a register variable, which the caller must not modify
//   (`own` copies it first).
// Temporaries are handed out in order, Sethi-Ullman style: the operand that
// needs more registers, or contains a call, goes first, and when an operand
// needs more registers than are free, the live ones are pushed around it.
// A call (and every construct whose code uses fixed registers: intrinsics,
// statement expressions, compound literals) pushes the live caller-saved
// temporaries, runs with all of them free and its result in rax, then pops
// them back (`clobbering`). `hint` asks for the result in a given register
// when that register is free (an argument register, rax for a return value,
// or a variable being assigned that the expression does not mention:
// `borrowed`).

import type { BinaryOp, BlockStmt, Expr, VarSymbol } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { isRecord, sizeOf, type Type } from '../types';
import { copyBytes, loadImmediate, loadScalar, materialize, memOp, storeScalar, type Addr } from './addressing';
import type { Emitter, Label } from './emitter';
import { conversionOp, isUnsigned, isWord, representation, scalarKind } from './representation';
import { intrinsic } from './intrinsics';
import { conditionalValue, jumpIf } from './branches';
import { call } from './calls';
import { assign, compoundAssign, incdec } from './assignments';
import { children, hasCall } from './regvars';
import { fits32, fits8, immediateFormExists } from './immediates';

const RAX = Reg.RAX;
const RDI = Reg.RDI;

/** What the expression generator needs from its function and module. */
export interface GenContext {
  readonly em: Emitter;
  /** The rbp-relative slot of a local or parameter kept in memory. */
  frameSlot(v: VarSymbol): number;
  /** The register of a variable kept in a register. */
  regVar(v: VarSymbol): number | undefined;
  /** The register an integer literal was loaded into before its loop (see regvars.ts). */
  hoisted(e: Expr): number | undefined;
  /** Registers for temporaries. */
  readonly temps: readonly number[];
  /** Safe mode (a second attempt after running out of registers): spill early. */
  readonly safe: boolean;
  /** For a local aligned beyond what rbp guarantees: the slot holding its address. */
  indirectSlot(v: VarSymbol): number | undefined;
  /** The link name of a static object, function or string literal. */
  staticSymbol(v: VarSymbol | { readonly kind: 'function'; readonly linkName: string }): string;
  stringSymbol(id: number): string;
  /** A frame slot of `size` bytes for a temporary (struct call results). */
  temporary(size: number): number;
  /** Reports something the back end cannot do (the front end accepted it). */
  unsupported(e: Expr, what: string): void;
  /** Generates a statement-expression's block; its last expression statement leaves its value in rax. */
  block(b: BlockStmt): void;
  /** Initializes a local object (compound literal). */
  initLocal(v: VarSymbol, init: import('../ast').Initializer): void;
  /** rbp-relative slot of the varargs register save area, and the count of named register/stack arguments. */
  varargs(): { saveArea: number; namedRegs: number; namedStack: number };
}

/** Thrown when an expression needs more temporaries than are free (the estimate in `need` was too small). */
export class OutOfRegisters extends Error {
  constructor() {
    super('code generator: out of temporary registers');
  }
}

/** Register-register mnemonics [64-bit, 32-bit] of the arithmetic operators. */
export function opMnemonic(op: BinaryOp, t: Type): string {
  const u = isUnsigned(t);
  const m: Partial<Record<BinaryOp, [string, string]>> = {
    '+': ['add', 'addw'], '-': ['sub', 'subw'], '*': ['mul', 'mulw'], '&': ['and', 'and'], '|': ['or', 'or'], '^': ['xor', 'xor'],
    '/': u ? ['divu', 'divuw'] : ['div', 'divw'], '%': u ? ['remu', 'remuw'] : ['rem', 'remw'],
    '<<': ['shl', 'shlw'], '>>': u ? ['shr', 'shrw'] : ['sar', 'sarw'],
  };
  return m[op]![isWord(t) ? 1 : 0];
}

const COMPARE: Partial<Record<BinaryOp, [string, string]>> = {
  '==': ['seq', 'seq'], '!=': ['sne', 'sne'], '<': ['slt', 'sltu'], '<=': ['sle', 'sleu'], '>': ['sgt', 'sgtu'], '>=': ['sge', 'sgeu'],
};
const MIRROR: Record<string, BinaryOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const COMMUTATIVE = new Set<BinaryOp>(['+', '*', '&', '|', '^', '==', '!=']);


export class ExprGen {
  /** Set by `effect` for the expression about to be generated: its value is not used. */
  private discard = false;
  /** Registers holding live values: temporaries, and a borrowed variable register once handed out. */
  private busy = new Set<number>();
  /** A variable register the current evaluation may use as its result (see `setVar`); -1 if none. */
  borrowed = -1;
  constructor(readonly ctx: GenContext) {}
  get em(): Emitter {
    return this.ctx.em;
  }

  // ---------------------------------------------------------------- registers

  /** A free temporary, `hint` if that one is free (or is the borrowed variable register). */
  alloc(hint?: number): number {
    if (hint !== undefined && hint >= 0 && !this.busy.has(hint) && (hint === this.borrowed || this.ctx.temps.includes(hint))) {
      this.busy.add(hint);
      return hint;
    }
    for (const r of this.ctx.temps) {
      if (!this.busy.has(r)) {
        this.busy.add(r);
        return r;
      }
    }
    throw new OutOfRegisters();
  }
  free(r: number): void {
    this.busy.delete(r);
  }
  /** True if `r` is a live temporary owned by whoever holds it (not a variable's register). */
  owned(r: number): boolean {
    return this.busy.has(r);
  }
  /** `r` itself if owned, else a copy in a new temporary (which may then be modified). */
  own(r: number, hint?: number): number {
    if (this.owned(r)) return r;
    const t = this.alloc(hint);
    this.em.emit('mov', 'rr', { a: t, b: r });
    return t;
  }
  private freeCount(): number {
    let n = 0;
    for (const r of this.ctx.temps) if (!this.busy.has(r)) n++;
    return n;
  }
  /** Marks `regs` (fixed registers of statement-level code) busy while `f` runs. */
  protect<T>(regs: readonly number[], f: () => T): T {
    const added = regs.filter((r) => !this.busy.has(r));
    for (const r of added) this.busy.add(r);
    try {
      return f();
    } finally {
      for (const r of added) this.busy.delete(r);
    }
  }

  /**
   * Runs `f` (code that uses fixed caller-saved registers and leaves its
   * value in rax) with every temporary free: live temporaries are pushed
   * before and popped after. Returns the register holding the value.
   */
  clobbering(f: () => void, hint?: number): number {
    const em = this.em;
    const saved = this.ctx.temps.filter((r) => this.busy.has(r));
    for (const r of saved) {
      em.emit('push', 'reg-in-op', { a: r });
      this.busy.delete(r);
    }
    const outer = this.busy;
    const borrowed = this.borrowed;
    this.busy = new Set();
    this.borrowed = -1;
    try {
      f();
    } finally {
      this.busy = outer;
      this.borrowed = borrowed;
    }
    for (const r of saved) this.busy.add(r);
    const res = this.alloc(hint !== undefined && !saved.includes(hint) && hint >= 0 ? hint : RAX);
    if (res !== RAX) em.emit('mov', 'rr', { a: res, b: RAX });
    for (let i = saved.length - 1; i >= 0; i--) em.emit('pop', 'reg-in-op', { a: saved[i]! });
    return res;
  }

  /** Runs statement-level code with fixed registers (a compound literal's initializer), saving live temporaries around it. */
  saving(f: () => void): void {
    const r = this.clobbering(f);
    this.free(r);
  }

  /**
   * Evaluates `e` (through `f`) while the registers `held` stay live. If `e`
   * may need more registers than are free, every live temporary (the held
   * ones and any others, such as an enclosing assignment's address) is pushed
   * around it and popped back into the same register; the value is moved out
   * of their way first. Returns the value (a register, or an address) and
   * the held registers.
   */
  holding<T extends number | Addr>(held: readonly number[], e: Expr, f: () => T): [T, number[]] {
    const need = this.need(e);
    const saved = this.ctx.temps.filter((r) => this.busy.has(r));
    if (saved.length === 0 || hasCall(e) || (this.freeCount() >= need && !(this.ctx.safe && need > 1))) return [f(), [...held]];
    const em = this.em;
    for (const r of saved) {
      em.emit('push', 'reg-in-op', { a: r });
      this.free(r);
    }
    let v = f();
    for (const r of saved) this.busy.add(r);
    const out = (r: number): number => {
      if (!saved.includes(r)) return r;
      const t = this.alloc(); // not one of `saved`: they are all busy
      em.emit('mov', 'rr', { a: t, b: r });
      return t;
    };
    if (typeof v === 'number') v = out(v) as T;
    else {
      const a = v as Addr;
      if (a.kind === 'reg' || a.kind === 'regsym') v = { ...a, reg: out(a.reg) } as T;
      else if (a.kind === 'idx') v = { ...a, reg: out(a.reg), index: out(a.index) } as T;
    }
    for (let i = saved.length - 1; i >= 0; i--) em.emit('pop', 'reg-in-op', { a: saved[i]! });
    return [v, [...held]];
  }

  private readonly needs = new WeakMap<Expr, number>();
  /**
   * About how many temporaries evaluating `e` takes: Sethi-Ullman numbers
   * (the k-th most demanding operand is evaluated while k others are held;
   * the result reuses an operand's register), none for a register variable,
   * plus the scratch registers some operations take. Calls save what is live
   * and count one. An estimate that proves too small makes `alloc` throw
   * OutOfRegisters, and the function is generated again in safe mode (see
   * FunctionGen).
   */
  need(e: Expr): number {
    const m = this.needs.get(e);
    if (m !== undefined) return m;
    let n: number;
    if (e.kind === 'symbol') n = e.symbol.kind === 'var' && this.ctx.regVar(e.symbol) !== undefined ? 0 : 1;
    else if (e.kind === 'int' || e.kind === 'string' || e.kind === 'call' || e.kind === 'intrinsic' || e.kind === 'stmt-expr') n = 1;
    else {
      const ns = children(e).map((c) => this.need(c)).sort((a, b) => b - a);
      n = Math.max(1, ...ns.map((x, k) => x + k));
      switch (e.kind) {
        case 'unary':
          if (e.op === '!') n += 1; // a zero register
          break;
        case 'cast':
          if (scalarKind(e.type)?.int === 'bool') n += 1;
          break;
        case 'binary':
          if (e.right.kind === 'int' && !immediateFormExists(e.op, e.left.type, representation(e.right.value, e.right.type))) n = Math.max(n, 2);
          break;
        case 'logical':
        case 'cond':
        case 'ptr-diff':
        case 'compound-assign':
          n += 1; // the result register, or the loaded value
          break;
        case 'incdec':
          n += 2; // the value and its copy
          break;
        default:
          break;
      }
      if ((e.kind === 'assign' || e.kind === 'compound-assign' || e.kind === 'incdec') && e.target.kind === 'member' && e.target.field.bitWidth !== undefined) n += 3;
    }
    this.needs.set(e, n);
    return n;
  }

  /** Evaluates `e` into register `target` (a free temporary), which it then holds. */
  into(e: Expr, target: number): void {
    const r = this.val(e, target);
    if (r !== target) {
      if (this.busy.has(target)) throw new Error('code generator: target register is busy');
      this.em.emit('mov', 'rr', { a: target, b: r });
      this.free(r);
      this.busy.add(target);
    }
  }

  /** Legacy interface for statement-level code with fixed registers: `e` into rax, nothing left busy. */
  expr(e: Expr): void {
    const r = this.val(e, RAX);
    if (r !== RAX) {
      if (this.busy.has(RAX)) throw new Error('code generator: rax is busy');
      this.em.emit('mov', 'rr', { a: RAX, b: r });
    }
    this.free(r);
  }

  /** Left into rax and right into rdi (for intrinsics); both left free. */
  operands(left: Expr, right: Expr): void {
    this.into(left, RAX);
    const [r] = this.holding([RAX], right, () => this.val(right, RDI));
    if (r !== RDI) this.em.emit('mov', 'rr', { a: RDI, b: r });
    this.free(r);
    this.free(RAX);
  }

  // ---------------------------------------------------------------- addresses

  /** The register variable `e` names, if it is one. */
  regVarOf(e: Expr): number | undefined {
    return e.kind === 'symbol' && e.symbol.kind === 'var' ? this.ctx.regVar(e.symbol) : undefined;
  }

  /** The address of an lvalue. Its registers are owned by the caller: `freeAddr` it after use. */
  address(e: Expr): Addr {
    switch (e.kind) {
      case 'symbol':
        if (e.symbol.kind === 'function') return { kind: 'static', symbol: this.ctx.staticSymbol(e.symbol), disp: 0 };
        if (this.ctx.regVar(e.symbol) !== undefined) throw new Error(`code generator: '${e.symbol.name}' is in a register and has no address`);
        if (e.symbol.storage === 'local' || e.symbol.storage === 'param') {
          const indirect = this.ctx.indirectSlot(e.symbol);
          if (indirect === undefined) return { kind: 'frame', disp: this.ctx.frameSlot(e.symbol) };
          const r = this.alloc();
          memOp(this.em, 'ld64', r, { kind: 'frame', disp: indirect });
          return { kind: 'reg', reg: r, disp: 0 };
        }
        return { kind: 'static', symbol: this.ctx.staticSymbol(e.symbol), disp: 0 };
      case 'member':
        return this.offset(this.address(e.object), e.offset);
      case 'deref':
        return this.pointerAddr(e.pointer);
      case 'string':
        return { kind: 'static', symbol: this.ctx.stringSymbol(e.id), disp: 0 };
      case 'compound-literal':
        if (e.object.storage === 'local') this.saving(() => this.ctx.initLocal(e.object, e.init));
        return e.object.storage === 'local'
          ? this.address({ kind: 'symbol', symbol: e.object, type: e.type, range: e.range })
          : { kind: 'static', symbol: this.ctx.staticSymbol(e.object), disp: 0 };
      default: {
        // An rvalue of record type (a call result, a conditional): its address is its value.
        const r = this.val(e);
        return { kind: 'reg', reg: r, disp: 0 };
      }
    }
  }

  freeAddr(a: Addr): void {
    if (a.kind === 'reg' || a.kind === 'regsym') this.free(a.reg);
    if (a.kind === 'idx') {
      this.free(a.reg);
      this.free(a.index);
    }
  }

  /** `a` + `by`; an indexed address is computed into a register first, a displacement beyond 32 bits added in one. */
  offset(a: Addr, by: number): Addr {
    if (by === 0) return a;
    if (a.kind === 'idx') {
      this.freeAddr(a);
      const r = this.alloc();
      memOp(this.em, 'lea', r, a);
      a = { kind: 'reg', reg: r, disp: 0 };
    }
    const disp = a.disp + by;
    if (disp >= -0x7fff0000 && disp <= 0x7fff0000) return { ...a, disp } as Addr;
    if (a.kind === 'regsym') {
      this.free(a.reg);
      const r = this.alloc();
      memOp(this.em, 'lea', r, a);
      return this.offset({ kind: 'reg', reg: r, disp: 0 }, by);
    }
    this.freeAddr(a);
    const r = this.alloc();
    materialize(this.em, r, { ...a, disp: 0 } as Addr);
    const k = this.alloc();
    loadImmediate(this.em, k, BigInt(disp));
    this.em.emit('add', 'rr', { a: r, b: k });
    this.free(k);
    return { kind: 'reg', reg: r, disp: 0 };
  }

  /** The address a pointer expression points to: `&x` folds into x's address, p + i into [p + i*size] or [p + disp]. */
  private pointerAddr(p: Expr): Addr {
    if (p.kind === 'addr') return this.address(p.operand);
    if (p.kind === 'ptr-add') {
      if (p.index.kind === 'int') {
        const k = p.index.value * BigInt(p.elementSize);
        // A constant index folds into the displacement (if the displacement stays encodable).
        if (k >= -(1n << 24n) && k <= 1n << 24n) return this.offset(this.pointerAddr(p.pointer), Number(k));
      } else {
        const scale = [1, 2, 4, 8].indexOf(p.elementSize);
        const base = this.staticAddr(p.pointer);
        if (base && (scale === 0 || scale < 0)) {
          // a[i] for a static array: [i*size + a], no register for the array's address.
          let i = this.val(p.index);
          if (scale < 0) {
            i = this.own(i);
            this.scaleBy(i, p.elementSize);
          }
          return { kind: 'regsym', reg: i, symbol: base.symbol, disp: base.disp };
        }
        if (scale >= 0) {
          const [b, i] = this.pair(p.pointer, p.index);
          return { kind: 'idx', reg: b, index: i, scale, disp: 0 };
        }
      }
    }
    const r = this.val(p);
    return { kind: 'reg', reg: r, disp: 0 };
  }

  /** The static address a pointer expression denotes without code (`a` for a static array, `&s.m`), if it is one. */
  private staticAddr(p: Expr): Extract<Addr, { kind: 'static' }> | undefined {
    const object = p.kind === 'addr' ? p.operand : p.kind === 'symbol' && p.type.kind === 'array' ? p : p.kind === 'cast' && p.operand.type.kind === 'array' ? p.operand : undefined;
    const at = (o: Expr): Extract<Addr, { kind: 'static' }> | undefined => {
      if (o.kind === 'string') return { kind: 'static', symbol: this.ctx.stringSymbol(o.id), disp: 0 };
      if (o.kind === 'member') {
        const a = at(o.object);
        return a && { ...a, disp: a.disp + o.offset };
      }
      if (o.kind !== 'symbol' || o.symbol.kind !== 'var' || o.symbol.storage === 'local' || o.symbol.storage === 'param') return undefined;
      return { kind: 'static', symbol: this.ctx.staticSymbol(o.symbol), disp: 0 };
    };
    const a = object && at(object);
    return a && a.disp >= -(1 << 24) && a.disp <= 1 << 24 ? a : undefined;
  }

  /** Evaluates two operands (the one with a call first); returns their registers in source order. */
  pair(left: Expr, right: Expr, hint?: number): [number, number] {
    if (hasCall(right) && !hasCall(left)) {
      const r = this.val(right);
      const [l, [r2]] = this.holding([r], left, () => this.val(left, hint));
      return [l, r2!];
    }
    const l = this.val(left, hint);
    const [r, [l2]] = this.holding([l], right, () => this.val(right));
    return [l2!, r];
  }

  // ---------------------------------------------------------------- loads and stores

  /** Loads the value of lvalue `e` at `a` into a new register (records and arrays: their address); frees a's registers unless `keep`. */
  load(a: Addr, e: Expr, hint?: number, keep = false): number {
    if (!keep) this.freeAddr(a);
    const r = this.alloc(hint);
    const t = e.type;
    if (isRecord(t) || t.kind === 'array' || t.kind === 'function') materialize(this.em, r, a);
    else if (e.kind === 'member' && e.field.bitWidth !== undefined) this.loadBitField(r, a, e.field.type, e.field.bitWidth, e.field.bitOffset!);
    else loadScalar(this.em, r, a, t);
    return r;
  }

  private loadBitField(r: number, a: Addr, t: Type, width: number, bitOffset: number): void {
    const size = sizeOf(t);
    memOp(this.em, size === 8 ? 'ld64' : size === 4 ? 'ld32u' : size === 2 ? 'ld16u' : 'ld8u', r, a);
    const signed = !isUnsigned(t);
    // Move the field to the top, then shift it back down with the right extension.
    this.em.emit('shli', 'r-imm8', { a: r, imm: 64 - bitOffset - width });
    this.em.emit(signed ? 'sari' : 'shri', 'r-imm8', { a: r, imm: 64 - width });
  }

  /** Stores `r` (of the target's type; records: the source address) into the lvalue `target` at `a`. */
  store(r: number, a: Addr, target: Expr): void {
    const t = target.type;
    if (isRecord(t)) {
      let dst: number;
      if (a.kind === 'reg' && a.disp === 0) dst = a.reg;
      else {
        dst = this.alloc();
        materialize(this.em, dst, a);
      }
      this.copy(dst, r, sizeOf(t));
      if (dst !== (a.kind === 'reg' ? a.reg : -1)) this.free(dst);
      return;
    }
    if (target.kind === 'member' && target.field.bitWidth !== undefined) return this.storeBitField(r, a, target.field.type, target.field.bitWidth, target.field.bitOffset!);
    storeScalar(this.em, r, a, t);
  }

  /** Copies `size` bytes from the address in `src` to the address in `dst`, with temporaries. */
  copy(dst: number, src: number, size: number): void {
    this.protect([dst, src], () => {
      const tmp = this.alloc();
      const counter = size >= 40 ? this.alloc() : undefined;
      copyBytes(this.em, dst, src, size, tmp, counter);
      this.free(tmp);
      if (counter !== undefined) this.free(counter);
    });
  }

  /** Read-modify-write of a bit-field's storage unit: unit = (unit & ~mask) | ((r << offset) & mask). */
  storeBitField(r: number, a: Addr, t: Type, width: number, bitOffset: number): void {
    const em = this.em;
    const size = sizeOf(t);
    const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset);
    const addrRegs = a.kind === 'reg' || a.kind === 'regsym' ? [a.reg] : a.kind === 'idx' ? [a.reg, a.index] : [];
    this.protect([r, ...addrRegs], () => {
      const unit = this.alloc();
      const tmp = this.alloc();
      memOp(em, size === 8 ? 'ld64' : size === 4 ? 'ld32u' : size === 2 ? 'ld16u' : 'ld8u', unit, a);
      loadImmediate(em, tmp, BigInt.asIntN(64, ~mask));
      em.emit('and', 'rr', { a: unit, b: tmp });
      em.emit('mov', 'rr', { a: tmp, b: r });
      if (bitOffset) em.emit('shli', 'r-imm8', { a: tmp, imm: bitOffset });
      const m = BigInt.asIntN(64, mask);
      if (fits32(m)) em.emit('andi', fits8(m) ? 'r-imm8' : 'r-imm32', { a: tmp, imm: m });
      else {
        const k = this.alloc();
        loadImmediate(em, k, m);
        em.emit('and', 'rr', { a: tmp, b: k });
        this.free(k);
      }
      em.emit('or', 'rr', { a: unit, b: tmp });
      memOp(em, size === 8 ? 'st64' : size === 4 ? 'st32' : size === 2 ? 'st16' : 'st8', unit, a);
      this.free(unit);
      this.free(tmp);
    });
  }

  /** Converts register `r` (a variable's, or owned) from `from` to `to` in place. */
  convertIn(r: number, from: Type, to: Type): void {
    const t = scalarKind(to);
    if (t?.int === 'bool') {
      if (scalarKind(from)?.int === 'bool') return;
      const z = this.alloc();
      this.em.emit('movi', 'r-imm8', { a: z, imm: 0 });
      this.em.emit('sne', 'rr', { a: r, b: z });
      this.free(z);
      return;
    }
    const op = conversionOp(from, to);
    if (op) this.em.emit(op, 'rr', { a: r, b: r });
  }

  /** Converts the value in `r` from `from` to `to`; returns the register holding the result (r itself when nothing changes). */
  convert(r: number, from: Type, to: Type, hint?: number): number {
    const f = scalarKind(from);
    const t = scalarKind(to);
    if (!f || !t) return r;
    if (t.int === 'bool') {
      if (f.int === 'bool') return r;
      const d = this.own(r, hint);
      const z = this.alloc();
      this.em.emit('movi', 'r-imm8', { a: z, imm: 0 });
      this.em.emit('sne', 'rr', { a: d, b: z });
      this.free(z);
      return d;
    }
    const op = conversionOp(from, to);
    if (!op) return r;
    const d = this.owned(r) ? r : this.alloc(hint);
    this.em.emit(op, 'rr', { a: d, b: r });
    return d;
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates `e`; returns the register holding its value (see the file comment). */
  val(e: Expr, hint?: number): number {
    const em = this.em;
    switch (e.kind) {
      case 'int': {
        const h = this.ctx.hoisted(e);
        if (h !== undefined) return h;
        const r = this.alloc(hint);
        loadImmediate(em, r, representation(e.value, e.type));
        return r;
      }
      case 'float':
        this.ctx.unsupported(e, 'floating point');
        return this.alloc(hint);
      case 'string': {
        const r = this.alloc(hint);
        materialize(em, r, { kind: 'static', symbol: this.ctx.stringSymbol(e.id), disp: 0 });
        return r;
      }
      case 'symbol': {
        const x = this.regVarOf(e);
        if (x !== undefined) return x;
        return this.load(this.address(e), e, hint);
      }
      case 'member':
      case 'deref':
      case 'compound-literal':
        return this.load(this.address(e), e, hint);
      case 'addr': {
        const a = this.address(e.operand);
        this.freeAddr(a);
        const r = this.alloc(hint);
        materialize(em, r, a);
        return r;
      }
      case 'binary':
        return this.binary(e.op, e.left, e.right, hint);
      case 'unary': {
        const v = this.val(e.operand, hint);
        if (e.op === '!') {
          const r = this.own(v, hint);
          const z = this.alloc();
          em.emit('movi', 'r-imm8', { a: z, imm: 0 });
          em.emit('seq', 'rr', { a: r, b: z });
          this.free(z);
          return r;
        }
        const r = this.owned(v) ? v : this.alloc(hint);
        if (e.op === '-') em.emit(isWord(e.type) ? 'negw' : 'neg', 'rr', { a: r, b: v });
        else em.emit('not', 'rr', { a: r, b: v });
        return r;
      }
      case 'ptr-add':
        return this.pointerAdd(e.pointer, e.index, e.elementSize, hint);
      case 'ptr-diff': {
        const [l0, r] = this.pair(e.left, e.right, hint);
        const l = this.own(l0, hint);
        em.emit('sub', 'rr', { a: l, b: r });
        this.free(r);
        if (e.elementSize > 1) {
          const shift = Math.log2(e.elementSize);
          if (Number.isInteger(shift)) em.emit('sari', 'r-imm8', { a: l, imm: shift });
          else {
            const k = this.alloc();
            loadImmediate(em, k, BigInt(e.elementSize));
            em.emit('div', 'rr', { a: l, b: k });
            this.free(k);
          }
        }
        return l;
      }
      case 'logical':
      case 'cond':
        return conditionalValue(this, e, hint);
      case 'comma':
        this.effect(e.left);
        return this.val(e.right, hint);
      case 'assign':
        return assign(this, e, hint);
      case 'compound-assign':
        return compoundAssign(this, e, hint);
      case 'incdec':
        return incdec(this, e, hint);
      case 'call':
        return call(this, e, hint);
      case 'cast': {
        const v = this.val(e.operand, hint);
        if (e.type.kind === 'void') return v;
        return this.convert(v, e.operand.type, e.type, hint);
      }
      case 'stmt-expr':
        return this.clobbering(() => this.ctx.block(e.body), hint);
      case 'intrinsic':
        return this.clobbering(() => intrinsic(this, e), hint);
    }
  }

  /**
   * Applies `op` (not a comparison) to `d` and the value of `right`, in place;
   * `t` is the operation's type. Returns d's register (an owned temporary can
   * move if `right` needs it spilled).
   */
  applyOp(d: number, op: BinaryOp, t: Type, right: Expr): number {
    if (right.kind === 'int' && this.immediateOp(d, op, t, representation(right.value, right.type))) return d;
    const [r, [d2]] = this.holding([d], right, () => this.val(right));
    this.em.emit(opMnemonic(op, t), 'rr', { a: d2!, b: r });
    this.free(r);
    return d2!;
  }

  /** d = d op k with an immediate form, if there is one; false otherwise. */
  immediateOp(d: number, op: BinaryOp, t: Type, v: bigint): boolean {
    const em = this.em;
    const word = isWord(t);
    if ((op === '+' || op === '-') && (op === '+' ? fits32(v) : v > -(1n << 31n) && v <= 1n << 31n)) {
      const k = op === '+' ? v : -v;
      if (k === 0n && !word) return true;
      em.emit(word ? 'addwi' : 'addi', fits8(k) ? 'r-imm8' : 'r-imm32', { a: d, imm: k });
      return true;
    }
    if ((op === '&' || op === '|' || op === '^') && fits32(v)) {
      em.emit(op === '&' ? 'andi' : op === '|' ? 'ori' : 'xori', fits8(v) ? 'r-imm8' : 'r-imm32', { a: d, imm: v });
      return true;
    }
    if (op === '*') {
      const bits = word ? BigInt.asUintN(32, v) : BigInt.asUintN(64, v);
      if (bits !== 0n && (bits & (bits - 1n)) === 0n) {
        // A power of two: a shift (the W shift sign-extends its 32-bit result as mulw does).
        const s = bits.toString(2).length - 1;
        if (s === 0 && !word) return true;
        em.emit(word ? 'shlwi' : 'shli', 'r-imm8', { a: d, imm: s });
        return true;
      }
      if (!word && fits32(v)) {
        em.emit('muli', fits8(v) ? 'r-imm8' : 'r-imm32', { a: d, imm: v });
        return true;
      }
      return false;
    }
    if (op === '<<' || op === '>>') {
      const m = op === '<<' ? (word ? 'shlwi' : 'shli') : isUnsigned(t) ? (word ? 'shrwi' : 'shri') : word ? 'sarwi' : 'sari';
      em.emit(m, 'r-imm8', { a: d, imm: Number(v & 63n) });
      return true;
    }
    return false;
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, hint?: number): number {
    const em = this.em;
    const t = left.type;
    const cmp = COMPARE[op];
    if (cmp && left.kind === 'int' && right.kind !== 'int') return this.binary(MIRROR[op]!, right, left, hint);
    if (!cmp && right.kind === 'int') {
      const l = this.val(left, hint);
      const v = representation(right.value, right.type);
      if ((op === '+' || op === '-') && !isWord(t) && !this.owned(l)) {
        // x + k on a 64-bit variable: lea leaves the variable alone in one instruction.
        const k = op === '+' ? v : -v;
        if (fits32(k)) {
          const d = this.alloc(hint);
          this.em.emit('lea', fits8(k) ? 'mem8' : 'mem32', { a: d, b: l, imm: Number(k) });
          return d;
        }
      }
      if (immediateFormExists(op, t, v)) {
        const d = this.own(l, hint);
        this.immediateOp(d, op, t, v);
        return d;
      }
      const d = this.own(l, hint);
      const k = this.val(right);
      em.emit(opMnemonic(op, t), 'rr', { a: d, b: k });
      this.free(k);
      return d;
    }
    let [l, r] = this.pair(left, right, hint);
    if (!this.owned(l) && this.owned(r) && COMMUTATIVE.has(op)) {
      // x + t: compute into the temporary, leaving the variable alone.
      [l, r] = [r, l];
    }
    const d = this.own(l, hint);
    if (cmp) em.emit(cmp[isUnsigned(t) ? 1 : 0], 'rr', { a: d, b: r });
    else em.emit(opMnemonic(op, t), 'rr', { a: d, b: r });
    this.free(r);
    return d;
  }

  private pointerAdd(pointer: Expr, index: Expr, size: number, hint?: number): number {
    const em = this.em;
    if (index.kind === 'int') {
      const k = BigInt.asIntN(64, index.value * BigInt(size));
      const p = this.val(pointer, hint);
      if (k === 0n) return p;
      if (fits32(k)) {
        // lea leaves a variable's register alone, and is as short as addi.
        const d = this.owned(p) ? p : this.alloc(hint);
        if (d === p) em.emit('addi', fits8(k) ? 'r-imm8' : 'r-imm32', { a: d, imm: k });
        else em.emit('lea', fits8(k) ? 'mem8' : 'mem32', { a: d, b: p, imm: Number(k) });
        return d;
      }
      const d = this.own(p, hint);
      const t = this.alloc();
      loadImmediate(em, t, k);
      em.emit('add', 'rr', { a: d, b: t });
      this.free(t);
      return d;
    }
    const base = this.staticAddr(pointer);
    if (base) {
      // &a[i] for a static array: lea d, [i*size + a].
      let i = this.val(index, hint);
      if (size !== 1) {
        i = this.own(i, hint);
        this.scaleBy(i, size);
      }
      this.free(i);
      const d = this.alloc(hint);
      memOp(em, 'lea', d, { kind: 'regsym', reg: i, symbol: base.symbol, disp: base.disp });
      return d;
    }
    const [p, i] = this.pair(pointer, index, hint);
    const scale = [1, 2, 4, 8].indexOf(size);
    if (scale >= 0) {
      this.free(p);
      this.free(i);
      const d = this.alloc(hint);
      em.emit('lea', 'mem-idx', { a: d, b: p, c: i, s: scale });
      return d;
    }
    const j = this.own(i);
    this.scaleBy(j, size);
    this.free(p);
    this.free(j);
    const d = this.alloc(hint);
    em.emit('lea', 'mem-idx', { a: d, b: p, c: j, s: 0 });
    return d;
  }

  /** r *= size (an element size): a shift for powers of two. */
  scaleBy(r: number, size: number): void {
    if (size === 1) return;
    const s = Math.log2(size);
    if (Number.isInteger(s)) this.em.emit('shli', 'r-imm8', { a: r, imm: s });
    else this.em.emit('muli', size <= 127 ? 'r-imm8' : 'r-imm32', { a: r, imm: size });
  }

  /** Branches to `target` if `e` is true (`when` = true) or false (`when` = false); falls through otherwise. */
  jumpIf(e: Expr, when: boolean, target: Label): void {
    jumpIf(this, e, when, target);
  }

  /**
   * Evaluates `e` for its side effects only (expression statements, the left
   * of a comma, a for loop's step): an assignment then skips producing its
   * value (a bit-field's re-read, a postfix increment's copy).
   */
  effect(e: Expr): void {
    // Only the outermost node may consume the flag, so only those that read it set it.
    this.discard = e.kind === 'assign' || e.kind === 'compound-assign' || e.kind === 'incdec';
    try {
      this.free(this.val(e));
    } finally {
      this.discard = false;
    }
  }

  /** Whether the assignment being generated must produce its value; read once, on entry. */
  valueNeeded(): boolean {
    const needed = !this.discard;
    this.discard = false;
    return needed;
  }
}
