// The assembler's own features: labels, directives, expressions, operand
// syntax (including [abs32] and [base+index*scale]), form selection and
// branch relaxation, and its error messages.

import { describe, expect, it } from 'vitest';
import { AsmError, assemble, type AssembledProgram } from '../../emulator/machine/isa/assembler';
import { disassembleOne } from '../../emulator/machine/isa/disassembler';
import { OPCODE_BY_BYTE } from '../../emulator/machine/isa/opcodes';

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

  it('immediates pick the shortest form, movi including movu for 2^31 <= c < 2^32', () => {
    const cases: [string, number, number][] = [
      ['movi rax, 127', 3, 0x78], ['movi rax, 128', 6, 0x79], ['movi rax, -0x80000000', 6, 0x79], ['movi rax, 0x7fffffff', 6, 0x79],
      ['movi rax, 0x80000000', 6, 0x89], ['movi rax, 0xffffffff', 6, 0x89], ['movi rax, 0x100000000', 10, 0x7a], ['movi rax, -0x80000001', 10, 0x7a],
      ['movu rax, 0x80000000', 6, 0x89], ['movu rax, 5', 6, 0x89], ['addi rax, -128', 3, 0x7b], ['addi rax, 1000', 6, 0x7c],
      ['andi rax, -16', 3, 0x8a], ['andi rax, 0xff', 6, 0x7d], ['ori rax, 127', 3, 0x8b], ['ori rax, 128', 6, 0x7e],
      ['xori rax, -1', 3, 0x8c], ['xori rax, -129', 6, 0x7f], ['muli rax, 10', 3, 0x8d], ['muli rax, 1000', 6, 0x83],
    ];
    for (const [src, len, opcode] of cases) expect([...assemble(src).bytes.subarray(0, 1), assemble(src).bytes.length], src).toEqual([opcode, len]);
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
    ['ld64 rax, [rzz+1]', 1, /undefined symbol 'rzz'/], // not a register, so an absolute address
    ['ld64 rax, [8+rbx]', 1, /a register may only come first/],
    ['ld64 rax, [rbx+rcx*3]', 1, /scale must be 1, 2, 4 or 8/],
    ['ld64 rax, [rbx+rcx*8+16]', 1, /\[base\+index\] and \[base\+index\*scale\]/],
    ['ld64 rax, [rbx-rcx]', 1, /\[base\+index\] and \[base\+index\*scale\]/],
    ['ld64 rax, [rcx*8]', 1, /bad memory operand/],
    ['ld64 rax, []', 1, /empty memory operand/],
    ['lea rax, [0x1000]', 1, /'lea' does not take operands \(reg,abs\)/],
    ['ld64 rax, [0x80000000]', 1, /does not fit in signed 32 bits/],
    ['nop\nblti rax, 128, x\nx:', 2, /compared constant 128 does not fit/],
    ['bltui rax, 0xff, x\nx:', 1, /does not fit/],
    ['movi rax, 2*(3', 1, /bad expression/],
    ['movi rax, 2 3', 1, /bad expression/],
    ['movi rax, 4/0', 1, /division by zero/],
    ['movi rax, 1 % 2', 1, /bad expression/],
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

describe('assembler expressions', () => {
  const value = (expr: string): bigint => {
    const p = assemble(`.quad ${expr}`);
    return BigInt.asIntN(64, new DataView(p.bytes.buffer, p.bytes.byteOffset).getBigUint64(0, true));
  };

  it.each([
    ['0xb8000 + 2*(2*80+10)', 0xb8000n + 2n * (2n * 80n + 10n)],
    ['1 + 2 * 3', 7n], ['(1 + 2) * 3', 9n], ['10 - 4 - 3', 3n], ['100 / 10 / 5', 2n], ['2 * 3 / 4', 1n], ['7 / 2 * 2', 6n],
    ['-5', -5n], ['--5', 5n], ['-(2+3)*2', -10n], ['3 - -2', 5n], ['-7 / 2', -3n], ['7 / -2', -3n], ['+4', 4n],
    ["'A' + 1", 66n], ["' ' * 2", 64n], ["'+' - '('", 3n], ["'*'", 42n], ['( ( 1 ) )', 1n], ['0X10*0x10', 256n],
    ['S * 2 + E', 0x20n + 0x31n],
  ] as const)('%s = %s', (expr, want) => {
    const p = assemble(`.equ S, 0x10\n.equ E, S*3 + 1\n.quad ${expr}`);
    expect(BigInt.asIntN(64, new DataView(p.bytes.buffer, p.bytes.byteOffset).getBigUint64(0, true))).toBe(want);
    if (!expr.includes('S')) expect(value(expr)).toBe(want);
  });

  it('labels work in products and quotients, forward references included', () => {
    const p = assemble('.org 0x1000\nmovu rsi, (end - start) * 4 + start / 0x1000\nstart: .zero 6\nend:');
    expect([...p.bytes.subarray(0, 6)]).toEqual([0x89, 0x60, 6 * 4 + 1, 0, 0, 0]);
  });

  it('displacements continue the sum: [rbp - 8 + 2] is rbp - 6, [rbp - 2*4] is rbp - 8', () => {
    expect([...assemble('ld64 rax, [rbp - 8 + 2]').bytes]).toEqual([0x96, 0x05, 0xfa]);
    expect([...assemble('ld64 rax, [rbp - 2*4]').bytes]).toEqual([0x96, 0x05, 0xf8]);
    expect([...assemble('ld64 rax, [rbp + (1 + 2) * 4]').bytes]).toEqual([0x96, 0x05, 0x0c]);
  });
});

describe('assembler memory operand syntax', () => {
  const bytesOf = (src: string): number[] => [...assemble(src).bytes];

  it('a bracket whose first term is not a register is an absolute address', () => {
    expect(bytesOf('ld64 rax, [0x52dc0]')).toEqual([0xd6, 0x00, 0xc0, 0x2d, 0x05, 0x00]);
    expect(bytesOf('.org 0x1000\nst32 [counter+4], rcx\ncounter: .quad 0')).toEqual([0xd9, 0x10, 0x0a, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(bytesOf('ld8s r15, [-1]')).toEqual([0xd1, 0xf0, 0xff, 0xff, 0xff, 0xff]);
    expect(bytesOf('ld16u rax, [(1 + 2) * 0x100]')).toEqual([0xd2, 0x00, 0x00, 0x03, 0, 0]);
    // The top 2 GiB, written either way, is the sign-extended abs32.
    expect(bytesOf('st64 [0xffffffff80001000], rdx')).toEqual([0xda, 0x20, 0x00, 0x10, 0x00, 0x80]);
    expect(bytesOf('st64 [-0x7ffff000], rdx')).toEqual([0xda, 0x20, 0x00, 0x10, 0x00, 0x80]);
  });

  it('[base+index*scale] with scales 1, 2, 4 and 8 (1 may be omitted), for loads, stores and lea', () => {
    expect(bytesOf('ld64 rax, [rbx+rcx*8]')).toEqual([0xe6, 0x03, 0x13]);
    expect(bytesOf('lea rdi, [rsi+rdx*4]')).toEqual([0xeb, 0x76, 0x22]);
    expect(bytesOf('st8 [rdi+rcx], rax')).toEqual([0xe7, 0x07, 0x10]);
    expect(bytesOf('st8 [rdi + rcx * 1], rax')).toEqual([0xe7, 0x07, 0x10]);
    expect(bytesOf('ld16s r8, [R15 + R14*2]')).toEqual([0xe3, 0x8f, 0xe1]);
    expect(bytesOf('ld32u rsp, [rsp+rsp*4]')).toEqual([0xe4, 0x44, 0x42]);
  });

  it('[reg+symbol] stays a displacement, even when the symbol looks like a register prefix', () => {
    expect(bytesOf('.equ rcx1, 8\nld64 rax, [rbx+rcx1]')).toEqual([0x96, 0x03, 0x08]);
  });
});

describe('compare-with-constant branches in the assembler', () => {
  it.each([
    ['forward', 127, 'r-imm8-rel8'], ['forward', 128, 'r-imm8-rel32'], ['backward', 124, 'r-imm8-rel8'], ['backward', 125, 'r-imm8-rel32'],
  ] as const)('a %s blti over %d bytes is %s', (dir, gap, format) => {
    const src = dir === 'forward' ? `.org 0x1000\nb: blti rcx, 10, t\n.zero ${gap}\nt: hlt` : `.org 0x1000\nt: .zero ${gap}\nb: blti rcx, 10, t\nhlt`;
    const p = assemble(src);
    const at = p.symbols.get('b')! - p.origin;
    expect(OPCODE_BY_BYTE[p.bytes[at]!]!.format).toBe(format);
    expect(p.bytes[at + 2]).toBe(10);
    expect(disassembleOne(p.bytes.subarray(at), p.symbols.get('b')!).target).toBe(p.symbols.get('t'));
  });

  it('the constant is taken modulo 2^64, so 0xffffffffffffffff is -1', () => {
    expect([...assemble('x: bltui rax, 0xffffffffffffffff, x').bytes]).toEqual([0xc4, 0x00, 0xff, 0xfc]);
    expect([...assemble('x: bgei rax, -128, x').bytes]).toEqual([0xc3, 0x00, 0x80, 0xfc]);
  });
});
