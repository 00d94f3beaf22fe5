// The compare-with-constant branches (beqi, bnei, blti, bgei, bltui, bgeui) as
// the machine executes them, against a BigInt model: the constant is the
// sign-extended imm8, and the unsigned forms compare that 64-bit value as
// unsigned (as RISC-V's sltiu does). Each constant is tried with the values
// just below, at and just above it, so every boundary is taken once each way.

import { describe, expect, it } from 'vitest';
import { PTE_P, PTE_W } from '../../emulator/machine/constants';
import { assemble } from '../../emulator/machine/isa/assembler';
import { OPCODES, type OpcodeInfo } from '../../emulator/machine/isa/opcodes';
import { Machine, type StopReason } from '../../emulator/machine/machine';
import { enablePaging, getReg, machineWith, PageTables, setReg } from './helpers';

const ORG = 0x1000;
const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const s = (v: bigint): bigint => BigInt.asIntN(64, v);
const hex = (v: bigint): string => `0x${u(v).toString(16)}`;

/** Reference semantics: `a` an unsigned 64-bit pattern, `k` the constant as written (-128 ... 127). */
const BRANCH_IMM: Record<string, (a: bigint, k: bigint) => boolean> = {
  beqi: (a, k) => a === u(k),
  bnei: (a, k) => a !== u(k),
  blti: (a, k) => s(a) < k,
  bgei: (a, k) => s(a) >= k,
  bltui: (a, k) => a < u(k),
  bgeui: (a, k) => a >= u(k),
};
const forms = OPCODES.filter((o) => o.format === 'r-imm8-rel8' || o.format === 'r-imm8-rel32');

const CONSTANTS = [-128n, -127n, -2n, -1n, 0n, 1n, 2n, 10n, 126n, 127n];
const OTHERS = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffffffffffffffn, 1n << 63n, (1n << 63n) + 5n, u(-129n), u(-128n), 0xffffffffn, 0x100000000n, u(-1n)];
/** For constant k: k - 1, k and k + 1 (as 64-bit patterns), the same at 32-bit and 64-bit distance, and fixed values. */
const valuesFor = (k: bigint): bigint[] => [...new Set([k - 1n, k, k + 1n, k + (1n << 32n), k - (1n << 32n), k + (1n << 63n), ...OTHERS].map(u))];

function rerun(m: Machine, start: number): StopReason {
  m.discardPendingFault();
  m.status = 'running';
  m.cpu.rip = start;
  return m.run(100, { stopOnFault: () => true });
}

describe('compare-with-constant branches against BigInt', () => {
  it('the reference covers exactly the r-imm8-rel forms of the table', () => {
    expect([...new Set(forms.map((o) => o.mnemonic))].sort()).toEqual(Object.keys(BRANCH_IMM).sort());
    expect(forms.length).toBe(12);
  });

  it('the model itself: unsigned forms see -1 as 2^64 - 1, signed forms as -1', () => {
    expect(BRANCH_IMM.bltui!(5n, -1n)).toBe(true);
    expect(BRANCH_IMM.bltui!(u(-1n), -1n)).toBe(false);
    expect(BRANCH_IMM.blti!(5n, -1n)).toBe(false);
    expect(BRANCH_IMM.bgeui!(0x80n, -128n)).toBe(false);
    expect(BRANCH_IMM.bgei!(0x80n, -128n)).toBe(true);
  });

  // Forward: the branch skips "movi rax, 1"; backward: it jumps back over a jmp.
  // The rel32 forms get 200 bytes of padding between branch and target.
  const program = (info: OpcodeInfo, k: bigint, dir: 'forward' | 'backward'): string => {
    const pad = info.format.endsWith('32') ? '.zero 200' : '';
    const insn = `${info.mnemonic} rbx, ${k}, taken`;
    return dir === 'forward'
      ? `start: ${insn}\nmovi rax, 1\nhlt\n${pad}\ntaken: movi rax, 2\nhlt`
      : `jmp start\ntaken: movi rax, 2\nhlt\n${pad}\nstart: ${insn}\nmovi rax, 1\nhlt`;
  };

  for (const dir of ['forward', 'backward'] as const) {
    it.each(forms.map((o) => [o.mnemonic, o.format, o] as const))(`%s (%s) ${dir}`, (mn, _f, info: OpcodeInfo) => {
      const len = info.format.endsWith('32') ? 7 : 4;
      let taken = 0;
      let notTaken = 0;
      for (const k of CONSTANTS) {
        const { m, prog } = machineWith(`.org ${ORG}\n${program(info, k, dir)}`, { memorySize: 0x10000 });
        const start = prog.symbols.get('start')!;
        const target = prog.symbols.get('taken')!;
        expect(prog.bytes[start - ORG], `${mn} ${k} assembles to the ${info.format} form`).toBe(info.opcode);
        expect(prog.bytes[start - ORG + 2], 'the constant byte').toBe(Number(BigInt.asUintN(8, k)));
        for (const a of valuesFor(k)) {
          setReg(m, 'rax', 0n);
          setReg(m, 'rbx', a);
          setReg(m, 'rsi', 0x5555n);
          const stop = rerun(m, start);
          const want = BRANCH_IMM[mn]!(a, k);
          const tag = `${mn} a=${hex(a)} k=${k}`;
          expect(stop.kind, tag).toBe('halt');
          expect(getReg(m, 'rax'), tag).toBe(want ? 2n : 1n);
          expect(m.cpu.rip, tag).toBe(want ? target + 4 : start + len + 4);
          expect([getReg(m, 'rbx'), getReg(m, 'rsi')], `${tag}: registers unchanged`).toEqual([a, 0x5555n]);
          if (want) taken++;
          else notTaken++;
        }
      }
      // Every form is seen both ways for every constant (the boundary values guarantee it).
      expect(taken, 'taken').toBeGreaterThanOrEqual(CONSTANTS.length);
      expect(notTaken, 'not taken').toBeGreaterThanOrEqual(CONSTANTS.length);
    });
  }

  it('a taken branch to a non-canonical target raises #GP(0) at the branch; not taken, it falls through', () => {
    // The code sits on the last page of the lower canonical half; the target is past 2^47.
    const VA = 0x7ffffffff000;
    for (const [a, taken] of [[3n, true], [4n, false]] as const) {
      const m = new Machine({ memorySize: 0x100000 });
      const pt = new PageTables(m, 0x10000);
      pt.map(VA, 0x8000, PTE_P | PTE_W);
      enablePaging(m, pt.root);
      const code = assemble(`.org ${VA + 0xff0}\nstart: beqi rbx, 3, ${VA + 0x2000}\nnop`);
      expect(code.bytes[0]).toBe(forms.find((o) => o.mnemonic === 'beqi' && o.format === 'r-imm8-rel32')!.opcode);
      m.memory.writeBytes(0x8ff0, code.bytes);
      m.cpu.rip = VA + 0xff0;
      setReg(m, 'rbx', a);
      const stop = m.run(1, { stopOnFault: () => true });
      if (taken) {
        expect(stop.kind === 'fault' && [stop.fault.vector, stop.fault.errorCode]).toEqual([13, 0]);
        expect(m.cpu.rip).toBe(VA + 0xff0);
      } else {
        expect(stop.kind).toBe('budget');
        expect(m.cpu.rip).toBe(VA + 0xff7);
      }
    }
  });
});
