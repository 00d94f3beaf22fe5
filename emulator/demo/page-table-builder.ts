import { PTE_P, PTE_U, PTE_W } from '../machine/constants';
import type { PhysicalMemory } from '../machine/physical-memory';

/**
 * Builds 4-level page tables directly in physical memory, as a boot loader
 * does before the kernel runs. Table pages come from a bump allocator.
 * Intermediate entries are P|W|U, as WeensyOS's virtual_memory_map makes them;
 * the leaf carries the permissions that matter.
 */
export class PageTableBuilder {
  readonly root: number;
  constructor(
    private readonly memory: PhysicalMemory,
    private next: number,
  ) {
    this.root = this.allocate();
  }

  /** The next free physical address after the tables built so far. */
  get end(): number {
    return this.next;
  }

  private allocate(): number {
    const pa = this.next;
    this.next += 4096;
    this.memory.bytes.fill(0, pa, pa + 4096);
    return pa;
  }

  /** Maps the 4 KiB page at `va` to `pa` with `perm` (PTE_* bits). */
  map(va: number, pa: number, perm: number): void {
    let table = this.root;
    for (let level = 0; level < 3; level++) {
      const index = Math.floor(va / 2 ** (39 - 9 * level)) & 511;
      const at = table + index * 8;
      let entry = this.memory.peek64(at);
      if (!(entry & PTE_P)) {
        entry = this.allocate() | PTE_P | PTE_W | PTE_U;
        this.memory.write64(at, entry, 0);
      }
      table = entry & ~0xfff;
    }
    this.memory.write64(table + (Math.floor(va / 4096) & 511) * 8, pa | perm, 0);
  }

  mapRange(va: number, pa: number, size: number, perm: number): void {
    for (let off = 0; off < size; off += 4096) this.map(va + off, pa + off, perm);
  }
}
