// C values as the evaluator handles them: a type plus where the object
// lives (memory in an address space, or a register of a frame) or, for a
// computed value, its bits. Reads go through the pure walk; a failed read is
// an EvalError whose message says where and why.

import { readSpace, writeSpace, type AddressSpace } from './address-space';
import { isSigned, sizeOf, strip, type CType } from './c-types';
import type { Machine } from '../../machine/machine';
import type { FrameContext } from './frame-context';

/** A problem with an expression or a read; caught at every public entry point and returned as a message. */
export class EvalError extends Error {}

export type Location =
  | { readonly kind: 'memory'; readonly machine: Machine; readonly space: AddressSpace; readonly address: number; readonly bitOffset?: number; readonly bitWidth?: number }
  | { readonly kind: 'register'; readonly reg: number; readonly ctx: FrameContext; readonly name: string };

export interface CValue {
  readonly type: CType;
  /** Where the object is: an lvalue. */
  readonly loc?: Location;
  /** The value of a computed scalar (normalized to its type: signed types hold negative bigints). */
  readonly bits?: bigint;
}

const REG_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

export function registerName(reg: number): string {
  return REG_NAMES[reg] ?? `r${reg}`;
}

/** A 64-bit pattern as a JS address (high-half addresses negative, as rip is). */
export function toAddress(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

/** `v` converted to scalar type `t` (C11 6.3.1.2, 6.3.1.3 as gcc does it: wraps). */
export function normalize(v: bigint, t: CType): bigint {
  const s = strip(t);
  if (s.kind === 'int' && s.bool) return v !== 0n ? 1n : 0n;
  if (s.kind === 'pointer') return BigInt.asUintN(64, v);
  const bits = sizeOf(s) * 8;
  if (bits <= 0 || bits > 64) return BigInt.asUintN(64, v);
  return isSigned(s) ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** Reads `size` bytes (throws EvalError with the walk's reason when unmapped). */
export function readBytesOrThrow(machine: Machine, space: AddressSpace, address: number, size: number): Uint8Array {
  const r = readSpace(machine, space, address, size);
  if (r.error !== undefined) throw new EvalError(`cannot read memory: ${r.error}`);
  return r.bytes;
}

/** The scalar value of `v` (loads it if it is an lvalue). */
export function scalarOf(v: CValue): bigint {
  if (v.bits !== undefined) return v.bits;
  const loc = v.loc;
  if (!loc) throw new EvalError('the value is not available');
  if (loc.kind === 'register') {
    const r = loc.ctx.registers[loc.reg];
    if (r === undefined) throw new EvalError(`the value of ${loc.name} is not available in this frame (register ${registerName(loc.reg)} was not saved)`);
    return normalize(r, v.type);
  }
  const size = sizeOf(v.type);
  if (loc.bitWidth !== undefined) {
    const span = Math.ceil(((loc.bitOffset ?? 0) + loc.bitWidth) / 8);
    const raw = bytesToBigint(readBytesOrThrow(loc.machine, loc.space, loc.address, span));
    const field = (raw >> BigInt(loc.bitOffset ?? 0)) & ((1n << BigInt(loc.bitWidth)) - 1n);
    return isSigned(v.type) ? BigInt.asIntN(loc.bitWidth, field) : field;
  }
  return normalize(bytesToBigint(readBytesOrThrow(loc.machine, loc.space, loc.address, size)), v.type);
}

/** Stores scalar `value` (already converted to v's type) into lvalue v. */
export function storeScalar(v: CValue, value: bigint): void {
  const loc = v.loc;
  if (!loc) throw new EvalError('not an lvalue: nothing to assign to');
  if (loc.kind === 'register') {
    if (loc.ctx.frameIndex !== 0) throw new EvalError(`cannot set ${loc.name}: it lives in register ${registerName(loc.reg)}, and only the innermost frame's registers are the CPU's`);
    const full = BigInt.asUintN(64, isSigned(v.type) || (sizeOf(v.type) === 4 && strip(v.type).kind !== 'pointer') ? BigInt.asIntN(sizeOf(v.type) * 8, value) : value);
    const regs = loc.ctx.machine.cpu.regs;
    regs[2 * loc.reg] = Number(full & 0xffffffffn) | 0;
    regs[2 * loc.reg + 1] = Number(full >> 32n) | 0;
    // Keep the frame's view in step, so reads after the write see it.
    if (Array.isArray(loc.ctx.registers)) (loc.ctx.registers as (bigint | undefined)[])[loc.reg] = full;
    return;
  }
  const machine = loc.machine;
  if (loc.bitWidth !== undefined) {
    const off = BigInt(loc.bitOffset ?? 0);
    const span = Math.ceil(((loc.bitOffset ?? 0) + loc.bitWidth) / 8);
    const raw = bytesToBigint(readBytesOrThrow(machine, loc.space, loc.address, span));
    const mask = ((1n << BigInt(loc.bitWidth)) - 1n) << off;
    const next = (raw & ~mask) | ((BigInt.asUintN(loc.bitWidth, value) << off) & mask);
    write(machine, loc.space, loc.address, next, span);
    return;
  }
  write(machine, loc.space, loc.address, BigInt.asUintN(sizeOf(v.type) * 8, value), sizeOf(v.type));
}

function write(machine: Machine, space: AddressSpace, address: number, value: bigint, size: number): void {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  const r = writeSpace(machine, space, address, data);
  if (!r.ok) throw new EvalError(`cannot write memory: ${r.message}`);
}
