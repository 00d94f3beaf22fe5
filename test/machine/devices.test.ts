// The timer (PIC mask + RFLAGS.IF, counted in user instructions) and the
// devices behind the I/O ports: log port, keyboard, CRT cursor, ACPI poweroff.

import { describe, expect, it } from 'vitest';
import { getReg, machineWith } from './helpers';
import { REC_PICMASK, REC_SPIN, REC_STI, weensyWorld } from './weensy-env';

/** User code: `addi rax, 1` and `jmp` alternate, so rax counts the addi's retired. */
const LOOP = 'loop: addi rax, 1\njmp loop\n';

describe('timer interrupt', () => {
  const timerWorld = (n: number, picMask: number, rflags = 0x202) => {
    const w = weensyWorld({ instructionsPerTick: n, user: LOOP });
    w.setRec(REC_PICMASK, picMask);
    w.setRec(REC_SPIN, 3 * n + 5); // the kernel runs longer than a tick between user slices ...
    w.setRec(REC_STI, 1); // ... and with IF set, to show the timer only interrupts user code
    w.startBoot(rflags);
    return w;
  };

  it.each([1, 7, 100])('with IF set and IRQ0 unmasked arrives every %i user instructions, only in user mode', (n) => {
    const w = timerWorld(n, 0xfe);
    w.m.breakpoints.add(w.k('trap_entry'));
    let kernelInstructions = w.m.icount - w.m.userIcount;
    for (let k = 1; k <= 6; k++) {
      expect(w.m.run(100_000).kind).toBe('breakpoint');
      const frame = Number(getReg(w.m, 'rdi'));
      expect(w.frame('intno', frame)).toBe(32n);
      expect(w.frame('cs', frame)).toBe(0x13n); // never taken in kernel mode
      expect(w.m.userIcount).toBe(k * n);
      expect(w.frame('rax', frame)).toBe(BigInt(Math.ceil((k * n) / 2)));
      expect(w.frame('rip', frame)).toBe(BigInt((k * n) % 2 === 0 ? w.u('loop') : w.u('loop') + 3));
      expect(w.frame('rflags', frame)).toBe(0x202n);
      const kernelNow = w.m.icount - w.m.userIcount;
      expect(kernelNow - kernelInstructions).toBeGreaterThan(k === 1 ? 0 : 3 * n);
      kernelInstructions = kernelNow;
    }
    expect(w.count(32)).toBe(5); // the sixth is at the breakpoint, not yet recorded
  });

  it('a tick that falls due while masked waits out kernel code with IF set, then hits the first user instruction', () => {
    const w = weensyWorld({ instructionsPerTick: 7, user: 'start: movi rcx, 20\nl: addi rcx, -1\nbnz rcx, l\nint 48\nafter: ' + LOOP });
    w.startBoot(0x202); // PIC masked: the tick due at 7 is held back
    w.m.breakpoints.add(w.k('trap_entry'));
    expect(w.m.run(10_000).kind).toBe('breakpoint');
    expect(w.frame('intno')).toBe(48n);
    expect(w.m.userIcount).toBe(42);
    w.m.devices.out(0x21, 0xfe); // unmask while in the kernel ...
    w.setRec(REC_STI, 1); // ... which then runs with IF set
    w.setRec(REC_SPIN, 50);
    const kernelStart = w.m.icount;
    expect(w.m.run(10_000).kind).toBe('breakpoint');
    expect(w.m.icount - kernelStart).toBeGreaterThan(150); // the whole handler ran, undisturbed
    expect(w.frame('intno')).toBe(32n);
    expect(w.frame('cs')).toBe(0x13n);
    expect(w.frame('rip')).toBe(BigInt(w.u('after')));
    expect(w.m.userIcount).toBe(42);
    expect(w.count(48)).toBe(1);
  });

  it('never arrives while IRQ0 is masked', () => {
    const w = timerWorld(7, 0xff);
    expect(w.m.run(1000).kind).toBe('budget');
    expect(w.count(32)).toBe(0);
    expect(w.m.userIcount).toBeGreaterThan(900);
    expect(w.m.cpu.cs).toBe(0x13);
  });

  it('never arrives while the process runs with IF clear', () => {
    const w = timerWorld(7, 0xfe, 0x2);
    expect(w.m.run(1000).kind).toBe('budget');
    expect(w.count(32)).toBe(0);
    expect(w.m.userIcount).toBeGreaterThan(900);
  });

  it('masking IRQ0 again stops further ticks', () => {
    const w = timerWorld(10, 0xfe);
    expect(w.m.run(200).kind).toBe('budget');
    const ticks = w.count(32);
    expect(ticks).toBeGreaterThan(0);
    w.m.devices.out(0x21, 0xff);
    w.m.run(2000);
    expect(w.count(32)).toBe(ticks);
  });
});

describe('log port 0x378', () => {
  it('passes every byte to output.log exactly as written', () => {
    const log: number[] = [];
    const { m } = machineWith(
      `
      .org 0x1000
      start: movi rsi, msg
             movi rdx, 0x378
      loop:  ld8u rax, [rsi]
             bz rax, done
             out8 rdx, rax
             addi rsi, 1
             jmp loop
      done:  out8 rdx, rax
             movi rax, 0x141
             out8 rdx, rax
             hlt
      msg:   .byte 104, 105, 10, 0xc3, 0xa9, 0xff, 1, 0
      `,
      { output: { log: (b) => log.push(b) } },
    );
    expect(m.run(1000).kind).toBe('halt');
    expect(log).toEqual([104, 105, 10, 0xc3, 0xa9, 0xff, 1, 0, 0x41]);
    expect(m.devices.state.logBytes).toBe(9);
  });
});

describe('keyboard', () => {
  // Polls status port 0x64 (rcx counts the polls), then reads the key from 0x60.
  const POLL = `
    .org 0x1000
    start: movi rdx, 0x64
           movi rcx, 0
    poll:  addi rcx, 1
           in8 rax, rdx
           andi rax, 1
           bz rax, poll
           movi rdx, 0x60
           in8 rbx, rdx
           movi rdx, 0x64
           in8 rsi, rdx
           movi rdx, 0x60
           in8 rdi, rdx
           hlt
  `;

  it.each([
    [50, 13],
    [51, 13],
    [52, 14],
  ])('a key stamped %i is seen by the poll that runs once that many instructions retired (poll %i)', (at, polls) => {
    const { m } = machineWith(POLL);
    m.devices.pressKey('q'.charCodeAt(0), at);
    expect(m.run(10_000).kind).toBe('halt');
    // The k-th poll's `in` runs after 3 + 4(k-1) instructions have retired.
    expect(getReg(m, 'rcx')).toBe(BigInt(polls));
    expect(getReg(m, 'rbx')).toBe(BigInt('q'.charCodeAt(0)));
    expect(getReg(m, 'rsi')).toBe(0n); // status: nothing more waiting
    expect(getReg(m, 'rdi')).toBe(0n); // data port with an empty queue
    expect(m.devices.state.keys).toEqual([]);
  });

  it('keys arrive in stamp order, ties in the order pressed', () => {
    const { m } = machineWith('.org 0x1000\nstart: hlt\n');
    m.devices.pressKey(0x62, 40);
    m.devices.pressKey(0x61, 10);
    m.devices.pressKey(0x63, 40);
    m.devices.pressKey(0x164, 5);
    expect(m.devices.in(0x64, 4)).toBe(0);
    expect([0, 1, 2, 3].map(() => m.devices.in(0x60, 100))).toEqual([0x64, 0x61, 0x62, 0x63]);
  });
});

describe('CRT cursor, PIC, unknown ports', () => {
  it('0x3d4/0x3d5 registers 14 and 15 hold the cursor, and read back', () => {
    const { m } = machineWith(`
      .org 0x1000
      start: movi rdx, 0x3d4
             movi rax, 14
             out8 rdx, rax
             movi rdx, 0x3d5
             movi rax, 0x8c
             out8 rdx, rax
             movi rdx, 0x3d4
             movi rax, 15
             out8 rdx, rax
             movi rdx, 0x3d5
             movi rax, 0xd0
             out8 rdx, rax
             in8 rbx, rdx
             movi rdx, 0x3d4
             movi rax, 14
             out8 rdx, rax
             movi rdx, 0x3d5
             in8 rcx, rdx
             hlt
    `);
    expect(m.run(100).kind).toBe('halt');
    expect(m.devices.state.cursor).toBe(0x8cd0);
    expect([getReg(m, 'rbx'), getReg(m, 'rcx')]).toEqual([0xd0n, 0x8cn]);
  });

  it('the PIC mask reads back; an unknown port floats high', () => {
    const { m } = machineWith(`
      .org 0x1000
      start: movi rdx, 0x21
             movi rax, 0xfe
             out8 rdx, rax
             in8 rbx, rdx
             movi rdx, 0x1234
             in8 rcx, rdx
             in32 rsi, rdx
             hlt
    `);
    expect(m.devices.timerEnabled()).toBe(false);
    expect(m.run(100).kind).toBe('halt');
    expect(m.devices.timerEnabled()).toBe(true);
    expect([getReg(m, 'rbx'), getReg(m, 'rcx'), getReg(m, 'rsi')]).toEqual([0xfen, 0xffn, 0xffffffffn]);
  });
});

describe('stopping', () => {
  const POWER = (value: number) => `
    .org 0x1000
    start: movi rdx, 0x604
           movi rax, ${value}
    off:   out16 rdx, rax
           movi rbx, 1
           hlt
  `;

  it('writing SLP_EN (0x2000) to port 0x604 powers off at once', () => {
    const { m, prog } = machineWith(POWER(0x2000));
    expect(m.run(100).kind).toBe('poweroff');
    expect(m.status).toBe('poweroff');
    expect(getReg(m, 'rbx')).toBe(0n);
    expect(m.cpu.rip).toBe(prog.symbols.get('off')! + 2);
    expect(m.run(100).kind).toBe('poweroff');
    expect(getReg(m, 'rbx')).toBe(0n);
  });

  it('another value written to 0x604 does not power off', () => {
    const { m } = machineWith(POWER(0x1fff));
    expect(m.run(100).kind).toBe('halt');
    expect(getReg(m, 'rbx')).toBe(1n);
  });

  it('hlt with IF clear stops with halt, after the hlt, for good', () => {
    const { m, prog } = machineWith('.org 0x1000\nstart: cli\nh: hlt\nmovi rbx, 1\n');
    expect(m.run(100).kind).toBe('halt');
    expect(m.cpu.rip).toBe(prog.symbols.get('h')! + 1);
    expect(m.cpu.rflags & 0x200).toBe(0);
    expect(m.run(100).kind).toBe('halt');
    expect(getReg(m, 'rbx')).toBe(0n);
  });
});

describe('host ports for hosted programs', () => {
  it('0xE9 and 0xEA carry stdout and stderr bytes; 0xF4 stops the machine with an exit status', () => {
    const out: number[] = [];
    const err: number[] = [];
    const { m } = machineWith(
      `
      .org 0x1000
      start:  movi rdx, 0xe9
              movi rax, 'h'
              out8 rdx, rax
              movi rax, 'i'
              out8 rdx, rax
              movi rdx, 0xea
              movi rax, '!'
              out8 rdx, rax
              movu rdx, 0xf4
              movi rax, 0x12b
              out32 rdx, rax
              ud2
      `,
      { output: { stdout: (b) => out.push(b), stderr: (b) => err.push(b) } },
    );
    const stop = m.run(100);
    expect(stop).toEqual({ kind: 'exit', status: 0x2b });
    expect(String.fromCharCode(...out)).toBe('hi');
    expect(String.fromCharCode(...err)).toBe('!');
    // Stopped for good: the ud2 after the exit never runs.
    expect(m.run(10)).toEqual({ kind: 'exit', status: 0x2b });
  });
});
