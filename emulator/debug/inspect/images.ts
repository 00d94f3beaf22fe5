// Which image a piece of code belongs to (the kernel, or which of the six
// programs), and which function and compilation unit an address is in.
// The programs overlap (p-allocator, p-fork and p-forkexit all start at
// 0x100000), so a program is recognized by its text bytes in memory.

import type { LinkedImage } from '../../cc/link/link';
import { ELF_PFLAG_EXEC } from '../../machine/image/elf';
import type { ImageDebugFunction, ImageDebugUnit, ImageLineRow } from '../../machine/image/image-debug-info';
import type { Machine } from '../../machine/machine';
import { readSpace, type AddressSpace } from './address-space';
import type { FrameContext, InspectBuild, InspectProgram } from './frame-context';

function textSegment(image: LinkedImage): { va: number; bytes: Uint8Array } | undefined {
  const seg = image.segments.find((s) => s.flags & ELF_PFLAG_EXEC);
  return seg ? { va: seg.va, bytes: seg.bytes } : undefined;
}

function inText(image: LinkedImage, address: number): boolean {
  const text = image.sections.find((s) => s.name === 'text');
  return text !== undefined && address >= text.va && address < text.va + text.size;
}

/** True if the image's text is what memory holds at its address in `space`. */
export function imageLoadedIn(machine: Machine, space: AddressSpace, image: LinkedImage): boolean {
  const text = textSegment(image);
  if (!text) return false;
  const got = readSpace(machine, space, text.va, text.bytes.length);
  if (got.error) return false;
  for (let i = 0; i < text.bytes.length; i++) if (got.bytes[i] !== text.bytes[i]) return false;
  return true;
}

/** The program an address space runs (the first whose text is loaded there), or undefined. */
export function programIn(machine: Machine, build: InspectBuild, space: AddressSpace): InspectProgram | undefined {
  return build.programs.find((p) => imageLoadedIn(machine, space, p.image));
}

/** The image a frame's code is in: the context's own, the kernel's, or the program loaded at rip. */
export function imageAt(ctx: FrameContext, space: AddressSpace): LinkedImage | undefined {
  if (ctx.image) return ctx.image;
  if (inText(ctx.build.kernel, ctx.rip)) return ctx.build.kernel;
  const candidates = ctx.build.programs.filter((p) => inText(p.image, ctx.rip));
  if (candidates.length <= 1) return candidates[0]?.image;
  return candidates.find((p) => imageLoadedIn(ctx.machine, space, p.image))?.image ?? candidates[0]!.image;
}

/** The name of an image: 'kernel' or the program's name. */
export function imageName(build: InspectBuild, image: LinkedImage): string {
  if (image === build.kernel) return 'kernel';
  return build.programs.find((p) => p.image === image)?.name ?? 'image';
}

export interface FunctionAt {
  readonly unit: ImageDebugUnit;
  readonly fn: ImageDebugFunction;
}

/** The function whose code holds `address`. */
export function functionAt(image: LinkedImage | undefined, address: number): FunctionAt | undefined {
  if (!image?.debug) return undefined;
  for (const unit of image.debug.units) {
    for (const fn of unit.functions) if (address >= fn.start && address < fn.end) return { unit, fn };
  }
  return undefined;
}

/** The line-table row covering `address` (the last row at or before it), or undefined. */
export function lineAt(image: LinkedImage | undefined, address: number): ImageLineRow | undefined {
  if (!image) return undefined;
  const lines = image.lines;
  let lo = 0;
  let hi = lines.length - 1;
  let found: ImageLineRow | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.address <= address) {
      found = lines[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * Where a function's body starts: the address of the second line-table row
 * in it (the first is the prologue, on the function's opening line). Before
 * it, parameters are still in their argument registers.
 */
export function bodyStart(image: LinkedImage, fn: ImageDebugFunction): number {
  const rows = image.lines.filter((l) => l.address > fn.start && l.address < fn.end);
  return rows[0]?.address ?? fn.start;
}

/** "virtual_memory_map+0x12": the symbol containing `address` and the offset; undefined when none does. */
export function symbolize(build: InspectBuild, address: number, prefer?: LinkedImage): string | undefined {
  const images = prefer && prefer !== build.kernel ? [prefer, build.kernel] : [build.kernel];
  for (const image of images) {
    let best: { name: string; address: number } | undefined;
    for (const s of image.symbolList) {
      if (s.section === 'absolute' || s.name.startsWith('_binary_')) continue;
      const contains = s.size > 0 ? address >= s.address && address < s.address + s.size : address === s.address;
      if (contains && (!best || s.address > best.address)) best = s;
    }
    if (best) {
      const off = address - best.address;
      return off === 0 ? best.name : `${best.name}+0x${off.toString(16)}`;
    }
  }
  return undefined;
}
