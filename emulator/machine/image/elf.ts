// The ELF64 constants and structure offsets WeensyScope's images use, with
// the names of the handout's elf.h where it has one (FACTS.md section 9) and
// the System V gABI's names otherwise. Offsets are from the start of each
// structure; every multi-byte field is little-endian.

/** "\x7fELF" read as a little-endian uint32, as elf.h's `e_magic` compares it. */
export const ELF_MAGIC = 0x464c457f;

// e_ident bytes after the magic.
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;

/** An executable file (e_type). */
export const ET_EXEC = 2;
/** Our e_machine number: 'WS' read as a little-endian uint16, for the WS64 instruction set. */
export const EM_WS64 = 0x5753;
/** The x86-64 machine number, named in the reader's message when a gcc-built image turns up. */
export const EM_X86_64 = 0x3e;

/** A loadable segment (p_type). */
export const ELF_PTYPE_LOAD = 1;
// p_flags bits, as elf.h names them.
export const ELF_PFLAG_EXEC = 1;
export const ELF_PFLAG_WRITE = 2;
export const ELF_PFLAG_READ = 4;

/** Segments are page-aligned: p_offset % 4096 == p_va % 4096. */
export const ELF_SEGMENT_ALIGN = 4096;

// Structure sizes.
export const ELF_HEADER_SIZE = 64;
export const ELF_PROGRAM_SIZE = 56;
export const ELF_SECTION_SIZE = 64;
export const ELF_SYMBOL_SIZE = 24;

/** Field offsets of `elf_header`. */
export const EH = {
  magic: 0x00,
  class: 0x04,
  data: 0x05,
  identVersion: 0x06,
  type: 0x10,
  machine: 0x12,
  version: 0x14,
  entry: 0x18,
  phoff: 0x20,
  shoff: 0x28,
  flags: 0x30,
  ehsize: 0x34,
  phentsize: 0x36,
  phnum: 0x38,
  shentsize: 0x3a,
  shnum: 0x3c,
  shstrndx: 0x3e,
} as const;

/** Field offsets of `elf_program`. */
export const PH = {
  type: 0x00,
  flags: 0x04,
  offset: 0x08,
  va: 0x10,
  pa: 0x18,
  filesz: 0x20,
  memsz: 0x28,
  align: 0x30,
} as const;

/** Field offsets of `elf_section` (Elf64_Shdr). */
export const SH = {
  name: 0x00,
  type: 0x04,
  flags: 0x08,
  addr: 0x10,
  offset: 0x18,
  size: 0x20,
  link: 0x28,
  info: 0x2c,
  addralign: 0x30,
  entsize: 0x38,
} as const;

/** Field offsets of Elf64_Sym. */
export const ST = {
  name: 0x00,
  info: 0x04,
  other: 0x05,
  shndx: 0x06,
  value: 0x08,
  size: 0x10,
} as const;

// Section types and flags.
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

/** The section index of an absolute symbol. */
export const SHN_ABS = 0xfff1;

// Symbol binding (high nibble of st_info) and type (low nibble).
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_FILE = 4;

/** The non-loaded section holding the linked debug information as UTF-8 JSON. */
export const DEBUG_SECTION_NAME = '.weensy.debug';
