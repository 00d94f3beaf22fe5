// Where an lvalue lives, and loads and stores of scalars there.

import { Reg } from '../../machine/isa/opcodes';
import { INT_SIZES, isSigned, sizeOf, type Type } from '../types';
import type { Emitter } from './emitter';
import { scalarKind } from './representation';

/**
 * An address: base register + displacement, base + (index << scale) (no
 * displacement: WS64's indexed form has none), register + link-time symbol
 * + offset (an index into a static array: [i + a]), a frame slot
 * (rbp-relative), or a link-time symbol + offset.
 */
export type Addr =
  | { readonly kind: 'reg'; readonly reg: number; readonly disp: number }
  | { readonly kind: 'regsym'; readonly reg: number; readonly symbol: string; readonly disp: number }
  | { readonly kind: 'idx'; readonly reg: number; readonly index: number; readonly scale: number; readonly disp: 0 }
  | { readonly kind: 'frame'; readonly disp: number }
  | { readonly kind: 'static'; readonly symbol: string; readonly disp: number };

/** `a` moved by `by` bytes; an indexed address cannot take a displacement (see ExprGen.offset). */
export function offsetAddr(a: Addr, by: number): Addr {
  if (a.kind === 'idx') {
    if (by === 0) return a;
    throw new Error('an indexed address has no displacement');
  }
  return { ...a, disp: a.disp + by };
}

const fitsDisp8 = (d: number): boolean => d >= -128 && d <= 127;

/** The load mnemonic that yields the register representation of `t` (see representation.ts). */
export function loadMnemonic(t: Type): string {
  const k = scalarKind(t);
  const size = k ? INT_SIZES[k.int] : sizeOf(t);
  if (size === 8) return 'ld64';
  if (size === 4) return 'ld32s'; // int and unsigned int are both held sign-extended
  if (size === 2) return k && isSigned(k) ? 'ld16s' : 'ld16u';
  return k && isSigned(k) ? 'ld8s' : 'ld8u';
}

export function storeMnemonic(size: number): string {
  return size === 8 ? 'st64' : size === 4 ? 'st32' : size === 2 ? 'st16' : 'st8';
}

/** Emits a memory instruction (load or store of register `r`) at `addr`. */
export function memOp(em: Emitter, mnemonic: string, r: number, addr: Addr): void {
  switch (addr.kind) {
    case 'reg':
      em.emit(mnemonic, fitsDisp8(addr.disp) ? 'mem8' : 'mem32', { a: r, b: addr.reg, imm: addr.disp });
      return;
    case 'idx':
      em.emit(mnemonic, 'mem-idx', { a: r, b: addr.reg, c: addr.index, s: addr.scale });
      return;
    case 'regsym':
      em.emitRelocated(mnemonic, 'mem32', { a: r, b: addr.reg }, 'abs32', addr.symbol, addr.disp);
      return;
    case 'frame':
      em.emit(mnemonic, fitsDisp8(addr.disp) ? 'mem8' : 'mem32', { a: r, b: Reg.RBP, imm: addr.disp });
      return;
    case 'static':
      if (mnemonic === 'lea') em.emitRelocated('movi', 'r-imm32', { a: r }, 'abs32', addr.symbol, addr.disp);
      else em.emitRelocated(mnemonic, 'mem-abs32', { a: r }, 'abs32', addr.symbol, addr.disp);
      return;
  }
}

/** r = the address itself. */
export function materialize(em: Emitter, r: number, addr: Addr): void {
  if (addr.kind === 'reg' && addr.disp === 0) {
    if (addr.reg !== r) em.emit('mov', 'rr', { a: r, b: addr.reg });
    return;
  }
  memOp(em, 'lea', r, addr);
}

/** Loads a scalar of type `t` from `addr` into `r`. */
export function loadScalar(em: Emitter, r: number, addr: Addr, t: Type): void {
  memOp(em, loadMnemonic(t), r, addr);
}

export function storeScalar(em: Emitter, r: number, addr: Addr, t: Type): void {
  const k = scalarKind(t);
  memOp(em, storeMnemonic(k ? INT_SIZES[k.int] : sizeOf(t)), r, addr);
}

/** Loads an immediate into `r` with the shortest encoding. */
export function loadImmediate(em: Emitter, r: number, v: bigint): void {
  if (v >= -128n && v <= 127n) em.emit('movi', 'r-imm8', { a: r, imm: v });
  else if (v >= -(1n << 31n) && v < 1n << 31n) em.emit('movi', 'r-imm32', { a: r, imm: v });
  else if (v >= 0n && v < 1n << 32n) em.emit('movu', 'r-imm32', { a: r, imm: v });
  else em.emit('movi', 'r-imm64', { a: r, imm: BigInt.asIntN(64, v) });
}

/**
 * Copies `size` bytes from the address in `src` to the address in `dst`
 * (both registers, left unchanged), through `tmp`: unrolled 8-byte moves
 * for small objects, a loop for larger ones (dense code: a 192-byte trap
 * frame copies in a few instructions; `counter`, by default r8, r9 or r10,
 * counts), then the tail.
 */
export function copyBytes(em: Emitter, dst: number, src: number, size: number, tmp: number, counter?: number): void {
  let off = 0;
  const words = Math.floor(size / 8);
  if (words > 4) {
    const idx = counter ?? [Reg.R8, Reg.R9, Reg.R10].find((r) => r !== dst && r !== src && r !== tmp)!;
    loadImmediate(em, idx, BigInt((words - 1) * 8));
    const top = em.newLabel();
    em.bind(top);
    em.emit('ld64', 'mem-idx', { a: tmp, b: src, c: idx, s: 0 });
    em.emit('st64', 'mem-idx', { a: tmp, b: dst, c: idx, s: 0 });
    em.emit('addi', 'r-imm8', { a: idx, imm: -8 });
    em.branch('bgei', top, { a: idx, cmp: 0 });
    off = words * 8;
  }
  for (const chunk of [8, 4, 2, 1]) {
    while (size - off >= chunk) {
      const ld = chunk === 8 ? 'ld64' : chunk === 4 ? 'ld32u' : chunk === 2 ? 'ld16u' : 'ld8u';
      memOp(em, ld, tmp, { kind: 'reg', reg: src, disp: off });
      memOp(em, storeMnemonic(chunk), tmp, { kind: 'reg', reg: dst, disp: off });
      off += chunk;
    }
  }
}
