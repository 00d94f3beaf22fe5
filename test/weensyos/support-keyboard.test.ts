// check_keyboard and the soft reboot (k-hardware.c), and timer_init's
// interrupt mask, run on the machine (FACTS.md section 5): 'a', 'f' and 'e'
// re-enter kernel() from entry_from_boot with "allocator", "fork" or
// "forkexit", without reloading the kernel image, after installing a
// temporary page table in physical 0x8000-0xAFFF; 'q' and Control-C power
// off; otherwise the key (or -1) comes back.

import { describe, expect, it } from 'vitest';
import { KERNEL_PRELUDE, SLOW, buildKernel, describeRun, runImage, type KernelRun } from './kernel-harness';

const KERNEL = String.raw`${KERNEL_PRELUDE}
static int boots;
int kept = 7;
int test_case = -1;

void exception(x86_64_registers* reg) {
    panic("Unexpected exception %d!\n", (int) reg->reg_intno);
}

void kernel(const char* command) {
    uintptr_t rsp = read_rsp();
    uintptr_t cr3 = rcr3();
    hardware_init();
    ++boots;
    log_printf("boot=%d command=%s kept=%d rsp=%p cr3=%p\n", boots, command ? command : "(null)", kept, rsp, cr3);
    kept += 10;
    if (boots == 1) {
        /* A marker around and in the pages a soft reboot overwrites. */
        memset((void*) 0x7000, 0x5A, 0x5000);
    }
    if (test_case == 1) {
        timer_init(100);
        log_printf("pic_on=%x\n", inb(0x21));
        timer_init(0);
        log_printf("pic_off=%x\n", inb(0x21));
        timer_init(-5);
        log_printf("pic_negative=%x\n", inb(0x21));
        timer_init(1000);
        log_printf("pic_on_again=%x\n", inb(0x21));
        poweroff();
    }
    log_printf("nokey=%d\n", check_keyboard());
    while (1) {
        int c = check_keyboard();
        if (c != -1) {
            log_printf("key=%d\n", c);
        }
    }
}
`;

const image = () => buildKernel(KERNEL);

/** Boots, then presses each key once the kernel sits in its polling loop, running `budget` instructions after each. */
function pressKeys(keys: readonly number[], budget = 400_000, command?: string): KernelRun {
  const run = runImage(image(), { limit: budget, command });
  expect(run.stop.kind, describeRun(run)).toBe('budget');
  let log = run.log;
  const bytes: number[] = [];
  run.machine.devices.output.log = (b) => bytes.push(b);
  let stop = run.stop;
  for (const key of keys) {
    run.machine.devices.pressKey(key, run.machine.icount);
    stop = run.machine.run(budget);
    if (stop.kind !== 'budget') break;
  }
  log += String.fromCharCode(...bytes);
  return { ...run, stop, log };
}

const key = (c: string) => c.charCodeAt(0);
const bootLine = (n: number, command: string, kept: number) => `boot=${n} command=${command} kept=${kept}`;

describe('check_keyboard', SLOW, () => {
  it('returns -1 without a key, and other keys as they are', () => {
    const run = pressKeys([key('b'), key('1'), 0x1b]);
    expect(run.stop.kind).toBe('budget');
    const lines = run.log.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^boot=1 command=\(null\) kept=7 /);
    expect(lines.slice(1)).toEqual(['nokey=-1', 'key=98', 'key=49', 'key=27']);
  });

  it("'q' powers off", () => {
    const run = pressKeys([key('b'), key('q'), key('c')]);
    expect(run.stop.kind).toBe('poweroff');
    expect(run.log.trimEnd().split('\n').slice(1)).toEqual(['nokey=-1', 'key=98']);
  });

  it('Control-C (0x03) powers off', () => {
    const run = pressKeys([0x03]);
    expect(run.stop.kind).toBe('poweroff');
    expect(run.log.trimEnd().split('\n').slice(1)).toEqual(['nokey=-1']);
  });

  it("'a', 'f' and 'e' soft-reboot into kernel() with their commands, keeping the kernel's data", () => {
    const run = pressKeys([key('a'), key('f'), key('e'), key('a'), key('z')]);
    expect(run.stop.kind, describeRun(run)).toBe('budget');
    const lines = run.log.trimEnd().split('\n');
    const boots = lines.filter((l) => l.startsWith('boot='));
    // A static counter and an initialized global keep counting: the image is not reloaded.
    // Every boot starts on a fresh stack at KERNEL_STACK_TOP (kernel() called from entry_from_boot).
    expect(boots.map((l) => l.slice(0, l.indexOf(' rsp=')))).toEqual([
      bootLine(1, '(null)', 7), bootLine(2, 'allocator', 17), bootLine(3, 'fork', 27),
      bootLine(4, 'forkexit', 37), bootLine(5, 'allocator', 47),
    ]);
    const rsps = boots.map((l) => Number(/rsp=(0x[0-9a-f]+)/.exec(l)![1]));
    expect(new Set(rsps).size).toBe(1);
    expect(rsps[0]).toBeGreaterThan(0x7f000);
    expect(rsps[0]).toBeLessThan(0x80000);
    // kernel() of a soft reboot starts with the temporary page table in 0x8000 loaded.
    expect(boots.slice(1).map((l) => l.slice(l.indexOf('cr3=') + 4))).toEqual(Array(4).fill('0x8000'));
    expect(lines.filter((l) => !l.startsWith('boot='))).toEqual(Array(5).fill('nokey=-1').concat(['key=122']));
  });

  it('overwrites physical pages 0x8000-0xAFFF with the temporary page table, and nothing around them', () => {
    const before = pressKeys([]);
    const mem = (run: KernelRun, from: number, to: number) => Array.from(run.machine.memory.readBytes(from, to - from));
    expect(mem(before, 0x7000, 0xc000).every((b) => b === 0x5a)).toBe(true);
    const after = pressKeys([key('f')]);
    expect(mem(after, 0x7000, 0x8000).every((b) => b === 0x5a)).toBe(true);
    expect(mem(after, 0xb000, 0xc000).every((b) => b === 0x5a)).toBe(true);
    const table = mem(after, 0x8000, 0xb000);
    expect(table.filter((b) => b === 0x5a)).toEqual([]);
    // A working page table: the reboot ran kernel() again through it.
    expect(after.log).toContain('command=fork');
  });

  it('a soft reboot that happens in a panic loop (no TICK_LIMIT) re-enters kernel() too', () => {
    const kernel = KERNEL.replace('log_printf("nokey=%d\\n", check_keyboard());', 'if (boots == 1) { panic("stuck"); }\n    log_printf("nokey=%d\\n", check_keyboard());');
    expect(kernel).not.toBe(KERNEL);
    const run = runImage(buildKernel(kernel), { limit: 3_000_000, keys: [[key('e'), 300_000]] });
    expect(run.stop.kind, describeRun(run)).toBe('budget');
    expect(run.log, run.log).toMatch(/^boot=1 command=\(null\) kept=7 [^\n]*\nPANIC: stuck\nboot=2 command=forkexit kept=17 [^\n]*\nnokey=-1\n$/);
  });
});

describe('timer_init', SLOW, () => {
  it('unmasks IRQ0 for a positive rate and masks it otherwise, leaving the other lines masked', () => {
    const run = runImage(image(), { poke: { test_case: 1 } });
    expect(run.stop.kind, describeRun(run)).toBe('poweroff');
    const v = run.log.split('\n').filter((l) => l.startsWith('pic_'));
    expect(v).toEqual(['pic_on=fe', 'pic_off=ff', 'pic_negative=ff', 'pic_on_again=fe']);
  });
});
