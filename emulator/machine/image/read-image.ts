// Reads an ELF64 image written by writeImage (or any ELF64 executable for
// WS64 laid out the same way) back into a ProgramImage, checking every
// offset and size before using it. Malformed input gives messages that say
// where the problem is ("offset 0x20 (e_phoff): ...") and never an
// exception: the machine and the debugger read files a user may have made.

import { decodeDebugSection } from './debug-section';
import {
  DEBUG_SECTION_NAME, EH, ELF_HEADER_SIZE, ELF_MAGIC, ELF_PROGRAM_SIZE, ELF_PTYPE_LOAD, ELF_PFLAG_EXEC, ELF_SECTION_SIZE, ELF_SYMBOL_SIZE,
  ELFCLASS64, ELFDATA2LSB, EM_WS64, EM_X86_64, ET_EXEC, PH, SH, SHN_ABS, SHT_NOBITS, SHT_SYMTAB, ST, STB_GLOBAL, STB_LOCAL, STT_FILE, STT_FUNC, STT_OBJECT,
} from './elf';
import type { ImageDebugInfo, ImageLineRow } from './image-debug-info';
import { symbolMap, type ImageSection, type ImageSectionName, type ImageSegment, type ImageSymbol, type ProgramImage } from './program-image';
import { ELF_SECTION_NAMES } from './write-image';

export interface ReadImageResult {
  /** Present exactly when `errors` is empty. */
  readonly image?: ProgramImage;
  readonly errors: string[];
}

/** Addresses above this are not canonical lower-half addresses (bit 47 and up). */
const ADDRESS_LIMIT = 2 ** 47;

const hex = (n: number): string => '0x' + n.toString(16);

interface RawSection {
  index: number;
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  at: number;
}

/** Bounds-checked little-endian reads that record located errors. */
class Reader {
  readonly errors: string[] = [];
  private readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  error(at: number, field: string, message: string): void {
    this.errors.push(`offset ${hex(at)} (${field}): ${message}`);
  }
  fits(at: number, size: number): boolean {
    return at >= 0 && size >= 0 && at + size <= this.bytes.length;
  }
  u8(at: number): number {
    return this.bytes[at]!;
  }
  u16(at: number): number {
    return this.dv.getUint16(at, true);
  }
  u32(at: number): number {
    return this.dv.getUint32(at, true);
  }
  /** A 64-bit field as a JS number, or NaN (with an error) when it is too large to be an offset or address. */
  u64(at: number, field: string): number {
    const v = this.dv.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.error(at, field, `value 0x${v.toString(16)} is too large`);
      return NaN;
    }
    return Number(v);
  }
  /** A NUL-terminated string at `at`, which must end before `limit`. */
  cstring(at: number, limit: number): string | undefined {
    const end = this.bytes.indexOf(0, at);
    if (at < 0 || end < 0 || end >= limit) return undefined;
    return new TextDecoder().decode(this.bytes.subarray(at, end));
  }
}

export function readImage(bytes: Uint8Array): ReadImageResult {
  const r = new Reader(bytes);
  try {
    const image = readChecked(r);
    return r.errors.length || !image ? { errors: r.errors.length ? r.errors : ['the image could not be read'] } : { image, errors: [] };
  } catch (e) {
    // Every access is checked first, so this is a bug in the reader; report it rather than crash the caller.
    return { errors: [...r.errors, `internal error while reading the image: ${(e as Error).message}`] };
  }
}

function readHeader(r: Reader): { entry: number; phoff: number; phnum: number; shoff: number; shnum: number; shstrndx: number } | undefined {
  if (r.bytes.length < ELF_HEADER_SIZE) {
    r.error(0, 'elf_header', `the file is ${r.bytes.length} bytes, shorter than the 64-byte ELF header`);
    return undefined;
  }
  if (r.u32(EH.magic) !== ELF_MAGIC) {
    r.error(EH.magic, 'e_magic', `0x${r.u32(EH.magic).toString(16).padStart(8, '0')} is not ELF_MAGIC 0x464c457f ("\\x7fELF"): not an ELF file`);
    return undefined;
  }
  if (r.u8(EH.class) !== ELFCLASS64) r.error(EH.class, 'EI_CLASS', `${r.u8(EH.class)} is not 2 (ELF64)`);
  if (r.u8(EH.data) !== ELFDATA2LSB) r.error(EH.data, 'EI_DATA', `${r.u8(EH.data)} is not 1 (little-endian)`);
  const type = r.u16(EH.type);
  if (type !== ET_EXEC) r.error(EH.type, 'e_type', `${type} is not ET_EXEC (2): only executables can be loaded`);
  const machine = r.u16(EH.machine);
  if (machine !== EM_WS64) {
    const what = machine === EM_X86_64 ? 'x86-64 code (built by gcc?)' : 'not WS64';
    r.error(EH.machine, 'e_machine', `${hex(machine)} is ${what}; WeensyScope runs WS64 images (${hex(EM_WS64)})`);
  }
  if (r.u16(EH.phentsize) !== ELF_PROGRAM_SIZE) r.error(EH.phentsize, 'e_phentsize', `${r.u16(EH.phentsize)} is not ${ELF_PROGRAM_SIZE}`);
  const entry = r.u64(EH.entry, 'e_entry');
  const phoff = r.u64(EH.phoff, 'e_phoff');
  const phnum = r.u16(EH.phnum);
  const shoff = r.u64(EH.shoff, 'e_shoff');
  const shnum = r.u16(EH.shnum);
  if (!r.fits(phoff, phnum * ELF_PROGRAM_SIZE)) r.error(EH.phoff, 'e_phoff', `${phnum} program headers at ${hex(phoff)} run past the end of the file (${hex(r.bytes.length)} bytes)`);
  if (shnum > 0 && r.u16(EH.shentsize) !== ELF_SECTION_SIZE) r.error(EH.shentsize, 'e_shentsize', `${r.u16(EH.shentsize)} is not ${ELF_SECTION_SIZE}`);
  if (shnum > 0 && !r.fits(shoff, shnum * ELF_SECTION_SIZE)) r.error(EH.shoff, 'e_shoff', `${shnum} section headers at ${hex(shoff)} run past the end of the file (${hex(r.bytes.length)} bytes)`);
  const shstrndx = r.u16(EH.shstrndx);
  if (shnum > 0 && shstrndx >= shnum) r.error(EH.shstrndx, 'e_shstrndx', `${shstrndx} is not a section index (there are ${shnum})`);
  if (r.errors.length) return undefined;
  return { entry, phoff, phnum, shoff, shnum, shstrndx };
}

function readSegments(r: Reader, phoff: number, phnum: number): ImageSegment[] {
  const segments: ImageSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * ELF_PROGRAM_SIZE;
    if (r.u32(at + PH.type) !== ELF_PTYPE_LOAD) continue;
    const field = (f: string): string => `program header ${i} ${f}`;
    const flags = r.u32(at + PH.flags);
    const offset = r.u64(at + PH.offset, field('p_offset'));
    const va = r.u64(at + PH.va, field('p_va'));
    const pa = r.u64(at + PH.pa, field('p_pa'));
    const fileSize = r.u64(at + PH.filesz, field('p_filesz'));
    const memSize = r.u64(at + PH.memsz, field('p_memsz'));
    const align = r.u64(at + PH.align, field('p_align'));
    if ([offset, va, pa, fileSize, memSize, align].some(Number.isNaN)) continue;
    if (fileSize > memSize) r.error(at + PH.filesz, field('p_filesz'), `${hex(fileSize)} is larger than p_memsz ${hex(memSize)}`);
    else if (!r.fits(offset, fileSize)) r.error(at + PH.offset, field('p_offset'), `the segment's ${hex(fileSize)} bytes at ${hex(offset)} run past the end of the file (${hex(r.bytes.length)} bytes)`);
    else if (align > 1 && offset % align !== va % align) r.error(at + PH.offset, field('p_offset'), `${hex(offset)} and p_va ${hex(va)} differ modulo p_align ${hex(align)}`);
    else if (va + memSize > ADDRESS_LIMIT) r.error(at + PH.va, field('p_va'), `the segment [${hex(va)}, ${hex(va + memSize)}) is not in the canonical lower half`);
    else {
      const clash = segments.find((s) => va < s.va + s.memSize && s.va < va + memSize);
      if (clash) r.error(at + PH.va, field('p_va'), `the segment [${hex(va)}, ${hex(va + memSize)}) overlaps the segment at ${hex(clash.va)}`);
      segments.push({ va, pa, fileSize, memSize, flags, bytes: r.bytes.subarray(offset, offset + fileSize) });
    }
  }
  return segments;
}

function readSections(r: Reader, shoff: number, shnum: number, shstrndx: number): RawSection[] {
  const raw = (index: number): RawSection => {
    const at = shoff + index * ELF_SECTION_SIZE;
    const f = (name: string): string => `section header ${index} ${name}`;
    return {
      index,
      name: '',
      type: r.u32(at + SH.type),
      addr: r.u64(at + SH.addr, f('sh_addr')),
      offset: r.u64(at + SH.offset, f('sh_offset')),
      size: r.u64(at + SH.size, f('sh_size')),
      link: r.u32(at + SH.link),
      info: r.u32(at + SH.info),
      entsize: r.u64(at + SH.entsize, f('sh_entsize')),
      at,
    };
  };
  const sections = Array.from({ length: shnum }, (_, i) => raw(i));
  for (const s of sections) {
    if (s.type !== SHT_NOBITS && s.index !== 0 && !r.fits(s.offset, s.size)) r.error(s.at + SH.offset, `section header ${s.index} sh_offset`, `the section's ${hex(s.size)} bytes at ${hex(s.offset)} run past the end of the file`);
  }
  if (r.errors.length || shnum === 0) return sections;
  const names = sections[shstrndx]!;
  for (const s of sections) {
    const off = r.u32(s.at + SH.name);
    const name = off < names.size ? r.cstring(names.offset + off, names.offset + names.size) : undefined;
    if (name === undefined) r.error(s.at + SH.name, `section header ${s.index} sh_name`, `${hex(off)} is not a string in the section name table`);
    else s.name = name;
  }
  return sections;
}

function readSymbols(r: Reader, sections: RawSection[], globalModules: Readonly<Record<string, string>>): ImageSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  const strtab = sections[symtab.link];
  const where = `section header ${symtab.index}`;
  if (!strtab || symtab.entsize !== ELF_SYMBOL_SIZE || symtab.size % ELF_SYMBOL_SIZE !== 0) {
    r.error(symtab.at, where, `.symtab needs sh_entsize ${ELF_SYMBOL_SIZE}, a whole number of entries and sh_link naming its string table`);
    return [];
  }
  const byIndex = new Map<number, ImageSectionName>();
  for (const s of sections) {
    const name = (Object.keys(ELF_SECTION_NAMES) as ImageSectionName[]).find((k) => ELF_SECTION_NAMES[k] === s.name);
    if (name) byIndex.set(s.index, name);
  }
  const out: ImageSymbol[] = [];
  let module: string | null = null;
  for (let i = 1; i < symtab.size / ELF_SYMBOL_SIZE; i++) {
    const at = symtab.offset + i * ELF_SYMBOL_SIZE;
    const nameOff = r.u32(at + ST.name);
    const name = nameOff < strtab.size ? r.cstring(strtab.offset + nameOff, strtab.offset + strtab.size) : undefined;
    if (name === undefined) {
      r.error(at + ST.name, `symbol ${i} st_name`, `${hex(nameOff)} is not a string in .strtab`);
      continue;
    }
    const info = r.u8(at + ST.info);
    const bind = info >> 4;
    const type = info & 0xf;
    if (type === STT_FILE) {
      module = name === '' ? null : name;
      continue;
    }
    if (bind !== STB_LOCAL && bind !== STB_GLOBAL) {
      r.error(at + ST.info, `symbol '${name}' st_info`, `binding ${bind} is neither local nor global`);
      continue;
    }
    const shndx = r.u16(at + ST.shndx);
    const section = shndx === SHN_ABS ? 'absolute' : byIndex.get(shndx);
    if (!section) {
      r.error(at + ST.shndx, `symbol '${name}' st_shndx`, `${shndx} is not a loaded section: the symbol has no address`);
      continue;
    }
    const address = r.u64(at + ST.value, `symbol '${name}' st_value`);
    const size = r.u64(at + ST.size, `symbol '${name}' st_size`);
    const kind = type === STT_FUNC ? 'function' : type === STT_OBJECT ? 'object' : 'notype';
    const binding = bind === STB_LOCAL ? 'local' : 'global';
    out.push({ name, address, size, kind, binding, module: binding === 'local' ? module : (globalModules[name] ?? null), section });
  }
  return out;
}

function readChecked(r: Reader): ProgramImage | undefined {
  const h = readHeader(r);
  if (!h) return undefined;
  const segments = readSegments(r, h.phoff, h.phnum);
  if (segments.length === 0 && r.errors.length === 0) r.error(EH.phnum, 'e_phnum', 'the image has no PT_LOAD segments: nothing to load');
  const inCode = segments.some((s) => s.flags & ELF_PFLAG_EXEC && h.entry >= s.va && h.entry < s.va + s.memSize);
  if (r.errors.length === 0 && segments.length > 0 && !inCode) r.error(EH.entry, 'e_entry', `${hex(h.entry)} is not inside an executable segment`);
  const sections = h.shnum > 0 ? readSections(r, h.shoff, h.shnum, h.shstrndx) : [];
  if (r.errors.length) return undefined;

  let lines: readonly ImageLineRow[] = [];
  let debug: ImageDebugInfo | undefined;
  let globalModules: Readonly<Record<string, string>> = {};
  const debugSection = sections.find((s) => s.name === DEBUG_SECTION_NAME);
  if (debugSection) {
    const decoded = decodeDebugSection(r.bytes.subarray(debugSection.offset, debugSection.offset + debugSection.size));
    if (typeof decoded === 'string') r.error(debugSection.offset, DEBUG_SECTION_NAME, decoded);
    else ({ lines, debug, globalModules } = decoded);
  }
  const symbolList = readSymbols(r, sections, globalModules);
  const loaded: ImageSection[] = [];
  for (const s of sections) {
    const name = (Object.keys(ELF_SECTION_NAMES) as ImageSectionName[]).find((k) => ELF_SECTION_NAMES[k] === s.name);
    if (name) loaded.push({ name, va: s.addr, size: s.size });
  }
  return { entry: h.entry, segments, sections: loaded, symbolList, symbols: symbolMap(symbolList), lines, debug };
}
