import { decode } from './isa/decoder';
import type { Insn } from './isa/insn';
import { MAX_INSN_LENGTH } from './isa/opcodes';
import { PhysicalMemory, WATCH_CODE } from './physical-memory';
import { BlockPage } from './jit/block';

/**
 * Decoded instructions, cached per physical page and decoded lazily at each
 * offset that is executed. A write to a cached page drops the whole page
 * (the memory's watch bits report it), so self-modifying code, the loader
 * and the debugger's writeMemory all see their new bytes executed.
 * This is derived state: it is never saved, and rebuilding it changes nothing.
 *
 * The block translator (jit/) keeps its translated blocks here too, one
 * BlockPage per physical page, so they are dropped exactly when the page's
 * decoded instructions are: a block never outlives the bytes it came from.
 */
export class DecodeCache {
  private readonly pages = new Map<number, (Insn | undefined)[]>();
  private readonly blockPages = new Map<number, BlockPage>();
  /** Bumped when a page is dropped, so the CPU's fetch shortcut re-checks. */
  generation = 0;

  constructor(private readonly memory: PhysicalMemory) {}

  /**
   * The instruction at physical address `pa`, or undefined if it is invalid
   * or runs past the end of its page (the caller handles both).
   */
  at(pa: number): Insn | undefined {
    const ppn = Math.floor(pa / 4096);
    const offset = pa & 0xfff;
    const page = this.pages.get(ppn);
    if (page) {
      const hit = page[offset];
      if (hit) return hit;
    }
    if (pa + 1 > this.memory.size) return undefined;
    const end = Math.min(ppn * 4096 + 4096, this.memory.size);
    const insn = decode(this.memory.bytes.subarray(pa, Math.min(end, pa + MAX_INSN_LENGTH)), 0);
    if (!insn) return undefined;
    (page ?? this.pageArray(ppn))[offset] = insn;
    return insn;
  }

  /**
   * The instruction at `pa` if it is already decoded, else undefined; decodes
   * nothing. The block translator uses only instructions the CPU has fetched
   * (see jit/jit.ts, scanBlock).
   */
  decoded(pa: number): Insn | undefined {
    return this.pages.get(Math.floor(pa / 4096))?.[pa & 0xfff];
  }

  /** The (possibly still empty) decoded-instruction array of a physical page, created on demand. */
  pageArray(ppn: number): (Insn | undefined)[] {
    let page = this.pages.get(ppn);
    if (!page) {
      page = new Array(4096);
      this.pages.set(ppn, page);
      this.memory.addWatch(ppn, WATCH_CODE);
    }
    return page;
  }

  /**
   * The translated blocks of a physical page, created on demand. Only for a
   * page whose decoded-instruction array exists (it holds the watch bit that
   * reports writes), so call pageArray first.
   */
  blockPage(ppn: number): BlockPage {
    let bp = this.blockPages.get(ppn);
    if (!bp) {
      bp = new BlockPage();
      this.blockPages.set(ppn, bp);
    }
    return bp;
  }

  invalidate(ppn: number): void {
    if (this.pages.delete(ppn)) this.generation++;
    // Translated blocks go with the decoded instructions they were built from.
    this.blockPages.delete(ppn);
    this.memory.watch[ppn]! &= ~WATCH_CODE;
  }

  clear(): void {
    for (const ppn of this.pages.keys()) this.memory.watch[ppn]! &= ~WATCH_CODE;
    this.pages.clear();
    this.blockPages.clear();
    this.generation++;
  }
}
