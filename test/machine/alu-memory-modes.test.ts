// The [abs32] and [b + (c << s)] addressing forms as the machine executes
// them, against a BigInt model of the address: loads and stores of every
// width, lea, sign extension of abs32 (under paging, into the top 2 GiB),
// index wrap-around, a page-straddling indexed access, and which accesses
// are stack accesses. (The [b + disp] forms: alu-memory.test.ts.)

import { describe, expect, it } from 'vitest';
import { PTE_P, PTE_W } from '../../emulator/machine/constants';
import { OPCODES, REGISTER_NAMES, type RegisterName } from '../../emulator/machine/isa/opcodes';
import { Machine } from '../../emulator/machine/machine';
import { enablePaging, getReg, load, machineWith, PageTables, read64, setReg, write64 } from './helpers';

const ORG = 0x1000;
const MEMSIZE = 0x10000;
const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const hex = (v: bigint): string => `0x${u(v).toString(16)}`;

const LOADS: Record<string, { size: number; signed: boolean }> = {
  ld8u: { size: 1, signed: false }, ld8s: { size: 1, signed: true }, ld16u: { size: 2, signed: false }, ld16s: { size: 2, signed: true },
  ld32u: { size: 4, signed: false }, ld32s: { size: 4, signed: true }, ld64: { size: 8, signed: false },
};
const STORES: Record<string, number> = { st8: 1, st16: 2, st32: 4, st64: 8 };
const PATTERNS = [0x8877665544332211n, 0xf1e2d3c4b5a69788n, 0x7f7f7f7f7f7f7f7fn, 0x80n, 0xffffffffffffffffn];
const absForms = OPCODES.filter((o) => o.format === 'mem-abs32');
const idxForms = OPCODES.filter((o) => o.format === 'mem-idx');
const opcodeOf = (mn: string, format: string): number => OPCODES.find((o) => o.mnemonic === mn && o.format === format)!.opcode;

/** What a load of `size` bytes holding `pattern`'s low bytes leaves in its destination. */
const loaded = (pattern: bigint, size: number, signed: boolean): bigint => {
  const raw = BigInt.asUintN(size * 8, pattern);
  return signed ? u(BigInt.asIntN(size * 8, raw)) : raw;
};

function bytesAt(m: Machine, pa: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(m.memory.bytes[pa + i]!);
  return v;
}

function run(source: string, setup: (m: Machine) => void = () => {}): { m: Machine; stop: ReturnType<Machine['run']>; bytes: Uint8Array } {
  const { m, prog } = machineWith(`.org ${ORG}\n${source}`, { memorySize: MEMSIZE });
  setup(m);
  const stop = m.run(1000, { stopOnFault: () => true });
  return { m, stop, bytes: prog.bytes };
}

describe('the forms under test', () => {
  it('[abs32] exists for every load and store, [b + (c << s)] for those and lea', () => {
    expect(absForms.map((o) => o.mnemonic).sort()).toEqual([...Object.keys(LOADS), ...Object.keys(STORES)].sort());
    expect(idxForms.map((o) => o.mnemonic).sort()).toEqual([...Object.keys(LOADS), ...Object.keys(STORES), 'lea'].sort());
  });
});

describe('[abs32]', () => {
  it.each(Object.entries(LOADS))('%s rax, [abs] extends as documented', (mn, { size, signed }) => {
    for (const addr of [0x6000, 0x6003, 0xfff8]) {
      for (const pattern of PATTERNS) {
        const { m, stop, bytes } = run(`start: ${mn} rax, [${addr}]\nhlt`, (mm) => {
          write64(mm, addr, pattern);
          setReg(mm, 'rax', 0x5555555555555555n);
        });
        const tag = `${mn} [${hex(BigInt(addr))}] pattern=${hex(pattern)}`;
        expect([bytes[0], bytes.length], tag).toEqual([opcodeOf(mn, 'mem-abs32'), 7]);
        expect(stop.kind, tag).toBe('halt');
        expect(getReg(m, 'rax'), tag).toBe(loaded(pattern, size, signed));
      }
    }
  });

  it.each(Object.entries(STORES))('%s [abs], rcx writes exactly its bytes', (mn, size) => {
    for (const pattern of PATTERNS) {
      const addr = 0x6009;
      const { m, stop, bytes } = run(`start: ${mn} [${addr}], rcx\nhlt`, (mm) => {
        mm.memory.bytes.fill(0xaa, addr - 16, addr + 16);
        setReg(mm, 'rcx', pattern);
      });
      const tag = `${mn} pattern=${hex(pattern)}`;
      expect(bytes[0], tag).toBe(opcodeOf(mn, 'mem-abs32'));
      expect(stop.kind, tag).toBe('halt');
      expect(bytesAt(m, addr, size), tag).toBe(BigInt.asUintN(size * 8, pattern));
      expect(bytesAt(m, addr - 8, 8), `${tag}: bytes below`).toBe(0xaaaaaaaaaaaaaaaan);
      expect(m.memory.bytes.subarray(addr + size, addr + 16).every((b) => b === 0xaa), `${tag}: bytes above`).toBe(true);
    }
  });

  it('abs32 is sign-extended: [0xffffffff80001008] is reached through the top 2 GiB, and every register survives', () => {
    const m = new Machine({ memorySize: 0x100000 });
    const pt = new PageTables(m, 0x20000);
    pt.identity(0, 0x10000, PTE_P | PTE_W);
    pt.map(0xffffffff80001000, 0x9000, PTE_P | PTE_W);
    enablePaging(m, pt.root);
    const prog = load(m, `.org ${ORG}\nstart: ld64 rax, [0xffffffff80001008]\nst32 [-0x7fffeff0], rcx\nld16s rdx, [0xffffffff80001010]\nhlt`);
    expect([...prog.bytes.subarray(2, 6)]).toEqual([0x08, 0x10, 0x00, 0x80]);
    write64(m, 0x9008, 0x1122334455667788n);
    write64(m, 0x9010, 0n);
    REGISTER_NAMES.forEach((r, k) => setReg(m, r, 0x0101010101010101n * BigInt(k + 1)));
    setReg(m, 'rcx', 0xdeadbeef9abcn);
    expect(m.run(10, { stopOnFault: () => true }).kind).toBe('halt');
    expect(getReg(m, 'rax')).toBe(0x1122334455667788n);
    expect(read64(m, 0x9010)).toBe(0xbeef9abcn);
    expect(getReg(m, 'rdx')).toBe(u(BigInt.asIntN(16, 0x9abcn))); // the stored low half, sign-extended
    REGISTER_NAMES.filter((r) => !['rax', 'rcx', 'rdx'].includes(r)).forEach((r) => expect(getReg(m, r), r).toBe(0x0101010101010101n * BigInt(REGISTER_NAMES.indexOf(r) + 1)));
    // The hidden zero register the [abs32] forms use as their base is outside the architectural registers, and still 0.
    expect(m.cpu.regs.length).toBe(32);
    expect([...m.cpu.regFile.subarray(32)]).toEqual([0, 0]);
  });
});

/** (base, index) pairs: small, negative index (a base minus a multiple), wrap-around through 2^64. */
const IDX_CASES: [bigint, bigint][] = [[0x6000n, 0n], [0x6000n, 3n], [0x5ff0n, 0x11n], [0x6100n, u(-5n)], [0x6100n, u(-0x20n)], [u(0x6000n - (1n << 40n)), 1n << 37n]];
const SCALES = [0, 1, 2, 3];
const idxAddress = (b: bigint, c: bigint, s: number): bigint => u(b + (c << BigInt(s)));
const scaleText = (s: number): string => (s === 0 ? '' : `*${1 << s}`);

describe('[b + (c << s)]', () => {
  it.each(Object.entries(LOADS))('%s rax, [rbx+rsi*scale] reads [b + (c << s)] and extends as documented', (mn, { size, signed }) => {
    for (const s of SCALES) {
      const { m, prog } = machineWith(`.org ${ORG}\nstart: ${mn} rax, [rbx+rsi${scaleText(s)}]\nhlt`, { memorySize: MEMSIZE });
      expect([...prog.bytes.subarray(0, 3)]).toEqual([opcodeOf(mn, 'mem-idx'), 0x03, 0x60 | s]);
      for (const [b, c] of IDX_CASES) {
        const addr = Number(idxAddress(b, c, s));
        if (addr < 0x4000 || addr > 0x8000) continue; // the wrap-around case with s < 3 lands far away
        for (const pattern of PATTERNS) {
          write64(m, addr, pattern);
          setReg(m, 'rax', 0x5555n);
          setReg(m, 'rbx', b);
          setReg(m, 'rsi', c);
          m.cpu.rip = ORG;
          m.status = 'running';
          const tag = `${mn} b=${hex(b)} c=${hex(c)} s=${s} pattern=${hex(pattern)}`;
          expect(m.run(10, { stopOnFault: () => true }).kind, tag).toBe('halt');
          expect(getReg(m, 'rax'), tag).toBe(loaded(pattern, size, signed));
          expect([getReg(m, 'rbx'), getReg(m, 'rsi')], tag).toEqual([b, c]);
        }
      }
    }
  });

  it.each(Object.entries(STORES))('%s [rdi+rcx*scale], rdx writes exactly its bytes', (mn, size) => {
    for (const s of SCALES) {
      for (const [b, c] of IDX_CASES) {
        const addr = Number(idxAddress(b, c, s));
        if (addr < 0x4000 || addr > 0x8000) continue;
        const pattern = PATTERNS[s]!;
        const { m, stop, bytes } = run(`start: ${mn} [rdi+rcx${scaleText(s)}], rdx\nhlt`, (mm) => {
          mm.memory.bytes.fill(0xaa, addr - 16, addr + 16);
          setReg(mm, 'rdi', b);
          setReg(mm, 'rcx', c);
          setReg(mm, 'rdx', pattern);
        });
        const tag = `${mn} b=${hex(b)} c=${hex(c)} s=${s}`;
        expect([bytes[0], bytes[1], bytes[2]], tag).toEqual([opcodeOf(mn, 'mem-idx'), 0x27, 0x10 | s]);
        expect(stop.kind, tag).toBe('halt');
        expect(bytesAt(m, addr, size), tag).toBe(BigInt.asUintN(size * 8, pattern));
        expect(bytesAt(m, addr - 8, 8), `${tag}: bytes below`).toBe(0xaaaaaaaaaaaaaaaan);
        expect(m.memory.bytes.subarray(addr + size, addr + 16).every((x) => x === 0xaa), `${tag}: bytes above`).toBe(true);
      }
    }
  });

  it('lea computes b + (c << s) modulo 2^64 without touching memory', () => {
    const values = [0n, 1n, 7n, 0x7fffffffn, 0x80000000n, u(-1n), u(-8n), 1n << 62n, (1n << 63n) + 3n, 0x123456789abcdef0n, 0xfedcba9876543210n];
    const { m } = machineWith(`.org ${ORG}\n${SCALES.map((s) => `l${s}: lea rax, [r9+r10${scaleText(s)}]\nhlt`).join('\n')}`, { memorySize: MEMSIZE });
    for (const s of SCALES) {
      for (const b of values) {
        for (const c of values) {
          setReg(m, 'r9', b);
          setReg(m, 'r10', c);
          m.cpu.rip = ORG + 4 * s;
          m.status = 'running';
          expect(m.run(10).kind).toBe('halt');
          expect(getReg(m, 'rax'), `lea b=${hex(b)} c=${hex(c)} s=${s}`).toBe(idxAddress(b, c, s));
        }
      }
    }
    expect(m.memory.unbackedReads).toBe(0);
  });

  it('the destination may be the base or the index register; base and index may be one register', () => {
    const cases: [string, RegisterName, bigint][] = [
      ['ld64 rcx, [rbx+rcx*8]', 'rcx', 0x1111n], ['ld64 rbx, [rbx+rcx*8]', 'rbx', 0x1111n], ['ld64 rax, [rbx+rbx]', 'rax', 0x2222n], ['lea rcx, [rcx+rcx*4]', 'rcx', 0x50n],
    ];
    for (const [insn, dest, want] of cases) {
      const { m } = run(`start: ${insn}\nhlt`, (mm) => {
        write64(mm, 0x6000 + 2 * 8, 0x1111n);
        write64(mm, 0x6000, 0x2222n);
        setReg(mm, 'rbx', insn.includes('rbx+rbx') ? 0x3000n : 0x6000n);
        setReg(mm, 'rcx', insn.startsWith('lea') ? 0x10n : 2n);
      });
      expect(getReg(m, dest), insn).toBe(want);
    }
  });

  it.each(Object.keys(STORES).filter((k) => STORES[k]! > 1))('%s and the loads of its width straddle a page boundary through [b + c*8]', (st) => {
    const size = STORES[st]!;
    const loads = Object.entries(LOADS).filter(([, l]) => l.size === size);
    for (let k = 1; k < size; k++) {
      const addr = 0x3000 - k; // the first k bytes on one page, the rest on the next
      const pattern = 0xf1e2d3c4b5a69788n;
      const body = loads.map(([ld], i) => `${ld} ${REGISTER_NAMES[8 + i]}, [rbx+rsi*8]`).join('\n');
      const { m, stop } = run(`start: ${st} [rbx+rsi*8], rax\n${body}\nhlt`, (mm) => {
        mm.memory.bytes.fill(0xaa, addr - 8, addr + 16);
        setReg(mm, 'rbx', addr - 0x100 * 8);
        setReg(mm, 'rsi', 0x100n);
        setReg(mm, 'rax', pattern);
      });
      const tag = `${st} at ${hex(BigInt(addr))}`;
      expect(stop.kind, tag).toBe('halt');
      expect(bytesAt(m, addr, size), tag).toBe(BigInt.asUintN(size * 8, pattern));
      expect([m.memory.bytes[addr - 1], m.memory.bytes[addr + size]], tag).toEqual([0xaa, 0xaa]);
      loads.forEach(([ld, { signed }], i) => expect(getReg(m, REGISTER_NAMES[8 + i]!), `${tag} ${ld}`).toBe(loaded(pattern, size, signed)));
    }
  });

  it.each([
    ['ld64 rax, [rbx+rcx*8]', 13], ['st8 [rbx+rcx], rax', 13], ['ld8u rax, [rsp+rcx*2]', 12], ['st64 [rbp+rcx*8], rax', 12],
    ['ld32s rax, [rbx+rsp]', 13], // the index being rsp does not make it a stack access
  ] as const)('a non-canonical `%s` raises vector %i (#SS when the base is rsp or rbp), changing nothing', (insn, vector) => {
    const { m, stop } = run(`start: ${insn}\nhlt`, (mm) => {
      for (const r of ['rbx', 'rsp', 'rbp'] as const) setReg(mm, r, 0x7ffffffff000n);
      setReg(mm, 'rcx', 0x2000n); // base + index is 2^47 or more for every scale
      setReg(mm, 'rax', 0x77n);
    });
    expect(stop.kind === 'fault' && [stop.fault.vector, stop.fault.errorCode]).toEqual([vector, 0]);
    expect([m.cpu.rip, getReg(m, 'rax')]).toEqual([ORG, 0x77n]);
  });
});
