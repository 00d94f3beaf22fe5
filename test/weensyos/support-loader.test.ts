// program_load (k-loader.c), the six embedded program images, and the user
// side of the library (process.h's system calls, app_printf, the
// process-side panic and assert in process.c), run on the machine. The
// expected values come from /work/shared/weensyos/FACTS.md, sections 5, 8
// and 9.

import { describe, expect, it } from 'vitest';
import { WEENSY_PROGRAMS, weensyosFile, type LinkedImage } from '../../emulator/index';
import { Reg } from '../../emulator/machine/isa/opcodes';
import {
  KERNEL_PRELUDE, assertLine, buildKernel, buildWeensy, cells, describeRun, expectPoweroff, expectPrintedLine,
  logValues, painted, read32, read64, runImage, symbol, type KernelRun, SLOW,
} from './kernel-harness';

// ------------------------------------------------------------ program_load

const LOADER_KERNEL = String.raw`${KERNEL_PRELUDE}
int test_case = -1;
static x86_64_pagetable own[4];
static x86_64_pagetable empty_root;

void exception(x86_64_registers* reg) {
    panic("Unexpected exception %d!\n", (int) reg->reg_intno);
}

static void log_lookup(const char* name, x86_64_pagetable* pt, uintptr_t va) {
    vamapping m = virtual_memory_lookup(pt, va);
    log_printf("%s=%d %lx %x\n", name, m.pn, m.pa, m.perm);
}

static void load(int pid, int program, x86_64_pagetable* pt) {
    proc* p = &processes[pid];
    process_init(p, 0);
    p->p_pid = pid;
    p->p_pagetable = pt;
    log_assign = 1;
    int r = program_load(p, program, NULL);
    log_assign = 0;
    log_printf("load=%d rip=%lx cr3=%lx\n", r, p->p_registers.reg_rip, rcr3());
}

void kernel(const char* command) {
    (void) command;
    hardware_init();
    console_clear();
    if (test_case >= 0 && test_case < 6) {
        /* Program test_case into pid 5, over pages full of 0xEE. */
        uintptr_t base = test_case < 4 ? 0x100000 + 0x40000 * test_case : 0x100000;
        memset((void*) base, 0xEE, 3 * PAGESIZE);
        load(5, test_case, kernel_pagetable);
        log_lookup("text", kernel_pagetable, base);
        log_lookup("data", kernel_pagetable, base + PAGESIZE);
        log_printf("owners=%d/%d %d/%d %d/%d\n",
                   pageinfo[PAGENUMBER(base)].owner, pageinfo[PAGENUMBER(base)].refcount,
                   pageinfo[PAGENUMBER(base) + 1].owner, pageinfo[PAGENUMBER(base) + 1].refcount,
                   pageinfo[PAGENUMBER(base) + 2].owner, pageinfo[PAGENUMBER(base) + 2].refcount);
    } else if (test_case == 10) {
        /* A process page table without the user area, and a kernel page table
           without 0x100000-0x13FFFF: the loader must copy through the process's. */
        x86_64_pagetable* l2 = (x86_64_pagetable*) PTE_ADDR(kernel_pagetable->entry[0]);
        x86_64_pagetable* l3 = (x86_64_pagetable*) PTE_ADDR(l2->entry[0]);
        memset(own, 0, sizeof(own));
        own[0].entry[0] = (uintptr_t) &own[1] | PTE_P | PTE_W | PTE_U;
        own[1].entry[0] = (uintptr_t) &own[2] | PTE_P | PTE_W | PTE_U;
        own[2].entry[0] = (uintptr_t) &own[3] | PTE_P | PTE_W | PTE_U;
        memcpy(&own[3], (void*) PTE_ADDR(l3->entry[0]), PAGESIZE / 2);
        memset((void*) 0x100000, 0xEE, 2 * PAGESIZE);
        virtual_memory_map(kernel_pagetable, 0x100000, 0, 0x40000, 0, NULL);
        tlbflush();
        load(2, 0, &own[0]);
        log_lookup("own_text", &own[0], 0x100000);
        log_lookup("own_data", &own[0], 0x101000);
        log_lookup("own_heap", &own[0], 0x102000);
        log_lookup("kernel_text", kernel_pagetable, 0x100000);
    } else if (test_case == 11) {
        /* The data page is taken: assign_physical_page fails. */
        assign_physical_page(0x101000, 9);
        load(3, 0, kernel_pagetable);
    } else if (test_case == 12) {
        /* No page tables and no allocator: virtual_memory_map fails. */
        load(4, 1, &empty_root);
        log_printf("owner=%d\n", pageinfo[PAGENUMBER(0x140000)].owner);
    } else if (test_case == 15) {
        (void) __builtin_ws_int(100, 0);
    } else if (test_case == 13) {
        load(1, 6, kernel_pagetable);
    } else if (test_case == 14) {
        load(1, -1, kernel_pagetable);
    }
    log_printf("done=1\n");
    poweroff();
}
`;

const loaderBuild = () => buildWeensy(LOADER_KERNEL, { defines: { TICK_LIMIT: '1' } });
const loaderCase = (n: number): KernelRun => {
  const run = runImage(loaderBuild().kernel!, { poke: { test_case: n } });
  expectPoweroff(run);
  return run;
};

interface ElfSegment { type: number; flags: number; offset: number; va: number; filesz: number; memsz: number }
interface Elf { magic: number; entry: number; phoff: number; phentsize: number; phnum: number; segments: ElfSegment[] }

/** Reads an ELF64 header and its program headers from physical memory at `at` (FACTS.md section 9 offsets). */
function readElf(run: KernelRun, at: number): Elf {
  const m = run.machine;
  const n64 = (a: number) => Number(read64(m, a));
  const u16 = (a: number) => read32(m, a) & 0xffff;
  const phoff = n64(at + 0x20);
  const phentsize = u16(at + 0x36);
  const phnum = u16(at + 0x38);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = at + phoff + i * phentsize;
    segments.push({
      type: read32(m, ph), flags: read32(m, ph + 4), offset: n64(ph + 8), va: n64(ph + 0x10),
      filesz: n64(ph + 0x20), memsz: n64(ph + 0x28),
    });
  }
  return { magic: read32(m, at), entry: n64(at + 0x18), phoff, phentsize, phnum, segments };
}

const blobName = (program: string) => `_binary_obj_${program.replace(/-/g, '_')}`;

describe('the embedded program images', SLOW, () => {
  it('are ELF files between the _binary_obj_p_*_start/_end symbols, loading at the facts addresses with entry process_main', () => {
    const build = loaderBuild();
    const run = loaderCase(99);
    const bases = [0x100000, 0x140000, 0x180000, 0x1c0000, 0x100000, 0x100000];
    expect(build.programs.map((p) => p.name)).toEqual(['p-allocator', 'p-allocator2', 'p-allocator3', 'p-allocator4', 'p-fork', 'p-forkexit']);
    build.programs.forEach((program, i) => {
      const start = symbol(run.image, `${blobName(program.name)}_start`);
      const end = symbol(run.image, `${blobName(program.name)}_end`);
      const elf = readElf(run, start);
      expect(elf.magic, program.name).toBe(0x464c457f);
      expect(elf.phentsize).toBe(56);
      expect(elf.entry, `${program.name} entry`).toBe(symbol(program.image, 'process_main'));
      const loads = elf.segments.filter((s) => s.type === 1);
      expect(loads.length).toBe(2);
      // Text (read + execute) at the base, data and bss (read + write) on the next page.
      expect(loads[0]!.va, program.name).toBe(bases[i]);
      expect(loads[0]!.flags).toBe(4 | 1);
      expect(loads[1]!.va).toBe(bases[i]! + 0x1000);
      expect(loads[1]!.flags).toBe(4 | 2);
      for (const seg of loads) {
        expect(seg.offset + seg.filesz).toBeLessThanOrEqual(end - start);
        expect(seg.memsz).toBeGreaterThanOrEqual(seg.filesz);
        // The file bytes are the program image's.
        const image = program.image.segments.find((s) => s.va === seg.va)!;
        expect(Array.from(run.machine.memory.readBytes(start + seg.offset, seg.filesz))).toEqual(Array.from(image.bytes));
      }
    });
  });

  it('p-allocator: one page of text, and a data/bss segment of filesz 0, memsz 0x18 (the VERIFIED-BUILD layout)', () => {
    const run = loaderCase(99);
    for (const name of ['p-allocator', 'p-allocator2', 'p-allocator3', 'p-allocator4']) {
      const elf = readElf(run, symbol(run.image, `${blobName(name)}_start`));
      const [text, data] = elf.segments.filter((s) => s.type === 1);
      expect(text!.memsz, name).toBeLessThanOrEqual(0x1000);
      expect(data!.filesz, name).toBe(0);
      expect(data!.memsz, name).toBe(0x18);
    }
  });

  it('the builder lists the programs in program-number order', () => {
    expect(WEENSY_PROGRAMS.map((p) => [p.name, p.base])).toEqual([
      ['p-allocator', 0x100000], ['p-allocator2', 0x140000], ['p-allocator3', 0x180000],
      ['p-allocator4', 0x1c0000], ['p-fork', 0x100000], ['p-forkexit', 0x100000],
    ]);
  });
});

describe('program_load', SLOW, () => {
  for (let program = 0; program < 6; program++) {
    it(`loads program ${program} (${WEENSY_PROGRAMS[program]!.name}): assigns its pages to the process, maps them P|W|U, copies the file bytes, zeroes the bss, sets rip`, () => {
      const run = loaderCase(program);
      const image: LinkedImage = loaderBuild().programs[program]!.image;
      const base = image.segments[0]!.va;
      const v = logValues(run);
      // One assign_physical_page(page, pid) per page of every segment, in order.
      const pages = image.segments.flatMap((s) => {
        const out: number[] = [];
        for (let a = s.va - (s.va % 4096); a < s.va + s.memSize; a += 4096) out.push(a);
        return out;
      });
      expect(run.log.split('\n').filter((l) => l.startsWith('assign '))).toEqual(pages.map((a) => `assign 0x${a.toString(16)} 5`));
      expect(v.get('load'), describeRun(run)).toBe(`0 rip=${symbol(image, 'process_main').toString(16)} cr3=${symbol(run.image, 'kernel_pagetables').toString(16)}`);
      expect(v.get('text')).toBe(`${base / 4096} ${base.toString(16)} 7`);
      expect(v.get('data')).toBe(`${base / 4096 + 1} ${(base + 0x1000).toString(16)} 7`);
      expect(v.get('owners')).toBe('5/1 5/1 0/0');
      // Memory: file bytes, then zeros up to memsz, then the page's old contents (0xEE).
      for (const s of image.segments) {
        const got = Array.from(run.machine.memory.readBytes(s.va, 0x1000 - (s.va % 0x1000)));
        const expected = [...Array.from(s.bytes), ...Array(s.memSize - s.fileSize).fill(0)];
        expect(got.slice(0, s.memSize), `segment at 0x${s.va.toString(16)}`).toEqual(expected);
        expect(got.slice(s.memSize).every((b) => b === 0xee), 'bytes past memsz untouched').toBe(true);
      }
      expect(run.machine.memory.read8(base + 0x2000)).toBe(0xee);
    });
  }

  it("copies through the process's own page table, maps identity there, and switches back to kernel_pagetable", () => {
    const run = loaderCase(10);
    const v = logValues(run);
    const image = loaderBuild().programs[0]!.image;
    expect(v.get('load'), describeRun(run)).toBe(`0 rip=${symbol(image, 'process_main').toString(16)} cr3=${symbol(run.image, 'kernel_pagetables').toString(16)}`);
    expect(v.get('own_text')).toBe('256 100000 7');
    expect(v.get('own_data')).toBe('257 101000 7');
    expect(v.get('own_heap')).toBe(`-1 ${'f'.repeat(16)} 0`);
    expect(v.get('kernel_text')).toBe(`-1 ${'f'.repeat(16)} 0`);
    const text = image.segments[0]!;
    expect(Array.from(run.machine.memory.readBytes(0x100000, text.fileSize))).toEqual(Array.from(text.bytes));
    expect(Array.from(run.machine.memory.readBytes(0x101000, 0x18))).toEqual(Array(0x18).fill(0));
  });

  it("returns -1 and prints the failure at CPOS(22, 0) in 0xC000 when a page cannot be assigned", () => {
    const run = loaderCase(11);
    expect(logValues(run).get('load')).toMatch(/^-1 /);
    expectPrintedLine(run, 22 * 80, "program_load_segment(pid 3): can't assign address 0x101000", 0xc000);
  });

  it('returns -1 with the same message when the page cannot be mapped', () => {
    const run = loaderCase(12);
    const v = logValues(run);
    expect(v.get('load')).toMatch(/^-1 /);
    expectPrintedLine(run, 22 * 80, "program_load_segment(pid 4): can't assign address 0x140000", 0xc000);
    // assign_physical_page ran first (the loader does not undo it).
    expect(run.log).toContain('assign 0x140000 4\n');
    expect(v.get('owner')).toBe('4');
  });

  it('(default_int_handler) a vector from 16 to 255 without a handler of its own reaches exception() as interrupt 0', () => {
    const run = loaderCase(15);
    expect(run.log).toBe('PANIC: Unexpected exception 0!\n');
  });

  it('asserts the program number is in [0, 6)', () => {
    const loader = weensyosFile('k-loader.c')!;
    const expr = 'programnumber >= 0 && programnumber < nprograms';
    const message = `PANIC: k-loader.c:${assertLine(loader, expr)}: assertion '${expr}' failed`;
    for (const n of [13, 14]) {
      const run = loaderCase(n);
      expectPrintedLine(run, 23 * 80, message, 0xc000);
      expect(run.log).toBe(`${message}\n`);
    }
  });
});

// ------------------------------------------------------------ the user side

/** A p-allocator.c of the test's own (the workspace's copy replaces the built-in one): process_main(mode). */
const USER_PROGRAM = String.raw`#include "process.h"
#include "lib.h"

void process_main(int mode) {
    pid_t p = sys_getpid();
    if (mode == 0) {
        int r = sys_page_alloc((void*) 0x120000);
        *(volatile int*) 0x120000 = 1234;
        int bad = sys_page_alloc((void*) 0x120001);
        int again = sys_page_alloc((void*) 0x120000);
        sys_yield();
        app_printf(0, "pid=%d r=%d v=%d bad=%d again=%d", p, r, *(volatile int*) 0x120000, bad, again);
        sys_panic((const char*) 0x5a5a);
    } else if (mode == 1) {
        panic("user boom %d", 7);
    } else if (mode == 2) {
        assert(p == 99);
    } else if (mode == 4) {
        (void) __builtin_ws_int(60, 0x77);
    } else if (mode == 5) {
        (void) __builtin_ws_int(100, 0);
    } else if (mode == 6) {
        volatile int zero = 0;
        volatile int x = 5 / zero;
        (void) x;
    } else if (mode == 3) {
        cursorpos = CPOS(21, 0);
        for (int i = -1; i <= 5; i++) {
            app_printf(i, "%d", i);
        }
        app_printf(0, "\n");
        int before = cursorpos;
        app_printf(1, "x\n");
        int wrapped = cursorpos;
        app_printf(2, "top");
        sys_panic((const char*) (uintptr_t) (before * 10000 + wrapped));
    }
    sys_panic(0);
}
`;

const USER_KERNEL = String.raw`${KERNEL_PRELUDE}
int test_case = -1;
static x86_64_registers first_frame;
static int getpids;

void exception(x86_64_registers* reg) {
    current->p_registers = *reg;
    set_pagetable(kernel_pagetable);
    switch (reg->reg_intno) {
    case INT_SYS_GETPID:
        if (getpids++ == 0) {
            first_frame = *reg;
            log_printf("frame=%p\n", reg);
        }
        current->p_registers.reg_rax = current->p_pid;
        break;
    case INT_SYS_YIELD:
        log_printf("yield\n");
        break;
    case INT_SYS_PAGE_ALLOC: {
        uintptr_t addr = current->p_registers.reg_rdi;
        int r = assign_physical_page(addr, current->p_pid);
        if (r >= 0) {
            virtual_memory_map(current->p_pagetable, addr, addr, PAGESIZE, PTE_P | PTE_W | PTE_U, NULL);
        }
        current->p_registers.reg_rax = r;
        log_printf("page_alloc %p %d\n", addr, r);
        break;
    }
    case INT_SYS_PANIC:
        log_printf("sys_panic rdi=%p cursorpos=%d\n", reg->reg_rdi, cursorpos);
        poweroff();
    default:
        panic("Unexpected exception %d!\n", (int) reg->reg_intno);
    }
    run(current);
}

void kernel(const char* command) {
    (void) command;
    hardware_init();
    console_clear();
    proc* p = &processes[5];
    process_init(p, 0);
    p->p_pid = 5;
    p->p_pagetable = kernel_pagetable;
    int r = program_load(p, 0, NULL);
    assert(r >= 0);
    p->p_registers.reg_rsp = 0x180000;
    assign_physical_page(0x17F000, 5);
    virtual_memory_map(kernel_pagetable, 0x17F000, 0x17F000, PAGESIZE, PTE_P | PTE_W | PTE_U, NULL);
    p->p_registers.reg_rdi = test_case;
    p->p_registers.reg_rbx = 0x1111111111111111;
    p->p_registers.reg_rcx = 0x2222222222222222;
    p->p_registers.reg_rdx = 0x3333333333333333;
    p->p_registers.reg_rsi = 0x4444444444444444;
    p->p_registers.reg_r8 = 0x8888888888888888;
    p->p_registers.reg_r9 = 0x9999999999999999;
    p->p_registers.reg_r10 = 0x1010101010101010;
    p->p_registers.reg_r11 = 0x1111111111111100;
    p->p_registers.reg_r12 = 0x1212121212121212;
    p->p_registers.reg_r13 = 0x1313131313131313;
    p->p_registers.reg_r14 = 0x1414141414141414;
    p->p_registers.reg_r15 = 0x1515151515151515;
    p->p_state = P_RUNNABLE;
    run(p);
}
`;

const userImage = () => buildKernel(USER_KERNEL, { defines: { TICK_LIMIT: '1' }, files: { 'p-allocator.c': USER_PROGRAM } });
const userCase = (mode: number): KernelRun => {
  const run = runImage(userImage(), { poke: { test_case: mode } });
  expectPoweroff(run);
  return run;
};

describe('system calls from a process', SLOW, () => {
  it('getpid returns the pid in rax; page_alloc takes the address in rdi and returns 0 or -1 in rax; yield returns', () => {
    const run = userCase(0);
    expect(run.log).toBe([
      // The trap frame sits at the top of the kernel stack (TSS rsp0 = KERNEL_STACK_TOP).
      `frame=0x${(0x80000 - 192).toString(16)}`,
      'page_alloc 0x120000 0', 'page_alloc 0x120001 -1', 'page_alloc 0x120000 -1', 'yield',
      `sys_panic rdi=0x5a5a cursorpos=${'pid=5 r=0 v=1234 bad=-1 again=-1'.length}`, '',
    ].join('\n'));
    expect(run.lines[0]).toBe('pid=5 r=0 v=1234 bad=-1 again=-1');
    expect(cells(run, 0, 0, 3)).toEqual(painted('pid', 0x0e00));
    expect(read32(run.machine, 0x120000)).toBe(1234);
  });

  it('only rax changes across a system call: the kernel restores every other register', () => {
    const first = userCase(0);
    const frameAt = symbol(first.image, 'first_frame');
    const m0 = first.machine;
    const frame = (off: number) => read64(m0, frameAt + off);
    // x86_64_registers: rax rcx rdx rbx rbp rsi rdi r8..r15 (0..14), then fs gs intno err rip cs rflags rsp ss.
    expect(frame(136)).toBe(49n); // reg_intno: INT_SYS_GETPID
    const rip = Number(frame(152));
    expect(rip).toBeGreaterThan(0x100000);
    // Run again and stop at the instruction after the `int`, back in user mode.
    const second = runImage(userImage(), { poke: { test_case: 0 }, limit: 0 });
    const m = second.machine;
    m.breakpoints.add(rip);
    const stop = m.run(5_000_000);
    expect(stop).toEqual({ kind: 'breakpoint', rip });
    expect(m.cpu.cs & 3).toBe(3);
    const reg = (r: number) => (BigInt(m.cpu.regs[2 * r + 1]! >>> 0) << 32n) | BigInt(m.cpu.regs[2 * r]! >>> 0);
    const order = [Reg.RAX, Reg.RCX, Reg.RDX, Reg.RBX, Reg.RBP, Reg.RSI, Reg.RDI, 8, 9, 10, 11, 12, 13, 14, 15];
    order.forEach((r, i) => {
      expect(reg(r), `register ${r}`).toBe(r === Reg.RAX ? 5n : frame(8 * i));
    });
    expect(BigInt(reg(Reg.RSP))).toBe(frame(176));
    expect(BigInt(m.cpu.rflags >>> 0)).toBe(frame(168));
    // The registers the kernel gave the process at first are still there, where the program left them alone.
    expect(frame(8 * 14)).toBe(0x1515151515151515n);
  });
});

describe('traps from a process', SLOW, () => {
  it('an unused system call number (48-63, DPL 3) reaches exception() with its number', () => {
    const run = userCase(4);
    expect(run.log).toBe('frame=0x7ff40\nPANIC: Unexpected exception 60!\n');
  });

  it('int to a kernel-only vector (DPL 0) becomes a general protection fault (13)', () => {
    const run = userCase(5);
    expect(run.log).toBe('frame=0x7ff40\nPANIC: Unexpected exception 13!\n');
  });

  it('a divide error, whose gate is not installed, double-faults and then shuts the machine down', () => {
    // FACTS.md section 3 says a user #DE ends in "Unexpected exception 13!".
    // But #DE and the #GP raised by its empty gate are both contributory
    // exceptions, so the CPU raises a double fault (Intel SDM Table 6-5; QEMU's
    // check_exception does the same), and gate 8 is not installed either:
    // a triple fault. int3 (a software interrupt) would give a plain #GP.
    const run = runImage(userImage(), { poke: { test_case: 6 } });
    expect(run.stop.kind, describeRun(run)).toBe('shutdown');
    if (run.stop.kind === 'shutdown') {
      expect(run.stop.diagnosis.text).toContain('#DE divide error');
      expect(run.stop.diagnosis.text).toContain('#DF double fault');
    }
    expect(run.log).toBe('frame=0x7ff40\n');
  });
});

describe('app_printf', SLOW, () => {
  it('prints at cursorpos in the colour for colorid, and wraps the cursor to 0 once it reaches row 23', () => {
    const run = userCase(3);
    // colorid -1: 0x0700; 0..4: 0x0E, 0x0F, 0x0C, 0x0A, 0x09; 5 wraps to 0x0E.
    expect(cells(run, 21, 0, 9)).toEqual([
      ...painted('-1', 0x0700), ...painted('0', 0x0e00), ...painted('1', 0x0f00), ...painted('2', 0x0c00),
      ...painted('3', 0x0a00), ...painted('4', 0x0900), ...painted('5', 0x0e00), ...painted(' ', 0x0e00),
    ]);
    expect(cells(run, 22, 0, 2)).toEqual(painted('x ', 0x0f00));
    expect(cells(run, 0, 0, 4)).toEqual([...painted('top', 0x0c00), 0x0720]);
    // before = CPOS(22, 0); after "x\n" the cursor reached CPOS(23, 0) and wrapped to 0; "top" left it at 3.
    expect(run.log).toBe(`frame=0x7ff40\nsys_panic rdi=0x${(22 * 80 * 10000).toString(16)} cursorpos=3\n`);
  });
});

describe('panic and assert in a process', SLOW, () => {
  it('panic prints "PANIC: ..." at row 23 in 0xC000, then calls sys_panic(NULL)', () => {
    const run = userCase(1);
    expectPrintedLine(run, 23 * 80, 'PANIC: user boom 7', 0xc000);
    expect(run.log).toBe(`frame=0x7ff40\nsys_panic rdi=0x0 cursorpos=0\n`);
  });

  it('assert panics with "<file>:<line>: assertion \'<expr>\' failed"', () => {
    const run = userCase(2);
    const line = USER_PROGRAM.split('\n').findIndex((l) => l.includes('assert(p == 99);')) + 1;
    expectPrintedLine(run, 23 * 80, `PANIC: p-allocator.c:${line}: assertion 'p == 99' failed`, 0xc000);
    expect(run.log).toBe(`frame=0x7ff40\nsys_panic rdi=0x0 cursorpos=0\n`);
  });
});
