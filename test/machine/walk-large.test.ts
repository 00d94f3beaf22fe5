// 2 MiB pages and reserved bits (Intel SDM Vol. 3A, 4.5 Tables 4-15 to 4-20,
// and 4.7: a reserved bit in a present entry faults with P and RSVD set).
// Our CPU has MAXPHYADDR = 40 and no 1 GiB pages.

import { describe, expect, it } from 'vitest';
import {
  CR4_SMEP, EFER_NXE, INT_PAGEFAULT, PFERR_FETCH, PFERR_PRESENT, PFERR_RSVD, PFERR_USER, PFERR_WRITE,
  PTE_A, PTE_D, PTE_P, PTE_PS, PTE_U, PTE_W,
} from '../../emulator/machine/constants';
import { CpuFault } from '../../emulator/machine/fault';
import { Machine } from '../../emulator/machine/machine';
import { FETCH, READ, USER_FETCH, USER_READ, USER_WRITE, WRITE, type Access } from '../../emulator/machine/mmu/access';
import { describeWalkFailure } from '../../emulator/machine/mmu/describe';
import type { WalkResult } from '../../emulator/machine/mmu/walk';
import { enablePaging, PageTables, read64, write64 } from './helpers';

const PWU = PTE_P | PTE_W | PTE_U;
const NAME = ['L1', 'L2', 'L3', 'L4'] as const;
const P = PFERR_PRESENT;
const RSVD = PFERR_RSVD;

/** 1 GiB: L1 index 0, L2 index 1, L3 index 0. Mapped by one 2 MiB page at LARGE_PA. */
const LARGE_VA = 0x4000_0000;
const LARGE_PA = 0x400000;
/** A 4 KiB page: L1 0, L2 0, L3 1, L4 255. */
const SMALL_VA = 0x2ff000;
const SMALL_PA = 0x123000;

function setup(options: { nxe?: boolean; smep?: boolean } = {}): { m: Machine; large: number[]; small: number[] } {
  const m = new Machine({ memorySize: 0x800000 });
  const pt = new PageTables(m, 0x10000);
  pt.mapLarge(LARGE_VA, LARGE_PA, PWU);
  pt.map(SMALL_VA, SMALL_PA, PWU);
  enablePaging(m, pt.root);
  m.cpu.efer = options.nxe ? EFER_NXE : 0;
  m.cpu.cr4 = options.smep ? CR4_SMEP : 0;
  return { m, large: pt.entries(LARGE_VA, PWU, 3), small: pt.entries(SMALL_VA) };
}

function probe(m: Machine, va: number, access: Access): WalkResult {
  const r = m.mmu.probe(va | 0, Math.floor(va / 2 ** 32), access);
  if (!r) throw new Error('non-canonical');
  return r;
}

function fault(m: Machine, va: number, access: Access): CpuFault {
  try {
    m.mmu.translate(va | 0, Math.floor(va / 2 ** 32), access);
  } catch (e) {
    if (e instanceof CpuFault) return e;
    throw e;
  }
  throw new Error(`expected a page fault at 0x${va.toString(16)}`);
}

function setBits(m: Machine, entry: number, bits: bigint): void {
  write64(m, entry, read64(m, entry) | bits);
}

describe('2 MiB pages (PS in an L3 entry)', () => {
  it.each([0, 0x1, 0xfff, 0x1000, 0x12345, 0x1ff000, 0x1fffff].map((off) => ({ name: `offset 0x${off.toString(16)}`, off })))(
    'translates $name within the page',
    ({ off }) => {
      const { m } = setup();
      const r = probe(m, LARGE_VA + off, USER_WRITE);
      expect(r).toMatchObject({ ok: true, pa: LARGE_PA + off, pageSize: 0x200000 });
      expect(r.steps.map((s) => s.decision)).toEqual(['table', 'table', 'large-page']);
      expect(m.mmu.translate((LARGE_VA + off) | 0, 0, USER_READ)).toBe(LARGE_PA + off);
    },
  );

  it('reads and writes the right physical bytes through Machine.read/write', () => {
    const { m } = setup();
    m.memory.write32(LARGE_PA + 0x1abcd0, 0x5eed1e55);
    expect(m.read(LARGE_VA + 0x1abcd0, 0, 4, false) >>> 0).toBe(0x5eed1e55);
    m.write(LARGE_VA + 0x80004, 0, 4, 0x0badcafe, 0, false);
    expect(m.memory.read32(LARGE_PA + 0x80004)).toBe(0x0badcafe);
  });

  it('sets A in L1..L3 and D in the L3 entry, which is the leaf, on a write', () => {
    const { m, large } = setup();
    m.mmu.translate(LARGE_VA + 0x3000, 0, READ);
    for (const e of large) expect(Number(read64(m, e)) & (PTE_A | PTE_D)).toBe(PTE_A);
    m.mmu.translate(LARGE_VA + 0x5000, 0, WRITE);
    expect(Number(read64(m, large[2]!)) & PTE_D).toBe(PTE_D);
    expect(Number(read64(m, large[0]!)) & PTE_D).toBe(0);
    expect(Number(read64(m, large[1]!)) & PTE_D).toBe(0);
  });

  it('treats bit 12 of a 2 MiB entry as PAT, not as an address bit', () => {
    const { m, large } = setup();
    setBits(m, large[2]!, 0x1000n);
    expect(probe(m, LARGE_VA + 0x42, READ)).toMatchObject({ ok: true, pa: LARGE_PA + 0x42 });
  });

  it('honours U and W of the L3 entry like a 4 KiB leaf', () => {
    const { m, large } = setup();
    write64(m, large[2]!, BigInt(LARGE_PA | PTE_P | PTE_PS));
    expect(probe(m, LARGE_VA, USER_READ)).toMatchObject({ ok: false, failure: 'user', failedLevel: 2, errorCode: P | PFERR_USER });
    expect(probe(m, LARGE_VA, WRITE)).toMatchObject({ ok: false, failure: 'write', failedLevel: 2, errorCode: P | PFERR_WRITE });
    expect(probe(m, LARGE_VA, READ)).toMatchObject({ ok: true, pa: LARGE_PA });
  });

  it.each([13, 14, 15, 16, 17, 18, 19, 20].map((bit) => ({ name: `bit ${bit}`, bit })))(
    'faults with RSVD when reserved $name of the 2 MiB entry is set',
    ({ bit }) => {
      const { m, large } = setup();
      setBits(m, large[2]!, 1n << BigInt(bit));
      const r = probe(m, LARGE_VA + 0x10, USER_READ);
      expect(r).toMatchObject({ ok: false, failure: 'reserved-bit', failedLevel: 2, errorCode: P | RSVD | PFERR_USER });
      expect(r.steps).toHaveLength(3);
      expect(r.steps[2]!.decision).toBe('reserved-bit');
      expect(r.steps[2]!.reservedBits).toContain('bits 20:13 of a 2 MiB page entry');
      const f = fault(m, LARGE_VA + 0x10, USER_READ);
      expect({ vector: f.vector, errorCode: f.errorCode }).toEqual({ vector: INT_PAGEFAULT, errorCode: P | RSVD | PFERR_USER });
    },
  );

  it.each([
    { name: 'PS in an L1 entry', level: 0, text: 'bit 7 (PS) in an L1 entry' },
    { name: 'PS in an L2 entry (no 1 GiB pages)', level: 1, text: 'bit 7 (PS) in an L2 entry (1 GiB pages are not supported)' },
  ])('$name is a reserved-bit fault', ({ level, text }) => {
    const { m, small } = setup();
    setBits(m, small[level]!, BigInt(PTE_PS));
    const r = probe(m, SMALL_VA, USER_WRITE);
    expect(r).toMatchObject({ ok: false, failure: 'reserved-bit', failedLevel: level, errorCode: P | RSVD | PFERR_WRITE | PFERR_USER });
    expect(r.steps).toHaveLength(level + 1);
    expect(r.steps[level]!.reservedBits).toEqual([text]);
    expect(describeWalkFailure(r)).toContain(`${NAME[level]} entry 0 `);
  });

  it('bit 7 of an L4 entry is PAT, not PS: the page stays 4 KiB', () => {
    const { m, small } = setup();
    setBits(m, small[3]!, BigInt(PTE_PS));
    expect(probe(m, SMALL_VA + 0x123, READ)).toMatchObject({ ok: true, pa: SMALL_PA + 0x123, pageSize: 4096 });
  });
});

const LEVELS = [0, 1, 2, 3] as const;

describe('reserved bits at every level (SDM 4.5, 4.7)', () => {
  it.each(LEVELS.map((level) => ({ name: `${NAME[level]}: bit 63 with EFER.NXE clear`, level })))('$name', ({ level }) => {
    const { m, small } = setup();
    setBits(m, small[level]!, 1n << 63n);
    const r = probe(m, SMALL_VA, READ);
    expect(r).toMatchObject({ ok: false, failure: 'reserved-bit', failedLevel: level, errorCode: P | RSVD });
    expect(r.steps[level]!.reservedBits).toEqual(['bit 63 (XD) while EFER.NXE is clear']);
    // With NXE set the same bit is XD: data accesses are fine.
    m.cpu.efer = EFER_NXE;
    expect(probe(m, SMALL_VA, READ)).toMatchObject({ ok: true, pa: SMALL_PA, executeDisable: true });
  });

  const ABOVE_MAXPHYADDR = LEVELS.flatMap((level) => [40, 45, 51].map((bit) => ({ name: `${NAME[level]}: address bit ${bit}`, level, bit })));
  it.each(ABOVE_MAXPHYADDR)('$name (beyond MAXPHYADDR 40) is reserved', ({ level, bit }) => {
    const { m, small } = setup();
    setBits(m, small[level]!, 1n << BigInt(bit));
    const r = probe(m, SMALL_VA, USER_WRITE);
    expect(r).toMatchObject({ ok: false, failure: 'reserved-bit', failedLevel: level, errorCode: P | RSVD | PFERR_WRITE | PFERR_USER });
    expect(r.steps[level]!.reservedBits).toEqual(['address bits 51:40 (beyond MAXPHYADDR)']);
  });

  it('address bit 39 is a valid physical-address bit (MAXPHYADDR is 40)', () => {
    const { m, small } = setup();
    setBits(m, small[3]!, 1n << 39n);
    expect(probe(m, SMALL_VA + 8, READ)).toMatchObject({ ok: true, pa: 2 ** 39 + SMALL_PA + 8 });
  });

  it.each([52, 55, 58, 62].map((bit) => ({ name: `bit ${bit}`, bit })))('$name of a leaf is ignored, not reserved', ({ bit }) => {
    const { m, small } = setup();
    setBits(m, small[3]!, 1n << BigInt(bit));
    expect(probe(m, SMALL_VA, USER_WRITE)).toMatchObject({ ok: true, pa: SMALL_PA });
  });

  it('a not-present entry is never checked for reserved bits (P=0 wins)', () => {
    const { m, small } = setup();
    write64(m, small[1]!, (1n << 63n) | (1n << 45n) | BigInt(PTE_PS | PTE_W | PTE_U));
    const r = probe(m, SMALL_VA, USER_READ);
    expect(r).toMatchObject({ ok: false, failure: 'not-present', failedLevel: 1, errorCode: PFERR_USER });
  });

  it('reports I/D with RSVD for a fetch when SMEP or NXE is on', () => {
    const { m, small } = setup({ smep: true });
    setBits(m, small[2]!, 1n << 44n);
    expect(probe(m, SMALL_VA, USER_FETCH).errorCode).toBe(P | RSVD | PFERR_USER | PFERR_FETCH);
    m.cpu.cr4 = 0;
    expect(probe(m, SMALL_VA, USER_FETCH).errorCode).toBe(P | RSVD | PFERR_USER);
    m.cpu.efer = EFER_NXE;
    expect(probe(m, SMALL_VA, FETCH).errorCode).toBe(P | RSVD | PFERR_FETCH);
  });

  it('stops at the first reserved entry: a deeper problem is not reported', () => {
    const { m, small } = setup();
    setBits(m, small[1]!, 1n << 63n);
    write64(m, small[3]!, 0n);
    expect(probe(m, SMALL_VA, READ)).toMatchObject({ failure: 'reserved-bit', failedLevel: 1 });
  });
});
