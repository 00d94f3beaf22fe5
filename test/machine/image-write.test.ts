// writeImage lays out the ELF file exactly as FACTS.md section 9 describes
// elf_header and elf_program, so that the handout's k-loader.c, which reads
// those fields at those offsets and nothing else, loads our images.

import { describe, expect, it } from 'vitest';
import { writeImage } from '../../emulator/machine/image/write-image';
import { sampleImage } from './sample-image';

const elf = writeImage(sampleImage());
const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
const u16 = (at: number): number => dv.getUint16(at, true);
const u32 = (at: number): number => dv.getUint32(at, true);
const u64 = (at: number): number => Number(dv.getBigUint64(at, true));

/** The section names, read through e_shoff, e_shnum, e_shstrndx and sh_name. */
function sectionNames(file: Uint8Array): string[] {
  const d = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = Number(d.getBigUint64(0x28, true));
  const strtab = Number(d.getBigUint64(shoff + d.getUint16(0x3e, true) * 64 + 0x18, true));
  return Array.from({ length: d.getUint16(0x3c, true) }, (_, i) => {
    const at = strtab + d.getUint32(shoff + i * 64, true);
    return new TextDecoder().decode(file.subarray(at, file.indexOf(0, at)));
  });
}

describe('elf_header', () => {
  it('holds the magic, class, data order and version in e_ident', () => {
    expect(u32(0x00)).toBe(0x464c457f);
    expect([...elf.subarray(0, 8)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  });

  it('is an executable for WS64 with the entry point at 0x18', () => {
    expect(u16(0x10)).toBe(2);
    expect(u16(0x12)).toBe(0x5753);
    expect(u32(0x14)).toBe(1);
    expect(u64(0x18)).toBe(0x100000);
  });

  it('points at the program headers right after itself, 56 bytes each', () => {
    expect(u64(0x20)).toBe(0x40);
    expect(u16(0x34)).toBe(64);
    expect(u16(0x36)).toBe(56);
    expect(u16(0x38)).toBe(2);
  });

  it('describes a section table of 64-byte entries naming the standard sections and the debug section', () => {
    expect(u16(0x3a)).toBe(64);
    expect(u16(0x3c)).toBe(9);
    expect(u64(0x28) % 8).toBe(0);
    expect(u64(0x28) + 9 * 64).toBe(elf.length);
    expect(sectionNames(elf)).toEqual(['', '.text', '.rodata', '.data', '.bss', '.symtab', '.strtab', '.shstrtab', '.weensy.debug']);
    expect(u16(0x3e)).toBe(7);
  });

  it('leaves the debug section out of a stripped image', () => {
    const stripped = writeImage(sampleImage(), { debug: false });
    expect(sectionNames(stripped)).toEqual(['', '.text', '.rodata', '.data', '.bss', '.symtab', '.strtab', '.shstrtab']);
    expect(stripped.length).toBeLessThan(elf.length);
  });
});

describe('elf_program', () => {
  it('describes the text segment: PT_LOAD, READ|EXEC, page-aligned offset, p_pa = p_va', () => {
    const ph = 0x40;
    expect([u32(ph), u32(ph + 4)]).toEqual([1, 5]);
    expect(u64(ph + 0x08)).toBe(0x1000);
    expect(u64(ph + 0x10)).toBe(0x100000);
    expect(u64(ph + 0x18)).toBe(0x100000);
    expect([u64(ph + 0x20), u64(ph + 0x28), u64(ph + 0x30)]).toEqual([5, 5, 0x1000]);
  });

  it('describes the data segment: READ|WRITE, memsz past filesz, offset congruent to its address', () => {
    const ph = 0x40 + 56;
    expect([u32(ph), u32(ph + 4)]).toEqual([1, 6]);
    expect(u64(ph + 0x08)).toBe(0x2000);
    expect([u64(ph + 0x10), u64(ph + 0x18)]).toEqual([0x101000, 0x101000]);
    expect([u64(ph + 0x20), u64(ph + 0x28), u64(ph + 0x30)]).toEqual([3, 0x18, 0x1000]);
  });

  it('stores each segment’s bytes at its p_offset', () => {
    expect([...elf.subarray(0x1000, 0x1005)]).toEqual([0x01, 0x01, 0x02, 0x68, 0x69]);
    expect([...elf.subarray(0x2000, 0x2003)]).toEqual([7, 8, 9]);
  });

  it('keeps p_offset % 4096 == p_va % 4096 for a base that is not page-aligned', () => {
    const image = sampleImage();
    const seg = { ...image.segments[0]!, va: 0x100234, pa: 0x100234 };
    const file = writeImage({ ...image, segments: [seg] });
    const offset = Number(new DataView(file.buffer).getBigUint64(0x48, true));
    expect(offset % 4096).toBe(0x234);
    expect(offset).toBe(0x234);
  });
});

describe('a loader written like k-loader.c', () => {
  it('finds the segments from the header fields alone and builds the memory image', () => {
    // program_load: check e_magic, walk e_phnum entries from e_phoff, copy
    // p_filesz bytes from p_offset to p_va and zero up to p_memsz, then jump to e_entry.
    const memory = new Uint8Array(0x102000).fill(0xee);
    expect(u32(0)).toBe(0x464c457f);
    for (let i = 0; i < u16(0x38); i++) {
      const ph = u64(0x20) + i * 56;
      if (u32(ph) !== 1) continue;
      const va = u64(ph + 0x10);
      memory.set(elf.subarray(u64(ph + 8), u64(ph + 8) + u64(ph + 0x20)), va);
      memory.fill(0, va + u64(ph + 0x20), va + u64(ph + 0x28));
    }
    expect([...memory.subarray(0x100000, 0x100006)]).toEqual([0x01, 0x01, 0x02, 0x68, 0x69, 0xee]);
    expect([...memory.subarray(0x101000, 0x101004)]).toEqual([7, 8, 9, 0]);
    expect(memory.subarray(0x101003, 0x101018).every((b) => b === 0)).toBe(true);
    expect(memory[0x101018]).toBe(0xee);
    expect(u64(0x18)).toBe(0x100000);
  });
});
