/* k-loader.c: loads the user programs, which are ELF64 files linked into
 * the kernel image between the symbols _binary_obj_p_<name>_start and _end.
 * Step 6 of the lab edits this file. kernel.h documents program_load.
 *
 * WeensyScope's own implementation of the WeensyOS k-loader.c API.
 */
#include "kernel.h"
#include "elf.h"

extern uint8_t _binary_obj_p_allocator_start[];
extern uint8_t _binary_obj_p_allocator_end[];
extern uint8_t _binary_obj_p_allocator2_start[];
extern uint8_t _binary_obj_p_allocator2_end[];
extern uint8_t _binary_obj_p_allocator3_start[];
extern uint8_t _binary_obj_p_allocator3_end[];
extern uint8_t _binary_obj_p_allocator4_start[];
extern uint8_t _binary_obj_p_allocator4_end[];
extern uint8_t _binary_obj_p_fork_start[];
extern uint8_t _binary_obj_p_fork_end[];
extern uint8_t _binary_obj_p_forkexit_start[];
extern uint8_t _binary_obj_p_forkexit_end[];

/* Program number -> where its ELF file is. */
static const struct {
    uint8_t* begin;
    uint8_t* end;
} ramimages[] = {
    { _binary_obj_p_allocator_start, _binary_obj_p_allocator_end },
    { _binary_obj_p_allocator2_start, _binary_obj_p_allocator2_end },
    { _binary_obj_p_allocator3_start, _binary_obj_p_allocator3_end },
    { _binary_obj_p_allocator4_start, _binary_obj_p_allocator4_end },
    { _binary_obj_p_fork_start, _binary_obj_p_fork_end },
    { _binary_obj_p_forkexit_start, _binary_obj_p_forkexit_end },
};

static int program_load_segment(proc* p, const elf_program* ph, const uint8_t* src,
                                x86_64_pagetable* (*allocator)(void));

int program_load(proc* p, int programnumber, x86_64_pagetable* (*allocator)(void)) {
    int nprograms = sizeof(ramimages) / sizeof(ramimages[0]);
    assert(programnumber >= 0 && programnumber < nprograms);
    elf_header* eh = (elf_header*) ramimages[programnumber].begin;
    assert(eh->e_magic == ELF_MAGIC);

    const elf_program* ph = (const elf_program*) ((const uint8_t*) eh + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == ELF_PTYPE_LOAD) {
            const uint8_t* pdata = (const uint8_t*) eh + ph[i].p_offset;
            if (program_load_segment(p, &ph[i], pdata, allocator) < 0) {
                return -1;
            }
        }
    }

    p->p_registers.reg_rip = eh->e_entry;
    return 0;
}

/* Gives every page of the segment to the process (assign_physical_page is
 * kernel.c's), maps it at the same address, then copies the file's bytes
 * and zeroes the rest through the process's own page table. */
static int program_load_segment(proc* p, const elf_program* ph, const uint8_t* src,
                                x86_64_pagetable* (*allocator)(void)) {
    uintptr_t va = (uintptr_t) ph->p_va;
    uintptr_t end_file = va + ph->p_filesz;
    uintptr_t end_mem = va + ph->p_memsz;
    va &= ~(PAGESIZE - 1);

    for (uintptr_t addr = va; addr < end_mem; addr += PAGESIZE) {
        if (assign_physical_page(addr, p->p_pid) < 0
            || virtual_memory_map(p->p_pagetable, addr, addr, PAGESIZE,
                                  PTE_P | PTE_W | PTE_U, allocator) < 0) {
            console_printf(CPOS(22, 0), 0xC000,
                           "program_load_segment(pid %d): can't assign address %p\n",
                           p->p_pid, addr);
            return -1;
        }
    }

    set_pagetable(p->p_pagetable);
    memcpy((uint8_t*) va, src, end_file - va);
    memset((uint8_t*) end_file, 0, end_mem - end_file);
    set_pagetable(kernel_pagetable);
    return 0;
}
