// The WeensyOS runner on real builds: a small kernel written here, whose
// MODE macro makes it stop each way the runner must recognise (power-off,
// panic, a kernel with nothing to run, a triple fault, a user fault), keys
// pressed at ticks, and the same run twice giving the same log.

import { describe, expect, it } from 'vitest';
import { buildWeensyOS, formatDiagnostic, runWeensyOS, type LinkedImage, type WeensyRunOptions, type WeensyRunSummary } from '../../emulator/index';

/** A minimal WeensyOS kernel: four allocators on the kernel's page table, round-robin, a log line per tick. */
const MINI_KERNEL = `#include "kernel.h"
#ifndef MODE
#define MODE 0
#endif
#if MODE == 6
#define ticks my_tick_count
#endif
static proc processes[NPROC];
proc* current;
static unsigned ticks;
typedef struct physical_pageinfo { int8_t owner; int8_t refcount; } physical_pageinfo;
static physical_pageinfo pageinfo[NPAGES];

int assign_physical_page(uintptr_t addr, int8_t owner) {
    if ((addr & 0xFFF) != 0 || addr >= MEMSIZE_PHYSICAL || pageinfo[PAGENUMBER(addr)].refcount != 0) return -1;
    pageinfo[PAGENUMBER(addr)].refcount = 1;
    pageinfo[PAGENUMBER(addr)].owner = owner;
    return 0;
}

void run(proc* p) {
    current = p;
    set_pagetable(p->p_pagetable);
    exception_return(&p->p_registers);
}

void schedule(void) {
    pid_t pid = current->p_pid;
    while (1) {
        pid = (pid + 1) % NPROC;
        if (processes[pid].p_state == P_RUNNABLE) run(&processes[pid]);
        check_keyboard();
    }
}

void kernel(const char* command) {
    hardware_init();
    console_clear();
    timer_init(100);
    for (int i = 0; i < NPROC; i++) { processes[i].p_pid = i; processes[i].p_state = P_FREE; }
    for (pid_t i = 1; i <= 4; i++) {
        proc* p = &processes[i];
        process_init(p, 0);
        p->p_pagetable = kernel_pagetable;
        int r = program_load(p, i - 1, NULL);
        assert(r >= 0);
        p->p_registers.reg_rsp = PROC_START_ADDR + 0x40000 * i;
        uintptr_t stack = p->p_registers.reg_rsp - PAGESIZE;
        assign_physical_page(stack, i);
        virtual_memory_map(p->p_pagetable, stack, stack, PAGESIZE, MODE == 5 ? PTE_P | PTE_W : PTE_P | PTE_W | PTE_U, NULL);
        p->p_state = P_RUNNABLE;
    }
    console_printf(CPOS(0, 0), 0x0F00, "mini kernel, mode %d, command %s", MODE, command ? command : "(none)");
    run(&processes[1]);
}

void exception(x86_64_registers* reg) {
    current->p_registers = *reg;
    set_pagetable(kernel_pagetable);
    check_keyboard();
    switch (reg->reg_intno) {
    case INT_SYS_GETPID:
        current->p_registers.reg_rax = current->p_pid;
        break;
    case INT_SYS_YIELD:
        schedule();
        break;
    case INT_SYS_PAGE_ALLOC: {
        uintptr_t addr = current->p_registers.reg_rdi;
        int r = assign_physical_page(addr, current->p_pid);
        if (r >= 0) virtual_memory_map(current->p_pagetable, addr, addr, PAGESIZE, PTE_P | PTE_W | PTE_U, NULL);
        current->p_registers.reg_rax = r;
        break;
    }
    case INT_TIMER:
        ++ticks;
        log_printf("tick %u\\n", ticks);
#if TICK_LIMIT
        if (ticks == TICK_LIMIT) poweroff();
#endif
#if MODE == 1
        if (ticks == 5) panic("tick %u is enough\\n", ticks);
#elif MODE == 2
        if (ticks == 3) for (int i = 1; i <= 4; i++) processes[i].p_state = P_BLOCKED;
#elif MODE == 3
        if (ticks == 2) lcr3(0x20000);
#endif
        schedule();
        break;
    default:
        panic("Unexpected exception %d!\\n", reg->reg_intno);
    }
    run(current);
}
`;

const builds = new Map<string, LinkedImage>();

/** The mini kernel built with `defines` (cached). */
function mini(defines: Record<string, string> = {}): LinkedImage {
  const key = JSON.stringify(defines);
  if (!builds.has(key)) {
    const files = new Map([['/mini/kernel.c', MINI_KERNEL]]);
    const b = buildWeensyOS({ host: { readFile: (p) => files.get(p) }, workspace: '/mini', defines: new Map(Object.entries(defines)) });
    expect(b.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    builds.set(key, b.kernel!);
  }
  return builds.get(key)!;
}

function run(kernel: LinkedImage, options: WeensyRunOptions = {}): { s: WeensyRunSummary; log: string } {
  const bytes: number[] = [];
  const s = runWeensyOS(kernel, { maxInstructions: 500_000_000, ...options, log: (b) => bytes.push(b) });
  return { s, log: String.fromCharCode(...bytes) };
}

const SLOW = { timeout: 120_000 };

describe('runWeensyOS', () => {
  it('stops at the tick limit, reading ticks from the kernel', SLOW, () => {
    const { s, log } = run(mini(), { tickLimit: 10, sliceInstructions: 20_000 });
    expect(s.stop).toBe('tick-limit');
    // Slices are small near the limit: the run stops within a tick of it.
    expect(s.ticks).toBeGreaterThanOrEqual(10);
    expect(s.ticks).toBeLessThan(12);
    expect(s.ticksEstimated).toBe(false);
    expect(s.message).toBe(`Stopped at tick ${s.ticks}, the tick limit.`);
    expect(log).toContain('tick 10\n');
    expect(s.instructions).toBeGreaterThan(s.userInstructions);
    expect(s.userInstructions).toBeGreaterThan(0);
    expect(s.panic).toBeUndefined();
  });

  it('stops when the kernel powers off', SLOW, () => {
    const { s, log } = run(mini({ TICK_LIMIT: '7' }));
    expect(s.stop).toBe('poweroff');
    expect(s.ticks).toBe(7);
    expect(s.message).toBe('The kernel powered off at tick 7.');
    expect(log.trimEnd().split('\n').pop()).toBe('tick 7');
  });

  it('stops at a panic, with its message', SLOW, () => {
    const { s } = run(mini({ MODE: '1' }));
    expect(s.stop).toBe('panic');
    expect(s.panic).toBe('PANIC: tick 5 is enough');
    expect(s.message).toBe('The kernel panicked at tick 5: PANIC: tick 5 is enough');
  });

  it("with until 'poweroff', runs on after a panic; the kernel then waits for a key and is found spinning", SLOW, () => {
    const { s } = run(mini({ MODE: '1' }), { until: 'poweroff', spinInstructions: 5_000_000 });
    expect(s.stop).toBe('spinning');
    expect(s.panic).toBe('PANIC: tick 5 is enough');
    expect(s.message).toMatch(/^The kernel ran [\d,]+ instructions at tick 5 without a timer tick or a user instruction: after its panic, it waits for a key\.$/);
  });

  it('a panic with TICK_LIMIT powers off: the stop is the panic', SLOW, () => {
    const { s } = run(mini({ MODE: '1', TICK_LIMIT: '100' }));
    expect(s.panic).toBe('PANIC: tick 5 is enough');
    expect(['panic', 'poweroff']).toContain(s.stop);
  });

  it('finds a kernel with nothing runnable spinning in the scheduler', SLOW, () => {
    const { s } = run(mini({ MODE: '2' }), { spinInstructions: 5_000_000 });
    expect(s.stop).toBe('spinning');
    expect(s.ticks).toBe(3);
    expect(s.message).toMatch(/without a timer tick or a user instruction: no process is runnable and the scheduler loops/);
    expect(s.panic).toBeUndefined();
  });

  it('reports a triple fault with the diagnosis', SLOW, () => {
    const { s } = run(mini({ MODE: '3' }));
    expect(s.stop).toBe('triple-fault');
    expect(s.message).toBe('The CPU shut down (triple fault) at tick 2.');
    expect(s.diagnosis).toMatch(/^Triple fault: the CPU shut down at rip 0x[0-9a-f]+ \(CPL 0, address space CR3 = 0x20000\)/);
    expect(s.lastFault).toMatchObject({ vector: 14, user: false });
  });

  it("with until 'fault', stops at a user page fault before delivery, the error code decoded", SLOW, () => {
    const { s } = run(mini({ MODE: '5' }), { until: 'fault' });
    expect(s.stop).toBe('fault');
    // The stack page lacks PTE_U: the first push is a user write to a present page.
    expect(s.lastFault).toMatchObject({ vector: 14, name: '#PF page fault', errorCode: 7, errorBits: ['protection violation', 'write', 'user'], user: true });
    expect(s.lastFault!.address! >>> 12).toBe(0x13f);
    expect(s.message).toMatch(/^Stopped at a fault at tick 0, before the CPU delivered it: #PF page fault at rip 0x10[0-9a-f]{4} \(user mode\), address 0x13f[0-9a-f]{3}, error code 0x7 \(protection violation, write, user\)/);
  });

  it('without until fault, the same fault is delivered: the kernel panics', SLOW, () => {
    const { s } = run(mini({ MODE: '5' }));
    expect(s.stop).toBe('panic');
    expect(s.panic).toBe('PANIC: Unexpected exception 14!');
    expect(s.lastFault).toMatchObject({ vector: 14, user: true, errorCode: 7 });
  });

  it('presses keys at ticks: q powers off', SLOW, () => {
    const { s } = run(mini(), { keys: [{ key: 'q'.charCodeAt(0), tick: 6 }], tickLimit: 50, sliceInstructions: 20_000 });
    expect(s.stop).toBe('poweroff');
    expect(s.ticks).toBeGreaterThanOrEqual(6);
    expect(s.ticks).toBeLessThan(9);
  });

  it('estimates ticks for a kernel without a ticks variable', SLOW, () => {
    const { s } = run(mini({ MODE: '6' }), { tickLimit: 5, instructionsPerTick: 50, sliceInstructions: 20_000 });
    expect(s.ticksEstimated).toBe(true);
    expect(s.stop).toBe('tick-limit');
    expect(s.ticks).toBe(Math.floor(s.userInstructions / 50));
  });

  it('stops at the instruction budget', SLOW, () => {
    const { s } = run(mini(), { maxInstructions: 3_000_000, sliceInstructions: 1_000_000 });
    expect(s.stop).toBe('budget');
    expect(s.instructions).toBe(3_000_000);
  });

  it('calls back after every slice, and stops when asked', SLOW, () => {
    const seen: number[] = [];
    const { s } = run(mini(), {
      sliceInstructions: 100_000,
      onSlice: (p) => {
        seen.push(p.instructions);
        return seen.length < 5;
      },
    });
    expect(s.stop).toBe('interrupted');
    expect(seen).toEqual([100_000, 200_000, 300_000, 400_000, 500_000]);
  });

  it('gives the same log and counts for the same run, whatever the slices', SLOW, () => {
    const a = run(mini({ TICK_LIMIT: '20' }), { sliceInstructions: 1_000_000 });
    const b = run(mini({ TICK_LIMIT: '20' }), { sliceInstructions: 77_777 });
    expect(b.log).toBe(a.log);
    expect([b.s.instructions, b.s.userInstructions, b.s.ticks]).toEqual([a.s.instructions, a.s.userInstructions, a.s.ticks]);
    expect(a.log.split('\n').filter((l) => l.startsWith('tick'))).toHaveLength(20);
  });
});
