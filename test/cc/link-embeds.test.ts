// Links shaped like WeensyOS's: a p-allocator (FACTS.md section 8), a kernel
// embedding the six program images under the handout's twelve _binary_*
// symbols (section 9), the fixed console symbols of shared.ld, and the
// limit that keeps the kernel below its stack page.

import { describe, expect, it } from 'vitest';
import { embedSymbolName } from '../../emulator/cc/link/embed-symbol-name';
import { link } from '../../emulator/cc/link/link';
import { readImage } from '../../emulator/machine/image/read-image';
import { asmText, fn, haltModule, obj, objectModule, readAt, readLE, reloc } from './object-module-builder';

const CONSOLE = new Map([
  ['console', 0xb8000],
  ['cursorpos', 0xb8ffc],
]);

/** p-allocator.c and lib.c as the handout compiles them: 0x18 bytes of .bss and no .data. */
function pAllocator(base: number) {
  const code = asmText(`
process_main:
    movi rbx, 0
    ld64 rax, [rbx+0x7fffffff]
    st64 [rbx+0x7fffffff], rax
    hlt`);
  const main = objectModule({
    path: 'p-allocator.c',
    text: code.bytes,
    bssSize: 16,
    align: { text: 16, bss: 8 },
    symbols: [fn('process_main', 0, code.bytes.length), obj('stack_bottom', 'bss', 0, 8, 'local'), obj('heap_top', 'bss', 8, 8, 'local')],
    relocations: [reloc('text', 5, 'abs32', 'end'), reloc('text', 11, 'abs32', 'heap_top')],
  });
  const lib = objectModule({ path: 'lib.c', text: asmText('ret').bytes, bssSize: 8, align: { text: 16, bss: 4 }, symbols: [fn('rand', 0, 1), obj('rand_seed', 'bss', 0, 4, 'local'), obj('rand_seed_set', 'bss', 4, 4, 'local')] });
  return link({ modules: [main, lib], base, entry: 'process_main', fixedSymbols: CONSOLE, limit: base + 0x40000 });
}

describe('a p-allocator-shaped link', () => {
  const { image, diagnostics } = pAllocator(0x100000);

  it('puts text at the base and 0x18 bytes of bss at base + 0x1000, so end is base + 0x1018', () => {
    expect(diagnostics).toEqual([]);
    expect(image!.segments.map(({ va, fileSize, memSize, flags }) => ({ va, fileSize, memSize, flags }))).toEqual([
      { va: 0x100000, fileSize: 0x11, memSize: 0x11, flags: 5 },
      { va: 0x101000, fileSize: 0, memSize: 0x18, flags: 6 },
    ]);
    expect(image!.symbols.get('end')!.address).toBe(0x101018);
    expect(image!.symbols.get('start_data')!.address).toBe(0x101000);
    expect(image!.entry).toBe(0x100000);
  });

  it('lets the heap start at base + 0x2000, ROUNDUP(end, 4096)', () => {
    const end = image!.symbols.get('end')!.address;
    expect(Math.ceil(end / 4096) * 4096).toBe(0x102000);
    expect(readAt(image!, 0x100000 + 5, 4)).toBe(0x101018n);
  });

  it('comes out the same at each of the four allocator bases', () => {
    for (const base of [0x140000, 0x180000, 0x1c0000]) {
      const linked = pAllocator(base).image!;
      expect(linked.symbols.get('end')!.address).toBe(base + 0x1018);
      expect(linked.segments.map((s) => s.va)).toEqual([base, base + 0x1000]);
    }
  });

  it('defines console and cursorpos at their fixed addresses', () => {
    expect(image!.symbols.get('console')).toMatchObject({ address: 0xb8000, section: 'absolute', binding: 'global' });
    expect(image!.symbols.get('cursorpos')).toMatchObject({ address: 0xb8ffc, section: 'absolute' });
  });
});

const PROGRAMS = ['obj/p-allocator', 'obj/p-allocator2', 'obj/p-allocator3', 'obj/p-allocator4', 'obj/p-fork', 'obj/p-forkexit'];

describe('embedded program images', () => {
  it('mangles names as ld -b binary does', () => {
    expect(embedSymbolName('obj/p-allocator')).toBe('_binary_obj_p_allocator');
    expect(embedSymbolName('obj/p-forkexit')).toBe('_binary_obj_p_forkexit');
    expect(embedSymbolName('a.b+c')).toBe('_binary_a_b_c');
  });

  it('places each file in the read-only part with the twelve _binary_*_start/_end symbols', () => {
    const embeds = PROGRAMS.map((name, i) => ({ name, bytes: new Uint8Array(100 + i).fill(i + 1) }));
    const kernel = objectModule({
      path: 'kernel.c',
      text: asmText('movi rax, 0x12345678\nhlt').bytes,
      rodata: new Uint8Array([1, 2, 3]),
      symbols: [fn('kernel', 0, 7)],
      relocations: [reloc('text', 2, 'abs32', '_binary_obj_p_fork_start')],
    });
    const { image, diagnostics } = link({ modules: [kernel], base: 0x40000, entry: 'kernel', embeds, limit: 0x7f000 });
    expect(diagnostics).toEqual([]);
    const names = [...image!.symbols.keys()].filter((n) => n.startsWith('_binary_'));
    expect(names).toEqual([
      '_binary_obj_p_allocator_start', '_binary_obj_p_allocator_end', '_binary_obj_p_allocator2_start', '_binary_obj_p_allocator2_end',
      '_binary_obj_p_allocator3_start', '_binary_obj_p_allocator3_end', '_binary_obj_p_allocator4_start', '_binary_obj_p_allocator4_end',
      '_binary_obj_p_fork_start', '_binary_obj_p_fork_end', '_binary_obj_p_forkexit_start', '_binary_obj_p_forkexit_end',
    ]);
    const text = image!.segments[0]!;
    embeds.forEach((e, i) => {
      const start = image!.symbols.get(`${embedSymbolName(e.name)}_start`)!;
      const end = image!.symbols.get(`${embedSymbolName(e.name)}_end`)!;
      expect(start.section).toBe('rodata');
      expect(start.address % 8).toBe(0);
      expect(end.address - start.address).toBe(100 + i);
      expect(text.bytes.subarray(start.address - text.va, end.address - text.va)).toEqual(e.bytes);
    });
    // The first file follows the module's .rodata (at 0x40007) at the next multiple of 8.
    expect(image!.symbols.get('_binary_obj_p_allocator_start')!.address).toBe(0x40010);
    expect(readAt(image!, 0x40002, 4)).toBe(BigInt(image!.symbols.get('_binary_obj_p_fork_start')!.address));
    expect(text.flags).toBe(5);
  });

  it('embeds a linked program that reads back from between its symbols', () => {
    const program = pAllocator(0x100000).image!;
    const { image } = link({ modules: [haltModule('kernel', 'kernel.c')], base: 0x40000, entry: 'kernel', embeds: [{ name: 'obj/p-allocator', bytes: program.elf }] });
    const start = image!.symbols.get('_binary_obj_p_allocator_start')!.address;
    const end = image!.symbols.get('_binary_obj_p_allocator_end')!.address;
    const text = image!.segments[0]!;
    const inner = readImage(text.bytes.slice(start - text.va, end - text.va));
    expect(inner.errors).toEqual([]);
    expect(inner.image!.entry).toBe(0x100000);
    expect(readLE(text.bytes, start - text.va, 4)).toBe(0x464c457fn);
  });

  it('reports two embeds whose names mangle to the same symbols', () => {
    const { diagnostics } = link({ modules: [haltModule()], base: 0x40000, entry: 'start', embeds: [{ name: 'obj/p-a', bytes: new Uint8Array(1) }, { name: 'obj_p-a', bytes: new Uint8Array(1) }] });
    expect(diagnostics.map((d) => d.message)).toEqual([
      "'_binary_obj_p_a_start' is defined twice by the linker (the start of the embedded file 'obj_p-a')",
      "'_binary_obj_p_a_end' is defined twice by the linker (the end of the embedded file 'obj_p-a')",
    ]);
  });
});

describe('the limit', () => {
  const kernelWithBss = (bssSize: number) =>
    link({
      modules: [objectModule({ path: 'kernel.c', text: asmText('hlt').bytes, bssSize, align: { bss: 4096 }, symbols: [fn('kernel', 0, 1), obj('kernel_pagetables', 'bss', 0, bssSize, 'local')] })],
      base: 0x40000,
      entry: 'kernel',
      limit: 0x7f000,
      output: 'obj/kernel',
    });

  it('accepts an image that ends exactly at the limit', () => {
    const { image, diagnostics } = kernelWithBss(0x3e000);
    expect(diagnostics).toEqual([]);
    expect(image!.symbols.get('end')!.address).toBe(0x7f000);
  });

  it('rejects an image that reaches past it, naming the segment and the largest sections', () => {
    const { image, diagnostics } = kernelWithBss(0x3e010);
    expect(image).toBeUndefined();
    expect(diagnostics.map((d) => `${d.range.start.file}: ${d.message}`)).toEqual([
      'obj/kernel: the image ends at 0x7f010, 0x10 bytes past its limit 0x7f000: the data segment [0x41000, 0x7f010) overlaps [0x7f000, ...), where nothing may be placed; the largest sections are kernel.c .bss (0x3e010 bytes), kernel.c .text (0x1 bytes)',
    ]);
  });

  it('checks the text segment too', () => {
    const big = objectModule({ path: 'big.c', text: new Uint8Array(0x100), rodata: new Uint8Array(0x40000), symbols: [fn('kernel', 0, 1)] });
    const { diagnostics } = link({ modules: [big], base: 0x40000, entry: 'kernel', limit: 0x7f000 });
    expect(diagnostics[0]!.message).toMatch(/^the image ends at 0x81000, 0x2000 bytes past its limit 0x7f000: the text segment \[0x40000, 0x80100\)/);
  });
});
