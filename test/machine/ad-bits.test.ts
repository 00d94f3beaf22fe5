// Accessed and dirty flags (Intel SDM Vol. 3A, 4.8): the MMU sets A in every
// entry a walk uses and D in the leaf on a write; the debugger's probe and the
// pure walk set nothing. Our documented choice for a failing access: A is set
// in every present entry the walk used (even if the rights check then fails),
// nothing in a not-present or reserved entry or beyond it.

import { describe, expect, it } from 'vitest';
import { CR4_SMEP, EFER_NXE, PTE_A, PTE_D, PTE_P, PTE_U, PTE_W } from '../../emulator/machine/constants';
import { CpuFault } from '../../emulator/machine/fault';
import { Machine } from '../../emulator/machine/machine';
import { FETCH, READ, USER_FETCH, USER_READ, USER_WRITE, WRITE, type Access } from '../../emulator/machine/mmu/access';
import { walk } from '../../emulator/machine/mmu/walk';
import { enablePaging, PageTables, read64, write64 } from './helpers';

const PWU = PTE_P | PTE_W | PTE_U;
const AD = PTE_A | PTE_D;
const VA = 0x2ff000; // L1 0, L2 0, L3 1, L4 255
const PA = 0x123000;
const TABLES = 0x10000;
const LEVELS = [0, 1, 2, 3] as const;
const NAME = ['L1', 'L2', 'L3', 'L4'] as const;

function setup(wp = true): { m: Machine; entries: number[] } {
  const m = new Machine();
  const pt = new PageTables(m, TABLES);
  pt.map(VA, PA, PWU);
  enablePaging(m, pt.root, wp);
  return { m, entries: pt.entries(VA) };
}

/** The A and D bits of each of the four entries, L1 first. */
function adBits(m: Machine, entries: number[]): number[] {
  return entries.map((e) => Number(read64(m, e) & BigInt(AD)));
}

function translate(m: Machine, va: number, access: Access): number | CpuFault {
  try {
    return m.mmu.translate(va, 0, access);
  } catch (e) {
    if (e instanceof CpuFault) return e;
    throw e;
  }
}

/** The first index where two byte arrays differ, or -1 (toEqual on 2 MiB arrays is far too slow). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function clearBits(m: Machine, entry: number, bits: number): void {
  write64(m, entry, read64(m, entry) & ~BigInt(bits));
}

describe('A and D after a successful translation', () => {
  it.each([
    { name: 'kernel read', access: READ },
    { name: 'user read', access: USER_READ },
    { name: 'kernel fetch', access: FETCH },
    { name: 'user fetch', access: USER_FETCH },
  ])('$name sets A in all four entries and D nowhere', ({ access }) => {
    const { m, entries } = setup();
    expect(adBits(m, entries)).toEqual([0, 0, 0, 0]);
    expect(translate(m, VA + 0x10, access)).toBe(PA + 0x10);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, PTE_A]);
  });

  it.each([
    { name: 'kernel write', access: WRITE },
    { name: 'user write', access: USER_WRITE },
  ])('$name sets A everywhere and D only in the leaf', ({ access }) => {
    const { m, entries } = setup();
    translate(m, VA, access);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, AD]);
  });

  it('changes no other bit of the entries', () => {
    const { m, entries } = setup();
    const before = entries.map((e) => read64(m, e));
    translate(m, VA, USER_WRITE);
    expect(entries.map((e) => read64(m, e))).toEqual([...before.slice(0, 3).map((v) => v | BigInt(PTE_A)), before[3]! | BigInt(AD)]);
  });

  it('a write after a read of the same page sets D, although the translation is cached', () => {
    const { m, entries } = setup();
    translate(m, VA, READ);
    expect(adBits(m, entries)[3]).toBe(PTE_A);
    translate(m, VA + 8, WRITE);
    expect(adBits(m, entries)[3]).toBe(AD);
  });

  it('Machine.write sets D in the leaf; Machine.read does not', () => {
    const { m, entries } = setup();
    m.read(VA, 0, 8, false);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, PTE_A]);
    m.write(VA + 0x100, 0, 8, 1, 2, false);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, AD]);
  });

  it('a kernel write to a read-only page with CR0.WP clear succeeds and sets D', () => {
    const { m, entries } = setup(false);
    clearBits(m, entries[3]!, PTE_W);
    expect(translate(m, VA, WRITE)).toBe(PA);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, AD]);
  });

  it('a TLB hit does not set A again (software that clears A must invlpg)', () => {
    const { m, entries } = setup();
    translate(m, VA, READ);
    clearBits(m, entries[3]!, PTE_A);
    translate(m, VA, READ);
    expect(adBits(m, entries)[3]).toBe(0);
    m.mmu.tlb.invalidatePage(VA / 4096);
    translate(m, VA, READ);
    expect(adBits(m, entries)[3]).toBe(PTE_A);
  });
});

describe('A and D when the access faults', () => {
  it.each([
    { name: 'user write, L4 lacks W', access: USER_WRITE, level: 3, bit: PTE_W },
    { name: 'user write, L1 lacks W', access: USER_WRITE, level: 0, bit: PTE_W },
    { name: 'user read, L2 lacks U', access: USER_READ, level: 1, bit: PTE_U },
    { name: 'kernel write with CR0.WP, L3 lacks W', access: WRITE, level: 2, bit: PTE_W },
  ])('$name: A in all four present entries, no D', ({ access, level, bit }) => {
    const { m, entries } = setup();
    clearBits(m, entries[level]!, bit);
    expect(translate(m, VA, access)).toBeInstanceOf(CpuFault);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, PTE_A]);
  });

  it('SMEP fault: A in all entries, no D', () => {
    const { m, entries } = setup();
    m.cpu.cr4 = CR4_SMEP;
    expect(translate(m, VA, FETCH)).toBeInstanceOf(CpuFault);
    expect(adBits(m, entries)).toEqual([PTE_A, PTE_A, PTE_A, PTE_A]);
  });

  const STOPS = LEVELS.flatMap((level) => [
    { name: `${NAME[level]} not present`, level, poison: (m: Machine, e: number) => clearBits(m, e, PTE_P) },
    { name: `${NAME[level]} has a reserved bit`, level, poison: (m: Machine, e: number) => write64(m, e, read64(m, e) | (1n << 63n)) },
  ]);
  it.each(STOPS)('$name: A above it only; that entry and the ones beyond unchanged', ({ level, poison }) => {
    const { m, entries } = setup();
    poison(m, entries[level]!);
    // The entries below the stopping point still exist in memory (only P or bit 63 changed); they must stay untouched.
    const before = entries.map((e) => read64(m, e));
    expect(translate(m, VA, USER_WRITE)).toBeInstanceOf(CpuFault);
    entries.forEach((e, k) => {
      expect(read64(m, e)).toBe(k < level ? before[k]! | BigInt(PTE_A) : before[k]);
    });
  });
});

describe('the debugger sets nothing', () => {
  const ACCESSES = [READ, WRITE, FETCH, USER_READ, USER_WRITE, USER_FETCH];

  it.each([
    { name: 'a fully mapped page', poison: (): void => {} },
    { name: 'a read-only page', poison: (m: Machine, e: number[]) => clearBits(m, e[3]!, PTE_W) },
    { name: 'L3 not present', poison: (m: Machine, e: number[]) => clearBits(m, e[2]!, PTE_P) },
  ])('Mmu.probe and walk of $name leave memory, watch bits and the TLB untouched', ({ poison }) => {
    const { m, entries } = setup();
    m.cpu.cr4 = CR4_SMEP;
    m.cpu.efer = EFER_NXE;
    poison(m, entries);
    const bytes = m.memory.bytes.slice();
    const watch = m.memory.watch.slice();
    const counters = { ...m.mmu.tlb.counters };
    for (const a of ACCESSES) {
      expect(m.mmu.probe(VA, 0, a)).toBeDefined();
      walk((pa) => m.memory.peek64(pa), m.cpu, VA, 0, a);
    }
    expect(firstDifference(m.memory.bytes, bytes)).toBe(-1);
    expect(firstDifference(m.memory.watch, watch)).toBe(-1);
    expect(m.mmu.tlb.counters).toEqual(counters);
    expect(m.mmu.tlb.entries()).toEqual([]);
    expect(m.memory.unbackedReads).toBe(0);
  });

  it('probe with explicit registers (another address space) touches nothing either', () => {
    const { m } = setup();
    const other = new PageTables(m, 0x30000);
    other.map(VA, 0x150000, PWU);
    const bytes = m.memory.bytes.slice();
    const r = m.mmu.probe(VA, 0, USER_WRITE, { ...m.cpu, cr0: m.cpu.cr0, cr3: other.root, cr4: 0, efer: 0 });
    expect(r).toMatchObject({ ok: true, pa: 0x150000 });
    expect(firstDifference(m.memory.bytes, bytes)).toBe(-1);
  });
});
