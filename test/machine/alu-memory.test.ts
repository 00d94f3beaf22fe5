// Memory, stack and control-transfer instructions as the machine executes
// them, against the semantics in opcodes.ts. Paging is off, so linear
// addresses are physical. (The ALU instructions: alu.test.ts.)

import { describe, expect, it } from 'vitest';
import { OPCODES, REGISTER_NAMES, type OpcodeInfo } from '../../emulator/machine/isa/opcodes';
import type { Machine } from '../../emulator/machine/machine';
import { getReg, machineWith, read64, setReg, write64 } from './helpers';

const ORG = 0x1000;
const MEMSIZE = 0x10000;
const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const hex = (v: bigint): string => `0x${v.toString(16)}`;

function run(source: string, setup: (m: Machine) => void = () => {}): { m: Machine; stop: ReturnType<Machine['run']>; symbols: ReadonlyMap<string, number>; bytes: Uint8Array } {
  const { m, prog } = machineWith(`.org ${ORG}\n${source}`, { memorySize: MEMSIZE });
  setup(m);
  const stop = m.run(1000, { stopOnFault: () => true });
  return { m, stop, symbols: prog.symbols, bytes: prog.bytes };
}

/** Little-endian value of `size` bytes at physical `pa`. */
function bytesAt(m: Machine, pa: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(m.memory.bytes[pa + i]!);
  return v;
}

const LOADS: Record<string, { size: number; signed: boolean }> = {
  ld8u: { size: 1, signed: false }, ld8s: { size: 1, signed: true }, ld16u: { size: 2, signed: false }, ld16s: { size: 2, signed: true },
  ld32u: { size: 4, signed: false }, ld32s: { size: 4, signed: true }, ld64: { size: 8, signed: false },
};
const STORES: Record<string, number> = { st8: 1, st16: 2, st32: 4, st64: 8 };
const memForms = OPCODES.filter((o) => o.format === 'mem8' || o.format === 'mem32');
/** Displacements that select each form when assembled. */
const DISPS: Record<string, number[]> = { mem8: [0, 8, -8, 127, -128], mem32: [128, -129, 0x1234, -0x2000] };
const PATTERNS = [0x8877665544332211n, 0xf1e2d3c4b5a69788n, 0x7f7f7f7f7f7f7f7fn, 0x80n, 0xffffffffffffffffn];

describe('loads and stores', () => {
  it('the tests cover every memory form of the table', () => {
    const names = new Set(memForms.map((o) => o.mnemonic));
    expect([...names].sort()).toEqual([...Object.keys(LOADS), ...Object.keys(STORES), 'lea'].sort());
    expect(memForms.length).toBe(2 * names.size);
  });

  const loadForms = memForms.filter((o) => o.mnemonic in LOADS);
  it.each(loadForms.map((o) => [o.mnemonic, o.format, o] as const))('%s (%s) extends as documented', (mn, format, info: OpcodeInfo) => {
    const { size, signed } = LOADS[mn]!;
    for (const disp of DISPS[format]!) {
      for (const pattern of PATTERNS) {
        const addr = 0x6000;
        const { m, stop, bytes } = run(`start: ${mn} rax, [rbx${disp < 0 ? '' : '+'}${disp}]\nhlt`, (mm) => {
          write64(mm, addr, pattern);
          setReg(mm, 'rbx', addr - disp);
          setReg(mm, 'rax', 0x5555555555555555n);
        });
        const raw = BigInt.asUintN(size * 8, pattern);
        const want = signed ? u(BigInt.asIntN(size * 8, raw)) : raw;
        const tag = `${mn} disp=${disp} pattern=${hex(pattern)}`;
        expect(bytes[0], tag).toBe(info.opcode);
        expect(stop.kind, tag).toBe('halt');
        expect(getReg(m, 'rax'), tag).toBe(want);
        expect(getReg(m, 'rbx'), tag).toBe(BigInt(addr - disp));
      }
    }
  });

  const storeForms = memForms.filter((o) => o.mnemonic in STORES);
  it.each(storeForms.map((o) => [o.mnemonic, o.format, o] as const))('%s (%s) writes exactly its bytes', (mn, format, info: OpcodeInfo) => {
    const size = STORES[mn]!;
    for (const disp of DISPS[format]!) {
      for (const pattern of PATTERNS) {
        const addr = 0x6008;
        const { m, stop, bytes } = run(`start: ${mn} [rbx${disp < 0 ? '' : '+'}${disp}], rax\nhlt`, (mm) => {
          mm.memory.bytes.fill(0xaa, addr - 16, addr + 16);
          setReg(mm, 'rbx', addr - disp);
          setReg(mm, 'rax', pattern);
        });
        const tag = `${mn} disp=${disp} pattern=${hex(pattern)}`;
        expect(bytes[0], tag).toBe(info.opcode);
        expect(stop.kind, tag).toBe('halt');
        expect(bytesAt(m, addr, size), tag).toBe(BigInt.asUintN(size * 8, pattern));
        expect(bytesAt(m, addr - 8, 8), `${tag}: bytes below`).toBe(0xaaaaaaaaaaaaaaaan);
        expect(m.memory.bytes.subarray(addr + size, addr + 16).every((b) => b === 0xaa), `${tag}: bytes above`).toBe(true);
        expect(getReg(m, 'rax'), tag).toBe(pattern);
      }
    }
  });

  it.each(Object.keys(STORES).filter((k) => STORES[k]! > 1))('%s and the loads of its width straddle a page boundary', (st) => {
    const size = STORES[st]!;
    const loads = Object.entries(LOADS).filter(([, l]) => l.size === size);
    for (let k = 1; k < size; k++) {
      const addr = 0x3000 - k; // the first k bytes on one page, the rest on the next
      for (const pattern of PATTERNS) {
        const body = loads.map(([ld], i) => `${ld} ${REGISTER_NAMES[8 + i]}, [rbx]`).join('\n');
        const { m, stop } = run(`start: ${st} [rbx], rax\n${body}\nhlt`, (mm) => {
          mm.memory.bytes.fill(0xaa, addr - 8, addr + 16);
          setReg(mm, 'rbx', addr);
          setReg(mm, 'rax', pattern);
        });
        const tag = `${st} at ${hex(BigInt(addr))} pattern=${hex(pattern)}`;
        expect(stop.kind, tag).toBe('halt');
        const raw = BigInt.asUintN(size * 8, pattern);
        expect(bytesAt(m, addr, size), tag).toBe(raw);
        expect(m.memory.bytes[addr - 1], tag).toBe(0xaa);
        expect(m.memory.bytes[addr + size], tag).toBe(0xaa);
        loads.forEach(([ld, { signed }], i) => {
          expect(getReg(m, REGISTER_NAMES[8 + i]!), `${tag} ${ld}`).toBe(signed ? u(BigInt.asIntN(size * 8, raw)) : raw);
        });
      }
    }
  });

  it('a load may overwrite its own base register', () => {
    const { m } = run('start: ld64 rbx, [rbx+8]\nhlt', (mm) => {
      write64(mm, 0x6008, 0x1122334455667788n);
      setReg(mm, 'rbx', 0x6000);
    });
    expect(getReg(m, 'rbx')).toBe(0x1122334455667788n);
  });

  it.each([
    ['mem8', 0x5000n, 8, 0x5008n], ['mem8', 0x5000n, -128, 0x4f80n], ['mem8', u(-1n), 1, 0n], ['mem8', 0n, -1, u(-1n)],
    ['mem32', 0x5000n, 0x12345, 0x17345n], ['mem32', 0x7fffffffffffffffn, 0x100, 0x80000000000000ffn], ['mem32', 0n, -0x80000000, u(-0x80000000n)],
  ] as const)('lea (%s) rax = %s + %s without touching memory', (format, base, disp, want) => {
    const info = OPCODES.find((o) => o.mnemonic === 'lea' && o.format === format)!;
    const { m, stop, bytes } = run(`start: lea rax, [rbx${disp < 0 ? '' : '+'}${disp}]\nhlt`, (mm) => setReg(mm, 'rbx', base));
    expect(bytes[0]).toBe(info.opcode);
    expect(stop.kind).toBe('halt');
    expect(getReg(m, 'rax')).toBe(want);
    expect(m.memory.unbackedReads).toBe(0);
  });
});

describe('stack instructions', () => {
  const STACK = 0x8000;

  it.each(REGISTER_NAMES.filter((r) => r !== 'rsp').map((r) => [r]))('push %s / pop into every other register', (src) => {
    for (const dst of REGISTER_NAMES.filter((r) => r !== 'rsp')) {
      const value = 0x8000000000000000n | BigInt(REGISTER_NAMES.indexOf(src) * 0x1111);
      const { m, stop, bytes } = run(`start: push ${src}\npop ${dst}\nhlt`, (mm) => {
        setReg(mm, 'rsp', STACK);
        setReg(mm, dst, 0x77n);
        setReg(mm, src, value);
      });
      expect(bytes[0]).toBe(0x10 + REGISTER_NAMES.indexOf(src));
      expect(bytes[1]).toBe(0x20 + REGISTER_NAMES.indexOf(dst));
      expect(stop.kind).toBe('halt');
      expect(read64(m, STACK - 8), `${src} -> ${dst}`).toBe(value);
      expect(getReg(m, dst), `${src} -> ${dst}`).toBe(value);
      expect(getReg(m, 'rsp')).toBe(BigInt(STACK));
    }
  });

  it('push decrements rsp by 8 each time; pop reads back in reverse order', () => {
    const { m } = run('start: push rax\npush rbx\npush rcx\npop rdx\npop rsi\npop rdi\nhlt', (mm) => {
      setReg(mm, 'rsp', STACK);
      setReg(mm, 'rax', 1n);
      setReg(mm, 'rbx', 2n);
      setReg(mm, 'rcx', 3n);
    });
    expect([read64(m, STACK - 8), read64(m, STACK - 16), read64(m, STACK - 24)]).toEqual([1n, 2n, 3n]);
    expect([getReg(m, 'rdx'), getReg(m, 'rsi'), getReg(m, 'rdi')]).toEqual([3n, 2n, 1n]);
    expect(getReg(m, 'rsp')).toBe(BigInt(STACK));
  });

  it('push rsp stores the value before the decrement; pop rsp loads rsp (as x86)', () => {
    const pushed = run('start: push rsp\nhlt', (mm) => setReg(mm, 'rsp', STACK));
    expect(read64(pushed.m, STACK - 8)).toBe(BigInt(STACK));
    expect(getReg(pushed.m, 'rsp')).toBe(BigInt(STACK - 8));
    const popped = run('start: pop rsp\nhlt', (mm) => {
      setReg(mm, 'rsp', STACK);
      write64(mm, STACK, 0x4321n);
    });
    expect(getReg(popped.m, 'rsp')).toBe(0x4321n);
  });

  it('call pushes the return address and ret pops it', () => {
    const { m, stop, symbols } = run('start: call func\nafter: hlt\nfunc: movi rax, 7\nret', (mm) => setReg(mm, 'rsp', STACK));
    expect(stop.kind).toBe('halt');
    expect(getReg(m, 'rax')).toBe(7n);
    expect(read64(m, STACK - 8)).toBe(BigInt(symbols.get('after')!));
    expect(getReg(m, 'rsp')).toBe(BigInt(STACK));
    expect(m.cpu.rip).toBe(symbols.get('after')! + 1);
  });

  it('call to a target behind the call, and ret to it', () => {
    const { m, symbols } = run('jmp start\nfunc: movi rax, 5\nret\nstart: call func\nafter: hlt', (mm) => setReg(mm, 'rsp', STACK));
    expect(getReg(m, 'rax')).toBe(5n);
    expect(m.cpu.rip).toBe(symbols.get('after')! + 1);
  });

  it('call r and jmp r go to the address in the register', () => {
    const { m, symbols, bytes } = run('start: movi rcx, func\nc: call rcx\nafter: movi rdx, skip\njmp rdx\nhlt\nskip: hlt\nfunc: movi rax, 3\nret', (mm) => setReg(mm, 'rsp', STACK));
    const callr = OPCODES.find((o) => o.mnemonic === 'call' && o.format === 'r')!;
    expect(bytes[symbols.get('c')! - ORG]).toBe(callr.opcode);
    expect(getReg(m, 'rax')).toBe(3n);
    expect(read64(m, STACK - 8)).toBe(BigInt(symbols.get('after')!));
    expect(m.cpu.rip).toBe(symbols.get('skip')! + 1);
  });

  it.each([0, 0x20, 0xffff])('enter %d builds a frame and leave tears it down', (size) => {
    const rsp = 0xc000;
    const built = run(`start: enter ${size}\nhlt`, (mm) => {
      setReg(mm, 'rsp', rsp);
      setReg(mm, 'rbp', 0xabcdn);
    });
    expect(built.stop.kind).toBe('halt');
    expect(read64(built.m, rsp - 8)).toBe(0xabcdn);
    expect(getReg(built.m, 'rbp')).toBe(BigInt(rsp - 8));
    expect(getReg(built.m, 'rsp')).toBe(u(BigInt(rsp - 8 - size))); // wraps below 0 for 0xffff

    const torn = run(`start: enter ${size}\nmovi rax, 5\nst64 [rbp-8], rax\nleave\nhlt`, (mm) => {
      setReg(mm, 'rsp', rsp);
      setReg(mm, 'rbp', 0xabcdn);
    });
    expect(getReg(torn.m, 'rsp')).toBe(BigInt(rsp));
    expect(getReg(torn.m, 'rbp')).toBe(0xabcdn);
    expect(read64(torn.m, rsp - 16)).toBe(5n);
  });
});

describe('#UD', () => {
  it.each([['ud2', 'start: ud2'], ['opcode 0x00 (zeroed memory)', 'start: .byte 0']])('%s raises vector 6', (_name, source) => {
    const { m, stop } = run(source);
    expect(stop.kind).toBe('fault');
    expect(stop.kind === 'fault' && stop.fault.vector).toBe(6);
    expect(m.cpu.rip).toBe(ORG);
  });
});
