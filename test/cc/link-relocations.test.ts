// Each relocation kind patches its field with the value ObjectModule's
// contract gives (emulator/cc/object.ts), and each reports a value that
// does not fit its field, as ld's "relocation truncated to fit" does.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../emulator/cc/diagnostic';
import { link } from '../../emulator/cc/link/link';
import type { Relocation } from '../../emulator/cc/object';
import { asmText, fn, lineRange, obj, objectModule, readAt, reloc, undef } from './object-module-builder';

const BASE = 0x40000;
const code = asmText(`
start:
a32:  movi rax, 0x12345678
a32u: movu rcx, 0x12345678
a64:  movi rdx, 0x123456789abcdef0
r32:  call 0
      hlt
`);
const L = (name: string): number => code.labels.get(name)!;

/** Links `start` (above) with one relocation and a callee module; returns the image and diagnostics. */
function linkWith(relocations: Relocation[], fixed: [string, number][] = []) {
  const main = objectModule({ path: 'main.c', text: code.bytes, symbols: [fn('start', 0), undef('callee')], relocations });
  const other = objectModule({ path: 'other.c', text: asmText('ret').bytes, data: new Uint8Array(8), align: { text: 16, data: 8 }, symbols: [fn('callee', 0, 1), obj('value', 'data', 0, 8)] });
  return link({ modules: [main, other], base: BASE, entry: 'start', fixedSymbols: new Map(fixed) });
}

describe('relocation values', () => {
  it('abs32 stores S + A', () => {
    const { image, diagnostics } = linkWith([reloc('text', L('a32') + 2, 'abs32', 'value', 4)]);
    expect(diagnostics).toEqual([]);
    expect(readAt(image!, BASE + L('a32') + 2, 4)).toBe(BigInt(image!.symbols.get('value')!.address + 4));
  });

  it('abs32 accepts a negative value, which the CPU sign-extends', () => {
    const { image, diagnostics } = linkWith([reloc('text', L('a32') + 2, 'abs32', 'zero', -8)], [['zero', 0]]);
    expect(diagnostics).toEqual([]);
    expect(readAt(image!, BASE + L('a32') + 2, 4)).toBe(0xfffffff8n);
  });

  it('abs32u stores S + A up to 0xffffffff', () => {
    const { image, diagnostics } = linkWith([reloc('text', L('a32u') + 2, 'abs32u', 'top', 0)], [['top', 0xffffffff]]);
    expect(diagnostics).toEqual([]);
    expect(readAt(image!, BASE + L('a32u') + 2, 4)).toBe(0xffffffffn);
  });

  it('abs64 stores all 64 bits, negative values as two’s complement', () => {
    const high = linkWith([reloc('text', L('a64') + 2, 'abs64', 'far', -2)], [['far', 0x123456789a]]);
    expect(readAt(high.image!, BASE + L('a64') + 2, 8)).toBe(0x1234567898n);
    const negative = linkWith([reloc('text', L('a64') + 2, 'abs64', 'zero', -1)], [['zero', 0]]);
    expect(readAt(negative.image!, BASE + L('a64') + 2, 8)).toBe(0xffffffffffffffffn);
  });

  it('rel32 stores S + A - (P + 4), relative to the end of the call', () => {
    const { image, diagnostics } = linkWith([reloc('text', L('r32') + 1, 'rel32', 'callee')]);
    expect(diagnostics).toEqual([]);
    const callee = image!.symbols.get('callee')!.address;
    const next = BASE + L('r32') + 5;
    expect(callee).toBe(BASE + 0x20);
    expect(readAt(image!, BASE + L('r32') + 1, 4)).toBe(BigInt(callee - next));
    const withAddend = linkWith([reloc('text', L('r32') + 1, 'rel32', 'callee', 8)]);
    expect(readAt(withAddend.image!, BASE + L('r32') + 1, 4)).toBe(BigInt(callee + 8 - next));
  });

  it('rel32 stores a backward branch as a negative offset', () => {
    const { image } = linkWith([reloc('text', L('r32') + 1, 'rel32', 'start')]);
    expect(readAt(image!, BASE + L('r32') + 1, 4)).toBe(BigInt.asUintN(32, BigInt(-(L('r32') + 5))));
  });

  it('patches pointers in .data and .rodata', () => {
    const m = objectModule({
      path: 'tables.c',
      text: asmText('hlt').bytes,
      rodata: new Uint8Array(8),
      data: new Uint8Array(12),
      symbols: [fn('start', 0, 1), obj('ro_ptr', 'rodata', 0, 8), obj('ptr', 'data', 0, 8), obj('small', 'data', 8, 4)],
      relocations: [reloc('rodata', 0, 'abs64', 'ptr'), reloc('data', 0, 'abs64', 'start', 1), reloc('data', 8, 'abs32u', 'ro_ptr')],
    });
    const { image, diagnostics } = link({ modules: [m], base: BASE, entry: 'start' });
    expect(diagnostics).toEqual([]);
    const at = (n: string): number => image!.symbols.get(n)!.address;
    expect(readAt(image!, at('ro_ptr'), 8)).toBe(BigInt(at('ptr')));
    expect(readAt(image!, at('ptr'), 8)).toBe(BigInt(BASE + 1));
    expect(readAt(image!, at('small'), 4)).toBe(BigInt(at('ro_ptr')));
  });
});

describe('relocation overflow', () => {
  const messages = (r: Relocation, fixed: [string, number][]) => linkWith([r], fixed).diagnostics.map((d) => d.message);

  it('abs32 rejects 0x80000000, which the CPU would sign-extend to a different address', () => {
    expect(messages(reloc('text', L('a32') + 2, 'abs32', 'high'), [['high', 0x80000000]])).toEqual([
      "relocation truncated to fit: abs32 against 'high' at main.c(.text+0x2): 0x80000000 does not fit in a signed 32-bit field",
    ]);
  });

  it('abs32u rejects negative values and values from 2^32', () => {
    expect(messages(reloc('text', L('a32u') + 2, 'abs32u', 'zero', -1), [['zero', 0]])).toEqual([
      "relocation truncated to fit: abs32u against 'zero' at main.c(.text+0x8): -0x1 does not fit in an unsigned 32-bit field",
    ]);
    expect(messages(reloc('text', L('a32u') + 2, 'abs32u', 'big'), [['big', 0x100000000]])).toHaveLength(1);
  });

  it('rel32 accepts the largest forward distance and rejects one byte more', () => {
    const next = BASE + L('r32') + 5;
    expect(messages(reloc('text', L('r32') + 1, 'rel32', 'far'), [['far', next + 0x7fffffff]])).toEqual([]);
    expect(messages(reloc('text', L('r32') + 1, 'rel32', 'far'), [['far', next + 0x80000000]])).toEqual([
      `relocation truncated to fit: rel32 against 'far' at main.c(.text+0x17): 0x80000000 does not fit in a signed 32-bit field`,
    ]);
  });

  it('points an overflow in .text at the source line of its instruction', () => {
    const m = objectModule({
      path: 'k.c',
      text: code.bytes,
      symbols: [fn('start', 0)],
      relocations: [reloc('text', L('a32') + 2, 'abs32', 'high')],
      lines: [{ offset: 0, range: lineRange('k.c', 12, 5), isStatement: true }],
    });
    const { diagnostics } = link({ modules: [m], base: BASE, entry: 'start', fixedSymbols: new Map([['high', 0x80000000]]) });
    expect(diagnostics.map(formatDiagnostic)).toEqual(["k.c:12:5: error: relocation truncated to fit: abs32 against 'high' at k.c(.text+0x2): 0x80000000 does not fit in a signed 32-bit field"]);
  });

  it('points an overflow in .data at the variable being initialized', () => {
    const m = objectModule({
      path: 'k.c',
      text: asmText('hlt').bytes,
      data: new Uint8Array(8),
      symbols: [fn('start', 0, 1), obj('handle', 'data', 0, 8)],
      relocations: [reloc('data', 4, 'abs32', 'high')],
      debug: { types: [{ kind: 'void' }], functions: [], typedefs: [], globals: [{ name: 'handle', type: 0, location: { kind: 'static', symbol: 'handle' }, range: lineRange('k.c', 40, 3) }] },
    });
    const { diagnostics } = link({ modules: [m], base: BASE, entry: 'start', fixedSymbols: new Map([['high', 0x80000000]]) });
    expect(diagnostics[0]!.range.start).toMatchObject({ file: 'k.c', line: 40, column: 3 });
  });
});
