/* kernel.c: WeensyScope's reference WeensyOS kernel.
 *
 * This is the one file a WeensyOS student writes (NYU CS202 Lab 4 and its
 * relatives): the process table, the physical-page bookkeeping, the trap
 * handler, the scheduler, the invariant checks, the memory viewer and the
 * grading log. It is WeensyScope's own implementation, written from the
 * published facts of the lab's API; it is the demo's kernel and the tests'.
 *
 * Build switches (all optional):
 *   -DSTEP=N      behave like a solution stopped after lab step N (0..7):
 *                 0 the handout's starting point, 1 kernel isolation,
 *                 2 per-process page tables, 3 virtual page allocation,
 *                 4 overlapping address spaces, 5 fork, 6 shared read-only
 *                 code, 7 exit and freeing memory. Default: 7.
 *   -DCOW=1       fork shares writable pages copy-on-write (needs STEP >= 5).
 *   -DCHECK_REFCOUNTS=1  also audit, on every trap, that each process page's
 *                 refcount equals the number of its mappings (slow; tests).
 *   -DFORCE_FORK, -DTICK_LIMIT, -DNO_SLOWDOWN: the course's grading switches.
 *
 * Memory layout (see kernel.h): the kernel lives in [0, PROC_START_ADDR),
 * processes in [PROC_START_ADDR, MEMSIZE_VIRTUAL); physical memory is 2 MB.
 */
#include "kernel.h"
#include "elf.h"

#ifndef STEP
#define STEP 7
#endif
#if STEP < 0 || STEP > 7
#error "STEP must be between 0 and 7"
#endif
#ifndef COW
#define COW 0
#endif
#ifndef CHECK_REFCOUNTS
#define CHECK_REFCOUNTS 0
#endif
#ifndef FORCE_FORK
#define FORCE_FORK 0
#endif
#ifndef TICK_LIMIT
#define TICK_LIMIT 0
#endif

// Copy-on-write only means something once there is a fork.
#define COPY_ON_WRITE (COW && STEP >= 5)

// Every process starts with PROC_SIZE bytes of address space of its own
// ("initial state only": step 4 moves the stacks elsewhere).
#define PROC_SIZE 0x40000

// Timer interrupts per second. The course asks students not to change it.
#define HZ 100

// PTE_COW marks a page that fork shared copy-on-write. Bits 9-11 of a
// page-table entry are ignored by the MMU and left to the operating system,
// so the mark costs nothing: the hardware sees a read-only page, and the
// page-fault handler recognises the mark.
#ifndef PTE_COW
#define PTE_COW 0x200
#endif

// The permission bits we copy from one mapping to another: never the
// accessed/dirty bits the hardware sets.
#define PTE_PERM_MASK (PTE_P | PTE_W | PTE_U | PTE_COW)


/* ------------------------------------------------------------- state */

static proc processes[NPROC];   // the process table; processes[0] is never used
proc* current;                  // the process that is running (or ran last)
static unsigned ticks;          // timer interrupts so far

// Who owns each physical page. A positive owner is a process ID.
typedef enum pageowner {
    PO_FREE = 0,                // this page is free
    PO_RESERVED = -1,           // this page is reserved memory (hardware)
    PO_KERNEL = -2              // this page is used by the kernel
} pageowner_t;

// What the kernel knows about one physical page. `refcount` counts the
// users of the page: for a process page, the number of page tables that map
// it; 0 means free.
typedef struct physical_pageinfo {
    int8_t owner;
    int8_t refcount;
} physical_pageinfo;

static physical_pageinfo pageinfo[PAGENUMBER(MEMSIZE_PHYSICAL)];

void process_setup(pid_t pid, int program_number);
void schedule(void) __attribute__((noreturn));
void run(proc* p) __attribute__((noreturn));
void pageinfo_init(void);
void check_page_table_mappings(x86_64_pagetable* pt);
void check_page_table_ownership(x86_64_pagetable* pt, pid_t pid);
void check_virtual_memory(void);
void memshow_physical(void);
void memshow_virtual(x86_64_pagetable* pagetable, const char* name);
void memshow_virtual_animate(void);
void memdump_physical(void);
void memdump_virtual(x86_64_pagetable* pagetable, const char* name);
void memdump_virtual_all(void);


/* ------------------------------------------------ physical page helpers */

// assign_physical_page(addr, owner)
//    Hands the free physical page at `addr` to `owner` with refcount 1.
//    Returns 0, or -1 if addr is not a page address, is past the end of
//    physical memory, or the page is in use. (program_load calls this.)
int assign_physical_page(uintptr_t addr, int8_t owner) {
    if ((addr & PAGEOFFMASK) != 0
        || addr >= MEMSIZE_PHYSICAL
        || pageinfo[PAGENUMBER(addr)].refcount != 0) {
        return -1;
    }
    pageinfo[PAGENUMBER(addr)].refcount = 1;
    pageinfo[PAGENUMBER(addr)].owner = owner;
    return 0;
}

// allocate_physical_page(owner)
//    Takes the first free physical page for `owner` and returns its
//    address, or NULL when memory is full. Page 0 is reserved, so a real
//    page is never NULL. The page's old contents are still there.
static void* allocate_physical_page(int8_t owner) {
    for (uintptr_t pa = 0; pa < MEMSIZE_PHYSICAL; pa += PAGESIZE) {
        if (pageinfo[PAGENUMBER(pa)].refcount == 0) {
            int r = assign_physical_page(pa, owner);
            assert(r == 0);
            return (void*) pa;
        }
    }
    return NULL;
}

// release_physical_page(pn)
//    One user of physical page `pn` is done with it; the last one frees it.
//    (If the page's owner stopped using it while others still do, the
//    caller must give the page a new owner: see hand_over_orphaned_pages.)
static void release_physical_page(int pn) {
    assert(pn >= 0 && pn < NPAGES);
    assert(pageinfo[pn].refcount > 0);
    assert(pageinfo[pn].owner > 0);       // only process pages come and go
    --pageinfo[pn].refcount;
    if (pageinfo[pn].refcount == 0) {
        pageinfo[pn].owner = PO_FREE;
    }
}


/* ---------------------------------------------------- page-table helpers */

// The allocator we give virtual_memory_map and program_load for new
// page-table pages. It takes no arguments, so the owner of the pages it
// makes travels in this variable: set it just before mapping.
static pid_t pagetable_owner;

// allocate_pagetable_page()
//    A zeroed free page for a page table of `pagetable_owner`, or NULL.
static x86_64_pagetable* allocate_pagetable_page(void) {
    void* page = allocate_physical_page(pagetable_owner);
    if (page != NULL) {
        memset(page, 0, PAGESIZE);
    }
    return (x86_64_pagetable*) page;
}

// map_page(p, va, pa, perm)
//    Maps the page at virtual address `va` in p's address space to physical
//    address `pa` with permissions `perm`; page tables it needs belong to p.
//    Returns 0, or -1 if a page table was needed and memory is full.
static int map_page(proc* p, uintptr_t va, uintptr_t pa, int perm) {
#if STEP >= 2
    pagetable_owner = p->p_pid;
    return virtual_memory_map(p->p_pagetable, va, pa, PAGESIZE, perm,
                              allocate_pagetable_page);
#else
    // Before step 2 every process shares kernel_pagetable, which already
    // has every table below MEMSIZE_PHYSICAL: nothing to allocate.
    return virtual_memory_map(p->p_pagetable, va, pa, PAGESIZE, perm, NULL);
#endif
}

#if STEP >= 2
// find_leaf_entry(pt, va)
//    The last-level (L4) entry of `pt` that translates `va`, or NULL if a
//    table on the way is missing. The kernel reads and writes page tables
//    through their physical addresses, which kernel_pagetable maps at the
//    same virtual addresses. Unlike virtual_memory_lookup, this shows the
//    entry itself, with the bits only software uses (PTE_COW).
static x86_64_pageentry_t* find_leaf_entry(x86_64_pagetable* pt, uintptr_t va) {
    for (int level = 0; level < 3; ++level) {
        x86_64_pageentry_t pe = pt->entry[PAGEINDEX(va, level)];
        if (!(pe & PTE_P)) {
            return NULL;
        }
        pt = (x86_64_pagetable*) PTE_ADDR(pe);
    }
    return &pt->entry[PAGEINDEX(va, 3)];
}

// user_page_entry(pt, va)
//    Like find_leaf_entry, but NULL unless the entry maps a page.
static x86_64_pageentry_t* user_page_entry(x86_64_pagetable* pt, uintptr_t va) {
    x86_64_pageentry_t* pte = find_leaf_entry(pt, va);
    if (pte == NULL || !(*pte & PTE_P)) {
        return NULL;
    }
    return pte;
}

// free_pagetable(pt, level)
//    Frees the page-table page `pt` (at `level`, 0 = top) and every table
//    below it. The pages they map are not touched.
static void free_pagetable(x86_64_pagetable* pt, int level) {
    if (level < 3) {
        for (int i = 0; i < NPAGETABLEENTRIES; ++i) {
            if (pt->entry[i] & PTE_P) {
                free_pagetable((x86_64_pagetable*) PTE_ADDR(pt->entry[i]), level + 1);
            }
        }
    }
    release_physical_page(PAGENUMBER(pt));
}

// copy_pagetable(pagetable, owner)
//    A new page table for process `owner` that maps the kernel's part of
//    the address space, [0, PROC_START_ADDR), exactly as `pagetable` does
//    (so the kernel keeps working while it is loaded). The process part is
//    left empty. Every page-table page belongs to `owner`, with refcount 1.
//    Returns NULL, having freed what it took, if memory runs out.
static x86_64_pagetable* copy_pagetable(x86_64_pagetable* pagetable, int8_t owner) {
    pagetable_owner = owner;
    x86_64_pagetable* copy = allocate_pagetable_page();
    if (copy == NULL) {
        return NULL;
    }
    for (uintptr_t va = 0; va < PROC_START_ADDR; va += PAGESIZE) {
        vamapping vam = virtual_memory_lookup(pagetable, va);
        if (vam.pn < 0) {
            continue;
        }
        int r = virtual_memory_map(copy, va, vam.pa, PAGESIZE,
                                   vam.perm & (PTE_P | PTE_W | PTE_U),
                                   allocate_pagetable_page);
        if (r < 0) {
            free_pagetable(copy, 0);
            return NULL;
        }
    }
    return copy;
}
#endif


/* --------------------------------------------------- step 6: read-only code */

#if STEP >= 6
// The program images linked into the kernel (the loader's table, in program
// number order). Step 6 reads their program headers to learn which pages
// are read-only.
extern uint8_t _binary_obj_p_allocator_start[];
extern uint8_t _binary_obj_p_allocator2_start[];
extern uint8_t _binary_obj_p_allocator3_start[];
extern uint8_t _binary_obj_p_allocator4_start[];
extern uint8_t _binary_obj_p_fork_start[];
extern uint8_t _binary_obj_p_forkexit_start[];

static uint8_t* const program_images[] = {
    _binary_obj_p_allocator_start, _binary_obj_p_allocator2_start,
    _binary_obj_p_allocator3_start, _binary_obj_p_allocator4_start,
    _binary_obj_p_fork_start, _binary_obj_p_forkexit_start
};

// image_writes_page(eh, va)
//    Does a writable segment of program `eh` cover any of the page at va?
//    (Such a page must stay writable even if a read-only segment shares it.)
static bool image_writes_page(const elf_header* eh, uintptr_t va) {
    const elf_program* ph = (const elf_program*) ((const uint8_t*) eh + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; ++i) {
        if (ph[i].p_type == ELF_PTYPE_LOAD
            && (ph[i].p_flags & ELF_PFLAG_WRITE)
            && ph[i].p_va < va + PAGESIZE
            && va < ph[i].p_va + ph[i].p_memsz) {
            return true;
        }
    }
    return false;
}

// make_code_read_only(p, program_number)
//    The loader maps every page of a program writable (it has to copy the
//    program in). Afterwards, the pages of segments the program never
//    writes (its code and constants) become PTE_P | PTE_U: a stray write
//    faults, and fork can share them instead of copying them.
static void make_code_read_only(proc* p, int program_number) {
    assert(program_number >= 0 && program_number < (int) arraysize(program_images));
    const elf_header* eh = (const elf_header*) program_images[program_number];
    assert(eh->e_magic == ELF_MAGIC);
    const elf_program* ph = (const elf_program*) ((const uint8_t*) eh + eh->e_phoff);

    for (int i = 0; i < eh->e_phnum; ++i) {
        if (ph[i].p_type != ELF_PTYPE_LOAD || (ph[i].p_flags & ELF_PFLAG_WRITE)) {
            continue;
        }
        uintptr_t end_va = ph[i].p_va + ph[i].p_memsz;
        for (uintptr_t va = ROUNDDOWN(ph[i].p_va, PAGESIZE); va < end_va; va += PAGESIZE) {
            if (image_writes_page(eh, va)) {
                continue;
            }
            vamapping vam = virtual_memory_lookup(p->p_pagetable, va);
            assert(vam.pn >= 0);
            int r = virtual_memory_map(p->p_pagetable, va, vam.pa, PAGESIZE,
                                       PTE_P | PTE_U, NULL);
            assert(r == 0);
        }
    }
}
#endif


/* ------------------------------------------------------------- kernel() */

// isolate_kernel_memory()
//    Step 1. hardware_init maps all of physical memory with PTE_U, so a
//    process could read and write the kernel. Take PTE_U away below
//    PROC_START_ADDR, except on the console page, which processes print to.
static void isolate_kernel_memory(void) {
    int r = virtual_memory_map(kernel_pagetable, 0, 0, PROC_START_ADDR,
                               PTE_P | PTE_W, NULL);
    assert(r == 0);
    uintptr_t console_page = ROUNDDOWN((uintptr_t) console, PAGESIZE);
    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,
                           PTE_P | PTE_W | PTE_U, NULL);
    assert(r == 0);
}

// kernel(command)
//    Initializes the hardware and the processes and starts running them.
//    `command` is NULL at boot; after a soft reboot ('a', 'f' or 'e' on the
//    keyboard) it names the programs to run: "allocator", "fork" or
//    "forkexit". Never returns.
void kernel(const char* command) {
    hardware_init();
    pageinfo_init();
    console_clear();
    timer_init(HZ);

#if STEP >= 1
    isolate_kernel_memory();
#endif

    // A soft reboot does not clear the kernel's data, so clear the table.
    memset(processes, 0, sizeof(processes));
    for (pid_t i = 0; i < NPROC; i++) {
        processes[i].p_pid = i;
        processes[i].p_state = P_FREE;
    }

#if FORCE_FORK
    (void) command;
    process_setup(1, 4);
#else
    if (command && strcmp(command, "fork") == 0) {
        process_setup(1, 4);
    } else if (command && strcmp(command, "forkexit") == 0) {
        process_setup(1, 5);
    } else {
        for (pid_t i = 1; i <= 4; ++i) {
            process_setup(i, i - 1);
        }
    }
#endif

    // Switch to the first process (this never returns).
    run(&processes[1]);
}


/* -------------------------------------------------------- process_setup */

// setup_stack(p)
//    Gives process p one page of stack and points its %rsp at the top.
static void setup_stack(proc* p) {
#if STEP >= 4
    // Step 4: every process has its stack at the top of its own address
    // space, in whatever physical page is free.
    uintptr_t stack_va = MEMSIZE_VIRTUAL - PAGESIZE;
    void* stack_page = allocate_physical_page(p->p_pid);
    assert(stack_page != NULL);
    memset(stack_page, 0, PAGESIZE);
    int r = map_page(p, stack_va, (uintptr_t) stack_page, PTE_P | PTE_W | PTE_U);
    assert(r == 0);
    p->p_registers.reg_rsp = stack_va + PAGESIZE;
#else
    // The handout's layout: the stack is the last page of the process's
    // PROC_SIZE slice of memory, mapped at its own physical address.
    uintptr_t stack_top = PROC_START_ADDR + PROC_SIZE * p->p_pid;
    uintptr_t stack_page = stack_top - PAGESIZE;
    int r = assign_physical_page(stack_page, p->p_pid);
    assert(r == 0);
    r = map_page(p, stack_page, stack_page, PTE_P | PTE_W | PTE_U);
    assert(r == 0);
    p->p_registers.reg_rsp = stack_top;
#endif
}

// process_setup(pid, program_number)
//    Loads program `program_number` into process slot `pid` and makes the
//    process runnable.
void process_setup(pid_t pid, int program_number) {
    proc* p = &processes[pid];
    process_init(p, 0);

#if STEP >= 2
    // Step 2: the process gets a page table of its own, which shares the
    // kernel's mappings and nothing else.
    p->p_pagetable = copy_pagetable(kernel_pagetable, pid);
    assert(p->p_pagetable != NULL);
    pagetable_owner = pid;
    int r = program_load(p, program_number, allocate_pagetable_page);
#else
    // The handout: every process uses the kernel's page table.
    p->p_pagetable = kernel_pagetable;
    ++pageinfo[PAGENUMBER(kernel_pagetable)].refcount;
    int r = program_load(p, program_number, NULL);
#endif
    assert(r >= 0);

#if STEP >= 6
    make_code_read_only(p, program_number);
#endif

    setup_stack(p);
    p->p_state = P_RUNNABLE;
}


/* ------------------------------------------------- memory of a process */

#if STEP >= 1
// is_user_page_address(va)
//    May a process ask for a page at va? Only page-aligned addresses in the
//    process part of the address space.
static bool is_user_page_address(uintptr_t va) {
    return va >= PROC_START_ADDR && va < MEMSIZE_VIRTUAL && (va % PAGESIZE) == 0;
}
#endif

#if STEP >= 5
// hand_over_orphaned_pages(old_owner)
//    Pages that process `old_owner` owns, that others still map, but that
//    old_owner itself no longer maps (it exited, or it took a private copy)
//    are given to one of the processes that map them. So a page's owner is
//    always one of its users, and never a process that is gone.
static void hand_over_orphaned_pages(pid_t old_owner) {
    static bool still_used_by_owner[NPAGES];
    memset(still_used_by_owner, 0, sizeof(still_used_by_owner));

    proc* old = &processes[old_owner];
    if (old->p_state != P_FREE) {
        for (uintptr_t va = PROC_START_ADDR; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
            x86_64_pageentry_t* pte = user_page_entry(old->p_pagetable, va);
            if (pte != NULL) {
                still_used_by_owner[PAGENUMBER(PTE_ADDR(*pte))] = true;
            }
        }
    }

    for (pid_t pid = 1; pid < NPROC; ++pid) {
        proc* q = &processes[pid];
        if (pid == old_owner || q->p_state == P_FREE) {
            continue;
        }
        for (uintptr_t va = PROC_START_ADDR; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
            x86_64_pageentry_t* pte = user_page_entry(q->p_pagetable, va);
            if (pte == NULL) {
                continue;
            }
            int pn = PAGENUMBER(PTE_ADDR(*pte));
            if (pageinfo[pn].owner == old_owner && pageinfo[pn].refcount > 0
                && !still_used_by_owner[pn]) {
                pageinfo[pn].owner = pid;
            }
        }
    }
}

// free_process_memory(p)
//    Releases every page of process p's part of the address space (a page
//    others share just loses one user) and all of p's page-table pages.
//    Used by exit, and by fork to undo a child it could not finish.
static void free_process_memory(proc* p) {
    assert(p->p_pagetable != NULL && p->p_pagetable != kernel_pagetable);

    for (uintptr_t va = PROC_START_ADDR; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
        x86_64_pageentry_t* pte = user_page_entry(p->p_pagetable, va);
        if (pte != NULL) {
            release_physical_page(PAGENUMBER(PTE_ADDR(*pte)));
            *pte = 0;
        }
    }
    free_pagetable(p->p_pagetable, 0);
    p->p_pagetable = NULL;

    // Pages p owned that others still share need a new owner.
    for (int pn = 0; pn < NPAGES; ++pn) {
        if (pageinfo[pn].owner == p->p_pid && pageinfo[pn].refcount > 0) {
            hand_over_orphaned_pages(p->p_pid);
            break;
        }
    }
}
#endif


/* -------------------------------------------------------- system calls */

// syscall_page_alloc(p, va)
//    sys_page_alloc: gives process p a fresh page at virtual address va.
//    Returns 0, or -1 if va is not allowed or memory is full.
static int syscall_page_alloc(proc* p, uintptr_t va) {
#if STEP >= 1
    // Kernel isolation: a process may not map (or clobber) the kernel's
    // memory, reserved memory, or anything outside its own address space.
    if (!is_user_page_address(va)) {
        return -1;
    }
#endif

#if STEP >= 3
    // Step 3: any free physical page will do; the first one is taken.
    if (user_page_entry(p->p_pagetable, va) != NULL) {
        return -1;              // va is already in use
    }
    void* page = allocate_physical_page(p->p_pid);
    if (page != NULL) {
        memset(page, 0, PAGESIZE);      // never leak another process's data
        if (map_page(p, va, (uintptr_t) page, PTE_P | PTE_W | PTE_U) == 0) {
            return 0;
        }
        release_physical_page(PAGENUMBER(page));       // no room for a page table
    }
# if STEP >= 4
    console_printf(CPOS(24, 0), 0x0C00, "Out of physical memory!\n");
# endif
    return -1;
#else
    // The handout: the page at physical address va, mapped at va.
    int r = assign_physical_page(va, p->p_pid);
    if (r >= 0) {
        r = map_page(p, va, va, PTE_P | PTE_W | PTE_U);
    }
    return r;
#endif
}

#if STEP >= 5
// fork_page(parent, child, va, parent_pte)
//    Gives the child the page the parent maps at va (through *parent_pte).
//    A writable page is copied (or, with copy-on-write, shared read-only
//    until someone writes it); a read-only page is shared. Returns 0, or -1
//    if memory is full.
static int fork_page(proc* parent, proc* child, uintptr_t va,
                     x86_64_pageentry_t* parent_pte) {
    uintptr_t pa = PTE_ADDR(*parent_pte);
    int perm = PTE_FLAGS(*parent_pte) & PTE_PERM_MASK;

    if (perm & PTE_W) {
#if COPY_ON_WRITE
        // Both processes lose write access; the first write faults and
        // gets its own copy then (see handle_copy_on_write).
        perm = (perm & ~PTE_W) | PTE_COW;
        int r = virtual_memory_map(parent->p_pagetable, va, pa, PAGESIZE, perm, NULL);
        assert(r == 0);
#else
        (void) parent;
        void* copy = allocate_physical_page(child->p_pid);
        if (copy == NULL) {
            return -1;
        }
        memcpy(copy, (const void*) pa, PAGESIZE);
        if (map_page(child, va, (uintptr_t) copy, perm) < 0) {
            release_physical_page(PAGENUMBER(copy));
            return -1;
        }
        return 0;
#endif
    }

    // Share the page: one more page table maps it.
    if (map_page(child, va, pa, perm) < 0) {
        return -1;
    }
    ++pageinfo[PAGENUMBER(pa)].refcount;
    return 0;
}

// syscall_fork(parent)
//    sys_fork: makes a copy of the parent in a free slot. Returns the
//    child's pid (the child itself sees 0), or -1 if there is no free slot
//    or not enough memory; then nothing has changed.
static pid_t syscall_fork(proc* parent) {
    proc* child = NULL;
    for (pid_t pid = 1; pid < NPROC && child == NULL; ++pid) {
        if (processes[pid].p_state == P_FREE) {
            child = &processes[pid];
        }
    }
    if (child == NULL) {
        return -1;
    }

    // The child stays P_FREE until it is complete, so nothing else sees it.
    child->p_pagetable = copy_pagetable(kernel_pagetable, child->p_pid);
    if (child->p_pagetable == NULL) {
        return -1;
    }
    for (uintptr_t va = PROC_START_ADDR; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
        x86_64_pageentry_t* pte = user_page_entry(parent->p_pagetable, va);
        if (pte != NULL && fork_page(parent, child, va, pte) < 0) {
            free_process_memory(child);         // undo the half-made child
            return -1;
        }
    }

    child->p_registers = parent->p_registers;
    child->p_registers.reg_rax = 0;
    child->p_state = P_RUNNABLE;
    return child->p_pid;
}
#endif

#if STEP >= 7
// exit_process(p)
//    sys_exit: process p ends, its memory is freed and its slot is free.
static void exit_process(proc* p) {
    p->p_state = P_FREE;
    free_process_memory(p);
}
#endif


/* --------------------------------------------------------- copy-on-write */

#if COPY_ON_WRITE
// handle_copy_on_write(p, addr, err)
//    A page fault with error code `err` at `addr`: if it is process p's
//    write to a page that fork shared copy-on-write, give p a writable page
//    of its own. Returns 1 if p may continue, 0 if this was not a
//    copy-on-write fault, and -1 if there was no memory for the copy.
static int handle_copy_on_write(proc* p, uintptr_t addr, uint64_t err) {
    int user_write_protection = PFERR_USER | PFERR_WRITE | PFERR_PRESENT;
    if ((err & user_write_protection) != (uint64_t) user_write_protection
        || addr < PROC_START_ADDR || addr >= MEMSIZE_VIRTUAL) {
        return 0;
    }
    uintptr_t va = ROUNDDOWN(addr, PAGESIZE);
    x86_64_pageentry_t* pte = user_page_entry(p->p_pagetable, va);
    if (pte == NULL || !(*pte & PTE_COW)) {
        return 0;
    }

    uintptr_t shared_pa = PTE_ADDR(*pte);
    int shared_pn = PAGENUMBER(shared_pa);
    int perm = (PTE_FLAGS(*pte) & (PTE_P | PTE_U)) | PTE_W;     // PTE_COW cleared

    if (pageinfo[shared_pn].refcount == 1) {
        // Everyone else has already copied (or exited): the page is p's alone.
        assert(pageinfo[shared_pn].owner == p->p_pid);
        int r = virtual_memory_map(p->p_pagetable, va, shared_pa, PAGESIZE, perm, NULL);
        assert(r == 0);
        return 1;
    }

    void* copy = allocate_physical_page(p->p_pid);
    if (copy == NULL) {
        return -1;
    }
    memcpy(copy, (const void*) shared_pa, PAGESIZE);
    int r = virtual_memory_map(p->p_pagetable, va, (uintptr_t) copy, PAGESIZE, perm, NULL);
    assert(r == 0);
    release_physical_page(shared_pn);
    if (pageinfo[shared_pn].owner == p->p_pid) {
        hand_over_orphaned_pages(p->p_pid);
    }
    return 1;
}
#endif


/* ------------------------------------------------------------ exception */

// page_fault(reg)
//    A page fault. A process's fault stops that process (unless it is a
//    copy-on-write write, which is resolved); a kernel fault is a bug.
static void page_fault(x86_64_registers* reg) {
    uintptr_t addr = rcr2();

#if COPY_ON_WRITE
    int cow = handle_copy_on_write(current, addr, reg->reg_err);
    if (cow > 0) {
        return;
    } else if (cow < 0) {
        console_printf(CPOS(24, 0), 0x0C00,
                       "Process %d out of memory copying %p on write!\n",
                       current->p_pid, addr);
# if STEP >= 7
        exit_process(current);
# else
        current->p_state = P_BROKEN;
# endif
        return;
    }
#endif

    const char* operation = (reg->reg_err & PFERR_WRITE) ? "write" : "read";
    const char* problem = (reg->reg_err & PFERR_PRESENT)
        ? "protection problem" : "missing page";

    if (!(reg->reg_err & PFERR_USER)) {
        panic("Kernel page fault for %p (%s %s, rip=%p)!\n",
              addr, operation, problem, reg->reg_rip);
    }
    console_printf(CPOS(24, 0), 0x0C00,
                   "Process %d page fault for %p (%s %s, rip=%p)!\n",
                   current->p_pid, addr, operation, problem, reg->reg_rip);
    current->p_state = P_BROKEN;
}

// exception(reg)
//    Every interrupt, fault and system call arrives here, on the kernel
//    stack, with interrupts off; `reg` holds the registers of the process
//    that was running. Ends by running a process; never returns.
void exception(x86_64_registers* reg) {
    // Save the process's registers (they are on the kernel stack, which the
    // next trap reuses) and switch to the kernel's page table.
    current->p_registers = *reg;
    set_pagetable(kernel_pagetable);

    // Show the cursor where the processes last printed.
    console_show_cursor(cursorpos);

    // Check the invariants and draw memory, unless the kernel itself
    // faulted (then its state may be broken and the panic matters most).
    bool kernel_page_fault = reg->reg_intno == INT_PAGEFAULT
        && !(reg->reg_err & PFERR_USER);
    if (!kernel_page_fault) {
        check_virtual_memory();
        memshow_physical();
        memshow_virtual_animate();
#if TICK_LIMIT
        // The grading runs stop after TICK_LIMIT ticks, and log the state
        // of memory once a second.
        if (ticks == TICK_LIMIT) {
            poweroff();
        }
        if (reg->reg_intno == INT_TIMER && ticks % HZ == 0) {
            memdump_physical();
            memdump_virtual_all();
        }
#endif
    }

    // A key may ask for a reboot or a power-off.
    check_keyboard();

    switch (reg->reg_intno) {
    case INT_SYS_PANIC:
        panic(NULL);

    case INT_SYS_GETPID:
        current->p_registers.reg_rax = current->p_pid;
        break;

    case INT_SYS_YIELD:
        schedule();

    case INT_SYS_PAGE_ALLOC:
        current->p_registers.reg_rax =
            syscall_page_alloc(current, current->p_registers.reg_rdi);
        break;

#if STEP >= 5
    case INT_SYS_FORK:
        current->p_registers.reg_rax = syscall_fork(current);
        break;
#endif

#if STEP >= 7
    case INT_SYS_EXIT:
        exit_process(current);
        break;
#endif

    case INT_TIMER:
        ++ticks;
        schedule();

    case INT_PAGEFAULT:
        page_fault(reg);
        break;

    default:
        panic("Unexpected exception %d!\n", (int) reg->reg_intno);
    }

    // Return to the current process if it can still run.
    if (current->p_state == P_RUNNABLE) {
        run(current);
    } else {
        schedule();
    }
}


/* ------------------------------------------------------ schedule and run */

// schedule()
//    Runs the next runnable process after `current`, round robin. If no
//    process can run, waits for a key (which may reboot the machine).
void schedule(void) {
    pid_t pid = current->p_pid;
    while (1) {
        pid = (pid + 1) % NPROC;
        if (processes[pid].p_state == P_RUNNABLE) {
            run(&processes[pid]);
        }
        check_keyboard();
    }
}

// run(p)
//    Switches to process p: its page table, then its registers. Never
//    returns; the next trap enters exception() on a fresh kernel stack.
void run(proc* p) {
    assert(p->p_state == P_RUNNABLE);
    current = p;
    set_pagetable(p->p_pagetable);
    exception_return(&p->p_registers);
}


/* -------------------------------------------------------- pageinfo_init */

// pageinfo_init()
//    Fills pageinfo[] from scratch: reserved pages, the kernel's pages (its
//    image and its stack page), and free pages.
void pageinfo_init(void) {
    for (uintptr_t addr = 0; addr < MEMSIZE_PHYSICAL; addr += PAGESIZE) {
        int owner;
        if (physical_memory_isreserved(addr)) {
            owner = PO_RESERVED;
        } else if ((addr >= KERNEL_START_ADDR && addr < (uintptr_t) end)
                   || addr == KERNEL_STACK_TOP - PAGESIZE) {
            owner = PO_KERNEL;
        } else {
            owner = PO_FREE;
        }
        pageinfo[PAGENUMBER(addr)].owner = owner;
        pageinfo[PAGENUMBER(addr)].refcount = (owner != PO_FREE);
    }
}


/* ---------------------------------------------------- invariant checks */

// check_page_table_mappings(pt)
//    Does `pt` map the kernel as the kernel needs? Its image at its own
//    addresses (data writable) and the kernel stack page, writable.
void check_page_table_mappings(x86_64_pagetable* pt) {
    assert(PTE_ADDR(pt) == (uintptr_t) pt);

    for (uintptr_t va = KERNEL_START_ADDR; va < (uintptr_t) end; va += PAGESIZE) {
        vamapping vam = virtual_memory_lookup(pt, va);
        if (vam.pa != va) {
            console_printf(CPOS(22, 0), 0xC000, "%p vs %p\n", va, vam.pa);
        }
        assert(vam.pa == va);
        if (va >= (uintptr_t) start_data) {
            assert(vam.perm & PTE_W);
        }
    }

    uintptr_t kernel_stack = KERNEL_STACK_TOP - PAGESIZE;
    vamapping vam = virtual_memory_lookup(pt, kernel_stack);
    assert(vam.pa == kernel_stack);
    assert(vam.perm & PTE_W);
}

// check_page_table_ownership_level(pt, level, owner, refcount)
//    The page-table page `pt` at `level` belongs to `owner` with
//    `refcount`, and so do the tables below it (with refcount 1). Any
//    nonzero entry counts, present or not.
static void check_page_table_ownership_level(x86_64_pagetable* pt, int level,
                                             int owner, int refcount) {
    assert(PAGENUMBER(pt) < NPAGES);
    assert(pageinfo[PAGENUMBER(pt)].owner == owner);
    assert(pageinfo[PAGENUMBER(pt)].refcount == refcount);
    if (level < 3) {
        for (int index = 0; index < NPAGETABLEENTRIES; ++index) {
            if (pt->entry[index]) {
                x86_64_pagetable* next = (x86_64_pagetable*) PTE_ADDR(pt->entry[index]);
                check_page_table_ownership_level(next, level + 1, owner, 1);
            }
        }
    }
}

// check_page_table_ownership(pt, pid)
//    Are the page-table pages of `pt` owned by process `pid` (or, for
//    kernel_pagetable, by the kernel), with the right refcounts? The
//    kernel's top table counts one use for itself and one for each process
//    that shares it.
void check_page_table_ownership(x86_64_pagetable* pt, pid_t pid) {
    int owner = pid;
    int expected_refcount = 1;
    if (pt == kernel_pagetable) {
        owner = PO_KERNEL;
        for (int xpid = 0; xpid < NPROC; ++xpid) {
            if (processes[xpid].p_state != P_FREE
                && processes[xpid].p_pagetable == kernel_pagetable) {
                ++expected_refcount;
            }
        }
    }
    check_page_table_ownership_level(pt, 0, owner, expected_refcount);
}

#if CHECK_REFCOUNTS && STEP >= 2
// Scratch arrays for check_page_refcounts: per physical page, how many
// uses we found, and whether its owner is one of the users.
static int8_t found_uses[NPAGES];
static bool found_owner_use[NPAGES];

// count_use(pn, pid)
//    Process `pid` uses physical page pn once more.
static void count_use(int pn, pid_t pid) {
    ++found_uses[pn];
    if (pageinfo[pn].owner == pid) {
        found_owner_use[pn] = true;
    }
}

// count_uses(pt, level, va, pid)
//    Counts process pid's uses of physical pages through the page-table
//    page `pt` (at `level`, translating addresses from `va` up): the page
//    itself, the tables below it, and the process pages its leaf entries
//    map. (The kernel's part of the address space is not counted.)
static void count_uses(x86_64_pagetable* pt, int level, uintptr_t va, pid_t pid) {
    count_use(PAGENUMBER(pt), pid);
    for (int i = 0; i < NPAGETABLEENTRIES; ++i) {
        x86_64_pageentry_t pe = pt->entry[i];
        if (!(pe & PTE_P)) {
            continue;
        }
        uintptr_t entry_va = va + ((uintptr_t) i << (PAGEOFFBITS + (3 - level) * PAGEINDEXBITS));
        if (level < 3) {
            count_uses((x86_64_pagetable*) PTE_ADDR(pe), level + 1, entry_va, pid);
        } else if (entry_va >= PROC_START_ADDR) {
            count_use(PAGENUMBER(PTE_ADDR(pe)), pid);
        }
    }
}

// check_page_refcounts()
//    (Optional, for tests.) Every process page's refcount is exactly the
//    number of its uses (mappings, or being a page table), and its owner is
//    one of those users; free pages have no owner. This catches leaks.
static void check_page_refcounts(void) {
    memset(found_uses, 0, sizeof(found_uses));
    memset(found_owner_use, 0, sizeof(found_owner_use));
    for (pid_t pid = 1; pid < NPROC; ++pid) {
        if (processes[pid].p_state != P_FREE) {
            count_uses(processes[pid].p_pagetable, 0, 0, pid);
        }
    }

    for (int pn = 0; pn < NPAGES; ++pn) {
        if (pageinfo[pn].refcount == 0) {
            assert(pageinfo[pn].owner == PO_FREE);
        } else if (pageinfo[pn].owner > 0) {
            if (pageinfo[pn].refcount != found_uses[pn] || !found_owner_use[pn]) {
                console_printf(CPOS(22, 0), 0xC000,
                               "page %d: owner %d, refcount %d, %d uses\n", pn,
                               pageinfo[pn].owner, pageinfo[pn].refcount, found_uses[pn]);
            }
            assert(pageinfo[pn].refcount == found_uses[pn]);
            assert(found_owner_use[pn]);
        }
    }
}
#endif

// check_virtual_memory()
//    Checks the kernel's invariants about page tables and pages; a failure
//    is a panic with the failed assertion.
void check_virtual_memory(void) {
    // Process 0 must never be used.
    assert(processes[0].p_state == P_FREE);

    // The kernel's page table, and every process's own page table, map the
    // kernel and are owned by the right party.
    check_page_table_mappings(kernel_pagetable);
    check_page_table_ownership(kernel_pagetable, -1);
    for (int pid = 0; pid < NPROC; ++pid) {
        if (processes[pid].p_state != P_FREE
            && processes[pid].p_pagetable != kernel_pagetable) {
            check_page_table_mappings(processes[pid].p_pagetable);
            check_page_table_ownership(processes[pid].p_pagetable, pid);
        }
    }

    // A page in use that belongs to a process belongs to a live one.
    for (int pn = 0; pn < PAGENUMBER(MEMSIZE_PHYSICAL); ++pn) {
        if (pageinfo[pn].refcount > 0 && pageinfo[pn].owner >= 0) {
            assert(processes[pageinfo[pn].owner].p_state != P_FREE);
        }
    }

#if CHECK_REFCOUNTS && STEP >= 2
    check_page_refcounts();
#endif
}


/* ------------------------------------------------------------- memshow */

// The cell (character and colour) for each owner, indexed by owner + 2:
// kernel, reserved, free, then processes 1-15 (shown by their hex digit).
static const uint16_t memstate_colors[] = {
    'K' | 0x0D00, 'R' | 0x0700, '.' | 0x0700, '1' | 0x0C00,
    '2' | 0x0A00, '3' | 0x0900, '4' | 0x0E00, '5' | 0x0F00,
    '6' | 0x0C00, '7' | 0x0A00, '8' | 0x0900, '9' | 0x0E00,
    'A' | 0x0F00, 'B' | 0x0C00, 'C' | 0x0A00, 'D' | 0x0900,
    'E' | 0x0E00, 'F' | 0x0F00
};

// page_cell(pn)
//    The cell showing physical page pn: its owner's, or free ('.') if
//    nobody uses it; darker if it is shared.
static uint16_t page_cell(int pn) {
    int owner = pageinfo[pn].owner;
    if (pageinfo[pn].refcount == 0) {
        owner = PO_FREE;
    }
    return memstate_colors[owner - PO_KERNEL];
}

// darken_if_shared(cell, pn)
//    Shared pages lose the bright bits of both colours.
static uint16_t darken_if_shared(uint16_t cell, int pn) {
    if (pageinfo[pn].refcount > 1) {
        cell &= 0x77FF;
    }
    return cell;
}

// memshow_physical()
//    Draws physical memory on rows 1-8, 64 pages per row.
void memshow_physical(void) {
    console_printf(CPOS(0, 32), 0x0F00, "PHYSICAL MEMORY");
    for (int pn = 0; pn < PAGENUMBER(MEMSIZE_PHYSICAL); ++pn) {
        if (pn % 64 == 0) {
            console_printf(CPOS(1 + pn / 64, 3), 0x0F00, "0x%06X ", pn << 12);
        }
        console[CPOS(1 + pn / 64, 12 + pn % 64)] = darken_if_shared(page_cell(pn), pn);
    }
}

// memshow_virtual(pagetable, name)
//    Draws the address space of `pagetable` on rows 11-22: each virtual
//    page shows the owner of the physical page behind it, in reverse video
//    if processes may use it; blank if nothing is mapped.
void memshow_virtual(x86_64_pagetable* pagetable, const char* name) {
    assert((uintptr_t) pagetable == PTE_ADDR(pagetable));

    console_printf(CPOS(10, 26), 0x0F00, "VIRTUAL ADDRESS SPACE FOR %s", name);
    for (uintptr_t va = 0; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
        vamapping vam = virtual_memory_lookup(pagetable, va);
        uint16_t cell;
        if (vam.pn < 0) {
            cell = ' ';
        } else {
            assert(vam.pn < NPAGES);
            cell = page_cell(vam.pn);
            if (vam.perm & PTE_U) {
                // Reverse video: swap the foreground and background colours.
                cell = ((cell & 0x0F00) << 4) | ((cell & 0xF000) >> 4) | (cell & 0x00FF);
            }
            cell = darken_if_shared(cell, vam.pn);
        }
        int pn = PAGENUMBER(va);
        if (pn % 64 == 0) {
            console_printf(CPOS(11 + pn / 64, 3), 0x0F00, "0x%06X ", va);
        }
        console[CPOS(11 + pn / 64, 12 + pn % 64)] = cell;
    }
}

// memshow_virtual_animate()
//    Draws one process's address space, moving on to the next process
//    every half second (HZ/2 ticks).
void memshow_virtual_animate(void) {
    static unsigned last_ticks = 0;
    static int showing = 1;

    if (last_ticks == 0 || ticks - last_ticks >= HZ / 2) {
        last_ticks = ticks;
        ++showing;
    }

    // Skip free slots; give up after going twice around the table.
    while (showing <= 2 * NPROC && processes[showing % NPROC].p_state == P_FREE) {
        ++showing;
    }
    showing = showing % NPROC;

    if (processes[showing].p_state != P_FREE) {
        char name[4];
        snprintf(name, sizeof(name), "%d ", showing);
        memshow_virtual(processes[showing].p_pagetable, name);
    }
}


/* --------------------------------------------------- memdump (grading log) */

// memdump_physical()
//    Logs "PM_DUMP <ticks>" and, for every physical page, its owner (as an
//    unsigned byte: the kernel's -2 is 254) and refcount.
void memdump_physical(void) {
    log_printf("PM_DUMP %u\n", ticks);
    for (int pn = 0; pn < NPAGES; ++pn) {
        log_printf("%d %d ", (uint8_t) pageinfo[pn].owner, pageinfo[pn].refcount);
        if (pn % 64 == 63) {
            log_printf("\n");
        }
    }
}

// memdump_virtual(pagetable, name)
//    Logs "VM_DUMP <name> <ticks>" and, for every virtual page, the owner,
//    refcount and permissions of the physical page it maps, or "0 0 0".
void memdump_virtual(x86_64_pagetable* pagetable, const char* name) {
    log_printf("VM_DUMP %s %u\n", name, ticks);
    for (uintptr_t va = 0; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
        vamapping vam = virtual_memory_lookup(pagetable, va);
        if (vam.pn < 0) {
            log_printf("0 0 0 ");
        } else {
            log_printf("%d %d %d ", (uint8_t) pageinfo[vam.pn].owner,
                       pageinfo[vam.pn].refcount, vam.perm);
        }
        if (PAGENUMBER(va) % 64 == 63) {
            log_printf("\n");
        }
    }
}

// memdump_virtual_all()
//    memdump_virtual for every process, named by its pid.
void memdump_virtual_all(void) {
    for (pid_t pid = 0; pid < NPROC; ++pid) {
        if (processes[pid].p_state != P_FREE) {
            char name[4];
            snprintf(name, sizeof(name), "%d ", pid);
            memdump_virtual(processes[pid].p_pagetable, name);
        }
    }
}
