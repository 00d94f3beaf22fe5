/* kernel.h: the WeensyOS kernel's view of itself. Processes, the memory
 * layout, and every function the support library (k-hardware.c,
 * k-loader.c, k-exception.c, lib.c) offers kernel.c. The comments are the
 * API documentation.
 *
 * WeensyScope's own text of the WeensyOS kernel.h API. A workspace's own
 * kernel.h takes the place of this one.
 */
#ifndef WEENSYOS_KERNEL_H
#define WEENSYOS_KERNEL_H
#include "x86-64.h"

/* ------------------------------------------------------------- processes */

typedef enum procstate {
    P_FREE = 0,          /* the slot is free */
    P_RUNNABLE,          /* the process can run */
    P_BLOCKED,           /* the process is waiting */
    P_BROKEN             /* the process faulted and will not run again */
} procstate_t;

/* A process descriptor. */
typedef struct proc {
    pid_t p_pid;                        /* process ID */
    x86_64_registers p_registers;       /* saved registers */
    procstate_t p_state;                /* process state */
    x86_64_pagetable* p_pagetable;      /* the process's page table */
} proc;

#define NPROC 16                        /* number of slots; processes[0] is never used */

/* -------------------------------------------------------- memory layout */

#define KERNEL_START_ADDR 0x40000       /* the kernel image starts here */
#define KERNEL_STACK_TOP 0x80000        /* the kernel stack is the page below */
#define PROC_START_ADDR 0x100000        /* processes are loaded from here up */

#define MEMSIZE_PHYSICAL 0x200000       /* 2 MB of physical memory */
#define NPAGES (MEMSIZE_PHYSICAL / PAGESIZE)
#define MEMSIZE_VIRTUAL 0x300000        /* 3 MB of virtual address space per process */

/* The kernel image's symbols (from the linker): its data starts at
   start_data and everything ends at end. */
extern char start_data[];
extern char end[];

/* ------------------------------------------------------------ hardware */

/* hardware_init(): sets up the descriptor tables, the interrupt controller
   (everything masked) and virtual memory. kernel_pagetable ends up pointing
   at five zeroed page tables (an L1, L2 and L3, and two L4s) that map
   virtual addresses [0, MEMSIZE_PHYSICAL) to the same physical addresses,
   with PTE_P | PTE_W | PTE_U; it loads them into %cr3 and sets CR0.WP, so
   the kernel, too, faults writing a read-only page. */
void hardware_init(void);

/* timer_init(rate): the timer interrupts `rate` times a second (a rate <= 0
   turns it off). Interrupts arrive only while user code runs. */
void timer_init(int rate);

/* The kernel's page table. */
extern x86_64_pagetable* kernel_pagetable;

/* virtual_memory_map(pagetable, va, pa, sz, perm, allocator)
   Maps virtual addresses [va, va+sz) in `pagetable` to physical addresses
   [pa, pa+sz) with permissions `perm` (PTE_P, PTE_W, PTE_U). va, pa and sz
   must be multiples of PAGESIZE, and pa+sz must not exceed
   MEMSIZE_PHYSICAL when perm has PTE_P. A perm without PTE_P unmaps: the
   entries become `perm` and pa is ignored.
   A missing intermediate page table is made with `allocator()`, which must
   return a free, page-aligned physical page below MEMSIZE_PHYSICAL (or
   NULL); the allocator does the pageinfo bookkeeping, and this function
   zeroes the new page and links it with PTE_P | PTE_W | PTE_U.
   Returns 0 on success and -1 when a table was needed but could not be
   made (no allocator, or it returned NULL). It does not flush the TLB. */
int virtual_memory_map(x86_64_pagetable* pagetable, uintptr_t va,
                       uintptr_t pa, size_t sz, int perm,
                       x86_64_pagetable* (*allocator)(void));

/* virtual_memory_lookup(pagetable, va)
   Says how `pagetable` translates va: the physical page number `pn`, the
   physical address `pa` (page plus offset), and the permissions `perm`: the
   AND of PTE_P, PTE_W and PTE_U over all four levels. When va is not mapped
   the result is { -1, (uintptr_t) -1, 0 }. (In the CS61 variant, perm is
   the leaf entry's flags as they are, accessed and dirty bits included.) */
typedef struct vamapping {
    int pn;           /* physical page number; -1 if unmapped */
    uintptr_t pa;     /* physical address; (uintptr_t) -1 if unmapped */
    int perm;         /* permissions; 0 if unmapped */
} vamapping;

vamapping virtual_memory_lookup(x86_64_pagetable* pagetable, uintptr_t va);

/* set_pagetable(pagetable): loads pagetable into %cr3. It first checks
   that the page table is page-aligned and maps, at their own addresses,
   the kernel's code, the kernel page table, and itself. */
void set_pagetable(x86_64_pagetable* pagetable);

/* physical_memory_isreserved(pa): is physical address pa reserved (page
   0, or the I/O hole 0xA0000-0xFFFFF, which holds the console)? */
int physical_memory_isreserved(uintptr_t pa);

/* ------------------------------------------------------------ processes */

/* process_init(p, flags): clears p's registers and gives it user-mode
   segments and interrupts enabled. Flags: */
#define PROCINIT_ALLOW_PROGRAMMED_IO 0x01  /* the process may use in/out */
#define PROCINIT_DISABLE_INTERRUPTS 0x02   /* the process runs with IF clear */
void process_init(proc* p, int flags);

/* program_load(p, programnumber, allocator): loads program `programnumber`
   (0 = p-allocator, 1-3 = p-allocator2-4, 4 = p-fork, 5 = p-forkexit) into
   process p. For every page of every loadable segment it calls
   assign_physical_page(addr, p->p_pid) and maps the page at the same
   virtual address with PTE_P | PTE_W | PTE_U (using `allocator` for page
   tables); it copies the program through p's page table and sets p's
   %rip to the entry point. Returns 0, or -1 if a page cannot be assigned
   or mapped. */
int program_load(proc* p, int programnumber, x86_64_pagetable* (*allocator)(void));

/* assign_physical_page(addr, owner): kernel.c's own function, which
   program_load calls: marks the free physical page at addr as owned by
   `owner` with refcount 1. Returns 0, or -1 if the page is not free. */
int assign_physical_page(uintptr_t addr, int8_t owner);

/* exception_return(reg): restores the registers in *reg and continues
   where they say (in user mode, for a process). Never returns. */
void exception_return(x86_64_registers* reg) __attribute__((noreturn));

/* ------------------------------------------------------------- devices */

/* check_keyboard(): handles a waiting keypress, if any. 'a', 'f' and 'e'
   reboot the kernel with the command "allocator", "fork" or "forkexit";
   'q' and Control-C power off. Returns the key, or -1 if there was none. */
int check_keyboard(void);

/* console_show_cursor(cpos): puts the blinking cursor at cpos. */
void console_show_cursor(int cpos);

/* log_printf(format, ...): prints to the log (the parallel port; the
   course's grading scripts read it). log_vprintf takes a va_list. */
void log_printf(const char* format, ...);
/* log_vprintf(format, val): log_printf with a va_list. */
void log_vprintf(const char* format, va_list val);

/* error_printf(cpos, color, format, ...): prints on the console and in the log. */
int error_printf(int cpos, int color, const char* format, ...);

/* poweroff(): turns the machine off. */
void poweroff(void) __attribute__((noreturn));

/* reboot(): restarts the machine. */
void reboot(void) __attribute__((noreturn));

/* ------------------------------------------------------- kernel.c hooks */

/* kernel(command): the kernel's entry point, called with NULL at boot and
   with "allocator", "fork" or "forkexit" after a soft reboot. */
void kernel(const char* command);

/* exception(reg): called on every interrupt, fault and system call, with
   the registers the trap saved. */
void exception(x86_64_registers* reg);

/* default_int_handler: where unexpected interrupts go. */
void default_int_handler(x86_64_registers* reg);

#endif
