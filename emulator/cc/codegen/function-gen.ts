// One function: frame layout, prologue and epilogue, statements, and the
// debug records of its parameters and locals.
//
// Frame (rbp-relative, growing down):
//   [rbp+16+8k]  the 7th, 8th ... arguments (pushed by the caller)
//   [rbp+8]      return address
//   [rbp]        caller's rbp
//   [rbp-8...]   the saved callee-saved registers the function uses, the
//                hidden struct-return pointer, then register parameters, the
//                varargs register save area (48 bytes), locals, temporaries
// Scalar variables whose address is never taken live in registers instead
// (regvars.ts decides which); their debug records say so.

import type { BlockStmt, Expr, FunctionSymbol, Initializer, Stmt, VarSymbol } from '../ast';
import type { DebugFunction, DebugVariable } from '../object';

/** A debug variable whose scope is still a pair of labels. */
export interface PendingDebugVariable {
  readonly variable: DebugVariable;
  readonly scope?: { readonly start: Label; readonly end: Label };
}
/** A function's debug record before layout: code bounds and scopes as labels. */
export interface PendingDebugFunction {
  readonly fn: Omit<DebugFunction, 'start' | 'end' | 'params' | 'locals'>;
  readonly start: Label;
  readonly end: Label;
  readonly params: readonly PendingDebugVariable[];
  readonly locals: readonly PendingDebugVariable[];
}
import { Reg } from '../../machine/isa/opcodes';
import { alignOf, isRecord, sizeOf } from '../types';
import { copyBytes, loadImmediate, loadMnemonic, memOp, storeScalar, type Addr } from './addressing';
import type { Emitter, Label } from './emitter';
import { ExprGen, OutOfRegisters, type GenContext } from './expr-gen';
import { initializeLocal } from './local-init';
import { isUnsigned, representation, scalarKind } from './representation';
import type { ModuleGen } from './module-gen';
import { ARG_REGS, planRegisters, type RegisterPlan } from './regvars';
import { setVar } from './assignments';

const RAX = Reg.RAX;
const RDI = Reg.RDI;

export class FunctionGen implements GenContext {
  readonly em: Emitter;
  private readonly slots = new Map<VarSymbol, number>();
  private frameSize = 0;
  /** What the frame would need without the cap in `grow` (for the message). */
  private frameNeeded = 0;
  private readonly exprs: ExprGen;
  private readonly breaks: Label[] = [];
  private readonly continues: Label[] = [];
  private readonly switchCases: Label[][] = [];
  private readonly switchDefaults: (Label | undefined)[] = [];
  private readonly labels = new Map<string, Label>();
  private structReturnSlot = 0;
  private saveArea = 0;
  private readonly scopes = new Map<VarSymbol, { start: Label; end: Label }>();
  private readonly blockEnds: Label[] = [];
  /** Locals aligned to more than 8 bytes: the slot holding their address, and the region they live in. */
  private readonly overAligned = new Map<VarSymbol, { readonly pointer: number; readonly region: number }>();
  /** Struct and union parameters: the slot holding the address of the caller's copy. */
  private readonly byReference = new Map<VarSymbol, number>();
  /** Expression statements whose value is used: the last statement of a statement expression. */
  private readonly valueStatements = new Set<Stmt>();
  private readonly plan: RegisterPlan;
  /** Where the epilogue restores the callee-saved registers (returns jump there when there are any). */
  private readonly epilogue: Label;
  /** The function body's last statement, when it is a return: it falls into the epilogue. */
  private finalReturn: Stmt | undefined;

  constructor(
    private readonly mod: ModuleGen,
    readonly fn: FunctionSymbol,
    readonly safe = false,
  ) {
    this.em = mod.em;
    this.plan = planRegisters(fn, safe);
    this.epilogue = this.em.newLabel();
    this.exprs = new ExprGen(this);
  }

  get temps(): readonly number[] {
    return this.plan.temps;
  }
  regVar(v: VarSymbol): number | undefined {
    return this.plan.vars.get(v);
  }
  hoisted(e: Expr): number | undefined {
    return this.plan.constants.get(e);
  }
  /** Loads the constants hoisted out of `loop` (before its first iteration). */
  private preheader(loop: Stmt): void {
    for (const { reg, value } of this.plan.preheaders.get(loop) ?? []) loadImmediate(this.em, reg, value);
  }

  // ---- GenContext ----
  frameSlot(v: VarSymbol): number {
    const s = this.slots.get(v);
    if (s === undefined) {
      // A local declared in a statement-expression or compound literal we have not laid out yet.
      return this.allocate(v);
    }
    return s;
  }
  staticSymbol(v: VarSymbol | { readonly kind: 'function'; readonly linkName: string }): string {
    return this.mod.symbolName(v);
  }
  stringSymbol(id: number): string {
    return this.mod.stringSymbol(id);
  }
  temporary(size: number): number {
    this.grow(size, 8);
    return -this.frameSize;
  }
  unsupported(e: Expr, what: string): void {
    this.mod.diags.push({ severity: 'error', message: `${what} is not supported by the code generator`, range: e.range });
  }
  block(b: BlockStmt): void {
    // The last statement of a statement expression gives its value: evaluate it as a value.
    const last = b.body[b.body.length - 1];
    if (last?.kind === 'expr') this.valueStatements.add(last);
    this.stmt(b);
  }
  initLocal(v: VarSymbol, init: Initializer): void {
    this.initialize(v, init);
  }
  varargs(): { saveArea: number; namedRegs: number; namedStack: number } {
    const named = this.fn.params.length + (isRecord(this.fn.type.returns) ? 1 : 0);
    return { saveArea: this.saveArea, namedRegs: Math.min(6, named), namedStack: Math.max(0, named - 6) };
  }

  /**
   * Extends the frame by `size` bytes at alignment `align`. Past 2 GiB the
   * offsets could not be encoded: the frame stops growing there (the
   * function is already in error: frames are limited to 64 KiB).
   */
  private grow(size: number, align: number): void {
    this.frameNeeded = roundUp(this.frameNeeded + size, align);
    this.frameSize = Math.min(roundUp(this.frameSize + size, align), FRAME_CAP);
  }

  private allocate(v: VarSymbol): number {
    const size = Math.max(1, sizeOf(v.type));
    const align = Math.max(alignOf(v.type), v.alignAttr ?? 1);
    this.grow(size, align);
    const slot = -this.frameSize;
    this.slots.set(v, slot);
    return slot;
  }

  /**
   * A local's slot. rbp is only known to be 8-byte aligned (the code keeps
   * no 16-byte stack alignment at calls, and no ABI could align more than
   * 16), so a local that needs more lives in a region large enough to hold
   * an aligned copy, whose address the prologue computes into a pointer slot.
   */
  private allocateLocal(v: VarSymbol): void {
    const align = localAlign(v);
    if (align <= 8) {
      this.allocate(v);
      return;
    }
    this.grow(8, 8);
    const pointer = -this.frameSize;
    this.grow(Math.max(1, sizeOf(v.type)) + align - 8, 8);
    this.overAligned.set(v, { pointer, region: -this.frameSize });
  }
  indirectSlot(v: VarSymbol): number | undefined {
    return this.overAligned.get(v)?.pointer ?? this.byReference.get(v);
  }

  /**
   * Generates the function. If an expression turns out to need more
   * temporaries than the estimate allowed for, the function is generated
   * again in safe mode (all caller-saved registers for temporaries, early spills).
   */
  generate(): PendingDebugFunction {
    if (this.safe) return this.generateOnce();
    const at = this.em.checkpoint();
    const diags = this.mod.diags.length;
    try {
      return this.generateOnce();
    } catch (e) {
      if (!(e instanceof OutOfRegisters)) throw e;
      this.em.rollback(at);
      this.mod.diags.length = diags;
      return new FunctionGen(this.mod, this.fn, true).generate();
    }
  }

  private generateOnce(): PendingDebugFunction {
    const em = this.em;
    const fn = this.fn;
    const start = em.mark;
    // The prologue's row is the definition's line, as gcc's is (not a prototype's).
    em.line(fn.definitionRange ?? fn.range);
    const saveSlots = this.plan.saved.map(() => this.temporary(8));
    const structReturn = isRecord(fn.type.returns);
    if (structReturn) this.structReturnSlot = this.temporary(8);
    const regParams = ARG_REGS.slice(structReturn ? 1 : 0);
    fn.params.forEach((p, i) => {
      if (this.plan.vars.has(p)) return;
      // A struct or union parameter arrives as the address of the caller's copy (see ExprGen.call).
      const byReference = isRecord(p.type);
      let slot: number;
      if (i >= regParams.length) slot = 16 + 8 * (i - regParams.length);
      else if (byReference) slot = this.temporary(8);
      else slot = this.allocate(p);
      if (byReference) this.byReference.set(p, slot);
      else this.slots.set(p, slot);
    });
    if (fn.usesVarargs) {
      this.grow(48, 8);
      this.saveArea = -this.frameSize;
    }
    for (const v of fn.locals) if (v.storage === 'local' && !this.plan.vars.has(v)) this.allocateLocal(v);
    // `enter` needs the final frame size, known only after the body: reserve it and patch it at the end.
    const prologue = em.reserve('enter', 'imm16');
    this.plan.saved.forEach((r, i) => memOp(em, 'st64', r, { kind: 'frame', disp: saveSlots[i]! }));
    if (structReturn) memOp(em, 'st64', RDI, { kind: 'frame', disp: this.structReturnSlot });
    fn.params.forEach((p, i) => {
      // Each parameter is stored with its own width (hosted-runtime fix): a 64-bit store into
      // an int's 4-byte slot overwrote the neighbouring slot, or the saved rbp at [rbp+0].
      const size = isRecord(p.type) ? 8 : sizeOf(p.type);
      const op = size === 1 ? 'st8' : size === 2 ? 'st16' : size === 4 ? 'st32' : 'st64';
      if (i < regParams.length && !this.plan.vars.has(p)) memOp(em, op, regParams[i]!, { kind: 'frame', disp: this.slots.get(p) ?? this.byReference.get(p)! });
    });
    if (fn.usesVarargs) ARG_REGS.forEach((r, i) => memOp(em, 'st64', r, { kind: 'frame', disp: this.saveArea + 8 * i }));
    for (const [v, { pointer, region }] of this.overAligned) {
      // pointer = (rbp + region + align - 8) & -align: the first aligned address in the region.
      const align = localAlign(v);
      memOp(em, 'lea', RAX, { kind: 'frame', disp: region + align - 8 });
      em.emit('andi', align <= 128 ? 'r-imm8' : 'r-imm32', { a: RAX, imm: -align });
      memOp(em, 'st64', RAX, { kind: 'frame', disp: pointer });
    }
    // Register parameters move to their variable's register (in a leaf function they stay where
    // they arrived); the others are loaded from the caller's pushes.
    fn.params.forEach((p, i) => {
      const r = this.plan.vars.get(p);
      if (r === undefined) return;
      if (i < regParams.length) {
        if (r !== regParams[i]) em.emit('mov', 'rr', { a: r, b: regParams[i]! });
      } else memOp(em, loadMnemonic(p.type), r, { kind: 'frame', disp: 16 + 8 * (i - regParams.length) });
    });
    const end = em.newLabel();
    const body = fn.body!;
    const last = body.body[body.body.length - 1];
    this.finalReturn = last?.kind === 'return' ? last : undefined;
    this.blockEnds.push(end);
    this.stmt(body);
    this.blockEnds.pop();
    em.bind(end);
    // Falling off the end: main returns 0 (C11 5.1.2.2.3); others return whatever rax holds.
    if (fn.name === 'main' && !this.finalReturn) em.emit('movi', 'r-imm8', { a: RAX, imm: 0 });
    em.bind(this.epilogue);
    this.plan.saved.forEach((r, i) => memOp(em, 'ld64', r, { kind: 'frame', disp: saveSlots[i]! }));
    em.emit('leave', 'none');
    em.emit('ret', 'none');
    const stop = em.mark;
    const frameSize = roundUp(this.frameSize, 16);
    if (frameSize > 0xffff) this.mod.diags.push({ severity: 'error', message: `the frame of '${fn.name}' needs ${roundUp(Math.max(frameSize, this.frameNeeded), 16)} bytes; at most 65535 are supported`, range: fn.range });
    em.patch(prologue, { imm: Math.min(frameSize, 0xffff) });
    return this.debugRecord(start, stop, frameSize);
  }

  /** The function's debug record, with labels that the module turns into offsets once the code is laid out. */
  private debugRecord(start: Label, stop: Label, frameSize: number): PendingDebugFunction {
    const fn = this.fn;
    const variable = (v: VarSymbol): PendingDebugVariable => {
      const scope = this.scopes.get(v);
      const reg = this.plan.vars.get(v);
      return {
        variable: { name: v.name, type: this.mod.debugType(v.type), location: reg !== undefined ? { kind: 'register', reg } : { kind: 'frame', rbpOffset: this.slots.get(v) ?? 0 }, range: v.range },
        ...(scope ? { scope } : {}),
      };
    };
    return {
      fn: { name: fn.name, linkName: this.mod.symbolName(fn), type: this.mod.debugType(fn.type), range: fn.definitionRange ?? fn.range, frameSize },
      start,
      end: stop,
      // A struct parameter or an over-aligned local is reached through a pointer slot, which
      // DebugLocation cannot express yet: they are left out rather than described wrongly.
      params: fn.params.filter((v) => !this.byReference.has(v) && !v.name.startsWith('.')).map(variable),
      locals: fn.locals.filter((v) => v.storage === 'local' && !v.name.startsWith('.') && !this.overAligned.has(v)).map(variable),
    };
  }

  // ---------------------------------------------------------------- statements

  private stmt(s: Stmt): void {
    const em = this.em;
    const x = this.exprs;
    switch (s.kind) {
      case 'block': {
        const end = em.newLabel();
        this.blockEnds.push(end);
        for (const t of s.body) this.stmt(t);
        this.blockEnds.pop();
        em.bind(end);
        return;
      }
      case 'expr':
        em.line(s.range);
        if (this.valueStatements.has(s)) x.expr(s.expr);
        else x.effect(s.expr);
        return;
      case 'decl': {
        const startLabel = em.mark;
        this.scopes.set(s.symbol, { start: startLabel, end: this.blockEnds[this.blockEnds.length - 1]! });
        if (s.init) {
          em.line(s.range);
          this.initialize(s.symbol, s.init);
        }
        return;
      }
      case 'if': {
        em.line(s.cond.range);
        // if (c) break; (continue, goto): one conditional branch.
        const jump = s.otherwise ? undefined : this.jumpOnly(s.then);
        if (jump) {
          x.jumpIf(s.cond, true, jump);
          return;
        }
        const otherwise = em.newLabel();
        x.jumpIf(s.cond, false, otherwise);
        this.stmt(s.then);
        if (s.otherwise) {
          const end = em.newLabel();
          em.branch('jmp', end);
          em.bind(otherwise);
          this.stmt(s.otherwise);
          em.bind(end);
        } else em.bind(otherwise);
        return;
      }
      case 'while': {
        const top = em.newLabel();
        const body = em.newLabel();
        const end = em.newLabel();
        this.preheader(s);
        // Test at the bottom: one branch per iteration.
        em.branch('jmp', top);
        em.bind(body);
        this.loop(end, top, () => this.stmt(s.body));
        em.bind(top);
        em.line(s.cond.range);
        x.jumpIf(s.cond, true, body);
        em.bind(end);
        return;
      }
      case 'do': {
        const top = em.newLabel();
        const cont = em.newLabel();
        const end = em.newLabel();
        this.preheader(s);
        em.bind(top);
        this.loop(end, cont, () => this.stmt(s.body));
        em.bind(cont);
        em.line(s.cond.range);
        x.jumpIf(s.cond, true, top);
        em.bind(end);
        return;
      }
      case 'for': {
        const test = em.newLabel();
        const body = em.newLabel();
        const cont = em.newLabel();
        const end = em.newLabel();
        // Variables declared in the init clause are in scope until the end of the for (their
        // declarations come as a block, which would end their scope after the init).
        const scopeEnd = em.newLabel();
        this.blockEnds.push(scopeEnd);
        if (s.init?.kind === 'block') for (const t of s.init.body) this.stmt(t);
        else if (s.init) this.stmt(s.init);
        this.blockEnds.pop();
        this.preheader(s);
        em.branch('jmp', test);
        em.bind(body);
        this.loop(end, cont, () => this.stmt(s.body));
        em.bind(cont);
        if (s.step) {
          em.line(s.step.range);
          x.effect(s.step);
        }
        em.bind(test);
        if (s.cond) {
          em.line(s.cond.range);
          x.jumpIf(s.cond, true, body);
        } else em.branch('jmp', body);
        em.bind(end);
        em.bind(scopeEnd);
        return;
      }
      case 'return':
        em.line(s.range);
        if (s.value) {
          x.expr(s.value);
          if (isRecord(this.fn.type.returns)) {
            memOp(em, 'ld64', RDI, { kind: 'frame', disp: this.structReturnSlot });
            copyBytes(em, RDI, RAX, sizeOf(this.fn.type.returns), Reg.RDX);
            em.emit('mov', 'rr', { a: RAX, b: RDI });
          }
        }
        if (s === this.finalReturn) return; // falls into the epilogue
        if (this.plan.saved.length > 0) em.branch('jmp', this.epilogue);
        else {
          em.emit('leave', 'none');
          em.emit('ret', 'none');
        }
        return;
      case 'break':
        em.line(s.range);
        em.branch('jmp', this.breaks[this.breaks.length - 1]!);
        return;
      case 'continue':
        em.line(s.range);
        em.branch('jmp', this.continues[this.continues.length - 1]!);
        return;
      case 'goto':
        em.line(s.range);
        em.branch('jmp', this.label(s.label));
        return;
      case 'label':
        em.bind(this.label(s.name));
        this.stmt(s.body);
        return;
      case 'switch':
        return this.switchStmt(s);
      case 'case':
        em.bind(this.switchCases[this.switchCases.length - 1]![s.index]!);
        this.stmt(s.body);
        return;
      case 'default':
        em.bind(this.switchDefaults[this.switchDefaults.length - 1]!);
        this.stmt(s.body);
        return;
      case 'empty':
        return;
    }
  }

  /** Where `s` jumps if it is nothing but a break, continue or goto. */
  private jumpOnly(s: Stmt): Label | undefined {
    if (s.kind === 'block' && s.body.length === 1) return this.jumpOnly(s.body[0]!);
    if (s.kind === 'break') return this.breaks[this.breaks.length - 1];
    if (s.kind === 'continue') return this.continues[this.continues.length - 1];
    if (s.kind === 'goto') return this.label(s.label);
    return undefined;
  }

  private loop(breakTo: Label, continueTo: Label, body: () => void): void {
    this.breaks.push(breakTo);
    this.continues.push(continueTo);
    try {
      body();
    } finally {
      this.breaks.pop();
      this.continues.pop();
    }
  }

  private label(name: string): Label {
    let l = this.labels.get(name);
    if (!l) {
      l = this.em.newLabel();
      this.labels.set(name, l);
    }
    return l;
  }

  /** A chain of compares (dense jump tables can come later); case ranges test both bounds. */
  private switchStmt(s: Extract<Stmt, { kind: 'switch' }>): void {
    const em = this.em;
    const x = this.exprs;
    em.line(s.cond.range);
    const v = x.val(s.cond);
    const labels = s.cases.map(() => em.newLabel());
    const end = em.newLabel();
    const dflt = s.hasDefault ? em.newLabel() : undefined;
    s.cases.forEach((c, i) => {
      const lo = representation(c.low, s.cond.type);
      const hi = representation(c.high, s.cond.type);
      const k = x.alloc();
      if (lo === hi) {
        if (lo >= -128n && lo <= 127n) em.branch('beqi', labels[i]!, { a: v, cmp: lo });
        else {
          loadImmediate(em, k, lo);
          em.branch('beq', labels[i]!, { a: v, b: k });
        }
      } else {
        // A case range compares in the controlling type's signedness (unsigned int values are
        // held sign-extended, which keeps their unsigned order for bltu/bgeu).
        const u = isUnsigned(s.cond.type);
        const skip = em.newLabel();
        loadImmediate(em, k, lo);
        em.branch(u ? 'bltu' : 'blt', skip, { a: v, b: k });
        loadImmediate(em, k, hi);
        em.branch(u ? 'bgeu' : 'bge', labels[i]!, { a: k, b: v });
        em.bind(skip);
      }
      x.free(k);
    });
    x.free(v);
    em.branch('jmp', dflt ?? end);
    this.switchCases.push(labels);
    this.switchDefaults.push(dflt);
    this.breaks.push(end);
    try {
      this.stmt(s.body);
    } finally {
      this.switchCases.pop();
      this.switchDefaults.pop();
      this.breaks.pop();
    }
    em.bind(end);
  }

  /** Zero-fills a local, then performs its initializer's stores (C11 6.7.9p21). */
  private initialize(v: VarSymbol, init: Initializer): void {
    const em = this.em;
    const x = this.exprs;
    const entry = init.entries[0];
    const reg = this.plan.vars.get(v);
    if (reg !== undefined) {
      if (entry) setVar(x, reg, v, entry.expr, entry.expr.type);
      else em.emit('movi', 'r-imm8', { a: reg, imm: 0 });
      return;
    }
    if (scalarKind(v.type) && !this.overAligned.has(v) && init.entries.length <= 1 && (!entry || (entry.offset === 0 && entry.bitWidth === undefined))) {
      // A scalar in the frame: through the register allocator (no fixed registers).
      const r = entry ? x.convert(x.val(entry.expr), entry.expr.type, v.type) : x.alloc();
      if (!entry) em.emit('movi', 'r-imm8', { a: r, imm: 0 });
      storeScalar(em, r, { kind: 'frame', disp: this.frameSlot(v) }, v.type);
      x.free(r);
      return;
    }
    // The object's address: a frame slot, or (over-aligned) loaded into rdi from its pointer slot.
    const pointer = this.overAligned.get(v)?.pointer;
    const slot = pointer === undefined ? this.frameSlot(v) : 0;
    const at = (offset: number): Addr => {
      if (pointer === undefined) return { kind: 'frame', disp: slot + offset };
      memOp(em, 'ld64', RDI, { kind: 'frame', disp: pointer });
      return { kind: 'reg', reg: RDI, disp: offset };
    };
    initializeLocal(em, x, at, sizeOf(v.type), init);
  }
}

function localAlign(v: VarSymbol): number {
  return Math.max(alignOf(v.type), v.alignAttr ?? 1);
}

/** Well inside disp32, with room for a member offset or an alignment adjustment on top. */
const FRAME_CAP = 0x40000000;

export function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
