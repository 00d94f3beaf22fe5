// Data breakpoints: a page-table entry virtual_memory_map writes, a kernel
// global, a user variable through a process's page table; exact stops
// (after the writing instruction, the same whatever the slices).

import { describe, expect, it } from 'vitest';
import { KERNEL_THREAD_ID, WEENSYOS_ROOT, weensyosFile } from '../../emulator/index';
import { SLOW, continueToStop, frames, launch, lineOf, runToStop, startToStop } from './session-harness';

const ALLOCATOR_C = `${WEENSYOS_ROOT}/p-allocator.c`;
const allocatorText = weensyosFile('p-allocator.c')!;

describe('debug session: data breakpoints', SLOW, () => {
  it('a data breakpoint on a PTE fires when virtual_memory_map writes it', () => {
    const s = launch({ stopOnEntry: true });
    startToStop(s);
    // kernel_pagetables[3] is the L4 table of VA 0-2 MB (virtual_memory_init chains [2].e[0] to it); entry 1 maps page 0x1000.
    const tables = s.build.kernel.symbols.get('kernel_pagetables')!.address;
    const pte = tables + 3 * 4096 + 8;
    const [bp] = s.setDataBreakpoints([{ address: pte, size: 8, space: 'physical', accessType: 'write' }]);
    expect(bp).toMatchObject({ verified: true, message: expect.stringMatching(/^Watching writes to physical/) });
    let stop = continueToStop(s).stop;
    const seen: string[] = [];
    for (let i = 0; i < 20 && frames(s, KERNEL_THREAD_ID)[0]!.name !== 'virtual_memory_map'; i++) {
      seen.push(frames(s, KERNEL_THREAD_ID)[0]!.name);
      stop = continueToStop(s).stop;
    }
    expect(stop).toMatchObject({ reason: 'data breakpoint', hitBreakpointIds: [bp!.id] });
    expect(frames(s, KERNEL_THREAD_ID)[0]!.name).toBe('virtual_memory_map');
    expect(stop.text).toMatch(/-> 0x1007$/);
    // Stopped right after the store: memory already holds the new entry.
    expect(Number(s.machine.memory.read32(pte))).toBe(0x1007);
    expect(seen.every((n) => n === 'memset')).toBe(true);
    // memset writes the entry byte by byte: eight stops.
    expect(seen.length).toBe(8);
    // The next write: isolate_kernel_memory() takes PTE_U away.
    const isolate = continueToStop(s).stop;
    expect(isolate.text).toMatch(/0x1007 -> 0x1003$/);
    expect(frames(s, KERNEL_THREAD_ID).map((f) => f.name).slice(0, 2)).toEqual(['virtual_memory_map', 'isolate_kernel_memory']);
    // Unsupported kinds come back unverified.
    const [read] = s.setDataBreakpoints([{ address: pte, size: 8, space: 'physical', accessType: 'read' }]);
    expect(read).toMatchObject({ verified: false, message: expect.stringMatching(/Only writes/) });
  });

  it('a kernel global: ticks, written by exception(), at the same instruction whatever the slices', () => {
    const stopAt = (slice: number): number[] => {
      const s = launch();
      const ticks = s.build.kernel.symbols.get('ticks')!.address;
      s.setDataBreakpoints([{ address: ticks, size: 4, space: 'physical', accessType: 'write', hitCondition: '>= 2' }]);
      const out: number[] = [];
      let r = runToStop(s, s.start(), 500, slice);
      for (let i = 0; i < 2; i++) {
        expect(r.stop.reason).toBe('data breakpoint');
        expect(frames(s, KERNEL_THREAD_ID)[0]!.name).toBe('exception');
        expect(s.machine.memory.read32(ticks)).toBe(i + 2);
        out.push(r.stop.icount);
        if (i === 0) r = runToStop(s, s.continue(), 500, slice);
      }
      return out;
    };
    expect(stopAt(500_000)).toEqual(stopAt(2_000_000));
  });

  it("a user variable by virtual address in a process's address space", () => {
    const s = launch({ defines: { NO_SLOWDOWN: '1' } });
    s.setBreakpoints(ALLOCATOR_C, [{ line: lineOf(allocatorText, 'sys_yield();', 'heap_top += PAGESIZE'), condition: 'pid == 2' }]);
    const first = startToStop(s).stop;
    expect(first.threadId).toBe(2);
    s.setBreakpoints(ALLOCATOR_C, []);
    const heapTop = s.map.image('p-allocator2')!.image.symbols.get('heap_top')!.address;
    const [bp] = s.setDataBreakpoints([{ address: heapTop, size: 8, space: 'virtual', pid: 2, accessType: 'write' }]);
    expect(bp!.verified).toBe(true);
    const { stop } = continueToStop(s);
    expect(stop).toMatchObject({ reason: 'data breakpoint', threadId: 2 });
    const top = frames(s, 2)[0]!;
    // The store is the last instruction of `heap_top += PAGESIZE;`: the stop is right after it.
    expect(top).toMatchObject({ name: 'process_main', source: ALLOCATOR_C, line: lineOf(allocatorText, 'sys_yield();', 'heap_top += PAGESIZE') });
    expect(stop.description).toMatch(/written by the instruction before 0x14[0-9a-f]{4} in process_main\(\) in pid 2/);
    const [none] = s.setDataBreakpoints([{ address: 0x2ff000 - 0x100000, size: 8, space: 'virtual', pid: 2, accessType: 'write' }]);
    expect(none).toMatchObject({ verified: false, message: expect.stringMatching(/is not mapped in pid 2/) });
  });
});
