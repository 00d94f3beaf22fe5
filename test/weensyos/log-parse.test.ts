// The grading log's reader: dumps found token by token whatever the line
// breaks, noise between them skipped, truncated dumps and panics reported.

import { describe, expect, it } from 'vitest';
import { parseWeensyLog, type PhysicalDump, type VirtualDump } from '../../emulator/index';
import { goodState, KERNEL, pmDump, RESERVED, vmDump, P, U, W } from './log-dumps';

describe('parseWeensyLog', () => {
  const s = goodState(300, 5);

  it('reads PM_DUMP and VM_DUMP as the reference kernel writes them', () => {
    const log = pmDump(300, s.physical) + vmDump(1, 300, s.virtual.get(1)!) + vmDump(2, 300, s.virtual.get(2)!);
    const r = parseWeensyLog(log);
    expect(r.problems).toEqual([]);
    expect(r.panics).toEqual([]);
    expect(r.dumps.map((d) => [d.kind, d.ticks, d.kind === 'vm' ? d.pid : null, d.pages.length, d.line])).toEqual([
      ['pm', 300, null, 512, 1],
      ['vm', 300, 1, 768, 10],
      ['vm', 300, 2, 768, 23],
    ]);
    const pm = r.dumps[0] as PhysicalDump;
    expect(pm.pages[0]).toEqual({ owner: RESERVED, refcount: 1 });
    expect(pm.pages[0x40]).toEqual({ owner: KERNEL, refcount: 1 });
    const vm = r.dumps[1] as VirtualDump;
    expect(vm.pages[0xb8]).toEqual({ owner: RESERVED, refcount: 1, perm: P | W | U });
    expect(vm.pages[0x2ff]).toEqual({ owner: 1, refcount: 1, perm: P | W | U });
    expect(vm.pages[0x200]).toEqual({ owner: 0, refcount: 0, perm: 0 });
  });

  it('does not depend on line breaks or spacing', () => {
    const standard = parseWeensyLog(pmDump(100, s.physical) + vmDump(3, 100, s.virtual.get(3)!));
    const oneLine = parseWeensyLog((pmDump(100, s.physical, 1000) + vmDump(3, 100, s.virtual.get(3)!, 1000)).replace(/\n/g, ' '));
    const perPage = parseWeensyLog(pmDump(100, s.physical, 1).replace(/ /g, '\t') + '\r\n' + vmDump(3, 100, s.virtual.get(3)!, 1).replace(/\n/g, '\r\n'));
    const strip = (r: ReturnType<typeof parseWeensyLog>) => r.dumps.map((d) => ({ ...d, line: 0 }));
    expect(strip(oneLine)).toEqual(strip(standard));
    expect(strip(perPage)).toEqual(strip(standard));
    expect(oneLine.problems).toEqual([]);
    expect(perPage.problems).toEqual([]);
  });

  it('reads an owner printed as a signed byte (-2) as the unsigned one the grader expects (254)', () => {
    const log = pmDump(0, s.physical).replace(/^254 /m, '-2 ');
    const pm = parseWeensyLog(log).dumps[0] as PhysicalDump;
    expect(pm.pages[0x40]!.owner).toBe(KERNEL);
  });

  it('skips what else the kernel logged between dumps, and reports panic lines with the tick before them', () => {
    const log =
      'kernel booting\nstudent debug: page 0x1000 refcount 3\n' +
      pmDump(0, s.physical) +
      'tick 0 done\n' +
      vmDump(1, 0, s.virtual.get(1)!) +
      '  PANIC: kernel.c:123: assertion \'pageinfo[pn].refcount > 0\' failed\n' +
      'more noise 1 2 3\n';
    const r = parseWeensyLog(log);
    expect(r.problems).toEqual([]);
    expect(r.dumps.map((d) => d.kind)).toEqual(['pm', 'vm']);
    expect(r.panics).toEqual([{ line: 26, text: "PANIC: kernel.c:123: assertion 'pageinfo[pn].refcount > 0' failed", afterTicks: 0 }]);
  });

  it('recognises a bare PANIC (a process panic through sys_panic) but not PANIC inside a word', () => {
    const r = parseWeensyLog('NOPANIC here\nPANIC\nDONTPANIC: no\n');
    expect(r.panics).toEqual([{ line: 2, text: 'PANIC' }]);
  });

  it('reports a dump cut short by a panic, and goes on reading the next one', () => {
    const full = vmDump(2, 400, s.virtual.get(2)!);
    const cut = full.slice(0, full.indexOf('\n', 200)) + ' 0 0\nPANIC: Kernel page fault for 0x2ff000 (write missing page, rip=0x41234)!\n';
    const log = pmDump(400, s.physical) + cut + pmDump(500, s.physical);
    const r = parseWeensyLog(log);
    expect(r.dumps.map((d) => [d.kind, d.ticks])).toEqual([
      ['pm', 400],
      ['pm', 500],
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.line).toBe(10);
    expect(r.problems[0]!.message).toMatch(/^VM_DUMP of process 2 at tick 400 \(line 10\) is truncated: it has \d+ of 768 virtual pages \(and 2 numbers of the next\), then 'PANIC:' on line 12$/);
    expect(r.panics).toEqual([{ line: 12, text: 'PANIC: Kernel page fault for 0x2ff000 (write missing page, rip=0x41234)!', afterTicks: 400 }]);
  });

  it('reports a log that ends in the middle of a dump', () => {
    const full = pmDump(900, s.physical);
    const r = parseWeensyLog(full.slice(0, full.length / 2));
    expect(r.dumps).toEqual([]);
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^PM_DUMP at tick 900 \(line 1\) is truncated: it has \d+ of 512 physical pages.*then the log ends$/)]);
  });

  it('reports a header without its numbers', () => {
    const r = parseWeensyLog('VM_DUMP 3\nhello\n' + pmDump(100, s.physical));
    expect(r.problems).toEqual([{ line: 1, message: "VM_DUMP header is incomplete: expected VM_DUMP <pid> <ticks>, found 'hello'" }]);
    expect(r.dumps.map((d) => d.kind)).toEqual(['pm']);
  });

  it('reads an empty log as no dumps', () => {
    expect(parseWeensyLog('')).toEqual({ dumps: [], panics: [], problems: [] });
  });
});
