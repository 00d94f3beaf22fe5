import { decode } from './decoder';
import { CONTROL_REGISTER_NAMES, OPCODE_BY_BYTE, REGISTER_NAMES } from './opcodes';

export interface DisassembledInstruction {
  /** Linear address of the instruction. */
  readonly address: number;
  readonly length: number;
  readonly bytes: Uint8Array;
  /** e.g. "ld64 rax, [rbp-0x8]"; "(bad)" for an invalid instruction. */
  readonly text: string;
  /** Branch or call target, when the instruction has a direct one. */
  readonly target?: number;
}

const reg = (n: number): string => REGISTER_NAMES[n]!;
const signedHex = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
const addr = (v: number): string => (v < 0 ? '0x' + BigInt.asUintN(64, BigInt(v)).toString(16) : '0x' + v.toString(16));

/** Disassembles the instruction at the start of `bytes`, which sit at linear `address`. */
export function disassembleOne(bytes: Uint8Array, address: number): DisassembledInstruction {
  const insn = decode(bytes, 0);
  const info = OPCODE_BY_BYTE[bytes[0] ?? 0];
  if (!insn || !info) return { address, length: 1, bytes: bytes.subarray(0, 1), text: '(bad)' };
  const next = address + insn.len;
  const mem = (): string => {
    switch (info.format) {
      case 'mem-abs32':
        return `[${addr(insn.imm)}]`; // the register is ZERO_REG, which has no name
      case 'mem-idx':
        return `[${reg(insn.b)}+${reg(insn.c)}${insn.imm === 0 ? '' : `*${1 << insn.imm}`}]`;
      default:
        return `[${reg(insn.b)}${insn.imm === 0 ? '' : insn.imm < 0 ? '-' + '0x' + (-insn.imm).toString(16) : '+0x' + insn.imm.toString(16)}]`;
    }
  };
  let ops = '';
  let target: number | undefined;
  switch (info.format) {
    case 'none':
      break;
    case 'reg-in-op':
    case 'r':
      ops = reg(insn.a);
      break;
    case 'rr':
      // out8 port, value; everything else: destination, source.
      ops = `${reg(insn.a)}, ${reg(insn.b)}`;
      break;
    case 'r-cr': {
      const cr = CONTROL_REGISTER_NAMES[insn.b] ?? `cr${insn.b}`;
      ops = info.mnemonic === 'movcr' ? `${cr}, ${reg(insn.a)}` : `${reg(insn.a)}, ${cr}`;
      break;
    }
    case 'r-imm8':
    case 'r-imm32':
      ops = `${reg(insn.a)}, ${info.mnemonic === 'movu' ? '0x' + (insn.imm >>> 0).toString(16) : signedHex(insn.imm)}`;
      break;
    case 'r-imm64':
      ops = `${reg(insn.a)}, 0x${BigInt.asUintN(64, (BigInt(insn.immHi) << 32n) | BigInt(insn.imm >>> 0)).toString(16)}`;
      break;
    case 'mem8':
    case 'mem32':
    case 'mem-abs32':
    case 'mem-idx':
      ops = info.mnemonic.startsWith('st') ? `${mem()}, ${reg(insn.a)}` : `${reg(insn.a)}, ${mem()}`;
      break;
    case 'rel8':
    case 'rel32':
      target = next + insn.imm;
      ops = addr(target);
      break;
    case 'r-rel8':
    case 'r-rel32':
      target = next + insn.imm;
      ops = `${reg(insn.a)}, ${addr(target)}`;
      break;
    case 'rr-rel8':
    case 'rr-rel32':
      target = next + insn.imm;
      ops = `${reg(insn.a)}, ${reg(insn.b)}, ${addr(target)}`;
      break;
    case 'r-imm8-rel8':
    case 'r-imm8-rel32':
      target = next + insn.imm;
      ops = `${reg(insn.a)}, ${signedHex(insn.b)}, ${addr(target)}`;
      break;
    case 'imm8':
    case 'imm16':
      ops = `${insn.imm}`;
      break;
  }
  return { address, length: insn.len, bytes: bytes.subarray(0, insn.len), text: ops ? `${info.mnemonic} ${ops}` : info.mnemonic, ...(target !== undefined ? { target } : {}) };
}

/** Disassembles a whole buffer starting at `address`; each invalid instruction comes out as a one-byte "(bad)". */
export function disassemble(bytes: Uint8Array, address: number): DisassembledInstruction[] {
  const out: DisassembledInstruction[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const d = disassembleOne(bytes.subarray(offset), address + offset);
    out.push(d);
    offset += d.length;
  }
  return out;
}
