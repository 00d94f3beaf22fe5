// A region compiled to WebAssembly (wasm-codegen.ts) as a RegionFn: the
// module, compiled once per region and memory layout and shared by machines,
// instantiated on the machine's memory with its helpers and entered in the
// machine's function table; and the JavaScript around each call, which does
// what codegen.ts's prologue and epilogue do (mirror sync, the page's linear
// base, counting, rip, faults) around the dispatcher (wasm-dispatch.ts),
// which runs the region and the regions control goes on to.

import type { RegionFn } from './block';
import type { RegionBlock } from './codegen';
import type { JitContext, WasmContext } from './context';
import { blockIndex, generateWasmRegion, WASM_IMPORTS } from './wasm-codegen';
import { codeMapHash, generateDispatcher, HOP_IDENTITY, HOP_TLB } from './wasm-dispatch';
import { BREAKPOINTS_MAX, CODE_MAP_SIZE, REGION_BITS_MAX, SLOT, type WasmLayout } from './wasm-layout';
import type { BreakpointSet } from '../breakpoint-set';
import { CR0_PG, CR4_SMEP } from '../constants';
import { TLB_USER, TLB_XD } from '../mmu/tlb';

const modules = new Map<string, WebAssembly.Module>();
const MODULE_LIMIT = 4096;
const dispatchers = new Map<string, WebAssembly.Module>();

/** What jit.ts lends the WebAssembly side: the helpers regions import (WASM_IMPORTS, by name) and the mirror sync. */
export interface WasmHooks {
  readonly helpers: Readonly<Record<string, unknown>>;
  sync(J: JitContext): void;
}

type Dispatch = (max: number, fn: number, bi: number, start: number, chain: number, bl: number, bh: number, mm: number, hc: number, hop: number, need: number, forbid: number) => number;

/** What a machine keeps for its WebAssembly regions, besides the memory (JitContext.wasm). */
export interface WasmRuntime {
  readonly table: WebAssembly.Table;
  readonly dispatch: Dispatch;
  /** The mirror sync (jit.ts, syncMirror), before each call. */
  readonly sync: (J: JitContext) => void;
  /** What region modules import: the memory and the dispatcher's forwarders of the helpers. */
  readonly regionImports: Record<string, unknown>;
  /** The code map as int32 (eight per entry), its fill, and the decode-cache generation it holds blocks of. */
  readonly codeMap: Int32Array;
  mapCount: number;
  mapGen: number;
  /** Bumped whenever the code map is emptied: blocks marked with an older epoch are registered again. */
  mapEpoch: number;
  /** The breakpoints' count (bpCount[0]) and addresses as the dispatcher sees them, and the BreakpointSet generation listed. */
  readonly bpCount: Int32Array;
  readonly bpAddresses: BigInt64Array;
  bpGen: number;
}

function layoutKey(l: WasmLayout): string {
  return `${l.ram}/${l.mirrorSize}/${l.tlbSize}`;
}

export function wasmRuntime(w: WasmContext, hooks: WasmHooks): WasmRuntime {
  const key = layoutKey(w.layout);
  let mod = dispatchers.get(key);
  if (!mod) {
    mod = new WebAssembly.Module(generateDispatcher(w.layout));
    dispatchers.set(key, mod);
  }
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 0 });
  const instance = new WebAssembly.Instance(mod, { env: { ...hooks.helpers, mem: w.memory, tab: table } } as WebAssembly.Imports);
  const regionImports: Record<string, unknown> = { mem: w.memory };
  for (const im of WASM_IMPORTS) regionImports[im.name] = instance.exports[im.name];
  return {
    sync: hooks.sync,
    table,
    regionImports,
    dispatch: instance.exports.run as Dispatch,
    codeMap: new Int32Array(w.memory.buffer, w.layout.codeMap, 8 * CODE_MAP_SIZE),
    mapCount: 0,
    mapGen: -1,
    mapEpoch: 0,
    bpCount: new Int32Array(w.memory.buffer, w.layout.breakpoints, 2),
    bpAddresses: new BigInt64Array(w.memory.buffer, w.layout.breakpoints + 8, BREAKPOINTS_MAX),
    bpGen: -1,
  };
}

/** Lists the breakpoints where the dispatcher looks (wasm-layout.ts, breakpoints). */
function listBreakpoints(rt: WasmRuntime, bps: BreakpointSet): void {
  if (bps.size > BREAKPOINTS_MAX) {
    rt.bpCount[0] = -1;
  } else {
    let k = 0;
    for (const a of bps) rt.bpAddresses[k++] = BigInt(a);
    rt.bpCount[0] = bps.size;
  }
  rt.bpGen = bps.generation;
}

function clearCodeMap(rt: WasmRuntime, gen: number): void {
  rt.codeMap.fill(0);
  rt.mapCount = 0;
  rt.mapGen = gen;
  rt.mapEpoch++;
}

/** Enters the block at physical address `pa` in the code map (emptying it first when half full). */
function register(rt: WasmRuntime, pa: number, fn: number, bi: number, length: number, bytes: number): void {
  if (rt.mapCount >= CODE_MAP_SIZE / 2) clearCodeMap(rt, rt.mapGen);
  const m = rt.codeMap;
  let h = codeMapHash(pa);
  for (;;) {
    const e = 8 * h;
    const k = m[e]!;
    if (k === 0 || k === pa + 1) {
      if (k === 0) rt.mapCount++;
      m[e] = pa + 1;
      m[e + 1] = fn;
      m[e + 2] = bi;
      m[e + 3] = length;
      m[e + 4] = bytes;
      return;
    }
    h = (h + 1) & (CODE_MAP_SIZE - 1);
  }
}

/**
 * The region of `blocks` as a function for the machine of `J` (which has a
 * WebAssembly memory). `key` names the blocks' instructions (jit.ts, keyOf).
 */
export function wasmRegion(blocks: readonly RegionBlock[], key: string, J: JitContext): RegionFn {
  const w = J.wasm!;
  const rt = J.wasmRuntime!;
  const layout = w.layout;
  const fullKey = `${layoutKey(layout)}|${key}`;
  let mod = modules.get(fullKey);
  if (!mod) {
    mod = new WebAssembly.Module(generateWasmRegion(blocks, layout));
    if (modules.size >= MODULE_LIMIT) modules.clear();
    modules.set(fullKey, mod);
  }
  const instance = new WebAssembly.Instance(mod, { env: rt.regionImports } as WebAssembly.Imports);
  const fn = rt.table.grow(1);
  rt.table.set(fn, instance.exports.run);
  if (fn < REGION_BITS_MAX) {
    // The region's instruction offsets, for the dispatcher's breakpoint check.
    const bits = new Uint8Array(w.memory.buffer, layout.regionBits + 512 * fn, 512);
    for (const b of blocks) for (const o of b.offsets) bits[o >> 3]! |= 1 << (o & 7);
  }
  const idx = new Int16Array(4096);
  for (const [off, i] of blockIndex(blocks)) idx[off] = i;
  const lengths = blocks.map((b) => b.insns.length);
  const byteLengths = blocks.map((b) => b.end - b.offsets[0]!);
  /** The code-map epoch each block was last registered in. */
  const marks = new Int32Array(blocks.length).fill(-1);
  const sync = rt.sync;
  return (J2, max, fHit, start, chain) => {
    const cpu = J2.cpu;
    const S = w.slots;
    sync(J2);
    const gen = J2.dc.generation;
    if (rt.mapGen !== gen) clearCodeMap(rt, gen);
    const bi = idx[start]!;
    if (marks[bi] !== rt.mapEpoch) {
      register(rt, J2.cpa + start, fn, bi, lengths[bi]!, byteLengths[bi]!);
      marks[bi] = rt.mapEpoch;
    }
    let base = cpu.rip - start;
    const bh = Math.floor(base / 4294967296) | 0;
    const bl = (base - bh * 4294967296) | 0;
    const user = (cpu.cs & 3) === 3;
    J2.g0 = J2.tlb.generation;
    J2.c0 = gen;
    S[SLOT.CPA] = J2.cpa;
    // Going on to other regions (wasm-dispatch.ts): as the run loop would, to blocks no breakpoint is on.
    const hop = (cpu.cr0 & CR0_PG) !== 0 ? HOP_TLB : HOP_IDENTITY;
    const bps = J2.m.breakpoints;
    if (rt.bpGen !== bps.generation) listBreakpoints(rt, bps);
    const need = user ? TLB_USER : 0;
    const forbid = TLB_XD | (!user && cpu.cr4 & CR4_SMEP ? TLB_USER : 0);
    let n = rt.dispatch(max, fn, bi, start, chain ? 1 : 0, bl, bh, J2.mm, J2.hc, hop, need, forbid);
    const M = J2.m;
    const hops = S[SLOT.HOPS]!;
    J2.hops = hops;
    let pre = 0;
    if (hops !== 0) {
      pre = S[SLOT.PRE_N]!;
      M.icount += pre;
      if (user) M.userIcount += pre;
      J2.counters.hits += S[SLOT.PRE_HITS]!;
      base = S[SLOT.BASE_HI]! * 4294967296 + (S[SLOT.BASE_LO]! >>> 0);
    }
    const hl = S[SLOT.HL]!;
    if (J2.fault !== null) {
      // k: the faulting instruction (see codegen.ts).
      const k = S[SLOT.K]!;
      cpu.rip = base + (k >> 13);
      n += ((k >> 7) & 63) - (k & 127);
      M.icount += n;
      if (user) M.userIcount += n;
      J2.counters.hits += fHit * n + hl;
      S[SLOT.FAULT] = 0;
      const f = J2.fault;
      J2.fault = null;
      throw f;
    }
    n += S[SLOT.E]!;
    cpu.rip = S[SLOT.FAR] !== 0 ? S[SLOT.OUT_HI]! * 4294967296 + (S[SLOT.OUT_LO]! >>> 0) : base + S[SLOT.D]!;
    M.icount += n;
    if (user) M.userIcount += n;
    J2.counters.hits += fHit * (n - 1) + hl;
    return pre + n;
  };
}
