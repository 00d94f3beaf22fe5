import { BRANCH32_DELTA, FORMAT_LENGTH, MEM32_DELTA, MEM_ABS_DELTA, OPCODE_BY_BYTE, Op, ZERO_REG, type Format, type OpcodeInfo } from './opcodes';
import type { Insn } from './insn';

/** Length of the instruction whose opcode byte is `opcodeByte`, or 0 for an invalid opcode. */
export function instructionLength(opcodeByte: number): number {
  const info = OPCODE_BY_BYTE[opcodeByte & 0xff];
  return info ? FORMAT_LENGTH[info.format] : 0;
}

/** Formats whose register byte has an unused low nibble, which must be 0. */
const LOW_NIBBLE_UNUSED: ReadonlySet<Format> = new Set<Format>([
  'r', 'r-imm8', 'r-imm32', 'r-imm64', 'r-rel8', 'r-rel32', 'r-imm8-rel8', 'r-imm8-rel32', 'mem-abs32',
]);

/**
 * Decodes one instruction from `bytes` at `offset`. Returns undefined for an
 * invalid instruction (an unassigned opcode, a nonzero nibble the format leaves
 * unused, or a scale field above 3) or when the bytes run out (the caller
 * raises #UD, or fetches the rest of an instruction that crosses a page).
 */
export function decode(bytes: Uint8Array, offset: number): Insn | undefined {
  const opcodeByte = bytes[offset];
  if (opcodeByte === undefined) return undefined;
  const info: OpcodeInfo | undefined = OPCODE_BY_BYTE[opcodeByte];
  if (!info) return undefined;
  const format = info.format;
  const len = FORMAT_LENGTH[format];
  if (offset + len > bytes.length) return undefined;
  const regs = bytes[offset + 1] ?? 0;
  if ((regs & 15) !== 0 && LOW_NIBBLE_UNUSED.has(format)) return undefined;
  // The interpreter sees one opcode per operation: the disp32 and rel32 forms
  // execute as their short forms (the operand is already decoded), and the
  // [abs32] forms as [b + disp] with b the always-zero ZERO_REG.
  let op = info.opcode;
  if (format === 'mem32') op -= MEM32_DELTA;
  else if (format === 'rr-rel32' || format === 'r-rel32' || format === 'r-imm8-rel32') op -= BRANCH32_DELTA;
  else if (format === 'mem-abs32') op -= MEM_ABS_DELTA;
  else if (info.opcode === Op.JMP32) op = Op.JMP8;
  let a = regs >> 4;
  let b = regs & 15;
  let c = 0;
  let imm = 0;
  let immHi = 0;
  const s8 = (i: number): number => (bytes[i]! << 24) >> 24;
  const u16 = (i: number): number => bytes[i]! | (bytes[i + 1]! << 8);
  const s32 = (i: number): number => bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
  switch (format) {
    case 'none':
      a = 0;
      b = 0;
      break;
    case 'reg-in-op':
      a = opcodeByte & 15;
      b = 0;
      break;
    case 'r':
    case 'rr':
    case 'r-cr':
      break;
    case 'r-imm8':
    case 'mem8':
    case 'r-rel8':
    case 'rr-rel8':
      imm = s8(offset + 2);
      break;
    case 'r-imm32':
    case 'mem32':
    case 'r-rel32':
    case 'rr-rel32':
      imm = s32(offset + 2);
      break;
    case 'mem-abs32':
      b = ZERO_REG;
      imm = s32(offset + 2);
      break;
    case 'mem-idx': {
      const cs = bytes[offset + 2]!;
      if ((cs & 15) > 3) return undefined;
      c = cs >> 4;
      imm = cs & 15;
      break;
    }
    case 'r-imm8-rel8':
      b = s8(offset + 2);
      imm = s8(offset + 3);
      break;
    case 'r-imm8-rel32':
      b = s8(offset + 2);
      imm = s32(offset + 3);
      break;
    case 'r-imm64':
      imm = s32(offset + 2);
      immHi = s32(offset + 6);
      break;
    case 'rel8':
    case 'imm8':
      a = 0;
      b = 0;
      imm = format === 'rel8' ? s8(offset + 1) : bytes[offset + 1]!;
      break;
    case 'rel32':
      a = 0;
      b = 0;
      imm = s32(offset + 1);
      break;
    case 'imm16':
      a = 0;
      b = 0;
      imm = u16(offset + 1);
      break;
  }
  if (format !== 'r-imm64') immHi = imm >> 31;
  return { op, a, b, c, imm, immHi, len };
}
