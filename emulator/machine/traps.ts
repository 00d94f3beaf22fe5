// Delivery of exceptions and interrupts (Intel SDM Vol. 3A, 6.12 and 6.14,
// "Exception and Interrupt Handling in 64-bit Mode"), as WeensyOS expects it.
//
// The CPU reads the gate from the IDT, switches to the TSS's rsp0 when coming
// from user mode, and pushes a 192-byte frame laid out as `x86_64_registers`:
// the part real hardware pushes (ss, rsp, rflags, cs, rip, error code) plus the
// part WeensyOS's k-exception.S stub pushes (intno, gs, fs, r15 ... rax). It
// then "calls" the handler with rdi pointing at the frame and a return
// address of 0 below it, exactly where the stub's `call exception` would have
// put its own. Every push goes through the MMU as a supervisor write, so an
// unmapped kernel stack faults here as it would on hardware.
//
// A fault during delivery escalates by SDM Table 6-5: contributory +
// contributory or page fault + (page fault | contributory) is a double fault;
// any fault while delivering a double fault shuts the CPU down (triple fault).

import {
  INT_DOUBLEFAULT, INT_GPF, INT_PAGEFAULT, INT_STACK, SEGSEL_APP_CODE, SEGSEL_APP_DATA, SEGSEL_KERN_CODE, SEGSEL_KERN_DATA,
  FL_IF, FL_IOPL_MASK, FL_RESERVED1, IDT_GATE_SIZE, TRAPFRAME_SIZE, TSS_RSP0_OFFSET,
} from './constants';
import { buildShutdownDiagnosis } from './diagnosis';
import { CpuFault, vectorName, type DeliveryStage } from './fault';
import { hex } from './hex';
import { fromNumber, R, sub64 } from './int64';
import { Reg } from './isa/opcodes';
import type { Machine } from './machine';
import { READ, WRITE } from './mmu/access';

const TWO32 = 4294967296;
/** Frame slot k holds this register (x86_64_registers order: rsp is not among them). */
export const FRAME_GPR_ORDER = [Reg.RAX, Reg.RCX, Reg.RDX, Reg.RBX, Reg.RBP, Reg.RSI, Reg.RDI, 8, 9, 10, 11, 12, 13, 14, 15] as const;
/** Slot numbers (offset / 8) of the other fields of x86_64_registers. */
export const FRAME_SLOT = { fs: 15, gs: 16, intno: 17, err: 18, rip: 19, cs: 20, rflags: 21, rsp: 22, ss: 23 } as const;

const GATE_INTERRUPT = 0xe;
const GATE_TRAP = 0xf;
const INT_NP = 11;
/** RFLAGS bits an iret at CPL 0 (and popf at CPL 0) may set: the arithmetic flags, TF, IF, DF, OF, IOPL, NT. */
export const RFLAGS_WRITABLE = 0x7fd5 | FL_IF | FL_IOPL_MASK;

function stageFault(e: unknown, stage: DeliveryStage, vector: number): never {
  if (e instanceof CpuFault) throw e.during(stage, vector);
  throw e;
}

/**
 * Delivers vector `vector` with optional error code; `returnRip` is what the
 * frame saves (the faulting instruction for faults, the next one for `int n`).
 * Throws a CpuFault, leaving registers untouched, if delivery itself fails.
 */
export function deliverEvent(m: Machine, vector: number, errorCode: number | undefined, returnRip: number, software: boolean): void {
  const cpu = m.cpu;
  const ext = software ? 0 : 1;
  const gateLa = cpu.idtr + vector * IDT_GATE_SIZE;
  let handlerLo: number;
  let handlerHi: number;
  let attr: number;
  try {
    handlerLo = m.readAs(gateLa | 0, Math.floor(gateLa / TWO32) | 0, 8, READ);
    handlerHi = R.hi;
    attr = m.readAs((gateLa + 8) | 0, Math.floor((gateLa + 8) / TWO32) | 0, 1, READ);
  } catch (e) {
    stageFault(e, 'reading the IDT gate', vector);
  }
  const type = attr & 0xf;
  const dpl = (attr >> 5) & 3;
  const selectorError = (vector << 3) | 2 | ext;
  if (type !== GATE_INTERRUPT && type !== GATE_TRAP) {
    throw new CpuFault(INT_GPF, selectorError, `IDT gate ${vector} (${vectorName(vector)}) is not installed`).during('reading the IDT gate', vector);
  }
  if (software && (cpu.cs & 3) > dpl) {
    throw new CpuFault(INT_GPF, selectorError, `int ${vector} from user mode, but IDT gate ${vector} has DPL ${dpl}`).during('reading the IDT gate', vector);
  }
  if (!(attr & 0x80)) {
    throw new CpuFault(INT_NP, selectorError, `IDT gate ${vector} is marked not present`).during('reading the IDT gate', vector);
  }
  const top = handlerHi >> 15;
  if (top !== 0 && top !== -1) throw new CpuFault(INT_GPF, 0, `IDT gate ${vector} points at a non-canonical address`).during('reading the IDT gate', vector);
  const handler = handlerHi * TWO32 + (handlerLo >>> 0);

  const r = cpu.regs;
  const fromUser = (cpu.cs & 3) === 3;
  let slo: number;
  let shi: number;
  if (fromUser) {
    const tssLa = cpu.tr + TSS_RSP0_OFFSET;
    try {
      slo = m.readAs(tssLa | 0, Math.floor(tssLa / TWO32) | 0, 8, READ);
      shi = R.hi;
    } catch (e) {
      stageFault(e, 'reading rsp0 from the TSS', vector);
    }
  } else {
    slo = r[Reg.RSP * 2]!;
    shi = r[Reg.RSP * 2 + 1]!;
  }
  slo &= ~15; // 64-bit mode aligns the new stack to 16 bytes (SDM 6.14.2)
  const frameLo = sub64(slo, shi, TRAPFRAME_SIZE, 0);
  const frameHi = R.hi;
  // Fix: a push into non-canonical space is a stack fault, #SS(0) (SDM Vol. 2A,
  // INT n: "IF StackAddress is non-canonical THEN #SS(0)"; Vol. 3A 6.15,
  // interrupt 12), not the #GP(0) an ordinary access would raise. The frame
  // spans [frame - 8, stack), so checking both ends covers every push.
  sub64(slo, shi, 8, 0);
  const topHi = R.hi;
  sub64(frameLo, frameHi, 8, 0);
  if (!isCanonicalHi(topHi) || !isCanonicalHi(R.hi)) {
    const at = hex(shi * TWO32 + (slo >>> 0));
    throw new CpuFault(INT_STACK, 0, `the ${fromUser ? 'TSS rsp0' : 'kernel rsp'} stack at ${at} is not canonical`).during('pushing the trap frame', vector);
  }

  // The frame, slot by slot, as (lo, hi) pairs.
  const frame = new Int32Array(48);
  FRAME_GPR_ORDER.forEach((reg, k) => {
    frame[2 * k] = r[2 * reg]!;
    frame[2 * k + 1] = r[2 * reg + 1]!;
  });
  const set = (slot: number, lo: number, hi = 0): void => {
    frame[2 * slot] = lo;
    frame[2 * slot + 1] = hi;
  };
  set(FRAME_SLOT.fs, cpu.fs);
  set(FRAME_SLOT.gs, cpu.gs);
  set(FRAME_SLOT.intno, vector);
  set(FRAME_SLOT.err, errorCode ?? 0);
  const ripLo = fromNumber(returnRip);
  set(FRAME_SLOT.rip, ripLo, R.hi);
  set(FRAME_SLOT.cs, cpu.cs);
  set(FRAME_SLOT.rflags, cpu.rflags);
  set(FRAME_SLOT.rsp, r[Reg.RSP * 2]!, r[Reg.RSP * 2 + 1]!);
  set(FRAME_SLOT.ss, cpu.ss);
  try {
    // Highest address first, as the hardware pushes ss before rsp before rflags ...
    for (let slot = 23; slot >= 0; slot--) {
      const at = sub64(slo, shi, TRAPFRAME_SIZE - slot * 8, 0);
      m.writeAs(at, R.hi, 8, frame[2 * slot]!, frame[2 * slot + 1]!, WRITE);
    }
    const retLo = sub64(frameLo, frameHi, 8, 0);
    m.writeAs(retLo, R.hi, 8, 0, 0, WRITE);
  } catch (e) {
    stageFault(e, 'pushing the trap frame', vector);
  }

  // Commit.
  const spLo = sub64(frameLo, frameHi, 8, 0);
  r[Reg.RSP * 2] = spLo;
  r[Reg.RSP * 2 + 1] = R.hi;
  r[Reg.RDI * 2] = frameLo;
  r[Reg.RDI * 2 + 1] = frameHi;
  if (fromUser) cpu.ss = 0; // a privilege change loads a null SS (SDM 6.14.4)
  cpu.cs = SEGSEL_KERN_CODE;
  if (type === GATE_INTERRUPT) cpu.rflags &= ~FL_IF;
  cpu.rflags &= ~0x4100; // TF and NT are cleared on delivery
  cpu.rip = handler;
  m.privilegeChanged();
}

function isCanonicalHi(hi: number): boolean {
  const top = hi >> 15;
  return top === 0 || top === -1;
}

const CONTRIBUTORY = new Set([0, 10, 11, 12, 13]);

/** SDM Table 6-5: does a `second` fault while delivering `first` make a double fault? */
export function isDoubleFault(first: number, second: number): boolean {
  if (CONTRIBUTORY.has(first) && CONTRIBUTORY.has(second)) return true;
  return first === INT_PAGEFAULT && (second === INT_PAGEFAULT || CONTRIBUTORY.has(second));
}

/**
 * Delivers a fault raised by an instruction (or by a software interrupt's
 * delivery), escalating to a double fault and then to shutdown as the SDM
 * prescribes. On shutdown the machine stops with a diagnosis.
 */
export function raiseFault(m: Machine, first: CpuFault): void {
  const cpu = m.cpu;
  const chain: CpuFault[] = [first];
  m.lastFault = first;
  let current = first;
  for (;;) {
    try {
      if (current.vector === INT_PAGEFAULT && current.va !== undefined) cpu.cr2 = current.va;
      deliverEvent(m, current.vector, current.errorCode, cpu.rip, false);
      return;
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      chain.push(e);
      // CR2 is loaded when a page fault is detected, even one that then becomes a
      // double fault (SDM 6.15, interrupt 14); a double-fault handler reads it to
      // find the overflowing stack address.
      if (e.vector === INT_PAGEFAULT && e.va !== undefined) cpu.cr2 = e.va;
      if (current.vector === INT_DOUBLEFAULT || chain.length > 8) {
        m.status = 'shutdown';
        m.shutdownDiagnosis = buildShutdownDiagnosis(m, chain);
        return;
      }
      if (isDoubleFault(current.vector, e.vector)) {
        current = new CpuFault(INT_DOUBLEFAULT, 0, `${vectorName(e.vector)} while delivering ${vectorName(current.vector)}`);
        chain.push(current);
      } else {
        current = e; // handled serially (SDM Table 6-5, "handle exceptions serially")
      }
    }
  }
}

/**
 * `iret a`: returns through the trap frame at linear address (lo, hi). Every
 * field is read and checked before anything changes, so a bad frame faults
 * with the CPU still in the kernel.
 */
export function iretFrom(m: Machine, lo: number, hi: number): void {
  const cpu = m.cpu;
  const v = new Int32Array(48);
  for (let slot = 0; slot < 24; slot++) {
    const alo = (lo + slot * 8) | 0;
    const ahi = (lo >>> 0) + slot * 8 > 0xffffffff ? (hi + 1) | 0 : hi;
    v[2 * slot] = m.read(alo, ahi, 8, false);
    v[2 * slot + 1] = R.hi;
  }
  const cs = v[2 * FRAME_SLOT.cs]! & 0xffff;
  const ss = v[2 * FRAME_SLOT.ss]! & 0xffff;
  const toUser = cs === (SEGSEL_APP_CODE | 3);
  if (cs !== SEGSEL_KERN_CODE && !toUser) throw new CpuFault(INT_GPF, cs & 0xfffc, `iret to invalid code selector 0x${cs.toString(16)} (expected 0x8 or 0x13)`);
  if (toUser ? ss !== (SEGSEL_APP_DATA | 3) : ss !== 0 && ss !== SEGSEL_KERN_DATA) {
    throw new CpuFault(INT_GPF, ss & 0xfffc, `iret with invalid stack selector 0x${ss.toString(16)} for cs 0x${cs.toString(16)}`);
  }
  const ripHi = v[2 * FRAME_SLOT.rip + 1]!;
  if (ripHi >> 15 !== 0 && ripHi >> 15 !== -1) throw new CpuFault(INT_GPF, 0, 'iret to a non-canonical rip');

  const r = cpu.regs;
  FRAME_GPR_ORDER.forEach((reg, k) => {
    r[2 * reg] = v[2 * k]!;
    r[2 * reg + 1] = v[2 * k + 1]!;
  });
  r[Reg.RSP * 2] = v[2 * FRAME_SLOT.rsp]!;
  r[Reg.RSP * 2 + 1] = v[2 * FRAME_SLOT.rsp + 1]!;
  cpu.fs = v[2 * FRAME_SLOT.fs]! & 0xffff;
  cpu.gs = v[2 * FRAME_SLOT.gs]! & 0xffff;
  cpu.rip = ripHi * TWO32 + (v[2 * FRAME_SLOT.rip]! >>> 0);
  cpu.cs = cs;
  cpu.ss = ss;
  cpu.rflags = ((v[2 * FRAME_SLOT.rflags]! & RFLAGS_WRITABLE) | FL_RESERVED1) >>> 0;
  m.privilegeChanged();
}
