// The linker: places compiled modules (and embedded files) at a base
// address, resolves their symbols, patches their relocations and writes an
// ELF64 executable laid out as the handout's images are (FACTS.md sections 8
// and 9; the layout is described in image-layout.ts). Bad input gives
// diagnostics, never an exception (ARCHITECTURE.md, invariant 8).

import { ELF_PFLAG_EXEC, ELF_PFLAG_READ, ELF_PFLAG_WRITE } from '../../machine/image/elf';
import type { ImageDebugInfo } from '../../machine/image/image-debug-info';
import { elfSymbolOrder, symbolMap, type ImageSection, type ImageSegment, type ProgramImage } from '../../machine/image/program-image';
import { writeImage } from '../../machine/image/write-image';
import type { Diagnostic } from '../diagnostic';
import type { ObjectModule, SectionName } from '../object';
import { applyRelocations } from './apply-relocations';
import { layoutImage, sectionSize, type ImageLayout } from './image-layout';
import { embedSymbolName } from './embed-symbol-name';
import { linkDebugInfo } from './link-debug-info';
import { selectArchiveMembers } from './select-archive-members';
import { LinkDiagnostics } from './link-diagnostics';
import { buildSymbolTable, type SymbolTable } from './symbol-table';

export interface LinkOptions {
  readonly modules: readonly ObjectModule[];
  /** Where .text starts: 0x40000 for the kernel, 0x100000 for p-allocator. */
  readonly base: number;
  /** The symbol execution starts at: 'kernel' or 'process_main'. */
  readonly entry: string;
  /** Symbols at fixed addresses, as shared.ld gives `console = 0xB8000` and `cursorpos = 0xB8FFC`. */
  readonly fixedSymbols?: ReadonlyMap<string, number>;
  /** Files placed in the read-only part of the image, each with `_binary_<name>_start` and `_end` symbols. */
  readonly embeds?: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  /** The highest address the image may reach (its `end`), e.g. 0x7f000, the kernel stack page. */
  readonly limit?: number;
  /** The output's name, used in messages about the whole link (default '<link>'). */
  readonly output?: string;
  /** Library modules, linked only when needed, as members of a static library are (select-archive-members.ts). */
  readonly archive?: readonly ObjectModule[];
}

export interface LinkedImage extends ProgramImage {
  /** The ELF64 file. */
  readonly elf: Uint8Array;
  readonly debug: ImageDebugInfo;
}

export interface LinkResult {
  /** Present when the link produced no errors. */
  readonly image?: LinkedImage;
  readonly diagnostics: Diagnostic[];
}

const hex = (n: number): string => '0x' + n.toString(16);
/** The top of the canonical lower half: addresses must stay below it. */
const ADDRESS_LIMIT = 2 ** 47;

/** The file bytes of the text segment (text, rodata, embeds) and of the data segment (data only). */
function segmentBytes(modules: readonly ObjectModule[], layout: ImageLayout): { text: Uint8Array; data: Uint8Array } {
  const text = new Uint8Array(layout.rodataEnd - layout.base);
  const data = new Uint8Array(layout.dataEnd - layout.startData);
  modules.forEach((m, i) => {
    const at = layout.modules[i]!;
    text.set(m.text, at.text - layout.base);
    text.set(m.rodata, at.rodata - layout.base);
    data.set(m.data, at.data - layout.startData);
  });
  for (const e of layout.embeds) text.set(e.bytes, e.start - layout.base);
  return { text, data };
}

/** The largest module sections, for a message saying what makes an image too big. */
function largestSections(modules: readonly ObjectModule[]): string {
  const all = modules.flatMap((m) => (['text', 'rodata', 'data', 'bss'] as SectionName[]).map((s) => ({ what: `${m.path} .${s}`, size: sectionSize(m, s) })));
  return all
    .filter((x) => x.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((x) => `${x.what} (${hex(x.size)} bytes)`)
    .join(', ');
}

function checkOptions(options: LinkOptions, diags: LinkDiagnostics): boolean {
  if (!Number.isSafeInteger(options.base) || options.base < 0) diags.linkError(`the base address ${String(options.base)} is not a non-negative integer`);
  if (options.limit !== undefined && !(Number.isSafeInteger(options.limit) && options.limit >= 0)) diags.linkError(`the limit ${String(options.limit)} is not a non-negative integer`);
  for (const [name, address] of options.fixedSymbols ?? []) {
    if (!Number.isSafeInteger(address) || address < 0) diags.linkError(`the fixed address of '${name}' (${String(address)}) is not a non-negative integer`);
  }
  return !diags.hasErrors;
}

function checkEntry(options: LinkOptions, table: SymbolTable, layout: ImageLayout, diags: LinkDiagnostics): number {
  const sym = table.global(options.entry);
  if (!sym) {
    const local = table.list.find((s) => s.name === options.entry);
    diags.linkError(local ? `the entry symbol '${options.entry}' is static in ${local.module}; it must be global` : `the entry symbol '${options.entry}' is not defined`);
    return 0;
  }
  if (!(sym.address >= layout.base && sym.address < layout.textEnd)) diags.linkError(`the entry symbol '${options.entry}' (${hex(sym.address)}) is not code: it is not in .text`);
  return sym.address;
}

function checkLimit(options: LinkOptions, layout: ImageLayout, diags: LinkDiagnostics): void {
  // `end` is at or above everything placed: the data segment starts after the text segment.
  const top = layout.end;
  if (top >= ADDRESS_LIMIT) diags.linkError(`the image ends at ${hex(top)}, beyond the canonical lower half`);
  if (options.limit === undefined || top <= options.limit) return;
  const segment = layout.end > layout.startData && layout.end > options.limit ? `data segment [${hex(layout.startData)}, ${hex(layout.end)})` : `text segment [${hex(layout.base)}, ${hex(layout.rodataEnd)})`;
  diags.linkError(
    `the image ends at ${hex(top)}, ${hex(top - options.limit)} bytes past its limit ${hex(options.limit)}: the ${segment} overlaps [${hex(options.limit)}, ...), where nothing may be placed; the largest sections are ${largestSections(options.modules)}`,
  );
}

export function link(options: LinkOptions): LinkResult {
  const diags = new LinkDiagnostics(options.output ?? '<link>');
  if (!checkOptions(options, diags)) return { diagnostics: diags.all };
  const provided = new Set([...(options.fixedSymbols?.keys() ?? []), ...(options.embeds ?? []).flatMap((e) => [`${embedSymbolName(e.name)}_start`, `${embedSymbolName(e.name)}_end`])]);
  const modules = options.archive ? [...options.modules, ...selectArchiveMembers(options.modules, options.archive, provided)] : options.modules;
  const layout = layoutImage(modules, options.embeds ?? [], options.base);
  const table = buildSymbolTable(modules, layout, options.fixedSymbols ?? new Map(), diags);
  const buffers = segmentBytes(modules, layout);
  applyRelocations(modules, layout, table, buffers, diags);
  const entry = checkEntry(options, table, layout, diags);
  checkLimit(options, layout, diags);
  if (diags.hasErrors) return { diagnostics: diags.all };

  const segments: ImageSegment[] = [];
  if (layout.rodataEnd > layout.base) {
    segments.push({ va: layout.base, pa: layout.base, fileSize: buffers.text.length, memSize: buffers.text.length, flags: ELF_PFLAG_READ | ELF_PFLAG_EXEC, bytes: buffers.text });
  }
  if (layout.end > layout.startData) {
    segments.push({ va: layout.startData, pa: layout.startData, fileSize: buffers.data.length, memSize: layout.end - layout.startData, flags: ELF_PFLAG_READ | ELF_PFLAG_WRITE, bytes: buffers.data });
  }
  const sections: ImageSection[] = [
    { name: 'text', va: layout.base, size: layout.textEnd - layout.base },
    { name: 'rodata', va: layout.textEnd, size: layout.rodataEnd - layout.textEnd },
    { name: 'data', va: layout.startData, size: layout.dataEnd - layout.startData },
    { name: 'bss', va: layout.dataEnd, size: layout.end - layout.dataEnd },
  ];
  const symbolList = elfSymbolOrder(table.list);
  const { debug, lines } = linkDebugInfo(modules, layout, table);
  const image: Omit<LinkedImage, 'elf'> = { entry, segments, sections, symbolList, symbols: symbolMap(symbolList), lines, debug };
  return { image: { ...image, elf: writeImage(image) }, diagnostics: diags.all };
}
