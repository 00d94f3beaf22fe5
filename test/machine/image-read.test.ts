// readImage turns the bytes writeImage makes back into the same image, and
// answers malformed input (truncated, corrupted, foreign or random bytes)
// with located messages, never with an exception.

import { describe, expect, it } from 'vitest';
import { readImage } from '../../emulator/machine/image/read-image';
import { writeImage } from '../../emulator/machine/image/write-image';
import { sampleImage } from './sample-image';
import { xorshift } from '../support/xorshift';

const elf = writeImage(sampleImage());

/** A copy of the sample ELF with `patch` applied through a DataView. */
function patched(patch: (dv: DataView, bytes: Uint8Array) => void): Uint8Array {
  const copy = elf.slice();
  patch(new DataView(copy.buffer), copy);
  return copy;
}


const DEBUG_HEADER = 8;
const sectionOffset = (dv: DataView, index: number): number => Number(dv.getBigUint64(Number(dv.getBigUint64(0x28, true)) + index * 64 + 0x18, true));

describe('readImage round trip', () => {
  it('reads back everything writeImage wrote', () => {
    const { image, errors } = readImage(elf);
    expect(errors).toEqual([]);
    const original = sampleImage();
    expect(image!.entry).toBe(original.entry);
    expect(image!.segments).toEqual(original.segments);
    expect(image!.sections).toEqual(original.sections);
    expect(image!.symbolList).toEqual(original.symbolList);
    expect(image!.symbols).toEqual(original.symbols);
    expect(image!.lines).toEqual(original.lines);
    expect(image!.debug).toEqual(original.debug);
  });

  it('finds statics by module and, when unambiguous, by plain name', () => {
    const { image } = readImage(elf);
    expect(image!.symbols.get('p.c::seed')!.address).toBe(0x101003);
    expect(image!.symbols.get('lib.c::seed')!.address).toBe(0x101008);
    expect(image!.symbols.has('seed')).toBe(false);
    expect(image!.symbols.get('table')!.module).toBe('lib.c');
  });

  it('reads a stripped image without debug information or the modules of globals', () => {
    const { image, errors } = readImage(writeImage(sampleImage(), { debug: false }));
    expect(errors).toEqual([]);
    expect(image!.debug).toBeUndefined();
    expect(image!.lines).toEqual([]);
    expect(image!.symbols.get('table')!.module).toBeNull();
    expect(image!.symbols.get('p.c::seed')!.module).toBe('p.c');
  });

  it('reads an image held in a larger buffer at an offset', () => {
    const big = new Uint8Array(elf.length + 16);
    big.set(elf, 16);
    expect(readImage(big.subarray(16)).image!.entry).toBe(0x100000);
  });
});

describe('readImage on malformed input', () => {
  const errorsOf = (bytes: Uint8Array): string[] => readImage(bytes).errors;

  it('rejects a file shorter than the header and a file that is not ELF', () => {
    expect(errorsOf(new Uint8Array(10))).toEqual(['offset 0x0 (elf_header): the file is 10 bytes, shorter than the 64-byte ELF header']);
    expect(errorsOf(new TextEncoder().encode('#!/bin/sh\n'.padEnd(80, ' ')))).toEqual([
      'offset 0x0 (e_magic): 0x622f2123 is not ELF_MAGIC 0x464c457f ("\\x7fELF"): not an ELF file',
    ]);
  });

  it('names gcc-built x86-64 code and 32-bit files', () => {
    expect(errorsOf(patched((dv) => dv.setUint16(0x12, 0x3e, true)))).toEqual(['offset 0x12 (e_machine): 0x3e is x86-64 code (built by gcc?); WeensyScope runs WS64 images (0x5753)']);
    expect(errorsOf(patched((_, b) => (b[4] = 1)))).toEqual(['offset 0x4 (EI_CLASS): 1 is not 2 (ELF64)']);
  });

  it('rejects program headers past the end of the file', () => {
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x20, 0x10000n, true)))).toEqual([
      `offset 0x20 (e_phoff): 2 program headers at 0x10000 run past the end of the file (0x${elf.length.toString(16)} bytes)`,
    ]);
  });

  it('rejects a segment with p_filesz above p_memsz, or whose bytes are past the end', () => {
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x40 + 0x20, 6n, true)))).toEqual(['offset 0x60 (program header 0 p_filesz): 0x6 is larger than p_memsz 0x5']);
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x40 + 56 + 0x08, 0x7fff000n, true)))).toEqual([
      `offset 0x80 (program header 1 p_offset): the segment's 0x3 bytes at 0x7fff000 run past the end of the file (0x${elf.length.toString(16)} bytes)`,
    ]);
  });

  it('rejects overlapping segments and an offset not congruent to the address', () => {
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x40 + 56 + 0x10, 0x100000n, true)))).toEqual([
      'offset 0x88 (program header 1 p_va): the segment [0x100000, 0x100018) overlaps the segment at 0x100000',
    ]);
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x40 + 0x08, 0x1001n, true)))).toEqual(['offset 0x48 (program header 0 p_offset): 0x1001 and p_va 0x100000 differ modulo p_align 0x1000']);
  });

  it('rejects an entry point outside the executable segment', () => {
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x18, 0x101000n, true)))).toEqual(['offset 0x18 (e_entry): 0x101000 is not inside an executable segment']);
  });

  it('rejects 64-bit fields too large to be addresses', () => {
    expect(errorsOf(patched((dv) => dv.setBigUint64(0x18, 0xffffffff00000000n, true)))).toEqual(['offset 0x18 (e_entry): value 0xffffffff00000000 is too large']);
  });

  it('reports a damaged debug section at its offset', () => {
    const bytes = patched((dv, b) => b.fill(0x20, sectionOffset(dv, DEBUG_HEADER), sectionOffset(dv, DEBUG_HEADER) + 4));
    const errors = errorsOf(bytes);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^offset 0x[0-9a-f]+ \(\.weensy\.debug\): not valid UTF-8 JSON/);
  });

  it('returns errors for every truncation of a valid image, and never throws', () => {
    for (let n = 0; n < elf.length; n++) {
      const result = readImage(elf.subarray(0, n));
      expect(result.errors.length, `truncated to ${n} bytes`).toBeGreaterThan(0);
      expect(result.image).toBeUndefined();
    }
  });

  it('never throws on random bytes or on random corruptions of a valid image', () => {
    const rand = xorshift(0x5eed);
    for (let k = 0; k < 300; k++) {
      const junk = new Uint8Array(rand() % 600).map(() => rand() & 0xff);
      if (k % 2 === 0 && junk.length >= 4) junk.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1].slice(0, junk.length));
      expect(() => readImage(junk)).not.toThrow();
      const corrupt = elf.slice();
      for (let j = 0; j < 4; j++) corrupt[rand() % corrupt.length] = rand() & 0xff;
      const result = readImage(corrupt);
      expect(result.image === undefined).toBe(result.errors.length > 0);
    }
  });
});
