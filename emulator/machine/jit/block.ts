// A translated block and the per-page table that holds them (kept by the
// DecodeCache, so blocks are dropped exactly when their page's decoded
// instructions are).

import type { BreakpointSet } from '../breakpoint-set';
import type { JitContext } from './context';

/**
 * A compiled region (codegen.ts): runs the block at page offset `start` of
 * the region's page and, while `chain` is set, the region's blocks that
 * follow it. The caller has already fetched the first instruction (counting
 * it as the interpreter would) and checked that the first block may run
 * whole: no breakpoint on any of its instructions, and `max` (the run budget
 * and the timer allowance) at least its length. The function retires at most
 * `max` instructions, whole blocks only; updates rip, the registers, icount,
 * userIcount and the fetch shortcut's TLB-hit count; and returns how many
 * instructions retired. On a fault it leaves the machine exactly as the
 * interpreter would at the faulting instruction and rethrows.
 */
export type RegionFn = (J: JitContext, max: number, fHit: number, start: number, chain: boolean) => number;

/**
 * What the blocks of one region share: the page offsets of all its
 * instructions, and whether the machine's breakpoints (as of a generation
 * of the BreakpointSet, at a linear page) touch any of them.
 */
export class RegionInfo {
  /** 1 at the page offset of every instruction of the region. */
  readonly insnAt = new Uint8Array(4096);
  private bpGeneration = -1;
  private bpBase = NaN;
  private bpHit = false;

  constructor(offsets: Iterable<number>) {
    for (const o of offsets) this.insnAt[o] = 1;
  }

  /** True if a breakpoint is on an instruction of the region when its page is at linear address `base`. */
  hasBreakpoint(bps: BreakpointSet, base: number): boolean {
    if (bps.generation === this.bpGeneration && base === this.bpBase) return this.bpHit;
    let hit = false;
    for (const a of bps) {
      const d = a - base;
      if (d >= 0 && d < 4096 && this.insnAt[d] === 1) {
        hit = true;
        break;
      }
    }
    this.bpGeneration = bps.generation;
    this.bpBase = base;
    this.bpHit = hit;
    return hit;
  }
}

/** A translated block: where it starts in its page, and the region function that runs it. */
export class Block {
  constructor(
    readonly run: RegionFn,
    /** The region the function was made from (shared by its blocks). */
    readonly region: RegionInfo,
    /** Page offset of the first instruction. */
    readonly start: number,
    /** Instructions in the block (all run, in one pass). */
    readonly length: number,
    /** Offset of each instruction from the first, for breakpoint checks. */
    readonly offsets: readonly number[],
    /** How many more times a region may be formed again from this start (see Jit.sideExit). */
    readonly remakes: number = MAX_REMAKES,
  ) {}

  /** Runs that left the region for a block of another region in the same page (Jit.sideExit). */
  sideExits = 0;

  private bpGeneration = -1;
  private bpRip = NaN;
  private bpHit = false;

  /**
   * True if a breakpoint is set on any instruction of the block when it starts
   * at linear address `rip`; remembered per generation of the set and address
   * (a debug session keeps a breakpoint or two set while the kernel runs
   * millions of blocks).
   */
  hasBreakpoint(bps: BreakpointSet, rip: number): boolean {
    if (bps.generation === this.bpGeneration && rip === this.bpRip) return this.bpHit;
    let hit = false;
    for (const d of this.offsets) {
      if (bps.has(rip + d)) {
        hit = true;
        break;
      }
    }
    this.bpGeneration = bps.generation;
    this.bpRip = rip;
    this.bpHit = hit;
    return hit;
  }
}

/** How many times a region is formed again from the same start, at most. */
export const MAX_REMAKES = 2;

/** How many times a block start is reached before it is translated, at most. */
export const MAX_THRESHOLD = 255;

/** One physical page's blocks: by offset, a Block, null (nothing to translate there) or undefined (not yet). */
export class BlockPage {
  readonly blocks: (Block | null | undefined)[] = new Array(4096);
  /** How many times each offset was reached without a block (for the hotness threshold). */
  readonly heat = new Uint8Array(4096);
}
