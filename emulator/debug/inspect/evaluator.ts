// The evaluation of parsed expressions in a frame, with C's semantics on
// 64-bit bigints: integer promotions and the usual arithmetic conversions
// (LP64), pointer arithmetic scaled by the pointee's size, member access,
// indexing, casts, sizeof, and loads through the chosen address space.
// Nothing here runs code on the machine or changes it.

import { parseCharConstant, parseNumber } from '../../cc/parse/literals';
import type { AddressSpace } from './address-space';
import { BASIC_TYPES, findField, INT, isInteger, LONG, sizeOf, strip, UINT, ULONG, typeName, type CType, type IntCType } from './c-types';
import { EvalError, normalize, scalarOf, toAddress, type CValue } from './c-value';
import type { Expr, TypeNameSyntax } from './expression-parser';
import { lookupEnumerator, lookupName, lookupTag, lookupTypedef, visibleLocals, type FrameScope } from './frame-scope';

export type Binding = bigint | number | boolean;

export interface EvalState {
  readonly scope: FrameScope;
  /** Where pointers are dereferenced. */
  readonly space: AddressSpace;
  readonly bindings: Readonly<Record<string, Binding>>;
}

const REGISTERS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

const pointerTo = (t: CType): CType => ({ kind: 'pointer', to: t });
/** Registers holding addresses print in hex, as uintptr_t values do. */
const UINTPTR: CType = { kind: 'typedef', name: 'uintptr_t', type: ULONG };

function intValue(type: CType, v: bigint): CValue {
  return { type, bits: normalize(v, type) };
}

/** A named type from its syntax. */
export function resolveTypeName(scope: FrameScope, syntax: TypeNameSyntax): CType {
  let base: CType | undefined;
  if (syntax.tag) {
    base = lookupTag(scope, syntax.tag.kind, syntax.tag.name);
    if (!base) throw new EvalError(`no ${syntax.tag.kind} ${syntax.tag.name} in the program`);
  } else if (syntax.typedefName) {
    base = lookupTypedef(scope, syntax.typedefName);
    if (!base) throw new EvalError(`unknown type name '${syntax.typedefName}'`);
  } else {
    base = BASIC_TYPES.get(basicName(syntax.words));
    if (!base) throw new EvalError(`invalid type '${syntax.words.join(' ')}'`);
  }
  let t = base;
  for (let i = 0; i < syntax.pointers; i++) t = pointerTo(t);
  if (syntax.array !== undefined) t = { kind: 'array', of: t, length: syntax.array };
  return t;
}

function basicName(words: readonly string[]): string {
  const count = (w: string): number => words.filter((x) => x === w).length;
  const unsigned = count('unsigned') > 0;
  if (count('void')) return 'void';
  if (count('_Bool')) return '_Bool';
  if (count('char')) return unsigned ? 'unsigned char' : count('signed') ? 'signed char' : 'char';
  if (count('short')) return unsigned ? 'unsigned short' : 'short';
  if (count('long') >= 2) return unsigned ? 'unsigned long long' : 'long long';
  if (count('long')) return unsigned ? 'unsigned long' : 'long';
  if (words.length === 0) return '';
  return unsigned ? 'unsigned int' : 'int';
}

/** The integer promotions (C11 6.3.1.1). */
function promote(t: CType): IntCType {
  const s = strip(t);
  if (s.kind === 'int') {
    if (s.bool || s.size < 4) return INT;
    return s.size === 4 ? (s.signed ? INT : UINT) : s.signed ? LONG : ULONG;
  }
  if (s.kind === 'enum') return s.size <= 4 ? (s.signed ? INT : UINT) : s.signed ? LONG : ULONG;
  throw new EvalError(`invalid operand of type '${typeName(t)}' (an integer is needed)`);
}

/** The usual arithmetic conversions for two integer types (C11 6.3.1.8) under LP64. */
function common(a: CType, b: CType): IntCType {
  const x = promote(a);
  const y = promote(b);
  const size = Math.max(x.size, y.size);
  const unsigned = x.size === y.size ? !x.signed || !y.signed : !(x.size > y.size ? x : y).signed;
  return size === 8 ? (unsigned ? ULONG : LONG) : unsigned ? UINT : INT;
}

const isPointer = (t: CType): boolean => strip(t).kind === 'pointer';

export class Evaluator {
  constructor(readonly state: EvalState) {}

  /** Evaluates to a value with lvalue-ness kept (arrays do not decay). */
  lvalue(e: Expr): CValue {
    switch (e.k) {
      case 'number':
        return this.number(e.text);
      case 'char': {
        const r = parseCharConstant(e.text);
        if (!r.ok) throw new EvalError(r.message);
        return { type: INT, bits: BigInt(r.value) };
      }
      case 'string':
        throw new EvalError('string literals are not supported in debugger expressions');
      case 'id':
        return this.identifier(e.name);
      case 'unary':
        return this.unary(e.op, e.e);
      case 'sizeofType':
        return { type: ULONG, bits: BigInt(this.sizeOfComplete(resolveTypeName(this.state.scope, e.type))) };
      case 'sizeofExpr':
        return { type: ULONG, bits: BigInt(this.sizeOfComplete(this.lvalue(e.e).type)) };
      case 'cast':
        return this.cast(resolveTypeName(this.state.scope, e.type), this.rvalue(e.e));
      case 'binary':
        return this.binary(e.op, e.l, e.r);
      case 'cond': {
        const c = this.truth(this.rvalue(e.c));
        const taken = this.rvalue(c ? e.t : e.f);
        let other: CValue | undefined;
        try {
          other = this.rvalue(c ? e.f : e.t);
        } catch {
          other = undefined;
        }
        if (other && isInteger(taken.type) && isInteger(other.type)) return this.cast(common(taken.type, other.type), taken);
        return taken;
      }
      case 'index': {
        const a = this.rvalue(e.e);
        const i = this.rvalue(e.i);
        if (isPointer(a.type) && isInteger(i.type)) return this.deref(this.pointerAdd(a, scalarOf(i), '+'));
        if (isPointer(i.type) && isInteger(a.type)) return this.deref(this.pointerAdd(i, scalarOf(a), '+'));
        throw new EvalError(`cannot index a value of type '${typeName(a.type)}'`);
      }
      case 'member': {
        let base = this.lvalue(e.e);
        if (e.arrow) {
          base = this.rvalue(e.e);
          if (!isPointer(base.type)) throw new EvalError(`'->' needs a pointer, but the left side has type '${typeName(base.type)}'`);
          base = this.deref(base);
        }
        return this.member(base, e.name);
      }
      case 'call':
        return this.call(e.f, e.args);
    }
  }

  /** Evaluates and converts to an rvalue: arrays and functions decay to pointers, scalars are loaded. */
  rvalue(e: Expr): CValue {
    return this.decay(this.lvalue(e));
  }

  decay(v: CValue): CValue {
    const s = strip(v.type);
    if (s.kind === 'array') {
      if (!v.loc || v.loc.kind !== 'memory') throw new EvalError('the array is not in memory');
      return { type: pointerTo(s.of), bits: BigInt.asUintN(64, BigInt(v.loc.address)) };
    }
    if (s.kind === 'function') return { type: pointerTo(v.type), bits: v.bits ?? 0n };
    if (s.kind === 'struct' || s.kind === 'union' || s.kind === 'void') return v;
    if (s.kind === 'float') throw new EvalError('floating point is not supported');
    return { type: v.type, bits: scalarOf(v) };
  }

  truth(v: CValue): boolean {
    const s = strip(v.type);
    if (s.kind !== 'int' && s.kind !== 'enum' && s.kind !== 'pointer') throw new EvalError(`a value of type '${typeName(v.type)}' cannot be used as a condition`);
    return scalarOf(v) !== 0n;
  }

  private sizeOfComplete(t: CType): number {
    const s = strip(t);
    if ((s.kind === 'struct' || s.kind === 'union') && !s.complete) throw new EvalError(`sizeof of an incomplete type '${typeName(t)}'`);
    return sizeOf(t);
  }

  private number(text: string): CValue {
    const r = parseNumber(text);
    if (!r.ok) throw new EvalError(r.message);
    if (typeof r.value === 'number' || r.type.kind !== 'int') throw new EvalError('floating point is not supported');
    const kind = r.type.int;
    const type = kind === 'int' ? INT : kind === 'uint' ? UINT : kind === 'long' || kind === 'llong' ? LONG : ULONG;
    return intValue(type, r.value);
  }

  private identifier(name: string): CValue {
    const st = this.state;
    if (name.startsWith('$')) return this.register(name.slice(1));
    // C scoping: the frame's locals and parameters first, then the names the caller binds, then globals.
    const local = visibleLocals(st.scope).find((v) => v.name === name);
    if (local) return local.value;
    const b = Object.prototype.hasOwnProperty.call(st.bindings, name) ? st.bindings[name] : undefined;
    if (b !== undefined) return typeof b === 'boolean' ? { type: INT, bits: b ? 1n : 0n } : intValue(LONG, BigInt(b));
    const found = lookupName(st.scope, name);
    if (found) {
      if (found.value.loc?.kind === 'memory' && Number.isNaN(found.value.loc.address)) throw new EvalError(`${name} is declared but not defined in the program`);
      return found.value;
    }
    const en = lookupEnumerator(st.scope, name);
    if (en) return en;
    if (name === 'pid') {
      if (st.scope.pid === null) throw new EvalError('no current process: `current` is NULL');
      return { type: INT, bits: BigInt(st.scope.pid) };
    }
    if (name === 'true' || name === 'false') return { type: INT, bits: name === 'true' ? 1n : 0n };
    throw new EvalError(`no symbol "${name}" in the current context`);
  }

  private register(name: string): CValue {
    const ctx = this.state.scope.ctx;
    const cpu = ctx.machine.cpu;
    const i = REGISTERS.indexOf(name);
    if (i >= 0) {
      const r = ctx.registers[i];
      if (r === undefined) throw new EvalError(`$${name} is not available in this frame`);
      return intValue(i === 4 || i === 5 ? UINTPTR : LONG, r);
    }
    const u = (v: number): CValue => intValue(UINTPTR, BigInt.asUintN(64, BigInt(v)));
    switch (name) {
      case 'rip':
        return u(ctx.rip);
      case 'rflags':
        return u(cpu.rflags);
      case 'cr0':
        return u(cpu.cr0 >>> 0);
      case 'cr2':
        return u(cpu.cr2);
      case 'cr3':
        return u(cpu.cr3);
      case 'cr4':
        return u(cpu.cr4 >>> 0);
      case 'efer':
        return u(cpu.efer >>> 0);
      case 'cs':
        return intValue(INT, BigInt(cpu.cs));
      case 'ss':
        return intValue(INT, BigInt(cpu.ss));
      case 'cpl':
        return intValue(INT, BigInt(cpu.cs & 3));
      case 'pid':
        if (this.state.scope.pid === null) throw new EvalError('no current process: `current` is NULL');
        return intValue(INT, BigInt(this.state.scope.pid));
      default:
        throw new EvalError(`no register $${name} (registers: ${REGISTERS.map((r) => '$' + r).join(' ')} $rip $rflags $cr0 $cr2 $cr3 $cr4 $efer $cs $ss $cpl $pid)`);
    }
  }

  deref(p: CValue): CValue {
    const s = strip(p.type);
    if (s.kind !== 'pointer') throw new EvalError(`cannot dereference a value of type '${typeName(p.type)}'`);
    const to = strip(s.to);
    const address = scalarOf(p);
    if (to.kind === 'void') throw new EvalError(`cannot dereference a 'void *' (cast it to a pointer type first)`);
    if (to.kind === 'function') return { type: s.to, bits: address };
    if (address === 0n) throw new EvalError('cannot dereference a NULL pointer');
    return { type: s.to, loc: { kind: 'memory', machine: this.state.scope.ctx.machine, space: this.state.space, address: toAddress(address) } };
  }

  private member(base: CValue, name: string): CValue {
    const s = strip(base.type);
    if (s.kind !== 'struct' && s.kind !== 'union') throw new EvalError(`request for member '${name}' in something that is not a struct or union (type '${typeName(base.type)}')`);
    if (!s.complete) throw new EvalError(`'${typeName(base.type)}' is an incomplete type`);
    const f = findField(s, name);
    if (!f) throw new EvalError(`'${typeName(base.type)}' has no member named '${name}'`);
    if (!base.loc || base.loc.kind !== 'memory') throw new EvalError('the structure is not in memory');
    return {
      type: f.type,
      loc: {
        kind: 'memory', machine: base.loc.machine, space: base.loc.space, address: base.loc.address + f.offset,
        ...(f.bitWidth !== undefined ? { bitWidth: f.bitWidth, bitOffset: f.bitOffset ?? 0 } : {}),
      },
    };
  }

  private unary(op: string, operand: Expr): CValue {
    if (op === '&') {
      const v = this.lvalue(operand);
      if (strip(v.type).kind === 'function') return { type: pointerTo(v.type), bits: v.bits ?? 0n };
      if (!v.loc) throw new EvalError('cannot take the address of a value that is not an object');
      if (v.loc.kind === 'register') throw new EvalError(`cannot take the address of ${v.loc.name}: it lives in a register`);
      if (v.loc.bitWidth !== undefined) throw new EvalError('cannot take the address of a bit-field');
      return { type: pointerTo(v.type), bits: BigInt.asUintN(64, BigInt(v.loc.address)) };
    }
    if (op === '*') return this.deref(this.rvalue(operand));
    const v = this.rvalue(operand);
    if (op === '!') return { type: INT, bits: this.truth(v) ? 0n : 1n };
    const t = promote(v.type);
    const x = scalarOf(v);
    if (op === '-') return intValue(t, -x);
    if (op === '~') return intValue(t, ~x);
    return intValue(t, x);
  }

  cast(to: CType, v: CValue): CValue {
    const s = strip(to);
    if (s.kind === 'void') return { type: to, bits: 0n };
    if (s.kind !== 'int' && s.kind !== 'enum' && s.kind !== 'pointer') throw new EvalError(`cannot cast to '${typeName(to)}' (only to scalar types)`);
    const from = strip(v.type);
    if (from.kind !== 'int' && from.kind !== 'enum' && from.kind !== 'pointer') throw new EvalError(`cannot cast a value of type '${typeName(v.type)}' to '${typeName(to)}'`);
    return intValue(to, scalarOf(v));
  }

  private pointerAdd(p: CValue, n: bigint, op: '+' | '-'): CValue {
    const s = strip(p.type) as Extract<CType, { kind: 'pointer' }>;
    const size = BigInt(strip(s.to).kind === 'void' ? 1 : sizeOf(s.to));
    const delta = n * size;
    return intValue(p.type, op === '+' ? scalarOf(p) + delta : scalarOf(p) - delta);
  }

  private binary(op: string, le: Expr, re: Expr): CValue {
    if (op === '&&' || op === '||') {
      const l = this.truth(this.rvalue(le));
      if (op === '&&' && !l) return { type: INT, bits: 0n };
      if (op === '||' && l) return { type: INT, bits: 1n };
      return { type: INT, bits: this.truth(this.rvalue(re)) ? 1n : 0n };
    }
    const l = this.rvalue(le);
    const r = this.rvalue(re);
    const lp = isPointer(l.type);
    const rp = isPointer(r.type);
    for (const v of [l, r]) {
      const k = strip(v.type).kind;
      if (k === 'struct' || k === 'union' || k === 'void') throw new EvalError(`invalid operand of type '${typeName(v.type)}' to '${op}'`);
    }
    if (op === '+' && (lp || rp)) {
      if (lp && rp) throw new EvalError('cannot add two pointers');
      return lp ? this.pointerAdd(l, scalarOf(r), '+') : this.pointerAdd(r, scalarOf(l), '+');
    }
    if (op === '-' && lp) {
      if (rp) {
        const size = BigInt(Math.max(1, sizeOf((strip(l.type) as { to: CType }).to)));
        return intValue(LONG, BigInt.asIntN(64, scalarOf(l) - scalarOf(r)) / size);
      }
      return this.pointerAdd(l, scalarOf(r), '-');
    }
    if (['==', '!=', '<', '>', '<=', '>='].includes(op)) {
      let a: bigint;
      let b: bigint;
      if (lp || rp) {
        a = BigInt.asUintN(64, scalarOf(l));
        b = BigInt.asUintN(64, scalarOf(r));
      } else {
        const t = common(l.type, r.type);
        a = normalize(scalarOf(l), t);
        b = normalize(scalarOf(r), t);
      }
      const result = op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      return { type: INT, bits: result ? 1n : 0n };
    }
    if (lp || rp) throw new EvalError(`invalid operands to '${op}': a pointer and '${typeName(lp ? r.type : l.type)}'`);
    if (op === '<<' || op === '>>') {
      const t = promote(l.type);
      const a = normalize(scalarOf(l), t);
      const n = scalarOf(r);
      if (n < 0n || n >= BigInt(t.size * 8)) throw new EvalError(`shift count ${n} is out of range for '${t.name}' (0-${t.size * 8 - 1})`);
      return intValue(t, op === '<<' ? a << n : a >> n);
    }
    const t = common(l.type, r.type);
    const a = normalize(scalarOf(l), t);
    const b = normalize(scalarOf(r), t);
    switch (op) {
      case '+':
        return intValue(t, a + b);
      case '-':
        return intValue(t, a - b);
      case '*':
        return intValue(t, a * b);
      case '/':
      case '%':
        if (b === 0n) throw new EvalError('division by zero');
        return intValue(t, op === '/' ? a / b : a % b);
      case '&':
        return intValue(t, a & b);
      case '|':
        return intValue(t, a | b);
      case '^':
        return intValue(t, a ^ b);
      default:
        throw new EvalError(`unsupported operator '${op}'`);
    }
  }

  /** Calls run code, so only known pure helpers are evaluated, natively. */
  private call(f: Expr, args: readonly Expr[]): CValue {
    const name = f.k === 'id' ? f.name : undefined;
    const cpu = this.state.scope.ctx.machine.cpu;
    const want = (n: number): void => {
      if (args.length !== n) throw new EvalError(`${name}() takes ${n} argument${n === 1 ? '' : 's'}`);
    };
    const u = (v: number): CValue => intValue(UINTPTR, BigInt.asUintN(64, BigInt(v)));
    switch (name) {
      case 'pageindex': {
        want(2);
        const addr = BigInt.asUintN(64, scalarOf(this.rvalue(args[0]!)));
        const level = scalarOf(this.rvalue(args[1]!));
        if (level < 0n || level > 3n) throw new EvalError(`pageindex: level ${level} is not between 0 and 3 (the kernel's assert would fail)`);
        return { type: INT, bits: (addr >> (12n + (3n - level) * 9n)) & 0x1ffn };
      }
      case 'rcr0':
        want(0);
        return u(cpu.cr0 >>> 0);
      case 'rcr2':
        want(0);
        return u(cpu.cr2);
      case 'rcr3':
        want(0);
        return u(cpu.cr3);
      case 'rcr4':
        want(0);
        return u(cpu.cr4 >>> 0);
      case 'read_rflags':
        want(0);
        return u(cpu.rflags);
      case 'read_rsp':
      case 'read_rbp': {
        want(0);
        const r = this.state.scope.ctx.registers[name === 'read_rsp' ? 4 : 5];
        if (r === undefined) throw new EvalError(`${name}() is not available in this frame`);
        return intValue(ULONG, r);
      }
      default:
        throw new EvalError(`cannot call functions: ${name ?? 'the callee'}() would run code on the machine (only pageindex, rcr0, rcr2, rcr3, rcr4, read_rflags, read_rsp and read_rbp are evaluated by the debugger)`);
    }
  }
}
