import { FORMAT_LENGTH, type OpcodeInfo } from './opcodes';

/** Operands of one instruction to encode. Unused fields are ignored. */
export interface Operands {
  a?: number;
  b?: number;
  /** Immediate, displacement or relative offset (relative to the next instruction). */
  imm?: bigint | number;
}

export class EncodeError extends Error {}

/** Encodes one instruction form with its operands; checks that each operand fits its field. */
export function encode(info: OpcodeInfo, operands: Operands = {}): Uint8Array {
  const len = FORMAT_LENGTH[info.format];
  const out = new Uint8Array(len);
  const a = operands.a ?? 0;
  const b = operands.b ?? 0;
  const imm = BigInt(operands.imm ?? 0);
  const reg = (r: number, what: string): number => {
    if (!Number.isInteger(r) || r < 0 || r > 15) throw new EncodeError(`${info.mnemonic}: ${what} register ${r} out of range`);
    return r;
  };
  const fits = (bits: number, signed: boolean): void => {
    const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (imm < lo || imm > hi) throw new EncodeError(`${info.mnemonic}: operand ${imm} does not fit in ${signed ? 'signed ' : ''}${bits} bits`);
  };
  const put = (at: number, bytes: number): void => {
    let v = BigInt.asUintN(bytes * 8, imm);
    for (let i = 0; i < bytes; i++) {
      out[at + i] = Number(v & 0xffn);
      v >>= 8n;
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
    case 'mem32':
    case 'rr-rel32':
      fits(32, true);
      out[1] = (reg(a, 'a') << 4) | reg(b, 'b');
      put(2, 4);
      break;
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
