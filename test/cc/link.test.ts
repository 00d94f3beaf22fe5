// The linker's layout and symbol resolution: where sections and symbols
// land, the segments and the linker-defined symbols, and the diagnostics
// for undefined, duplicate and misplaced symbols.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../emulator/cc/diagnostic';
import { link } from '../../emulator/cc/link/link';
import { ELF_PFLAG_EXEC, ELF_PFLAG_READ, ELF_PFLAG_WRITE } from '../../emulator/machine/image/elf';
import { asmText, fn, haltModule, lineRange, obj, objectModule, readAt, reloc, undef } from './object-module-builder';

/** Two modules with every section and awkward alignments. */
function twoModules() {
  const a = objectModule({
    path: 'a.c',
    text: new Uint8Array(10).fill(0x01),
    rodata: new Uint8Array([0x61, 0x62, 0x63]),
    data: new Uint8Array([1, 2, 3, 4, 5]),
    bssSize: 16,
    align: { text: 1, rodata: 1, data: 8, bss: 8 },
    symbols: [fn('start', 0, 10), obj('a_ro', 'rodata', 0, 3), obj('a_data', 'data', 0, 5), obj('a_bss', 'bss', 8, 8)],
  });
  const b = objectModule({
    path: 'b.c',
    text: new Uint8Array(7).fill(0x01),
    rodata: new Uint8Array(8).fill(0x77),
    data: new Uint8Array([9, 9, 9, 9]),
    bssSize: 8,
    align: { text: 16, rodata: 8, data: 4, bss: 8 },
    symbols: [fn('b_fn', 0, 7), obj('b_ro', 'rodata', 0, 8), obj('b_data', 'data', 0, 4), obj('b_bss', 'bss', 0, 8)],
  });
  return [a, b];
}

describe('link layout', () => {
  const { image, diagnostics } = link({ modules: twoModules(), base: 0x100000, entry: 'start' });

  it('links without diagnostics', () => {
    expect(diagnostics).toEqual([]);
    expect(image).toBeDefined();
  });

  it('places each module section at its alignment, text then rodata, data from the next page, then bss', () => {
    const at = (name: string): number => image!.symbols.get(name)!.address;
    expect(at('start')).toBe(0x100000);
    expect(at('b_fn')).toBe(0x100010);
    expect(at('a_ro')).toBe(0x100017);
    expect(at('b_ro')).toBe(0x100020);
    expect(at('a_data')).toBe(0x101000);
    expect(at('b_data')).toBe(0x101008);
    expect(at('a_bss')).toBe(0x101018);
    expect(at('b_bss')).toBe(0x101020);
  });

  it('defines start_data at the data segment and end at the end of .bss', () => {
    expect(image!.symbols.get('start_data')).toMatchObject({ address: 0x101000, section: 'data', kind: 'notype', module: null });
    expect(image!.symbols.get('end')).toMatchObject({ address: 0x101028, section: 'bss', kind: 'notype', module: null });
  });

  it('makes one R E segment and one R W segment whose file bytes stop after .data', () => {
    expect(image!.segments.map(({ va, pa, fileSize, memSize, flags }) => ({ va, pa, fileSize, memSize, flags }))).toEqual([
      { va: 0x100000, pa: 0x100000, fileSize: 0x28, memSize: 0x28, flags: ELF_PFLAG_READ | ELF_PFLAG_EXEC },
      { va: 0x101000, pa: 0x101000, fileSize: 0xc, memSize: 0x28, flags: ELF_PFLAG_READ | ELF_PFLAG_WRITE },
    ]);
    expect(image!.sections).toEqual([
      { name: 'text', va: 0x100000, size: 0x17 },
      { name: 'rodata', va: 0x100017, size: 0x11 },
      { name: 'data', va: 0x101000, size: 0xc },
      { name: 'bss', va: 0x10100c, size: 0x1c },
    ]);
  });

  it('copies each section’s bytes to its place and leaves alignment padding zero', () => {
    expect(readAt(image!, 0x100017, 3)).toBe(0x636261n);
    expect(readAt(image!, 0x10000a, 6)).toBe(0n);
    expect(readAt(image!, 0x101000, 5)).toBe(0x0504030201n);
    expect(readAt(image!, 0x101008, 4)).toBe(0x09090909n);
    expect(image!.entry).toBe(0x100000);
  });

  it('records which module defines each symbol', () => {
    expect(image!.symbols.get('b_ro')).toEqual({ name: 'b_ro', address: 0x100020, size: 8, kind: 'object', binding: 'global', module: 'b.c', section: 'rodata' });
  });
});

describe('link symbol resolution', () => {
  it('reports an undefined reference, naming the symbol and the module, at the line of the instruction', () => {
    const code = asmText('movi rax, 0x12345678\ncall 0\nhlt');
    const m = objectModule({
      path: 'kernel.c',
      text: code.bytes,
      symbols: [fn('kernel', 0), undef('missing')],
      relocations: [reloc('text', 8, 'rel32', 'missing'), reloc('text', 2, 'abs32', 'missing')],
      lines: [
        { offset: 0, range: lineRange('kernel.c', 3), isStatement: true },
        { offset: 6, range: lineRange('kernel.c', 7), isStatement: true },
      ],
    });
    const { image, diagnostics } = link({ modules: [m], base: 0x40000, entry: 'kernel' });
    expect(image).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(formatDiagnostic(diagnostics[0]!)).toBe("kernel.c:7:1: error: undefined reference to 'missing' (kernel.c(.text+0x8))");
  });

  it('reports a duplicate global with a note at the first definition', () => {
    const a = objectModule({ path: 'a.c', text: new Uint8Array(4), symbols: [fn('start', 0), fn('helper', 2)] });
    const b = objectModule({ path: 'b.c', text: new Uint8Array(4), symbols: [fn('helper', 0)] });
    const { image, diagnostics } = link({ modules: [a, b], base: 0x40000, entry: 'start' });
    expect(image).toBeUndefined();
    expect(diagnostics.map((d) => d.message)).toEqual(["multiple definition of 'helper' in b.c"]);
    expect(diagnostics[0]!.range.start.file).toBe('b.c');
    expect(diagnostics[0]!.notes).toEqual([{ message: "'helper' was first defined in a.c", range: expect.objectContaining({ start: expect.objectContaining({ file: 'a.c' }) }) }]);
  });

  it('keeps static symbols of two modules apart: each module’s references reach its own', () => {
    const withCounter = (path: string, value: number) =>
      objectModule({
        path,
        text: new Uint8Array(1),
        data: new Uint8Array([value, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        align: { data: 8 },
        symbols: [obj('counter', 'data', 0, 8, 'local'), obj(`${path[0]}_ptr`, 'data', 8, 8)],
        relocations: [reloc('data', 8, 'abs64', 'counter')],
      });
    const { image, diagnostics } = link({ modules: [haltModule(), withCounter('a.c', 1), withCounter('b.c', 2)], base: 0x40000, entry: 'start' });
    expect(diagnostics).toEqual([]);
    const aCounter = image!.symbols.get('a.c::counter')!;
    const bCounter = image!.symbols.get('b.c::counter')!;
    expect(aCounter.address).not.toBe(bCounter.address);
    expect(readAt(image!, image!.symbols.get('a_ptr')!.address, 8)).toBe(BigInt(aCounter.address));
    expect(readAt(image!, image!.symbols.get('b_ptr')!.address, 8)).toBe(BigInt(bCounter.address));
    // An ambiguous static name has no plain key; the list still holds both.
    expect(image!.symbols.has('counter')).toBe(false);
    expect(image!.symbolList.filter((s) => s.name === 'counter')).toHaveLength(2);
  });

  it('lets a static shadow a global of another module and finds a unique static by its plain name', () => {
    const g = objectModule({ path: 'g.c', text: new Uint8Array(1), bssSize: 8, symbols: [fn('start', 0), obj('ticks', 'bss', 0, 8), obj('pageinfo', 'bss', 0, 8, 'local')] });
    const s = objectModule({ path: 's.c', data: new Uint8Array(16), bssSize: 8, symbols: [obj('ticks', 'bss', 0, 8, 'local'), obj('p', 'data', 0, 8)], relocations: [reloc('data', 0, 'abs64', 'ticks')] });
    const { image, diagnostics } = link({ modules: [g, s], base: 0x40000, entry: 'start' });
    expect(diagnostics).toEqual([]);
    expect(readAt(image!, image!.symbols.get('p')!.address, 8)).toBe(BigInt(image!.symbols.get('s.c::ticks')!.address));
    expect(image!.symbols.get('ticks')!.module).toBe('g.c');
    expect(image!.symbols.get('pageinfo')).toBe(image!.symbols.get('g.c::pageinfo'));
  });

  it('rejects one module defining a name both static and global', () => {
    const m = objectModule({ path: 'm.c', text: new Uint8Array(2), symbols: [fn('start', 0), fn('x', 1, 1, 'local'), obj('x', 'text', 1, 0)] });
    const { diagnostics } = link({ modules: [m], base: 0x40000, entry: 'start' });
    expect(diagnostics.map((d) => d.message)).toEqual(["multiple definition of 'x' in m.c"]);
  });

  it('rejects a module defining a symbol the linker defines', () => {
    const m = objectModule({ path: 'kernel.c', text: new Uint8Array(2), bssSize: 4, symbols: [fn('start', 0), obj('end', 'bss', 0, 4)] });
    const { diagnostics } = link({ modules: [m], base: 0x40000, entry: 'start', fixedSymbols: new Map([['console', 0xb8000]]) });
    expect(diagnostics.map((d) => d.message)).toEqual(["'end' is defined in kernel.c, but the linker defines it (the end of .bss)"]);
  });

  it('reports a missing, static or non-code entry point', () => {
    const m = objectModule({ path: 'p.c', text: new Uint8Array(2), data: new Uint8Array(4), symbols: [fn('helper', 0, 1, 'local'), obj('table', 'data', 0, 4)] });
    const messages = (entry: string) => link({ modules: [m], base: 0x100000, entry, output: 'obj/p-x' }).diagnostics.map(formatDiagnostic);
    expect(messages('process_main')).toEqual(["obj/p-x:1:1: error: the entry symbol 'process_main' is not defined"]);
    expect(messages('helper')).toEqual(["obj/p-x:1:1: error: the entry symbol 'helper' is static in p.c; it must be global"]);
    expect(messages('table')).toEqual(["obj/p-x:1:1: error: the entry symbol 'table' (0x101000) is not code: it is not in .text"]);
  });

  it('reports malformed relocations and symbols instead of throwing', () => {
    const m = objectModule({
      path: 'bad.c',
      text: new Uint8Array(6),
      bssSize: 8,
      symbols: [fn('start', 0), obj('past', 'data', 4, 0)],
      relocations: [reloc('text', 4, 'abs32', 'start'), reloc('bss', 0, 'abs64', 'start'), reloc('text', -1, 'rel32', 'start'), reloc('text', 0, 'abs16' as never, 'start')],
    });
    const { image, diagnostics } = link({ modules: [m], base: 0x40000, entry: 'start' });
    expect(image).toBeUndefined();
    expect(diagnostics.map((d) => d.message)).toEqual([
      "symbol 'past' is at offset 0x4 of .data, which is only 0x0 bytes",
      'relocation abs32 at bad.c(.text+0x4) is outside .text (0x6 bytes)',
      'relocation at bad.c(.bss+0x0) is in .bss, which has no bytes to patch',
      'relocation rel32 at bad.c(.text-0x1) is outside .text (0x6 bytes)',
      "relocation at bad.c(.text+0x0) has the unknown kind 'abs16'",
    ]);
  });

  it('reports a bad base address as a diagnostic', () => {
    expect(link({ modules: [haltModule()], base: -4096, entry: 'start' }).diagnostics.map((d) => d.message)).toEqual(['the base address -4096 is not a non-negative integer']);
  });
});
