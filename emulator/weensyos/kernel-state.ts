// Reads a running WeensyOS kernel's bookkeeping out of physical memory
// without side effects: the `pageinfo` array and the `processes` table,
// located through the kernel image's symbols and laid out through its debug
// information (a student's kernel.h may add fields to `proc`), falling back
// to the handout's layout (FACTS.md section 4) when a type is not described.
//
// The kernel is identity-mapped, so its globals' virtual addresses are
// physical addresses.

import type { ImageDebugInfo, ImageDebugType, ImageDebugUnit, ImageTypeRef } from '../machine/image/image-debug-info';
import type { ImageSymbol } from '../machine/image/program-image';
import type { PhysicalMemory } from '../machine/physical-memory';

export interface PageInfo {
  /** PO_FREE 0, PO_RESERVED -1, PO_KERNEL -2, or a pid. */
  readonly owner: number;
  readonly refcount: number;
}

export interface ProcessInfo {
  readonly pid: number;
  /** P_FREE 0, P_RUNNABLE 1, P_BLOCKED 2, P_BROKEN 3. */
  readonly state: number;
  /** The physical address of its L1 page table (0 when none). */
  readonly pagetable: number;
  /** The slot's index in `processes`. */
  readonly slot: number;
}

export interface KernelState {
  /** One entry per physical page, or null if the kernel has no `pageinfo`. */
  readonly pageinfo: readonly PageInfo[] | null;
  /** Every slot of `processes`, or null if the kernel has none. */
  readonly processes: readonly ProcessInfo[] | null;
  /** The value of `kernel_pagetable`, or null. */
  readonly kernelPagetable: number | null;
}

export interface KernelImageInfo {
  readonly symbols: ReadonlyMap<string, ImageSymbol>;
  readonly debug: ImageDebugInfo;
}

export const P_FREE = 0;
export const PO_FREE = 0;
export const PO_RESERVED = -1;
export const PO_KERNEL = -2;

interface FieldLayout {
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
}

/** A global's type, resolved through typedefs and qualifiers, with the unit it lives in. */
function globalType(debug: ImageDebugInfo, name: string): { unit: ImageDebugUnit; type: ImageDebugType } | undefined {
  for (const unit of debug.units) {
    const g = unit.globals.find((v) => v.name === name && v.location.kind === 'static');
    if (g) return { unit, type: resolve(unit, g.type) };
  }
  return undefined;
}

function resolve(unit: ImageDebugUnit, ref: ImageTypeRef): ImageDebugType {
  let t = unit.types[ref]!;
  for (let i = 0; i < 32 && t && (t.kind === 'typedef' || t.kind === 'qualified'); i++) t = unit.types[t.type]!;
  return t;
}

function scalarSize(unit: ImageDebugUnit, ref: ImageTypeRef): { size: number; signed: boolean } {
  const t = resolve(unit, ref);
  if (t.kind === 'int' || t.kind === 'enum') return { size: t.size, signed: t.signed };
  if (t.kind === 'pointer') return { size: 8, signed: false };
  return { size: 0, signed: false };
}

/** The element type of an array global: its size, its length and named fields. */
function arrayOfStructs(debug: ImageDebugInfo, name: string): { length: number; size: number; fields: Map<string, FieldLayout>; offsets: Map<string, number> } | undefined {
  const g = globalType(debug, name);
  if (!g || g.type.kind !== 'array' || g.type.length === null) return undefined;
  const element = resolve(g.unit, g.type.of);
  if (element.kind !== 'struct') return undefined;
  const fields = new Map<string, FieldLayout>();
  const offsets = new Map<string, number>();
  for (const f of element.fields) {
    if (f.name === null || f.bitWidth !== undefined) continue;
    offsets.set(f.name, f.offset);
    const s = scalarSize(g.unit, f.type);
    if (s.size > 0) fields.set(f.name, { offset: f.offset, ...s });
  }
  return { length: g.type.length, size: element.size, fields, offsets };
}

function readField(memory: PhysicalMemory, at: number, f: FieldLayout): number {
  const bytes = memory.readBytes(at + f.offset, f.size);
  let v = 0;
  for (let i = f.size - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
  if (f.signed && f.size <= 4 && v >= 2 ** (8 * f.size - 1)) v -= 2 ** (8 * f.size);
  return v;
}

const HANDOUT_PAGEINFO = { length: 512, size: 2, fields: new Map<string, FieldLayout>([['owner', { offset: 0, size: 1, signed: true }], ['refcount', { offset: 1, size: 1, signed: true }]]) };
const HANDOUT_PROC = {
  length: 16,
  size: 216,
  offsets: new Map([['p_pid', 0], ['p_registers', 8], ['p_state', 200], ['p_pagetable', 208]]),
  fields: new Map<string, FieldLayout>([
    ['p_pid', { offset: 0, size: 4, signed: true }],
    ['p_state', { offset: 200, size: 4, signed: false }],
    ['p_pagetable', { offset: 208, size: 8, signed: false }],
  ]),
};

/** Where `proc`'s fields are: from the debug information, else the handout's layout (FACTS.md section 4). */
export interface ProcLayout {
  /** sizeof(proc). */
  readonly size: number;
  /** Offsets of p_pid and p_registers. */
  readonly pid: number;
  readonly registers: number;
}

export function procLayout(kernel: KernelImageInfo): ProcLayout {
  const layout = arrayOfStructs(kernel.debug, 'processes');
  const pid = layout?.offsets.get('p_pid');
  const registers = layout?.offsets.get('p_registers');
  if (layout && pid !== undefined && registers !== undefined) return { size: layout.size, pid, registers };
  return { size: HANDOUT_PROC.size, pid: 0, registers: 8 };
}

/** The value of `current` (0 when NULL or missing) and current->p_pid (null then). Reads memory only. */
export function readCurrent(memory: PhysicalMemory, kernel: KernelImageInfo): { readonly proc: number; readonly pid: number | null } {
  const cur = kernel.symbols.get('current');
  if (!cur) return { proc: 0, pid: null };
  const proc = readField(memory, cur.address, { offset: 0, size: 8, signed: false });
  if (proc === 0 || proc + 4 > memory.size) return { proc, pid: null };
  return { proc, pid: readField(memory, proc, { offset: procLayout(kernel).pid, size: 4, signed: true }) };
}

/** Reads pageinfo, processes and kernel_pagetable. Reads memory only. */
export function readKernelState(memory: PhysicalMemory, kernel: KernelImageInfo): KernelState {
  let pageinfo: PageInfo[] | null = null;
  const pi = kernel.symbols.get('pageinfo');
  if (pi) {
    const layout = arrayOfStructs(kernel.debug, 'pageinfo') ?? HANDOUT_PAGEINFO;
    const owner = layout.fields.get('owner');
    const refcount = layout.fields.get('refcount');
    if (owner && refcount) {
      pageinfo = [];
      for (let i = 0; i < layout.length; i++) {
        const at = pi.address + i * layout.size;
        pageinfo.push({ owner: readField(memory, at, owner), refcount: readField(memory, at, refcount) });
      }
    }
  }
  let processes: ProcessInfo[] | null = null;
  const ps = kernel.symbols.get('processes');
  if (ps) {
    const layout = arrayOfStructs(kernel.debug, 'processes') ?? HANDOUT_PROC;
    const pid = layout.fields.get('p_pid');
    const state = layout.fields.get('p_state');
    const pagetable = layout.fields.get('p_pagetable');
    if (pid && state && pagetable) {
      processes = [];
      for (let i = 0; i < layout.length; i++) {
        const at = ps.address + i * layout.size;
        processes.push({ slot: i, pid: readField(memory, at, pid), state: readField(memory, at, state), pagetable: readField(memory, at, pagetable) });
      }
    }
  }
  const kp = kernel.symbols.get('kernel_pagetable');
  const kernelPagetable = kp ? readField(memory, kp.address, { offset: 0, size: 8, signed: false }) : null;
  return { pageinfo, processes, kernelPagetable };
}
