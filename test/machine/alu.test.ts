// Differential tests of the ALU instructions as the machine executes them:
// each instruction runs alone (operands poked into registers, then hlt) and
// its result is compared with a BigInt model of the semantics in opcodes.ts.
// Memory, stack and control-transfer instructions: alu-memory.test.ts.

import { describe, expect, it } from 'vitest';
import { OPCODES, REGISTER_NAMES, type OpcodeInfo, type RegisterName } from '../../emulator/machine/isa/opcodes';
import type { Machine, StopReason } from '../../emulator/machine/machine';
import { getReg, machineWith, setReg } from './helpers';
import { xorshift } from '../support/xorshift';

const ORG = 0x1000;
const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const s = (v: bigint): bigint => BigInt.asIntN(64, v);
const i32 = (v: bigint): bigint => BigInt.asIntN(32, v);
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const sx32 = (v: bigint): bigint => u(BigInt.asIntN(32, v));
const bit = (c: boolean): bigint => (c ? 1n : 0n);
const INT64_MIN = 1n << 63n; // as an unsigned pattern
const DE = 'DE' as const;
type Result = bigint | typeof DE;

/** Reference semantics of every register-register form, on unsigned 64-bit patterns. */
const RR: Record<string, (a: bigint, b: bigint) => Result> = {
  mov: (_a, b) => b,
  add: (a, b) => u(a + b),
  sub: (a, b) => u(a - b),
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  shl: (a, b) => u(a << (b & 63n)),
  shr: (a, b) => a >> (b & 63n),
  sar: (a, b) => u(s(a) >> (b & 63n)),
  mul: (a, b) => u(a * b),
  div: (a, b) => (b === 0n || (a === INT64_MIN && b === u(-1n)) ? DE : u(s(a) / s(b))),
  divu: (a, b) => (b === 0n ? DE : a / b),
  rem: (a, b) => (b === 0n || (a === INT64_MIN && b === u(-1n)) ? DE : u(s(a) % s(b))),
  remu: (a, b) => (b === 0n ? DE : a % b),
  zext32: (_a, b) => u32(b),
  addw: (a, b) => sx32(a + b),
  subw: (a, b) => sx32(a - b),
  shlw: (a, b) => sx32(a << (b & 31n)),
  shrw: (a, b) => sx32(u32(a) >> (b & 31n)),
  sarw: (a, b) => sx32(i32(a) >> (b & 31n)),
  mulw: (a, b) => sx32(a * b),
  // "b is 0" means its low 32 bits: the W forms read only the low halves, as x86 div r32 does.
  divw: (a, b) => (i32(b) === 0n || (i32(a) === -(1n << 31n) && i32(b) === -1n) ? DE : sx32(i32(a) / i32(b))),
  divuw: (a, b) => (u32(b) === 0n ? DE : sx32(u32(a) / u32(b))),
  remw: (a, b) => (i32(b) === 0n || (i32(a) === -(1n << 31n) && i32(b) === -1n) ? DE : sx32(i32(a) % i32(b))),
  remuw: (a, b) => (u32(b) === 0n ? DE : sx32(u32(a) % u32(b))),
  neg: (_a, b) => u(-b),
  not: (_a, b) => u(~b),
  sext8: (_a, b) => u(BigInt.asIntN(8, b)),
  sext16: (_a, b) => u(BigInt.asIntN(16, b)),
  sext32: (_a, b) => u(BigInt.asIntN(32, b)),
  zext8: (_a, b) => b & 0xffn,
  zext16: (_a, b) => b & 0xffffn,
  negw: (_a, b) => sx32(-b),
  seq: (a, b) => bit(a === b),
  sne: (a, b) => bit(a !== b),
  slt: (a, b) => bit(s(a) < s(b)),
  sltu: (a, b) => bit(a < b),
  sle: (a, b) => bit(s(a) <= s(b)),
  sleu: (a, b) => bit(a <= b),
  sgt: (a, b) => bit(s(a) > s(b)),
  sgtu: (a, b) => bit(a > b),
  sge: (a, b) => bit(s(a) >= s(b)),
  sgeu: (a, b) => bit(a >= b),
};

/** Reference semantics of the register-immediate forms; `i` is the immediate as written (signed, or unsigned for movu). */
const RI: Record<string, (a: bigint, i: bigint) => bigint> = {
  movi: (_a, i) => u(i),
  movu: (_a, i) => u32(i),
  addi: (a, i) => u(a + i),
  andi: (a, i) => u(a & i),
  ori: (a, i) => u(a | i),
  xori: (a, i) => u(a ^ i),
  shli: (a, i) => u(a << (i & 63n)),
  shri: (a, i) => a >> (i & 63n),
  sari: (a, i) => u(s(a) >> (i & 63n)),
  muli: (a, i) => u(a * i),
  addwi: (a, i) => sx32(a + i),
  shlwi: (a, i) => sx32(a << (i & 31n)),
  shrwi: (a, i) => sx32(u32(a) >> (i & 31n)),
  sarwi: (a, i) => sx32(i32(a) >> (i & 31n)),
};


const EDGES: bigint[] = [
  0n, 1n, 2n, 7n, 63n, 64n, -1n, -7n, 0x7fffffffn, 0x80000000n, -0x80000000n, 0xffffffffn, 0x100000000n,
  INT64_MIN, INT64_MIN - 1n, 0x123456789abcdef0n, 0xdeadbeef80000000n, 0xcafebabeffffffffn, 0x80n, 0x8000n,
].map(u);
const next = xorshift(0xa1);
const RANDOM: bigint[] = Array.from({ length: 60 }, () => u(((BigInt(next()) << 32n) | BigInt(next())) >> BigInt(next() % 64)));
const PAIRS: [bigint, bigint][] = [
  ...EDGES.flatMap((a) => EDGES.map((b): [bigint, bigint] => [a, b])),
  ...RANDOM.map((a, k): [bigint, bigint] => [a, RANDOM[(k * 7 + 3) % RANDOM.length]!]),
];

/** Distinct recognisable contents for every register, so a write to the wrong one shows. */
const sentinel = (k: number): bigint => 0x0101010101010101n * BigInt(k + 1) + 0x1000n;

function setAll(m: Machine): void {
  REGISTER_NAMES.forEach((r, k) => setReg(m, r, sentinel(k)));
}

/** Runs from `start` again on a machine that already ran (reusing it keeps 10,000 cases fast). */
function rerun(m: Machine, start: number): StopReason {
  m.discardPendingFault();
  m.status = 'running';
  m.cpu.rip = start;
  return m.run(100, { stopOnFault: () => true });
}

/**
 * Checks one outcome: `dest` holds `want` (or the instruction raised #DE with
 * rip still on it and dest untouched), and no other register changed.
 */
function expectOutcome(m: Machine, stop: StopReason, dest: RegisterName, before: Map<RegisterName, bigint>, want: Result, end: number, tag: string): void {
  if (want === DE) {
    expect(stop.kind, tag).toBe('fault');
    if (stop.kind === 'fault') expect(stop.fault.vector, tag).toBe(0);
    expect(m.cpu.rip, `${tag}: rip stays on the faulting instruction`).toBe(ORG);
    expect(getReg(m, dest), `${tag}: a faulting instruction changes nothing`).toBe(before.get(dest));
  } else {
    expect(stop.kind, tag).toBe('halt');
    expect(m.cpu.rip, tag).toBe(end);
    const got = getReg(m, dest);
    if (got !== want) expect(`0x${got.toString(16)}`, tag).toBe(`0x${want.toString(16)}`);
  }
  for (const r of REGISTER_NAMES) {
    if (r !== dest && getReg(m, r) !== before.get(r)) expect(`0x${getReg(m, r).toString(16)}`, `${tag}: ${r} must not change`).toBe(`0x${before.get(r)!.toString(16)}`);
  }
}

function snapshotRegs(m: Machine): Map<RegisterName, bigint> {
  return new Map(REGISTER_NAMES.map((r) => [r, getReg(m, r)]));
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const rrForms = OPCODES.filter((o) => o.format === 'rr' && !/^(in|out)/.test(o.mnemonic));

describe('register-register instructions against BigInt', () => {
  it('the reference covers exactly the rr forms of the table', () => {
    expect(rrForms.map((o) => o.mnemonic).sort()).toEqual(Object.keys(RR).sort());
  });

  it.each(rrForms.map((o) => [o.mnemonic, o] as const))('%s rbx, rsi', (mn, info: OpcodeInfo) => {
    const { m, prog } = machineWith(`.org ${ORG}\nstart: ${mn} rbx, rsi\nhlt`, { memorySize: 0x10000 });
    expect(prog.bytes[0]).toBe(info.opcode);
    const end = ORG + prog.bytes.length;
    for (const [a, b] of PAIRS) {
      setAll(m);
      setReg(m, 'rbx', a);
      setReg(m, 'rsi', b);
      const before = snapshotRegs(m);
      const stop = rerun(m, ORG);
      expectOutcome(m, stop, 'rbx', before, RR[mn]!(a, b), end, `${mn} a=${hex(a)} b=${hex(b)}`);
    }
  });

  it.each(rrForms.map((o) => [o.mnemonic] as const))('%s rdi, rdi (both operands one register)', (mn) => {
    const { m, prog } = machineWith(`.org ${ORG}\nstart: ${mn} rdi, rdi\nhlt`, { memorySize: 0x10000 });
    for (const a of [...EDGES, ...RANDOM]) {
      setAll(m);
      setReg(m, 'rdi', a);
      const before = snapshotRegs(m);
      const stop = rerun(m, ORG);
      expectOutcome(m, stop, 'rdi', before, RR[mn]!(a, a), ORG + prog.bytes.length, `${mn} a=b=${hex(a)}`);
    }
  });
});

describe('#DE', () => {
  const cases: [string, bigint, bigint][] = [
    ['div', 5n, 0n], ['rem', 5n, 0n], ['divu', 5n, 0n], ['remu', 5n, 0n],
    ['div', INT64_MIN, u(-1n)], ['rem', INT64_MIN, u(-1n)],
    ['divw', 5n, 0x100000000n], ['remw', 5n, 0x700000000n], ['divuw', 5n, 0xffffffff00000000n], ['remuw', 5n, 0n],
    ['divw', 0x1234567880000000n, u(-1n)], ['remw', 0x80000000n, 0xabcdef00ffffffffn],
  ];
  it.each(cases)('%s a=%s b=%s stops with vector 0 before changing anything', (mn, a, b) => {
    const { m } = machineWith(`.org ${ORG}\nstart: ${mn} rbx, rsi\nhlt`, { memorySize: 0x10000 });
    setReg(m, 'rbx', a);
    setReg(m, 'rsi', b);
    const stop = m.run(10, { stopOnFault: () => true });
    expect(stop.kind).toBe('fault');
    expect(stop.kind === 'fault' && stop.fault.vector).toBe(0);
    expect(stop.kind === 'fault' && stop.fault.errorCode).toBeUndefined();
    expect(m.cpu.rip).toBe(ORG);
    expect(getReg(m, 'rbx')).toBe(a);
  });

  it('the unsigned and W forms of INT64_MIN / -1 do not fault', () => {
    for (const [mn, want] of [['divu', 0n], ['remu', INT64_MIN], ['divw', 0n], ['remw', 0n]] as const) {
      const { m } = machineWith(`.org ${ORG}\nstart: ${mn} rbx, rsi\nhlt`, { memorySize: 0x10000 });
      setReg(m, 'rbx', INT64_MIN);
      setReg(m, 'rsi', -1n);
      expect(m.run(10, { stopOnFault: () => true }).kind, mn).toBe('halt');
      expect(getReg(m, 'rbx'), mn).toBe(want);
    }
  });
});

/** Immediates for each immediate format; each must select that very form when assembled. */
function immediatesFor(info: OpcodeInfo): bigint[] {
  const imm8 = [0n, 1n, -1n, 5n, 31n, 32n, 33n, 63n, 64n, 127n, -128n, -33n];
  const imm32 = [128n, -129n, 0x7fffffffn, -0x80000000n, 0x12345678n, -0x12345678n, 0x1000n];
  const hasImm8 = OPCODES.some((o) => o.mnemonic === info.mnemonic && o.format === 'r-imm8');
  switch (info.format) {
    case 'r-imm8':
      return imm8;
    case 'r-imm32':
      if (info.mnemonic === 'movu') return [0n, 5n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x89abcdefn];
      return hasImm8 ? imm32 : [...imm32, ...imm8];
    default:
      // Not 0x80000000-0xffffffff: for those movi picks movu (see the next test).
      return [0x123456789abcdef0n, 1n << 63n, (1n << 64n) - 1n, 0x7fffffffffffffffn, -0x100000000n, -0x80000001n, 1n << 32n];
  }
}

const riForms = OPCODES.filter((o) => o.format === 'r-imm8' || o.format === 'r-imm32' || o.format === 'r-imm64');

describe('register-immediate instructions against BigInt', () => {
  it('the reference covers exactly the immediate forms of the table', () => {
    expect([...new Set(riForms.map((o) => o.mnemonic))].sort()).toEqual(Object.keys(RI).sort());
  });

  it.each(riForms.map((o) => [o.mnemonic, o.format, o] as const))('%s (%s)', (mn, _format, info: OpcodeInfo) => {
    const values = [...EDGES, ...RANDOM.slice(0, 20)];
    for (const imm of immediatesFor(info)) {
      const text = info.format === 'r-imm64' ? hex(u(imm)) : imm.toString();
      const { m, prog } = machineWith(`.org ${ORG}\nstart: ${mn} rbx, ${text}\nhlt`, { memorySize: 0x10000 });
      expect(prog.bytes[0], `${mn} rbx, ${text} assembles to the ${info.format} form`).toBe(info.opcode);
      for (const a of values) {
        setAll(m);
        setReg(m, 'rbx', a);
        const before = snapshotRegs(m);
        const stop = rerun(m, ORG);
        expectOutcome(m, stop, 'rbx', before, RI[mn]!(a, imm), ORG + prog.bytes.length, `${mn} a=${hex(a)} imm=${text}`);
      }
    }
  });
});

describe('movi of 2^31 ... 2^32 - 1', () => {
  it.each([0x80000000n, 0xffffffffn, 0xb8000000n])('movi rbx, %s assembles to movu and loads the value zero-extended', (imm) => {
    const movu = OPCODES.find((o) => o.mnemonic === 'movu')!;
    const { m, prog } = machineWith(`.org ${ORG}\nstart: movi rbx, ${hex(imm)}\nhlt`, { memorySize: 0x10000 });
    expect([prog.bytes[0], prog.bytes.length]).toEqual([movu.opcode, 7]);
    setAll(m);
    const before = snapshotRegs(m);
    expectOutcome(m, rerun(m, ORG), 'rbx', before, imm, ORG + 7, `movi rbx, ${hex(imm)}`);
  });
});

const BRANCH: Record<string, (a: bigint, b: bigint) => boolean> = {
  beq: (a, b) => a === b,
  bne: (a, b) => a !== b,
  blt: (a, b) => s(a) < s(b),
  bge: (a, b) => s(a) >= s(b),
  bltu: (a, b) => a < b,
  bgeu: (a, b) => a >= b,
  bz: (a) => a === 0n,
  bnz: (a) => a !== 0n,
};
// The compare-with-constant branches (beqi ...): alu-branch-imm.test.ts.
const branchForms = OPCODES.filter((o) => /rel/.test(o.format) && !o.format.startsWith('r-imm8-') && o.mnemonic !== 'jmp' && o.mnemonic !== 'call');

describe('conditional branches against BigInt', () => {
  it('the reference covers exactly the conditional branch forms', () => {
    expect([...new Set(branchForms.map((o) => o.mnemonic))].sort()).toEqual(Object.keys(BRANCH).sort());
  });

  // Forward: the branch skips "movi rax, 1"; backward: it jumps back over a jmp.
  // The rel32 forms get 200 bytes of padding between branch and target.
  const program = (info: OpcodeInfo, dir: 'forward' | 'backward'): string => {
    const ops = info.format.startsWith('rr') ? 'rbx, rsi' : 'rbx';
    const pad = info.format.endsWith('32') ? '.zero 200' : '';
    return dir === 'forward'
      ? `start: ${info.mnemonic} ${ops}, taken\nmovi rax, 1\nhlt\n${pad}\ntaken: movi rax, 2\nhlt`
      : `jmp start\ntaken: movi rax, 2\nhlt\n${pad}\nstart: ${info.mnemonic} ${ops}, taken\nmovi rax, 1\nhlt`;
  };

  for (const dir of ['forward', 'backward'] as const) {
    it.each(branchForms.map((o) => [o.mnemonic, o.format, o] as const))(`%s (%s) ${dir}`, (mn, _f, info: OpcodeInfo) => {
      const { m, prog } = machineWith(`.org ${ORG}\n${program(info, dir)}`, { memorySize: 0x10000 });
      const start = prog.symbols.get('start')!;
      const taken = prog.symbols.get('taken')!;
      expect(prog.bytes[start - ORG], `${mn} assembles to the ${info.format} form`).toBe(info.opcode);
      for (const [a, b] of PAIRS) {
        setReg(m, 'rax', 0n);
        setReg(m, 'rbx', a);
        setReg(m, 'rsi', b);
        const stop = rerun(m, start);
        const want = BRANCH[mn]!(a, b);
        const tag = `${mn} a=${hex(a)} b=${hex(b)}`;
        expect(stop.kind, tag).toBe('halt');
        expect(getReg(m, 'rax'), tag).toBe(want ? 2n : 1n);
        expect(m.cpu.rip, tag).toBe(want ? taken + 4 : start + (info.format.endsWith('32') ? 6 : 3) + 4);
      }
    });
  }

  it.each([['jmp', 'rel8', ''], ['jmp', 'rel32', '.zero 300']])('%s (%s) forward and backward', (mn, format, pad) => {
    const info = OPCODES.find((o) => o.mnemonic === mn && o.format === format)!;
    const { m, prog } = machineWith(`.org ${ORG}\nstart: ${mn} fwd\nback: movi rax, 9\nhlt\n${pad}\nfwd: ${mn} back\nhlt`, { memorySize: 0x10000 });
    expect(prog.bytes[0]).toBe(info.opcode);
    expect(prog.bytes[prog.symbols.get('fwd')! - ORG]).toBe(info.opcode);
    expect(m.run(10).kind).toBe('halt');
    expect(getReg(m, 'rax')).toBe(9n);
    expect(m.cpu.rip).toBe(prog.symbols.get('back')! + 4);
  });
});
