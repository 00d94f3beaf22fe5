// The 4-level page walk (Intel SDM Vol. 3A, 4.5 to 4.7): access rights at
// every level, not-present entries, canonical addresses, what each step
// records, and how a failure is described to the student.
//
// Levels use WeensyOS numbering: level 0 = L1 = top table, level 3 = L4 = leaf.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CR0_PE, CR4_SMEP, EFER_NXE, INT_GPF, INT_PAGEFAULT, INT_STACK,
  PFERR_FETCH, PFERR_PRESENT, PFERR_USER, PFERR_WRITE, PTE_P, PTE_U, PTE_W,
} from '../../emulator/machine/constants';
import { CpuFault } from '../../emulator/machine/fault';
import { fromBigInt, R } from '../../emulator/machine/int64';
import { Machine } from '../../emulator/machine/machine';
import { FETCH, READ, USER_FETCH, USER_READ, USER_WRITE, WRITE, type Access } from '../../emulator/machine/mmu/access';
import { describeStep, describeWalkFailure } from '../../emulator/machine/mmu/describe';
import { pageIndices, walk, type WalkFailure, type WalkResult } from '../../emulator/machine/mmu/walk';
import { enablePaging, PageTables, read64, write64 } from './helpers';

// ---- helpers local to this file ----

/** The test address: L1 index 0, L2 index 0, L3 index 1, L4 index 255, plus an offset. */
const VA = 0x2ff000;
const OFFSET = 0x9a8;
const PA = 0x123000;
const TABLES = 0x10000;
const PWU = PTE_P | PTE_W | PTE_U;
const LEVELS = [0, 1, 2, 3] as const;
const NAME = ['L1', 'L2', 'L3', 'L4'] as const;

/** A linear address as the (lo, hi) int32 halves the MMU takes. */
function split(va: bigint | number): [number, number] {
  const lo = fromBigInt(BigInt(va));
  return [lo, R.hi];
}

interface Cr {
  wp?: boolean;
  nxe?: boolean;
  smep?: boolean;
}

/** A machine with VA -> PA mapped P|W|U at every level, paging on (CR0.WP set unless told). */
function setup(cr: Cr = {}): { m: Machine; pt: PageTables; entries: number[] } {
  const m = new Machine();
  const pt = new PageTables(m, TABLES);
  pt.map(VA, PA, PWU);
  enablePaging(m, pt.root, cr.wp ?? true);
  m.cpu.cr4 = cr.smep ? CR4_SMEP : 0;
  m.cpu.efer = cr.nxe ? EFER_NXE : 0;
  return { m, pt, entries: pt.entries(VA) };
}

function clearBits(m: Machine, entry: number, bits: number): void {
  write64(m, entry, read64(m, entry) & ~BigInt(bits));
}

/** The walk, called directly as the pure function it is. */
function pureWalk(m: Machine, va: bigint | number, access: Access): WalkResult {
  const [lo, hi] = split(va);
  return walk((pa) => m.memory.peek64(pa), m.cpu, lo, hi, access);
}

/** Mmu.translate as the CPU calls it: the physical address, or the fault it throws. */
function translate(m: Machine, va: bigint | number, access: Access, stack = false): number | CpuFault {
  const [lo, hi] = split(va);
  try {
    return m.mmu.translate(lo, hi, access, stack);
  } catch (e) {
    if (e instanceof CpuFault) return e;
    throw e;
  }
}

function expectFault(got: number | CpuFault, vector: number, errorCode: number): CpuFault {
  expect(got).toBeInstanceOf(CpuFault);
  const f = got as CpuFault;
  expect({ vector: f.vector, errorCode: f.errorCode }).toEqual({ vector, errorCode });
  return f;
}

/** The golden-file check: UPDATE_GOLDEN=1 rewrites the file instead of comparing. */
function expectGolden(name: string, actual: string): void {
  const file = fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

// ---- 1. access rights, one missing bit at one level ----

type Outcome = 'ok' | { failure: WalkFailure; code: number; atLeaf?: boolean };

interface Scenario {
  readonly what: string;
  readonly access: Access;
  readonly cr: Cr;
  /** What happens when U is missing at the level under test, and when W is. */
  readonly noU: Outcome;
  readonly noW: Outcome;
}

const P = PFERR_PRESENT;
const Wr = PFERR_WRITE;
const U = PFERR_USER;
const ID = PFERR_FETCH;

const SCENARIOS: Scenario[] = [
  { what: 'user read', access: USER_READ, cr: {}, noU: { failure: 'user', code: P | U }, noW: 'ok' },
  { what: 'user write', access: USER_WRITE, cr: {}, noU: { failure: 'user', code: P | Wr | U }, noW: { failure: 'write', code: P | Wr | U } },
  // CR0.WP only concerns supervisor writes: a user write to a read-only page faults regardless.
  { what: 'user write, CR0.WP clear', access: USER_WRITE, cr: { wp: false }, noU: { failure: 'user', code: P | Wr | U }, noW: { failure: 'write', code: P | Wr | U } },
  { what: 'kernel read', access: READ, cr: {}, noU: 'ok', noW: 'ok' },
  { what: 'kernel write, CR0.WP set', access: WRITE, cr: {}, noU: 'ok', noW: { failure: 'write', code: P | Wr } },
  { what: 'kernel write, CR0.WP clear', access: WRITE, cr: { wp: false }, noU: 'ok', noW: 'ok' },
  // SDM 4.7: I/D is reported only when EFER.NXE or CR4.SMEP is set.
  { what: 'user fetch, NXE and SMEP off', access: USER_FETCH, cr: {}, noU: { failure: 'user', code: P | U }, noW: 'ok' },
  { what: 'user fetch, EFER.NXE set', access: USER_FETCH, cr: { nxe: true }, noU: { failure: 'user', code: P | U | ID }, noW: 'ok' },
  { what: 'user fetch, CR4.SMEP set', access: USER_FETCH, cr: { smep: true }, noU: { failure: 'user', code: P | U | ID }, noW: 'ok' },
  { what: 'kernel fetch, NXE and SMEP off', access: FETCH, cr: {}, noU: 'ok', noW: 'ok' },
  { what: 'kernel fetch, EFER.NXE set', access: FETCH, cr: { nxe: true }, noU: 'ok', noW: 'ok' },
  // With SMEP the kernel may not fetch from a user-mode address (U at every level, SDM 4.6.1).
  // Clearing U anywhere makes it a supervisor address; clearing W leaves it a user address.
  { what: 'kernel fetch, CR4.SMEP set', access: FETCH, cr: { smep: true }, noU: 'ok', noW: { failure: 'smep', code: P | ID, atLeaf: true } },
];

const RIGHTS_CASES = LEVELS.flatMap((level) =>
  (['U', 'W'] as const).flatMap((bit) =>
    SCENARIOS.map((s) => ({ name: `${NAME[level]} lacks ${bit}: ${s.what}`, level, bit, s, outcome: bit === 'U' ? s.noU : s.noW })),
  ),
);

describe('access rights are the AND over all four levels (SDM 4.6)', () => {
  it.each(RIGHTS_CASES)('$name', ({ level, bit, s, outcome }) => {
    const { m, entries } = setup(s.cr);
    clearBits(m, entries[level]!, bit === 'U' ? PTE_U : PTE_W);
    const r = pureWalk(m, VA + OFFSET, s.access);
    const got = translate(m, VA + OFFSET, s.access);
    // Every level was present, so the walk always reaches the leaf.
    expect(r.steps.map((st) => st.decision)).toEqual(['table', 'table', 'table', 'page']);
    expect(r.user).toBe(bit !== 'U');
    expect(r.write).toBe(bit !== 'W');
    if (outcome === 'ok') {
      expect(r).toMatchObject({ ok: true, pa: PA + OFFSET, errorCode: 0 });
      expect(r.failure).toBeUndefined();
      expect(got).toBe(PA + OFFSET);
    } else {
      expect(r).toMatchObject({ ok: false, pa: -1, failure: outcome.failure, failedLevel: outcome.atLeaf ? 3 : level, errorCode: outcome.code });
      const f = expectFault(got, INT_PAGEFAULT, outcome.code);
      expect(f.va).toBe(VA + OFFSET);
      expect(f.walk?.failure).toBe(outcome.failure);
    }
  });

  it.each([
    { name: 'W missing in L2 and L4: user write', bit: PTE_W, access: USER_WRITE, failure: 'write' },
    { name: 'U missing in L2 and L4: user read', bit: PTE_U, access: USER_READ, failure: 'user' },
  ])('blames the first level lacking the right ($name)', ({ bit, access, failure }) => {
    const { m, entries } = setup();
    clearBits(m, entries[1]!, bit);
    clearBits(m, entries[3]!, bit);
    expect(pureWalk(m, VA, access)).toMatchObject({ failure, failedLevel: 1 });
  });

  it('grants a fully user-writable page to every kind of access', () => {
    const { m } = setup();
    for (const a of [READ, WRITE, FETCH, USER_READ, USER_WRITE, USER_FETCH]) {
      expect(pureWalk(m, VA + OFFSET, a)).toMatchObject({ ok: true, pa: PA + OFFSET, user: true, write: true, pageSize: 4096 });
    }
  });
});

describe('execute-disable (bit 63 with EFER.NXE set)', () => {
  it.each(LEVELS.map((level) => ({ name: `XD in ${NAME[level]}`, level })))('$name', ({ level }) => {
    const { m, entries } = setup({ nxe: true });
    write64(m, entries[level]!, read64(m, entries[level]!) | (1n << 63n));
    expect(pureWalk(m, VA, USER_FETCH)).toMatchObject({ ok: false, failure: 'execute-disable', failedLevel: level, errorCode: P | U | ID, executeDisable: true });
    expect(pureWalk(m, VA, FETCH)).toMatchObject({ ok: false, failure: 'execute-disable', failedLevel: level, errorCode: P | ID });
    // XD does not restrict data accesses.
    expect(pureWalk(m, VA, USER_WRITE)).toMatchObject({ ok: true, pa: PA });
    expectFault(translate(m, VA, USER_FETCH), INT_PAGEFAULT, P | U | ID);
  });
});

// ---- 2. not-present entries ----

const NOT_PRESENT_ACCESSES = [
  { what: 'kernel read', access: READ, cr: {}, code: 0 },
  { what: 'kernel write', access: WRITE, cr: {}, code: Wr },
  { what: 'user read', access: USER_READ, cr: {}, code: U },
  { what: 'user write', access: USER_WRITE, cr: {}, code: Wr | U },
  { what: 'user fetch, NXE off', access: USER_FETCH, cr: {}, code: U },
  { what: 'user fetch, NXE on', access: USER_FETCH, cr: { nxe: true }, code: U | ID },
];
const NOT_PRESENT_CASES = LEVELS.flatMap((level) =>
  NOT_PRESENT_ACCESSES.map((a) => ({ name: `${NAME[level]} not present: ${a.what}`, level, ...a })),
);

describe('not-present entries (SDM 4.7: P clear in the error code)', () => {
  it.each(NOT_PRESENT_CASES)('$name', ({ level, access, cr, code }) => {
    const { m, entries } = setup(cr);
    // Clear only P: the entry still holds a table or frame address, which the walk must not follow.
    clearBits(m, entries[level]!, PTE_P);
    const r = pureWalk(m, VA, access);
    expect(r).toMatchObject({ ok: false, failure: 'not-present', failedLevel: level, errorCode: code, pa: -1 });
    expect(r.errorCode & PFERR_PRESENT).toBe(0);
    expect(r.steps).toHaveLength(level + 1);
    expect(r.steps.map((st) => st.decision)).toEqual([...Array<string>(level).fill('table'), 'not-present']);
    const f = expectFault(translate(m, VA, access), INT_PAGEFAULT, code);
    expect(f.message).toContain(`${NAME[level]} entry ${pageIndices(VA, 0)[level]} `);
  });
});

// ---- 5. canonical addresses ----

describe('non-canonical addresses raise #GP, or #SS for the stack (SDM 3.3.7.1, 6.15)', () => {
  const NON_CANONICAL = [0x0000_8000_0000_0000n, 0xffff_7fff_ffff_f000n, 0x1234_0000_0000_0000n, 0x8000_0000_0000_0000n, 0x0001_0000_0000_0000n];
  it.each(NON_CANONICAL.map((va) => ({ name: `0x${va.toString(16)}`, va })))('$name', ({ va }) => {
    const { m } = setup();
    const before = { ...m.mmu.tlb.counters };
    expect(expectFault(translate(m, va, READ), INT_GPF, 0).va).toBe(Number(BigInt.asIntN(64, va)));
    expectFault(translate(m, va, USER_WRITE), INT_GPF, 0);
    expectFault(translate(m, va, FETCH), INT_GPF, 0);
    expectFault(translate(m, va, WRITE, true), INT_STACK, 0);
    expectFault(translate(m, va, USER_READ, true), INT_STACK, 0);
    // The check comes before the TLB and the walk: nothing is counted.
    expect(m.mmu.tlb.counters).toEqual(before);
    const [lo, hi] = split(va);
    expect(m.mmu.probe(lo, hi, READ)).toBeUndefined();
  });

  it('Machine.read/write of a non-canonical address fault the same way', () => {
    const { m } = setup();
    const [lo, hi] = split(0x0000_8000_0000_0000n);
    const caught = (fn: () => void): CpuFault => {
      try {
        fn();
      } catch (e) {
        return e as CpuFault;
      }
      throw new Error('expected a fault');
    };
    expect(caught(() => m.read(lo, hi, 8, false)).vector).toBe(INT_GPF);
    expect(caught(() => m.read(lo, hi, 8, true)).vector).toBe(INT_STACK);
    expect(caught(() => m.write(lo, hi, 4, 1, 0, false)).vector).toBe(INT_GPF);
    expect(caught(() => m.write(lo, hi, 4, 1, 0, true)).vector).toBe(INT_STACK);
  });

  it.each([
    { name: 'top of the lower half 0x7ffffffff000', va: 0x7fff_ffff_f000n },
    { name: 'bottom of the upper half 0xffff800000000000', va: 0xffff_8000_0000_0000n },
  ])('$name is canonical: an unmapped page faults with #PF, not #GP', ({ va }) => {
    const { m } = setup();
    const f = expectFault(translate(m, va, READ), INT_PAGEFAULT, 0);
    expect(f.walk?.failure).toBe('not-present');
    expect(f.walk?.failedLevel).toBe(0);
  });
});

// ---- 7. what the steps record, and how failures read ----

describe('walk steps', () => {
  it.each([
    { va: 0x2ff000n, idx: [0, 0, 1, 255] },
    { va: 0x0n, idx: [0, 0, 0, 0] },
    { va: 0x100000n, idx: [0, 0, 0, 256] },
    { va: 0x8040201000n, idx: [1, 1, 1, 1] },
    { va: 0x7fff_ffff_ffffn, idx: [255, 511, 511, 511] },
    { va: 0xffff_8000_0000_0000n, idx: [256, 0, 0, 0] },
    { va: 0xffff_ffff_ffff_f000n, idx: [511, 511, 511, 511] },
    { va: 0xffff_ff80_4020_1fffn, idx: [511, 1, 1, 1] },
  ].map((c) => ({ ...c, name: `pageIndices(0x${c.va.toString(16)}) = [${c.idx.join(', ')}]` })))('$name', ({ va, idx }) => {
    const [lo, hi] = split(va);
    expect(pageIndices(lo, hi)).toEqual(idx);
  });

  it('records table, index, entry address, entry and decision for each level', () => {
    const { m, entries } = setup();
    const r = pureWalk(m, VA + OFFSET, USER_READ);
    expect(r.steps).toHaveLength(4);
    const tables = [TABLES, TABLES + 0x1000, TABLES + 0x2000, TABLES + 0x3000];
    const indices = [0, 0, 1, 255];
    r.steps.forEach((st, level) => {
      const entry = read64(m, entries[level]!);
      expect(st).toMatchObject({
        level, tableAddress: tables[level], index: indices[level], entryAddress: tables[level]! + 8 * indices[level]!,
        entryLo: Number(entry & 0xffffffffn), entryHi: Number(entry >> 32n), decision: level === 3 ? 'page' : 'table',
      });
      expect(st.entryAddress).toBe(entries[level]);
    });
    expect(r.steps[3]!.entryLo).toBe(PA | PWU);
  });

  it('reports the entry halves unsigned, even with bit 63 set', () => {
    const { m, entries } = setup({ nxe: true });
    write64(m, entries[3]!, BigInt(PA | PWU) | (1n << 63n));
    const leaf = pureWalk(m, VA, READ).steps[3]!;
    expect(leaf.entryHi).toBe(0x80000000);
    expect(leaf.entryLo).toBe(PA | PWU);
  });

  it('is the identity with no steps when CR0.PG is clear', () => {
    const { m } = setup();
    m.cpu.cr0 = CR0_PE;
    expect(pureWalk(m, 0x1234567, USER_WRITE)).toMatchObject({ ok: true, pa: 0x1234567, steps: [] });
  });

  it('names the level and entry to blame when a walk fails', () => {
    const { m, entries } = setup();
    clearBits(m, entries[3]!, PTE_P);
    const text = describeWalkFailure(pureWalk(m, VA, USER_WRITE));
    expect(text).toContain('user-mode write at 0x2ff000');
    expect(text).toContain('L4 entry 255 ');
    expect(text).toContain('of the table at 0x13000 is not present');
  });

  it('matches the golden descriptions', () => {
    const lines: string[] = [];
    const show = (title: string, cr: Cr, change: (m: Machine, entries: number[]) => void, va: bigint | number, access: Access): void => {
      const { m, entries } = setup(cr);
      change(m, entries);
      const r = pureWalk(m, va, access);
      lines.push(`# ${title}`, describeWalkFailure(r), ...r.steps.map((st) => `  ${describeStep(st)}`), '');
    };
    const none = (): void => {};
    show('success', {}, none, VA + OFFSET, USER_WRITE);
    for (const level of LEVELS) show(`${NAME[level]} not present`, {}, (m, e) => clearBits(m, e[level]!, PTE_P), VA, USER_WRITE);
    show('L2 lacks U', {}, (m, e) => clearBits(m, e[1]!, PTE_U), VA, USER_READ);
    show('L4 lacks W, kernel write', {}, (m, e) => clearBits(m, e[3]!, PTE_W), VA, WRITE);
    show('L3 lacks W, user write', {}, (m, e) => clearBits(m, e[2]!, PTE_W), VA, USER_WRITE);
    show('XD in L4', { nxe: true }, (m, e) => write64(m, e[3]!, read64(m, e[3]!) | (1n << 63n)), VA, USER_FETCH);
    show('SMEP', { smep: true }, none, VA, FETCH);
    show('bit 63 with NXE clear in L3', {}, (m, e) => write64(m, e[2]!, read64(m, e[2]!) | (1n << 63n)), VA, READ);
    show('high half, unmapped', {}, none, 0xffff_8000_0004_2000n, READ);
    expectGolden('walk-descriptions.txt', lines.join('\n'));
  });
});
