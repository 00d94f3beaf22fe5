// The panel's model, without a browser: the walk it does on a snapshot's
// tables agrees with the emulator's own translate (the pure MMU walk) on
// every virtual page of every address space, for every kind of access,
// including hand-made 2 MiB pages and entries with reserved bits; the
// snapshot validator names what is wrong; the table rows fold empty runs and
// alike runs and put removed entries back where they were; the memshow
// palette is FACTS.md's; addresses parse as a student types them.

import { beforeAll, describe, expect, it } from 'vitest';
import { kernelView, takeSnapshot, translate, writeMemory, type DebugSession, type PanelSnapshot, type SnapshotTable } from '../../emulator/index';
import { buildDiffIndex } from '../../webview/model/diff-index';
import { parseAddress } from '../../webview/model/format';
import { ownerCell, physicalCell, virtualCell } from '../../webview/model/owners';
import { SpaceTables, walkSnapshot, type AccessKind } from '../../webview/model/snapshot-walk';
import { tableRows } from '../../webview/model/table-rows';
import { parseSnapshotFile, validateSnapshot } from '../../webview/model/validate-snapshot';
import { referenceAtMemshow, stoppedReference } from './panel-fixtures';

const ACCESSES: readonly { kind: AccessKind; user: boolean }[] = [
  { kind: 'read', user: false }, { kind: 'write', user: false }, { kind: 'fetch', user: false },
  { kind: 'read', user: true }, { kind: 'write', user: true }, { kind: 'fetch', user: true },
];

/** Writes one 64-bit page-table entry at a physical address. */
function poke(s: DebugSession, pa: number, value: bigint): void {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  expect(writeMemory(s.machine, s.build, `p:0x${pa.toString(16)}`, 0, bytes).ok).toBe(true);
}

describe('the panel model', { timeout: 120_000 }, () => {
  let session: DebugSession;
  let snapshot: PanelSnapshot;

  beforeAll(() => {
    session = stoppedReference('ticks > 3');
    // Hand-made entries in process 1's L3 table: a 2 MiB page, a 2 MiB page with reserved bits 20:13,
    // an L4 pointer with address bits beyond MAXPHYADDR, a present entry without U; and an L1 entry with PS.
    const s0 = takeSnapshot(session.machine, session.build);
    const p1 = s0.addressSpaces.find((a) => a.pids.includes(1) && !a.kernel)!;
    const l3 = p1.tables.find((t) => t.level === 2)!.pa;
    const l4 = p1.tables.find((t) => t.level === 3)!.pa;
    poke(session, l3 + 8 * 5, 0x200000n | 0x87n); // P W U PS
    poke(session, l3 + 8 * 6, 0x400000n | 0x2000n | 0x87n); // PS with bit 13: reserved
    poke(session, l3 + 8 * 7, (1n << 45n) | BigInt(l4) | 0x7n); // address bit 45: reserved
    poke(session, l3 + 8 * 8, BigInt(l4) | 0x3n); // present, kernel-only table
    poke(session, l3 + 8 * 9, (1n << 63n) | BigInt(l4) | 0x7n); // XD while EFER.NXE is clear: reserved
    poke(session, p1.l1 + 8 * 1, 0x0n | 0x87n); // PS in an L1 entry: reserved
    snapshot = takeSnapshot(session.machine, session.build);
  });

  it('walks like the emulator: every virtual page of every address space, every access, and the odd entries', () => {
    let compared = 0;
    // Mismatches collected, then compared once (an expect per walk would cost more than the walks).
    const mismatches: unknown[] = [];
    const view = kernelView(session.machine, session.build);
    const extra = [0xa00000, 0xa01234, 0xc00000, 0xe00000, 0x1000000, 0x1200000, 0x8000000000, 0x8000001000, -0x800000000000, -0x1000, 0x7fffffffffff, 0x800000000000];
    for (const space of snapshot.addressSpaces) {
      const tables = new SpaceTables(space);
      const vas = [...Array.from({ length: 768 }, (_, i) => i * 4096 + (i % 7) * 8), ...extra];
      for (const va of vas) {
        for (const access of ACCESSES) {
          const mine = walkSnapshot(snapshot, tables, va, access);
          const theirs = translate(session.machine, session.build, va, { cr3: space.l1 }, access, view);
          // The emulator refuses non-canonical addresses outright.
          const a = theirs.ok
            ? JSON.stringify([theirs.translation.ok, theirs.translation.pa, theirs.translation.failedLevel, theirs.translation.failure, theirs.translation.user, theirs.translation.write,
              theirs.translation.steps.map((s) => [s.level, s.index, s.entryAddress, s.raw, s.decision])])
            : 'not-canonical';
          const b = theirs.ok
            ? JSON.stringify([mine.ok, mine.pa, mine.failedLevel, mine.failure, mine.user, mine.write, mine.steps.map((s) => [s.level, s.index, s.entryAddress, s.raw, s.decision])])
            : mine.failure;
          if (a !== b) mismatches.push({ space: space.label, va, access, emulator: a, panel: b });
          compared++;
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(20_000);
    const p1 = snapshot.addressSpaces.find((a) => a.pids.includes(1) && !a.kernel)!;
    const walk = (va: number, kind: AccessKind = 'read', user = false) => walkSnapshot(snapshot, new SpaceTables(p1), va, { kind, user });
    expect(walk(0xa01234)).toMatchObject({ ok: true, pa: 0x201234, pageSize: 0x200000 });
    expect(walk(0xc00000)).toMatchObject({ ok: false, failure: 'reserved-bit', failedLevel: 2, message: expect.stringContaining('bits 20:13 of a 2 MiB page entry') });
    expect(walk(0xe00000).message).toContain('address bits 51:40 (beyond MAXPHYADDR)');
    expect(walk(0x1000000, 'read', true)).toMatchObject({ ok: false, failure: 'user', failedLevel: 2 });
    expect(walk(0x1200000).message).toContain('bit 63 (XD) while EFER.NXE is clear');
    expect(walk(0x8000000000).message).toContain('bit 7 (PS) in an L1 entry');
  });

  it('validates: the version, missing fields, wrong types with their path, a truncated console, a truncated file', () => {
    expect(validateSnapshot(snapshot).ok).toBe(true);
    const problems = (v: unknown): readonly string[] => {
      const r = validateSnapshot(v);
      return r.ok ? [] : r.problems;
    };
    expect(problems({ ...snapshot, version: 7 })).toEqual(['version 7: this panel reads snapshot version 1']);
    const { pageinfo: _p, ...noPageinfo } = snapshot;
    expect(problems(noPageinfo)).toEqual(['pageinfo is missing']);
    const bad = JSON.parse(JSON.stringify(snapshot));
    bad.addressSpaces[2].tables[3].entries[4].raw = 17;
    bad.mappedBy['12'] = [{ pid: 'x', va: 0, perm: 7 }];
    expect(problems(bad)).toEqual(['mappedBy["12"][0].pid: expected an integer, found "x"', 'addressSpaces[2].tables[3].entries[4].raw: expected a string, found 17']);
    expect(problems({ ...snapshot, console: { ...snapshot.console, rows: 30 } })).toEqual(['console.cells: 2000 cells for a 80x30 screen (truncated?)']);
    const text = JSON.stringify(snapshot);
    const cut = parseSnapshotFile(text.slice(0, 5000));
    expect(cut.ok ? [] : cut.problems).toEqual([expect.stringMatching(/^The file is not valid JSON: .* The file looks truncated\.$/)]);
    expect(parseSnapshotFile(text).ok).toBe(true);
  });

  it('table rows: empty runs, folded alike runs, changed entries kept apart, removed entries where they were', () => {
    const e = (index: number, pa: number, flags = 0x3) => ({
      index, entryAddress: 0x5000 + 8 * index, va: index * 4096, vaLast: index * 4096 + 4095, raw: `0x${(pa | flags).toString(16).padStart(16, '0')}`, pa,
      flags: { P: true, W: !!(flags & 2), U: !!(flags & 4), PWT: false, PCD: false, A: false, D: false, PS: false, G: false, NX: false }, kind: 'page' as const, owner: -2,
    });
    const table: SnapshotTable = { pa: 0x5000, level: 3, va: 0, owner: 1, entries: [...Array.from({ length: 20 }, (_, i) => e(10 + i, (10 + i) * 4096)), e(40, 0x90000, 0x7)] };
    const diff = buildDiffIndex({
      entries: [
        { l1: 0x1000, level: 3, va: 15 * 4096, index: 15, change: 'changed', before: '0x0', after: table.entries[5]!.raw, newlySet: [] },
        { l1: 0x1000, level: 3, va: 35 * 4096, index: 35, change: 'removed', before: '0x0000000000023003', after: null, newlySet: [] },
      ],
      pageinfo: [], processes: [], spacesAdded: [], spacesRemoved: [], consoleChanged: false,
    });
    const rows = tableRows(table, 0x1000, diff).map((r) => r.kind === 'entry' ? `entry ${r.entry.index}${r.change ? ' ' + r.change.change : ''}` : r.kind === 'run' ? `run ${r.entries[0]!.index}-${r.entries.at(-1)!.index}` : r.kind === 'empty' ? `empty ${r.from}-${r.to}` : `removed ${r.change.index}`);
    expect(rows).toEqual([
      'empty 0-9', 'entry 10', 'entry 11', 'entry 12', 'entry 13', 'entry 14', 'entry 15 changed', 'run 16-29', 'empty 30-34', 'removed 35', 'empty 36-39', 'entry 40', 'empty 41-511',
    ]);
  });

  it('the memshow palette and symbols (FACTS.md section 7)', () => {
    expect([-2, -1, 0].map((o) => ownerCell(o))).toEqual([{ ch: 'K', attr: 0x0d }, { ch: 'R', attr: 0x07 }, { ch: '.', attr: 0x07 }]);
    expect(Array.from({ length: 15 }, (_, i) => ownerCell(i + 1)).map((c) => `${c.ch}${c.attr.toString(16)}`)).toEqual(
      ['1c', '2a', '39', '4e', '5f', '6c', '7a', '89', '9e', 'Af', 'Bc', 'Ca', 'D9', 'Ee', 'Ff']);
    expect(physicalCell(3, 0)).toEqual({ ch: '.', attr: 0x07 });
    expect(physicalCell(1, 2)).toEqual({ ch: '1', attr: 0x04 });
    expect(virtualCell(1, 1, 7)).toEqual({ ch: '1', attr: 0xc0 });
    expect(virtualCell(1, 2, 7)).toEqual({ ch: '1', attr: 0x40 });
    expect(virtualCell(-2, 1, 3)).toEqual({ ch: 'K', attr: 0x0d });
  });

  it('addresses as a student types them', () => {
    expect(['0x2ff000', '2ff000', '3141632', '0x2FF_000', ' 0x2ff000 '].map(parseAddress)).toEqual([0x2ff000, 0x2ff000, 0x2ff000, 0x2ff000, 0x2ff000]);
    expect(parseAddress('0xffff800000000000')).toBe(-0x800000000000);
    expect(['', 'xyz', '0x', '0x10000000000000000', '-5'].map(parseAddress)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('a snapshot at memshow has no findings (the reference kernel keeps its invariants)', () => {
    expect(referenceAtMemshow({ condition: 'ticks > 6' }).findings).toEqual([]);
  });
});
