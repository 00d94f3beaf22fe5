// The reference kernel (runtime/weensyos/kernel.c) at every lab step: what
// each step changes in the page tables, pageinfo, the screen and the
// grading log, and that fork, exit and copy-on-write keep every refcount
// right and leak nothing (the kernel's own CHECK_REFCOUNTS audit runs on
// every trap in those runs and panics on the first inconsistency).
//
// Runs are short: each stops as soon as what it checks has happened.
// Some use their own user programs (a workspace p-allocator.c or
// p-forkexit.c replaces the built-in one) to reach a situation quickly.

import { describe, expect, test } from 'vitest';
import {
  bootWeensyOS, buildWeensyOS, consoleText, formatDiagnostic, readConsole,
  type LinkedImage, type Machine,
} from '../../emulator/index';

const WORKSPACE = 'ws';
const PAGESIZE = 0x1000;
const PROC_STRIDE = 216; // sizeof(proc)
const P_STATE = 200;
const P_PAGETABLE = 208;
const P_RUNNABLE = 1;

interface BuildOptions {
  readonly defines?: Record<string, string>;
  /** Workspace files that replace built-in ones (never kernel.c: the built-in one is under test). */
  readonly files?: Record<string, string>;
}

const builds = new Map<string, LinkedImage>();

/**
 * Builds WeensyOS with the built-in reference kernel; expects no diagnostic
 * about kernel.c at all. (Between them, the tests build every STEP, and
 * copy-on-write.)
 */
function build(options: BuildOptions = {}): LinkedImage {
  const key = JSON.stringify(options);
  const cached = builds.get(key);
  if (cached) return cached;
  const files = new Map(Object.entries(options.files ?? {}).map(([name, text]) => [`${WORKSPACE}/${name}`, text]));
  const result = buildWeensyOS({
    host: { readFile: (path) => files.get(path) },
    workspace: WORKSPACE,
    defines: new Map(Object.entries(options.defines ?? {})),
  });
  const messages = result.diagnostics.map(formatDiagnostic);
  expect(messages.filter((m) => m.includes('kernel.c') || m.includes('error')), 'diagnostics').toEqual([]);
  expect(result.kernel).toBeDefined();
  builds.set(key, result.kernel!);
  return result.kernel!;
}

/** A booted kernel: the machine, its log, and readers of the kernel's state. */
class Run {
  readonly machine: Machine;
  private readonly logBytes: number[] = [];
  executed = 0;

  constructor(readonly image: LinkedImage, command?: string) {
    this.machine = bootWeensyOS(image, { command, output: { log: (b) => this.logBytes.push(b) } });
  }

  /** Runs until `done()` holds (checked every `step` instructions), the machine stops, or `limit` runs out. */
  runUntil(done: () => boolean, limit: number, step = 200_000): void {
    while (this.executed < limit && !done()) {
      const stop = this.machine.run(step);
      this.executed += step;
      if (stop.kind !== 'budget') return;
    }
  }

  address(name: string): number {
    const s = this.image.symbols.get(name);
    expect(s, `symbol ${name}`).toBeDefined();
    return s!.address;
  }

  get ticks(): number {
    return this.machine.memory.read32(this.address('ticks')) >>> 0;
  }

  get log(): string {
    return Buffer.from(this.logBytes).toString('latin1');
  }

  get lines(): string[] {
    return consoleText(readConsole(this.machine.memory));
  }

  cell(row: number, col: number): number {
    return readConsole(this.machine.memory).cells[row * 80 + col]!;
  }

  /** The characters of console row `row` from `col`, `n` long. */
  text(row: number, col: number, n: number): string {
    return (this.lines[row] ?? '').padEnd(80).slice(col, col + n);
  }

  get panicked(): boolean {
    return this.lines.some((l) => l.includes('PANIC'));
  }

  processState(pid: number): number {
    return this.machine.memory.read32(this.address('processes') + pid * PROC_STRIDE + P_STATE);
  }

  pagetable(pid: number): number {
    return this.read64(this.address('processes') + pid * PROC_STRIDE + P_PAGETABLE);
  }

  runnable(): number[] {
    return [...Array(16).keys()].filter((pid) => this.processState(pid) === P_RUNNABLE);
  }

  owner(pn: number): number {
    const o = this.machine.memory.read8(this.address('pageinfo') + 2 * pn);
    return o > 127 ? o - 256 : o;
  }

  refcount(pn: number): number {
    return this.machine.memory.read8(this.address('pageinfo') + 2 * pn + 1);
  }

  freePages(): number {
    let n = 0;
    for (let pn = 0; pn < 512; pn++) if (this.refcount(pn) === 0) n++;
    return n;
  }

  read64(pa: number): number {
    const lo = this.machine.memory.read32(pa) >>> 0;
    const hi = this.machine.memory.read32(pa + 4) >>> 0;
    return hi * 2 ** 32 + lo;
  }

  /** Translates va through the page table at `pt` as virtual_memory_lookup does: pa and the AND of P|W|U. */
  lookup(pt: number, va: number): { pa: number; perm: number } | undefined {
    let table = pt;
    let perm = 7;
    for (let level = 0; level < 4; level++) {
      const index = Math.floor(va / 2 ** (12 + 9 * (3 - level))) % 512;
      const entry = this.read64(table + 8 * index);
      if (!(entry & 1)) return undefined;
      perm &= entry & 7;
      table = Math.floor(entry / PAGESIZE) * PAGESIZE % 2 ** 52;
    }
    return { pa: table, perm };
  }
}

/** The grading log's dumps at one tick: physical pages [owner, refcount] and per-pid virtual pages [owner, refcount, perm]. */
interface Dumps {
  readonly physical: [number, number][];
  readonly virtual: Map<number, [number, number, number][]>;
}

/** Parses the log the way the course grader does: token by token. */
function parseDumps(log: string, tick: number): Dumps {
  const tokens = log.split(/\s+/).filter((t) => t !== '');
  let physical: [number, number][] | undefined;
  const virtual = new Map<number, [number, number, number][]>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'PM_DUMP' && Number(tokens[i + 1]) === tick) {
      const v = tokens.slice(i + 2, i + 2 + 1024).map(Number);
      physical = [...Array(512).keys()].map((k) => [v[2 * k]!, v[2 * k + 1]!]);
    } else if (tokens[i] === 'VM_DUMP' && Number(tokens[i + 2]) === tick) {
      const v = tokens.slice(i + 3, i + 3 + 768 * 3).map(Number);
      virtual.set(Number(tokens[i + 1]), [...Array(768).keys()].map((k) => [v[3 * k]!, v[3 * k + 1]!, v[3 * k + 2]!]));
    }
  }
  expect(physical, `PM_DUMP ${tick}`).toBeDefined();
  expect(physical!.flat().every(Number.isInteger)).toBe(true);
  return { physical: physical!, virtual };
}

/** The time a test may take on a busy machine (each runs up to a few hundred million instructions). */
const LONG = 120_000;

const GRADING = { TICK_LIMIT: '1000', NO_SLOWDOWN: '1' };

/** Boots the allocator programs and runs until the tick-0 dump is in the log. */
function firstDump(defines: Record<string, string>): { run: Run; dumps: Dumps } {
  const run = new Run(build({ defines: { ...GRADING, ...defines } }));
  run.runUntil(() => run.ticks >= 1, 50_000_000);
  expect(run.panicked, run.lines.join('\n')).toBe(false);
  return { run, dumps: parseDumps(run.log, 0) };
}

const U = 4;
const W = 2;
const P = 1;

describe('reference kernel.c', { timeout: LONG }, () => {
  test('the grading log: PM_DUMP and VM_DUMP with 512 pairs and 768 triples per process', () => {
    const { run, dumps } = firstDump({});
    expect(run.log).toMatch(/^PM_DUMP 0\n/);
    expect(run.log).toContain('VM_DUMP 1  0\n'); // the name is "%d ": a double space
    expect([...dumps.virtual.keys()]).toEqual([1, 2, 3, 4]);
    // Owners are printed as unsigned bytes: reserved page 0, kernel at 0x40000.
    expect(dumps.physical[0]).toEqual([255, 1]);
    expect(dumps.physical[0x40]).toEqual([254, 1]);
    // Unmapped pages are "0 0 0"; the console is mapped for everyone, with U.
    for (const pages of dumps.virtual.values()) {
      expect(pages[0x200]).toEqual([0, 0, 0]);
      expect(pages[0xb8]).toEqual([255, 1, P | W | U]);
    }
  });

  test('step 0 (the handout): one shared page table, kernel memory user-accessible, fork panics', () => {
    const { run, dumps } = firstDump({ STEP: '0' });
    const kernelPt = run.pagetable(1);
    for (const pid of [2, 3, 4]) expect(run.pagetable(pid)).toBe(kernelPt);
    expect(run.refcount(kernelPt / PAGESIZE)).toBe(5); // the kernel and four processes
    expect(dumps.virtual.get(1)![0x40]![2]).toBe(P | W | U);
    // Stacks at PROC_START_ADDR + PROC_SIZE * pid, identity-mapped.
    expect(dumps.virtual.get(2)![0x17f]).toEqual([2, 1, P | W | U]);

    const fork = new Run(build({ defines: { STEP: '0', FORCE_FORK: '1', TICK_LIMIT: '1000' } }));
    fork.runUntil(() => false, 50_000_000);
    expect(fork.lines[23]).toBe('PANIC: Unexpected exception 52!');
  });

  test('step 1: only the console page is user-accessible below PROC_START_ADDR', () => {
    const { run, dumps } = firstDump({ STEP: '1' });
    for (const pages of dumps.virtual.values()) {
      for (let vpn = 0; vpn < 0x100; vpn++) {
        if (pages[vpn]![0] !== 0) expect(pages[vpn]![2] & U, `page ${vpn}`).toBe(vpn === 0xb8 ? U : 0);
      }
    }
    // The virtual map: kernel cells plain, the console cell in reverse video, process cells reversed.
    expect(run.cell(12, 12) >> 8).toBe(0x0d); // 0x40000: 'K'
    expect(run.cell(13, 12 + 0x38) >> 8).toBe(0x70); // 0xB8000: reversed 'R'
    expect(run.cell(15, 12)).toBe(0xc000 | '1'.charCodeAt(0)); // 0x100000: reversed '1'
  });

  test('step 2: per-process page tables owned by their process; nothing of other processes mapped', () => {
    const { run, dumps } = firstDump({ STEP: '2' });
    expect(run.text(1, 12, 17)).toBe('R1111222233334444');
    for (const [pid, pages] of dumps.virtual) {
      expect(run.pagetable(pid)).not.toBe(run.pagetable(pid === 1 ? 2 : 1));
      for (let vpn = 0x100; vpn < 0x300; vpn++) if (pages[vpn]![0] !== 0) expect(pages[vpn]![0]).toBe(pid);
      expect(pages[0xb8]![2]).toBe(P | W | U);
    }
    for (let pn = 1; pn <= 16; pn++) expect(dumps.physical[pn]).toEqual([Math.ceil(pn / 4), 1]);
  });

  // Each process 1 asks for pages at forbidden and allowed addresses and
  // writes '+' (0) or '-' (-1) for each on row 23, then '.' when done.
  const PROBE = String.raw`
#include "process.h"
#include "lib.h"
extern uint8_t end[];
static const uintptr_t probes[] = { 0x1000, 0x40000, 0xB8000, 0x7F000, 0x100800, 0x300000, 0x2FF000 };
void process_main(void) {
    if (sys_getpid() == 1) {
        int col = 0;
        for (unsigned i = 0; i < arraysize(probes); ++i) {
            console[CPOS(23, col++)] = (sys_page_alloc((void*) probes[i]) == 0 ? '+' : '-') | 0x0700;
        }
        uint8_t* heap = ROUNDUP((uint8_t*) end, PAGESIZE);
        int r = sys_page_alloc(heap);
        if (r == 0) {
            *heap = 1;
        }
        console[CPOS(23, col++)] = (r == 0 ? '+' : '-') | 0x0700;
        console[CPOS(23, col++)] = '.' | 0x0700;
    }
    while (1) {
        sys_yield();
    }
}
`;

  test.each([
    ['0', '+------+'], // the handout maps any free physical page, even the kernel's 0x1000
    ['1', '-------+'],
    ['3', '------++'], // 0x2FF000 is a fine heap address before the stack moves there
    ['7', '-------+'], // ... and taken by the stack from step 4 on
  ])('sys_page_alloc at step %s: which addresses it refuses', (step, expected) => {
    const run = new Run(build({ defines: { STEP: step }, files: { 'p-allocator.c': PROBE } }));
    run.runUntil(() => run.text(23, 8, 1) === '.', 30_000_000);
    expect(run.text(23, 0, 9)).toBe(expected + '.');
  });

  test('step 3: sys_page_alloc hands out the first free physical page, at any virtual address', () => {
    const run = new Run(build({ defines: { STEP: '3', NO_SLOWDOWN: '1' } }));
    run.runUntil(() => run.owner(0x11) > 0, 60_000_000);
    // Pages 1-16 are the page tables; the heap pages come right after them.
    expect(run.owner(0x11)).toBeGreaterThan(0);
    const pid = run.owner(0x11);
    const heap = run.lookup(run.pagetable(pid), [0, 0x102000, 0x142000, 0x182000, 0x1c2000][pid]!);
    expect(heap?.pa).toBe(0x11000);
  });

  test('step 4: every stack is at 0x2FF000, in a page of its own', () => {
    const { run, dumps } = firstDump({ STEP: '4' });
    for (const [pid, pages] of dumps.virtual) {
      expect(pages[0x2ff]).toEqual([pid, 1, P | W | U]);
      expect(pages[0x100 + 0x40 * pid - 1]).toEqual([0, 0, 0]); // the old stack address is free
    }
    const stacks = new Set<number>();
    for (const pid of [1, 2, 3, 4]) stacks.add(run.lookup(run.pagetable(pid), 0x2ff000)!.pa);
    expect(stacks.size).toBe(4);
  });

  /** p-fork (FORCE_FORK) until all four processes run, plus a few more ticks. */
  function forked(defines: Record<string, string>): Run {
    const run = new Run(build({ defines: { ...GRADING, FORCE_FORK: '1', CHECK_REFCOUNTS: '1', ...defines } }));
    run.runUntil(() => run.runnable().length === 4, 40_000_000);
    const ticks = run.ticks;
    run.runUntil(() => run.ticks >= ticks + 5, 40_000_000);
    expect(run.panicked, run.lines.join('\n')).toBe(false);
    expect(run.runnable()).toEqual([1, 2, 3, 4]);
    return run;
  }

  test('step 5: fork copies every writable page; the child sees 0, the parent the pid', () => {
    const run = forked({ STEP: '5' });
    const code = new Set<number>();
    for (const pid of [1, 2, 3, 4]) {
      const m = run.lookup(run.pagetable(pid), 0x100000)!;
      expect(m.perm).toBe(P | W | U);
      expect(run.owner(m.pa / PAGESIZE)).toBe(pid);
      code.add(m.pa);
    }
    expect(code.size).toBe(4);
  });

  test('step 6: code pages are read-only and shared, one refcount per mapping, drawn darker', () => {
    const run = forked({ STEP: '6' });
    const code = run.lookup(run.pagetable(1), 0x100000)!;
    for (const pid of [2, 3, 4]) expect(run.lookup(run.pagetable(pid), 0x100000)).toEqual(code);
    expect(code.perm).toBe(P | U);
    expect(run.refcount(code.pa / PAGESIZE)).toBe(4);
    expect(run.owner(code.pa / PAGESIZE)).toBe(1);
    // Physical memory map: '1' in 0x0C, darkened to 0x04.
    const pn = code.pa / PAGESIZE;
    expect(run.cell(1 + Math.floor(pn / 64), 12 + (pn % 64))).toBe(0x0400 | '1'.charCodeAt(0));
    // The data page is still copied.
    const data = new Set([1, 2, 3, 4].map((pid) => run.lookup(run.pagetable(pid), 0x101000)!.pa));
    expect(data.size).toBe(4);
  });

  test('copy-on-write fork shares writable pages read-only until written', () => {
    const run = forked({ STEP: '7', COW: '1' });
    // The code page is shared as in step 6 ...
    const code = run.lookup(run.pagetable(1), 0x100000)!;
    expect(run.refcount(code.pa / PAGESIZE)).toBe(4);
    // ... and each process has written its stack and globals by now, so each has its own copy.
    const stacks = new Set([1, 2, 3, 4].map((pid) => run.lookup(run.pagetable(pid), 0x2ff000)!.pa));
    expect(stacks.size).toBe(4);
    for (const pid of [1, 2, 3, 4]) {
      const stack = run.lookup(run.pagetable(pid), 0x2ff000)!;
      expect(stack.perm).toBe(P | W | U);
      expect(run.owner(stack.pa / PAGESIZE)).toBe(pid);
    }
  });

  // Process 1 forks a child that takes 8 pages; the parent fills memory,
  // the child exits, and the parent forks again with little memory free.
  // Row 23 column 60 holds the phase, column 61 the second fork's result.
  const OOM = String.raw`
#include "process.h"
#include "lib.h"
extern uint8_t end[];
#define PHASE console[CPOS(23, 60)]
#define RESULT console[CPOS(23, 61)]
static void set_phase(char c) {
    PHASE = c | 0x0700;
}
static void wait_for_phase(char c) {
    while ((PHASE & 0xFF) != c) {
        sys_yield();
    }
}
void process_main(void) {
    uint8_t* heap = ROUNDUP((uint8_t*) end, PAGESIZE);
    uint8_t* stack_bottom = ROUNDDOWN((uint8_t*) read_rsp() - 1, PAGESIZE);
    set_phase('a');
    pid_t child = sys_fork();
    assert(child >= 0);
    if (child == 0) {
        for (int i = 0; i < 8; ++i) {
            assert(sys_page_alloc(heap) == 0);
            *heap = 2;
            heap += PAGESIZE;
        }
        set_phase('b');
        wait_for_phase('c');
        set_phase('d');
        sys_exit();
    }
    wait_for_phase('b');
    while (heap != stack_bottom && sys_page_alloc(heap) == 0) {
        *heap = 1;
        heap += PAGESIZE;
    }
    set_phase('c');
    wait_for_phase('d');
    sys_yield();
    sys_yield();
    set_phase('e');
    sys_yield();
    pid_t r = sys_fork();
    if (r == 0) {
        while (1) {
            sys_yield();
        }
    }
    RESULT = (r < 0 ? 'F' : 'S') | 0x0700;
    set_phase('f');
    while (1) {
        sys_yield();
    }
}
`;

  /** Runs the OOM program; returns the free-page count when each phase was first seen. */
  function outOfMemory(defines: Record<string, string>): { run: Run; free: Map<string, number> } {
    const run = new Run(build({ defines: { CHECK_REFCOUNTS: '1', ...defines }, files: { 'p-forkexit.c': OOM } }), 'forkexit');
    const free = new Map<string, number>();
    const phase = (): string => run.text(23, 60, 1);
    run.runUntil(() => {
      const p = phase();
      if (p === 'a' && !free.has('a')) {
        // Make memory small, so that filling it is quick: all but 40 free
        // pages become the kernel's, as if the kernel image were bigger.
        let keep = 40;
        const pageinfo = run.address('pageinfo');
        for (let pn = 0; pn < 512; pn++) {
          if (run.refcount(pn) === 0 && keep-- <= 0) {
            run.machine.memory.write8(pageinfo + 2 * pn, 0xfe);
            run.machine.memory.write8(pageinfo + 2 * pn + 1, 1);
          }
        }
      }
      if (p.trim() !== '' && !free.has(p)) free.set(p, run.freePages());
      return p === 'f';
    }, 150_000_000);
    expect([...free.keys()].join(''), run.lines.join('\n')).toBe('abcdef');
    // A few more traps, each running the checks.
    run.runUntil(() => false, run.executed + 3_000_000);
    expect(run.panicked, run.lines.join('\n')).toBe(false);
    return { run, free };
  }

  test('step 7: exit frees everything; a fork that runs out of memory is undone without a leak', () => {
    const { run, free } = outOfMemory({ STEP: '7' });
    expect(free.get('c')).toBe(0);
    // The child's exit gave back its 8 heap pages, its copies and its page tables.
    expect(free.get('e')).toBeGreaterThan(8 + 5);
    expect(run.text(23, 61, 1)).toBe('F');
    expect(free.get('f')).toBe(free.get('e'));
    expect(run.freePages()).toBe(free.get('e'));
  });

  test('copy-on-write: a fork with little memory left succeeds, copying nothing until written', () => {
    const { run, free } = outOfMemory({ STEP: '7', COW: '1' });
    expect(run.text(23, 61, 1)).toBe('S');
    // Page tables and a couple of copies (the stacks written since), not the parent's dozens of pages.
    expect(free.get('e')! - free.get('f')!).toBeLessThan(10);
    expect(run.runnable().length).toBe(2);
  });

  // Processes allocate, write, fork and exit at random; a child checks that
  // it still sees what its parent wrote before the fork. Row 23 counts forks
  // (column 70) and exits (column 72) from ' ' up.
  const STRESS = String.raw`
#include "process.h"
#include "lib.h"
extern uint8_t end[];
uint8_t* heap_bottom;
uint8_t* heap_top;
uint8_t* stack_bottom;
void process_main(void) {
    pid_t p = sys_getpid();
    srand(p);
    heap_bottom = heap_top = ROUNDUP((uint8_t*) end, PAGESIZE);
    stack_bottom = ROUNDDOWN((uint8_t*) read_rsp() - 1, PAGESIZE);
    while (1) {
        int x = rand() % 16;
        if (x < 5) {
            if (heap_top != stack_bottom && sys_page_alloc(heap_top) >= 0) {
                *heap_top = p;
                heap_top += PAGESIZE;
            }
        } else if (x < 8) {
            uint8_t* q = heap_top != heap_bottom ? heap_top - PAGESIZE : NULL;
            uint8_t v = (uint8_t) rand();
            if (q) {
                *q = v;
            }
            pid_t child = sys_fork();
            if (child == 0) {
                p = sys_getpid();
                srand(p);
                ++console[CPOS(23, 70)];
                sys_yield();
                sys_yield();
                if (q) {
                    assert(*q == v);
                }
            } else if (child > 0 && q) {
                *q = (uint8_t) (v + 1);
            }
        } else if (x < 9) {
            if (p != 1) {
                ++console[CPOS(23, 72)];
                sys_exit();
            }
        } else if (x < 12) {
            if (heap_top != heap_bottom) {
                int n = (heap_top - heap_bottom) / PAGESIZE;
                heap_bottom[PAGESIZE * (rand() % n) + rand() % PAGESIZE] = p;
            }
        } else {
            sys_yield();
        }
    }
}
`;

  test.each([['copying', '0'], ['copy-on-write', '1']])('fork, exit and writes at random keep refcounts exact (%s)', (_, cow) => {
    const run = new Run(build({ defines: { STEP: '7', COW: cow, CHECK_REFCOUNTS: '1' }, files: { 'p-forkexit.c': STRESS } }), 'forkexit');
    const counter = (col: number): number => (run.cell(23, col) & 0xff) - 0x20;
    run.runUntil(() => run.panicked || (counter(70) >= 10 && counter(72) >= 6), 150_000_000, 1_000_000);
    expect(run.panicked, run.lines.join('\n')).toBe(false);
    expect(counter(70)).toBeGreaterThanOrEqual(10);
    expect(counter(72)).toBeGreaterThanOrEqual(6);
  });
});
