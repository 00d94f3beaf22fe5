// The instruction set tables and the tools derived from them: every form
// encodes, decodes to the fields it was given, has its table length, and
// survives encode -> disassemble -> assemble unchanged; strict decoding; the
// encoder's range checks. The assembler's own features: isa-assembler.test.ts.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../emulator/machine/isa/assembler';
import { decode, instructionLength } from '../../emulator/machine/isa/decoder';
import { disassemble, disassembleOne } from '../../emulator/machine/isa/disassembler';
import { encode, EncodeError, type Operands } from '../../emulator/machine/isa/encoder';
import {
  BRANCH32_DELTA, CONTROL_REGISTER_NAMES, FORMAT_LENGTH, MAX_INSN_LENGTH, MEM32_DELTA, MEM_ABS_DELTA, OPCODE_BY_BYTE, OPCODES, type Format, type OpcodeInfo,
} from '../../emulator/machine/isa/opcodes';
import { getReg, machineWith } from './helpers';

const ORG = 0x100000;
const hasForm = (mnemonic: string, format: Format): boolean => OPCODES.some((o) => o.mnemonic === mnemonic && o.format === format);
/** Formats with a register a, and with a register b (written down here, not taken from the encoder). */
const HAS_A = (f: Format): boolean => !['none', 'rel8', 'rel32', 'imm8', 'imm16'].includes(f);
const HAS_B = (f: Format): boolean => ['rr', 'r-cr', 'mem8', 'mem32', 'rr-rel8', 'rr-rel32', 'mem-idx'].includes(f);

/**
 * Representative operands for a form. Immediates of a long form are chosen so
 * that they do not fit the short form of the same mnemonic, or the assembler
 * would (rightly) pick the short one when reassembling.
 */
function samples(info: OpcodeInfo): Operands[] {
  const regPairs: [number, number][] = [[0, 0], [3, 6], [15, 0], [0, 15], [7, 7], [12, 9]];
  const f = info.format;
  const withImm = (imms: (number | bigint)[], a = 9, b = 5): Operands[] =>
    imms.map((imm, k) => ({ ...(HAS_A(f) ? { a: (a + k) & 15 } : {}), ...(HAS_B(f) ? { b: (b + 3 * k) & 15 } : {}), imm }));
  const long = (short: Format, wide: (number | bigint)[], small: (number | bigint)[]): (number | bigint)[] => (hasForm(info.mnemonic, short) ? wide : [...wide, ...small]);
  switch (info.format) {
    case 'none':
      return [{}];
    case 'reg-in-op':
    case 'r':
      return Array.from({ length: 16 }, (_, a) => ({ a }));
    case 'rr':
      return regPairs.map(([a, b]) => ({ a, b }));
    case 'r-cr':
      return Object.keys(CONTROL_REGISTER_NAMES).map((cr, k) => ({ a: (k * 5) & 15, b: Number(cr) }));
    case 'r-imm8':
    case 'mem8':
    case 'rr-rel8':
    case 'r-rel8':
      return withImm([-128, -1, 0, 1, 127]);
    case 'r-imm32':
      if (info.mnemonic === 'movu') return withImm([0, 0x7f, 0x80000000, 0xffffffff, 0x12345678]);
      return withImm(long('r-imm8', [128, -129, 0x7fffffff, -0x80000000], [0, -1, 5]));
    case 'mem32':
      return withImm([128, -129, 0x7fffffff, -0x80000000]);
    case 'rr-rel32':
    case 'r-rel32':
    case 'rel32':
      // Targets stay above 0 (ORG = 1 MiB), so every one is a plain address. Not -129: measured
      // from the end of the 3-byte short form, that target is only -126 away and fits rel8.
      return withImm(long(info.format.replace('32', '8') as Format, [128, -200, 0x7fffffff, -0x80000], [0, -5, 100]));
    case 'r-imm64':
      // Not 0x80000000-0xffffffff: "movi rax, 0x80000000" reassembles to the shorter movu.
      return withImm([1n << 63n, (1n << 64n) - 1n, 0x123456789abcdef0n, 0x100000000n, -(1n << 63n), -0x80000001n]);
    case 'r-imm8-rel8':
      return [-128, -1, 0, 1, 127].flatMap((cmp, k) => [-128, 0, 127].map((imm) => ({ a: (k * 4 + 1) & 15, cmp, imm })));
    case 'r-imm8-rel32':
      // Not -129 and the like: measured from the end of the 4-byte short form they fit rel8.
      return [-128, -1, 0, 1, 127].flatMap((cmp, k) => [128, -200, 0x7fffffff, -0x80000].map((imm) => ({ a: (k * 7 + 2) & 15, cmp, imm })));
    case 'mem-abs32':
      // Negative addresses are the top 2 GiB; they disassemble as 0xffffffff8... and reassemble.
      return withImm([0, 1, 0x52dc0, 0x7fffffff, -1, -0x80000000, -0x7ffff000]);
    case 'mem-idx':
      return [[0, 0, 0], [1, 2, 3], [15, 14, 13], [7, 7, 7], [4, 5, 4], [3, 4, 5]].flatMap(([a, b, c]) => [0, 1, 2, 3].map((s) => ({ a, b, c, s })));
    case 'rel8':
      return withImm([-128, -1, 0, 127]);
    case 'imm8':
      return withImm([0, 3, 48, 255]);
    case 'imm16':
      return withImm([0, 16, 0x1234, 0xffff]);
  }
}

/** What the decoder should report for `info` encoded with `ops`. */
function expectedFields(info: OpcodeInfo, ops: Operands): { op: number; a: number; b: number; c: number; imm: number; immHi: number; len: number } {
  let op = info.opcode;
  if (info.format === 'mem32') op -= MEM32_DELTA;
  if (info.format === 'mem-abs32') op -= MEM_ABS_DELTA;
  if (info.format === 'rr-rel32' || info.format === 'r-rel32' || info.format === 'r-imm8-rel32') op -= BRANCH32_DELTA;
  if (info.mnemonic === 'jmp' && info.format === 'rel32') op = OPCODES.find((o) => o.mnemonic === 'jmp' && o.format === 'rel8')!.opcode;
  // The indexed forms carry the scale shift in imm; [abs32] has the hidden zero register 16 as b;
  // beqi ... carry the compared constant in b.
  const imm64 = BigInt(info.format === 'mem-idx' ? ops.s! : (ops.imm ?? 0));
  const imm = Number(BigInt.asIntN(32, imm64));
  const regs: Partial<Record<Format, [number, number]>> = {
    'reg-in-op': [ops.a!, 0], r: [ops.a!, 0], rr: [ops.a!, ops.b!], 'r-cr': [ops.a!, ops.b!],
    'r-imm8': [ops.a!, 0], 'r-imm32': [ops.a!, 0], 'r-imm64': [ops.a!, 0], 'r-rel8': [ops.a!, 0], 'r-rel32': [ops.a!, 0],
    mem8: [ops.a!, ops.b!], mem32: [ops.a!, ops.b!], 'rr-rel8': [ops.a!, ops.b!], 'rr-rel32': [ops.a!, ops.b!],
    'mem-abs32': [ops.a!, 16], 'mem-idx': [ops.a!, ops.b!], 'r-imm8-rel8': [ops.a!, Number(ops.cmp)], 'r-imm8-rel32': [ops.a!, Number(ops.cmp)],
  };
  const [a, b] = regs[info.format] ?? [0, 0];
  return {
    op, a, b, c: info.format === 'mem-idx' ? ops.c! : 0, imm,
    immHi: info.format === 'r-imm64' ? Number(BigInt.asIntN(32, imm64 >> 32n)) : imm >> 31,
    len: FORMAT_LENGTH[info.format],
  };
}

const forms = OPCODES.map((info) => [info.mnemonic, info.format, info.opcode.toString(16).padStart(2, '0'), info] as const);

describe('the opcode table', () => {
  it('has unique opcodes, sorted, and unique (mnemonic, format) pairs', () => {
    const opcodes = OPCODES.map((o) => o.opcode);
    expect(new Set(opcodes).size).toBe(opcodes.length);
    expect([...opcodes].sort((x, y) => x - y)).toEqual(opcodes);
    const keys = OPCODES.map((o) => `${o.mnemonic}/${o.format}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('OPCODE_BY_BYTE maps exactly the bytes of the table (16 for each reg-in-op form)', () => {
    const expected = new Map<number, OpcodeInfo>();
    for (const o of OPCODES) for (let i = 0; i < (o.format === 'reg-in-op' ? 16 : 1); i++) expected.set(o.opcode + i, o);
    for (let byte = 0; byte < 256; byte++) expect(OPCODE_BY_BYTE[byte], `0x${byte.toString(16)}`).toBe(expected.get(byte));
    expect(OPCODE_BY_BYTE[0x00]).toBeUndefined();
    expect(OPCODE_BY_BYTE[0xff]).toBeUndefined();
  });

  it('lengths: every format fits MAX_INSN_LENGTH, and the long forms sit at the documented deltas', () => {
    expect(Math.max(...Object.values(FORMAT_LENGTH))).toBe(MAX_INSN_LENGTH);
    for (const o of OPCODES.filter((x) => x.format === 'mem32')) expect(OPCODE_BY_BYTE[o.opcode - MEM32_DELTA]).toMatchObject({ mnemonic: o.mnemonic, format: 'mem8' });
    for (const o of OPCODES.filter((x) => x.format.endsWith('rel32') && x.format !== 'rel32')) {
      expect(OPCODE_BY_BYTE[o.opcode - BRANCH32_DELTA]).toMatchObject({ mnemonic: o.mnemonic, format: o.format.replace('32', '8') });
    }
  });

  it('every summary is one sentence ending in a period', () => {
    for (const o of OPCODES) expect(o.summary, o.mnemonic).toMatch(/^[A-Za-z#].*\.$/);
  });
});

describe('encode -> decode -> disassemble -> assemble', () => {
  it.each(forms)('%s (%s, 0x%s)', (_mn, _format, _op, info: OpcodeInfo) => {
    for (const ops of samples(info)) roundTrip(info, ops);
  });

  function roundTrip(info: OpcodeInfo, ops: Operands): void {
    const bytes = encode(info, ops);
    const len = FORMAT_LENGTH[info.format];
    expect(bytes.length).toBe(len);
    expect(instructionLength(bytes[0]!)).toBe(len);

    // Decode, alone and at an offset inside a larger buffer.
    expect(decode(bytes, 0)).toEqual(expectedFields(info, ops));
    const padded = new Uint8Array(len + 7);
    padded.set(bytes, 3);
    expect(decode(padded, 3)).toEqual(expectedFields(info, ops));
    if (len > 1) expect(decode(bytes.subarray(0, len - 1), 0), 'truncated').toBeUndefined();

    const d = disassembleOne(bytes, ORG);
    expect(d.length).toBe(len);
    expect([...d.bytes]).toEqual([...bytes]);
    expect(d.text.startsWith(info.mnemonic)).toBe(true);
    if (/rel/.test(info.format)) expect(d.target).toBe(ORG + len + Number(ops.imm));
    else expect(d.target).toBeUndefined();

    const re = assemble(`.org 0x${ORG.toString(16)}\n${d.text}`);
    expect(re.origin).toBe(ORG);
    expect([...re.bytes], `"${d.text}" reassembles`).toEqual([...bytes]);
  }

  it('disassembly text of representative forms', () => {
    const text = (mn: string, format: Format, ops: Operands, at = ORG): string => disassembleOne(encode(OPCODES.find((o) => o.mnemonic === mn && o.format === format)!, ops), at).text;
    expect(text('ld64', 'mem8', { a: 0, b: 5, imm: -8 })).toBe('ld64 rax, [rbp-0x8]');
    expect(text('st32', 'mem32', { a: 15, b: 4, imm: 0x1000 })).toBe('st32 [rsp+0x1000], r15');
    expect(text('lea', 'mem8', { a: 1, b: 2, imm: 0 })).toBe('lea rcx, [rdx]');
    expect(text('movcr', 'r-cr', { a: 0, b: 3 })).toBe('movcr cr3, rax');
    expect(text('movrc', 'r-cr', { a: 2, b: 8 })).toBe('movrc rdx, efer');
    expect(text('movi', 'r-imm8', { a: 0, imm: -1 })).toBe('movi rax, -0x1');
    expect(text('movu', 'r-imm32', { a: 0, imm: 0xffffffff })).toBe('movu rax, 0xffffffff');
    expect(text('movi', 'r-imm64', { a: 0, imm: -1n })).toBe('movi rax, 0xffffffffffffffff');
    expect(text('beq', 'rr-rel8', { a: 0, b: 3, imm: -3 }, 0x2000)).toBe('beq rax, rbx, 0x2000');
    expect(text('int', 'imm8', { imm: 48 })).toBe('int 48');
    expect(text('push', 'reg-in-op', { a: 13 })).toBe('push r13');
    expect(text('out8', 'rr', { a: 2, b: 0 })).toBe('out8 rdx, rax');
    expect(text('iret', 'r', { a: 7 })).toBe('iret rdi');
    expect(text('ld64', 'mem-abs32', { a: 0, imm: 0x52dc0 })).toBe('ld64 rax, [0x52dc0]');
    expect(text('st32', 'mem-abs32', { a: 1, imm: -0x7ffff000 })).toBe('st32 [0xffffffff80001000], rcx');
    expect(text('ld64', 'mem-idx', { a: 0, b: 3, c: 1, s: 3 })).toBe('ld64 rax, [rbx+rcx*8]');
    expect(text('lea', 'mem-idx', { a: 7, b: 6, c: 2, s: 2 })).toBe('lea rdi, [rsi+rdx*4]');
    expect(text('st8', 'mem-idx', { a: 0, b: 7, c: 1, s: 0 })).toBe('st8 [rdi+rcx], rax');
    expect(text('blti', 'r-imm8-rel8', { a: 1, cmp: 10, imm: -4 }, 0x2000)).toBe('blti rcx, 0xa, 0x2000');
    expect(text('bgeui', 'r-imm8-rel32', { a: 15, cmp: -1, imm: 0x1000 }, 0x2000)).toBe('bgeui r15, -0x1, 0x3007');
    expect(text('andi', 'r-imm8', { a: 3, imm: -16 })).toBe('andi rbx, -0x10');
    expect(text('pushf', 'none', {})).toBe('pushf');
  });

  it('a branch into the upper half disassembles and reassembles (offsets are modulo 2^64)', () => {
    const jmp = OPCODES.find((o) => o.mnemonic === 'jmp' && o.format === 'rel32')!;
    const bytes = encode(jmp, { imm: -0x2000 });
    const d = disassembleOne(bytes, 0x1000);
    expect(d.text).toBe('jmp 0xfffffffffffff005');
    expect([...assemble(`.org 0x1000\n${d.text}`).bytes]).toEqual([...bytes]);
  });
});

describe('invalid opcodes', () => {
  const unassigned = Array.from({ length: 256 }, (_, b) => b).filter((b) => !OPCODE_BY_BYTE[b]);

  it('include 0x00 and 0xff, and are exactly the bytes the table leaves free', () => {
    expect(unassigned).toContain(0x00);
    expect(unassigned).toContain(0xff);
    const used = OPCODES.reduce((n, o) => n + (o.format === 'reg-in-op' ? 16 : 1), 0);
    expect(unassigned.length).toBe(256 - used);
  });

  it('each decodes to undefined and disassembles as a one-byte (bad)', () => {
    for (const b of unassigned) {
      const tag = `0x${b.toString(16).padStart(2, '0')}`;
      const bytes = new Uint8Array([b, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11]);
      expect(decode(bytes, 0), tag).toBeUndefined();
      expect(instructionLength(b), tag).toBe(0);
      const d = disassembleOne(bytes, 0x4000);
      expect(d, tag).toMatchObject({ address: 0x4000, length: 1, text: '(bad)' });
      expect([...d.bytes], tag).toEqual([b]);
    }
  });

  it('disassemble steps over bad bytes one at a time', () => {
    const prog = assemble('.org 0x1000\nnop\n.byte 0, 0xff\nmovi rax, 5\nhlt');
    const out = disassemble(prog.bytes, prog.origin);
    expect(out.map((d) => [d.address, d.text])).toEqual([[0x1000, 'nop'], [0x1001, '(bad)'], [0x1002, '(bad)'], [0x1003, 'movi rax, 0x5'], [0x1006, 'hlt']]);
    expect(decode(new Uint8Array(0), 0)).toBeUndefined();
  });
});

describe('the encoder rejects operands that do not fit', () => {
  const form = (mn: string, format: Format): OpcodeInfo => OPCODES.find((o) => o.mnemonic === mn && o.format === format)!;
  const bad: [string, Format, Operands][] = [
    ['add', 'rr', { a: 16, b: 0 }], ['add', 'rr', { a: 0, b: -1 }], ['add', 'rr', { a: 1.5, b: 0 }], ['push', 'reg-in-op', { a: 16 }],
    ['jmp', 'r', { a: 99 }], ['movcr', 'r-cr', { a: 0, b: 16 }],
    ['movi', 'r-imm8', { a: 0, imm: 128 }], ['movi', 'r-imm8', { a: 0, imm: -129 }], ['addi', 'r-imm8', { a: 0, imm: 255 }],
    ['movi', 'r-imm32', { a: 0, imm: 0x80000000 }], ['movi', 'r-imm32', { a: 0, imm: -0x80000001 }],
    ['movu', 'r-imm32', { a: 0, imm: -1 }], ['movu', 'r-imm32', { a: 0, imm: 0x100000000 }],
    ['movi', 'r-imm64', { a: 0, imm: 1n << 64n }], ['movi', 'r-imm64', { a: 0, imm: -(1n << 63n) - 1n }],
    ['ld64', 'mem8', { a: 0, b: 0, imm: 128 }], ['ld64', 'mem32', { a: 0, b: 0, imm: 0x80000000 }],
    ['jmp', 'rel8', { imm: 128 }], ['jmp', 'rel8', { imm: -129 }], ['call', 'rel32', { imm: 0x80000000 }],
    ['beq', 'rr-rel8', { a: 0, b: 0, imm: 200 }], ['bz', 'r-rel32', { a: 0, imm: -0x80000001 }],
    ['int', 'imm8', { imm: 256 }], ['int', 'imm8', { imm: -1 }], ['enter', 'imm16', { imm: 0x10000 }], ['enter', 'imm16', { imm: -1 }],
    ['andi', 'r-imm8', { a: 0, imm: 128 }], ['muli', 'r-imm8', { a: 0, imm: -129 }],
    ['blti', 'r-imm8-rel8', { a: 0, cmp: 128, imm: 0 }], ['blti', 'r-imm8-rel8', { a: 0, cmp: -129, imm: 0 }], ['bltui', 'r-imm8-rel8', { a: 0, cmp: 255, imm: 0 }],
    ['beqi', 'r-imm8-rel8', { a: 0, cmp: 0, imm: 128 }], ['beqi', 'r-imm8-rel32', { a: 0, cmp: 0, imm: 0x80000000 }], ['bnei', 'r-imm8-rel32', { a: 16, cmp: 0, imm: 0 }],
    ['ld64', 'mem-abs32', { a: 0, imm: 0x80000000 }], ['st8', 'mem-abs32', { a: 0, imm: -0x80000001 }], ['ld8u', 'mem-abs32', { a: 0, imm: 0xffffffff80000000n }],
    ['ld64', 'mem-idx', { a: 0, b: 0, c: 0, s: 4 }], ['lea', 'mem-idx', { a: 0, b: 0, c: 0, s: -1 }], ['st64', 'mem-idx', { a: 0, b: 0, c: 16, s: 0 }],
    // An operand the form has no field for (the strict decoder would reject a nonzero unused nibble).
    ['jmp', 'r', { a: 0, b: 1 }], ['movi', 'r-imm8', { a: 0, b: 2, imm: 1 }], ['ld64', 'mem-abs32', { a: 0, b: 3, imm: 0 }],
    ['ld64', 'mem8', { a: 0, b: 0, c: 1 }], ['ld64', 'mem-idx', { a: 0, b: 0, imm: 8 }], ['beq', 'rr-rel8', { a: 0, b: 0, cmp: 1 }],
    ['nop', 'none', { a: 1 }], ['jmp', 'rel8', { s: 1, imm: 0 }],
  ];
  it.each(bad)('%s (%s) %o', (mn, format, ops) => {
    expect(() => encode(form(mn, format), ops)).toThrow(EncodeError);
  });

  it('accepts the extremes of each field', () => {
    expect([...encode(form('movi', 'r-imm8'), { a: 15, imm: -128 })]).toEqual([0x78, 0xf0, 0x80]);
    expect([...encode(form('movu', 'r-imm32'), { a: 1, imm: 0xffffffff })]).toEqual([0x89, 0x10, 0xff, 0xff, 0xff, 0xff]);
    expect([...encode(form('movi', 'r-imm64'), { a: 2, imm: -(1n << 63n) })]).toEqual([0x7a, 0x20, 0, 0, 0, 0, 0, 0, 0, 0x80]);
    expect([...encode(form('enter', 'imm16'), { imm: 0xffff })]).toEqual([0x09, 0xff, 0xff]);
    expect([...encode(form('ld64', 'mem32'), { a: 3, b: 4, imm: -0x80000000 })]).toEqual([0xa6, 0x34, 0, 0, 0, 0x80]);
    expect([...encode(form('bgeui', 'r-imm8-rel32'), { a: 15, cmp: -128, imm: -0x80000000 })]).toEqual([0xcd, 0xf0, 0x80, 0, 0, 0, 0x80]);
    expect([...encode(form('bltui', 'r-imm8-rel8'), { a: 1, cmp: 127, imm: -128 })]).toEqual([0xc4, 0x10, 0x7f, 0x80]);
    expect([...encode(form('st64', 'mem-abs32'), { a: 14, imm: -0x80000000 })]).toEqual([0xda, 0xe0, 0, 0, 0, 0x80]);
    expect([...encode(form('ld8s', 'mem-idx'), { a: 15, b: 14, c: 13, s: 3 })]).toEqual([0xe1, 0xfe, 0xd3]);
    expect([...encode(form('xori', 'r-imm8'), { a: 9, imm: 127 })]).toEqual([0x8c, 0x90, 0x7f]);
    expect([...encode(form('popf', 'none'), { a: 0, b: 0, imm: 0 })]).toEqual([0x0f]); // zeros are not operands
  });
});


describe('strict decoding', () => {
  // Written down here rather than taken from the decoder: the formats whose register byte has an unused low nibble.
  const LOW_UNUSED: Format[] = ['r', 'r-imm8', 'r-imm32', 'r-imm64', 'r-rel8', 'r-rel32', 'r-imm8-rel8', 'r-imm8-rel32', 'mem-abs32'];
  const withRegisterByte = forms.filter(([, f]) => HAS_A(f) && f !== 'reg-in-op');

  it.each(withRegisterByte)('%s (%s, 0x%s): every register byte decodes, except a nonzero unused nibble', (_mn, format, _op, info: OpcodeInfo) => {
    const bytes = encode(info, samples(info)[0]!);
    for (let v = 0; v < 256; v++) {
      bytes[1] = v;
      const valid = !LOW_UNUSED.includes(format) || (v & 15) === 0;
      const tag = `register byte 0x${v.toString(16)}`;
      const insn = decode(bytes, 0);
      expect(insn !== undefined, tag).toBe(valid);
      if (insn) expect(insn.a, tag).toBe(v >> 4);
      const d = disassembleOne(bytes, 0x1000);
      expect(d.text === '(bad)', tag).toBe(!valid);
      expect(d.length, tag).toBe(valid ? bytes.length : 1);
    }
  });

  it.each(forms.filter(([, f]) => f === 'mem-idx'))('%s (%s, 0x%s): scale fields 4-15 are invalid', (_mn, _f, _op, info: OpcodeInfo) => {
    const bytes = encode(info, { a: 1, b: 2, c: 3, s: 0 });
    for (let v = 0; v < 256; v++) {
      bytes[2] = v;
      const insn = decode(bytes, 0);
      expect(insn !== undefined, `byte 2 = 0x${v.toString(16)}`).toBe((v & 15) <= 3);
      if (insn) expect([insn.c, insn.imm]).toEqual([v >> 4, v & 15]);
    }
  });

  it.each([
    ['jmp r with a nonzero low nibble', '.byte 0x65, 0x01'],
    ['movi imm8 with a nonzero low nibble', '.byte 0x78, 0x0f, 5'],
    ['ld64 [abs32] with a nonzero low nibble', '.byte 0xd6, 0x08, 0, 0x20, 0, 0'],
    ['blti with a nonzero low nibble', '.byte 0xc2, 0x02, 5, 0'],
    ['ld64 [rbx+rcx*16]', '.byte 0xe6, 0x03, 0x14'],
    ['lea [rbx+rcx<<15]', '.byte 0xeb, 0x03, 0x1f'],
  ])('the machine raises #UD for %s, at the instruction, changing nothing', (_name, code) => {
    const { m } = machineWith(`.org 0x1000\nstart: movi rax, 7\nbad: ${code}\nhlt`, { memorySize: 0x10000 });
    const stop = m.run(10, { stopOnFault: () => true });
    expect(stop.kind === 'fault' && stop.fault.vector).toBe(6);
    expect(m.cpu.rip).toBe(0x1003);
    expect(getReg(m, 'rax')).toBe(7n);
    expect(m.cpu.regs.length).toBe(32);
  });

  it('an instruction across a page boundary is checked once both parts are fetched', () => {
    // movi32 at 0x1fff: its register byte (with a bad nibble, then a good one) is on the next page.
    for (const [regByte, want] of [[0x01, 'fault'], [0x00, 'halt']] as const) {
      const { m } = machineWith(`.org 0x1ff0\nstart: jmp go\n.org 0x1fff\ngo: .byte 0x79, ${regByte}, 5, 0, 0, 0\nhlt`, { memorySize: 0x10000 });
      const stop = m.run(10, { stopOnFault: () => true });
      expect(stop.kind).toBe(want);
      if (stop.kind === 'fault') expect([stop.fault.vector, m.cpu.rip]).toEqual([6, 0x1fff]);
      else expect(getReg(m, 'rax')).toBe(5n);
    }
  });
});
