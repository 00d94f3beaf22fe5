// The block translator (emulator/machine/jit/): directed cases for what it
// must get exactly right — every translatable operation against the
// interpreter, faults in the middle of a block, the timer, breakpoints and
// run budgets that end inside a block, self-modifying code, the loader's and
// the debugger's writes, the same physical code at two linear addresses, CR3
// switches, TLB counters with a TLB so small that data evicts code, stale TLB
// entries, and snapshots. Each case runs the same program with the JIT on
// (translating at once) and off and compares the whole machine state.

import { describe, expect, it } from 'vitest';
import { PTE_P, PTE_U, PTE_W } from '../../emulator/machine/constants';
import { jitDefaults } from '../../emulator/machine/jit/jit';
import { Machine, type MachineConfig, type StopReason } from '../../emulator/machine/machine';
import { hashMachine, restoreMachine, saveMachine } from '../../emulator/machine/snapshot';
import { assemble } from '../../emulator/machine/isa/assembler';
import { instructionLength } from '../../emulator/machine/isa/decoder';
import { enablePaging, getReg, load, PageTables, read64, setReg } from './helpers';
import { REC_PICMASK, weensyWorld } from './weensy-env';

const ON: MachineConfig = { jit: true, jitThreshold: 1 };
const OFF: MachineConfig = { jit: false };

/** Two machines built by `build`, one with the JIT and one without. */
function pair(build: (config: MachineConfig) => Machine): { on: Machine; off: Machine } {
  return { on: build(ON), off: build(OFF) };
}

/** Compares the two machines: registers, counts and TLB counters, and (unless `hash` is false) the whole state. */
function expectSame(on: Machine, off: Machine, what = '', hash = true): void {
  expect(on.cpu.rip, `rip ${what}`).toBe(off.cpu.rip);
  expect([...on.cpu.regs], `registers ${what}`).toEqual([...off.cpu.regs]);
  expect(on.icount, `icount ${what}`).toBe(off.icount);
  expect(on.userIcount, `userIcount ${what}`).toBe(off.userIcount);
  expect({ ...on.mmu.tlb.counters }, `TLB counters ${what}`).toEqual({ ...off.mmu.tlb.counters });
  if (hash) expect(hashMachine(on), `hash ${what}`).toBe(hashMachine(off));
}

/** Runs both for `n` instructions; the stop reasons must be equal, and the states (hashed when `hash`). */
function runBoth(p: { on: Machine; off: Machine }, n: number, what = '', hash = true): StopReason {
  const a = p.on.run(n);
  const b = p.off.run(n);
  expect(a, what).toEqual(b);
  expectSame(p.on, p.off, what, hash);
  return a;
}

/** A machine with paging: identity map of [0, 0x100000) (user, writable), tables at 0x100000. */
function paged(source: string, config: MachineConfig, extra?: (pt: PageTables, m: Machine) => void): Machine {
  const m = new Machine(config);
  const pt = new PageTables(m, 0x100000);
  pt.identity(0, 0x100000, PTE_P | PTE_W | PTE_U);
  extra?.(pt, m);
  load(m, source);
  enablePaging(m, pt.root);
  return m;
}

describe('configuration', () => {
  it('is on or off per machine, and the threshold is checked', () => {
    expect(new Machine({ jit: false }).jit).toBeUndefined();
    expect(new Machine({ jit: true }).jit).toBeDefined();
    expect(new Machine({ jit: true, jitThreshold: 5 }).jit!.threshold).toBe(5);
    expect(() => new Machine({ jit: true, jitThreshold: 0 })).toThrow(RangeError);
    expect(() => new Machine({ jit: true, jitThreshold: 256 })).toThrow(RangeError);
  });

  it('follows WEENSY_JIT by default (test/machine/jit-mode.ts)', () => {
    expect(jitDefaults.enabled).toBe(process.env.WEENSY_JIT !== '0');
    expect(new Machine().jit !== undefined).toBe(process.env.WEENSY_JIT !== '0');
  });

  it('translates a block only once its start was reached `threshold` times', () => {
    const m = new Machine({ jit: true, jitThreshold: 3 });
    load(m, '.org 0x1000\nstart: movi rcx, 10\nl: addi rax, 1\naddi rcx, -1\nbnz rcx, l\nhlt\n');
    // `l` is reached for the third time after 7 instructions: until then everything is interpreted.
    expect(m.run(7).kind).toBe('budget');
    expect(m.jit!.blockRuns).toBe(0);
    expect(m.run(1000).kind).toBe('halt');
    expect(getReg(m, 'rax')).toBe(10n);
    expect(m.jit!.blockRuns).toBe(1); // the rest of the loop in one run of its region
  });

  it('forms a region of the cycles through its entry, decoded ahead, and of blocks that have run', () => {
    // fib recurses before it returns: when `fib` gets hot, neither the code after each call
    // nor the base case has run (or been fetched) yet, but both are on fib's cycles (a call,
    // its return point, a return back to a return point), so the region holds them.
    const src = `
      .org 0x10000
      start: movi rsp, 0x80000
             movi rdi, 12
             call fib
      stop:  hlt
      fib:   enter 16
             blti rdi, 2, base
             st64 [rbp-8], rdi
             addi rdi, -1
             call fib
             st64 [rbp-16], rax
             ld64 rdi, [rbp-8]
             addi rdi, -2
             call fib
      back:  ld64 rcx, [rbp-16]
             add rax, rcx
             leave
             ret
      base:  mov rax, rdi
             leave
             ret
    `;
    const p = pair((config) => paged(src, config.jit ? { ...config, jitThreshold: 4 } : config));
    const prog = assemble(src);
    const fib = prog.symbols.get('fib')!;
    const page = p.on.decodeCache.blockPage(fib >> 12);
    // A breakpoint anywhere stops blocks from chaining, so every block start goes through the run loop.
    const end = prog.symbols.get('stop')!;
    for (const m of [p.on, p.off]) m.breakpoints.add(end);
    runBoth(p, 40, '', false);
    const first = page.blocks[fib & 0xfff];
    expect(first).toBeTruthy();
    for (const label of ['back', 'base']) {
      const at = prog.symbols.get(label)!;
      expect(p.off.decodeCache.decoded(at), label).toBeUndefined(); // not run yet...
      expect(page.blocks[at & 0xfff]?.run, label).toBe(first!.run); // ...but in the region
    }
    expect(runBoth(p, 1e6)).toEqual({ kind: 'breakpoint', rip: end });
    expect(getReg(p.on, 'rax')).toBe(144n);
    expect(page.blocks[fib & 0xfff]).toBe(first);
  });
});

/** Interesting 64-bit operands. */
const VALUES = [
  0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 63n, 64n, 65n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x123456789abcdef0n, 0x7fffffffffffffffn,
  -1n, -2n, -3n, -7n, -0x80n, -0x8000n, -0x80000000n, -0x80000001n, -0x8000000000000000n, -0x123456789n,
];

const RR = [
  'mov', 'add', 'sub', 'and', 'or', 'xor', 'shl', 'shr', 'sar', 'mul', 'div', 'divu', 'rem', 'remu',
  'zext32', 'addw', 'subw', 'shlw', 'shrw', 'sarw', 'mulw', 'divw', 'divuw', 'remw', 'remuw',
  'neg', 'not', 'sext8', 'sext16', 'sext32', 'zext8', 'zext16', 'negw',
  'seq', 'sne', 'slt', 'sltu', 'sle', 'sleu', 'sgt', 'sgtu', 'sge', 'sgeu',
];
const RI = ['addi', 'andi', 'ori', 'xori', 'muli', 'addwi', 'shli', 'shri', 'sari', 'shlwi', 'shrwi', 'sarwi'];
const IMMS = [0, 1, 2, 31, 32, 33, 63, 100, 127, -1, -128, -129, 0x7fffffff, -0x80000000, 0x12345];
const BR = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const BRI = ['beqi', 'bnei', 'blti', 'bgei', 'bltui', 'bgeui'];

describe('every operation gives the interpreter\'s result', () => {
  // Each program loops over a table of operands (at 0x30000) and stores every
  // result (from 0x40000), under paging; a division by zero faults, and the
  // test skips the division (stopOnFault, then rip past it) on both machines.
  const runProgram = (body: string): void => {
    const source = `.org 0x10000\nstart:\n${body}\nhlt\n`;
    const p = pair((config) => {
      const m = paged(source, config);
      VALUES.forEach((v, i) => {
        const lo = Number(BigInt.asUintN(32, v));
        const hi = Number(BigInt.asIntN(32, v >> 32n));
        m.memory.write64(0x30000 + 8 * i, lo | 0, hi);
      });
      return m;
    });
    for (let guard = 0; guard < 10_000; guard++) {
      const a = p.on.run(1e6, { stopOnFault: () => true });
      const b = p.off.run(1e6, { stopOnFault: () => true });
      expect(a).toEqual(b);
      expectSame(p.on, p.off, '', false);
      if (a.kind !== 'fault') break;
      expect(a.fault.vector).toBe(0);
      for (const m of [p.on, p.off]) {
        m.discardPendingFault();
        m.cpu.rip += 2;
      }
    }
    expect(p.on.status).toBe('halted');
    expectSame(p.on, p.off);
    expect(p.on.jit!.blockRuns).toBeGreaterThan(0);
  };
  const N = VALUES.length;
  /** for x in VALUES: for y in VALUES: `each` (x in rax, y in rbx, r10 the output pointer). */
  const overPairs = (each: string): string => `
    movi rsi, 0x30000
    movi r10, 0x40000
    movi r8, 0
    outer: movi r9, 0
    inner: ld64 rax, [rsi+r8*8]
           ld64 rbx, [rsi+r9*8]
           ${each}
           addi r10, 8
           addi r9, 1
           blti r9, ${N}, inner
           addi r8, 1
           blti r8, ${N}, outer
    movi rcx, -5
  `;

  it.each(RR)('%s', (op) => {
    runProgram(`${overPairs(`${op} rax, rbx\nst64 [r10], rax`)}\n${op} rcx, rcx\nst64 [r10], rcx`);
  });

  it.each(RI)('%s', (op) => {
    const imms = IMMS.filter((imm) => !/^(shl|shr|sar)w?i$/.test(op) || (imm >= 0 && imm <= 127));
    const each = imms.map((imm, k) => `mov rdx, rax\n${op} rdx, ${imm}\nst64 [r10+${8 * k}], rdx`).join('\n');
    runProgram(overPairs(`${each}\naddi r10, ${8 * imms.length}`));
  });

  it.each([...BR, ...BRI, 'bz', 'bnz'])('%s', (op) => {
    const operands = BRI.includes(op) ? 'rax, CONST' : op === 'bz' || op === 'bnz' ? 'rax' : 'rax, rbx';
    const consts = BRI.includes(op) ? [0, 1, -1, 5, -128, 127] : [0];
    const each = consts
      .map((k, i) => `movi rcx, 1\n${op} ${operands.replace('CONST', String(k))}, t${i}\nmovi rcx, 2\nt${i}: st64 [r10+${8 * i}], rcx`)
      .join('\n');
    runProgram(overPairs(`${each}\naddi r10, ${8 * consts.length}`));
  });

  it('loads and stores of every size and form, sign and zero extension, and lea', () => {
    const lines: string[] = ['movi rbx, 0x30000', 'movi r11, 0x50000', 'movi rcx, 3'];
    let out = 0x40000;
    for (const ld of ['ld8u', 'ld8s', 'ld16u', 'ld16s', 'ld32u', 'ld32s', 'ld64']) {
      for (let i = 0; i < 8 * N; i += 3) {
        lines.push(`${ld} rax, [rbx+${i}]`, `st64 [${out}], rax`);
        out += 8;
      }
      lines.push(`${ld} rdx, [rbx+rcx*2]`, `st64 [${out}], rdx`, `${ld} rdx, [0x30005]`, `st64 [${out + 8}], rdx`);
      out += 16;
    }
    for (const st of ['st8', 'st16', 'st32', 'st64']) {
      lines.push('movi rax, 0x1122334455667788', `${st} [r11+1003], rax`, `${st} [r11+rcx*8], rax`, `${st} [0x50100], rax`);
    }
    lines.push('lea rdx, [rbx-77]', 'st64 [0x50200], rdx', 'lea rdx, [rbx+rcx*4]', 'st64 [0x50208], rdx');
    runProgram(lines.join('\n'));
  });

  it('push, pop, pushf, enter, leave, call, ret, jmp and call through a register', () => {
    runProgram([
      'movi rsp, 0x80000', 'movi rbp, 0x1234', 'movi rax, -9',
      'push rax', 'push rsp', 'pop rbx', 'pop rcx', 'pushf', 'pop rdx',
      'enter 40', 'st64 [rbp-8], rax', 'mov rsi, rsp', 'mov rdi, rbp', 'leave',
      'call f', 'movi r8, g', 'call r8', 'movi r9, h', 'jmp r9',
      'f: movi r10, 10', 'ret',
      'g: movi r11, 11', 'ret',
      'h: st64 [0x50000], rsp', 'push rsp', 'pop rsp', 'st64 [0x50008], rsp',
    ].join('\n'));
  });
});

describe('a fault inside a block', () => {
  // The first pass through `l` reads a mapped page; the second, translated (threshold 2: by
  // then the CPU has fetched the whole loop, so the block holds all of it), faults at `bad`.
  const source = `
    .org 0x10000
    start: movi rcx, 2
           movi rsi, 0x20000
    l:     movi rax, 1
           movi rbx, 2
    bad:   ld64 rdx, [rsi]
           movi rsi, 0x300000
           addi rcx, -1
           bnz rcx, l
           hlt
  `;
  it('leaves rip at the faulting instruction with the earlier ones retired and counted', () => {
    const config = (c: MachineConfig): MachineConfig => (c.jit ? { ...c, jitThreshold: 2 } : c);
    const p = pair((c) => paged(source, config(c)));
    const a = p.on.run(100, { stopOnFault: () => true });
    const b = p.off.run(100, { stopOnFault: () => true });
    expect(a.kind).toBe('fault');
    expect(a).toEqual(b);
    expect(p.on.cpu.rip).toBe(assemble(source).symbols.get('bad'));
    expect(getReg(p.on, 'rax')).toBe(1n);
    expect(getReg(p.on, 'rbx')).toBe(2n);
    expect(p.on.icount).toBe(2 + 6 + 2);
    expect(p.on.jit!.blockRuns).toBe(1);
    expectSame(p.on, p.off);
  });

  it('consumes the same budget as the interpreter (the faulting instruction counts)', () => {
    // Without an IDT the fault escalates to a triple fault; a budget of 11 ends exactly there.
    const p = pair((config) => paged(source, config.jit ? { ...config, jitThreshold: 2 } : config));
    expect(runBoth(p, 10).kind).toBe('budget');
    expect(runBoth(p, 1).kind).toBe('shutdown');
  });

  it('raises #DE from a division by zero after the earlier instructions', () => {
    const src = '.org 0x10000\nstart: movi rax, 7\nmovi rbx, 0\naddi rax, 1\nd: div rax, rbx\nmovi rax, 0\nhlt\n';
    const p = pair((config) => paged(src, config));
    const a = p.on.run(100, { stopOnFault: () => true });
    expect(a.kind === 'fault' && a.fault.vector).toBe(0);
    expect(p.on.cpu.rip).toBe(assemble(src).symbols.get('d'));
    expect(getReg(p.on, 'rax')).toBe(8n);
    p.off.run(100, { stopOnFault: () => true });
    expectSame(p.on, p.off);
  });
});

describe('the run budget, breakpoints and the timer inside blocks', () => {
  const LOOP = `
    .org 0x10000
    start: movi rcx, 1000
    l:     addi rax, 3
           st64 [0x20000], rax
           ld64 rdx, [0x20000]
    mid:   add rbx, rdx
           addi rcx, -1
           bnz rcx, l
           hlt
  `;

  it('stops after exactly n instructions for every n, inside a block or between blocks', () => {
    for (let n = 1; n <= 30; n++) {
      const p = pair((config) => paged(LOOP, config));
      runBoth(p, 50, `warm-up ${n}`, false);
      expect(p.on.run(n)).toEqual({ kind: 'budget' });
      p.off.run(n);
      expect(p.on.icount).toBe(50 + n);
      expectSame(p.on, p.off, `n = ${n}`, n % 10 === 0);
    }
  });

  it('stops at a breakpoint inside a translated loop, and again one iteration later', () => {
    const p = pair((config) => paged(LOOP, config));
    runBoth(p, 200);
    const runs = p.on.jit!.blockRuns;
    expect(runs).toBeGreaterThan(0);
    const mid = assemble(LOOP).symbols.get('mid')!;
    for (const m of [p.on, p.off]) m.breakpoints.add(mid);
    expect(runBoth(p, 1000)).toEqual({ kind: 'breakpoint', rip: mid });
    const at = p.on.icount;
    expect(runBoth(p, 1000)).toEqual({ kind: 'breakpoint', rip: mid });
    expect(p.on.icount - at).toBe(6);
    for (const m of [p.on, p.off]) m.breakpoints.clear();
    expect(runBoth(p, 1e6).kind).toBe('halt');
    expect(getReg(p.on, 'rbx')).toBe(BigInt(3 * (1000 * 1001) / 2));
    expect(p.on.jit!.blockRuns).toBeGreaterThan(runs);
  });

  it('keeps chaining blocks while the only breakpoints are outside the region, and stops at them', () => {
    const src = LOOP.replace('hlt', 'after: hlt');
    const after = assemble(src).symbols.get('after')!;
    const plain = pair((config) => paged(src, config));
    expect(runBoth(plain, 1e6).kind).toBe('halt');
    const p = pair((config) => paged(src, config));
    for (const m of [p.on, p.off]) m.breakpoints.add(after);
    expect(runBoth(p, 1e6)).toEqual({ kind: 'breakpoint', rip: after });
    expect(getReg(p.on, 'rbx')).toBe(BigInt(3 * (1000 * 1001) / 2));
    // As many region calls as without the breakpoint: the loop did not go back to the run loop per block.
    expect(p.on.jit!.blockRuns).toBe(plain.on.jit!.blockRuns);
    // A breakpoint added inside the region later is seen (the set's generation moved).
    const mid = assemble(src).symbols.get('mid')!;
    const q = pair((config) => paged(src, config));
    for (const m of [q.on, q.off]) m.breakpoints.add(after);
    runBoth(q, 300);
    for (const m of [q.on, q.off]) m.breakpoints.add(mid);
    expect(runBoth(q, 1e6)).toEqual({ kind: 'breakpoint', rip: mid });
  });

  it.each([1, 2, 5, 6, 7, 13, 100])('delivers the timer before the same user instruction (every %i)', (n) => {
    const user = 'start: movi rcx, 300\nl: addi rax, 1\nst64 [0x101000], rax\naddi rcx, -1\nbnz rcx, l\nspin: addi rbx, 1\njmp spin\n';
    const p = pair((config) => {
      const w = weensyWorld({ ...config, instructionsPerTick: n, user });
      w.setRec(REC_PICMASK, 0xfe);
      w.startBoot();
      return w.m;
    });
    for (let s = 0; s < 20; s++) runBoth(p, 97, `slice ${s}`, s % 5 === 4);
    expect(Number(read64(p.on, 0x52000 + 0x100 + 8 * 32))).toBeGreaterThan(0); // timer interrupts were taken
    expect(p.on.jit!.blockRuns).toBeGreaterThan(0);
  });

  it('runs an unconditional self-loop to the budget and the timer', () => {
    const p = pair((config) => {
      const w = weensyWorld({ ...config, instructionsPerTick: 11, user: 'spin: addi rax, 1\njmp spin\n' });
      w.setRec(REC_PICMASK, 0xfe);
      w.startBoot();
      return w.m;
    });
    for (let s = 0; s < 10; s++) runBoth(p, 1000 + s, '', s === 9);
    expect(p.on.jit!.blockRuns).toBeGreaterThan(0);
  });
});

describe('code that changes', () => {
  it('sees its own write to a later instruction of the same block', () => {
    // The store patches the imm32 of `patched`, two instructions later in the same block.
    const src = `
      .org 0x10000
      start:   movi rcx, 3
      l:       movi rbx, patched + 2
               st8 [rbx], rcx
      patched: movi rax, 0x100
               add rdx, rax
               addi rcx, -1
               bnz rcx, l
               hlt
    `;
    const p = pair((config) => paged(src, config));
    expect(runBoth(p, 1000).kind).toBe('halt');
    expect(getReg(p.on, 'rdx')).toBe(0x103n + 0x102n + 0x101n);
  });

  it('runs new code after a loader or debugger write to a translated page', () => {
    const src = '.org 0x10000\nstart: movi rcx, 5\nl: addi rax, 1\naddi rcx, -1\nbnz rcx, l\nhlt\n';
    const p = pair((config) => paged(src, config));
    expect(runBoth(p, 100).kind).toBe('halt');
    expect(getReg(p.on, 'rax')).toBe(5n);
    const l = assemble(src).symbols.get('l')!;
    const patch = assemble(`.org ${l}\naddi rax, 7\n`).bytes;
    for (const m of [p.on, p.off]) {
      m.memory.writeBytes(l, patch);
      m.status = 'running';
      m.cpu.rip = assemble(src).symbols.get('start')!;
      setReg(m, 'rax', 0);
    }
    expect(runBoth(p, 100).kind).toBe('halt');
    expect(getReg(p.on, 'rax')).toBe(35n);
  });
});

describe('addresses', () => {
  it('runs the same physical code at two linear addresses with the right return addresses', () => {
    // 0x10000 is also mapped at 0x210000 and at 0xffff800000010000.
    const src = `
      .org 0x10000
      start: movi rsp, 0x80000
             movi r8, main2 + 0x200000
             jmp r8
      main2: call f
      ret1:  movi r8, main3 - 0x800000000000
             jmp r8
      main3: call f
      ret2:  movi r8, main4
             jmp r8
      main4: call f
      ret3:  hlt
      f:     pop r9
             push r9
             add rbx, r9
             ret
    `;
    const extra = (pt: PageTables, m: Machine): void => {
      pt.map(0x210000, 0x10000, PTE_P | PTE_W);
      // The upper-half mapping: L1 entry 256, then entry 0, 0, and 16 of three more tables.
      const l2 = 0x180000;
      const l3 = 0x181000;
      const l4 = 0x182000;
      m.memory.bytes.fill(0, l2, l2 + 0x3000);
      m.memory.write64(pt.root + 256 * 8, l2 | 7, 0);
      m.memory.write64(l2, l3 | 7, 0);
      m.memory.write64(l3, l4 | 7, 0);
      m.memory.write64(l4 + 16 * 8, 0x10000 | 3, 0);
    };
    const p = pair((config) => paged(src, config, extra));
    expect(runBoth(p, 1000).kind).toBe('halt');
    const sym = (name: string): bigint => BigInt(assemble(src).symbols.get(name)!);
    expect(getReg(p.on, 'rbx')).toBe(BigInt.asUintN(64, sym('ret1') + 0x200000n + (sym('ret2') - 0x800000000000n) + sym('ret3')));
    expect(p.on.cpu.rip).toBe(Number(sym('ret3')) + 1);
  });

  it('does not run a block of one address space in another (blocks are per physical page)', () => {
    // Both address spaces map 0x30000 to code; the kernel calls it, switches CR3, and calls it again.
    const src = `
      .org 0x10000
      start: movi rsp, 0x80000
             call 0x30000
             mov rbx, rax
             movi rcx, 0x160000
             movcr cr3, rcx
             call 0x30000
             hlt
    `;
    const build = (config: MachineConfig): Machine => {
      const m = new Machine(config);
      const a = new PageTables(m, 0x100000);
      a.identity(0, 0x30000, PTE_P | PTE_W);
      a.identity(0x40000, 0x100000, PTE_P | PTE_W);
      a.map(0x30000, 0x31000, PTE_P | PTE_W);
      const b = new PageTables(m, 0x160000);
      b.identity(0, 0x30000, PTE_P | PTE_W);
      b.identity(0x40000, 0x100000, PTE_P | PTE_W);
      b.map(0x30000, 0x32000, PTE_P | PTE_W);
      expect(b.root).toBe(0x160000);
      load(m, src);
      m.memory.writeBytes(0x31000, assemble('.org 0x31000\nmovi rax, 1\nret\n').bytes);
      m.memory.writeBytes(0x32000, assemble('.org 0x32000\nmovi rax, 2\nret\n').bytes);
      enablePaging(m, a.root);
      return m;
    };
    const p = pair(build);
    expect(runBoth(p, 1000).kind).toBe('halt');
    expect(getReg(p.on, 'rbx')).toBe(1n);
    expect(getReg(p.on, 'rax')).toBe(2n);
  });

  it.each([false, true])('carries a displacement across 4 GiB as the interpreter does (paging %s)', (paging) => {
    // The fast path decides on the low half of [base + disp] (t) and the base's high half:
    // a carry out of the low half (or a borrow into it) makes the high half non-zero, and
    // the access must not land on page t >>> 12, which is in use (and in the JIT's mirror).
    // With paging on each access faults (a page not present), and the test skips it; with
    // paging off it reads or writes past RAM.
    const src = `
      .org 0x10000
      start: movi rsp, 0x80000
             movi rbx, 0x20000
             movi r9, 0x5a5a
             movi rcx, 200
      warm:  st64 [rbx+8], rcx
             ld64 rax, [rbx+8]
             ld8u rdx, [rbx]
             addi rcx, -1
             bnz rcx, warm
             movu rsi, 0xfffffff8
             movi rcx, 3
      l:     st64 [rbx+8], rcx
             ld64 rax, [rsi+0x20010]
             st32 [rsi+0x20018], r9
             ld8u rdx, [rsi+0x20008]
             movi rdi, 1
             shli rdi, 32
             add rdi, rbx
             ld16u rax, [rdi-0x10]
             st8 [rdi+8], r9
             movi rdi, 8
             ld32s rax, [rdi-0x10]
             st64 [rdi-0x20], r9
             addi rcx, -1
             bnz rcx, l
             hlt
    `;
    const build = (config: MachineConfig): Machine => (paging ? paged(src, config) : (() => {
      const m = new Machine(config);
      load(m, src);
      return m;
    })());
    const p = pair(build);
    for (let guard = 0; guard < 100; guard++) {
      const a = p.on.run(1e5, { stopOnFault: () => true });
      const b = p.off.run(1e5, { stopOnFault: () => true });
      expect(a).toEqual(b);
      expectSame(p.on, p.off, `step ${guard}`);
      if (a.kind !== 'fault') break;
      for (const m of [p.on, p.off]) {
        m.discardPendingFault();
        m.cpu.rip += instructionLength(m.memory.bytes[m.cpu.rip]!);
      }
    }
    expect(p.on.status).toBe('halted');
    expect(p.on.jit!.retired).toBeGreaterThan(500);
  });
});

describe('the TLB', () => {
  it.each([1, 2, 4])('counts hits and misses as the interpreter does with %i entries, data evicting code', (tlbSize) => {
    const src = `
      .org 0x10000
      start: movi rcx, 50
      l:     ld64 rax, [0x21000]
             st64 [0x22008], rax
             ld64 rdx, [0x20ffc]
             st64 [0x23ffe], rdx
             push rax
             pop rbx
             addi rcx, -1
             bnz rcx, l
             hlt
    `;
    const p = pair((config) => paged(src, { ...config, tlbSize }));
    for (const m of [p.on, p.off]) setReg(m, 'rsp', 0x50000);
    for (let s = 0; s < 40; s++) runBoth(p, 17, `slice ${s}`, s % 10 === 9);
    expect(p.on.mmu.tlb.counters.misses).toBeGreaterThan(50);
  });

  it('notices a stale entry after a page-table write inside a block, as the interpreter does', () => {
    // The program clears W in the PTE of 0x20000 through a mapping of its page table, then keeps
    // writing 0x20000: the TLB entry is stale (no invlpg), so the writes go through and count.
    let pte = 0;
    const build = (config: MachineConfig): Machine => {
      const m = new Machine(config);
      const pt = new PageTables(m, 0x100000);
      pt.identity(0, 0x100000, PTE_P | PTE_W);
      pte = pt.entries(0x20000)[3]!;
      pt.map(0x90000, pte & ~0xfff, PTE_P | PTE_W);
      load(m, `
        .org 0x10000
        start: movi rcx, 20
               st64 [0x20000], rcx
        l:     ld64 rax, [${0x90000 + (pte & 0xfff)}]
               andi rax, -3
               st64 [${0x90000 + (pte & 0xfff)}], rax
               st64 [0x20000], rcx
               ld64 rdx, [0x20000]
               addi rcx, -1
               bnz rcx, l
               hlt
      `);
      enablePaging(m, pt.root);
      return m;
    };
    const p = pair(build);
    for (let s = 0; s < 30; s++) runBoth(p, 9, `slice ${s}`, s % 10 === 9);
    expect(p.on.mmu.tlb.counters.staleHits).toBeGreaterThan(0);
    expect(p.on.mmu.lastStaleUse?.va).toBe(p.off.mmu.lastStaleUse?.va);
  });
});

describe('paging off', () => {
  it('counts no TLB events (with paging off there is no TLB), as the interpreter does', () => {
    // Hosted programs run like this: with paging off every translation is a miss (nothing is cached).
    const src = `
      .org 0x10000
      start: movi rsp, 0x80000
             movi rcx, 300
             movi rbx, 0x20000
      l:     st64 [rbx+rcx*8], rcx
             ld64 rax, [rbx+rcx*8]
             push rax
             pop rdx
             st8 [0x7fffe], rcx
             ld32s rdx, [0x1fffe]
             addi rcx, -1
             bnz rcx, l
             hlt
    `;
    const p = pair((config) => {
      const m = new Machine(config);
      load(m, src);
      return m;
    });
    for (let s = 0; s < 12; s++) runBoth(p, 250, `slice ${s}`, s === 11);
    expect(p.on.status).toBe('halted');
    expect(p.on.mmu.tlb.counters.misses).toBe(0);
    expect(p.on.mmu.tlb.counters.hits).toBe(0);
    expect(p.on.jit!.retired).toBeGreaterThan(2000);
  });

  it('uses a TLB entry left over from paging as the interpreter does (the fast path leaves its page alone)', () => {
    // Only a restored snapshot or a debugger can leave an entry valid with paging off;
    // Mmu.translate then takes its hit path (and counts) for that page, and nowhere else.
    const src = `
      .org 0x10000
      start: movi rsp, 0x80000
             movi rcx, 400
             movi rbx, 0x20000
      l:     st32 [rbx+rcx*4], rcx
             ld16u rax, [rbx+rcx*2]
             ld8s rdx, [0x30ffd]
             st64 [0x30ffc], rcx
             push rax
             pop rdx
             addi rcx, -1
             bnz rcx, l
             hlt
    `;
    const p = pair((config) => {
      const m = new Machine(config);
      load(m, src);
      m.mmu.tlb.fill(0x20, 0x20000, 1 | 8, [0x1000, 0x2000, 0x3000, 0x4000]); // W and D: 0x20000 -> 0x20000
      m.mmu.tlb.fill(0x7f, 0x50000, 1 | 8, [0x1000, 0x2000, 0x3000, 0x4000]); // the stack page, elsewhere
      return m;
    });
    for (let s = 0; s < 12; s++) runBoth(p, 300, `slice ${s}`, s === 11);
    expect(p.on.status).toBe('halted');
    expect(p.on.mmu.tlb.counters.hits).toBeGreaterThan(1000);
    expect(p.on.jit!.retired).toBeGreaterThan(2000);
  });
});

describe('snapshots', () => {
  it('a restored machine (no blocks yet) continues exactly like the original', () => {
    const src = '.org 0x10000\nstart: movi rcx, 400\nl: addi rax, 1\nst64 [0x20000+rcx*8], rax\naddi rcx, -1\nbnz rcx, l\nhlt\n'
      .replace('[0x20000+rcx*8]', '[rbx+rcx*8]')
      .replace('start:', 'start: movi rbx, 0x20000\n');
    const original = paged(src, ON);
    const interpreter = paged(src, OFF);
    original.run(333);
    interpreter.run(333);
    const copy = new Machine(ON);
    restoreMachine(copy, saveMachine(original));
    expect(hashMachine(copy)).toBe(hashMachine(original));
    for (const m of [original, copy, interpreter]) expect(m.run(1e6).kind).toBe('halt');
    expect(hashMachine(copy)).toBe(hashMachine(original));
    expect(hashMachine(copy)).toBe(hashMachine(interpreter));
    expect(copy.jit!.blockRuns).toBeGreaterThan(0);
  });
});
