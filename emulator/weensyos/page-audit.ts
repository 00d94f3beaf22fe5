// The invariants a WeensyOS kernel must keep between its pageinfo array and
// its page tables, checked by the tool itself from outside the machine (the
// debugger's and `weensy check`'s own eyes, independent of the student's
// check_* functions): who maps each physical page, whether refcounts and
// owners agree with the mappings, leaked pages, kernel pages open to user
// code, writable pages shared between processes, page-table pages owned by
// the wrong process. Every finding is a sentence a student can act on.
//
// Reads memory only (no A/D bits, no TLB, no faults). The kernel's
// structures are consistent only between system calls: audit a machine
// stopped in user mode (or accept transient findings in the middle of, say,
// process_setup).

import { CONSOLE_ADDR, MEMSIZE_VIRTUAL, PAGESIZE, PROC_START_ADDR, PTE_P, PTE_PS, PTE_U, PTE_W } from '../machine/constants';
import type { PhysicalMemory } from '../machine/physical-memory';
import { R } from '../machine/int64';
import { P_FREE, type KernelState } from './kernel-state';

/** One present mapping of a virtual page. */
export interface Mapping {
  readonly va: number;
  readonly pa: number;
  /** PTE_P | PTE_W | PTE_U as the hardware would allow them: ANDed over the four levels. */
  readonly perm: number;
}

export interface PageTableShape {
  /** The page-table pages reached through present entries, with their level (0 = L1, the top). */
  readonly tables: readonly { readonly pa: number; readonly level: number }[];
  /** Present mappings of virtual pages below `limit`, in address order. */
  readonly mappings: readonly Mapping[];
}

const hex = (n: number): string => '0x' + n.toString(16);
const TABLE_MASK_LO = ~0xfff;

/** Enumerates a page table's tables and its mappings below `limit` (default MEMSIZE_VIRTUAL). */
export function pageTableShape(memory: PhysicalMemory, l1: number, limit = MEMSIZE_VIRTUAL): PageTableShape {
  const tables: { pa: number; level: number }[] = [];
  const mappings: Mapping[] = [];
  const seen = new Set<number>();
  const visit = (table: number, level: number, base: number, perm: number): void => {
    if (seen.has(table) || table + PAGESIZE > memory.size) return;
    seen.add(table);
    tables.push({ pa: table, level });
    const span = 2 ** (12 + 9 * (3 - level));
    for (let i = 0; i < 512; i++) {
      const va = base + i * span;
      if (va >= limit) break;
      const lo = memory.peek64(table + 8 * i);
      const hi = R.hi;
      if (!(lo & PTE_P)) continue;
      const p = perm & lo & (PTE_P | PTE_W | PTE_U);
      const pa = (hi & 0xfffff) * 2 ** 32 + ((lo & TABLE_MASK_LO) >>> 0);
      if (level === 3) mappings.push({ va, pa, perm: p });
      else if (level === 2 && lo & PTE_PS) for (let k = 0; k < 512 && va + k * PAGESIZE < limit; k++) mappings.push({ va: va + k * PAGESIZE, pa: pa + k * PAGESIZE, perm: p });
      else visit(pa, level + 1, va, p);
    }
  };
  visit(l1, 0, 0, PTE_P | PTE_W | PTE_U);
  return { tables, mappings };
}

export type FindingKind = 'table-owner' | 'kernel-user' | 'console-not-user' | 'refcount' | 'leak' | 'free-mapped' | 'shared-writable';

export interface Finding {
  readonly kind: FindingKind;
  /** The physical page concerned (its address). */
  readonly page: number;
  readonly pid?: number;
  readonly va?: number;
  readonly message: string;
}

export interface PageAudit {
  readonly findings: readonly Finding[];
  /** For each physical page number, every (pid, va, perm) that maps it in a live process's page table. */
  readonly mappedBy: ReadonlyMap<number, readonly { pid: number; va: number; perm: number }[]>;
}

const LEVEL_NAME = ['L1', 'L2', 'L3', 'L4'];

function permText(perm: number): string {
  return ['PTE_P', perm & PTE_W ? 'PTE_W' : '', perm & PTE_U ? 'PTE_U' : ''].filter(Boolean).join('|');
}

/** Checks the kernel's bookkeeping against its page tables. */
export function auditPages(memory: PhysicalMemory, state: KernelState): PageAudit {
  const findings: Finding[] = [];
  const mappedBy = new Map<number, { pid: number; va: number; perm: number }[]>();
  const { pageinfo, processes, kernelPagetable } = state;
  if (!processes) return { findings, mappedBy };
  const live = processes.filter((p) => p.slot !== 0 && p.state !== P_FREE && p.pagetable !== 0);
  const info = (pn: number): { owner: number; refcount: number } | undefined => pageinfo?.[pn];

  // Each distinct page table once: at the start of the lab every process shares kernel_pagetable.
  const byTable = new Map<number, number[]>();
  for (const p of live) byTable.set(p.pagetable, [...(byTable.get(p.pagetable) ?? []), p.pid]);
  const userMappings = new Map<number, { pid: number; va: number; perm: number }[]>();
  const tablePages = new Set<number>();
  for (const [table, pids] of byTable) {
    const shape = pageTableShape(memory, table);
    const pid = pids[0]!;
    const who = pids.length > 1 ? `processes ${pids.join(', ')}` : `process ${pid}`;
    if (table !== kernelPagetable) {
      for (const t of shape.tables) {
        tablePages.add(t.pa >>> 12);
        const pi = info(t.pa >>> 12);
        if (pi && pids.length === 1 && (pi.owner !== pid || pi.refcount !== 1)) {
          findings.push({ kind: 'table-owner', page: t.pa, pid, message: `page ${hex(t.pa)} is an ${LEVEL_NAME[t.level]} page table of process ${pid}, but pageinfo says owner ${pi.owner}, refcount ${pi.refcount} (expected owner ${pid}, refcount 1)` });
        }
      }
    }
    let console = false;
    const openKernel: Mapping[] = [];
    for (const m of shape.mappings) {
      const pn = Math.floor(m.pa / PAGESIZE);
      for (const p of pids) mappedBy.set(pn, [...(mappedBy.get(pn) ?? []), { pid: p, va: m.va, perm: m.perm }]);
      if (m.va === CONSOLE_ADDR) console = (m.perm & PTE_U) !== 0;
      if (m.va < PROC_START_ADDR) {
        if (m.perm & PTE_U && m.va !== CONSOLE_ADDR) openKernel.push(m);
        continue;
      }
      userMappings.set(pn, [...(userMappings.get(pn) ?? []), { pid, va: m.va, perm: m.perm }]);
      const pi = info(pn);
      // kernel_pagetable maps all of physical memory, free pages included, by design.
      if (pi && pi.refcount <= 0 && m.perm & PTE_U && table !== kernelPagetable) {
        findings.push({ kind: 'free-mapped', page: m.pa, pid, va: m.va, message: `${who} ${pids.length > 1 ? 'map' : 'maps'} virtual ${hex(m.va)} to physical page ${hex(m.pa)}, which pageinfo says is free (refcount ${pi.refcount}): it may be handed out again` });
      }
    }
    if (openKernel.length > 0) {
      // One finding per page table: at the start of the lab it is every page below PROC_START_ADDR.
      const first = openKernel[0]!;
      const examples = openKernel.slice(0, 3).map((m) => hex(m.va)).join(', ');
      findings.push({
        kind: 'kernel-user', page: first.pa, pid, va: first.va,
        message: `${who} ${pids.length > 1 ? 'map' : 'maps'} ${openKernel.length} kernel page${openKernel.length === 1 ? '' : 's'} below ${hex(PROC_START_ADDR)} with PTE_U (${examples}${openKernel.length > 3 ? ', ...' : ''}): user code can read and write the kernel's memory`,
      });
    }
    if (!console) findings.push({ kind: 'console-not-user', page: CONSOLE_ADDR, pid, va: CONSOLE_ADDR, message: `${who} ${pids.length > 1 ? 'do' : 'does'} not map the console page ${hex(CONSOLE_ADDR)} with PTE_U: a program writing the screen will page fault` });
  }

  if (pageinfo) {
    const livePids = new Set(live.map((p) => p.pid));
    pageinfo.forEach((pi, pn) => {
      if (pi.owner <= 0 || pi.refcount <= 0) return;
      const page = pn * PAGESIZE;
      const users = userMappings.get(pn) ?? [];
      if (tablePages.has(pn)) return;
      if (users.length === 0) {
        const whose = livePids.has(pi.owner) ? `process ${pi.owner}, which no longer maps it` : `process ${pi.owner}, whose slot is free: it exited, or is not set up yet`;
        findings.push({ kind: 'leak', page, pid: pi.owner, message: `page ${hex(page)} is leaked: pageinfo says owner ${pi.owner}, refcount ${pi.refcount}, but no page table maps it (it belongs to ${whose})` });
        return;
      }
      if (users.length !== pi.refcount) {
        const list = users.map((u) => `process ${u.pid} at ${hex(u.va)}`).join(', ');
        findings.push({ kind: 'refcount', page, pid: pi.owner, message: `page ${hex(page)} has refcount ${pi.refcount} but ${users.length} mapping${users.length === 1 ? '' : 's'} (${list})` });
      }
      const writers = users.filter((u) => u.perm & PTE_W && u.perm & PTE_U);
      const writerPids = new Set(writers.map((u) => u.pid));
      if (writerPids.size > 1) {
        const list = writers.map((u) => `process ${u.pid} at ${hex(u.va)} (${permText(u.perm)})`).join(', ');
        findings.push({ kind: 'shared-writable', page, pid: pi.owner, message: `page ${hex(page)} is writable by more than one process: ${list}; a write by one changes the others' memory` });
      }
    });
  }
  return { findings, mappedBy };
}
