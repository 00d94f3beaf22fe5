// The machine's WebAssembly memory when regions are compiled to WebAssembly
// (wasm-codegen.ts): one memory holds RAM (at address 0, so a physical address
// is a memory address), the register file, the slots through which a region
// function reports where it stopped, and the translation mirror (jit.ts).
// PhysicalMemory, CpuState and JitContext view their parts of it, so the
// translated code and the rest of the machine work on the same bytes. The
// memory never grows (growing would detach the views).

/** Exchange slots (int32 indices from `slots`). */
export const SLOT = {
  /** 1 when a slow-path read faulted (the fault is in J.fault). */
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
} as const;

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
  /** 64 KiB pages of the memory. */
  readonly pages: number;
}

export function wasmLayout(ram: number, mirrorSize: number): WasmLayout {
  const regs = ram;
  const slots = regs + 256;
  const mr = regs + 4096;
  const mrf = mr + 4 * mirrorSize;
  const mw = mrf + 4 * mirrorSize;
  const mwf = mw + 4 * mirrorSize;
  const end = mwf + 4 * mirrorSize;
  return { ram, regs, slots, mr, mrf, mw, mwf, mirrorSize, pages: Math.ceil(end / 65536) };
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

export function wasmMemory(ram: number, mirrorSize: number): WasmMemory {
  const layout = wasmLayout(ram, mirrorSize);
  return { memory: new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages }), layout };
}
