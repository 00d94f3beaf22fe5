// Who uses each physical page, read off a snapshot's page tables: every
// (address space, virtual address, level) whose entry points at it, as a
// mapped page (an L4 entry, or an L3 entry with PS) or as a page table (an
// entry pointing to the next level's table), with the rights over all levels;
// and the page-audit findings about it (pageinfo against the page tables).

import type { PanelSnapshot, SnapshotAddressSpace, SnapshotFinding } from '../../emulator/index';
import { PAGESIZE } from './format';
import { PTE_P, PTE_U, PTE_W } from './owners';

export interface PageUse {
  /** Index of the address space in snapshot.addressSpaces. */
  readonly space: number;
  /** The first virtual address the entry covers (for a table: the range the table serves). */
  readonly va: number;
  /** 0 = L1 ... 3 = L4: the level of the entry that points at the page. */
  readonly level: number;
  /** 'page': the entry maps it (4 KiB or part of a 2 MiB page); 'table': the entry points at it as the next level's table; 'root': it is the space's L1 table. */
  readonly as: 'page' | 'large-page' | 'table' | 'root';
  /** PTE_P|PTE_W|PTE_U ANDed over the levels down to this entry. */
  readonly perm: number;
}

export interface PageIndex {
  /** Per physical page number, every use found in the snapshot's page tables. */
  readonly uses: ReadonlyMap<number, readonly PageUse[]>;
  /** Per physical page number, the audit findings that name it. */
  readonly findings: ReadonlyMap<number, readonly SnapshotFinding[]>;
  /** Per address space, its virtual pages by va: the physical address and rights (memshow_virtual's input). */
  readonly virtualPages: readonly ReadonlyMap<number, { readonly pa: number; readonly perm: number }>[];
}

const RIGHTS = PTE_P | PTE_W | PTE_U;

function indexSpace(space: SnapshotAddressSpace, si: number, uses: Map<number, PageUse[]>): void {
  const add = (pa: number, use: PageUse): void => {
    const pn = Math.floor(pa / PAGESIZE);
    const list = uses.get(pn);
    if (list) list.push(use);
    else uses.set(pn, [use]);
  };
  const byPa = new Map(space.tables.map((t) => [t.pa, t]));
  const seen = new Set<number>();
  add(space.l1, { space: si, va: 0, level: -1, as: 'root', perm: RIGHTS });
  const visit = (pa: number, perm: number): void => {
    const t = byPa.get(pa);
    if (!t || seen.has(pa)) return;
    seen.add(pa);
    for (const e of t.entries) {
      if (e.kind === 'not-present') continue;
      const p = perm & ((e.flags.P ? PTE_P : 0) | (e.flags.W ? PTE_W : 0) | (e.flags.U ? PTE_U : 0));
      if (e.kind === 'table') {
        add(e.pa, { space: si, va: e.va, level: t.level, as: 'table', perm: p });
        visit(e.pa, p);
      } else if (e.kind === 'large-page') {
        for (let k = 0; k < 512; k++) add(e.pa + k * PAGESIZE, { space: si, va: e.va + k * PAGESIZE, level: t.level, as: 'large-page', perm: p });
      } else {
        add(e.pa, { space: si, va: e.va, level: t.level, as: 'page', perm: p });
      }
    }
  };
  visit(space.l1, RIGHTS);
}

export function buildPageIndex(s: PanelSnapshot): PageIndex {
  const uses = new Map<number, PageUse[]>();
  s.addressSpaces.forEach((space, si) => indexSpace(space, si, uses));
  const findings = new Map<number, SnapshotFinding[]>();
  for (const f of s.findings) {
    const pn = Math.floor(f.page / PAGESIZE);
    const list = findings.get(pn);
    if (list) list.push(f);
    else findings.set(pn, [f]);
  }
  const virtualPages = s.addressSpaces.map((space) => new Map(space.pages.map((p) => [p.va, { pa: p.pa, perm: p.perm }])));
  return { uses, findings, virtualPages };
}
