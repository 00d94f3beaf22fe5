// The inspection side over memory and the machine: readMemory/writeMemory
// on virtual and physical memory, disassembly with source lines, the
// debug-console commands, the panel's snapshot and its diff, translation.

import { beforeAll, describe, expect, test } from 'vitest';
import {
  derivePageinfo, diffSnapshots, disassembleAround, isConsoleCommand, memoryReference, readKernelState, readMemory, runConsoleCommand,
  takeSnapshot, translate, writeMemory, type FrameContext, type Machine, type PanelSnapshot,
} from '../../emulator/index';
import { bootReference, functionBody, referenceBuild, runUntil } from './inspect-support';

const SLOW = { timeout: 300_000 };

let m: Machine;
let snapA: PanelSnapshot;
let b: FrameContext;
let snapB: PanelSnapshot;
let snapMs = 0;

describe('memory, disassembly, console commands and snapshots', SLOW, () => {
  beforeAll(() => {
    const build = referenceBuild();
    m = bootReference();
    runUntil(m, build, functionBody(build, 'virtual_memory_map'), 'va == 0x100000 && pagetable == processes[1].p_pagetable');
    snapA = takeSnapshot(m, build);
    b = runUntil(m, build, functionBody(build, 'exception'), 'current->p_pid == 3 && ticks > 2');
    const t0 = performance.now();
    snapB = takeSnapshot(m, build);
    snapMs = performance.now() - t0;
  }, 300_000);

  test('readMemory: virtual (a process), physical, and unmapped bytes reported as unreadable', () => {
    const build = referenceBuild();
    const p3 = snapB.processes.find((p) => p.pid === 3)!;
    // The top of process 3's stack page, then the unmapped page below it.
    const ref = memoryReference({ kind: 'virtual', cr3: p3.pagetable, label: '' }, 0x2ff000);
    const r = readMemory(m, build, ref, 0, 16);
    expect(r.ok && r.data.length).toBe(16);
    const across = readMemory(m, build, ref, -8, 24);
    expect(across).toMatchObject({ ok: true, address: '0x2feff8', unreadableBytes: 8, reason: expect.stringMatching(/0x2feff8 is not mapped in process 3: L4 entry 254 is not present/) });
    expect(across.ok && across.data.length).toBe(0);
    const t = translate(m, build, 0x2ff000, { pid: 3 });
    expect(t.ok && t.translation.ok).toBe(true);
    const pa = t.ok ? t.translation.pa! : 0;
    const phys = readMemory(m, build, `p:0x${pa.toString(16)}`, 0, 16);
    expect(phys.ok && Array.from(phys.data)).toEqual(r.ok ? Array.from(r.data) : []);
    // Past the end of physical memory.
    expect(readMemory(m, build, 'p:0x1ffff8', 0, 16)).toMatchObject({ ok: true, unreadableBytes: 8 });
    // A bare address reads the frame's space (here: physical, since none is given).
    expect(readMemory(m, build, '0x40000', 0, 4).ok).toBe(true);
    expect(readMemory(m, build, 'nonsense', 0, 4)).toMatchObject({ ok: false, error: expect.stringMatching(/not a memory reference/) });
  });

  test('readMemory changes nothing: no A/D bits, no TLB fill', () => {
    const build = referenceBuild();
    const before = m.memory.bytes.slice();
    const same = (x: Uint8Array, y: Uint8Array): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
    const tlb = JSON.stringify(m.mmu.tlb.entries());
    const counters = JSON.stringify(m.mmu.tlb.counters);
    readMemory(m, build, `v:0x${snapB.processes[0]!.pagetable.toString(16)}:0x100000`, 0, 8192);
    takeSnapshot(m, build);
    runConsoleCommand(m, build, '.walk 0x2ff000 3');
    expect(same(m.memory.bytes, before)).toBe(true);
    expect(JSON.stringify(m.mmu.tlb.entries())).toBe(tlb);
    expect(JSON.stringify(m.mmu.tlb.counters)).toBe(counters);
  });

  test('writeMemory: virtual and physical, all or nothing unless partial', () => {
    const build = referenceBuild();
    const p3 = snapB.processes.find((p) => p.pid === 3)!;
    const ref = `v:0x${p3.pagetable.toString(16)}:0x2ffff0`;
    const saved = readMemory(m, build, ref, 0, 4);
    expect(writeMemory(m, build, ref, 0, new Uint8Array([1, 2, 3, 4]))).toEqual({ ok: true, bytesWritten: 4, offset: 0 });
    const back = readMemory(m, build, ref, 0, 4);
    expect(back.ok && Array.from(back.data)).toEqual([1, 2, 3, 4]);
    expect(writeMemory(m, build, ref, 0, saved.ok ? saved.data : new Uint8Array()).ok).toBe(true);
    // Writing across into the unmapped page below the stack.
    const low = `v:0x${p3.pagetable.toString(16)}:0x2feffe`;
    expect(writeMemory(m, build, low, 0, new Uint8Array(4))).toMatchObject({ ok: false, error: expect.stringMatching(/nothing written: 0x2feffe is not mapped in process 3/) });
    const top = `v:0x${p3.pagetable.toString(16)}:0x2ffffe`;
    const topSaved = readMemory(m, build, top, 0, 2);
    expect(writeMemory(m, build, top, 0, new Uint8Array([9, 9, 9, 9]), true)).toEqual({ ok: true, bytesWritten: 2, offset: 0 });
    writeMemory(m, build, top, 0, topSaved.ok ? topSaved.data : new Uint8Array());
    // Physical, on a free page.
    const free = snapB.pageinfo.pages.findIndex((p, i) => i > 0x100 && p.owner === 0);
    const pref = `p:0x${(free * 4096).toString(16)}`;
    expect(writeMemory(m, build, pref, 8, new Uint8Array([0xab]))).toMatchObject({ ok: true, bytesWritten: 1 });
    expect(m.memory.bytes[free * 4096 + 8]).toBe(0xab);
    m.memory.write8(free * 4096 + 8, 0);
  });

  test('disassembly around rip, with source lines and the function symbol', () => {
    const build = referenceBuild();
    const rip = b.rip;
    const r = disassembleAround(m, build, `0x${rip.toString(16)}`, 0, -4, 10, { kind: 'virtual', cr3: b.cr3, label: '' });
    expect(r.ok).toBe(true);
    const lines = r.ok ? r.instructions : [];
    expect(lines).toHaveLength(10);
    expect(lines[4]!.addressValue).toBe(rip);
    expect(lines[4]!.file).toMatch(/kernel\.c$/);
    expect(lines[4]!.line).toBeGreaterThan(0);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.addressValue).toBeGreaterThan(lines[i - 1]!.addressValue);
    expect(lines.every((l) => l.instruction.length > 0 && l.instructionBytes !== undefined)).toBe(true);
    const start = build.kernel.debug.units.flatMap((u) => u.functions).find((f) => f.name === 'exception')!.start;
    const atStart = disassembleAround(m, build, `p:0x${start.toString(16)}`, 0, -2, 4);
    expect(atStart.ok && atStart.instructions[2]!.symbol).toBe('exception');
    expect(atStart.ok && atStart.instructions[2]!.instruction).toMatch(/^enter/);
    // Nothing mapped there: placeholders marked invalid.
    const none = disassembleAround(m, build, `v:0x${b.cr3.toString(16)}:0x2fe000`, 0, 0, 3);
    expect(none.ok && none.instructions.map((l) => l.presentationHint)).toEqual(['invalid', 'invalid', 'invalid']);
  });

  test('.walk draws the walk level by level, and says where it fails', () => {
    const build = referenceBuild();
    const ok = runConsoleCommand(m, build, '.walk 0x2ff000 3');
    expect(ok.ok).toBe(true);
    const text = ok.ok ? ok.output.split('\n') : [];
    expect(text[0]).toMatch(/^Walk of 0x2ff000 in process 3 \(CR3 0x[0-9a-f]+\): L1 index 0, L2 index 0, L3 index 1, L4 index 255, offset 0x0$/);
    expect(text[1]).toMatch(/^ {2}L1\[0\] at 0x[0-9a-f]+ = 0x[0-9a-f]{16} \[P W U.*\] → L2 table 0x[0-9a-f]+ \(process 3\)$/);
    expect(text[4]).toMatch(/^ {2}L4\[255\] at 0x[0-9a-f]+ = 0x[0-9a-f]{16} \[P W U.*\] → page 0x[0-9a-f]+ \(process 3\)$/);
    expect(text[5]).toMatch(/^0x2ff000 in process 3 → physical 0x[0-9a-f]+ \(page 0x[0-9a-f]+, process 3, refcount 1\); user-accessible, writable$/);
    const fail = runConsoleCommand(m, build, '.walk 0x2fe000 3');
    expect(fail.ok && fail.output.split('\n').pop()).toBe('Fails at L4: 0x2fe000 is not mapped in process 3: L4 entry 254 is not present');
    const pte = runConsoleCommand(m, build, '.pte 0x2ff000 3');
    expect(pte.ok && pte.output).toMatch(/^L4 entry 255 for 0x2ff000 in process 3\n {2}entry address {2}0x/);
    const pi = runConsoleCommand(m, build, '.pageinfo 0x100');
    expect(pi.ok && pi.output).toMatch(/^pageinfo\[256\] \(physical page 0x100000\): owner 1 \(process 1\), refcount 1\n {2}mapped by: process 1 at 0x100000/);
    const screen = runConsoleCommand(m, build, '.screen');
    expect(screen.ok && screen.output.split('\n').length).toBeGreaterThan(1);
    expect(runConsoleCommand(m, build, '.log 2', { log: 'one\ntwo\nthree\n' })).toEqual({ ok: true, output: 'two\nthree' });
    expect(runConsoleCommand(m, build, '.log')).toMatchObject({ ok: false });
    expect(runConsoleCommand(m, build, '.walk')).toMatchObject({ ok: false, error: expect.stringMatching(/^usage/) });
    expect(runConsoleCommand(m, build, '.walk 0x1000 12')).toMatchObject({ ok: false, error: expect.stringMatching(/process 12 has no page table/) });
    expect(runConsoleCommand(m, build, '.frobnicate')).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown command/) });
    expect(isConsoleCommand('.walk 1')).toBe(true);
    expect(isConsoleCommand('x.y')).toBe(false);
  });

  test('translate: the steps, the indices, the rights, user access checks', () => {
    const build = referenceBuild();
    const t = translate(m, build, 0x40000, { pid: 3 }, { kind: 'read', user: true });
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.translation.steps.map((s) => s.levelName)).toEqual(['L1', 'L2', 'L3', 'L4']);
    expect(t.translation.indices).toEqual([0, 0, 0, 64]);
    // The reference kernel isolates kernel memory from step 3 on.
    expect(t.translation).toMatchObject({ ok: false, failure: 'user', user: false });
    expect(t.translation.message).toMatch(/lacks PTE_U/);
    expect(translate(m, build, 2 ** 47, { pid: 3 })).toMatchObject({ ok: false, error: expect.stringMatching(/not a canonical address/) });
  });

  test('snapshot: plain JSON with processes, pageinfo, page tables, TLB, console, fault, counters', () => {
    expect(JSON.parse(JSON.stringify(snapB))).toEqual(snapB);
    expect(snapB.version).toBe(1);
    expect(snapB.currentPid).toBe(3);
    expect(snapB.processes.map((p) => [p.pid, p.state, p.program, p.current])).toEqual([
      [1, 'runnable', 'p-allocator', false], [2, 'runnable', 'p-allocator2', false], [3, 'runnable', 'p-allocator3', true], [4, 'runnable', 'p-allocator4', false],
    ]);
    expect(snapB.pageinfo.source).toBe('debug-info');
    expect(snapB.pageinfo.pages).toHaveLength(512);
    expect(snapB.pageinfo.pages[0x40]).toEqual({ owner: -2, refcount: 1 });
    expect(snapB.addressSpaces.map((s) => s.label)).toEqual(['the kernel page table', 'process 1', 'process 2', 'process 3', 'process 4']);
    const p3 = snapB.addressSpaces[3]!;
    expect(p3.tables[0]!.level).toBe(0);
    expect(p3.tables.every((t) => t.owner === 3)).toBe(true);
    const leaf = p3.tables.filter((t) => t.level === 3).flatMap((t) => t.entries).find((e) => e.va === 0x2ff000)!;
    expect(leaf).toMatchObject({ kind: 'page', owner: 3, flags: { P: true, W: true, U: true } });
    expect(p3.pages.some((p) => p.va === 0x2ff000 && p.perm === 7)).toBe(true);
    // Every process also maps that physical page at its own address, kernel-only (the kernel's identity mapping).
    expect(snapB.mappedBy[String(leaf.pa / 4096)]).toContainEqual({ pid: 3, va: 0x2ff000, perm: 7 });
    expect(snapB.tlb.entries.length).toBeGreaterThan(0);
    expect(snapB.tlb.counters.misses).toBeGreaterThan(0);
    expect(snapB.console.cells).toHaveLength(2000);
    expect(snapB.counters.ticks).toBeGreaterThan(2);
    expect(snapB.cpu).toMatchObject({ cpl: 0, paging: true, source: { function: 'exception' } });
    expect(Array.isArray(snapB.findings)).toBe(true);
    expect(snapMs).toBeGreaterThan(0);
  });

  test('the last fault, as the snapshot records it', () => {
    const build = referenceBuild();
    const m2 = bootReference();
    runUntil(m2, build, functionBody(build, 'exception'), 'current->p_pid == 1 && ticks > 1');
    // Unmap process 1's stack page behind the kernel's back: its next push faults.
    const t = translate(m2, build, 0x2ff000, { pid: 1 });
    expect(t.ok && t.translation.ok).toBe(true);
    const entry = t.ok ? t.translation.steps[3]!.entryAddress : 0;
    expect(writeMemory(m2, build, `p:0x${entry.toString(16)}`, 0, new Uint8Array(8)).ok).toBe(true);
    const stop = m2.run(100_000_000, { stopOnFault: (f) => f.vector === 14 });
    expect(stop.kind).toBe('fault');
    const s = takeSnapshot(m2, build);
    expect(s.lastFault).toMatchObject({
      vector: 14, errorBits: expect.arrayContaining(['not-present', 'user']), failedLevel: 3, rip: m2.cpu.rip,
      source: { file: expect.stringMatching(/p-allocator\.c$|process\.c$|lib\.c$/) },
    });
    expect(s.lastFault!.va! >>> 12).toBe(0x2ff);
    expect(s.lastFault!.walk.map((w) => w.decision)).toEqual(['table', 'table', 'table', 'not-present']);
    expect(s.cpu.cpl).toBe(3);
  });

  test('pageinfo derived from the page tables agrees with the kernel on user pages', () => {
    const state = readKernelState(m.memory, referenceBuild().kernel);
    const derived = derivePageinfo(m, referenceBuild(), state);
    const p3 = snapB.addressSpaces[3]!;
    for (const page of p3.pages.filter((p) => p.va >= 0x100000)) {
      const pn = page.pa / 4096;
      expect(derived[pn]!.owner, `page ${pn}`).toBe(state.pageinfo![pn]!.owner);
    }
    expect(derived[0x40]!.owner).toBe(-2);
    expect(derived[0xb8]!.owner).toBe(-1);
  });

  test('diffSnapshots: entries added and changed, A/D newly set, pageinfo and processes', () => {
    const d = diffSnapshots(snapA, snapB);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(d.processes.map((p) => p.slot)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(d.pageinfo.length).toBeGreaterThan(0);
    const p1 = snapB.processes.find((p) => p.pid === 1)!.pagetable;
    const stack = d.entries.find((e) => e.l1 === p1 && e.level === 3 && e.va === 0x2ff000);
    expect(stack).toMatchObject({ change: 'added', before: null });
    // Entries that were there at A and were used since: A (and D) set by the hardware.
    expect(d.entries.some((e) => e.change === 'changed' && e.newlySet.includes('A'))).toBe(true);
    expect(diffSnapshots(snapB, snapB)).toMatchObject({ entries: [], pageinfo: [], processes: [], spacesAdded: [], spacesRemoved: [], consoleChanged: false });
  });
});
