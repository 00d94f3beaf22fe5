// Code in the style of a WeensyOS kernel: page-table entries and address
// arithmetic with macros, a page-info array, a tiny allocator, memset/memcpy/
// strcmp written out, and process descriptors with function-pointer state.
#include "test.h"

typedef unsigned long uintptr_t;
typedef unsigned long x86_64_pageentry_t;
typedef int pid_t;
typedef struct x86_64_pagetable {
  x86_64_pageentry_t entry[512];
} __attribute__((aligned(4096))) x86_64_pagetable;

#define PAGESIZE 4096
#define PAGEOFFBITS 12
#define PTE_P 1
#define PTE_W 2
#define PTE_U 4
#define PTE_PAMASK 0x000FFFFFFFFFF000UL
#define PTE_ADDR(pe) ((uintptr_t)(pe) & PTE_PAMASK)
#define PTE_FLAGS(pe) ((uintptr_t)(pe) & 0xFFF)
#define PAGENUMBER(ptr) ((int)((uintptr_t)(ptr) / PAGESIZE))
#define PAGEADDRESS(pn) ((uintptr_t)(pn) * PAGESIZE)
#define PAGEINDEX(addr, level) ((int)(((uintptr_t)(addr) >> (PAGEOFFBITS + (3 - (level)) * 9)) & 0x1FF))
#define ROUNDUP(a, n) ({ uintptr_t __a = (uintptr_t)(a); (typeof(a))(__a + (n) - 1 - (__a + (n) - 1) % (n)); })
#define NPAGES 64
#define PO_FREE 0
#define PO_KERNEL (-1)


static struct {
  signed char owner;
  signed char refcount;
} pageinfo[NPAGES];

static x86_64_pagetable tables[4];
static unsigned char memory[NPAGES][64];

typedef enum { P_FREE = 0, P_RUNNABLE, P_BLOCKED, P_BROKEN } procstate_t;
typedef struct proc {
  pid_t p_pid;
  struct { unsigned long reg_rax, reg_rip; } p_registers;
  procstate_t p_state;
  x86_64_pagetable *p_pagetable;
} proc;
static proc processes[16];
static proc *current;

static void *memset_(void *v, int c, size_t n) {
  for (unsigned char *p = v; n > 0; ++p, --n) *p = c;
  return v;
}
static void *memcpy_(void *dst, const void *src, size_t n) {
  const char *s = (const char *)src;
  for (char *d = (char *)dst; n > 0; --n, ++s, ++d) *d = *s;
  return dst;
}
static int strcmp_(const char *a, const char *b) {
  while (*a && *a == *b) ++a, ++b;
  return ((unsigned char)*a > (unsigned char)*b) - ((unsigned char)*a < (unsigned char)*b);
}
static int assign_physical_page(uintptr_t addr, signed char owner) {
  if ((addr & 0xFFF) != 0 || addr >= NPAGES * PAGESIZE || pageinfo[PAGENUMBER(addr)].refcount != 0) return -1;
  pageinfo[PAGENUMBER(addr)].refcount = 1;
  pageinfo[PAGENUMBER(addr)].owner = owner;
  return 0;
}
static uintptr_t find_free(void) {
  for (uintptr_t pa = 0; pa < NPAGES * PAGESIZE; pa += PAGESIZE)
    if (pageinfo[PAGENUMBER(pa)].owner == PO_FREE) return pa;
  return (uintptr_t)-1;
}
static int map(x86_64_pagetable *pt, uintptr_t va, uintptr_t pa, int perm) {
  int idx = PAGEINDEX(va, 3);
  pt->entry[idx] = pa | perm;
  return idx;
}
static uintptr_t lookup(x86_64_pagetable *pt, uintptr_t va) {
  x86_64_pageentry_t pe = pt->entry[PAGEINDEX(va, 3)];
  if (!(pe & PTE_P)) return (uintptr_t)-1;
  return PTE_ADDR(pe) | (va & 0xFFF);
}
static void run(proc *p) {
  current = p;
  p->p_state = P_RUNNABLE;
  p->p_registers.reg_rax = p->p_pid * 100;
}

int main(void) {
  ASSERT(4096, sizeof(x86_64_pagetable));
  ASSERT(4096, _Alignof(x86_64_pagetable));
  ASSERT(0, (uintptr_t)&tables[1] % 4096);
  ASSERT(0, PAGEINDEX(0x1000, 2));
  ASSERT(1, PAGEINDEX(0x1000, 3));
  ASSERT(1, PAGEINDEX(0x200000, 2));
  ASSERT(1, PAGEINDEX(0x40000000, 1));
  ASSERT(1, PAGEINDEX(0x8000000000UL, 0));
  ASSERT(511, PAGEINDEX(0xFFFFFFFFFFFFF000UL, 0));
  ASSERT(0x7000, PTE_ADDR(0x7007));
  ASSERT(7, PTE_FLAGS(0x7007));
  ASSERT(1, PTE_ADDR(0x8000000000001007UL) == 0x1000);
  ASSERT(3, PAGENUMBER(0x3fff));
  ASSERT(0x5000, PAGEADDRESS(5));
  ASSERT(0x2000, ROUNDUP(0x1001, PAGESIZE));
  for (int i = 0; i < 4; i++) pageinfo[i].owner = PO_KERNEL, pageinfo[i].refcount = 1;
  ASSERT(0x4000, find_free());
  ASSERT(0, assign_physical_page(0x4000, 1));
  ASSERT(-1, assign_physical_page(0x4000, 2));
  ASSERT(-1, assign_physical_page(0x4001, 2));
  ASSERT(-1, assign_physical_page(NPAGES * PAGESIZE, 2));
  ASSERT(0x5000, find_free());
  ASSERT(1, pageinfo[4].owner);
  x86_64_pagetable *pt = &tables[0];
  memset_(pt, 0, sizeof(*pt));
  ASSERT(0x10, map(pt, 0x10000, 0x4000, PTE_P | PTE_W | PTE_U));
  ASSERT(0x4123, lookup(pt, 0x10123));
  ASSERT(-1, (long)lookup(pt, 0x11000));
  pt->entry[0x10] &= ~PTE_W;
  ASSERT(PTE_P | PTE_U, PTE_FLAGS(pt->entry[0x10]));
  memcpy_(&tables[1], &tables[0], sizeof(x86_64_pagetable));
  ASSERT(0x4005, tables[1].entry[0x10]);
  memset_(memory[4], 0xAB, 64);
  ASSERT(0xAB, memory[4][63]);
  ASSERT(0, memory[5][0]);
  ASSERT(0, strcmp_("kernel", "kernel"));
  ASSERT(-1, strcmp_("kern", "kernel"));
  ASSERT(1, strcmp_("\xff", "a"));
  for (int i = 1; i < 16; i++) {
    processes[i].p_pid = i;
    processes[i].p_state = i % 3 == 0 ? P_BROKEN : P_BLOCKED;
    processes[i].p_pagetable = &tables[i % 4];
  }
  run(&processes[5]);
  ASSERT(5, current->p_pid);
  ASSERT(P_RUNNABLE, current->p_state);
  ASSERT(500, current->p_registers.reg_rax);
  ASSERT(1, current->p_pagetable == &tables[1]);
  int broken = 0;
  for (proc *p = processes; p < processes + 16; p++) broken += p->p_state == P_BROKEN;
  ASSERT(5, broken);
  ASSERT(40, sizeof(proc));
  ASSERT(8, __builtin_offsetof(proc, p_registers));
  ASSERT(24, __builtin_offsetof(proc, p_state));
  // Walk all four levels of an address.
  uintptr_t va = 0x0000123456789ABCUL;
  int idx[4];
  for (int level = 0; level < 4; level++) idx[level] = PAGEINDEX(va, level);
  ASSERT(0x24, idx[0]);
  ASSERT(0xD1, idx[1]);
  ASSERT(0xB3, idx[2]);
  ASSERT(0x189, idx[3]);
  return DONE();
}
