// Trap delivery (Intel SDM Vol. 3A 6.12, 6.14, 6.15): the x86_64_registers
// frame on the kernel stack, iret, page-fault error codes and CR2, double and
// triple faults with their diagnosis.

import { describe, expect, it } from 'vitest';
import { PTE_P, PTE_W } from '../../emulator/machine/constants';
import type { StopReason } from '../../emulator/machine/machine';
import { REGISTER_NAMES, type RegisterName } from '../../emulator/machine/isa/opcodes';
import { getReg, read64, setGate, write64 } from './helpers';
import {
  BOOT_FRAME, FRAME, KSTACK_PAGE, KSTACK_TOP, OFF, PPT_BASE, REC, REC_CR2, REC_ERR, REC_FRAME, REC_INTNO, REC_RSP,
  TSS, USTACK_TOP, UTEXT, weensyWorld,
} from './weensy-env';

const GPRS = REGISTER_NAMES.filter((n) => n !== 'rsp');
/** A distinct 64-bit value per register, with the high half in use; r15 is negative. */
const valueOf = (name: RegisterName): bigint => {
  const i = BigInt(REGISTER_NAMES.indexOf(name));
  return name === 'r15' ? -2n : ((i + 1n) << 48n) | (0xabcdn << 16n) | i;
};
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

function expectKind(stop: StopReason, kind: StopReason['kind']): void {
  expect(stop.kind, JSON.stringify(stop, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(kind);
}

describe('the trap frame of a user-mode int 48', () => {
  const setup = () => {
    const loads = GPRS.map((n) => `movi ${n}, ${valueOf(n)}`).join('\n');
    const w = weensyWorld({ user: `start:\n${loads}\nsys: int 48\nafter: int 49\nud2\n` });
    w.startUser();
    w.m.cpu.fs = 0x23;
    w.m.cpu.gs = 0x23;
    write64(w.m, FRAME - 8, 0xdeadbeefn); // the pushed return address must overwrite this
    w.m.breakpoints.add(w.k('trap_entry'));
    expectKind(w.m.run(1000), 'breakpoint');
    return w;
  };

  it('lays out x86_64_registers at 0x80000 - 192 with the general registers first', () => {
    const w = setup();
    for (const n of GPRS) expect(u64(w.frame(n as keyof typeof OFF)), n).toBe(u64(valueOf(n)));
    expect(OFF.rdi).toBe(48);
    expect(read64(w.m, FRAME + 48)).toBe(u64(valueOf('rdi')));
    expect(w.frame('fs')).toBe(0x23n);
    expect(w.frame('gs')).toBe(0x23n);
  });

  it('stores intno, err, the return rip, cs, rflags, the user rsp and ss at 136..184', () => {
    const w = setup();
    expect(read64(w.m, FRAME + 136)).toBe(48n);
    expect(read64(w.m, FRAME + 144)).toBe(0n);
    expect(read64(w.m, FRAME + 152)).toBe(BigInt(w.u('after')));
    expect(w.u('after')).toBe(w.u('sys') + 2);
    expect(read64(w.m, FRAME + 160)).toBe(0x13n);
    expect(read64(w.m, FRAME + 168)).toBe(0x202n);
    expect(read64(w.m, FRAME + 176)).toBe(BigInt(USTACK_TOP));
    expect(read64(w.m, FRAME + 184)).toBe(0x23n);
  });

  it('enters the handler in kernel mode with rdi = frame, a 0 return address below it and IF clear', () => {
    const w = setup();
    const { cpu } = w.m;
    expect(FRAME).toBe(0x7ff40);
    expect(getReg(w.m, 'rdi')).toBe(BigInt(FRAME));
    expect(getReg(w.m, 'rsp')).toBe(BigInt(FRAME - 8));
    expect(read64(w.m, FRAME - 8)).toBe(0n);
    expect(cpu.cs).toBe(0x08);
    expect(cpu.ss).toBe(0); // a privilege change loads a null SS
    expect(cpu.rflags & 0x200).toBe(0);
    expect(cpu.rip).toBe(w.k('trap_entry'));
  });

  it('keeps IF set through a trap gate (type 0xF)', () => {
    const w = setup();
    w.m.memory.write8(w.idt + 49 * 16 + 8, 0x80 | (3 << 5) | 0xf);
    w.m.breakpoints.clear();
    w.m.breakpoints.add(w.u('after'));
    expectKind(w.m.run(1000), 'breakpoint');
    w.m.breakpoints.add(w.k('trap_entry'));
    expectKind(w.m.run(1000), 'breakpoint');
    expect(w.frame('intno')).toBe(49n);
    expect(w.m.cpu.rflags & 0x200).toBe(0x200);
  });

  it('iret rdi returns to user mode with every register restored', () => {
    const w = setup();
    w.m.breakpoints.clear();
    w.m.breakpoints.add(w.u('after'));
    expectKind(w.m.run(1000), 'breakpoint'); // the handler clobbered rax, rbx, rcx, rdx before iret
    const { cpu } = w.m;
    for (const n of GPRS) expect(u64(getReg(w.m, n)), n).toBe(u64(valueOf(n)));
    expect(getReg(w.m, 'rsp')).toBe(BigInt(USTACK_TOP));
    expect([cpu.cs, cpu.ss, cpu.fs, cpu.gs, cpu.rflags]).toEqual([0x13, 0x23, 0x23, 0x23, 0x202]);
    expect(cpu.rip).toBe(w.u('after'));
    // And the next system call sees the same registers again.
    w.m.breakpoints.clear();
    w.m.breakpoints.add(w.k('trap_entry'));
    expectKind(w.m.run(1000), 'breakpoint');
    expect(w.frame('intno')).toBe(49n);
    for (const n of GPRS) expect(u64(w.frame(n as keyof typeof OFF)), n).toBe(u64(valueOf(n)));
  });
});

describe('page faults', () => {
  it.each([
    ['a write to a kernel-only page', `movi r8, ${REC}\nbad: st64 [r8], rax`, REC, 0x7],
    ['a read of an unmapped page', 'movi r8, 0x300000\nbad: ld64 rax, [r8]', 0x300000, 0x4],
    ['a fetch from a kernel-only page', 'movi r8, 0x40000\nbad: jmp r8', 0x40000, 0x5],
  ])('%s pushes the error code at 144 and sets CR2', (_name, code, va, err) => {
    const w = weensyWorld({ user: `start: ${code}\nnop\n` });
    w.startUser();
    expectKind(w.m.run(1000), 'halt');
    expect(w.rec(REC_INTNO)).toBe(14);
    expect(read64(w.m, FRAME + 144)).toBe(BigInt(err));
    expect(w.rec(REC_ERR)).toBe(err);
    expect(w.rec(REC_CR2)).toBe(va); // what the handler read with movrc
    expect(w.m.cpu.cr2).toBe(va);
    const faultRip = va === 0x40000 ? 0x40000 : w.u('bad'); // the faulting instruction, or the fetch target
    expect(w.frame('rip')).toBe(BigInt(faultRip));
    expect(w.frame('cs')).toBe(0x13n);
  });

  it('a kernel-mode fault stays on the current stack, aligned down to 16 bytes', () => {
    const w = weensyWorld({
      kernelExtra: `.org 0x44000\nkfault: movi rsp, 0x7f808\nmovi r8, 0x300000\nbad: ld64 rax, [r8]\n`,
    });
    for (let a = FRAME; a < KSTACK_TOP; a += 8) write64(w.m, a, 0x5a5an); // must stay untouched
    w.m.cpu.rip = w.k('kfault');
    expectKind(w.m.run(1000), 'halt');
    const frame = 0x7f800 - 192;
    expect(w.rec(REC_FRAME)).toBe(frame);
    expect(w.rec(REC_RSP)).toBe(frame - 8);
    expect(read64(w.m, frame - 8)).toBe(0n);
    expect(w.frame('intno', frame)).toBe(14n);
    expect(w.frame('err', frame)).toBe(0n); // not-present, read, kernel
    expect(w.frame('rip', frame)).toBe(BigInt(w.k('bad')));
    expect(w.frame('cs', frame)).toBe(0x08n);
    expect(w.frame('ss', frame)).toBe(0x18n);
    expect(w.frame('rsp', frame)).toBe(0x7f808n);
    expect(w.rec(REC_CR2)).toBe(0x300000);
    for (let a = FRAME; a < KSTACK_TOP; a += 8) expect(read64(w.m, a)).toBe(0x5a5an);
  });
});

describe('iret', () => {
  const kiret = `.org 0x44000\nkiret: movi rdi, ${BOOT_FRAME}\ndoit: iret rdi\nkback: hlt\n`;
  const tryIret = (cs: number, ss: number, rip: number | string = UTEXT) => {
    const w = weensyWorld({ kernelExtra: kiret, user: 'start: nop\n' });
    write64(w.m, BOOT_FRAME + OFF.rip, BigInt(typeof rip === 'string' ? w.k(rip) : rip));
    write64(w.m, BOOT_FRAME + OFF.cs, BigInt(cs));
    write64(w.m, BOOT_FRAME + OFF.ss, BigInt(ss));
    write64(w.m, BOOT_FRAME + OFF.rsp, 0x7f900n);
    write64(w.m, BOOT_FRAME + OFF.rflags, 0x202n);
    w.m.cpu.rip = w.k('kiret');
    const stop = w.m.run(2, { stopOnFault: () => true });
    return { w, stop };
  };

  it.each([
    [0x10, 0x23, 0x10],
    [0x1b, 0x23, 0x18],
    [0x13, 0x18, 0x18],
    [0x13, 0x20, 0x20],
    [0x13, 0x00, 0x00],
  ])('to (cs, ss) = (%i, %i) raises #GP(%i) and changes nothing', (cs, ss, code) => {
    const { w, stop } = tryIret(cs, ss);
    expectKind(stop, 'fault');
    if (stop.kind !== 'fault') return;
    expect(stop.fault.vector).toBe(13);
    expect(stop.fault.errorCode).toBe(code);
    expect(w.m.cpu.cs).toBe(0x08);
    expect(w.m.cpu.rip).toBe(w.k('doit'));
    expect(getReg(w.m, 'rsp')).toBe(0n);
  });

  it('to a non-canonical rip raises #GP(0)', () => {
    const { stop } = tryIret(0x13, 0x23, 0x800000000000);
    expect(stop.kind === 'fault' && [stop.fault.vector, stop.fault.errorCode]).toEqual([13, 0]);
  });

  it('to cs 0x13, ss 0x23 enters user mode; to cs 0x08 stays in the kernel', () => {
    const up = tryIret(0x13, 0x23);
    expectKind(up.stop, 'budget');
    expect([up.w.m.cpu.cs, up.w.m.cpu.ss, up.w.m.cpu.rip]).toEqual([0x13, 0x23, UTEXT]);
    const down = tryIret(0x08, 0x00, 'kback');
    expect([down.w.m.cpu.cs, down.w.m.cpu.rip, getReg(down.w.m, 'rsp')]).toEqual([0x08, down.w.k('kback'), 0x7f900n]);
  });
});

describe('double and triple faults', () => {
  const unmappedStack = (gate8: boolean) => {
    const w = weensyWorld({ user: 'start: movi r8, 0x300000\nbad: ld64 rax, [r8]\n' });
    w.ppt.map(KSTACK_PAGE, 0, 0); // L4 entry 127 of the process's table
    if (gate8) setGate(w.m, w.idt, 8, w.k('trap_entry'));
    w.startUser();
    const stop = w.m.run(1000);
    expectKind(stop, 'shutdown');
    if (stop.kind !== 'shutdown') throw new Error('no shutdown');
    return { w, d: stop.diagnosis };
  };

  it('a user fault with the kernel stack page unmapped ends in a diagnosed shutdown', () => {
    const { w, d } = unmappedStack(false);
    expect(d.cr3).toBe(PPT_BASE);
    expect(d.cpl).toBe(3);
    expect(d.rip).toBe(w.u('bad'));
    // #PF, #PF pushing its frame, #DF, and #GP because WeensyOS installs no gate 8.
    expect(d.chain.map((f) => [f.vector, f.errorCode])).toEqual([[14, 4], [14, 2], [8, 0], [13, (8 << 3) | 3]]);
    const push = d.chain[1]!;
    expect(push.va).toBe(KSTACK_TOP - 8);
    expect(push.errorBits).toEqual(['not-present', 'write', 'kernel']);
    expect(push.stage).toBe('pushing the trap frame');
    expect(push.duringVector).toBe(14);
    expect(push.walk?.failedLevel).toBe(3);
    expect(push.walk?.steps[3]).toMatchObject({ level: 3, index: 127, decision: 'not-present' });
    expect(d.text).toContain('0x7f000');
    expect(d.text).toContain('0x7fff8');
    expect(d.text).toContain('kernel-mode write');
    expect(d.text).toContain(`CR3 = 0x${PPT_BASE.toString(16)}`);
    expect(d.text).toMatch(/L4 entry 127 \(.*\) of the table at 0x[0-9a-f]+ is not present/);
    // CR2 holds the address of the last page fault detected: the frame push, not the user access.
    expect(w.m.cpu.cr2).toBe(KSTACK_TOP - 8);
    // The CPU is stopped for good, in the state of the faulting instruction.
    expect([w.m.cpu.cs, w.m.cpu.rip]).toEqual([0x13, w.u('bad')]);
    expect(w.m.run(10).kind).toBe('shutdown');
  });

  it('with gate 8 installed, the #DF frame push fails on the same page', () => {
    const { d } = unmappedStack(true);
    expect(d.chain.map((f) => [f.vector, f.errorCode])).toEqual([[14, 4], [14, 2], [8, 0], [14, 2]]);
    expect(d.chain[3]).toMatchObject({ va: 0x7fff8, stage: 'pushing the trap frame', duringVector: 8 });
    expect(d.text.split('\n').filter((l) => /L4 entry 127 .* is not present/.test(l))).toHaveLength(2);
  });

  it('a read-only kernel stack also shuts down: pushes are supervisor writes under CR0.WP', () => {
    const w = weensyWorld({ user: 'start: int 48\n' });
    w.ppt.map(KSTACK_PAGE, KSTACK_PAGE, PTE_P);
    setGate(w.m, w.idt, 8, w.k('trap_entry'));
    w.startUser();
    const stop = w.m.run(1000);
    expectKind(stop, 'shutdown');
    if (stop.kind !== 'shutdown') return;
    // int 48 is not an exception: its delivery's #PF is the first fault of the chain.
    expect(stop.diagnosis.chain.map((f) => [f.vector, f.errorCode])).toEqual([[14, 3], [14, 3], [8, 0], [14, 3]]);
    expect(stop.diagnosis.chain[0]!.duringVector).toBe(48);
    expect(stop.diagnosis.text).toContain('lacks PTE_W');
  });

  it('a page fault while delivering a page fault is delivered as #DF when gate 8 exists', () => {
    // Put the IDT across a page boundary: gate 8 on the first page, gate 14 on the second, unmapped.
    const idt = 0x50000 - 0x90;
    const w = weensyWorld({ idt, user: 'start: movi r8, 0x300000\nbad: ld64 rax, [r8]\n' });
    w.ppt.map(0x50000, 0, 0);
    setGate(w.m, idt, 8, w.k('trap_entry'));
    w.startUser();
    expectKind(w.m.run(1000), 'halt');
    expect(w.rec(REC_INTNO)).toBe(8);
    expect(w.rec(REC_ERR)).toBe(0);
    expect(w.frame('rip')).toBe(BigInt(w.u('bad')));
    expect(w.frame('cs')).toBe(0x13n);
    expect(w.m.lastFault?.vector).toBe(14);
  });

  it('without gate 13, #UD -> #GP -> #GP is a double fault, and without gate 8 a shutdown', () => {
    const w = weensyWorld({ user: 'start: ud2\n' });
    w.m.memory.bytes.fill(0, w.idt + 13 * 16, w.idt + 14 * 16);
    w.startUser();
    const stop = w.m.run(100);
    expectKind(stop, 'shutdown');
    if (stop.kind !== 'shutdown') return;
    expect(stop.diagnosis.chain.map((f) => [f.vector, f.errorCode])).toEqual([
      [6, undefined], [13, (6 << 3) | 3], [13, (13 << 3) | 3], [8, 0], [13, (8 << 3) | 3],
    ]);
    expect(stop.diagnosis.text).toMatch(/IDT gate 8 .* is not installed/);
  });

  it('a non-canonical stack is a stack fault (#SS(0)), not #GP', () => {
    const w = weensyWorld({ user: 'start: int 48\n' });
    write64(w.m, TSS + 4, 0x800000001000n); // rsp0 beyond the canonical boundary
    setGate(w.m, w.idt, 8, w.k('trap_entry'));
    w.startUser();
    const stop = w.m.run(100);
    expectKind(stop, 'shutdown');
    if (stop.kind !== 'shutdown') return;
    // #SS delivering int 48; #GP on the absent gate 12 (contributory twice: #DF); #SS pushing the #DF frame.
    expect(stop.diagnosis.chain.map((f) => [f.vector, f.errorCode])).toEqual([[12, 0], [13, (12 << 3) | 3], [8, 0], [12, 0]]);
    expect(stop.diagnosis.text).toContain('0x800000001000 is not canonical');
  });

  it('a kernel stack whose pages are all mapped delivers normally (control)', () => {
    const w = weensyWorld({ user: 'start: movi r8, 0x300000\nld64 rax, [r8]\n' });
    w.ppt.map(KSTACK_PAGE, KSTACK_PAGE, PTE_P | PTE_W);
    w.startUser();
    expectKind(w.m.run(1000), 'halt');
    expect(w.rec(REC_INTNO)).toBe(14);
    expect(w.m.cpu.rflags & 0x200).toBe(0);
  });
});
