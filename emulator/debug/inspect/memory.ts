// readMemory and writeMemory for the debugger's hex view, on virtual memory
// (an address space named by its CR3) or physical memory, through memory
// references of the form
//
//   p:0x<pa>             physical memory
//   v:0x<cr3>:0x<va>     virtual memory through the L1 table at cr3
//   0x<va>               virtual memory of the frame's address space
//
// Reads stop at the first unmapped page and say how many bytes after it are
// unreadable, as DAP's readMemory response does (`unreadableBytes`).
// Writes go through PhysicalMemory, so decoded code and TLB bookkeeping
// see them; the walk is pure, so nothing else changes.

import { hex } from '../../machine/hex';
import type { Machine } from '../../machine/machine';
import { PHYSICAL, readSpace, translateAddress, writeSpace, type AddressSpace } from './address-space';
import type { InspectBuild } from './frame-context';
import { kernelView, spaceLabel, type KernelView } from './kernel-view';

/** The memory reference of an address in a space. */
export function memoryReference(space: AddressSpace, address: number): string {
  return space.kind === 'physical' ? `p:${hex(address)}` : `v:${hex(space.cr3)}:${hex(address)}`;
}

export interface ParsedReference {
  readonly space: AddressSpace | 'frame';
  readonly address: number;
}

const NUM = '(0x[0-9a-fA-F]+|\\d+)';

/** Parses a memory reference; undefined if it is not one. */
export function parseMemoryReference(ref: string, view?: KernelView): ParsedReference | undefined {
  const s = ref.trim();
  let m = new RegExp(`^p:${NUM}$`).exec(s);
  if (m) return { space: PHYSICAL, address: Number(m[1]) };
  m = new RegExp(`^v:${NUM}:(-?)${NUM}$`).exec(s);
  if (m) {
    const cr3 = Number(m[1]);
    const va = (m[2] ? -1 : 1) * Number(m[3]);
    return { space: { kind: 'virtual', cr3, label: view ? spaceLabel(view, cr3) : `the address space at ${hex(cr3)}` }, address: va };
  }
  m = new RegExp(`^${NUM}$`).exec(s);
  if (m) return { space: 'frame', address: Number(m[1]) };
  return undefined;
}

export interface ReadMemoryResult {
  /** The address of the first byte, as DAP wants it (a hex string). */
  readonly address: string;
  /** The bytes read (possibly none). */
  readonly data: Uint8Array;
  /** Unreadable bytes after `data` (capped at the request's count). */
  readonly unreadableBytes: number;
  /** Why the first unreadable byte is unreadable. */
  readonly reason?: string;
}

export type MemoryError = { readonly ok: false; readonly error: string };

function resolve(machine: Machine, build: InspectBuild, reference: string, frameSpace: AddressSpace | undefined): { space: AddressSpace; address: number } | string {
  const parsed = parseMemoryReference(reference, kernelView(machine, build));
  if (!parsed) return `'${reference}' is not a memory reference (use p:0x<physical>, v:0x<cr3>:0x<virtual> or 0x<address>)`;
  const space = parsed.space === 'frame' ? (frameSpace ?? PHYSICAL) : parsed.space;
  return { space, address: parsed.address };
}

/** DAP readMemory: `count` bytes at `reference` + `offset`. */
export function readMemory(
  machine: Machine, build: InspectBuild, reference: string, offset: number, count: number, frameSpace?: AddressSpace,
): ({ readonly ok: true } & ReadMemoryResult) | MemoryError {
  const r = resolve(machine, build, reference, frameSpace);
  if (typeof r === 'string') return { ok: false, error: r };
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(count) || count < 0) return { ok: false, error: 'offset and count must be integers, count at least 0' };
  const count2 = Math.min(count, 1 << 20);
  const start = r.address + offset;
  const got = readSpace(machine, r.space, start, count2);
  let unreadable = 0;
  if (got.error !== undefined) {
    // Skip to the next readable page, within the request.
    let at = start + got.bytes.length;
    const end = start + count2;
    while (at < end && !translateAddress(machine, r.space, at).ok) {
      const next = r.space.kind === 'physical' ? end : Math.min(end, (Math.floor(at / 4096) + 1) * 4096);
      unreadable += next - at;
      at = next;
    }
  }
  return {
    ok: true, address: hex(start), data: got.bytes, unreadableBytes: unreadable,
    ...(got.error !== undefined ? { reason: got.error } : {}),
  };
}

/** DAP writeMemory; with `allowPartial`, writes the bytes up to the first unmapped one. */
export function writeMemory(
  machine: Machine, build: InspectBuild, reference: string, offset: number, data: Uint8Array, allowPartial = false, frameSpace?: AddressSpace,
): { readonly ok: true; readonly bytesWritten: number; readonly offset: number } | MemoryError {
  const r = resolve(machine, build, reference, frameSpace);
  if (typeof r === 'string') return { ok: false, error: r };
  const start = r.address + offset;
  const w = writeSpace(machine, r.space, start, data);
  if (w.ok) return { ok: true, bytesWritten: data.length, offset };
  if (!allowPartial) return { ok: false, error: `nothing written: ${w.message}` };
  let n = 0;
  while (n < data.length && translateAddress(machine, r.space, start + n).ok) n++;
  if (n > 0) writeSpace(machine, r.space, start, data.subarray(0, n));
  return { ok: true, bytesWritten: n, offset };
}
