// Expressions to WS64. The value of a scalar expression ends up in rax; the
// value of a struct or union expression is its address in rax. Temporaries
// go on the stack (push/pop are one byte each); a right operand that is a
// constant, a local or a global is used in place instead.

import type { BinaryOp, BlockStmt, Expr, VarSymbol } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { INT_SIZES, isRecord, sizeOf, type Type } from '../types';
import { copyBytes, loadImmediate, loadScalar, materialize, memOp, offsetAddr, storeScalar, type Addr } from './addressing';
import type { Emitter, Label } from './emitter';
import { convertRegister, isUnsigned, isWord, representation, scalarKind } from './representation';
import { intrinsic } from './intrinsics';
import { conditionalValue, jumpIf } from './branches';
import { call } from './calls';
import { assign, compoundAssign, incdec } from './assignments';

const RAX = Reg.RAX;
const RDI = Reg.RDI;
const R10 = Reg.R10;
const R11 = Reg.R11;

/** What the expression generator needs from its function and module. */
export interface GenContext {
  readonly em: Emitter;
  /** The rbp-relative slot of a local or parameter. */
  frameSlot(v: VarSymbol): number;
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

const SIMPLE_OPS: Partial<Record<BinaryOp, [string, string]>> = {
  '+': ['add', 'addw'], '-': ['sub', 'subw'], '*': ['mul', 'mulw'], '&': ['and', 'and'], '|': ['or', 'or'], '^': ['xor', 'xor'],
};

export class ExprGen {
  /** Set by `effect` for the expression about to be generated: its value is not used. */
  private discard = false;
  constructor(readonly ctx: GenContext) {}
  get em(): Emitter {
    return this.ctx.em;
  }

  // ---------------------------------------------------------------- addresses

  /** The address of an lvalue; may evaluate pointers into rax (so the result may be rax-based). */
  addr(e: Expr): Addr {
    switch (e.kind) {
      case 'symbol':
        if (e.symbol.kind === 'function') return { kind: 'static', symbol: this.ctx.staticSymbol(e.symbol), disp: 0 };
        if (e.symbol.storage === 'local' || e.symbol.storage === 'param') {
          const indirect = this.ctx.indirectSlot(e.symbol);
          if (indirect === undefined) return { kind: 'frame', disp: this.ctx.frameSlot(e.symbol) };
          memOp(this.em, 'ld64', RAX, { kind: 'frame', disp: indirect });
          return { kind: 'reg', reg: RAX, disp: 0 };
        }
        return { kind: 'static', symbol: this.ctx.staticSymbol(e.symbol), disp: 0 };
      case 'member':
        return this.fit(offsetAddr(this.addr(e.object), e.offset));
      case 'deref':
        if (e.pointer.kind === 'ptr-add' && e.pointer.index.kind === 'int') {
          const k = e.pointer.index.value * BigInt(e.pointer.elementSize);
          // A constant index folds into the displacement (if the displacement stays encodable).
          if (k >= -(1n << 24n) && k <= 1n << 24n) return this.fit(offsetAddr(this.pointerAddr(e.pointer.pointer), Number(k)));
        }
        return this.pointerAddr(e.pointer);
      case 'string':
        return { kind: 'static', symbol: this.ctx.stringSymbol(e.id), disp: 0 };
      case 'compound-literal':
        this.compoundLiteral(e);
        return e.object.storage === 'local'
          ? this.addr({ kind: 'symbol', symbol: e.object, type: e.type, range: e.range })
          : { kind: 'static', symbol: this.ctx.staticSymbol(e.object), disp: 0 };
      default:
        // An rvalue of record type (a call result, a conditional): its address is its value.
        this.expr(e);
        return { kind: 'reg', reg: RAX, disp: 0 };
    }
  }

  /**
   * An address whose displacement fits an instruction's 32 bits; one that
   * does not (a member far inside a huge object) is computed into rax.
   */
  private fit(a: Addr): Addr {
    if (a.disp >= -0x7fff0000 && a.disp <= 0x7fff0000) return a;
    materialize(this.em, RAX, { ...a, disp: 0 });
    loadImmediate(this.em, R11, BigInt(a.disp));
    this.em.emit('add', 'rr', { a: RAX, b: R11 });
    return { kind: 'reg', reg: RAX, disp: 0 };
  }

  /** The address a pointer expression points to, folding `&x` into x's address. */
  private pointerAddr(p: Expr): Addr {
    if (p.kind === 'addr') return this.addr(p.operand);
    this.expr(p);
    return { kind: 'reg', reg: RAX, disp: 0 };
  }

  /** True for a variable (or a member of one) whose address needs no register: a frame slot or a static. */
  fixedAddress(e: Expr): boolean {
    if (e.kind === 'symbol') return e.symbol.kind === 'var' && this.ctx.indirectSlot(e.symbol) === undefined;
    if (e.kind === 'member') return this.fixedAddress(e.object);
    return false;
  }

  /** An address that survives evaluating another expression into rax: rax-based ones move to r11 (or are saved). */
  stable(a: Addr, reg = R11): Addr {
    if (a.kind === 'reg' && a.reg === RAX) {
      this.em.emit('mov', 'rr', { a: reg, b: RAX });
      return { kind: 'reg', reg, disp: a.disp };
    }
    return a;
  }

  // ---------------------------------------------------------------- loads and stores

  /** Loads the value of an lvalue expression `e` at `a` into `r` (records and arrays: their address). */
  loadFrom(r: number, a: Addr, e: Expr): void {
    const t = e.type;
    if (isRecord(t) || t.kind === 'array' || t.kind === 'function') return materialize(this.em, r, a);
    if (e.kind === 'member' && e.field.bitWidth !== undefined) return this.loadBitField(r, a, e.field.type, e.field.bitWidth, e.field.bitOffset!);
    loadScalar(this.em, r, a, t);
  }

  private loadBitField(r: number, a: Addr, t: Type, width: number, bitOffset: number): void {
    const size = sizeOf(t);
    memOp(this.em, size === 8 ? 'ld64' : size === 4 ? 'ld32u' : size === 2 ? 'ld16u' : 'ld8u', r, a);
    const signed = !isUnsigned(t);
    // Move the field to the top, then shift it back down with the right extension.
    this.em.emit('shli', 'r-imm8', { a: r, imm: 64 - bitOffset - width });
    this.em.emit(signed ? 'sari' : 'shri', 'r-imm8', { a: r, imm: 64 - width });
  }

  /** Stores `r` (of the target's type) into the lvalue `target` at `a`; r and the base of a must differ from r10. */
  storeTo(r: number, a: Addr, target: Expr): void {
    const t = target.type;
    if (isRecord(t)) {
      const dst = a.kind === 'reg' && a.disp === 0 ? a.reg : (materialize(this.em, R10, a), R10);
      copyBytes(this.em, dst, r, sizeOf(t), dst === Reg.RDX ? Reg.RCX : Reg.RDX);
      return;
    }
    if (target.kind === 'member' && target.field.bitWidth !== undefined) return this.storeBitField(r, a, target.field.type, target.field.bitWidth, target.field.bitOffset!);
    storeScalar(this.em, r, a, t);
  }

  storeBitField(r: number, a: Addr, t: Type, width: number, bitOffset: number): void {
    const em = this.em;
    const size = sizeOf(t);
    const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset);
    // r10 = unit & ~mask; rcx = (r << offset) & mask; unit = r10 | rcx. rdx holds the mask.
    memOp(em, size === 8 ? 'ld64' : size === 4 ? 'ld32u' : size === 2 ? 'ld16u' : 'ld8u', R10, a);
    loadImmediate(em, Reg.RDX, BigInt.asIntN(64, mask));
    em.emit('mov', 'rr', { a: Reg.RCX, b: r });
    if (bitOffset) em.emit('shli', 'r-imm8', { a: Reg.RCX, imm: bitOffset });
    em.emit('and', 'rr', { a: Reg.RCX, b: Reg.RDX });
    em.emit('not', 'rr', { a: Reg.RDX, b: Reg.RDX });
    em.emit('and', 'rr', { a: R10, b: Reg.RDX });
    em.emit('or', 'rr', { a: R10, b: Reg.RCX });
    memOp(em, size === 8 ? 'st64' : size === 4 ? 'st32' : size === 2 ? 'st16' : 'st8', R10, a);
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates `e` into rax. */
  expr(e: Expr): void {
    const em = this.em;
    switch (e.kind) {
      case 'int':
        return loadImmediate(em, RAX, representation(e.value, e.type));
      case 'float':
        return this.ctx.unsupported(e, 'floating point');
      case 'string':
        return materialize(em, RAX, { kind: 'static', symbol: this.ctx.stringSymbol(e.id), disp: 0 });
      case 'symbol':
      case 'member':
      case 'deref':
      case 'compound-literal': {
        const a = this.addr(e);
        return this.loadFrom(RAX, a, e);
      }
      case 'addr':
        return materialize(em, RAX, this.addr(e.operand));
      case 'binary':
        return this.binary(e.op, e.left, e.right);
      case 'unary':
        this.expr(e.operand);
        if (e.op === '-') em.emit(isWord(e.type) ? 'negw' : 'neg', 'rr', { a: RAX, b: RAX });
        else if (e.op === '~') em.emit('not', 'rr', { a: RAX, b: RAX });
        else {
          em.emit('movi', 'r-imm8', { a: RDI, imm: 0 });
          em.emit('seq', 'rr', { a: RAX, b: RDI });
        }
        return;
      case 'ptr-add':
        return this.pointerAdd(e.pointer, e.index, e.elementSize);
      case 'ptr-diff':
        this.operands(e.left, e.right);
        em.emit('sub', 'rr', { a: RAX, b: RDI });
        if (e.elementSize > 1) {
          const shift = Math.log2(e.elementSize);
          if (Number.isInteger(shift)) em.emit('sari', 'r-imm8', { a: RAX, imm: shift });
          else {
            loadImmediate(em, RDI, BigInt(e.elementSize));
            em.emit('div', 'rr', { a: RAX, b: RDI });
          }
        }
        return;
      case 'logical':
      case 'cond':
        return conditionalValue(this, e);
      case 'comma':
        this.effect(e.left);
        return this.expr(e.right);
      case 'assign':
        return assign(this, e.target, e.value);
      case 'compound-assign':
        return compoundAssign(this, e);
      case 'incdec':
        return incdec(this, e);
      case 'call':
        return call(this, e);
      case 'cast':
        this.expr(e.operand);
        if (e.type.kind !== 'void') convertRegister(em, RAX, e.operand.type, e.type);
        return;
      case 'stmt-expr':
        return this.ctx.block(e.body);
      case 'intrinsic':
        return intrinsic(this, e);
    }
  }

  /** Left into rax and right into rdi. */
  operands(left: Expr, right: Expr): void {
    if (this.isSimple(right)) {
      this.expr(left);
      this.simpleInto(RDI, right);
      return;
    }
    this.expr(right);
    this.em.emit('push', 'reg-in-op', { a: RAX });
    this.expr(left);
    this.em.emit('pop', 'reg-in-op', { a: RDI });
  }

  /** An operand that can be loaded without touching rax: a constant, or a scalar local or global. */
  isSimple(e: Expr): boolean {
    if (e.kind === 'int') return true;
    if (e.kind === 'symbol' && e.symbol.kind === 'var' && scalarKind(e.type) !== undefined) return this.fixedAddress(e);
    if (e.kind === 'cast' && e.implicit && this.isSimple(e.operand)) return e.operand.kind === 'int' || sameRegister(e.operand.type, e.type);
    return false;
  }

  simpleInto(r: number, e: Expr): void {
    if (e.kind === 'cast') {
      this.simpleInto(r, e.operand);
      convertRegister(this.em, r, e.operand.type, e.type);
      return;
    }
    if (e.kind === 'int') return loadImmediate(this.em, r, representation(e.value, e.type));
    const a = this.addr(e);
    this.loadFrom(r, a, e);
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): void {
    const em = this.em;
    const t = left.type;
    const word = isWord(t);
    if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      this.operands(left, right);
      const u = isUnsigned(t);
      const m = { '==': 'seq', '!=': 'sne', '<': u ? 'sltu' : 'slt', '<=': u ? 'sleu' : 'sle', '>': u ? 'sgtu' : 'sgt', '>=': u ? 'sgeu' : 'sge' }[op];
      em.emit(m, 'rr', { a: RAX, b: RDI });
      return;
    }
    // Immediate forms for a small constant right operand.
    if (right.kind === 'int') {
      const v = representation(right.value, right.type);
      const imm8 = v >= -128n && v <= 127n;
      const imm32 = v >= -(1n << 31n) && v < 1n << 31n;
      const shift = Number(v & 63n);
      let done = true;
      if ((op === '+' || op === '-') && (op === '+' ? imm32 : v > -(1n << 31n) && v <= 1n << 31n)) {
        this.expr(left);
        const k = op === '+' ? v : -v;
        const fits8 = k >= -128n && k <= 127n;
        em.emit(word ? 'addwi' : 'addi', fits8 ? 'r-imm8' : 'r-imm32', { a: RAX, imm: k });
      } else if ((op === '&' || op === '|' || op === '^') && imm32) {
        this.expr(left);
        em.emit(op === '&' ? 'andi' : op === '|' ? 'ori' : 'xori', imm8 ? 'r-imm8' : 'r-imm32', { a: RAX, imm: v });
      } else if (op === '*' && imm32 && !word) {
        this.expr(left);
        em.emit('muli', imm8 ? 'r-imm8' : 'r-imm32', { a: RAX, imm: v });
      } else if (op === '<<' || op === '>>') {
        this.expr(left);
        const m = op === '<<' ? (word ? 'shlwi' : 'shli') : isUnsigned(t) ? (word ? 'shrwi' : 'shri') : word ? 'sarwi' : 'sari';
        em.emit(m, 'r-imm8', { a: RAX, imm: shift });
      } else done = false;
      if (done) return;
    }
    this.operands(left, right);
    const simple = SIMPLE_OPS[op];
    if (simple) {
      em.emit(word ? simple[1] : simple[0], 'rr', { a: RAX, b: RDI });
      return;
    }
    const u = isUnsigned(t);
    const m: Record<string, [string, string]> = {
      '/': u ? ['divu', 'divuw'] : ['div', 'divw'],
      '%': u ? ['remu', 'remuw'] : ['rem', 'remw'],
      '<<': ['shl', 'shlw'],
      '>>': u ? ['shr', 'shrw'] : ['sar', 'sarw'],
    };
    em.emit(m[op]![word ? 1 : 0], 'rr', { a: RAX, b: RDI });
  }

  private pointerAdd(pointer: Expr, index: Expr, size: number): void {
    const em = this.em;
    if (index.kind === 'int') {
      this.expr(pointer);
      const k = BigInt.asIntN(64, index.value * BigInt(size));
      if (k !== 0n) {
        if (k >= -(1n << 31n) && k < 1n << 31n) em.emit('addi', k >= -128n && k <= 127n ? 'r-imm8' : 'r-imm32', { a: RAX, imm: k });
        else {
          loadImmediate(em, RDI, k);
          em.emit('add', 'rr', { a: RAX, b: RDI });
        }
      }
      return;
    }
    this.operands(pointer, index);
    const scale = [1, 2, 4, 8].indexOf(size);
    if (scale >= 0) em.emit('lea', 'mem-idx', { a: RAX, b: RAX, c: RDI, s: scale });
    else {
      em.emit('muli', size <= 127 ? 'r-imm8' : 'r-imm32', { a: RDI, imm: size });
      em.emit('add', 'rr', { a: RAX, b: RDI });
    }
  }

  /** Branches to `target` if `e` is true (`when` = true) or false (`when` = false); falls through otherwise. */
  jumpIf(e: Expr, when: boolean, target: Label): void {
    jumpIf(this, e, when, target);
  }

  /**
   * Evaluates `e` for its side effects only (expression statements, the left
   * of a comma, a for loop's step): an assignment to a bit-field then skips
   * re-reading the stored value.
   */
  effect(e: Expr): void {
    // Only the outermost node may consume the flag, so only those that read it set it.
    this.discard = e.kind === 'assign' || e.kind === 'compound-assign' || e.kind === 'incdec';
    try {
      this.expr(e);
    } finally {
      this.discard = false;
    }
  }

  /** Whether the assignment being generated must leave its value in rax; read once, on entry. */
  valueNeeded(): boolean {
    const needed = !this.discard;
    this.discard = false;
    return needed;
  }

  private compoundLiteral(e: Extract<Expr, { kind: 'compound-literal' }>): void {
    if (e.object.storage === 'local') this.ctx.initLocal(e.object, e.init);
  }
}


/** Two scalar types held identically in a register (no conversion instruction between them). */
function sameRegister(a: Type, b: Type): boolean {
  const x = scalarKind(a);
  const y = scalarKind(b);
  if (!x || !y) return false;
  return INT_SIZES[x.int] === INT_SIZES[y.int] && (INT_SIZES[x.int] >= 4 || isUnsigned(a) === isUnsigned(b));
}

