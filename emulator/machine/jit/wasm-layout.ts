// The machine's WebAssembly memory when regions are compiled to WebAssembly
// (wasm-codegen.ts): one memory holds RAM (at address 0, so a physical address
// is a memory address), the register file, the slots through which region
// functions and the dispatcher report where they stopped, the translation
// mirror (jit.ts), the TLB's entries and the code map (wasm-dispatch.ts).
// PhysicalMemory, CpuState, Tlb and JitContext view their parts of it, so the
// translated code and the rest of the machine work on the same bytes. The
// memory never grows (growing would detach the views).

import type { TlbArrays } from '../mmu/tlb';

/** Exchange slots (int32 indices from `slots`). */
export const SLOT = {
  /** 1 when a helper raised a fault (it is in J.fault). */
  FAULT: 0,
  /** The high half of an 8-byte slow-path read. */
  HI: 1,
  /** At a mid-block exit, the block's instructions that did not retire, negated. */
  E: 2,
  /** The fault record (codegen.ts, k). */
  K: 3,
  /** The page offset of the next instruction, unless FAR. */
  D: 4,
  /** 1 when the next instruction is at OUT (a target outside the page). */
  FAR: 5,
  /** The far target, an i64 (low and high halves). */
  OUT_LO: 6,
  OUT_HI: 7,
  /** TLB hits the fast path counted. */
  HL: 8,
  /** 1 once a region took a slow path (only a slow path can move a generation). */
  SLOW: 9,
  /** The linear base of the page of the region running (or last run), an i64. */
  BASE_LO: 10,
  BASE_HI: 11,
  /** The physical address of that page. */
  CPA: 12,
  /** Set by the dispatcher: instructions retired by the regions before the last, their TLB hits, how many they were. */
  PRE_N: 13,
  PRE_HITS: 14,
  HOPS: 15,
} as const;

/** Breakpoints the dispatcher checks one by one; with more it does not go on at all. */
export const BREAKPOINTS_MAX = 64;

/** Region functions whose instruction offsets the dispatcher can see (later ones: a breakpoint on their page counts as on them). */
export const REGION_BITS_MAX = 2048;

/** Entries of the code map (a power of two): physical addresses of block starts. */
export const CODE_MAP_SIZE = 8192;

export interface WasmLayout {
  /** Bytes of RAM, at address 0. */
  readonly ram: number;
  /** The register file (CpuState.regFile, 34 int32). */
  readonly regs: number;
  readonly slots: number;
  /** The translation mirror's four int32 arrays of `mirrorSize` entries. */
  readonly mr: number;
  readonly mrf: number;
  readonly mw: number;
  readonly mwf: number;
  readonly mirrorSize: number;
  /** The TLB's arrays (Tlb.valid, .flags, .suspect: bytes; .tag, .frame: f64) of `tlbSize` entries. */
  readonly tlbValid: number;
  readonly tlbFlags: number;
  readonly tlbSuspect: number;
  readonly tlbTag: number;
  readonly tlbFrame: number;
  readonly tlbSize: number;
  /** The code map: CODE_MAP_SIZE entries of eight int32 (physical address + 1, table index, block index, length, length in bytes, 3 unused). */
  readonly codeMap: number;
  /** The breakpoints: an int32 count (-1: too many to list) at +0, then up to BREAKPOINTS_MAX i64 linear addresses from +8. */
  readonly breakpoints: number;
  /** For the first REGION_BITS_MAX region functions (by table index), 512 bytes: a bit for each page offset where the region has an instruction. */
  readonly regionBits: number;
  /** 64 KiB pages of the memory. */
  readonly pages: number;
}

export function wasmLayout(ram: number, mirrorSize: number, tlbSize: number): WasmLayout {
  const regs = ram;
  const slots = regs + 256;
  const mr = regs + 4096;
  const mrf = mr + 4 * mirrorSize;
  const mw = mrf + 4 * mirrorSize;
  const mwf = mw + 4 * mirrorSize;
  const tlbTag = mwf + 4 * mirrorSize;
  const tlbFrame = tlbTag + 8 * tlbSize;
  const tlbValid = tlbFrame + 8 * tlbSize;
  const tlbFlags = tlbValid + tlbSize;
  const tlbSuspect = tlbFlags + tlbSize;
  const codeMap = (tlbSuspect + tlbSize + 15) & ~15;
  const breakpoints = codeMap + 32 * CODE_MAP_SIZE;
  const regionBits = breakpoints + 8 + 8 * BREAKPOINTS_MAX;
  const end = regionBits + 512 * REGION_BITS_MAX;
  return { ram, regs, slots, mr, mrf, mw, mwf, mirrorSize, tlbValid, tlbFlags, tlbSuspect, tlbTag, tlbFrame, tlbSize, codeMap, breakpoints, regionBits, pages: Math.ceil(end / 65536) };
}

/** A machine's WebAssembly memory and its layout. */
export interface WasmMemory {
  readonly memory: WebAssembly.Memory;
  readonly layout: WasmLayout;
}

/** True where WebAssembly can be used (Node and VS Code have it; a host without it runs the JavaScript back end). */
export function wasmAvailable(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.Memory === 'function';
}

export function wasmMemory(ram: number, mirrorSize: number, tlbSize: number): WasmMemory {
  const layout = wasmLayout(ram, mirrorSize, tlbSize);
  return { memory: new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages }), layout };
}

/** The TLB's arrays in the WebAssembly memory. */
export function tlbArrays(w: WasmMemory): TlbArrays {
  const b = w.memory.buffer;
  const l = w.layout;
  return {
    valid: new Uint8Array(b, l.tlbValid, l.tlbSize),
    tag: new Float64Array(b, l.tlbTag, l.tlbSize),
    frame: new Float64Array(b, l.tlbFrame, l.tlbSize),
    flags: new Uint8Array(b, l.tlbFlags, l.tlbSize),
    suspect: new Uint8Array(b, l.tlbSuspect, l.tlbSize),
  };
}
