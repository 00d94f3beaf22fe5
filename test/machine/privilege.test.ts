// Privilege checks as WeensyOS meets them (FACTS.md section 3; SDM Vol. 3A
// 6.12.1.1, 6.13, 6.15): which gates user code may call, what a
// not-installed gate does, privileged instructions, IOPL, #UD and #DE,
// stopping at a fault before it is delivered, and pushf/popf at CPL 0 and 3.

import { describe, expect, it } from 'vitest';
import type { CpuFault } from '../../emulator/machine/fault';
import type { StopReason } from '../../emulator/machine/machine';
import { getReg, read64, setGate, setReg } from './helpers';
import { FRAME, REC_COUNT, REC_ERR, REC_INTNO, UDATA, weensyWorld } from './weensy-env';

const always = (): boolean => true;

function faultOf(stop: StopReason): CpuFault {
  if (stop.kind !== 'fault') throw new Error(`expected a fault stop, got ${stop.kind}`);
  return stop.fault;
}

describe('IDT gates from user mode', () => {
  it('gates 48-63 have DPL 3: each int reaches the handler and returns', () => {
    const ints = Array.from({ length: 16 }, (_, i) => `int ${48 + i}`).join('\n');
    const w = weensyWorld({ user: `start:\n${ints}\nend: ud2\n` });
    w.startUser();
    expect(w.m.run(10_000).kind).toBe('halt');
    for (let v = 48; v < 64; v++) expect(w.count(v), `vector ${v}`).toBe(1);
    expect(w.rec(REC_COUNT)).toBe(17); // 16 system calls and the final #GP
    expect(w.frame('rip')).toBe(BigInt(w.u('end')));
  });

  it.each([
    ['int 3', 3],
    ['int3', 3],
    ['int 14', 14],
    ['int 32', 32],
    ['int 13', 13],
  ])('`%s` from user mode raises #GP((vector << 3) | 2) at the int', (insn, vector) => {
    const w = weensyWorld({ user: `start: nop\nbad: ${insn}\nnop\n` });
    w.startUser();
    const fault = faultOf(w.m.run(100, { stopOnFault: always }));
    expect([fault.vector, fault.errorCode]).toEqual([13, (vector << 3) | 2]);
    expect(w.m.run(100).kind).toBe('halt');
    expect(w.rec(REC_INTNO)).toBe(13);
    expect(w.rec(REC_ERR)).toBe((vector << 3) | 2);
    expect(w.frame('rip')).toBe(BigInt(w.u('bad'))); // a fault: the int is not retired
    expect(w.count(vector === 13 ? 14 : vector)).toBe(0);
  });

  it('the same DPL-0 gates work from kernel mode; an absent gate still gives #GP', () => {
    const w = weensyWorld({ kernelExtra: '.org 0x44000\nkstart: movi rsp, 0x7f800\nk14: int 14\nk32: int 32\nk3: int 3\n' });
    w.m.cpu.rip = w.k('kstart');
    w.m.breakpoints.add(w.k('trap_entry'));
    expect(w.m.run(10).kind).toBe('breakpoint');
    const frame = Number(getReg(w.m, 'rdi'));
    expect([w.frame('intno', frame), w.frame('err', frame), w.frame('rip', frame)]).toEqual([14n, 0n, BigInt(w.k('k32'))]);
    w.m.cpu.rip = w.k('k3');
    const fault = faultOf(w.m.run(10, { stopOnFault: always }));
    expect([fault.vector, fault.errorCode]).toEqual([13, (3 << 3) | 2]); // software: EXT = 0
  });

  it('a gate with a valid type but P clear raises #NP((vector << 3) | 2)', () => {
    const w = weensyWorld({ user: 'start: nop\nbad: int 50\n' });
    w.m.memory.write8(w.idt + 50 * 16 + 8, (3 << 5) | 0xe); // DPL 3 interrupt gate, not present
    w.startUser();
    const fault = faultOf(w.m.run(100, { stopOnFault: always }));
    expect([fault.vector, fault.errorCode, w.m.cpu.rip]).toEqual([11, (50 << 3) | 2, w.u('bad')]);
  });

  it.each([
    ['ud2', 'bad: ud2', 6],
    ['an invalid opcode 0x00', 'bad: .byte 0', 6],
    ['int3 (a software interrupt: EXT = 0)', 'bad: int3', 3],
  ])('%s reaches a not-installed gate, which raises #GP((vector << 3) | 2 | EXT)', (_name, code, vector) => {
    const w = weensyWorld({ user: `start: nop\n${code}\n` });
    w.startUser();
    expect(w.m.run(100).kind).toBe('halt');
    expect(w.rec(REC_INTNO)).toBe(13);
    expect(w.rec(REC_ERR)).toBe((vector << 3) | 2 | (vector === 3 ? 0 : 1));
    expect(w.frame('rip')).toBe(BigInt(w.u('bad')));
    expect(w.m.lastFault?.vector).toBe(vector === 3 ? 13 : vector);
  });

  it('#DE is contributory: its #GP on the absent gate 0 is a double fault, and WeensyOS has no gate 8', () => {
    // SDM Table 6-5 (and QEMU's check_exception): contributory then contributory = #DF.
    const w = weensyWorld({ user: 'start: movi rcx, 0\nbad: div rax, rcx\n' });
    w.startUser();
    const stop = w.m.run(100);
    if (stop.kind !== 'shutdown') throw new Error(`expected shutdown, got ${stop.kind}`);
    expect(stop.diagnosis.chain.map((f) => [f.vector, f.errorCode])).toEqual([[0, undefined], [13, 3], [8, 0], [13, (8 << 3) | 3]]);
    expect(stop.diagnosis.rip).toBe(w.u('bad'));
    // With gate 8 installed the kernel gets the double fault instead.
    const w8 = weensyWorld({ user: 'start: movi rcx, 0\nbad: div rax, rcx\n' });
    setGate(w8.m, w8.idt, 8, w8.k('trap_entry'));
    w8.startUser();
    expect(w8.m.run(100).kind).toBe('halt');
    expect([w8.rec(REC_INTNO), w8.rec(REC_ERR)]).toEqual([8, 0]);
  });
});

describe('privileged instructions in user mode', () => {
  it.each(['hlt', 'cli', 'sti', 'iret rdi', 'lidt rax', 'ltr rax', 'invlpg rax', 'movcr cr3, rax', 'movrc rax, cr2', 'movcr cr0, rax'])(
    '`%s` raises #GP(0), stopping at the instruction with nothing changed',
    (insn) => {
      const w = weensyWorld({ user: `start: movi rax, ${UDATA}\nmovi rdi, ${UDATA}\nbad: ${insn}\nnop\n` });
      w.startUser();
      const { cpu } = w.m;
      const before = { cr0: cpu.cr0, cr3: cpu.cr3, idtr: cpu.idtr, tr: cpu.tr, rflags: cpu.rflags };
      const fault = faultOf(w.m.run(100, { stopOnFault: always }));
      expect([fault.vector, fault.errorCode]).toEqual([13, 0]);
      expect(cpu.rip).toBe(w.u('bad'));
      expect(cpu.cs).toBe(0x13);
      expect(w.m.icount).toBe(2);
      expect({ cr0: cpu.cr0, cr3: cpu.cr3, idtr: cpu.idtr, tr: cpu.tr, rflags: cpu.rflags }).toEqual(before);
      expect(w.m.status).toBe('running');
      expect(w.rec(REC_COUNT)).toBe(0); // not delivered yet
      // The next run delivers it.
      expect(w.m.run(100).kind).toBe('halt');
      expect([w.rec(REC_INTNO), w.rec(REC_ERR), w.rec(REC_COUNT)]).toEqual([13, 0, 1]);
      expect(w.frame('rip')).toBe(BigInt(w.u('bad')));
      expect(w.m.icount).toBeGreaterThan(2);
    },
  );

  it('the same instructions run in kernel mode', () => {
    const w = weensyWorld({ kernelExtra: '.org 0x44000\nk: cli\nmovrc rax, cr3\nmovcr cr3, rax\ninvlpg rax\nsti\nhlt\n' });
    w.m.cpu.rip = w.k('k');
    expect(w.m.run(100).kind).toBe('halt');
    expect(w.m.cpu.rflags & 0x200).toBe(0x200);
    expect(w.rec(REC_COUNT)).toBe(0);
  });

  it('discardPendingFault lets the instruction retry, and stopOnFault sees it again', () => {
    const w = weensyWorld({ user: 'start: nop\nbad: cli\n' });
    w.startUser();
    const first = faultOf(w.m.run(100, { stopOnFault: always }));
    w.m.discardPendingFault();
    const again = faultOf(w.m.run(100, { stopOnFault: always }));
    expect(again).not.toBe(first);
    expect([again.vector, w.m.cpu.rip]).toEqual([13, w.u('bad')]);
  });

  it('a stopOnFault that declines lets the fault be delivered at once', () => {
    const w = weensyWorld({ user: 'start: cli\n' });
    w.startUser();
    const seen: number[] = [];
    const stop = w.m.run(100, { stopOnFault: (f) => (seen.push(f.vector), f.vector === 14) });
    expect(stop.kind).toBe('halt');
    expect(seen).toEqual([13]);
    expect(w.rec(REC_INTNO)).toBe(13);
  });
});

describe('port I/O and IOPL', () => {
  const io = ['in8 rax, rdx', 'in16 rax, rdx', 'in32 rax, rdx', 'out8 rdx, rax', 'out16 rdx, rax', 'out32 rdx, rax'];

  it.each(io)('`%s` raises #GP(0) in user mode with IOPL 0, 1 or 2', (insn) => {
    for (const iopl of [0, 1, 2]) {
      const w = weensyWorld({ user: `start: movi rdx, 0x378\nmovi rax, 65\nbad: ${insn}\n` });
      w.startBoot(0x202 | (iopl << 12));
      const fault = faultOf(w.m.run(100, { stopOnFault: always }));
      expect([fault.vector, fault.errorCode, w.m.cpu.rip, w.m.cpu.cs]).toEqual([13, 0, w.u('bad'), 0x13]);
      expect((w.m.cpu.rflags >> 12) & 3).toBe(iopl);
    }
  });

  it('with IOPL 3 (set through iret) user code may use the ports', () => {
    const log: number[] = [];
    const w = weensyWorld({
      output: { log: (b) => log.push(b) },
      user: 'start: movi rdx, 0x378\nmovi rax, 65\nout8 rdx, rax\nmovi rdx, 0x21\nin8 rbx, rdx\nint 48\n',
    });
    w.startBoot(0x3202);
    w.m.breakpoints.add(w.k('trap_entry'));
    expect(w.m.run(100).kind).toBe('breakpoint');
    expect(log).toEqual([65]);
    expect(w.frame('rbx')).toBe(0xffn); // the PIC mask boot wrote
    expect(w.frame('rflags')).toBe(0x3202n);
    expect(w.frame('intno', FRAME)).toBe(48n);
  });
});

describe('#UD and #DE delivered through installed gates', () => {
  it.each([
    ['ud2', 'bad: ud2', 6],
    ['opcode 0x00', 'bad: .byte 0', 6],
    ['div by zero', 'movi rcx, 0\nbad: div rax, rcx', 0],
    ['divw by zero', 'movi rcx, 0\nbad: divw rax, rcx', 0],
    ['remu by zero', 'movi rcx, 0\nbad: remu rax, rcx', 0],
    ['INT64_MIN / -1', 'movi rax, 1\nshli rax, 63\nmovi rcx, -1\nbad: div rax, rcx', 0],
  ])('%s gives vector %i with no error code, at the instruction', (_name, code, vector) => {
    const w = weensyWorld({ user: `start: nop\n${code}\nnop\n` });
    setGate(w.m, w.idt, vector, w.k('trap_entry'));
    w.startUser();
    const fault = faultOf(w.m.run(100, { stopOnFault: always }));
    expect([fault.vector, fault.errorCode]).toEqual([vector, undefined]);
    expect(w.m.run(100).kind).toBe('halt');
    expect([w.rec(REC_INTNO), w.rec(REC_ERR)]).toEqual([vector, 0]);
    expect(w.frame('rip')).toBe(BigInt(w.u('bad')));
  });
});

/**
 * popf (SDM Vol. 2B, POPF, 64-bit mode) as a BigInt model: at CPL 0 every bit iret may
 * load (CF PF AF ZF SF TF IF DF OF IOPL NT); with CPL > 0 IOPL is kept, and IF too
 * unless CPL <= IOPL; bit 1 is always set.
 */
function popfModel(old: number, popped: bigint, cpl: number): number {
  let mask = 0x1n | 0x4n | 0x10n | 0x40n | 0x80n | 0x100n | 0x200n | 0x400n | 0x800n | 0x3000n | 0x4000n;
  if (cpl > 0) mask &= ~0x3000n;
  if (cpl > ((old >> 12) & 3)) mask &= ~0x200n;
  return Number((BigInt(old) & ~mask) | (popped & mask) | 2n);
}

describe('pushf and popf', () => {
  const POPPED = [0n, 0xffffffffffffffffn, 0x3202n, 0x200n, 0x1000n, 0x2000n, 0x4dd5n, 0xffffffff00000ad5n, 0x3fffffn, 0x8n];

  it('the model: at CPL 3 with IOPL 0 neither IF nor IOPL moves; with IOPL 3 IF does', () => {
    expect(popfModel(0x202, 0n, 3)).toBe(0x202);
    expect(popfModel(0x002, 0xffffffffn, 3)).toBe(0x4dd7);
    expect(popfModel(0x3202, 0n, 3)).toBe(0x3002);
    expect(popfModel(0x2, 0xffffffffn, 0)).toBe(0x7fd7);
  });

  it('at CPL 0 popf loads every flag iret may load; pushf pushes the new value as 8 bytes', () => {
    const w = weensyWorld({ kernelExtra: '.org 0x44000\nk: movi rsp, 0x7f800\npush rax\npopf\npushf\npop rbx\nhlt\n' });
    for (const initial of [0x2, 0x202, 0x3202, 0x1002]) {
      for (const popped of POPPED) {
        w.m.memory.bytes.fill(0xee, 0x7f7f0, 0x7f800);
        w.m.cpu.rflags = initial;
        w.m.cpu.rip = w.k('k');
        w.m.status = 'running';
        setReg(w.m, 'rax', popped);
        const want = popfModel(initial, popped, 0);
        const tag = `rflags ${initial.toString(16)} popf ${popped.toString(16)}`;
        expect(w.m.run(100).kind, tag).toBe('halt');
        expect(w.m.cpu.rflags, tag).toBe(want);
        expect(getReg(w.m, 'rbx'), tag).toBe(BigInt(want));
        expect(read64(w.m, 0x7f7f8), `${tag}: all 8 bytes written`).toBe(BigInt(want));
        expect(getReg(w.m, 'rsp'), tag).toBe(0x7f800n);
      }
    }
  });

  it.each([0, 3])('at CPL 3 with IOPL %i: IOPL never changes, IF only with IOPL 3; neither instruction faults', (iopl) => {
    const w = weensyWorld({ user: 'start: push rax\npopf\npushf\npop rbx\nend: ud2\n' });
    for (const ifBit of [0, 0x200]) {
      for (const popped of POPPED) {
        const initial = 0x2 | ifBit | (iopl << 12);
        w.startUser(initial);
        setReg(w.m, 'rax', popped);
        const want = popfModel(initial, popped, 3);
        const tag = `IOPL ${iopl} rflags ${initial.toString(16)} popf ${popped.toString(16)}`;
        const fault = faultOf(w.m.run(100, { stopOnFault: always }));
        expect([fault.vector, w.m.cpu.rip], tag).toEqual([6, w.u('end')]); // the ud2, nothing earlier
        w.m.discardPendingFault();
        expect(w.m.cpu.rflags, tag).toBe(want);
        expect(getReg(w.m, 'rbx'), tag).toBe(BigInt(want));
        expect((w.m.cpu.rflags >> 12) & 3, tag).toBe(iopl);
        if (iopl === 0) expect(w.m.cpu.rflags & 0x200, tag).toBe(ifBit);
        else expect(w.m.cpu.rflags & 0x200, tag).toBe(Number(popped & 0x200n));
      }
    }
  });

  it.each([
    ['pushf', 'a non-canonical rsp', 0x800000000008n, 12, undefined],
    ['popf', 'a non-canonical rsp', 0x800000000000n, 12, undefined],
    ['pushf', 'a supervisor-only stack page', 0x7f800n, 14, 0x7], // P | W | U
    ['popf', 'a supervisor-only stack page', 0x7f000n, 14, 0x5], // P | U
  ] as const)('user-mode %s with %s faults as a stack access, changing nothing', (insn, _what, rsp, vector, pfErr) => {
    const w = weensyWorld({ user: `start: ${insn}\nud2\n` });
    w.startUser(0x3202);
    setReg(w.m, 'rsp', rsp);
    const fault = faultOf(w.m.run(100, { stopOnFault: always }));
    expect([fault.vector, fault.errorCode]).toEqual([vector, pfErr ?? 0]);
    expect([w.m.cpu.rip, w.m.cpu.rflags, getReg(w.m, 'rsp')]).toEqual([w.u('start'), 0x3202, rsp]);
  });
});
