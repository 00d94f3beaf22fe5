// What an address means in WeensyOS: its page number, the four page-table
// indices and the offset, and what lives there, physically and in a
// process's virtual address space (FACTS.md sections 3, 6 and 8). The
// layout's constants come from the file's own macros when it has them
// (a student's kernel.h may move things), else from the handout's values.
//
//   63      48 47     39 38     30 29     21 20     12 11        0
//  | sign ext |   L1    |   L2    |   L3    |   L4    |  offset   |
//
// Levels are WeensyOS's: L1 is the top table (Intel's PML4), L4 the leaf.

export interface WeensyLayout {
  readonly pagesize: bigint;
  readonly kernelStartAddr: bigint;
  readonly kernelStackTop: bigint;
  readonly procStartAddr: bigint;
  readonly procSize: bigint;
  readonly memsizePhysical: bigint;
  readonly memsizeVirtual: bigint;
}

/** The handout's layout (kernel.h, kernel.c's PROC_SIZE). */
export const DEFAULT_LAYOUT: WeensyLayout = {
  pagesize: 0x1000n,
  kernelStartAddr: 0x40000n,
  kernelStackTop: 0x80000n,
  procStartAddr: 0x100000n,
  procSize: 0x40000n,
  memsizePhysical: 0x200000n,
  memsizeVirtual: 0x300000n,
};

const MACRO_NAMES: Readonly<Record<keyof WeensyLayout, string>> = {
  pagesize: 'PAGESIZE',
  kernelStartAddr: 'KERNEL_START_ADDR',
  kernelStackTop: 'KERNEL_STACK_TOP',
  procStartAddr: 'PROC_START_ADDR',
  procSize: 'PROC_SIZE',
  memsizePhysical: 'MEMSIZE_PHYSICAL',
  memsizeVirtual: 'MEMSIZE_VIRTUAL',
};

/** The layout with each constant the file defines (as a positive value) in place of the default. */
export function layoutFromMacros(valueOf: (macro: string) => bigint | undefined): WeensyLayout {
  const out: Record<string, bigint> = { ...DEFAULT_LAYOUT };
  for (const [key, name] of Object.entries(MACRO_NAMES)) {
    const v = valueOf(name);
    if (v !== undefined && v > 0n) out[key] = v;
  }
  return out as unknown as WeensyLayout;
}

/** The fixed hardware addresses (FACTS.md section 3). */
export const IO_START = 0xa0000n;
export const IO_END = 0x100000n;
export const CONSOLE_ADDR = 0xb8000n;
export const CURSORPOS_ADDR = 0xb8ffcn;
const CONSOLE_CELLS = 80n * 25n;

export interface AddressSplit {
  /** The page number (address >> 12) and the offset in the page. */
  readonly page: bigint;
  readonly offset: bigint;
  /** L1 (top) to L4 (leaf) indices: bits 39-47, 30-38, 21-29, 12-20. */
  readonly indices: readonly [number, number, number, number];
  /** True if bits 48-63 copy bit 47, as x86-64 requires of every virtual address. */
  readonly canonical: boolean;
}

export function splitAddress(address: bigint): AddressSplit {
  const a = BigInt.asUintN(64, address);
  const index = (shift: bigint): number => Number((a >> shift) & 0x1ffn);
  const top = a >> 47n;
  return {
    page: a >> 12n,
    offset: a & 0xfffn,
    indices: [index(39n), index(30n), index(21n), index(12n)],
    canonical: top === 0n || top === 0x1ffffn,
  };
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** What is at physical address `pa`, in one sentence. */
export function describePhysical(pa: bigint, l: WeensyLayout): string {
  const page = l.pagesize;
  if (pa < 0n) return 'a negative number, not an address';
  if (pa < page) return 'physical page 0: reserved (physical_memory_isreserved), so that a null pointer is never a real page.';
  if (pa < l.kernelStartAddr) {
    const reboot = pa >= 0x8000n && pa < 0xb000n ? ' A soft reboot (a, f, e) writes its temporary page table over 0x8000-0xAFFF.' : '';
    return `free physical memory below the kernel (pages the kernel may hand out).${reboot}`;
  }
  if (pa < l.kernelStackTop - page) {
    return `the kernel image, which starts at KERNEL_START_ADDR (${hex(l.kernelStartAddr)}): its code, then its data from \`start_data\` up to \`end\`; the pages after \`end\` are free.`;
  }
  if (pa < l.kernelStackTop) return `the kernel stack page (KERNEL_STACK_TOP - PAGESIZE = ${hex(l.kernelStackTop - page)}): every trap enters the kernel with rsp = ${hex(l.kernelStackTop)}.`;
  if (pa < IO_START) return 'free physical memory between the kernel stack and the I/O hole.';
  if (pa < IO_END) {
    if (pa >= CONSOLE_ADDR && pa < CONSOLE_ADDR + 0x1000n) return describeConsole(pa);
    return `reserved: the I/O hole ${hex(IO_START)}-0xfffff (physical_memory_isreserved). It holds the CGA console page at ${hex(CONSOLE_ADDR)}.`;
  }
  if (pa < l.memsizePhysical) {
    const slot = (pa - l.procStartAddr) / l.procSize;
    const base = l.procStartAddr + slot * l.procSize;
    const inSlot = pa - base;
    const pid = slot + 1n;
    const name = slot === 0n ? 'p-allocator' : `p-allocator${pid}`;
    let what: string;
    if (inSlot < page) what = 'its code page';
    else if (inSlot < 2n * page) what = 'its data page';
    else if (inSlot >= l.procSize - page) what = `its stack page before step 4 (PROC_START_ADDR + PROC_SIZE * ${pid} - PAGESIZE)`;
    else what = `heap page ${(inSlot - 2n * page) / page} (the heap starts at ${hex(base + 2n * page)})`;
    return `process memory. At first boot ${name} (pid ${pid}) is loaded at ${hex(base)}, so this is ${what}; from step 3 on, any free page may go to any process.`;
  }
  return `past physical memory (MEMSIZE_PHYSICAL = ${hex(l.memsizePhysical)}): no such physical page, and virtual_memory_map asserts pa + sz <= MEMSIZE_PHYSICAL.`;
}

function describeConsole(pa: bigint): string {
  if (pa >= CURSORPOS_ADDR && pa < CURSORPOS_ADDR + 4n) return `the console page: \`cursorpos\` (${hex(CURSORPOS_ADDR)}), the cursor position.`;
  const cell = (pa - CONSOLE_ADDR) / 2n;
  if (cell < CONSOLE_CELLS) {
    return `the console page: \`console[${cell}]\`, row ${cell / 80n} column ${cell % 80n} of the CGA screen (CPOS(${cell / 80n}, ${cell % 80n})). The page is reserved, and stays user-accessible after step 1.`;
  }
  return 'the console page (CGA text buffer at 0xB8000; reserved, and user-accessible after step 1), past the 80x25 cells.';
}

/** What is at virtual address `va` in a process's address space, in one sentence. */
export function describeVirtual(va: bigint, l: WeensyLayout): string {
  const a = BigInt.asUintN(64, va);
  const split = splitAddress(a);
  if (!split.canonical) return 'not canonical (bits 48-63 must copy bit 47): any access raises a general-protection fault (#GP), not a page fault.';
  const page = l.pagesize;
  if (a < l.procStartAddr) {
    const console = a >= CONSOLE_ADDR && a < CONSOLE_ADDR + page ? ' The console page stays user-accessible (PTE_U) after step 1.' : ' After step 1 only the kernel may touch it (no PTE_U).';
    return `kernel memory, mapped at the same physical address in every page table.${console}`;
  }
  if (a >= l.memsizeVirtual - page && a < l.memsizeVirtual) {
    return `the stack page of every process from step 4 on (MEMSIZE_VIRTUAL - PAGESIZE = ${hex(l.memsizeVirtual - page)}; rsp starts at ${hex(l.memsizeVirtual)}).`;
  }
  if (a < l.memsizeVirtual) {
    const slot = (a - l.procStartAddr) / l.procSize;
    const base = l.procStartAddr + slot * l.procSize;
    const inSlot = a - base;
    let what: string;
    if (inSlot < page) what = 'the code page';
    else if (inSlot < 2n * page) what = 'the data page';
    else what = `heap page ${(inSlot - 2n * page) / page} (the heap starts at ${hex(base + 2n * page)} and grows up to the stack)`;
    if (slot === 0n) return `process memory: ${what} of the program loaded at ${hex(base)} (p-allocator, p-fork, p-forkexit).`;
    const heap = `heap of p-fork, p-forkexit and of the allocators loaded below (their heaps grow up to the stack at ${hex(l.memsizeVirtual - page)})`;
    if (slot >= 4n) return `process memory: ${heap}.`;
    return `process memory: ${what} of p-allocator${slot + 1n} (loaded at ${hex(base)}); in a program loaded lower, ${heap}.`;
  }
  return `past MEMSIZE_VIRTUAL (${hex(l.memsizeVirtual)}): no process maps it, and the virtual memory map stops there.`;
}
