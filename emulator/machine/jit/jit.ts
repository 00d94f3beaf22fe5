// The block translator: finds the blocks of decoded instructions around a hot
// start address, turns them into one JavaScript function (codegen.ts) and
// keeps it in the page's BlockPage until the decode cache drops the page.
//
// A block is a run of instructions in memory order, decoded ahead through the
// decode cache (whether or not the CPU has fetched them yet), from its start
// up to and including the first control transfer; it also ends before a
// system, privileged or I/O instruction (left to the interpreter), before an
// invalid instruction or one straddling the end of the physical page, at the
// end of the page, and after MAX_BLOCK_INSNS instructions.
//
// A region is the hot block and the blocks reachable from it through direct
// control flow inside the same page (branch targets, fall-throughs, call
// targets and return points), up to MAX_REGION_INSNS instructions, compiled
// together so that control passes from block to block without leaving the
// function (and calls and returns within the page stay inside it).
//
// Nothing here is machine state: blocks are rebuilt from memory on demand,
// and running them or not gives the same machine, bit for bit.

import { CR0_PG, CR4_SMEP, INT_DIVIDE, INT_GPF } from '../constants';
import type { DecodeCache } from '../decode-cache';
import { CpuFault } from '../fault';
import { DIV, divide32, divide64, mul64, R, sar64, shl64, shr64 } from '../int64';
import type { Insn } from '../isa/insn';
import { Op } from '../isa/opcodes';
import type { Machine } from '../machine';
import { Block, BlockPage, MAX_REMAKES, MAX_THRESHOLD, RegionInfo, type RegionFn } from './block';
import { endsBlock, generateRegion, translatable, type RegionBlock } from './codegen';
import { jitContext, MIRROR_SIZE, type JitContext } from './context';
import { TLB_DIRTY, TLB_USER, TLB_WRITE, TLB_XD } from '../mmu/tlb';
import { SLOT, type WasmMemory } from './wasm-layout';
import { wasmRegion, wasmRuntime } from './wasm-region';

/** Longest block, in instructions. */
export const MAX_BLOCK_INSNS = 64;
/** A region stops growing once it holds this many instructions (large functions are not optimized by V8). */
export const MAX_REGION_INSNS = 160;

/** The most instructions one call of a region function may retire (the run loop's choice; any bound is exact). */
export const JIT_SLICE = 4096;

/** Defaults for MachineConfig.jit and .jitThreshold (test set-up may change them, see test/machine/jit-mode.ts). */
export const jitDefaults = {
  enabled: true,
  /** A block start is translated the time it is reached this many times (1: at once). */
  threshold: 8,
  /**
   * What regions compile to: 'wasm' (WebAssembly, where the host has it) or
   * 'js' (JavaScript through new Function). Both give the same machine, bit for bit.
   */
  backend: 'wasm' as JitBackend,
};

export type JitBackend = 'wasm' | 'js';

/** What the generated code calls: the interpreter's own arithmetic, its fault constructors, and the fast path's helpers. */
const HELPERS = {
  R, DIV, mul64, shl64, shr64, sar64, divide64, divide32,
  /** As execute.ts's gp(): #GP(0). */
  gp: (message: string): CpuFault => new CpuFault(INT_GPF, 0, message),
  divideError: (): CpuFault => new CpuFault(INT_DIVIDE, undefined, 'division by zero or quotient overflow'),
  sync: syncMirror,
  still: stillOn,
  rd: readSlow,
  wr: writeSlow,
};

/**
 * The physical page the fast path may use for virtual page `vpn` (low half),
 * for accesses needing TLB rights `mask` (TLB_* bits; for writes W and D),
 * or -1 (the access goes through Machine.read or Machine.write). It may when
 * Mmu.translate would have no side effect but a count, the same for every
 * page while CR0.PG stays as it is:
 *
 * - with paging on, its TLB-hit path (valid entry with the right tag, not
 *   suspect, the rights), whose only side effect is one hit;
 * - with paging off, a miss whose walk is the identity (no TLB entry for the
 *   page): it sets nothing, fills nothing and counts nothing.
 *
 * Either way the whole page must be RAM and, for writes, watched by nobody.
 */
function pageFor(J: JitContext, vpn: number, mask: number, write: boolean): number {
  const i = vpn & J.tlbMask;
  const hit = J.tlbValid[i] === 1 && J.tlbTag[i] === vpn;
  let frame: number;
  if (J.cpu.cr0 & CR0_PG) {
    if (!hit || J.tlbSuspect[i] !== 0 || (J.tlbFlags[i]! & mask) !== mask) return -1;
    frame = J.tlbFrame[i]!;
  } else {
    if (hit) return -1; // a TLB entry left over with paging off: translate would count a hit
    frame = vpn * 4096;
  }
  if (frame + 4096 > J.memSize) return -1;
  if (write && J.watch[frame / 4096] !== 0) return -1;
  return frame;
}

/**
 * Empties the translation mirror if anything it was derived from moved since
 * it was filled: the TLB (fills, drops, suspect marks), the decode cache
 * (pages dropped), the watch bits, CR0 (PG, WP) or the access records (CPL).
 * Called at the start of every region call. Within a call, only the slow path
 * (Machine.read and .write) can move any of them, and the region returns
 * right after it if the TLB or decode-cache generation moved; the watch
 * generation and the rest move only with them or outside translated code
 * (a walk's watch bits come with a fill or a fault).
 */
function syncMirror(J: JitContext): void {
  const m = J.m;
  const cr0 = J.cpu.cr0;
  if (
    J.mTlbGen === J.tlb.generation && J.mDcGen === J.dc.generation && J.mWatchGen === J.mem.watchGen &&
    J.mCr0 === cr0 && J.mAccR === m.accRead && J.mAccW === m.accWrite
  ) return;
  const paging = (cr0 & CR0_PG) !== 0;
  if (
    paging && J.mDcGen === J.dc.generation && J.mWatchGen === J.mem.watchGen &&
    J.mCr0 === cr0 && J.mAccR === m.accRead && J.mAccW === m.accWrite
  ) {
    // Only the TLB moved (fills and drops for data, suspect marks): each page the
    // mirror holds is asked again what pageFor says now, instead of refilling
    // them all through the slow path.
    const rmask = m.accRead.user ? TLB_USER : 0;
    const wmask = m.accWrite.user ? TLB_USER | TLB_WRITE | TLB_DIRTY : TLB_WRITE | TLB_DIRTY;
    for (let i = 0; i <= J.mm; i++) {
      if (J.mr[i] !== -1) {
        const f = pageFor(J, J.mr[i]!, rmask, false);
        if (f < 0) J.mr[i] = -1;
        else J.mrf[i] = f;
      }
      if (J.mw[i] !== -1) {
        const f = pageFor(J, J.mw[i]!, wmask, true);
        if (f < 0) J.mw[i] = -1;
        else J.mwf[i] = f;
      }
    }
    J.mTlbGen = J.tlb.generation;
    return;
  }
  const mm = paging ? J.tlbMask : MIRROR_SIZE - 1;
  // Only slots below the larger mask can hold anything the fast path will look at.
  const used = Math.max(mm, J.mm) + 1;
  J.mr.fill(-1, 0, used);
  J.mw.fill(-1, 0, used);
  J.mTlbGen = J.tlb.generation;
  J.mDcGen = J.dc.generation;
  J.mWatchGen = J.mem.watchGen;
  J.mCr0 = cr0;
  J.mAccR = m.accRead;
  J.mAccW = m.accWrite;
  J.mm = mm;
  J.hc = paging ? 1 : 0;
}

/**
 * After the TLB generation moved inside a region (a data access filled or
 * dropped an entry, or marked one suspect): true if the next fetch from the
 * region's page (linear base `base`) would still be a TLB hit with no side
 * effect but its count, as Mmu.translate's hit path decides for a fetch: paging
 * on, the page's entry valid, not suspect, mapping the frame the region was
 * entered from (J.cpa), with the rights to fetch (U for user mode, no XD, SMEP
 * for a supervisor fetch from a user page). Then the translation mirror is
 * re-synced and the region goes on; otherwise it leaves and the run loop
 * fetches (and walks, or faults) as the interpreter does.
 */
function codeStays(J: JitContext, base: number): boolean {
  const cpu = J.cpu;
  if (!(cpu.cr0 & CR0_PG)) return false;
  const vpn = Math.floor(base / 4096);
  const i = vpn & J.tlbMask;
  if (J.tlbValid[i] !== 1 || J.tlbTag[i] !== vpn || J.tlbSuspect[i] !== 0 || J.tlbFrame[i] !== J.cpa) return false;
  const f = J.tlbFlags[i]!;
  const user = J.m.accFetch.user;
  if (user && !(f & TLB_USER)) return false;
  if (f & TLB_XD) return false;
  if (!user && f & TLB_USER && cpu.cr4 & CR4_SMEP) return false;
  syncMirror(J);
  return true;
}

/**
 * After a slow-path access in a region entered at TLB generation `g0` and
 * decode-cache generation `c0`: the TLB generation to go on with, or -1 if
 * the region must leave (a code page was dropped, or codeStays says no).
 */
function stillOn(J: JitContext, g0: number, c0: number, base: number): number {
  if (J.dc.generation !== c0) return -1;
  const g = J.tlb.generation;
  if (g === g0) return g0;
  return codeStays(J, base) ? g : -1;
}

/**
 * A read the inline fast path did not take (mirror miss, page straddle, high
 * address): fills the mirror and reads directly if pageFor allows it, else
 * reads through Machine.read. Returns the low half, the high half in R.hi.
 * A fault is left in J.fault for the region function to raise (codegen.ts).
 */
function readSlow(J: JitContext, lo: number, hi: number, size: number, stack: boolean): number {
  if (hi === 0 && (lo & 4095) <= 4096 - size) {
    const vpn = lo >>> 12;
    const frame = pageFor(J, vpn, J.m.accRead.user ? TLB_USER : 0, false);
    if (frame >= 0) {
      const i = vpn & J.mm;
      J.mr[i] = vpn;
      J.mrf[i] = frame;
      J.counters.hits += J.hc;
      const pa = frame + (lo & 4095);
      switch (size) {
        case 1:
          return J.bytes[pa]!;
        case 2:
          return J.view.getUint16(pa, true);
        case 4:
          return J.view.getInt32(pa, true);
        default:
          R.hi = J.view.getInt32(pa + 4, true);
          return J.view.getInt32(pa, true);
      }
    }
  }
  try {
    return J.m.read(lo, hi, size, stack);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
    J.fault = e;
    return 0;
  }
}

/** A write the inline fast path did not take: as readSlow. */
function writeSlow(J: JitContext, lo: number, hi: number, size: number, vlo: number, vhi: number, stack: boolean): void {
  if (hi === 0 && (lo & 4095) <= 4096 - size) {
    const vpn = lo >>> 12;
    const frame = pageFor(J, vpn, J.m.accWrite.user ? TLB_USER | TLB_WRITE | TLB_DIRTY : TLB_WRITE | TLB_DIRTY, true);
    if (frame >= 0) {
      const i = vpn & J.mm;
      J.mw[i] = vpn;
      J.mwf[i] = frame;
      J.counters.hits += J.hc;
      const pa = frame + (lo & 4095);
      switch (size) {
        case 1:
          J.bytes[pa] = vlo;
          return;
        case 2:
          J.view.setUint16(pa, vlo & 0xffff, true);
          return;
        case 4:
          J.view.setInt32(pa, vlo, true);
          return;
        default:
          J.view.setInt32(pa, vlo, true);
          J.view.setInt32(pa + 4, vhi, true);
          return;
      }
    }
  }
  try {
    J.m.write(lo, hi, size, vlo, vhi, stack);
  } catch (e) {
    if (!(e instanceof CpuFault)) throw e;
    J.fault = e;
  }
}

/**
 * The helpers a WebAssembly region imports (wasm-codegen.ts, WASM_IMPORTS),
 * bound to one machine's context: the slow paths report a fault through
 * SLOT.FAULT (reads) or their result (writes), and the high half of an
 * 8-byte read through SLOT.HI.
 */
function wasmImports(J: JitContext): Record<string, unknown> {
  const S = J.wasm!.slots;
  return {
    rd: (lo: number, hi: number, size: number, stack: number): number => {
      const v = readSlow(J, lo, hi, size, stack !== 0);
      if (J.fault !== null) S[SLOT.FAULT] = 1;
      else if (size === 8) S[SLOT.HI] = R.hi;
      return v;
    },
    wr: (lo: number, hi: number, size: number, vlo: number, vhi: number, stack: number): number => {
      writeSlow(J, lo, hi, size, vlo, vhi, stack !== 0);
      if (J.fault === null) return 0;
      S[SLOT.FAULT] = 1;
      return 1;
    },
    still: (): number => {
      // The region running may be one the dispatcher went on to: its page is in the slots.
      J.cpa = S[SLOT.CPA]!;
      const g = stillOn(J, J.g0, J.c0, S[SLOT.BASE_HI]! * 4294967296 + (S[SLOT.BASE_LO]! >>> 0));
      if (g < 0) return 0;
      J.g0 = g;
      return 1;
    },
    gp: (): void => {
      J.fault = HELPERS.gp('jump to a non-canonical address');
      S[SLOT.FAULT] = 1;
    },
    de: (): void => {
      J.fault = HELPERS.divideError();
      S[SLOT.FAULT] = 1;
    },
    flags: (): number => J.cpu.rflags | 0,
  };
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

function compile(blocks: readonly RegionBlock[], J: JitContext): RegionFn {
  const key = keyOf(blocks);
  if (J.wasmRuntime && !J.wasmFailed) {
    try {
      return wasmRegion(blocks, key, J);
    } catch (e) {
      // A module the engine refuses (a back-end bug, or a host limit): this machine
      // goes on with JavaScript regions, which give the same results; J.wasmFailed says why.
      J.wasmFailed = e instanceof Error ? e.message : String(e);
    }
  }
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
 * Instructions are decoded ahead, whether or not the CPU has fetched them:
 * the decode cache is derived state, and the fetch shortcut counts a fetch
 * from its page the same way whether the instruction is decoded yet or not
 * (Machine.fetch). A block ends before an instruction that is invalid or
 * straddles the end of the page (the interpreter fetches it across pages).
 */
function scanBlock(dc: DecodeCache, page: number, off: number): RegionBlock | null {
  const insns: Insn[] = [];
  const offsets: number[] = [];
  let at = off;
  while (insns.length < MAX_BLOCK_INSNS && at < 4096) {
    const insn = dc.at(page + at);
    if (!insn || !translatable(insn.op)) break;
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

/**
 * The blocks of the region around page offset `entry` (the entry first).
 *
 * Without `bp`, every block reachable from the entry through direct control
 * flow in the page, breadth first. With it (the translator's choice), only
 * blocks that will run together with the entry, where V8 gets type feedback
 * for them soon (a block it has none for would deoptimize the function when
 * it first runs): blocks the interpreter has run already, and blocks on a
 * cycle through the entry (a loop's rarely taken arm, a recursive function's
 * return path; a return is taken to go back to the region's return points).
 * Blocks another region holds come in too when they are on such a cycle or
 * have run (a loop split between two functions would leave one and enter the
 * other on every iteration); others stay out: control leaves the function
 * there and the run loop goes on in that region (Jit.sideExit forms a region
 * again when that keeps happening).
 */
export function formRegion(dc: DecodeCache, page: number, entry: number, bp?: BlockPage): RegionBlock[] {
  const found: RegionBlock[] = [];
  const at = new Map<number, RegionBlock>();
  const queue = [entry];
  const seen = new Set<number>();
  let total = 0;
  const limit = bp ? 2 * MAX_REGION_INSNS : MAX_REGION_INSNS;
  while (queue.length > 0 && total < limit) {
    const off = queue.shift()!;
    if (seen.has(off)) continue;
    seen.add(off);
    const b = scanBlock(dc, page, off);
    if (!b) continue;
    found.push(b);
    at.set(off, b);
    total += b.insns.length;
    queue.push(...successors(b));
  }
  if (!bp || !at.has(entry)) return found;
  // Edges among the blocks found; a return goes back to every return point found.
  const returnPoints = found.filter((b) => isCall(b.insns[b.insns.length - 1]!.op)).map((b) => b.end).filter((o) => at.has(o));
  const edges = (b: RegionBlock): number[] => {
    const last = b.insns[b.insns.length - 1]!.op;
    return (last === Op.RET ? returnPoints : successors(b)).filter((o) => at.has(o));
  };
  // The blocks that can reach the entry: the cycles through it.
  const preds = new Map<number, number[]>();
  for (const b of found) for (const o of edges(b)) preds.set(o, [...(preds.get(o) ?? []), b.offsets[0]!]);
  const cyclic = new Set<number>([entry]);
  const work = [entry];
  while (work.length > 0) {
    for (const p of preds.get(work.pop()!) ?? []) {
      if (!cyclic.has(p)) {
        cyclic.add(p);
        work.push(p);
      }
    }
  }
  // Breadth first again, through the blocks kept only.
  const blocks: RegionBlock[] = [];
  const kept = new Set<number>();
  const next = [entry];
  total = 0;
  while (next.length > 0 && total < MAX_REGION_INSNS) {
    const off = next.shift()!;
    if (kept.has(off)) continue;
    // Another region's block only if it is on a cycle through the entry (a loop split
    // between regions would leave and re-enter a function on every iteration).
    if (off !== entry && !cyclic.has(off) && bp.heat[off] === 0) continue;
    kept.add(off);
    const b = at.get(off)!;
    blocks.push(b);
    total += b.insns.length;
    next.push(...edges(b));
  }
  return blocks;
}

function isCall(op: number): boolean {
  return op === Op.CALL || op === Op.CALLR;
}

/**
 * Translates the region around physical address `pa` and records its blocks
 * in `bp` where there is no block yet. Returns the block at `pa`, or null.
 */
export function translateAt(J: JitContext, bp: BlockPage, pa: number, remakes = MAX_REMAKES): Block | null {
  const entry = pa & 0xfff;
  const blocks = formRegion(J.dc, pa - entry, entry, bp);
  if (blocks.length === 0) return null;
  const fn = compile(blocks, J);
  const region = new RegionInfo(blocks.flatMap((b) => b.offsets));
  for (const b of blocks) {
    const start = b.offsets[0]!;
    if (start !== entry && bp.blocks[start]) continue;
    bp.blocks[start] = new Block(fn, region, start, b.insns.length, b.offsets.map((o) => o - start), start === entry ? remakes : MAX_REMAKES);
  }
  return bp.blocks[entry]!;
}

/** Side exits from a block's run after which its region is formed again from its start. */
export const SIDE_EXIT_LIMIT = 32;

/** One machine's translator. */
export class Jit {
  readonly ctx: JitContext;
  readonly threshold: number;
  /** Calls of translated code, each running one block or more (a statistic for tests, not machine state). */
  blockRuns = 0;
  /** Instructions retired by translated code (a statistic too). */
  retired = 0;
  /** Region runs the WebAssembly dispatcher went on to without the run loop (a statistic; wasm-dispatch.ts). */
  hops = 0;

  /** `wasm`: the machine's WebAssembly memory, when regions compile to WebAssembly. */
  constructor(m: Machine, threshold: number, wasm?: WasmMemory) {
    if (!(threshold >= 1 && threshold <= MAX_THRESHOLD)) throw new RangeError(`jitThreshold must be between 1 and ${MAX_THRESHOLD}`);
    this.ctx = jitContext(m, wasm);
    if (this.ctx.wasm) {
      try {
        this.ctx.wasmRuntime = wasmRuntime(this.ctx.wasm, { helpers: wasmImports(this.ctx), sync: syncMirror });
      } catch (e) {
        // As in compile: JavaScript regions instead.
        this.ctx.wasmFailed = e instanceof Error ? e.message : String(e);
      }
    }
    this.threshold = threshold;
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
    const block = translateAt(this.ctx, page, pa);
    if (!block) page.blocks[d] = null;
    return block;
  }

  /**
   * A run of `block` (physical address `pa` in `page`) left its region for
   * page offset `to`, where another region's block starts: control went on
   * in the same page, through another function. That block has run, so it
   * counts as run for region forming (heat); after SIDE_EXIT_LIMIT such exits
   * the region is formed again from the block's start, now with the blocks
   * it leaves for (at most MAX_REMAKES times per start, so a region that
   * cannot hold them all is not remade for ever). Derived state only.
   */
  sideExit(page: BlockPage, block: Block, pa: number, to: number): void {
    if (page.heat[to] === 0) page.heat[to] = 1;
    if (++block.sideExits < SIDE_EXIT_LIMIT || block.remakes === 0) return;
    block.sideExits = 0;
    translateAt(this.ctx, page, pa, block.remakes - 1);
  }
}
