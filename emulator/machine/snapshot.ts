// The whole machine as data: save, restore, and a hash for determinism tests.
// Derived caches (decoded instructions, the fetch shortcut) are not part of
// the state; restoring drops them.

import { CPU_SCALARS } from './cpu-state';
import type { DeviceState } from './devices';
import type { ShutdownDiagnosis } from './diagnosis';
import { CpuFault } from './fault';
import type { Machine, MachineStatus } from './machine';

/** A CpuFault as plain data: its constructor arguments. */
export type SavedFault = { readonly [K in keyof CpuFault as CpuFault[K] extends (...args: never[]) => unknown ? never : K]: CpuFault[K] };

function saveFault(f: CpuFault | undefined): SavedFault | undefined {
  if (!f) return undefined;
  const { vector, errorCode, message, va, walk, access, stage, fromStaleTlb, duringVector } = f;
  return structuredClone({ vector, errorCode, message, va, walk, access, stage, fromStaleTlb, duringVector });
}

function loadFault(s: SavedFault | undefined): CpuFault | undefined {
  if (!s) return undefined;
  const c = structuredClone(s);
  return new CpuFault(c.vector, c.errorCode, c.message, c.va, c.walk, c.access, c.stage, c.fromStaleTlb, c.duringVector);
}

export interface MachineSnapshot {
  readonly version: 1;
  readonly memory: Uint8Array;
  readonly regs: Int32Array;
  readonly cpu: Readonly<Record<(typeof CPU_SCALARS)[number], number>>;
  readonly tlb: {
    readonly valid: Uint8Array;
    readonly tag: Float64Array;
    readonly frame: Float64Array;
    readonly flags: Uint8Array;
    readonly suspect: Uint8Array;
    readonly entryAddrs: Float64Array;
    readonly counters: { hits: number; misses: number; staleHits: number; flushes: number; invlpgs: number };
  };
  readonly pagingWatch: Uint8Array;
  readonly devices: DeviceState;
  readonly status: MachineStatus;
  readonly icount: number;
  readonly userIcount: number;
  readonly nextTick: number;
  /**
   * The fault a `stopOnFault` stop left to be delivered by the next run. Without
   * it a restored machine would re-execute the instruction, ask stopOnFault
   * again and stop at the same fault a second time (and spend one more
   * instruction of the run's budget than the original machine).
   */
  readonly pendingFault?: SavedFault;
  /** The debugger's "last fault" view. */
  readonly lastFault?: SavedFault;
  /** Why the machine shut down, when status is 'shutdown'; `run` returns it. */
  readonly shutdownDiagnosis?: ShutdownDiagnosis;
}

export function saveMachine(m: Machine): MachineSnapshot {
  const tlb = m.mmu.tlb;
  const cpu = {} as Record<(typeof CPU_SCALARS)[number], number>;
  for (const k of CPU_SCALARS) cpu[k] = m.cpu[k];
  return {
    version: 1,
    memory: m.memory.bytes.slice(),
    regs: m.cpu.regs.slice(),
    cpu,
    tlb: {
      valid: tlb.valid.slice(), tag: tlb.tag.slice(), frame: tlb.frame.slice(), flags: tlb.flags.slice(),
      suspect: tlb.suspect.slice(), entryAddrs: tlb.entryAddrs.slice(), counters: { ...tlb.counters },
    },
    // Which pages hold paging entries the TLB depends on (the code bits are derived and dropped).
    pagingWatch: m.memory.watch.map((w) => w & 2),
    devices: structuredClone(m.devices.state),
    status: m.status,
    icount: m.icount,
    userIcount: m.userIcount,
    nextTick: m.nextTick,
    pendingFault: saveFault(m.pendingFault),
    lastFault: saveFault(m.lastFault),
    shutdownDiagnosis: m.shutdownDiagnosis && structuredClone(m.shutdownDiagnosis),
  };
}

export function restoreMachine(m: Machine, s: MachineSnapshot): void {
  if (s.memory.length !== m.memory.size) throw new RangeError(`snapshot has ${s.memory.length} bytes of RAM, the machine ${m.memory.size}`);
  if (s.tlb.valid.length !== m.mmu.tlb.size) throw new RangeError(`snapshot has a ${s.tlb.valid.length}-entry TLB, the machine ${m.mmu.tlb.size}`);
  m.memory.bytes.set(s.memory);
  m.memory.watch.set(s.pagingWatch);
  m.cpu.regs.set(s.regs);
  for (const k of CPU_SCALARS) m.cpu[k] = s.cpu[k];
  const tlb = m.mmu.tlb;
  tlb.valid.set(s.tlb.valid);
  tlb.tag.set(s.tlb.tag);
  tlb.frame.set(s.tlb.frame);
  tlb.flags.set(s.tlb.flags);
  tlb.suspect.set(s.tlb.suspect);
  tlb.entryAddrs.set(s.tlb.entryAddrs);
  Object.assign(tlb.counters, s.tlb.counters);
  tlb.generation++;
  m.devices.state = structuredClone(s.devices);
  m.status = s.status;
  m.icount = s.icount;
  m.userIcount = s.userIcount;
  m.nextTick = s.nextTick;
  // Fix: these were not saved, so a restored machine lost its pending fault and
  // kept the target machine's shutdown diagnosis (undefined in a fresh machine,
  // which `run` then returned as the diagnosis of a 'shutdown' stop).
  m.pendingFault = loadFault(s.pendingFault);
  m.lastFault = loadFault(s.lastFault);
  m.shutdownDiagnosis = s.shutdownDiagnosis && structuredClone(s.shutdownDiagnosis);
  m.invalidateCaches();
}

/**
 * A 64-bit hash (two FNV-1a-style 32-bit lanes, as 16 hex digits) of every byte of the saved state.
 * Two machines with equal hashes are, for all practical purposes, in the same state.
 */
export function hashMachine(m: Machine): string {
  const s = saveMachine(m);
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x050c5d1f | 0;
  const feed = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) {
      h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ bytes[i]!, 0x01000193) ^ (h1 >>> 15);
    }
  };
  const view = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  feed(s.memory);
  feed(view(s.regs));
  feed(view(s.tlb.valid));
  feed(view(s.tlb.tag));
  feed(view(s.tlb.frame));
  feed(view(s.tlb.flags));
  feed(view(s.tlb.entryAddrs));
  // A pending fault is part of the state (the next run delivers it); lastFault and the diagnosis are reports about the past.
  const pending = s.pendingFault && [s.pendingFault.vector, s.pendingFault.errorCode ?? null, s.pendingFault.va ?? null];
  const scalars = JSON.stringify({ cpu: s.cpu, devices: s.devices, status: s.status, icount: s.icount, userIcount: s.userIcount, nextTick: s.nextTick, counters: s.tlb.counters, pending });
  feed(new TextEncoder().encode(scalars));
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
