// Writes a ProgramImage as an ELF64 little-endian executable, laid out as
// FACTS.md section 9 describes so that the handout's k-loader.c (or a
// student's) can load it from the bytes alone:
//
//   0x0000  elf_header (64 bytes), e_phoff = 0x40
//   0x0040  one elf_program (56 bytes) per PT_LOAD segment
//   ......  padding, then each segment's file bytes at an offset with
//           p_offset % 4096 == p_va % 4096 (0x1000 for a page-aligned base)
//   ......  .symtab, .strtab, .shstrtab, .weensy.debug (not loaded)
//   ......  the section header table, e_shoff
//
// Section headers: [0] null, the loaded sections (.text .rodata .data .bss),
// .symtab, .strtab, .shstrtab and, unless stripped, .weensy.debug.

import { encodeDebugSection } from './debug-section';
import {
  DEBUG_SECTION_NAME, EH, ELF_HEADER_SIZE, ELF_MAGIC, ELF_PROGRAM_SIZE, ELF_PTYPE_LOAD, ELF_SECTION_SIZE, ELF_SEGMENT_ALIGN, ELF_SYMBOL_SIZE,
  ELFCLASS64, ELFDATA2LSB, EM_WS64, ET_EXEC, EV_CURRENT, PH, SH, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHT_NOBITS, SHT_PROGBITS,
  SHT_STRTAB, SHT_SYMTAB, ST, STB_GLOBAL, STB_LOCAL, STT_FILE, STT_FUNC, STT_NOTYPE, STT_OBJECT,
} from './elf';
import { elfSymbolOrder, type ImageSectionName, type ProgramImage } from './program-image';

export interface WriteImageOptions {
  /** Include the `.weensy.debug` section (default true). Images embedded in a kernel are written without it to save room. */
  readonly debug?: boolean;
}

/** The ELF name of each loaded section. */
export const ELF_SECTION_NAMES: Readonly<Record<ImageSectionName, string>> = { text: '.text', rodata: '.rodata', data: '.data', bss: '.bss' };

const SECTION_FLAGS: Readonly<Record<ImageSectionName, number>> = {
  text: SHF_ALLOC | SHF_EXECINSTR,
  rodata: SHF_ALLOC,
  data: SHF_ALLOC | SHF_WRITE,
  bss: SHF_ALLOC | SHF_WRITE,
};

const KIND_TYPE = { function: STT_FUNC, object: STT_OBJECT, notype: STT_NOTYPE } as const;

/** An ELF string table under construction: offset 0 is the empty string. */
class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private readonly offsets = new Map<string, number>([['', 0]]);
  size = 1;
  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(s + '\0');
    this.offsets.set(s, this.size);
    this.parts.push(bytes);
    this.size += bytes.length;
    return this.offsets.get(s)!;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

interface SectionHeader {
  name: number;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** The lowest offset at or after `at` that is congruent to `va` modulo the page size. */
function congruentOffset(at: number, va: number): number {
  return at + ((((va - at) % ELF_SEGMENT_ALIGN) + ELF_SEGMENT_ALIGN) % ELF_SEGMENT_ALIGN);
}

type WritableImage = Pick<ProgramImage, 'entry' | 'segments' | 'sections' | 'symbolList' | 'lines' | 'debug'>;

interface SymbolEntry {
  name: number;
  info: number;
  shndx: number;
  value: number;
  size: number;
}

/** Where each segment's bytes go: after the headers, at offsets congruent to their addresses. */
function segmentOffsets(image: WritableImage): { offsets: number[]; end: number } {
  let at = ELF_HEADER_SIZE + ELF_PROGRAM_SIZE * image.segments.length;
  const offsets = image.segments.map((s) => {
    const off = congruentOffset(at, s.va);
    at = off + s.fileSize;
    return off;
  });
  return { offsets, end: at };
}

/** The section headers of the loaded sections, pointing into their segments' file bytes. */
function loadedSectionHeaders(image: WritableImage, segOffsets: readonly number[], shstr: StringTable): { headers: SectionHeader[]; index: Map<ImageSectionName, number> } {
  const headers: SectionHeader[] = [{ name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, addralign: 0, entsize: 0 }];
  const index = new Map<ImageSectionName, number>();
  for (const sec of image.sections) {
    const si = image.segments.findIndex((s) => sec.va >= s.va && sec.va <= s.va + s.memSize);
    const offset = si < 0 ? 0 : segOffsets[si]! + (sec.va - image.segments[si]!.va);
    index.set(sec.name, headers.length);
    const type = sec.name === 'bss' ? SHT_NOBITS : SHT_PROGBITS;
    headers.push({ name: shstr.add(ELF_SECTION_NAMES[sec.name]), type, flags: SECTION_FLAGS[sec.name], addr: sec.va, offset, size: sec.size, link: 0, info: 0, addralign: 1, entsize: 0 });
  }
  return { headers, index };
}

/** The symbol table: locals, each module's run after an STT_FILE entry naming it, then globals. */
function symbolEntries(image: WritableImage, sectionIndex: ReadonlyMap<ImageSectionName, number>, str: StringTable): { entries: SymbolEntry[]; firstGlobal: number } {
  const entries: SymbolEntry[] = [{ name: 0, info: 0, shndx: 0, value: 0, size: 0 }];
  let fileOfRun: string | null | undefined;
  let firstGlobal = -1;
  for (const s of elfSymbolOrder(image.symbolList)) {
    if (s.binding === 'local' && s.module !== fileOfRun) {
      fileOfRun = s.module;
      entries.push({ name: str.add(s.module ?? ''), info: (STB_LOCAL << 4) | STT_FILE, shndx: SHN_ABS, value: 0, size: 0 });
    }
    if (s.binding === 'global' && firstGlobal < 0) firstGlobal = entries.length;
    const shndx = s.section === 'absolute' ? SHN_ABS : (sectionIndex.get(s.section) ?? SHN_ABS);
    const bind = s.binding === 'local' ? STB_LOCAL : STB_GLOBAL;
    entries.push({ name: str.add(s.name), info: (bind << 4) | KIND_TYPE[s.kind], shndx, value: s.address, size: s.size });
  }
  return { entries, firstGlobal: firstGlobal < 0 ? entries.length : firstGlobal };
}

/** A little-endian writer over the output buffer. */
class Out {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  u8(at: number, v: number): void {
    this.bytes[at] = v;
  }
  u16(at: number, v: number): void {
    this.dv.setUint16(at, v, true);
  }
  u32(at: number, v: number): void {
    this.dv.setUint32(at, v, true);
  }
  u64(at: number, v: number): void {
    this.dv.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true);
  }
}

function putElfHeader(out: Out, image: WritableImage, shoff: number, shnum: number, shstrndx: number): void {
  out.u32(EH.magic, ELF_MAGIC);
  out.u8(EH.class, ELFCLASS64);
  out.u8(EH.data, ELFDATA2LSB);
  out.u8(EH.identVersion, EV_CURRENT);
  out.u16(EH.type, ET_EXEC);
  out.u16(EH.machine, EM_WS64);
  out.u32(EH.version, EV_CURRENT);
  out.u64(EH.entry, image.entry);
  out.u64(EH.phoff, ELF_HEADER_SIZE);
  out.u64(EH.shoff, shoff);
  out.u16(EH.ehsize, ELF_HEADER_SIZE);
  out.u16(EH.phentsize, ELF_PROGRAM_SIZE);
  out.u16(EH.phnum, image.segments.length);
  out.u16(EH.shentsize, ELF_SECTION_SIZE);
  out.u16(EH.shnum, shnum);
  out.u16(EH.shstrndx, shstrndx);
}

function putSegments(out: Out, image: WritableImage, offsets: readonly number[]): void {
  image.segments.forEach((s, i) => {
    const ph = ELF_HEADER_SIZE + i * ELF_PROGRAM_SIZE;
    out.u32(ph + PH.type, ELF_PTYPE_LOAD);
    out.u32(ph + PH.flags, s.flags);
    out.u64(ph + PH.offset, offsets[i]!);
    out.u64(ph + PH.va, s.va);
    out.u64(ph + PH.pa, s.pa);
    out.u64(ph + PH.filesz, s.fileSize);
    out.u64(ph + PH.memsz, s.memSize);
    out.u64(ph + PH.align, ELF_SEGMENT_ALIGN);
    out.bytes.set(s.bytes.subarray(0, s.fileSize), offsets[i]!);
  });
}

function putSymbols(out: Out, at: number, entries: readonly SymbolEntry[]): void {
  entries.forEach((s, i) => {
    const e = at + i * ELF_SYMBOL_SIZE;
    out.u32(e + ST.name, s.name);
    out.u8(e + ST.info, s.info);
    out.u16(e + ST.shndx, s.shndx);
    out.u64(e + ST.value, s.value);
    out.u64(e + ST.size, s.size);
  });
}

function putSectionHeaders(out: Out, shoff: number, headers: readonly SectionHeader[]): void {
  headers.forEach((h, i) => {
    const at = shoff + i * ELF_SECTION_SIZE;
    out.u32(at + SH.name, h.name);
    out.u32(at + SH.type, h.type);
    out.u64(at + SH.flags, h.flags);
    out.u64(at + SH.addr, h.addr);
    out.u64(at + SH.offset, h.offset);
    out.u64(at + SH.size, h.size);
    out.u32(at + SH.link, h.link);
    out.u32(at + SH.info, h.info);
    out.u64(at + SH.addralign, h.addralign);
    out.u64(at + SH.entsize, h.entsize);
  });
}

function debugBytes(image: WritableImage): Uint8Array {
  const globalModules: Record<string, string> = {};
  for (const s of image.symbolList) if (s.binding === 'global' && s.module !== null) globalModules[s.name] = s.module;
  return encodeDebugSection({ lines: image.lines, debug: image.debug!, globalModules });
}

export function writeImage(image: WritableImage, options: WriteImageOptions = {}): Uint8Array {
  const shstr = new StringTable();
  const str = new StringTable();
  const { offsets, end: segmentsEnd } = segmentOffsets(image);
  const { headers, index } = loadedSectionHeaders(image, offsets, shstr);
  const { entries, firstGlobal } = symbolEntries(image, index, str);

  // The non-loaded sections follow the segments: .symtab, .strtab, .shstrtab, .weensy.debug.
  const symtabIndex = headers.length;
  const symtab: SectionHeader = { name: shstr.add('.symtab'), type: SHT_SYMTAB, flags: 0, addr: 0, offset: alignUp(segmentsEnd, 8), size: entries.length * ELF_SYMBOL_SIZE, link: symtabIndex + 1, info: firstGlobal, addralign: 8, entsize: ELF_SYMBOL_SIZE };
  const strBytes = str.bytes();
  const strtab: SectionHeader = { name: shstr.add('.strtab'), type: SHT_STRTAB, flags: 0, addr: 0, offset: symtab.offset + symtab.size, size: strBytes.length, link: 0, info: 0, addralign: 1, entsize: 0 };
  const shstrtab: SectionHeader = { name: shstr.add('.shstrtab'), type: SHT_STRTAB, flags: 0, addr: 0, offset: strtab.offset + strtab.size, size: 0, link: 0, info: 0, addralign: 1, entsize: 0 };
  headers.push(symtab, strtab, shstrtab);
  const shstrndx = headers.length - 1;
  const debug = image.debug && options.debug !== false ? debugBytes(image) : undefined;
  const debugHeader: SectionHeader | undefined = debug && { name: shstr.add(DEBUG_SECTION_NAME), type: SHT_PROGBITS, flags: 0, addr: 0, offset: 0, size: debug.length, link: 0, info: 0, addralign: 1, entsize: 0 };
  if (debugHeader) headers.push(debugHeader);
  const shstrBytes = shstr.bytes();
  shstrtab.size = shstrBytes.length;
  let end = shstrtab.offset + shstrtab.size;
  if (debugHeader) {
    debugHeader.offset = end;
    end += debugHeader.size;
  }
  const shoff = alignUp(end, 8);

  const out = new Out(shoff + headers.length * ELF_SECTION_SIZE);
  putElfHeader(out, image, shoff, headers.length, shstrndx);
  putSegments(out, image, offsets);
  putSymbols(out, symtab.offset, entries);
  out.bytes.set(strBytes, strtab.offset);
  out.bytes.set(shstrBytes, shstrtab.offset);
  if (debug && debugHeader) out.bytes.set(debug, debugHeader.offset);
  putSectionHeaders(out, shoff, headers);
  return out.bytes;
}
