// Source locations <-> addresses over the kernel image and the six program
// images, and symbol lookup for function breakpoints.
//
// - A breakpoint line moves to the nearest following line that starts a
//   statement in some image; it is set at the lowest statement address of
//   that line in each function of each image holding it. So a line of
//   p-allocator.c gets one address in each of the four p-allocator images,
//   and one in a header's static inline function gets one per image using it.
// - Programs overlap (p-allocator, p-fork and p-forkexit all start at
//   0x100000): which program a user address belongs to is decided by the
//   bytes in memory, read through the process's page table (see
//   `programAt`): the image whose code at that function matches what is
//   loaded there. This follows fork (copied pages), soft reboots and
//   student loaders alike, with no bookkeeping of program_load calls.

import type { LinkedImage } from '../cc/link/link';
import type { WeensyBuild } from '../weensyos/build-weensyos';
import { ELF_PFLAG_EXEC } from '../machine/image/elf';
import type { ImageDebugFunction, ImageDebugUnit, ImageLineRow } from '../machine/image/image-debug-info';
import type { BreakpointLocation } from './debug-types';
import { rowIndexAt } from './line-rows';

export interface MappedImage {
  /** 'kernel' or the program's name. */
  readonly name: string;
  readonly image: LinkedImage;
  readonly user: boolean;
  /** The text segment: [textStart, textEnd) with its bytes. */
  readonly textStart: number;
  readonly textEnd: number;
  readonly text: Uint8Array;
  /** Functions sorted by start address. */
  readonly functions: readonly MappedFunction[];
}

export interface MappedFunction {
  readonly fn: ImageDebugFunction;
  readonly unit: ImageDebugUnit;
  /** Where the body starts: the first line-table row after the prologue's (fn.start if none). */
  readonly bodyStart: number;
}

export interface CodeLocation {
  readonly image: MappedImage;
  readonly function?: MappedFunction;
  /** The line-table row covering the address. */
  readonly row?: ImageLineRow;
}

export interface ResolvedLine {
  readonly line: number;
  readonly locations: readonly BreakpointLocation[];
}

/** Reads `length` bytes of code at a virtual address of the relevant address space, or undefined. */
export type CodeReader = (address: number, length: number) => Uint8Array | undefined;

export class ProgramMap {
  readonly images: readonly MappedImage[];
  readonly kernel: MappedImage;
  readonly programs: readonly MappedImage[];
  private readonly byName = new Map<string, MappedImage>();

  constructor(build: Pick<WeensyBuild, 'programs'> & { readonly kernel: LinkedImage }) {
    this.kernel = mapImage('kernel', build.kernel, false);
    this.programs = build.programs.map((p) => mapImage(p.name, p.image, true));
    this.images = [this.kernel, ...this.programs];
    for (const i of this.images) this.byName.set(i.name, i);
  }

  image(name: string): MappedImage | undefined {
    return this.byName.get(name);
  }

  /** Every source file some line-table row names. */
  sourceFiles(): string[] {
    const files = new Set<string>();
    for (const i of this.images) for (const r of i.image.lines) files.add(r.range.start.file);
    return [...files].sort();
  }

  /**
   * The statement line at or after `line` in `path`, and its addresses in
   * every image; undefined if no code follows the line in that file.
   */
  resolveLine(path: string, line: number): ResolvedLine | undefined {
    let best = Infinity;
    for (const i of this.images) {
      for (const r of i.image.lines) {
        if (r.isStatement && r.range.start.line >= line && r.range.start.line < best && r.range.start.file === path) best = r.range.start.line;
      }
    }
    if (best === Infinity) return undefined;
    const locations: BreakpointLocation[] = [];
    for (const i of this.images) {
      // The lowest address of the line in each function.
      const perFunction = new Map<MappedFunction | undefined, number>();
      for (const r of i.image.lines) {
        if (!r.isStatement || r.range.start.line !== best || r.range.start.file !== path) continue;
        const f = functionIn(i, r.address);
        const seen = perFunction.get(f);
        if (seen === undefined || r.address < seen) perFunction.set(f, r.address);
      }
      for (const address of [...perFunction.values()].sort((a, b) => a - b)) locations.push({ image: i.name, address });
    }
    return { line: best, locations };
  }

  /**
   * The body start of every function called `name` (static ones included):
   * "name", "file.c::name" (a unit's file, by its last path component or in
   * full) or "image::name" ("p-fork::process_main", "kernel::exception").
   */
  resolveFunction(name: string): BreakpointLocation[] {
    let qualifier: string | undefined;
    let bare = name.trim();
    const sep = bare.lastIndexOf('::');
    if (sep >= 0) {
      qualifier = bare.slice(0, sep).trim();
      bare = bare.slice(sep + 2).trim();
    }
    const out: BreakpointLocation[] = [];
    for (const i of this.images) {
      const imageMatches = qualifier === undefined || qualifier === i.name;
      for (const f of i.functions) {
        if (f.fn.name !== bare) continue;
        const unitMatches = qualifier !== undefined && (f.unit.path === qualifier || baseName(f.unit.path) === qualifier);
        if (imageMatches || unitMatches) out.push({ image: i.name, address: f.bodyStart });
      }
    }
    return out;
  }

  /** The kernel function called `name` (first found), for internal breakpoints. */
  kernelFunction(name: string): MappedFunction | undefined {
    return this.kernel.functions.find((f) => f.fn.name === name);
  }

  /** Images whose text holds `address` (in user mode, programs; in kernel mode, the kernel). */
  candidates(address: number, user: boolean): MappedImage[] {
    const list = user ? this.programs : [this.kernel];
    return list.filter((i) => address >= i.textStart && address < i.textEnd);
  }

  /**
   * The image running at `address`: the kernel in kernel mode; in user mode
   * the program whose code there matches memory (read through `read`, the
   * process's address space). The function's bytes decide; if several
   * programs have identical bytes there, the whole text segment does.
   */
  imageAt(address: number, user: boolean, read: CodeReader): MappedImage | undefined {
    const list = this.candidates(address, user);
    if (list.length <= 1) return list[0];
    const byFunction = list.filter((i) => {
      const f = functionIn(i, address);
      const start = f ? f.fn.start : address;
      const end = f ? f.fn.end : Math.min(address + 16, i.textEnd);
      return sameBytes(i, start, end, read);
    });
    if (byFunction.length === 1) return byFunction[0];
    const pool = byFunction.length > 0 ? byFunction : list;
    return pool.find((i) => sameBytes(i, i.textStart, i.textEnd, read)) ?? pool[0];
  }

  /** Function and line-table row of `address` in `image`. */
  locate(image: MappedImage, address: number): CodeLocation {
    const f = functionIn(image, address);
    const row = rowAt(image.image.lines, address);
    return { image, ...(f ? { function: f } : {}), ...(row && (!f || row.address >= f.fn.start) ? { row } : {}) };
  }

  /** The row starting exactly at `address`, if any. */
  rowStartingAt(image: MappedImage, address: number): ImageLineRow | undefined {
    const row = rowAt(image.image.lines, address);
    return row && row.address === address ? row : undefined;
  }

  /**
   * The range of addresses [start, end) around `address` whose rows all
   * belong to the same source line, within its function: what "the current
   * line" means to line stepping.
   */
  lineRange(image: MappedImage, address: number): { start: number; end: number; file: string; line: number } | undefined {
    const lines = image.image.lines;
    const i = rowIndexAt(lines, address);
    if (i < 0) return undefined;
    const f = functionIn(image, address);
    const row = lines[i]!;
    const same = (r: ImageLineRow): boolean => r.range.start.line === row.range.start.line && r.range.start.file === row.range.start.file;
    let a = i;
    while (a > 0 && same(lines[a - 1]!) && (!f || lines[a - 1]!.address >= f.fn.start)) a--;
    let b = i + 1;
    while (b < lines.length && same(lines[b]!) && (!f || lines[b]!.address < f.fn.end)) b++;
    const end = b < lines.length ? lines[b]!.address : f ? f.fn.end : image.textEnd;
    return { start: lines[a]!.address, end: f ? Math.min(end, f.fn.end) : end, file: row.range.start.file, line: row.range.start.line };
  }

  /** The function of `image` holding `address`. */
  functionAt(image: MappedImage, address: number): MappedFunction | undefined {
    return functionIn(image, address);
  }
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

function mapImage(name: string, image: LinkedImage, user: boolean): MappedImage {
  const seg = image.segments.find((s) => s.flags & ELF_PFLAG_EXEC) ?? image.segments[0];
  const text = image.sections.find((s) => s.name === 'text');
  const textStart = text?.va ?? seg?.va ?? 0;
  const textEnd = text ? text.va + text.size : (seg ? seg.va + seg.fileSize : 0);
  const bytes = seg ? seg.bytes.subarray(Math.max(0, textStart - seg.va), Math.max(0, textEnd - seg.va)) : new Uint8Array(0);
  const functions: MappedFunction[] = [];
  for (const unit of image.debug?.units ?? []) {
    for (const fn of unit.functions) {
      const rows = image.lines.filter((r) => r.address > fn.start && r.address < fn.end && r.isStatement);
      functions.push({ fn, unit, bodyStart: rows.length > 0 ? Math.min(...rows.map((r) => r.address)) : fn.start });
    }
  }
  functions.sort((a, b) => a.fn.start - b.fn.start);
  return { name, image, user, textStart, textEnd, text: bytes, functions };
}

function functionIn(image: MappedImage, address: number): MappedFunction | undefined {
  const fs = image.functions;
  let lo = 0;
  let hi = fs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fs[mid]!;
    if (address < f.fn.start) hi = mid - 1;
    else if (address >= f.fn.end) lo = mid + 1;
    else return f;
  }
  return undefined;
}


function rowAt(lines: readonly ImageLineRow[], address: number): ImageLineRow | undefined {
  const i = rowIndexAt(lines, address);
  return i >= 0 ? lines[i] : undefined;
}

function sameBytes(image: MappedImage, start: number, end: number, read: CodeReader): boolean {
  const got = read(start, end - start);
  if (!got) return false;
  const off = start - image.textStart;
  for (let k = 0; k < end - start; k++) if (got[k] !== image.text[off + k]) return false;
  return true;
}
