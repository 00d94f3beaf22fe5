import { FORMAT_LENGTH, type Format, type OpcodeInfo } from './opcodes';

/** Operands of one instruction to encode. A field the form does not encode must be absent or 0. */
export interface Operands {
  a?: number;
  /** Register b, or the control register number of movcr/movrc. */
  b?: number;
  /** The index register of the mem-idx forms: [b + (c << s)]. */
  c?: number;
  /** The scale shift of the mem-idx forms, 0-3 (scale 1, 2, 4 or 8). */
  s?: number;
  /** The constant the r-imm8-rel forms (beqi ...) compare a with: signed 8 bits. */
  cmp?: bigint | number;
  /**
   * Immediate, displacement, absolute address (mem-abs32, signed 32 bits) or
   * relative offset (relative to the next instruction).
   */
  imm?: bigint | number;
}

export class EncodeError extends Error {}

/** The operand fields each format encodes (anything else must be 0, as the strict decoder requires). */
const FIELDS: Record<Format, readonly (keyof Operands)[]> = {
  none: [],
  'reg-in-op': ['a'],
  r: ['a'],
  rr: ['a', 'b'],
  'r-cr': ['a', 'b'],
  'r-imm8': ['a', 'imm'],
  'r-imm32': ['a', 'imm'],
  'r-imm64': ['a', 'imm'],
  mem8: ['a', 'b', 'imm'],
  mem32: ['a', 'b', 'imm'],
  rel8: ['imm'],
  rel32: ['imm'],
  'r-rel8': ['a', 'imm'],
  'r-rel32': ['a', 'imm'],
  'rr-rel8': ['a', 'b', 'imm'],
  'rr-rel32': ['a', 'b', 'imm'],
  'r-imm8-rel8': ['a', 'cmp', 'imm'],
  'r-imm8-rel32': ['a', 'cmp', 'imm'],
  'mem-abs32': ['a', 'imm'],
  'mem-idx': ['a', 'b', 'c', 's'],
  imm8: ['imm'],
  imm16: ['imm'],
};

/**
 * Encodes one instruction form with its operands; checks that each operand fits
 * its field, and that the form has a field for every nonzero operand given.
 */
export function encode(info: OpcodeInfo, operands: Operands = {}): Uint8Array {
  const len = FORMAT_LENGTH[info.format];
  const out = new Uint8Array(len);
  for (const k of Object.keys(operands) as (keyof Operands)[]) {
    const v = operands[k];
    if (v !== undefined && v !== 0 && v !== 0n && !FIELDS[info.format].includes(k)) {
      throw new EncodeError(`${info.mnemonic} (${info.format}) has no operand ${k}`);
    }
  }
  const a = operands.a ?? 0;
  const b = operands.b ?? 0;
  const imm = BigInt(operands.imm ?? 0);
  const reg = (r: number, what: string): number => {
    if (!Number.isInteger(r) || r < 0 || r > 15) throw new EncodeError(`${info.mnemonic}: ${what} register ${r} out of range`);
    return r;
  };
  const fitsValue = (v: bigint, bits: number, signed: boolean, what: string): void => {
    const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (v < lo || v > hi) throw new EncodeError(`${info.mnemonic}: ${what} ${v} does not fit in ${signed ? 'signed ' : ''}${bits} bits`);
  };
  const fits = (bits: number, signed: boolean): void => fitsValue(imm, bits, signed, 'operand');
  const put = (at: number, bytes: number, v: bigint = imm): void => {
    let u = BigInt.asUintN(bytes * 8, v);
    for (let i = 0; i < bytes; i++) {
      out[at + i] = Number(u & 0xffn);
      u >>= 8n;
    }
  };
  out[0] = info.opcode;
  switch (info.format) {
    case 'none':
      break;
    case 'reg-in-op':
      out[0] = info.opcode + reg(a, 'a');
      break;
    case 'r':
      out[1] = reg(a, 'a') << 4;
      break;
    case 'rr':
    case 'r-cr':
      out[1] = (reg(a, 'a') << 4) | reg(b, 'b');
      break;
    case 'r-imm8':
    case 'r-rel8':
      fits(8, true);
      out[1] = reg(a, 'a') << 4;
      put(2, 1);
      break;
    case 'mem8':
    case 'rr-rel8':
      fits(8, true);
      out[1] = (reg(a, 'a') << 4) | reg(b, 'b');
      put(2, 1);
      break;
    case 'r-imm32':
    case 'r-rel32':
      // movu takes an unsigned 32-bit immediate; the others sign-extend.
      if (info.mnemonic === 'movu') fits(32, false);
      else fits(32, true);
      out[1] = reg(a, 'a') << 4;
      put(2, 4);
      break;
    case 'mem-abs32':
      fitsValue(imm, 32, true, 'absolute address');
      out[1] = reg(a, 'a') << 4;
      put(2, 4);
      break;
    case 'mem32':
    case 'rr-rel32':
      fits(32, true);
      out[1] = (reg(a, 'a') << 4) | reg(b, 'b');
      put(2, 4);
      break;
    case 'mem-idx': {
      const s = operands.s ?? 0;
      if (!Number.isInteger(s) || s < 0 || s > 3) throw new EncodeError(`${info.mnemonic}: scale shift ${s} is not 0-3 (scale 1, 2, 4 or 8)`);
      out[1] = (reg(a, 'a') << 4) | reg(b, 'b');
      out[2] = (reg(operands.c ?? 0, 'index') << 4) | s;
      break;
    }
    case 'r-imm8-rel8':
    case 'r-imm8-rel32': {
      const cmp = BigInt(operands.cmp ?? 0);
      fitsValue(cmp, 8, true, 'compared constant');
      if (info.format === 'r-imm8-rel8') fits(8, true);
      else fits(32, true);
      out[1] = reg(a, 'a') << 4;
      put(2, 1, cmp);
      put(3, info.format === 'r-imm8-rel8' ? 1 : 4);
      break;
    }
    case 'r-imm64':
      if (imm < -(1n << 63n) || imm >= 1n << 64n) throw new EncodeError(`${info.mnemonic}: operand ${imm} does not fit in 64 bits`);
      out[1] = reg(a, 'a') << 4;
      put(2, 8);
      break;
    case 'rel8':
      fits(8, true);
      put(1, 1);
      break;
    case 'imm8':
      fits(8, false);
      put(1, 1);
      break;
    case 'rel32':
      fits(32, true);
      put(1, 4);
      break;
    case 'imm16':
      fits(16, false);
      put(1, 2);
      break;
  }
  return out;
}
