// The whole machine as data: save, restore, and a hash for determinism tests.
// Derived caches (decoded instructions, the fetch shortcut) are not part of
// the state; restoring drops them.

import { CPU_SCALARS } from './cpu-state';
import type { DeviceState } from './devices';
import type { Machine, MachineStatus } from './machine';

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
  m.pendingFault = undefined;
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
  const scalars = JSON.stringify({ cpu: s.cpu, devices: s.devices, status: s.status, icount: s.icount, userIcount: s.userIcount, nextTick: s.nextTick, counters: s.tlb.counters });
  feed(new TextEncoder().encode(scalars));
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
