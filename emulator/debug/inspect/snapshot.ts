// The panel's snapshot of a stopped machine (types in snapshot-types.ts):
// processes, pageinfo (read through debug information, or derived from the
// page tables when the kernel has none the debugger can read), every live
// address space's page tables, the TLB, the console, the last fault, the
// counters and the page audit's findings. Reads memory only.

import { readConsole } from '../../console';
import { CR0_PG, KERNEL_STACK_TOP, KERNEL_START_ADDR, PROC_START_ADDR } from '../../machine/constants';
import { pageFaultBits } from '../../machine/diagnosis';
import { vectorName } from '../../machine/fault';
import type { Machine } from '../../machine/machine';
import type { KernelState, PageInfo } from '../../weensyos/kernel-state';
import { auditPages, pageTableShape } from '../../weensyos/page-audit';
import type { InspectBuild } from './frame-context';
import { functionAt, imageAt, lineAt } from './images';
import { kernelView, liveProcesses, spaceLabel } from './kernel-view';
import { decodeEntry, readTableEntries } from './page-entries';
import { topFrame } from './frame-context';
import { PHYSICAL } from './address-space';
import { programIn } from './images';
import {
  SNAPSHOT_VERSION, type PanelSnapshot, type ProcessStateName, type SnapshotAddressSpace, type SnapshotEntry, type SnapshotFault,
  type SnapshotPageInfo, type SnapshotSource, type SnapshotTable,
} from './snapshot-types';

const STATE_NAMES: readonly ProcessStateName[] = ['free', 'runnable', 'blocked', 'broken'];

function toEntry(e: ReturnType<typeof decodeEntry>): SnapshotEntry {
  return { index: e.index, entryAddress: e.entryAddress, va: e.va, vaLast: e.vaLast, raw: e.raw, pa: e.pa, flags: e.flags, kind: e.kind, owner: e.kind !== 'not-present' && e.owner !== undefined ? e.owner : null };
}

/** Every table reachable from `l1` through present entries, depth first. */
export function readAddressSpaceTables(machine: Machine, l1: number, pageinfo: readonly PageInfo[] | null): SnapshotTable[] {
  const tables: SnapshotTable[] = [];
  const seen = new Set<number>();
  const visit = (pa: number, level: number, va: number): void => {
    if (seen.has(pa) || pa + 4096 > machine.memory.size || tables.length > 4096) return;
    seen.add(pa);
    const entries = readTableEntries(machine.memory, pa, level, va, pageinfo);
    const info = pageinfo?.[Math.floor(pa / 4096)];
    tables.push({ pa, level, va, owner: info ? info.owner : null, entries: entries.map(toEntry) });
    if (level < 3) for (const e of entries) if (e.kind === 'table') visit(e.pa, level + 1, e.va);
  };
  visit(l1, 0, 0);
  return tables;
}

/** pageinfo rebuilt from the page tables, for a kernel whose pageinfo the debugger cannot read. */
export function derivePageinfo(machine: Machine, build: InspectBuild, state: KernelState): PageInfo[] {
  const pages = machine.memory.size / 4096;
  const out: { owner: number; refcount: number }[] = Array.from({ length: pages }, () => ({ owner: 0, refcount: 0 }));
  const end = build.kernel.symbols.get('end')?.address ?? KERNEL_START_ADDR;
  for (let pn = 0; pn < pages; pn++) {
    const pa = pn * 4096;
    if (pa === 0 || (pa >= 0xa0000 && pa < 0x100000)) out[pn] = { owner: -1, refcount: 1 };
    else if ((pa >= KERNEL_START_ADDR && pa < end) || pa === KERNEL_STACK_TOP - 4096) out[pn] = { owner: -2, refcount: 1 };
  }
  const kp = state.kernelPagetable;
  if (kp) for (const t of pageTableShape(machine.memory, kp).tables) if (t.pa < machine.memory.size) out[t.pa / 4096] = { owner: -2, refcount: 1 };
  for (const p of (state.processes ?? []).filter((q) => q.slot !== 0 && q.state !== 0 && q.pagetable !== 0)) {
    const shape = pageTableShape(machine.memory, p.pagetable);
    if (p.pagetable !== kp) for (const t of shape.tables) if (t.pa < machine.memory.size) out[t.pa / 4096] = { owner: p.pid, refcount: 1 };
    for (const m of shape.mappings) {
      if (m.va < PROC_START_ADDR) continue;
      const pn = Math.floor(m.pa / 4096);
      const cur = out[pn];
      if (!cur) continue;
      out[pn] = cur.refcount === 0 || cur.owner <= 0 ? { owner: p.pid, refcount: cur.owner > 0 ? cur.refcount + 1 : 1 } : { owner: cur.owner, refcount: cur.refcount + 1 };
    }
  }
  return out;
}

function sourceAt(build: InspectBuild, machine: Machine, rip: number): SnapshotSource | null {
  const ctx = topFrame(machine, build);
  const image = imageAt({ ...ctx, rip }, ctx.paging ? { kind: 'virtual', cr3: ctx.cr3, label: '' } : PHYSICAL);
  const row = lineAt(image, rip);
  if (!row || !image) return null;
  const fn = functionAt(image, rip);
  if (!fn) return null;
  return { file: row.range.start.file, line: row.range.start.line, column: row.range.start.column, function: fn.fn.name };
}

/** Takes the panel's snapshot. */
export function takeSnapshot(machine: Machine, build: InspectBuild): PanelSnapshot {
  const view = kernelView(machine, build);
  const state = view.state;
  const cpu = machine.cpu;
  const paging = (cpu.cr0 & CR0_PG) !== 0;
  const pageinfo: readonly PageInfo[] = state.pageinfo ?? derivePageinfo(machine, build, state);
  const live = liveProcesses(view);

  const processes = live.map((p) => ({
    slot: p.slot, pid: p.pid, state: STATE_NAMES[p.state] ?? 'unknown', stateValue: p.state,
    program: programIn(machine, build, { kind: 'virtual', cr3: p.pagetable, label: '' })?.name ?? null,
    pagetable: p.pagetable, current: view.currentPid === p.pid,
  }));

  const spaces: SnapshotAddressSpace[] = [];
  const addSpace = (l1: number): void => {
    if (spaces.some((s) => s.l1 === l1) || l1 + 4096 > machine.memory.size) return;
    const pids = live.filter((p) => p.pagetable === l1).map((p) => p.pid);
    spaces.push({
      l1, pids, kernel: l1 === state.kernelPagetable, label: spaceLabel(view, l1),
      tables: readAddressSpaceTables(machine, l1, pageinfo),
      pages: pageTableShape(machine.memory, l1).mappings.map((m) => ({ va: m.va, pa: m.pa, perm: m.perm })),
    });
  };
  if (paging || state.kernelPagetable) {
    if (state.kernelPagetable) addSpace(state.kernelPagetable);
    for (const p of live) addSpace(p.pagetable);
    if (paging) addSpace(cpu.cr3 - (cpu.cr3 % 4096));
  }

  const audit = auditPages(machine.memory, { ...state, pageinfo });
  const mappedBy: Record<string, { pid: number; va: number; perm: number }[]> = {};
  for (const [pn, list] of audit.mappedBy) mappedBy[String(pn)] = list.map((m) => ({ pid: m.pid, va: m.va, perm: m.perm }));

  const screen = readConsole(machine.memory);
  const ticksSym = build.kernel.symbols.get('ticks');
  const ticks = ticksSym ? (machine.memory.peek64(ticksSym.address) >>> 0) : null;

  return {
    version: SNAPSHOT_VERSION,
    cpu: { rip: cpu.rip, cpl: cpu.cs & 3, cr0: cpu.cr0 >>> 0, cr2: cpu.cr2, cr3: cpu.cr3, cr4: cpu.cr4 >>> 0, efer: cpu.efer >>> 0, paging, source: sourceAt(build, machine, cpu.rip) },
    currentPid: view.currentPid,
    kernelPagetable: state.kernelPagetable,
    processes,
    pageinfo: { source: state.pageinfo ? 'debug-info' : 'derived', pages: pageinfo.map((p): SnapshotPageInfo => ({ owner: p.owner, refcount: p.refcount })) },
    mappedBy,
    addressSpaces: spaces,
    tlb: { entries: machine.mmu.tlb.entries().map(({ entryAddresses: _unused, ...e }) => e), counters: { ...machine.mmu.tlb.counters } },
    console: { columns: screen.columns, rows: screen.rows, cells: Array.from(screen.cells), cursorpos: screen.cursorpos },
    lastFault: faultSnapshot(machine, build),
    counters: { instructions: machine.icount, userInstructions: machine.userIcount, ticks, unbackedReads: machine.memory.unbackedReads, unbackedWrites: machine.memory.unbackedWrites },
    findings: audit.findings.map((f) => ({ kind: f.kind, page: f.page, pid: f.pid ?? null, va: f.va ?? null, message: f.message })),
  };
}

function faultSnapshot(machine: Machine, build: InspectBuild): SnapshotFault | null {
  // A fault the machine stopped on (not delivered yet) is the newest; lastFault is set on delivery.
  const f = machine.pendingFault ?? machine.lastFault;
  if (!f) return null;
  const pending = machine.pendingFault === f;
  return {
    vector: f.vector, name: vectorName(f.vector), errorCode: f.errorCode ?? null,
    errorBits: f.vector === 14 && f.errorCode !== undefined ? pageFaultBits(f.errorCode) : [],
    va: f.va ?? null, message: f.message,
    walk: (f.walk?.steps ?? []).map((s) => ({ level: s.level, index: s.index, tableAddress: s.tableAddress, entryAddress: s.entryAddress, raw: decodeEntry(s.level, s.index, s.tableAddress, s.entryLo | 0, s.entryHi | 0, 0).raw, decision: s.decision })),
    failedLevel: f.walk?.failedLevel ?? null,
    rip: pending ? machine.cpu.rip : null,
    source: pending ? sourceAt(build, machine, machine.cpu.rip) : null,
  };
}
