// What a translated block works on: direct references to the machine's state
// arrays, so the generated code reaches them without walking objects. Nothing
// here is state of its own; every field refers to the machine's data.

import type { CpuState } from '../cpu-state';
import type { DecodeCache } from '../decode-cache';
import type { Machine } from '../machine';
import type { Tlb, TlbCounters } from '../mmu/tlb';

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
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly memSize: number;
  readonly watch: Uint8Array;
  readonly dc: DecodeCache;
}

export function jitContext(m: Machine): JitContext {
  const tlb = m.mmu.tlb;
  const mem = m.memory;
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
    bytes: mem.bytes,
    view: new DataView(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength),
    memSize: mem.size,
    watch: mem.watch,
    dc: m.decodeCache,
  };
}
