// loadImage copies each segment to physical memory at p_pa and zeroes the
// bytes from p_filesz to p_memsz, leaving everything else alone.

import { describe, expect, it } from 'vitest';
import { loadImage } from '../../emulator/machine/image/load-image';
import { readImage } from '../../emulator/machine/image/read-image';
import { writeImage } from '../../emulator/machine/image/write-image';
import { PhysicalMemory } from '../../emulator/machine/physical-memory';
import { sampleImage } from './sample-image';

describe('loadImage', () => {
  it('copies file bytes, zero-fills bss and touches nothing past p_memsz', () => {
    const memory = new PhysicalMemory(0x200000);
    memory.bytes.fill(0xee);
    const { image } = readImage(writeImage(sampleImage()));
    expect(loadImage(memory, image!)).toEqual([]);
    expect([...memory.readBytes(0xfffff, 7)]).toEqual([0xee, 0x01, 0x01, 0x02, 0x68, 0x69, 0xee]);
    expect([...memory.readBytes(0x101000, 3)]).toEqual([7, 8, 9]);
    expect(memory.readBytes(0x101003, 0x15).every((b) => b === 0)).toBe(true);
    expect(memory.bytes[0x101018]).toBe(0xee);
    expect(memory.bytes[0x100fff]).toBe(0xee);
  });

  it('reports a segment that does not fit in RAM and writes none of it', () => {
    const memory = new PhysicalMemory(0x101000);
    const problems = loadImage(memory, sampleImage());
    expect(problems).toEqual(['the segment at 0x101000 (0x18 bytes) does not fit in 0x101000 bytes of RAM']);
    expect(memory.unbackedWrites).toBe(0);
    expect(memory.bytes[0x100000]).toBe(0x01);
  });

  it('loads at p_pa, which a loader may set apart from p_va', () => {
    const memory = new PhysicalMemory(0x200000);
    const image = sampleImage();
    const moved = { segments: [{ ...image.segments[0]!, pa: 0x8000 }] };
    loadImage(memory, moved);
    expect([...memory.readBytes(0x8000, 5)]).toEqual([0x01, 0x01, 0x02, 0x68, 0x69]);
    expect(memory.bytes[0x100000]).toBe(0);
  });
});
