/* elf.h: the parts of the ELF64 file format the program loader reads.
 * The six user programs are ELF64 files embedded in the kernel image.
 *
 * WeensyScope's own text of the WeensyOS elf.h API.
 */
#ifndef WEENSYOS_ELF_H
#define WEENSYOS_ELF_H
#include "lib.h"

#define ELF_MAGIC 0x464C457FU   /* "\x7FELF", read as a little-endian uint32_t */

/* The file header, at offset 0. */
typedef struct elf_header {
    uint32_t e_magic;           /* ELF_MAGIC */
    uint8_t e_elf[12];
    uint16_t e_type;
    uint16_t e_machine;         /* WeensyScope's machine: 0x5753 ("WS") */
    uint32_t e_version;
    uint64_t e_entry;           /* the entry point's virtual address */
    uint64_t e_phoff;           /* offset of the first program header */
    uint64_t e_shoff;           /* offset of the first section header */
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;       /* size of a program header */
    uint16_t e_phnum;           /* number of program headers */
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} elf_header;

/* A program header: one segment to load. */
typedef struct elf_program {
    uint32_t p_type;            /* ELF_PTYPE_LOAD for a segment to load */
    uint32_t p_flags;           /* ELF_PFLAG_* */
    uint64_t p_offset;          /* where the segment's bytes start in the file */
    uint64_t p_va;              /* the virtual address to load them at */
    uint64_t p_pa;
    uint64_t p_filesz;          /* bytes in the file */
    uint64_t p_memsz;           /* bytes in memory; the rest is zero-filled */
    uint64_t p_align;
} elf_program;

/* A section header. */
typedef struct elf_section {
    uint32_t s_name;
    uint32_t s_type;
    uint64_t s_flags;
    uint64_t s_addr;
    uint64_t s_offset;
    uint64_t s_size;
    uint32_t s_link;
    uint32_t s_info;
    uint64_t s_addralign;
    uint64_t s_entsize;
} elf_section;

#define ELF_PTYPE_LOAD 1

#define ELF_PFLAG_EXEC 1
#define ELF_PFLAG_WRITE 2
#define ELF_PFLAG_READ 4

#define ELF_STYPE_NULL 0
#define ELF_STYPE_PROGBITS 1
#define ELF_STYPE_SYMTAB 2
#define ELF_STYPE_STRTAB 3

#define ELF_SNAME_UNDEF 0

#endif
