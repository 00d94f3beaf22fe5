// Semantics of every instruction (docs/ISA.md). An instruction either
// completes, updating registers and rip, or throws a CpuFault before changing
// any architectural state, so the faulting instruction can be restarted.

import {
  CR0_PG, CR4_PAE, CR4_PGE, CR4_SMEP, FL_IF, FL_IOPL_MASK, FL_IOPL_SHIFT, FL_RESERVED1, INT_BREAKPOINT, INT_DIVIDE, INT_GPF, INT_INVALIDOP, MAXPHYADDR,
} from './constants';
import { CpuFault } from './fault';
import { add64, DIV, divide32, divide64, fromNumber, ltS, ltU, mul64, R, sar64, shl64, shr64, sub64 } from './int64';
import type { Insn } from './isa/insn';
import { BRANCH_IMM_DELTA, MEM_IDX_DELTA, Op, Reg } from './isa/opcodes';
import type { Machine } from './machine';
import { deliverEvent, iretFrom, RFLAGS_WRITABLE } from './traps';

const TWO32 = 4294967296;
const CANONICAL_LIMIT = 0x800000000000;
const RSP2 = Reg.RSP * 2;
const RBP2 = Reg.RBP * 2;

function gp(message: string, code = 0): CpuFault {
  return new CpuFault(INT_GPF, code, message);
}

/** A branch target as a linear address; #GP(0) if it is not canonical (SDM: jumps check the target). */
function targetOf(lo: number, hi: number): number {
  const top = hi >> 15;
  if (top !== 0 && top !== -1) throw gp('jump to a non-canonical address');
  return hi * TWO32 + (lo >>> 0);
}

function checkTarget(t: number): number {
  if (t >= CANONICAL_LIMIT || t < -CANONICAL_LIMIT) throw gp('jump to a non-canonical address');
  return t;
}

function push(m: Machine, lo: number, hi: number): void {
  const r = m.cpu.regFile;
  const slo = sub64(r[RSP2]!, r[RSP2 + 1]!, 8, 0);
  const shi = R.hi;
  m.write(slo, shi, 8, lo, hi, true);
  r[RSP2] = slo;
  r[RSP2 + 1] = shi;
}

function pushAddress(m: Machine, address: number): void {
  const lo = fromNumber(address);
  push(m, lo, R.hi);
}

export function execute(m: Machine, insn: Insn): void {
  const cpu = m.cpu;
  // The register file with ZERO_REG, the base of the [abs32] forms (which execute as [b + disp]).
  const r = cpu.regFile;
  const a2 = insn.a << 1;
  const b2 = insn.b << 1;
  const next = cpu.rip + insn.len;
  let lo: number;
  let hi: number;
  switch (insn.op) {
    case Op.NOP:
      break;
    case Op.HLT:
      if (cpu.cs & 3) throw gp('hlt is privileged');
      cpu.rip = next;
      m.status = 'halted';
      return;
    case Op.RET: {
      lo = m.read(r[RSP2]!, r[RSP2 + 1]!, 8, true);
      const target = targetOf(lo, R.hi);
      lo = add64(r[RSP2]!, r[RSP2 + 1]!, 8, 0);
      r[RSP2] = lo;
      r[RSP2 + 1] = R.hi;
      cpu.rip = target;
      return;
    }
    case Op.LEAVE: {
      const vlo = m.read(r[RBP2]!, r[RBP2 + 1]!, 8, true);
      const vhi = R.hi;
      lo = add64(r[RBP2]!, r[RBP2 + 1]!, 8, 0);
      r[RSP2] = lo;
      r[RSP2 + 1] = R.hi;
      r[RBP2] = vlo;
      r[RBP2 + 1] = vhi;
      break;
    }
    case Op.ENTER: {
      const slo = sub64(r[RSP2]!, r[RSP2 + 1]!, 8, 0);
      const shi = R.hi;
      m.write(slo, shi, 8, r[RBP2]!, r[RBP2 + 1]!, true);
      r[RBP2] = slo;
      r[RBP2 + 1] = shi;
      lo = sub64(slo, shi, insn.imm, 0);
      r[RSP2] = lo;
      r[RSP2 + 1] = R.hi;
      break;
    }
    case Op.INT3:
      deliverEvent(m, INT_BREAKPOINT, undefined, next, true);
      return;
    case Op.INT:
      deliverEvent(m, insn.imm, undefined, next, true);
      return;
    case Op.CLI:
      if (cpu.cs & 3) throw gp('cli is privileged');
      cpu.rflags &= ~FL_IF;
      break;
    case Op.STI:
      if (cpu.cs & 3) throw gp('sti is privileged');
      cpu.rflags |= FL_IF;
      break;
    case Op.JMP8:
      cpu.rip = checkTarget(next + insn.imm);
      return;
    case Op.CALL: {
      const target = checkTarget(next + insn.imm);
      pushAddress(m, next);
      cpu.rip = target;
      return;
    }
    case Op.UD2:
      throw new CpuFault(INT_INVALIDOP, undefined, 'ud2 executed');
    case Op.PUSH:
      push(m, r[a2]!, r[a2 + 1]!);
      break;
    case Op.POP:
      lo = m.read(r[RSP2]!, r[RSP2 + 1]!, 8, true);
      hi = R.hi;
      r[RSP2] = add64(r[RSP2]!, r[RSP2 + 1]!, 8, 0);
      r[RSP2 + 1] = R.hi;
      r[a2] = lo;
      r[a2 + 1] = hi;
      break;
    case Op.PUSHF:
      push(m, cpu.rflags | 0, 0);
      break;
    case Op.POPF:
      popf(m);
      break;

    // ---- 64-bit ALU ----
    case Op.MOV:
      r[a2] = r[b2]!;
      r[a2 + 1] = r[b2 + 1]!;
      break;
    case Op.ADD:
      r[a2] = add64(r[a2]!, r[a2 + 1]!, r[b2]!, r[b2 + 1]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.SUB:
      r[a2] = sub64(r[a2]!, r[a2 + 1]!, r[b2]!, r[b2 + 1]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.AND:
      r[a2]! &= r[b2]!;
      r[a2 + 1]! &= r[b2 + 1]!;
      break;
    case Op.OR:
      r[a2]! |= r[b2]!;
      r[a2 + 1]! |= r[b2 + 1]!;
      break;
    case Op.XOR:
      r[a2]! ^= r[b2]!;
      r[a2 + 1]! ^= r[b2 + 1]!;
      break;
    case Op.SHL:
      r[a2] = shl64(r[a2]!, r[a2 + 1]!, r[b2]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.SHR:
      r[a2] = shr64(r[a2]!, r[a2 + 1]!, r[b2]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.SAR:
      r[a2] = sar64(r[a2]!, r[a2 + 1]!, r[b2]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.MUL:
      r[a2] = mul64(r[a2]!, r[a2 + 1]!, r[b2]!, r[b2 + 1]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.DIV:
    case Op.DIVU:
    case Op.REM:
    case Op.REMU: {
      const signed = insn.op === Op.DIV || insn.op === Op.REM;
      if (!divide64(r[a2]!, r[a2 + 1]!, r[b2]!, r[b2 + 1]!, signed)) throw new CpuFault(INT_DIVIDE, undefined, 'division by zero or quotient overflow');
      const rem = insn.op === Op.REM || insn.op === Op.REMU;
      r[a2] = rem ? DIV.rlo : DIV.qlo;
      r[a2 + 1] = rem ? DIV.rhi : DIV.qhi;
      break;
    }

    // ---- 32-bit ("W") ALU: results sign-extended ----
    case Op.ZEXT32:
      r[a2] = r[b2]!;
      r[a2 + 1] = 0;
      break;
    case Op.ADDW:
      lo = (r[a2]! + r[b2]!) | 0;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SUBW:
      lo = (r[a2]! - r[b2]!) | 0;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SHLW:
      lo = r[a2]! << (r[b2]! & 31);
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SHRW:
      lo = (r[a2]! >>> (r[b2]! & 31)) | 0;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SARW:
      lo = r[a2]! >> (r[b2]! & 31);
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.MULW:
      lo = Math.imul(r[a2]!, r[b2]!);
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.DIVW:
    case Op.DIVUW:
    case Op.REMW:
    case Op.REMUW: {
      const signed = insn.op === Op.DIVW || insn.op === Op.REMW;
      if (!divide32(r[a2]!, r[b2]!, signed)) throw new CpuFault(INT_DIVIDE, undefined, 'division by zero or quotient overflow');
      const rem = insn.op === Op.REMW || insn.op === Op.REMUW;
      r[a2] = rem ? DIV.rlo : DIV.qlo;
      r[a2 + 1] = rem ? DIV.rhi : DIV.qhi;
      break;
    }

    // ---- unary and extensions ----
    case Op.NEG:
      r[a2] = sub64(0, 0, r[b2]!, r[b2 + 1]!);
      r[a2 + 1] = R.hi;
      break;
    case Op.NOT:
      r[a2] = ~r[b2]!;
      r[a2 + 1] = ~r[b2 + 1]!;
      break;
    case Op.SEXT8:
      lo = (r[b2]! << 24) >> 24;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SEXT16:
      lo = (r[b2]! << 16) >> 16;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SEXT32:
      lo = r[b2]!;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.ZEXT8:
      r[a2] = r[b2]! & 0xff;
      r[a2 + 1] = 0;
      break;
    case Op.ZEXT16:
      r[a2] = r[b2]! & 0xffff;
      r[a2 + 1] = 0;
      break;
    case Op.NEGW:
      lo = -r[b2]! | 0;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;

    // ---- comparisons producing 0/1 ----
    case Op.SEQ:
    case Op.SNE:
    case Op.SLT:
    case Op.SLTU:
    case Op.SLE:
    case Op.SLEU:
    case Op.SGT:
    case Op.SGTU:
    case Op.SGE:
    case Op.SGEU: {
      const x = compare(insn.op, r[a2]!, r[a2 + 1]!, r[b2]!, r[b2 + 1]!);
      r[a2] = x ? 1 : 0;
      r[a2 + 1] = 0;
      break;
    }

    // ---- indirect control transfer and system ----
    case Op.CALLR: {
      const target = targetOf(r[a2]!, r[a2 + 1]!);
      pushAddress(m, next);
      cpu.rip = target;
      return;
    }
    case Op.JMPR:
      cpu.rip = targetOf(r[a2]!, r[a2 + 1]!);
      return;
    case Op.IRET:
      if (cpu.cs & 3) throw gp('iret is privileged');
      iretFrom(m, r[a2]!, r[a2 + 1]!);
      return;
    case Op.LIDT:
      if (cpu.cs & 3) throw gp('lidt is privileged');
      cpu.idtr = r[a2 + 1]! * TWO32 + (r[a2]! >>> 0);
      break;
    case Op.LTR:
      if (cpu.cs & 3) throw gp('ltr is privileged');
      cpu.tr = r[a2 + 1]! * TWO32 + (r[a2]! >>> 0);
      break;
    case Op.INVLPG: {
      if (cpu.cs & 3) throw gp('invlpg is privileged');
      const top = r[a2 + 1]! >> 15;
      // invlpg of a non-canonical address is a no-op (SDM Vol. 2A, INVLPG).
      if (top === 0 || top === -1) m.mmu.tlb.invalidatePage(r[a2 + 1]! * 1048576 + (r[a2]! >>> 12));
      break;
    }
    case Op.MOVTOCR:
      if (cpu.cs & 3) throw gp('mov to a control register is privileged');
      writeControlRegister(m, insn.b, r[a2]!, r[a2 + 1]!);
      break;
    case Op.MOVFROMCR:
      if (cpu.cs & 3) throw gp('mov from a control register is privileged');
      r[a2] = readControlRegister(m, insn.b);
      r[a2 + 1] = R.hi;
      break;
    case Op.IN8:
    case Op.IN16:
    case Op.IN32: {
      checkIo(m);
      const v = m.devices.in(r[b2]! & 0xffff, m.icount);
      r[a2] = insn.op === Op.IN8 ? v & 0xff : insn.op === Op.IN16 ? v & 0xffff : v | 0;
      r[a2 + 1] = 0;
      break;
    }
    case Op.OUT8:
    case Op.OUT16:
    case Op.OUT32: {
      checkIo(m);
      const v = r[b2]!;
      m.devices.out(r[a2]! & 0xffff, insn.op === Op.OUT8 ? v & 0xff : insn.op === Op.OUT16 ? v & 0xffff : v >>> 0);
      if (m.devices.state.poweredOff) m.status = 'poweroff';
      else if (m.devices.state.exitStatus !== null) m.status = 'exited';
      break;
    }

    // ---- immediates ----
    case Op.MOVI8:
    case Op.MOVI32:
    case Op.MOVI64:
      r[a2] = insn.imm;
      r[a2 + 1] = insn.immHi;
      break;
    case Op.MOVU32:
      r[a2] = insn.imm;
      r[a2 + 1] = 0;
      break;
    case Op.ADDI8:
    case Op.ADDI32:
      r[a2] = add64(r[a2]!, r[a2 + 1]!, insn.imm, insn.immHi);
      r[a2 + 1] = R.hi;
      break;
    case Op.ANDI8:
    case Op.ANDI32:
      r[a2]! &= insn.imm;
      r[a2 + 1]! &= insn.immHi;
      break;
    case Op.ORI8:
    case Op.ORI32:
      r[a2]! |= insn.imm;
      r[a2 + 1]! |= insn.immHi;
      break;
    case Op.XORI8:
    case Op.XORI32:
      r[a2]! ^= insn.imm;
      r[a2 + 1]! ^= insn.immHi;
      break;
    case Op.SHLI:
      r[a2] = shl64(r[a2]!, r[a2 + 1]!, insn.imm);
      r[a2 + 1] = R.hi;
      break;
    case Op.SHRI:
      r[a2] = shr64(r[a2]!, r[a2 + 1]!, insn.imm);
      r[a2 + 1] = R.hi;
      break;
    case Op.SARI:
      r[a2] = sar64(r[a2]!, r[a2 + 1]!, insn.imm);
      r[a2 + 1] = R.hi;
      break;
    case Op.MULI8:
    case Op.MULI32:
      r[a2] = mul64(r[a2]!, r[a2 + 1]!, insn.imm, insn.immHi);
      r[a2 + 1] = R.hi;
      break;
    case Op.ADDWI8:
    case Op.ADDWI32:
      lo = (r[a2]! + insn.imm) | 0;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SHLWI:
      lo = r[a2]! << (insn.imm & 31);
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SHRWI:
      lo = (r[a2]! >>> (insn.imm & 31)) | 0;
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;
    case Op.SARWI:
      lo = r[a2]! >> (insn.imm & 31);
      r[a2] = lo;
      r[a2 + 1] = lo >> 31;
      break;

    // ---- memory ----
    case Op.LEA:
      r[a2] = add64(r[b2]!, r[b2 + 1]!, insn.imm, insn.immHi);
      r[a2 + 1] = R.hi;
      break;
    case Op.LD8U:
    case Op.LD8S:
    case Op.LD16U:
    case Op.LD16S:
    case Op.LD32U:
    case Op.LD32S:
    case Op.LD64: {
      const alo = add64(r[b2]!, r[b2 + 1]!, insn.imm, insn.immHi);
      const ahi = R.hi;
      const stack = insn.b === Reg.RSP || insn.b === Reg.RBP;
      load(m, insn.op, a2, alo, ahi, stack);
      break;
    }
    case Op.ST8:
    case Op.ST16:
    case Op.ST32:
    case Op.ST64: {
      const alo = add64(r[b2]!, r[b2 + 1]!, insn.imm, insn.immHi);
      const ahi = R.hi;
      const size = insn.op === Op.ST8 ? 1 : insn.op === Op.ST16 ? 2 : insn.op === Op.ST32 ? 4 : 8;
      m.write(alo, ahi, size, r[a2]!, r[a2 + 1]!, insn.b === Reg.RSP || insn.b === Reg.RBP);
      break;
    }
    // [b + (c << s)]: s is in imm. A stack access when the base is rsp or rbp, as on x86.
    case Op.LEA_X:
    case Op.LD8U_X:
    case Op.LD8S_X:
    case Op.LD16U_X:
    case Op.LD16S_X:
    case Op.LD32U_X:
    case Op.LD32S_X:
    case Op.LD64_X:
    case Op.ST8_X:
    case Op.ST16_X:
    case Op.ST32_X:
    case Op.ST64_X: {
      const c2 = insn.c << 1;
      const xlo = shl64(r[c2]!, r[c2 + 1]!, insn.imm);
      const alo = add64(r[b2]!, r[b2 + 1]!, xlo, R.hi);
      const ahi = R.hi;
      const stack = insn.b === Reg.RSP || insn.b === Reg.RBP;
      const op = insn.op - MEM_IDX_DELTA;
      if (op === Op.LEA) {
        r[a2] = alo;
        r[a2 + 1] = ahi;
      } else if (op < Op.ST8) {
        load(m, op, a2, alo, ahi, stack);
      } else {
        m.write(alo, ahi, op === Op.ST8 ? 1 : op === Op.ST16 ? 2 : op === Op.ST32 ? 4 : 8, r[a2]!, r[a2 + 1]!, stack);
      }
      break;
    }

    // ---- branches ----
    case Op.BEQ:
    case Op.BNE:
    case Op.BLT:
    case Op.BGE:
    case Op.BLTU:
    case Op.BGEU:
      if (branchTaken(insn.op, r[a2]!, r[a2 + 1]!, r[b2]!, r[b2 + 1]!)) {
        cpu.rip = checkTarget(next + insn.imm);
        return;
      }
      break;
    case Op.BEQI:
    case Op.BNEI:
    case Op.BLTI:
    case Op.BGEI:
    case Op.BLTUI:
    case Op.BGEUI:
      // b holds the sign-extended constant; the unsigned forms compare its 64-bit value as unsigned.
      if (branchTaken(insn.op - BRANCH_IMM_DELTA, r[a2]!, r[a2 + 1]!, insn.b, insn.b >> 31)) {
        cpu.rip = checkTarget(next + insn.imm);
        return;
      }
      break;
    case Op.BZ:
      if ((r[a2]! | r[a2 + 1]!) === 0) {
        cpu.rip = checkTarget(next + insn.imm);
        return;
      }
      break;
    case Op.BNZ:
      if ((r[a2]! | r[a2 + 1]!) !== 0) {
        cpu.rip = checkTarget(next + insn.imm);
        return;
      }
      break;
    default:
      throw new CpuFault(INT_INVALIDOP, undefined, `opcode 0x${insn.op.toString(16)} has no semantics`);
  }
  cpu.rip = next;
}

/**
 * popf (SDM Vol. 2B, POPF, 64-bit mode): at CPL 0 every flag iret may load; with
 * CPL > 0 IOPL is kept, and IF too unless CPL <= IOPL (no fault). Bit 1 stays set.
 */
function popf(m: Machine): void {
  const cpu = m.cpu;
  const r = cpu.regFile;
  const v = m.read(r[RSP2]!, r[RSP2 + 1]!, 8, true);
  const cpl = cpu.cs & 3;
  let mask = RFLAGS_WRITABLE;
  if (cpl > 0) mask &= ~FL_IOPL_MASK;
  if (cpl > (cpu.rflags & FL_IOPL_MASK) >> FL_IOPL_SHIFT) mask &= ~FL_IF;
  r[RSP2] = add64(r[RSP2]!, r[RSP2 + 1]!, 8, 0);
  r[RSP2 + 1] = R.hi;
  cpu.rflags = ((cpu.rflags & ~mask) | (v & mask) | FL_RESERVED1) >>> 0;
}

function load(m: Machine, op: number, a2: number, lo: number, hi: number, stack: boolean): void {
  const r = m.cpu.regFile;
  let v: number;
  switch (op) {
    case Op.LD8U:
      r[a2] = m.read(lo, hi, 1, stack) & 0xff;
      r[a2 + 1] = 0;
      return;
    case Op.LD8S:
      v = (m.read(lo, hi, 1, stack) << 24) >> 24;
      break;
    case Op.LD16U:
      r[a2] = m.read(lo, hi, 2, stack) & 0xffff;
      r[a2 + 1] = 0;
      return;
    case Op.LD16S:
      v = (m.read(lo, hi, 2, stack) << 16) >> 16;
      break;
    case Op.LD32U:
      r[a2] = m.read(lo, hi, 4, stack);
      r[a2 + 1] = 0;
      return;
    case Op.LD32S:
      v = m.read(lo, hi, 4, stack);
      break;
    default:
      v = m.read(lo, hi, 8, stack);
      r[a2] = v;
      r[a2 + 1] = R.hi;
      return;
  }
  r[a2] = v;
  r[a2 + 1] = v >> 31;
}

function compare(op: number, alo: number, ahi: number, blo: number, bhi: number): boolean {
  switch (op) {
    case Op.SEQ:
      return alo === blo && ahi === bhi;
    case Op.SNE:
      return alo !== blo || ahi !== bhi;
    case Op.SLT:
      return ltS(alo, ahi, blo, bhi);
    case Op.SLTU:
      return ltU(alo, ahi, blo, bhi);
    case Op.SLE:
      return !ltS(blo, bhi, alo, ahi);
    case Op.SLEU:
      return !ltU(blo, bhi, alo, ahi);
    case Op.SGT:
      return ltS(blo, bhi, alo, ahi);
    case Op.SGTU:
      return ltU(blo, bhi, alo, ahi);
    case Op.SGE:
      return !ltS(alo, ahi, blo, bhi);
    default:
      return !ltU(alo, ahi, blo, bhi);
  }
}

function branchTaken(op: number, alo: number, ahi: number, blo: number, bhi: number): boolean {
  switch (op) {
    case Op.BEQ:
      return alo === blo && ahi === bhi;
    case Op.BNE:
      return alo !== blo || ahi !== bhi;
    case Op.BLT:
      return ltS(alo, ahi, blo, bhi);
    case Op.BGE:
      return !ltS(alo, ahi, blo, bhi);
    case Op.BLTU:
      return ltU(alo, ahi, blo, bhi);
    default:
      return !ltU(alo, ahi, blo, bhi);
  }
}

/** in/out are allowed when CPL <= IOPL (SDM Vol. 1, 18.2.1). */
function checkIo(m: Machine): void {
  const cpu = m.cpu;
  const iopl = (cpu.rflags & FL_IOPL_MASK) >> FL_IOPL_SHIFT;
  if ((cpu.cs & 3) > iopl) throw gp('port I/O needs CPL <= IOPL');
}

const ADDRESS_HI_MASK = (1 << (MAXPHYADDR - 32)) - 1;

function writeControlRegister(m: Machine, n: number, lo: number, hi: number): void {
  const cpu = m.cpu;
  switch (n) {
    case 0: {
      if (hi !== 0) throw gp('reserved CR0 bits set');
      const was = cpu.cr0;
      cpu.cr0 = lo >>> 0;
      if ((was ^ cpu.cr0) & CR0_PG) m.mmu.tlb.flush(false);
      return;
    }
    case 2:
      cpu.cr2 = hi * TWO32 + (lo >>> 0);
      return;
    case 3:
      if (hi & ~ADDRESS_HI_MASK) throw gp('CR3 points beyond MAXPHYADDR');
      cpu.cr3 = (hi & ADDRESS_HI_MASK) * TWO32 + (lo >>> 0);
      m.mmu.flush();
      return;
    case 4: {
      if (hi !== 0) throw gp('reserved CR4 bits set');
      const was = cpu.cr4;
      cpu.cr4 = lo >>> 0;
      if ((was ^ cpu.cr4) & (CR4_PGE | CR4_PAE | CR4_SMEP)) m.mmu.tlb.flush(false);
      return;
    }
    case 8:
      cpu.efer = lo >>> 0;
      m.mmu.tlb.flush(false);
      return;
    default:
      throw new CpuFault(INT_INVALIDOP, undefined, `there is no control register CR${n}`);
  }
}

function readControlRegister(m: Machine, n: number): number {
  const cpu = m.cpu;
  switch (n) {
    case 0:
      R.hi = 0;
      return cpu.cr0 | 0;
    case 2:
      return fromNumber(cpu.cr2);
    case 3:
      return fromNumber(cpu.cr3);
    case 4:
      R.hi = 0;
      return cpu.cr4 | 0;
    case 8:
      R.hi = 0;
      return cpu.efer | 0;
    default:
      throw new CpuFault(INT_INVALIDOP, undefined, `there is no control register CR${n}`);
  }
}

