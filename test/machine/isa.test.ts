// The instruction set tables and the tools derived from them: every form
// encodes, decodes to the fields it was given, has its table length, and
// survives encode -> disassemble -> assemble unchanged; then the assembler's
// own features.

import { describe, expect, it } from 'vitest';
import { AsmError, assemble, type AssembledProgram } from '../../emulator/machine/isa/assembler';
import { decode, instructionLength } from '../../emulator/machine/isa/decoder';
import { disassemble, disassembleOne } from '../../emulator/machine/isa/disassembler';
import { encode, EncodeError, type Operands } from '../../emulator/machine/isa/encoder';
import {
  BRANCH32_DELTA, CONTROL_REGISTER_NAMES, FORMAT_LENGTH, MAX_INSN_LENGTH, MEM32_DELTA, OPCODE_BY_BYTE, OPCODES, type Format, type OpcodeInfo,
} from '../../emulator/machine/isa/opcodes';

const ORG = 0x100000;
const hasForm = (mnemonic: string, format: Format): boolean => OPCODES.some((o) => o.mnemonic === mnemonic && o.format === format);

/**
 * Representative operands for a form. Immediates of a long form are chosen so
 * that they do not fit the short form of the same mnemonic, or the assembler
 * would (rightly) pick the short one when reassembling.
 */
function samples(info: OpcodeInfo): Operands[] {
  const regPairs: [number, number][] = [[0, 0], [3, 6], [15, 0], [0, 15], [7, 7], [12, 9]];
  const withImm = (imms: (number | bigint)[], a = 9, b = 5): Operands[] => imms.map((imm, k) => ({ a: (a + k) & 15, b: (b + 3 * k) & 15, imm }));
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
      return withImm([1n << 63n, (1n << 64n) - 1n, 0x123456789abcdef0n, 0x80000000n, -(1n << 63n), -0x80000001n]);
    case 'rel8':
      return withImm([-128, -1, 0, 127]);
    case 'imm8':
      return withImm([0, 3, 48, 255]);
    case 'imm16':
      return withImm([0, 16, 0x1234, 0xffff]);
  }
}

/** What the decoder should report for `info` encoded with `ops`. */
function expectedFields(info: OpcodeInfo, ops: Operands): { op: number; a: number; b: number; imm: number; immHi: number; len: number } {
  let op = info.opcode;
  if (info.format === 'mem32') op -= MEM32_DELTA;
  if (info.format === 'rr-rel32' || info.format === 'r-rel32') op -= BRANCH32_DELTA;
  if (info.mnemonic === 'jmp' && info.format === 'rel32') op = OPCODES.find((o) => o.mnemonic === 'jmp' && o.format === 'rel8')!.opcode;
  const imm64 = BigInt(ops.imm ?? 0);
  const imm = Number(BigInt.asIntN(32, imm64));
  const regs: Partial<Record<Format, [number, number]>> = {
    'reg-in-op': [ops.a!, 0], r: [ops.a!, 0], rr: [ops.a!, ops.b!], 'r-cr': [ops.a!, ops.b!],
    'r-imm8': [ops.a!, 0], 'r-imm32': [ops.a!, 0], 'r-imm64': [ops.a!, 0], 'r-rel8': [ops.a!, 0], 'r-rel32': [ops.a!, 0],
    mem8: [ops.a!, ops.b!], mem32: [ops.a!, ops.b!], 'rr-rel8': [ops.a!, ops.b!], 'rr-rel32': [ops.a!, ops.b!],
  };
  const [a, b] = regs[info.format] ?? [0, 0];
  return {
    op, a, b, imm,
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
  });
});

describe('the assembler', () => {
  const bytesOf = (p: AssembledProgram): number[] => [...p.bytes];

  it('resolves labels forwards and backwards, several to a line, and labels at the end', () => {
    const p = assemble('.org 0x2000\nstart: jmp end\nmid: a2: nop\njmp mid\nend:');
    expect(p.origin).toBe(0x2000);
    expect(Object.fromEntries(p.symbols)).toEqual({ start: 0x2000, mid: 0x2002, a2: 0x2002, end: 0x2005 });
    expect(bytesOf(p)).toEqual([0x0a, 0x03, 0x01, 0x0a, 0xfd]);
    expect([...p.lines]).toEqual([[0x2000, 2], [0x2002, 3], [0x2003, 4]]);
  });

  it('.equ defines constants usable in later .equ, operands and memory displacements', () => {
    const p = assemble(".equ BASE, 0x100\n.equ OFF, BASE - 0xf8\nmovi rax, BASE+1\nld64 rbx, [rbp-OFF]\nmovi rcx, 'A'\nmovi rdx, ' '");
    expect(p.symbols.get('OFF')).toBe(8);
    expect(bytesOf(p)).toEqual([0x79, 0x00, 0x01, 0x01, 0, 0, 0x96, 0x35, 0xf8, 0x78, 0x10, 65, 0x78, 0x20, 32]);
  });

  it('.org starts the program and leaves zero-filled gaps', () => {
    const p = assemble('.org 0x1000\nnop\n.org 0x1004\nhlt');
    expect(p.origin).toBe(0x1000);
    expect(bytesOf(p)).toEqual([0x01, 0, 0, 0, 0x02]);
    expect(assemble('nop').origin).toBe(0);
  });

  it('data directives are little-endian and take expressions and symbols', () => {
    const p = assemble('.org 0x10\nq: .quad 0x1122334455667788, q\n.long -1, 0x12345678\n.word 0xbeef\n.byte 1, 0xff, -1\n.zero 3\n.ascii "a;b" ; comment\n.asciz "x#y"');
    expect(bytesOf(p)).toEqual([
      0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x10, 0, 0, 0, 0, 0, 0, 0,
      0xff, 0xff, 0xff, 0xff, 0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 1, 0xff, 0xff, 0, 0, 0,
      0x61, 0x3b, 0x62, 0x78, 0x23, 0x79, 0,
    ]);
  });

  it('.align pads with zeros to the next multiple, and not at all when aligned', () => {
    const p = assemble('.org 0x1000\n.byte 1\n.align 8\nx: .byte 2\n.align 8\n.align 4\ny: .byte 3\n.align 16\nz:');
    expect(p.symbols.get('x')).toBe(0x1008);
    expect(p.symbols.get('y')).toBe(0x1010);
    expect(p.symbols.get('z')).toBe(0x1020);
    expect(bytesOf(p).slice(0, 9)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 2]);
  });

  it.each([
    ['forward', 127, 'rr-rel8'], ['forward', 128, 'rr-rel32'], ['backward', 125, 'rr-rel8'], ['backward', 126, 'rr-rel32'],
  ] as const)('a %s branch over %d bytes is %s', (dir, gap, format) => {
    const src = dir === 'forward' ? `.org 0x1000\nb: beq rax, rbx, t\n.zero ${gap}\nt: hlt` : `.org 0x1000\nt: .zero ${gap}\nb: beq rax, rbx, t\nhlt`;
    const p = assemble(src);
    const at = p.symbols.get('b')! - p.origin;
    expect(OPCODE_BY_BYTE[p.bytes[at]!]!.format).toBe(format);
    expect(disassembleOne(p.bytes.subarray(at), p.symbols.get('b')!).target).toBe(p.symbols.get('t'));
  });

  it('relaxation cascades: a branch that grows pushes another out of rel8 range', () => {
    // b2 must grow (u is far); that moves t 3 bytes further from b1, which then must grow too.
    const p = assemble('.org 0x1000\nb1: bnz rax, t\nb2: bnz rbx, u\n.zero 124\nt: nop\n.zero 200\nu: hlt');
    for (const [br, target] of [['b1', 't'], ['b2', 'u']] as const) {
      const at = p.symbols.get(br)!;
      const d = disassembleOne(p.bytes.subarray(at - p.origin), at);
      expect(d.length, br).toBe(6);
      expect(d.target, br).toBe(p.symbols.get(target));
    }
  });

  it('immediates pick the shortest form; movu only when asked', () => {
    const lengths = ['movi rax, 127', 'movi rax, 128', 'movi rax, -0x80000000', 'movi rax, 0x80000000', 'movu rax, 0x80000000', 'addi rax, -128', 'addi rax, 1000']
      .map((t) => assemble(t).bytes.length);
    expect(lengths).toEqual([3, 6, 6, 10, 6, 3, 6]);
  });

  const errors: [string, number, RegExp][] = [
    ['nop\n\nfrob rax', 3, /unknown instruction 'frob'/],
    ['add rax', 1, /'add' does not take operands \(reg\)/],
    ['nop\nld64 rax, rbx', 2, /'ld64' does not take operands/],
    ['movi rax, rbx', 1, /does not take operands/],
    ['jmp nowhere', 1, /undefined symbol 'nowhere'/],
    ['nop\naddi rax, foo+0x100000000', 2, /^line 2: undefined symbol 'foo'$/],
    ['.quad missing', 1, /undefined symbol 'missing'/],
    ['movu rax, -1', 1, /does not fit in 32 bits/],
    ['nop\nint 256', 2, /does not fit in 8 bits/],
    ['.byte 300', 1, /300 does not fit in 1 byte/],
    ['.word -32769', 1, /does not fit in 2 bytes/],
    ['x: nop\nx: nop', 2, /label 'x' defined twice/],
    ['.frob 1', 1, /unknown directive '\.frob'/],
    ['ld64 rax, [rzz+1]', 1, /unknown base register 'rzz'/],
    ['.equ ONLY', 1, /\.equ takes a name and a value/],
    ['.ascii hello', 1, /expected a string/],
  ];
  it.each(errors)('%j fails on line %d', (src, line, message) => {
    let caught: unknown;
    try {
      assemble(src);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AsmError);
    expect((caught as AsmError).line).toBe(line);
    expect((caught as AsmError).message).toMatch(new RegExp(`^line ${line}: `));
    expect((caught as AsmError).message).toMatch(message);
  });
});
