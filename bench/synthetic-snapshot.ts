// A panel snapshot bigger than WeensyOS makes (its NPROC is 16, and the
// reference kernel runs four processes): `processes` live processes, each
// with full page tables, for the panel's render benchmark and its
// large-snapshot test. Every process maps all of 0-0x3fffff: its L4 table for
// 0-0x1fffff holds the kernel's identity mapping (512 entries, the console
// user-accessible) and its L4 table for 0x200000-0x3fffff maps 512 user pages
// drawn from a pool of 256 physical pages (so pages are shared, refcounts
// high). Plain data of the PanelSnapshot type; no machine is run.

import {
  SNAPSHOT_VERSION, type PanelSnapshot, type SnapshotAddressSpace, type SnapshotEntry, type SnapshotPageFlags, type SnapshotTable,
} from '../emulator/index';

const PAGE = 4096;
const PAGES = 512;
const SPAN = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];
const KERNEL = -2;
const RESERVED = -1;
const P = 1, W = 2, U = 4, A = 0x20, D = 0x40;

function flagsOf(bits: number): SnapshotPageFlags {
  return { P: !!(bits & P), W: !!(bits & W), U: !!(bits & U), PWT: false, PCD: false, A: !!(bits & A), D: !!(bits & D), PS: false, G: false, NX: false };
}

function entry(level: number, tablePa: number, tableVa: number, index: number, pa: number, bits: number, owner: number | null): SnapshotEntry {
  const va = tableVa + index * SPAN[level]!;
  return {
    index, entryAddress: tablePa + 8 * index, va, vaLast: va + SPAN[level]! - 1, raw: '0x' + (pa + bits).toString(16).padStart(16, '0'),
    pa, flags: flagsOf(bits), kind: level === 3 ? 'page' : 'table', owner,
  };
}

export function syntheticSnapshot(processes = 16): PanelSnapshot {
  const owner = new Array<number>(PAGES).fill(0);
  const refcount = new Array<number>(PAGES).fill(0);
  const take = (pn: number, who: number): void => {
    owner[pn] = who;
    refcount[pn] = 1;
  };
  take(0, RESERVED);
  for (let pn = 0xa0; pn < 0x100; pn++) take(pn, RESERVED);
  for (let pn = 0x40; pn < 0x70; pn++) take(pn, KERNEL);
  take(0x7f, KERNEL);
  // Page-table pages: five per address space, the first free pages from page 1 up (the kernel's first).
  let next = 1;
  const tablePages = (who: number): number[] => Array.from({ length: 5 }, () => {
    while (refcount[next] !== 0) next++;
    take(next, who);
    return next * PAGE;
  });
  const pool = Array.from({ length: 256 }, (_, i) => 0x100 + i);
  const mappedBy: Record<string, { pid: number; va: number; perm: number }[]> = {};

  const space = (pid: number | null): SnapshotAddressSpace => {
    const who = pid ?? KERNEL;
    const [l1, l2, l3, l4a, l4b] = tablePages(who) as [number, number, number, number, number];
    const ownerOf = (pa: number): number => owner[pa / PAGE]!;
    const tables: SnapshotTable[] = [
      { pa: l1, level: 0, va: 0, owner: who, entries: [entry(0, l1, 0, 0, l2, P | W | U | A, who)] },
      { pa: l2, level: 1, va: 0, owner: who, entries: [entry(1, l2, 0, 0, l3, P | W | U | A, who)] },
      { pa: l3, level: 2, va: 0, owner: who, entries: [entry(2, l3, 0, 0, l4a, P | W | U | A, who), ...(pid !== null ? [entry(2, l3, 0, 1, l4b, P | W | U | A, who)] : [])] },
    ];
    const pages: { va: number; pa: number; perm: number }[] = [];
    const low: SnapshotEntry[] = [];
    for (let i = 0; i < 512; i++) {
      const pa = i * PAGE;
      const bits = P | W | (pa === 0xb8000 ? U : 0) | (i % 3 === 0 ? A : 0);
      low.push(entry(3, l4a, 0, i, pa, bits, ownerOf(pa)));
      pages.push({ va: pa, pa, perm: bits & (P | W | U) });
    }
    tables.push({ pa: l4a, level: 3, va: 0, owner: who, entries: low });
    if (pid !== null) {
      const high: SnapshotEntry[] = [];
      for (let i = 0; i < 512; i++) {
        const pn = pool[(i + pid * 7) % pool.length]!;
        if (refcount[pn] === 0) owner[pn] = pid;
        refcount[pn]!++;
        const va = 0x200000 + i * PAGE;
        const bits = P | W | U | (i % 2 ? A : 0) | (i % 5 === 0 ? D : 0);
        high.push(entry(3, l4b, 0x200000, i, pn * PAGE, bits, owner[pn]!));
        if (va < 0x300000) pages.push({ va, pa: pn * PAGE, perm: P | W | U });
        (mappedBy[String(pn)] ??= []).push({ pid, va, perm: P | W | U });
      }
      tables.push({ pa: l4b, level: 3, va: 0x200000, owner: who, entries: high });
    }
    return { l1, pids: pid !== null ? [pid] : [], kernel: pid === null, label: pid !== null ? `process ${pid}` : 'the kernel page table', tables, pages };
  };

  const kernel = space(null);
  const spaces = [kernel, ...Array.from({ length: processes }, (_, i) => space(i + 1))];
  return {
    version: SNAPSHOT_VERSION,
    cpu: { rip: 0x40100, cpl: 0, cr0: 0x80050033, cr2: 0, cr3: spaces[1]!.l1, cr4: 0, efer: 0, paging: true, source: null },
    currentPid: 1,
    kernelPagetable: kernel.l1,
    processes: spaces.slice(1).map((s, i) => ({ slot: i + 1, pid: i + 1, state: 'runnable', stateValue: 1, program: 'p-allocator', pagetable: s.l1, current: i === 0 })),
    pageinfo: { source: 'debug-info', pages: owner.map((o, pn) => ({ owner: o, refcount: refcount[pn]! })) },
    mappedBy,
    addressSpaces: spaces,
    tlb: { entries: [], counters: { hits: 0, misses: 0, staleHits: 0, flushes: 0, invlpgs: 0 } },
    console: { columns: 80, rows: 25, cells: new Array<number>(2000).fill(0x0720), cursorpos: 0 },
    lastFault: null,
    counters: { instructions: 0, userInstructions: 0, ticks: 0, unbackedReads: 0, unbackedWrites: 0 },
    findings: [],
  };
}
