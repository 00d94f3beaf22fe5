// The modelled TLB (Intel SDM Vol. 3A, 4.10): hit and miss counters, stale
// entries used after a page-table change without invlpg (and counted), what
// invlpg and a CR3 load drop, faults on cached translations, global pages,
// and 2 MiB pages cached as 4 KiB pieces.

import { describe, expect, it } from 'vitest';
import {
  CR4_PGE, CR4_SMEP, EFER_NXE, INT_PAGEFAULT, PFERR_FETCH, PFERR_PRESENT, PFERR_USER, PFERR_WRITE,
  PTE_G, PTE_P, PTE_U, PTE_W,
} from '../../emulator/machine/constants';
import { CpuFault } from '../../emulator/machine/fault';
import { Machine } from '../../emulator/machine/machine';
import { DEFAULT_TLB_SIZE } from '../../emulator/machine/mmu/tlb';
import { FETCH, READ, USER_FETCH, USER_READ, USER_WRITE, WRITE, type Access } from '../../emulator/machine/mmu/access';
import { enablePaging, PageTables, read64, write64 } from './helpers';

const PWU = PTE_P | PTE_W | PTE_U;
const VA = 0x2ff000; // L1 0, L2 0, L3 1, L4 255
const VPN = VA / 4096;
const PA = 0x123000;
const PA2 = 0x155000;
const P = PFERR_PRESENT;

function setup(options: { cr4?: number; efer?: number; memorySize?: number } = {}): { m: Machine; pt: PageTables; leaf: number } {
  const m = new Machine({ memorySize: options.memorySize ?? 0x200000 });
  const pt = new PageTables(m, 0x10000);
  pt.map(VA, PA, PWU);
  m.cpu.cr4 = options.cr4 ?? 0;
  m.cpu.efer = options.efer ?? 0;
  enablePaging(m, pt.root);
  return { m, pt, leaf: pt.entries(VA)[3]! };
}

function translate(m: Machine, va: number, access: Access): number | CpuFault {
  try {
    return m.mmu.translate(va, 0, access);
  } catch (e) {
    if (e instanceof CpuFault) return e;
    throw e;
  }
}

function expectPageFault(got: number | CpuFault, errorCode: number): CpuFault {
  expect(got).toBeInstanceOf(CpuFault);
  const f = got as CpuFault;
  expect({ vector: f.vector, errorCode: f.errorCode }).toEqual({ vector: INT_PAGEFAULT, errorCode });
  return f;
}

/** Counter changes since `before`. */
function delta(m: Machine, before: Record<string, number>): Record<string, number> {
  const now = m.mmu.tlb.counters as unknown as Record<string, number>;
  return Object.fromEntries(Object.keys(now).map((k) => [k, now[k]! - before[k]!]));
}

function counters(m: Machine): Record<string, number> {
  return { ...m.mmu.tlb.counters };
}

describe('hits and misses', () => {
  it('counts a miss on the first access and hits afterwards, within the page', () => {
    const { m } = setup();
    const c = counters(m);
    expect(translate(m, VA, READ)).toBe(PA);
    expect(delta(m, c)).toEqual({ hits: 0, misses: 1, staleHits: 0, flushes: 0, invlpgs: 0 });
    expect(translate(m, VA + 0x10, READ)).toBe(PA + 0x10);
    expect(translate(m, VA + 0xff8, USER_READ)).toBe(PA + 0xff8);
    expect(delta(m, c)).toEqual({ hits: 2, misses: 1, staleHits: 0, flushes: 0, invlpgs: 0 });
  });

  it('lists the cached translation with its rights and the entries it came from', () => {
    const { m, pt } = setup();
    translate(m, VA, USER_WRITE);
    expect(m.mmu.tlb.entries()).toEqual([
      { vpn: VPN, pa: PA, write: true, user: true, executeDisable: false, dirty: true, global: false, large: false, entryAddresses: pt.entries(VA), suspect: false },
    ]);
  });

  it('a first write to a page cached by a read re-walks to set D (a miss), later writes hit', () => {
    const { m } = setup();
    translate(m, VA, READ);
    expect(m.mmu.tlb.entries()[0]!.dirty).toBe(false);
    const c = counters(m);
    translate(m, VA, WRITE);
    translate(m, VA + 8, WRITE);
    expect(delta(m, c)).toMatchObject({ hits: 1, misses: 1 });
    expect(m.mmu.tlb.entries()[0]!.dirty).toBe(true);
  });

  it('is direct-mapped: two pages DEFAULT_TLB_SIZE pages apart evict each other', () => {
    const { m, pt } = setup();
    const other = VA + DEFAULT_TLB_SIZE * 4096;
    pt.map(other, PA2, PWU);
    const c = counters(m);
    translate(m, VA, READ);
    translate(m, other, READ);
    translate(m, VA, READ);
    expect(delta(m, c)).toMatchObject({ hits: 0, misses: 3 });
    expect(m.mmu.tlb.entries().map((e) => e.vpn)).toEqual([VPN]);
  });

  it('does not cache a failed translation', () => {
    const { m } = setup();
    expectPageFault(translate(m, VA + 0x1000, READ), 0);
    expectPageFault(translate(m, VA + 0x1000, READ), 0);
    expect(m.mmu.tlb.entries()).toEqual([]);
    expect(m.mmu.tlb.counters).toMatchObject({ hits: 0, misses: 2 });
  });
});

describe('stale entries: a page-table change without invlpg goes unnoticed (SDM 4.10.4)', () => {
  function remapped(): { m: Machine; leaf: number } {
    const { m, leaf } = setup();
    m.memory.write32(PA + 0x40, 0x11111111);
    m.memory.write32(PA2 + 0x40, 0x22222222);
    m.write(VA + 0x48, 0, 4, 0, 0, false); // cached dirty, so later writes need no walk
    expect(m.read(VA + 0x40, 0, 4, false)).toBe(0x11111111);
    write64(m, leaf, BigInt(PA2 | PWU)); // the kernel remaps the page...
    return { m, leaf }; // ...and forgets invlpg
  }

  it('keeps using the old physical page, counts stale hits and lists the entry as suspect', () => {
    const { m } = remapped();
    const c = counters(m);
    expect(m.read(VA + 0x40, 0, 4, false)).toBe(0x11111111);
    m.write(VA + 0x44, 0, 4, 0x33333333, 0, false);
    expect(m.memory.read32(PA + 0x44)).toBe(0x33333333);
    expect(m.memory.read32(PA2 + 0x44)).toBe(0);
    expect(delta(m, c)).toMatchObject({ hits: 2, misses: 0, staleHits: 2 });
    expect(m.mmu.tlb.entries()).toMatchObject([{ vpn: VPN, pa: PA, suspect: true }]);
    expect(m.mmu.lastStaleUse).toMatchObject({ va: VA + 0x44, cachedPa: PA });
    expect(m.mmu.lastStaleUse!.walk).toMatchObject({ ok: true, pa: PA2 + 0x44 });
  });

  it('a first write through an entry cached clean re-walks to set D, and so sees the new mapping', () => {
    const { m, leaf } = setup();
    expect(m.read(VA, 0, 4, false)).toBe(0);
    write64(m, leaf, BigInt(PA2 | PWU));
    m.write(VA + 0x44, 0, 4, 0x44444444, 0, false);
    expect(m.memory.read32(PA2 + 0x44)).toBe(0x44444444);
    expect(m.memory.read32(PA + 0x44)).toBe(0);
    expect(m.mmu.tlb.entries()).toMatchObject([{ pa: PA2, dirty: true, suspect: false }]);
  });

  it('is gone after invlpg of the page', () => {
    const { m } = remapped();
    m.mmu.tlb.invalidatePage(VPN);
    expect(m.mmu.tlb.entries()).toEqual([]);
    const c = counters(m);
    expect(m.read(VA + 0x40, 0, 4, false)).toBe(0x22222222);
    expect(delta(m, c)).toMatchObject({ misses: 1, staleHits: 0 });
    expect(m.mmu.tlb.entries()).toMatchObject([{ vpn: VPN, pa: PA2, suspect: false }]);
    expect(m.mmu.tlb.counters.invlpgs).toBe(1);
  });

  it('is gone after a CR3 reload', () => {
    const { m } = remapped();
    const flushes = m.mmu.tlb.counters.flushes;
    m.mmu.flush();
    expect(m.mmu.tlb.counters.flushes).toBe(flushes + 1);
    expect(m.read(VA + 0x40, 0, 4, false)).toBe(0x22222222);
  });

  it('invlpg of another page leaves the stale entry in place', () => {
    const { m } = remapped();
    m.mmu.tlb.invalidatePage(VPN + 1);
    expect(m.read(VA + 0x40, 0, 4, false)).toBe(0x11111111);
  });

  it('rewriting an entry with the same value is not a stale hit, and clears the suspicion', () => {
    const { m, leaf } = setup();
    translate(m, VA, WRITE);
    write64(m, leaf, read64(m, leaf));
    expect(m.mmu.tlb.entries()[0]!.suspect).toBe(true);
    translate(m, VA, READ);
    expect(m.mmu.tlb.counters.staleHits).toBe(0);
    expect(m.mmu.tlb.entries()[0]!.suspect).toBe(false);
  });

  it.each([
    { name: 'W removed: a user write still succeeds', clear: PTE_W, access: USER_WRITE, code: P | PFERR_WRITE | PFERR_USER },
    { name: 'U removed: a user read still succeeds', clear: PTE_U, access: USER_READ, code: P | PFERR_USER },
    { name: 'P removed: a user read still succeeds', clear: PTE_P, access: USER_READ, code: PFERR_USER },
  ])('a downgrade without invlpg is not noticed ($name)', ({ clear, access, code }) => {
    const { m, leaf } = setup();
    expect(translate(m, VA, USER_WRITE)).toBe(PA);
    write64(m, leaf, read64(m, leaf) & ~BigInt(clear));
    expect(translate(m, VA + 4, access)).toBe(PA + 4);
    expect(m.mmu.tlb.counters.staleHits).toBe(1);
    m.mmu.tlb.invalidatePage(VPN);
    expectPageFault(translate(m, VA + 4, access), code);
  });
});

describe('a fault on a cached translation', () => {
  it('drops the entry: a user write to a page cached read-only', () => {
    const { m, leaf } = setup();
    write64(m, leaf, BigInt(PA | PTE_P | PTE_U));
    translate(m, VA, USER_READ);
    expect(m.mmu.tlb.find(VPN)).toBeGreaterThanOrEqual(0);
    const f = expectPageFault(translate(m, VA, USER_WRITE), P | PFERR_WRITE | PFERR_USER);
    expect(f.fromStaleTlb).toBeFalsy();
    expect(m.mmu.tlb.find(VPN)).toBe(-1);
    const c = counters(m);
    translate(m, VA, USER_READ);
    expect(delta(m, c)).toMatchObject({ misses: 1, hits: 0 });
  });

  it('is spurious after an upgrade without invlpg, and the retry succeeds (SDM 4.10.4.3)', () => {
    const { m, leaf } = setup();
    write64(m, leaf, BigInt(PA | PTE_P | PTE_U));
    translate(m, VA, USER_READ);
    write64(m, leaf, BigInt(PA | PWU));
    const f = expectPageFault(translate(m, VA, USER_WRITE), P | PFERR_WRITE | PFERR_USER);
    expect(f.fromStaleTlb).toBe(true);
    expect(f.message).toContain('stale TLB entry');
    expect(translate(m, VA, USER_WRITE)).toBe(PA);
  });

  it('reports a protection fault (P set) although the tables now say not present: the cached translation was used', () => {
    const { m, leaf } = setup();
    write64(m, leaf, BigInt(PA | PTE_P | PTE_U));
    translate(m, VA, USER_READ);
    write64(m, leaf, 0n);
    const f = expectPageFault(translate(m, VA, USER_WRITE), P | PFERR_WRITE | PFERR_USER);
    expect(f.fromStaleTlb).toBe(true);
    expect(f.message).toContain('is not mapped');
    expect(m.mmu.tlb.find(VPN)).toBe(-1);
    expectPageFault(translate(m, VA, USER_WRITE), PFERR_WRITE | PFERR_USER);
  });

  it('checks CR0.WP at access time for a cached read-only translation', () => {
    const { m, leaf } = setup();
    write64(m, leaf, BigInt(PA | PTE_P | PTE_U));
    translate(m, VA, READ);
    expectPageFault(translate(m, VA, WRITE), P | PFERR_WRITE);
    translate(m, VA, READ);
    m.cpu.cr0 &= ~0x10000; // CR0.WP off: does not flush the TLB
    expect(translate(m, VA, WRITE)).toBe(PA);
  });

  it('honours XD of a cached translation, with I/D in the error code', () => {
    const { m, leaf } = setup({ efer: EFER_NXE });
    write64(m, leaf, BigInt(PA | PWU) | (1n << 63n));
    translate(m, VA, USER_READ);
    expect(m.mmu.tlb.entries()[0]!.executeDisable).toBe(true);
    expectPageFault(translate(m, VA, USER_FETCH), P | PFERR_USER | PFERR_FETCH);
    expect(m.mmu.tlb.find(VPN)).toBe(-1);
  });

  it('keeps I/D in the error code of a spurious fetch fault (XD cleared without invlpg)', () => {
    const { m, leaf } = setup({ efer: EFER_NXE });
    write64(m, leaf, BigInt(PA | PWU) | (1n << 63n));
    translate(m, VA, READ);
    write64(m, leaf, BigInt(PA | PWU));
    const f = expectPageFault(translate(m, VA, FETCH), P | PFERR_FETCH);
    expect(f.fromStaleTlb).toBe(true);
  });

  it('applies SMEP to a cached user translation (SDM 4.6.1)', () => {
    const { m } = setup({ cr4: CR4_SMEP });
    expect(translate(m, VA, USER_READ)).toBe(PA);
    const f = expectPageFault(translate(m, VA, FETCH), P | PFERR_FETCH);
    expect(f.walk?.failure).toBe('smep');
    expect(m.mmu.tlb.find(VPN)).toBe(-1);
  });
});

describe('global pages survive a CR3 load only with CR4.PGE (SDM 4.10.2.4, 4.10.4.1)', () => {
  function withGlobal(cr4: number): { m: Machine; pt: PageTables } {
    const { m, pt } = setup({ cr4 });
    pt.map(VA + 0x1000, PA2, PWU | PTE_G);
    translate(m, VA, READ);
    translate(m, VA + 0x1000, READ);
    return { m, pt };
  }

  it('with PGE: the G leaf survives mmu.flush(), the other entry does not', () => {
    const { m } = withGlobal(CR4_PGE);
    expect(m.mmu.tlb.entries().map((e) => [e.vpn, e.global])).toEqual([[VPN, false], [VPN + 1, true]]);
    m.mmu.flush();
    expect(m.mmu.tlb.entries().map((e) => e.vpn)).toEqual([VPN + 1]);
  });

  it('without PGE: the G bit is ignored and everything is flushed', () => {
    const { m } = withGlobal(0);
    expect(m.mmu.tlb.entries().map((e) => e.global)).toEqual([false, false]);
    m.mmu.flush();
    expect(m.mmu.tlb.entries()).toEqual([]);
  });

  it('invlpg drops a global entry; a full flush (CR4.PGE toggled) drops it too', () => {
    const { m } = withGlobal(CR4_PGE);
    m.mmu.tlb.invalidatePage(VPN + 1);
    expect(m.mmu.tlb.find(VPN + 1)).toBe(-1);
    translate(m, VA + 0x1000, READ);
    m.mmu.tlb.flush(false);
    expect(m.mmu.tlb.entries()).toEqual([]);
  });

  it('G in the upper levels only does not make a translation global', () => {
    const { m, pt } = setup({ cr4: CR4_PGE });
    for (const e of pt.entries(VA).slice(0, 3)) write64(m, e, read64(m, e) | BigInt(PTE_G));
    translate(m, VA, READ);
    m.mmu.flush();
    expect(m.mmu.tlb.entries()).toEqual([]);
  });
});

describe('2 MiB pages in the TLB', () => {
  const LVA = 0x4000_0000;
  const LPA = 0x400000;
  function large(): { m: Machine; l3: number } {
    const { m, pt } = setup({ memorySize: 0x800000 });
    pt.mapLarge(LVA, LPA, PWU);
    return { m, l3: pt.entries(LVA, PWU, 3)[2]! };
  }

  it('caches one 4 KiB piece per page touched', () => {
    const { m } = large();
    translate(m, LVA + 0x3008, READ);
    translate(m, LVA + 0x1ff010, READ);
    expect(m.mmu.tlb.entries().map((e) => [e.vpn, e.pa])).toEqual([
      [LVA / 4096 + 3, LPA + 0x3000],
      [LVA / 4096 + 0x1ff, LPA + 0x1ff000],
    ]);
  });

  it('invlpg of any address in the page drops every cached piece (SDM 4.10.2.3)', () => {
    const { m, l3 } = large();
    translate(m, LVA + 0x3000, READ);
    translate(m, LVA + 0x5000, READ);
    write64(m, l3, BigInt(0x600000 | PWU | 0x80));
    m.mmu.tlb.invalidatePage(LVA / 4096 + 0x100);
    expect(m.mmu.tlb.entries()).toEqual([]);
    expect(translate(m, LVA + 0x3000, READ)).toBe(0x603000);
  });

  it('a fault on one piece drops the other pieces too (SDM 4.10.2.3)', () => {
    const { m, l3 } = large();
    write64(m, l3, BigInt(LPA | PTE_P | PTE_U | 0x80));
    translate(m, LVA + 0x3000, USER_READ);
    translate(m, LVA + 0x5000, USER_READ);
    expectPageFault(translate(m, LVA + 0x5000, USER_WRITE), P | PFERR_WRITE | PFERR_USER);
    expect(m.mmu.tlb.entries()).toEqual([]);
  });
});
