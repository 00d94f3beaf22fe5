// What a translated block works on: direct references to the machine's state
// arrays, so the generated code reaches them without walking objects, and the
// fast path's translation mirror (jit.ts), a cache derived from the TLB, the
// watch bits and the privilege level. Nothing here is machine state: every
// other field refers to the machine's data, and the mirror is rebuilt on demand.

import type { CpuState } from '../cpu-state';
import type { DecodeCache } from '../decode-cache';
import type { CpuFault } from '../fault';
import type { Machine } from '../machine';
import type { Access } from '../mmu/access';
import type { PhysicalMemory } from '../physical-memory';
import type { Tlb, TlbCounters } from '../mmu/tlb';
import type { WasmLayout, WasmMemory } from './wasm-layout';
import type { WasmRuntime } from './wasm-region';

/** Entries of the translation mirror with paging off (with paging on it has the TLB's slots). */
export const MIRROR_SIZE = 1024;

export interface JitContext {
  readonly m: Machine;
  readonly cpu: CpuState;
  /** The CPU's register file (int32 halves). */
  readonly r: Int32Array;
  readonly tlb: Tlb;
  readonly counters: TlbCounters;
  readonly tlbValid: Uint8Array;
  readonly tlbTag: Float64Array;
  readonly tlbFrame: Float64Array;
  readonly tlbFlags: Uint8Array;
  readonly tlbSuspect: Uint8Array;
  readonly tlbMask: number;
  /** RAM as bytes and as a little-endian view, its size, and its watch bits. */
  readonly mem: PhysicalMemory;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly memSize: number;
  readonly watch: Uint8Array;
  readonly dc: DecodeCache;

  // ---- The translation mirror (jit.ts, syncMirror): by slot vpn & mm, the
  // virtual page numbers the fast path may read (mr) and write (mw) directly,
  // -1 for none, and their physical page addresses (mrf, mwf). ----
  readonly mr: Int32Array;
  readonly mrf: Int32Array;
  readonly mw: Int32Array;
  readonly mwf: Int32Array;
  /** The slot mask: the TLB's with paging on, MIRROR_SIZE - 1 with paging off. */
  mm: number;
  /** TLB hits a fast access counts: 1 with paging on (a TLB hit), 0 with paging off (no TLB). */
  hc: number;
  /** What the mirror was built for; it is emptied when any of these moves. */
  mTlbGen: number;
  mDcGen: number;
  mWatchGen: number;
  mCr0: number;
  mAccR: Access | undefined;
  mAccW: Access | undefined;
  /** Physical address of the code page of the region being run (set by the run loop). */
  cpa: number;
  /** A fault raised inside translated code, on its way out of the region function (codegen.ts, fault). */
  fault: CpuFault | null;
  /** With WebAssembly regions (wasm-region.ts): the machine's memory, its layout and the exchange slots. */
  readonly wasm: WasmContext | undefined;
  /** During a WebAssembly region call: the TLB and decode-cache generations to go on with (the page is in the slots). */
  g0: number;
  c0: number;
  /** The WebAssembly function table, dispatcher and code map (wasm-region.ts), with WebAssembly regions. */
  wasmRuntime: WasmRuntime | undefined;
  /** Regions the last region call went on to after the first (wasm-dispatch.ts); 0 with JavaScript regions. */
  hops: number;
  /** Why a region could not be compiled to WebAssembly, once that happened (later regions are JavaScript). */
  wasmFailed: string | undefined;
}

export interface WasmContext {
  readonly memory: WebAssembly.Memory;
  readonly layout: WasmLayout;
  /** The exchange slots (wasm-layout.ts, SLOT) as int32. */
  readonly slots: Int32Array;
}

/** Entries of the translation mirror for a TLB of `tlbSize` entries. */
export function mirrorSize(tlbSize: number): number {
  return Math.max(MIRROR_SIZE, tlbSize);
}

export function jitContext(m: Machine, wasm: WasmMemory | undefined): JitContext {
  const tlb = m.mmu.tlb;
  const mem = m.memory;
  const size = mirrorSize(tlb.size);
  const buf = wasm?.memory.buffer;
  const l = wasm?.layout;
  // The mirror lives in the WebAssembly memory when there is one, where the region functions read it.
  const array = (at: number | undefined): Int32Array => (buf && at !== undefined ? new Int32Array(buf, at, size) : new Int32Array(size));
  return {
    m,
    cpu: m.cpu,
    r: m.cpu.regFile,
    tlb,
    counters: tlb.counters,
    tlbValid: tlb.valid,
    tlbTag: tlb.tag,
    tlbFrame: tlb.frame,
    tlbFlags: tlb.flags,
    tlbSuspect: tlb.suspect,
    tlbMask: tlb.size - 1,
    mem,
    bytes: mem.bytes,
    view: new DataView(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength),
    memSize: mem.size,
    watch: mem.watch,
    dc: m.decodeCache,
    mr: array(l?.mr).fill(-1),
    mrf: array(l?.mrf),
    mw: array(l?.mw).fill(-1),
    mwf: array(l?.mwf),
    mm: 0,
    hc: 0,
    mTlbGen: -1,
    mDcGen: -1,
    mWatchGen: -1,
    mCr0: -1,
    mAccR: undefined,
    mAccW: undefined,
    cpa: 0,
    fault: null,
    wasm: wasm && buf && l ? { memory: wasm.memory, layout: l, slots: new Int32Array(buf, l.slots, 16) } : undefined,
    g0: 0,
    c0: 0,
    wasmRuntime: undefined,
    hops: 0,
    wasmFailed: undefined,
  };
}
