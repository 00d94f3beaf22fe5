// The built-in loader: copies each PT_LOAD segment of an image into
// physical memory at its p_pa (the same as p_va in our images, since
// WeensyOS maps the kernel and the initial processes identity) and zeroes
// the bytes from p_filesz up to p_memsz, as the boot loader and k-loader.c
// do for .bss.

import type { PhysicalMemory } from '../physical-memory';
import type { ImageSegment } from './program-image';

const hex = (n: number): string => '0x' + n.toString(16);

/**
 * Loads the segments and returns what could not be loaded (a segment that
 * does not fit in RAM); nothing is written for such a segment. The caller
 * sets rip to the image's entry.
 */
export function loadImage(memory: PhysicalMemory, image: { readonly segments: readonly ImageSegment[] }): string[] {
  const problems: string[] = [];
  for (const s of image.segments) {
    if (s.pa < 0 || s.pa + s.memSize > memory.size) {
      problems.push(`the segment at ${hex(s.pa)} (${hex(s.memSize)} bytes) does not fit in ${hex(memory.size)} bytes of RAM`);
      continue;
    }
    memory.writeBytes(s.pa, s.bytes.subarray(0, s.fileSize));
    if (s.memSize > s.fileSize) memory.writeBytes(s.pa + s.fileSize, new Uint8Array(s.memSize - s.fileSize));
  }
  return problems;
}
