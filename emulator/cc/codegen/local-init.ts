// Initializing an automatic object: zero-fill it (unless one store covers
// it all), then perform the initializer's stores in order (C11 6.7.9p21:
// everything not mentioned is zero).

import type { Initializer } from '../ast';
import { Reg } from '../../machine/isa/opcodes';
import { isRecord, sizeOf } from '../types';
import { copyBytes, loadImmediate, materialize, memOp, offsetAddr, storeScalar, type Addr } from './addressing';
import type { Emitter } from './emitter';
import type { ExprGen } from './expr-gen';
import { convertRegister } from './representation';

const RAX = Reg.RAX;
const RDI = Reg.RDI;

/** `at(offset)` gives the address of a byte of the object (it may load rdi, after each value is computed). */
export function initializeLocal(em: Emitter, x: ExprGen, at: (offset: number) => Addr, size: number, init: Initializer): void {
  const single = init.entries.length === 1 && init.entries[0]!.offset === 0 && (sizeOf(init.entries[0]!.type) === size || isRecord(init.entries[0]!.type));
  if (!single) {
    em.emit('movi', 'r-imm8', { a: RAX, imm: 0 });
    zeroFill(em, at(0), size);
  }
  for (const entry of init.entries) {
    x.expr(entry.expr);
    const target = at(entry.offset);
    if (isRecord(entry.type)) {
      materialize(em, RDI, target);
      copyBytes(em, RDI, RAX, sizeOf(entry.type), Reg.RDX);
    } else if (entry.bitWidth !== undefined) {
      x.storeBitField(RAX, target, entry.type, entry.bitWidth, entry.bitOffset!);
    } else {
      convertRegister(em, RAX, entry.expr.type, entry.type);
      storeScalar(em, RAX, target, entry.type);
    }
  }
}

/**
 * Stores rax (zero) over `size` bytes at `a`: unrolled for small objects,
 * a loop over 8-byte words (rsi, rcx) for large ones, to keep code small.
 */
function zeroFill(em: Emitter, a: Addr, size: number): void {
  let off = 0;
  const words = Math.floor(size / 8);
  if (words > 8) {
    materialize(em, Reg.RSI, a);
    loadImmediate(em, Reg.RCX, BigInt(words));
    const top = em.newLabel();
    em.bind(top);
    memOp(em, 'st64', RAX, { kind: 'reg', reg: Reg.RSI, disp: 0 });
    em.emit('addi', 'r-imm8', { a: Reg.RSI, imm: 8 });
    em.emit('addi', 'r-imm8', { a: Reg.RCX, imm: -1 });
    em.branch('bnz', top, { a: Reg.RCX });
    a = { kind: 'reg', reg: Reg.RSI, disp: 0 };
    size -= words * 8;
  }
  for (const chunk of [8, 4, 2, 1]) {
    while (size - off >= chunk) {
      memOp(em, chunk === 8 ? 'st64' : chunk === 4 ? 'st32' : chunk === 2 ? 'st16' : 'st8', RAX, offsetAddr(a, off));
      off += chunk;
    }
  }
}
