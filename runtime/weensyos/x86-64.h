/* x86-64.h: the hardware as WeensyOS sees it. Paging macros and constants,
 * page-table entry flags, page-fault error bits, interrupt numbers, the
 * register frame a trap saves, the descriptor structures, and one-line
 * helpers for the privileged instructions.
 *
 * WeensyScope's own text of the WeensyOS x86-64.h API. On WeensyScope the
 * helpers are compiler intrinsics (one instruction of the machine each), so
 * there is no inline assembly here and none is accepted in a kernel.
 */
#ifndef WEENSYOS_X86_64_H
#define WEENSYOS_X86_64_H
#include "lib.h"

/* ---------------------------------------------------------------- paging */
/* WeensyOS numbers page-table levels from the top: level 0 is "L1" (the
   table CR3 points at; address bits 39-47) and level 3 is "L4", the leaf
   table (bits 12-20). Intel calls the top one PML4: the reverse. */

#define PAGEOFFBITS 12                     /* bits of an address within a page */
#define PAGESIZE (1 << PAGEOFFBITS)        /* 4096 */
#define PAGEOFFMASK (PAGESIZE - 1)         /* 0xFFF */
#define PAGEINDEXBITS 9                    /* bits of an index into a page table */
#define NPAGETABLEENTRIES (1 << PAGEINDEXBITS) /* 512 */
#define PAGEINDEXMASK (NPAGETABLEENTRIES - 1) /* 0x1FF */

/* PAGENUMBER(addr): the page number of an address (an int). */
#define PAGENUMBER(ptr) ((int) ((uintptr_t) (ptr) >> PAGEOFFBITS))
/* PAGEADDRESS(pn): the address where page number pn starts. */
#define PAGEADDRESS(pn) ((uintptr_t) (pn) << PAGEOFFBITS)
/* PAGEOFFSET(addr): the offset of an address within its page. */
#define PAGEOFFSET(addr) ((uintptr_t) (addr) & PAGEOFFMASK)

/* pageindex(addr, level): the index into the level-`level` page table
   (0 = L1, the top, ... 3 = L4, the leaf) that translating `addr` uses. */
static inline int pageindex(uintptr_t addr, int level) {
    assert(level >= 0 && level <= 3);
    return (int) (addr >> (PAGEOFFBITS + (3 - level) * PAGEINDEXBITS)) & PAGEINDEXMASK;
}
#define PAGEINDEX(addr, level) (pageindex((uintptr_t) (addr), (level)))
#define L1PAGEINDEX(addr) PAGEINDEX(addr, 0)
#define L2PAGEINDEX(addr) PAGEINDEX(addr, 1)
#define L3PAGEINDEX(addr) PAGEINDEX(addr, 2)
#define L4PAGEINDEX(addr) PAGEINDEX(addr, 3)

/* A page-table entry: the physical address of a page (or of the next table)
   in bits 12-51, flags in bits 0-11 (and bit 63, execute-disable). */
typedef uint64_t x86_64_pageentry_t;

/* A page table: 512 entries filling exactly one aligned page. */
typedef struct __attribute__((aligned(PAGESIZE))) x86_64_pagetable {
    x86_64_pageentry_t entry[NPAGETABLEENTRIES];
} x86_64_pagetable;

/* PTE_ADDR(pe): the physical address in an entry (every bit above 11 kept).
   PTE_FLAGS(pe): its flag bits. */
#define PTE_ADDR(pageentry) ((uintptr_t) (pageentry) & ~0xFFFUL)
#define PTE_FLAGS(pageentry) ((uintptr_t) (pageentry) & 0xFFFUL)

/* Page-table entry flags. */
#define PTE_P 1     /* present: the entry is valid */
#define PTE_W 2     /* writable (needed at every level for a write) */
#define PTE_U 4     /* user-accessible (needed at every level for user mode) */
#define PTE_A 32    /* accessed: set by the hardware when the entry is used */
#define PTE_D 64    /* dirty: set by the hardware on a write to the page */
#define PTE_PS 128  /* page size: a 2 MB page in an L3 entry */

/* Page-fault error code bits (the frame's reg_err on a page fault). */
#define PFERR_PRESENT 0x1  /* the page was present: a protection problem */
#define PFERR_WRITE 0x2    /* the access was a write */
#define PFERR_USER 0x4     /* the access came from user mode */

/* ----------------------------------------------------- interrupt numbers */
#define INT_DIVIDE 0x0        /* divide error */
#define INT_DEBUG 0x1         /* debug exception */
#define INT_BREAKPOINT 0x3    /* breakpoint (int3) */
#define INT_OVERFLOW 0x4      /* overflow */
#define INT_BOUNDS 0x5        /* bounds check */
#define INT_INVALIDOP 0x6     /* invalid opcode */
#define INT_DOUBLEFAULT 0x8   /* double fault */
#define INT_INVALIDTSS 0xa    /* invalid task switch segment */
#define INT_SEGMENT 0xb       /* segment not present */
#define INT_STACK 0xc         /* stack exception */
#define INT_GPF 0xd           /* general protection fault */
#define INT_PAGEFAULT 0xe     /* page fault */
#define INT_HARDWARE 32       /* the first hardware interrupt */
#define INT_TIMER (INT_HARDWARE + 0)

/* -------------------------------------------------------- control bits */
#define CR0_PE 0x00000001   /* protection enable */
#define CR0_MP 0x00000002   /* monitor coprocessor */
#define CR0_EM 0x00000004   /* emulation */
#define CR0_TS 0x00000008   /* task switched */
#define CR0_ET 0x00000010   /* extension type */
#define CR0_NE 0x00000020   /* numeric error */
#define CR0_WP 0x00010000   /* write protect: the kernel, too, obeys PTE_W */
#define CR0_AM 0x00040000   /* alignment mask */
#define CR0_NW 0x20000000   /* not write-through */
#define CR0_CD 0x40000000   /* cache disable */
#define CR0_PG 0x80000000   /* paging */

#define CR4_PAE 0x00000020  /* physical address extension */
#define CR4_PGE 0x00000080  /* global pages */

#define EFLAGS_IF 0x00000200  /* interrupts enabled */
#define EFLAGS_IOPL_MASK 0x00003000
#define EFLAGS_IOPL_3 0x00003000  /* user mode may use in/out */

/* Segment selectors (the machine has no segmentation beyond privilege). */
#define SEGSEL_KERN_CODE 0x8
#define SEGSEL_APP_CODE 0x10
#define SEGSEL_KERN_DATA 0x18
#define SEGSEL_APP_DATA 0x20
#define SEGSEL_TASKSTATE 0x28

/* -------------------------------------------------------- register frame */
/* The registers a trap saves, in the order they sit on the kernel stack
   (lowest address first). exception() receives a pointer to one of these,
   and exception_return() restores one. Everything is 64 bits except the
   segment selectors. */
typedef struct x86_64_registers {
    uint64_t reg_rax;
    uint64_t reg_rcx;
    uint64_t reg_rdx;
    uint64_t reg_rbx;
    uint64_t reg_rbp;
    uint64_t reg_rsi;
    uint64_t reg_rdi;
    uint64_t reg_r8;
    uint64_t reg_r9;
    uint64_t reg_r10;
    uint64_t reg_r11;
    uint64_t reg_r12;
    uint64_t reg_r13;
    uint64_t reg_r14;
    uint64_t reg_r15;
    uint64_t reg_fs;
    uint64_t reg_gs;

    uint64_t reg_intno;     /* the interrupt number (INT_*) */
    uint64_t reg_err;       /* the error code (page faults: PFERR_*) */

    uint64_t reg_rip;       /* where to continue */
    uint16_t reg_cs;
    uint16_t reg_padding2[3];
    uint64_t reg_rflags;
    uint64_t reg_rsp;
    uint16_t reg_ss;
    uint16_t reg_padding3[3];
} x86_64_registers;

/* --------------------------------------------------- descriptor tables */
/* WeensyScope's machine reads a 16-byte interrupt gate: the handler address,
   then a byte with P (0x80), the DPL (bits 5-6) and the gate type (0xE
   interrupt gate, 0xF trap gate). An interrupt gate clears IF. */
typedef struct x86_64_gatedescriptor {
    uint64_t gd_handler;
    uint8_t gd_attributes;
    uint8_t gd_reserved[7];
} x86_64_gatedescriptor;
#define X86GATE_INTERRUPT 0xE
#define X86GATE_TRAP 0xF
#define X86GATE_PRESENT 0x80

/* The 64-bit task-state segment; the machine uses ts_rsp[0], the stack a
   trap from user mode switches to. */
typedef struct __attribute__((packed)) x86_64_taskstate {
    uint32_t ts_reserved0;
    uint64_t ts_rsp[3];
    uint64_t ts_ist[7];
    uint64_t ts_reserved1;
    uint16_t ts_reserved2;
    uint16_t ts_iomap_base;
} x86_64_taskstate;

/* ------------------------------------------------ privileged instructions */

/* rcr2(): the faulting address of the last page fault. */
static inline uintptr_t rcr2(void) { return __builtin_ws_rcr2(); }
/* lcr3(pa): switch to the page table at physical address pa (flushes the TLB). */
static inline void lcr3(uintptr_t val) { __builtin_ws_lcr3(val); }
/* rcr3(): the physical address of the current page table. */
static inline uintptr_t rcr3(void) { return __builtin_ws_rcr3(); }
/* rcr0(), lcr0(val): read and write %cr0 (CR0_PG paging, CR0_WP write protect, ...). */
static inline uint64_t rcr0(void) { return __builtin_ws_rcr0(); }
static inline void lcr0(uint64_t val) { __builtin_ws_lcr0(val); }
/* rcr4(), lcr4(val): read and write %cr4 (CR4_PAE, CR4_PGE). */
static inline uint64_t rcr4(void) { return __builtin_ws_rcr4(); }
static inline void lcr4(uint64_t val) { __builtin_ws_lcr4(val); }
/* invlpg(va): drop the TLB's translation of va. */
static inline void invlpg(void* va) { __builtin_ws_invlpg((uintptr_t) va); }
/* tlbflush(): drop every (non-global) translation: reload CR3. */
static inline void tlbflush(void) { lcr3(rcr3()); }
/* read_rsp(), read_rbp(): the current stack and frame pointers. A user
   program finds its stack page with ROUNDDOWN(read_rsp() - 1, PAGESIZE). */
static inline uintptr_t read_rsp(void) { return __builtin_ws_read_rsp(); }
static inline uintptr_t read_rbp(void) { return __builtin_ws_read_rbp(); }
/* read_rflags(): %rflags (EFLAGS_IF says whether interrupts are enabled). */
static inline uint64_t read_rflags(void) { return __builtin_ws_read_rflags(); }
/* cli(), sti(): disable and enable interrupts; hlt(): wait for one. */
static inline void cli(void) { __builtin_ws_cli(); }
static inline void sti(void) { __builtin_ws_sti(); }
static inline void hlt(void) { __builtin_ws_hlt(); }
/* lidt(idt), ltr(tss): load the interrupt descriptor table and the task
   state segment (hardware_init does both). */
static inline void lidt(const void* idt) { __builtin_ws_lidt((uintptr_t) idt); }
static inline void ltr(const void* tss) { __builtin_ws_ltr((uintptr_t) tss); }

/* inb/inw/inl(port), outb/outw/outl(port, data): read and write an I/O port
   (the keyboard, the timer, the log's parallel port). Privileged: user
   code gets a general-protection fault unless PROCINIT_ALLOW_PROGRAMMED_IO. */
static inline uint8_t inb(int port) { return (uint8_t) __builtin_ws_inb(port); }
static inline uint16_t inw(int port) { return (uint16_t) __builtin_ws_inw(port); }
static inline uint32_t inl(int port) { return (uint32_t) __builtin_ws_inl(port); }
static inline void outb(int port, uint8_t data) { __builtin_ws_outb(port, data); }
static inline void outw(int port, uint16_t data) { __builtin_ws_outw(port, data); }
static inline void outl(int port, uint32_t data) { __builtin_ws_outl(port, data); }

#endif
