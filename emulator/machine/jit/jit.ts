// The block translator: finds the blocks of decoded instructions around a hot
// start address, turns them into one JavaScript function (codegen.ts) and
// keeps it in the page's BlockPage until the decode cache drops the page.
//
// A block is the run of instructions the decode cache already holds (the CPU
// has fetched them), in order, from its start up to and including the first
// control transfer; it also ends before a system, privileged or I/O
// instruction (left to the interpreter), before an instruction not decoded
// (not fetched yet, invalid, or straddling the end of the physical page), at
// the end of the page, and after MAX_BLOCK_INSNS instructions.
//
// A region is the hot block and the blocks reachable from it through direct
// control flow inside the same page (branch targets, fall-throughs, call
// targets and return points), up to MAX_REGION_INSNS instructions, compiled
// together so that control passes from block to block without leaving the
// function (and calls and returns within the page stay inside it). A region
// built while some of that code had not been fetched yet is built again
// later, when the CPU has fetched more (Block.retry).
//
// Nothing here is machine state: blocks are rebuilt from memory on demand,
// and running them or not gives the same machine, bit for bit.

import { CR0_PG, INT_DIVIDE, INT_GPF } from '../constants';
import type { DecodeCache } from '../decode-cache';
import { CpuFault } from '../fault';
import { DIV, divide32, divide64, mul64, R, sar64, shl64, shr64 } from '../int64';
import type { Insn } from '../isa/insn';
import { Op } from '../isa/opcodes';
import type { Machine } from '../machine';
import { Block, BlockPage, MAX_THRESHOLD, type RegionFn } from './block';
import { endsBlock, generateRegion, translatable, type RegionBlock } from './codegen';
import { jitContext, type JitContext } from './context';

/** Longest block, in instructions. */
export const MAX_BLOCK_INSNS = 64;
/** A region stops growing once it holds this many instructions (large functions are not optimized by V8). */
export const MAX_REGION_INSNS = 160;
/** How many times an incomplete region is translated again (each time after four times as many visits). */
export const MAX_RETRIES = 3;

/** The most instructions one call of a region function may retire (the run loop's choice; any bound is exact). */
export const JIT_SLICE = 4096;

/** Defaults for MachineConfig.jit and .jitThreshold (test set-up may change them, see test/machine/jit-mode.ts). */
export const jitDefaults = {
  enabled: true,
  /** A block start is translated the time it is reached this many times (1: at once). */
  threshold: 8,
};

/** What the generated code calls: the interpreter's own arithmetic and its fault constructors. */
const HELPERS = {
  R, DIV, mul64, shl64, shr64, sar64, divide64, divide32,
  /** As execute.ts's gp(): #GP(0). */
  gp: (message: string): CpuFault => new CpuFault(INT_GPF, 0, message),
  divideError: (): CpuFault => new CpuFault(INT_DIVIDE, undefined, 'division by zero or quotient overflow'),
  page: pageFor,
};

/**
 * The physical page the fast path may use for virtual page `vpn` (low half),
 * for accesses needing TLB rights `mask` (TLB_* bits; for writes W and D):
 *
 * - its frame F if Mmu.translate takes the TLB-hit path (valid entry with the
 *   right tag, not suspect, the rights), whose only side effect is one hit;
 * - -2 - F if paging is off and the TLB has no entry for the page: translate
 *   then counts a miss, and the walk gives the identity, sets nothing and
 *   fills nothing (WalkResult.steps is empty);
 * - -1 otherwise (the access goes through Machine.read or Machine.write).
 *
 * Either way the whole page must be RAM and, for writes, watched by nobody.
 */
function pageFor(J: JitContext, vpn: number, mask: number, write: boolean): number {
  const i = vpn & J.tlbMask;
  let frame: number;
  let miss = false;
  if (J.tlbValid[i] === 1 && J.tlbTag[i] === vpn) {
    if (J.tlbSuspect[i] !== 0 || (J.tlbFlags[i]! & mask) !== mask) return -1;
    frame = J.tlbFrame[i]!;
  } else {
    if (J.cpu.cr0 & CR0_PG) return -1;
    frame = vpn * 4096;
    miss = true;
  }
  if (frame + 4096 > J.memSize) return -1;
  if (write && J.watch[frame / 4096] !== 0) return -1;
  return miss ? -2 - frame : frame;
}

/**
 * Compiled functions by the instructions they were made from. A function holds
 * no state (it works on the JitContext it is given), so machines share them:
 * a test suite or a benchmark that builds many machines compiles each region once.
 */
const compiled = new Map<string, RegionFn>();
const COMPILED_LIMIT = 4096;

function keyOf(blocks: readonly RegionBlock[]): string {
  let key = '';
  for (const b of blocks) {
    key += `@${b.offsets[0]}:`;
    for (const i of b.insns) key += `${i.op},${i.a},${i.b},${i.c},${i.imm},${i.immHi},${i.len};`;
  }
  return key;
}

function compile(blocks: readonly RegionBlock[]): RegionFn {
  const key = keyOf(blocks);
  let fn = compiled.get(key);
  if (!fn) {
    fn = new Function('H', generateRegion(blocks))(HELPERS) as RegionFn;
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(key, fn);
  }
  return fn;
}

/**
 * The block at page offset `off` of the page at physical address `page`, or
 * null if its first instruction cannot be translated.
 *
 * Only instructions already in the decode cache (fetched by the CPU since the
 * page was last written) take part, and a block ends before the first one
 * that is not. The interpreter's fetch counts differently for an instruction
 * it has not decoded yet (it goes the slow way, through Mmu.translate, which
 * with paging off counts a TLB miss), so the translated code may stand only
 * for fetches the interpreter would make through its shortcut: the decode
 * cache of a machine with the JIT then fills exactly as without it.
 */
function scanBlock(dc: DecodeCache, page: number, off: number, region: Region): RegionBlock | null {
  const insns: Insn[] = [];
  const offsets: number[] = [];
  let at = off;
  while (insns.length < MAX_BLOCK_INSNS && at < 4096) {
    const insn = dc.decoded(page + at);
    if (!insn) {
      region.complete = false; // not fetched yet (or invalid): a later translation may see more
      break;
    }
    if (!translatable(insn.op)) break;
    insns.push(insn);
    offsets.push(at);
    at += insn.len;
    if (endsBlock(insn.op)) break;
  }
  return insns.length > 0 ? { insns, offsets, end: at } : null;
}

/** Page offsets where control can go after a block, as far as the code says (indirect targets are unknown). */
function successors(b: RegionBlock): number[] {
  const last = b.insns[b.insns.length - 1]!;
  const out: number[] = [];
  if (!endsBlock(last.op)) out.push(b.end);
  else if (last.op === Op.JMP8) out.push(b.end + last.imm);
  else if (last.op === Op.CALLR) out.push(b.end);
  else if (last.op !== Op.RET && last.op !== Op.JMPR) out.push(b.end + last.imm, b.end); // branches and call
  return out.filter((o) => o >= 0 && o < 4096);
}

interface Region {
  readonly blocks: RegionBlock[];
  /** False if some block stopped at, or some successor was, an instruction not decoded yet. */
  complete: boolean;
}

/** The blocks of the region around page offset `entry` (the entry first), breadth first. */
export function formRegion(dc: DecodeCache, page: number, entry: number): Region {
  const region: Region = { blocks: [], complete: true };
  const seen = new Set<number>();
  const queue = [entry];
  let total = 0;
  while (queue.length > 0 && total < MAX_REGION_INSNS) {
    const off = queue.shift()!;
    if (seen.has(off)) continue;
    seen.add(off);
    const b = scanBlock(dc, page, off, region);
    if (!b) continue;
    region.blocks.push(b);
    total += b.insns.length;
    queue.push(...successors(b));
  }
  return region;
}

/**
 * Translates the region around physical address `pa` and records its blocks
 * in `bp`: all of them when `replace` is set (a retranslation), else only
 * where there is no block yet. Returns the block at `pa`, or null. An
 * incomplete region's blocks are retranslated after `retryVisits` more
 * visits, `retries` times at most.
 */
export function translateAt(dc: DecodeCache, bp: BlockPage, pa: number, replace: boolean, retryVisits: number, retries: number): Block | null {
  const entry = pa & 0xfff;
  const region = formRegion(dc, pa - entry, entry);
  if (region.blocks.length === 0) return null;
  const fn = compile(region.blocks);
  const retry = region.complete || retries === 0 ? 0 : retryVisits;
  for (const b of region.blocks) {
    const start = b.offsets[0]!;
    if (!replace && start !== entry && bp.blocks[start]) continue;
    bp.blocks[start] = new Block(fn, start, b.insns.length, b.offsets.map((o) => o - start), retry, retries - 1);
  }
  return bp.blocks[entry]!;
}

/** One machine's translator. */
export class Jit {
  readonly ctx: JitContext;
  readonly threshold: number;
  /** Visits of an incomplete region's block before it is translated again. */
  readonly retryVisits: number;
  /** Calls of translated code, each running one block or more (a statistic for tests, not machine state). */
  blockRuns = 0;
  /** Instructions retired by translated code (a statistic too). */
  retired = 0;

  constructor(m: Machine, threshold: number) {
    if (!(threshold >= 1 && threshold <= MAX_THRESHOLD)) throw new RangeError(`jitThreshold must be between 1 and ${MAX_THRESHOLD}`);
    this.ctx = jitContext(m);
    this.threshold = threshold;
    this.retryVisits = 8 * threshold;
  }

  /**
   * Called when the instruction at offset `d` of `page` (physical address
   * `pa`) is about to run and has no block yet: counts the visit and
   * translates the block once the start is hot. Returns the block, null if
   * there is nothing to translate there, or undefined while still cold.
   */
  warm(page: BlockPage, d: number, pa: number): Block | null | undefined {
    const heat = page.heat[d]! + 1;
    if (heat < this.threshold) {
      page.heat[d] = heat;
      return undefined;
    }
    const block = translateAt(this.ctx.dc, page, pa, false, this.retryVisits, MAX_RETRIES);
    if (!block) page.blocks[d] = null;
    return block;
  }

  /**
   * Translates again around `old`, a block of an incomplete region that is
   * due for another look (the CPU has fetched more of the code since). Returns
   * the block to run now.
   */
  retranslate(page: BlockPage, pa: number, old: Block): Block {
    const interval = this.retryVisits * 4 ** (MAX_RETRIES - old.retries);
    return translateAt(this.ctx.dc, page, pa, true, interval, old.retries) ?? old;
  }
}
