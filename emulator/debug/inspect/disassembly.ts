// DAP disassemble: WS64 instructions around an address, read through an
// address space (the pure walk), each with its bytes, the function it
// starts (symbol) and the source line the line table gives it. Decoding
// starts at function starts, so instructions before the address are found
// without guessing where they begin.

import type { LinkedImage } from '../../cc/link/link';
import { hex } from '../../machine/hex';
import { disassembleOne } from '../../machine/isa/disassembler';
import type { Machine } from '../../machine/machine';
import { PHYSICAL, readSpace, type AddressSpace } from './address-space';
import type { InspectBuild } from './frame-context';
import { imageLoadedIn } from './images';
import { kernelView } from './kernel-view';
import { parseMemoryReference } from './memory';
import { rowIndexAt } from '../line-rows';

export interface DisassembledLine {
  /** The instruction's address, as DAP wants it (hex string). */
  readonly address: string;
  readonly addressValue: number;
  /** "0a 03 10 00", or absent for an unreadable address. */
  readonly instructionBytes?: string;
  /** "ld64 rax, [rbp-0x8]", "(bad)", or "??" (unreadable). */
  readonly instruction: string;
  /** The function this instruction starts, if it starts one. */
  readonly symbol?: string;
  /** Source position from the line table, on each instruction that starts a line-table row (and the first). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** 'invalid' for addresses that hold no readable instruction. */
  readonly presentationHint?: 'invalid';
}

interface Decoded {
  readonly address: number;
  readonly length: number;
  readonly bytes?: Uint8Array;
  readonly text: string;
  readonly image?: LinkedImage;
}

function textRange(image: LinkedImage): { start: number; end: number } | undefined {
  const t = image.sections.find((s) => s.name === 'text');
  return t ? { start: t.va, end: t.va + t.size } : undefined;
}

/** The image whose text holds `address` in `space` (kernel first; among overlapping programs, the one loaded there). */
function imageFor(machine: Machine, build: InspectBuild, space: AddressSpace, address: number): LinkedImage | undefined {
  const inside = (img: LinkedImage): boolean => {
    const r = textRange(img);
    return r !== undefined && address >= r.start && address < r.end;
  };
  if (inside(build.kernel)) return build.kernel;
  const programs = build.programs.filter((p) => inside(p.image));
  if (programs.length <= 1) return programs[0]?.image;
  return programs.find((p) => imageLoadedIn(machine, space, p.image))?.image ?? programs[0]!.image;
}

function decodeRange(machine: Machine, space: AddressSpace, start: number, end: number, image?: LinkedImage): Decoded[] {
  const out: Decoded[] = [];
  const got = readSpace(machine, space, start, end - start);
  let at = start;
  while (at < end) {
    const off = at - start;
    if (off >= got.bytes.length) {
      out.push({ address: at, length: 1, text: '??' });
      at++;
      continue;
    }
    const d = disassembleOne(got.bytes.subarray(off, Math.min(got.bytes.length, off + 16)), at);
    out.push({ address: at, length: d.length, bytes: d.bytes, text: d.text, ...(image ? { image } : {}) });
    at += d.length;
  }
  return out;
}

/**
 * DAP disassemble: `instructionCount` instructions, starting `instructionOffset`
 * instructions from the one at `reference` + `offset`. Never throws.
 */
export function disassembleAround(
  machine: Machine, build: InspectBuild, reference: string, offset: number, instructionOffset: number, instructionCount: number, frameSpace?: AddressSpace,
): { readonly ok: true; readonly instructions: DisassembledLine[] } | { readonly ok: false; readonly error: string } {
  const parsed = parseMemoryReference(reference, kernelView(machine, build));
  if (!parsed) return { ok: false, error: `'${reference}' is not a memory reference` };
  if (!Number.isSafeInteger(instructionCount) || instructionCount < 0 || instructionCount > 100000) return { ok: false, error: 'instructionCount must be between 0 and 100000' };
  const space = parsed.space === 'frame' ? (frameSpace ?? PHYSICAL) : parsed.space;
  const target = parsed.address + (offset | 0);
  const image = imageFor(machine, build, space, target);
  let list: Decoded[];
  const range = image ? textRange(image) : undefined;
  if (image && range) {
    // Decode the image's text function by function (gaps between functions as they come).
    const fns = (image.debug?.units ?? []).flatMap((u) => u.functions).sort((a, b) => a.start - b.start);
    list = [];
    let at = range.start;
    for (const fn of fns) {
      if (fn.start > at) list.push(...decodeRange(machine, space, at, fn.start, image));
      if (fn.end > Math.max(at, fn.start)) list.push(...decodeRange(machine, space, Math.max(at, fn.start), fn.end, image));
      at = Math.max(at, fn.end);
    }
    if (at < range.end) list.push(...decodeRange(machine, space, at, range.end, image));
  } else {
    list = decodeRange(machine, space, target, target + Math.max(16, (instructionOffset + instructionCount) * 16));
  }
  let index = list.findIndex((d) => target >= d.address && target < d.address + d.length);
  if (index < 0) {
    list = decodeRange(machine, space, target, target + Math.max(16, (Math.max(0, instructionOffset) + instructionCount) * 16));
    index = 0;
  }
  const first = index + instructionOffset;
  const out: DisassembledLine[] = [];
  let lastRow: number | undefined;
  for (let i = first; i < first + instructionCount; i++) {
    const d = list[i];
    if (!d) {
      // Before the start or past the end of what can be decoded: placeholders, one byte each.
      const edge = i < 0 ? list[0]!.address + i : (list[list.length - 1]?.address ?? target) + (list[list.length - 1]?.length ?? 0) + (i - list.length);
      out.push({ address: hex(edge), addressValue: edge, instruction: '??', presentationHint: 'invalid' });
      continue;
    }
    const fn = d.image?.debug?.units.flatMap((u) => u.functions).find((f) => f.start === d.address);
    const rowIndex = d.image ? rowIndexAt(d.image.lines, d.address) : -1;
    const row = rowIndex >= 0 ? d.image!.lines[rowIndex] : undefined;
    const showSource = row !== undefined && (row.address === d.address || out.length === 0 || rowIndex !== lastRow);
    lastRow = rowIndex;
    out.push({
      address: hex(d.address), addressValue: d.address,
      ...(d.bytes ? { instructionBytes: Array.from(d.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') } : {}),
      instruction: d.text,
      ...(fn ? { symbol: fn.name } : {}),
      ...(showSource && row ? { file: row.range.start.file, line: row.range.start.line, column: row.range.start.column, endLine: row.range.end.line, endColumn: row.range.end.column } : {}),
      ...(d.text === '??' || d.text === '(bad)' ? { presentationHint: 'invalid' as const } : {}),
    });
  }
  return { ok: true, instructions: out };
}

