// JavaScript source for a region: blocks of decoded WS64 instructions from one
// physical page, compiled into one function that passes control from block to
// block without returning (jit.ts chooses the blocks).
//
// Registers. The function keeps the registers its blocks use in locals (a lo
// and a hi int32 each), loaded at entry and written back on the way out, also
// when a fault leaves (the function has no try/catch: a fault is stored in
// J.fault and leaves like any exit, see fault()). Every instruction computes into temporaries and
// changes registers only after its last possible fault, as execute.ts does,
// so on a fault the locals hold exactly the state after the previous
// instruction. Semantics follow execute.ts line for line; the tests
// (test/machine/jit.test.ts, jit-differential.test.ts) hold the two together.
//
// Counting. Instructions retire only in whole blocks except at a fault or a
// generation change (below): the function adds what retired to icount and
// userIcount on the way out, and sets rip. The interpreter would fetch every
// instruction after the first through the fetch shortcut (same page, same
// TLB and decode-cache generations, same CPL), counting a TLB hit each when
// paging is on (fHit); the function counts those hits too.
//
// Memory. An access takes a fast path when Mmu.translate would have no side
// effect but a count: its TLB-hit path, or with paging off a miss whose walk
// is the identity; the access stays in its page and, for a write, nobody
// watches the page. The translation mirror (jit.ts, pageFor and syncMirror)
// holds such pages, by slot, across calls; the inline test is one typed-array
// load and compare. Anything else goes to H.rd or H.wr, which fill the mirror
// or call Machine.read or Machine.write, exactly as the interpreter does.
//
// Generations. After every instruction that took the slow path for memory
// (only Machine.read and .write can move them) the function compares the TLB
// and decode-cache generations with their values at entry.
// If either moved (a TLB fill or drop, a suspect mark, a write to a code
// page), the interpreter's next fetch would not be a fetch-shortcut hit, and
// the translation caches may be stale, so the function returns right there and
// the run loop makes that fetch itself.
//
// Leaving. The function goes on to another of its blocks only when control
// stays in the same linear page (so the next fetch is a shortcut hit), the
// whole next block fits in `max` (the run budget, the timer allowance and
// JIT_SLICE), and `chain` is set (no breakpoints); otherwise it returns with
// rip at the next instruction, and the run loop carries on from there.

import type { Insn } from '../isa/insn';
import { BRANCH_IMM_DELTA, MEM_IDX_DELTA, Op, Reg, ZERO_REG } from '../isa/opcodes';

/** Can the instruction be part of a block? System, privileged and I/O instructions are left to the interpreter. */
export function translatable(op: number): boolean {
  switch (op) {
    case Op.HLT:
    case Op.INT3:
    case Op.CLI:
    case Op.STI:
    case Op.INT:
    case Op.UD2:
    case Op.POPF:
    case Op.IRET:
    case Op.LIDT:
    case Op.LTR:
    case Op.INVLPG:
    case Op.MOVTOCR:
    case Op.MOVFROMCR:
    case Op.IN8:
    case Op.IN16:
    case Op.IN32:
    case Op.OUT8:
    case Op.OUT16:
    case Op.OUT32:
      return false;
    default:
      return true;
  }
}

/** Does the instruction end a block (a control transfer)? */
export function endsBlock(op: number): boolean {
  switch (op) {
    case Op.RET:
    case Op.JMP8:
    case Op.CALL:
    case Op.CALLR:
    case Op.JMPR:
    case Op.BZ:
    case Op.BNZ:
      return true;
    default:
      return isCompareBranch(op);
  }
}

/** By opcode: 1 if the instruction ends a block or is left to the interpreter (the next one may start a block). */
export const BLOCK_END = new Uint8Array(256);
for (let op = 0; op < 256; op++) BLOCK_END[op] = endsBlock(op) || !translatable(op) ? 1 : 0;

export function isCompareBranch(op: number): boolean {
  return (op >= Op.BEQ && op <= Op.BGEU) || (op >= Op.BEQI && op <= Op.BGEUI);
}

/** Instructions that access memory (and so may fault, fill the TLB or write a watched page). */
export function touchesMemory(op: number): boolean {
  switch (op) {
    case Op.RET:
    case Op.LEAVE:
    case Op.ENTER:
    case Op.CALL:
    case Op.PUSH:
    case Op.POP:
    case Op.PUSHF:
    case Op.CALLR:
      return true;
    default:
      return (op >= Op.LD8U && op <= Op.ST64) || (op >= Op.LD8U_X && op <= Op.ST64_X);
  }
}

/** The registers an instruction reads or writes (ZERO_REG excluded). */
export function registersOf(insn: Insn): number[] {
  const op = insn.op;
  switch (op) {
    case Op.NOP:
    case Op.JMP8:
      return [];
    case Op.RET:
    case Op.CALL:
    case Op.PUSHF:
      return [Reg.RSP];
    case Op.LEAVE:
    case Op.ENTER:
      return [Reg.RSP, Reg.RBP];
    case Op.PUSH:
    case Op.POP:
    case Op.CALLR:
      return [insn.a, Reg.RSP];
    case Op.JMPR:
    case Op.BZ:
    case Op.BNZ:
      return [insn.a];
    default:
      break;
  }
  if (op >= Op.BEQI && op <= Op.BGEUI) return [insn.a];
  if (op >= Op.MOVI8 && op <= Op.MULI8) return [insn.a]; // the r-imm forms
  const out: number[] = [insn.a];
  if (insn.b !== ZERO_REG) out.push(insn.b);
  if (op >= Op.LD8U_X && op <= Op.LEA_X) out.push(insn.c);
  return out;
}

/** Can the instruction raise a fault (memory access, division, a checked jump target)? */
export function mayFault(op: number): boolean {
  if (touchesMemory(op) || endsBlock(op)) return true;
  switch (op) {
    case Op.DIV:
    case Op.DIVU:
    case Op.REM:
    case Op.REMU:
    case Op.DIVW:
    case Op.DIVUW:
    case Op.REMW:
    case Op.REMUW:
      return true;
    default:
      return false;
  }
}

const c = (n: number): string => `(${n})`;
const lo = (r: number): string => (r === ZERO_REG ? '0' : `l${r}`);
const hi = (r: number): string => (r === ZERO_REG ? '0' : `h${r}`);

function ltS(alo: string, ahi: string, blo: string, bhi: string): string {
  return `(${ahi} < ${bhi} || (${ahi} === ${bhi} && (${alo} >>> 0) < (${blo} >>> 0)))`;
}
function ltU(alo: string, ahi: string, blo: string, bhi: string): string {
  return `((${ahi} >>> 0) < (${bhi} >>> 0) || (${ahi} === ${bhi} && (${alo} >>> 0) < (${blo} >>> 0)))`;
}

/** The condition of a compare-and-branch (Op.BEQ ... Op.BGEU) as a JS expression. */
function branchCondition(op: number, alo: string, ahi: string, blo: string, bhi: string): string {
  switch (op) {
    case Op.BEQ:
      return `(${alo} === ${blo} && ${ahi} === ${bhi})`;
    case Op.BNE:
      return `(${alo} !== ${blo} || ${ahi} !== ${bhi})`;
    case Op.BLT:
      return ltS(alo, ahi, blo, bhi);
    case Op.BGE:
      return `!${ltS(alo, ahi, blo, bhi)}`;
    case Op.BLTU:
      return ltU(alo, ahi, blo, bhi);
    default:
      return `!${ltU(alo, ahi, blo, bhi)}`;
  }
}

function setCondition(op: number, alo: string, ahi: string, blo: string, bhi: string): string {
  switch (op) {
    case Op.SEQ:
      return `(${alo} === ${blo} && ${ahi} === ${bhi})`;
    case Op.SNE:
      return `(${alo} !== ${blo} || ${ahi} !== ${bhi})`;
    case Op.SLT:
      return ltS(alo, ahi, blo, bhi);
    case Op.SLTU:
      return ltU(alo, ahi, blo, bhi);
    case Op.SLE:
      return `!${ltS(blo, bhi, alo, ahi)}`;
    case Op.SLEU:
      return `!${ltU(blo, bhi, alo, ahi)}`;
    case Op.SGT:
      return ltS(blo, bhi, alo, ahi);
    case Op.SGTU:
      return ltU(blo, bhi, alo, ahi);
    case Op.SGE:
      return `!${ltS(alo, ahi, blo, bhi)}`;
    default:
      return `!${ltU(alo, ahi, blo, bhi)}`;
  }
}

/**
 * (dlo,dhi) = (alo,ahi) + (blo,bhi), as add64, in int32 arithmetic only (the
 * carry is an unsigned compare of the low halves). dlo may be alo or blo.
 */
function add64To(dlo: string, dhi: string, alo: string, ahi: string, blo: string, bhi: string): string {
  return `x = (${alo} + ${blo}) | 0; ${dhi} = (${ahi} + ${bhi} + ((x >>> 0) < (${alo} >>> 0) ? 1 : 0)) | 0; ${dlo} = x;`;
}

/** (dlo,dhi) = (alo,ahi) - (blo,bhi), as sub64; the operands must not be the destinations. */
function sub64To(dlo: string, dhi: string, alo: string, ahi: string, blo: string, bhi: string): string {
  return `${dhi} = (${ahi} - ${bhi} - ((${alo} >>> 0) < (${blo} >>> 0) ? 1 : 0)) | 0; ${dlo} = (${alo} - ${blo}) | 0;`;
}

/** Shifts by a constant, as shl64/shr64/sar64 with n known. Source in (slo, shi), result in (y, z). */
function shiftConst(kind: 'shl' | 'shr' | 'sar', slo: string, shi: string, n: number): string {
  n &= 63;
  if (n === 0) return `y = ${slo}; z = ${shi};`;
  if (kind === 'shl') {
    if (n >= 32) return `z = ${slo} << ${n - 32}; y = 0;`;
    return `z = (${shi} << ${n}) | (${slo} >>> ${32 - n}); y = ${slo} << ${n};`;
  }
  if (kind === 'shr') {
    if (n >= 32) return `y = (${shi} >>> ${n - 32}) | 0; z = 0;`;
    return `y = ((${slo} >>> ${n}) | (${shi} << ${32 - n})) | 0; z = (${shi} >>> ${n}) | 0;`;
  }
  if (n >= 32) return `y = ${shi} >> ${n - 32}; z = ${shi} >> 31;`;
  return `y = ((${slo} >>> ${n}) | (${shi} << ${32 - n})) | 0; z = ${shi} >> ${n};`;
}

/**
 * How an access computes its address: `setup` sets t (the low half), `fast`
 * is true only if the high half is 0 (the fast path's first condition), and
 * `slowU` sets u (the high half) for the slow path.
 */
interface Addr {
  readonly setup: string;
  readonly fast: string;
  readonly slowU: string;
}

/** The address is already in (t, u). */
const FULL: Addr = { setup: '', fast: 'u === 0', slowU: '' };

/**
 * [b + imm] with imm sign-extended: the high half is only needed on the slow
 * path. `fast` is true when b's high half is 0 and adding imm does not carry
 * out of (imm >= 0) or borrow from (imm < 0) the low half; the rare other
 * addresses with a high half of 0 take the slow path, which is exact too.
 */
function baseDisp(lb: string, hb: string, imm: number): Addr {
  if (imm === 0) return { setup: `t = ${lb}; `, fast: `${hb} === 0`, slowU: `u = ${hb}; ` };
  const carry = `((t >>> 0) < (${lb} >>> 0))`;
  return {
    setup: `t = (${lb} + ${c(imm)}) | 0; `,
    fast: imm > 0 ? `${hb} === 0 && !${carry}` : `${hb} === 0 && ${carry}`,
    slowU: `u = (${hb} + ${imm < 0 ? -1 : 0} + (${carry} ? 1 : 0)) | 0; `,
  };
}

/** The part of the fast path's test that keeps an access of `size` bytes inside its page. */
function inPage(size: number): string {
  return size === 1 ? '' : ` && (t & 4095) <= ${4096 - size}`;
}

/**
 * Loads `size` bytes at (t, u) into v (low half; w gets the high half for 8
 * bytes). The fast path reads RAM directly when the translation mirror
 * (jit.ts) has the page, the address is in the low 4 GiB (so canonical, VPN
 * t >>> 12) and the access stays in its page; it counts the TLB hit the
 * interpreter would (HC: 1 with paging on, 0 with paging off). Otherwise
 * H.rd fills the mirror or calls Machine.read, as the interpreter does.
 */
function load(size: number, stack: boolean, a: Addr = FULL): string {
  let fast: string;
  switch (size) {
    case 1:
      fast = 'v = BY[MRF[ix] + (t & 4095)];';
      break;
    case 2:
      fast = 'v = DV.getUint16(MRF[ix] + (t & 4095), true);';
      break;
    case 4:
      fast = 'v = DV.getInt32(MRF[ix] + (t & 4095), true);';
      break;
    default:
      fast = 'pa = MRF[ix] + (t & 4095); v = DV.getInt32(pa, true); w = DV.getInt32(pa + 4, true);';
  }
  // sl notes that the slow path ran: only it can move a generation (see emitBlock).
  const slow = size === 8 ? `v = RD(J, t, u, 8, ${stack}); if (J.fault !== null) break L; w = R.hi; sl = 1;` : `v = RD(J, t, u, ${size}, ${stack}); if (J.fault !== null) break L; sl = 1;`;
  return `${a.setup}x = t >>> 12; ix = x & MM;\nif (${a.fast} && MR[ix] === x${inPage(size)}) { ${fast} hl += HC; } else { ${a.slowU}${slow} }`;
}

/** Stores (vlo, vhi) as `size` bytes at (t, u), as load does. */
function store(size: number, vlo: string, vhi: string, stack: boolean, a: Addr = FULL): string {
  let fast: string;
  switch (size) {
    case 1:
      fast = `BY[MWF[ix] + (t & 4095)] = ${vlo};`;
      break;
    case 2:
      fast = `DV.setUint16(MWF[ix] + (t & 4095), ${vlo} & 0xffff, true);`;
      break;
    case 4:
      fast = `DV.setInt32(MWF[ix] + (t & 4095), ${vlo}, true);`;
      break;
    default:
      fast = `pa = MWF[ix] + (t & 4095); DV.setInt32(pa, ${vlo}, true); DV.setInt32(pa + 4, ${vhi}, true);`;
  }
  return `${a.setup}x = t >>> 12; ix = x & MM;\nif (${a.fast} && MW[ix] === x${inPage(size)}) { ${fast} hl += HC; } else { ${a.slowU}WR(J, t, u, ${size}, ${vlo}, ${vhi}, ${stack}); if (J.fault !== null) break L; sl = 1; }`;
}

/**
 * Raises a fault: the function has no try/catch (exception edges would make
 * V8's graph of it much larger and slower to compile), so a fault is stored
 * in J.fault and the function leaves its loop; the way out writes the
 * registers back, counts, and throws it. The slow paths' helpers store the
 * faults of Machine.read and .write the same way (jit.ts).
 */
function fault(expr: string): string {
  return `{ J.fault = ${expr}; break L; }`;
}

/** tg = targetOf(lo, hi): #GP if not canonical. */
function absTarget(l: string, h: string): string {
  return `q = ${h} >> 15; if (q !== 0 && q !== -1) ${fault("gp('jump to a non-canonical address')")} tg = ${h} * 4294967296 + (${l} >>> 0);`;
}

/** Pushes (vlo, vhi) as execute.ts's push: write at rsp - 8, then rsp -= 8. */
function push(vlo: string, vhi: string): string {
  return `${sub64To('t', 'u', 'l4', 'h4', '8', '0')}\n${store(8, vlo, vhi, true)}\nl4 = t; h4 = u;`;
}

/** (s0, s1) = the linear address at page offset `next` (0-4096) of this page, whose base is (bl, bh). */
function returnAddress(next: number): string {
  return `s0 = (bl + ${c(next)}) | 0; s1 = (bh + ((s0 >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;`;
}

/** One block of a region: its instructions, each at a page offset, and the page offset just past the last. */
export interface RegionBlock {
  readonly insns: readonly Insn[];
  /** Page offset (0-4095) of each instruction; offsets[0] is where the block starts. */
  readonly offsets: readonly number[];
  readonly end: number;
}

/**
 * Source for a region: blocks of one physical page compiled into one function
 * (the body of `new Function('H', source)`, which returns the RegionFn). The
 * function runs the block at page offset `start`, then, while `chain` is set,
 * goes on to the next block inside the function whenever control stays in
 * the same linear page, reaches the start of another of its blocks, and that
 * whole block fits in `max`; otherwise it returns, leaving rip at the next
 * instruction.
 */
export function generateRegion(blocks: readonly RegionBlock[]): string {
  const used = new Set<number>();
  const written = new Set<number>();
  let memory = false;
  const starts = new Set<number>();
  for (const blk of blocks) {
    starts.add(blk.offsets[0]!);
    for (const insn of blk.insns) {
      for (const r of registersOf(insn)) used.add(r);
      if (touchesMemory(insn.op)) memory = true;
    }
  }
  const body: string[] = [];
  const emit = (s: string): void => void body.push(s);
  for (const blk of blocks) emitBlock(blk, starts, emit, (r) => void written.add(r));
  const regs = [...used].sort((x, y) => x - y);
  const wregs = [...written].sort((x, y) => x - y);
  const writeBack = wregs.map((r) => `RF[${2 * r}] = l${r}; RF[${2 * r + 1}] = h${r};`).join(' ');
  const lines: string[] = [];
  lines.push('"use strict";');
  lines.push('const R = H.R, DIV = H.DIV, mul64 = H.mul64, shl64 = H.shl64, shr64 = H.shr64, sar64 = H.sar64;');
  lines.push('const divide64 = H.divide64, divide32 = H.divide32, gp = H.gp, divideError = H.divideError, RD = H.rd, WR = H.wr, sync = H.sync, ST = H.still;');
  lines.push('return function region(J, max, fHit, start, chain) {');
  lines.push('const cpu = J.cpu, RF = J.r, M = J.m, CT = J.counters, TLB = J.tlb, DC = J.dc;');
  if (memory) {
    // The translation mirror must match the machine before the fast path uses it.
    lines.push('sync(J);');
    lines.push('const BY = J.bytes, DV = J.view, MR = J.mr, MRF = J.mrf, MW = J.mw, MWF = J.mwf, MM = J.mm, HC = J.hc;');
  }
  // The linear address of the page: rip and the start offset are in the same page.
  lines.push('const base = cpu.rip - start; const user = (cpu.cs & 3) === 3;');
  // ... and as int32 halves (bl is page-aligned), for return addresses and indirect targets.
  lines.push('const bh = Math.floor(base / 4294967296) | 0, bl = (base - bh * 4294967296) | 0;');
  lines.push('let g0 = TLB.generation; const c0 = DC.generation;');
  if (regs.length > 0) lines.push('let ' + regs.map((r) => `l${r} = RF[${2 * r}], h${r} = RF[${2 * r + 1}]`).join(', ') + ';');
  // n: instructions retired (a block counts whole when it starts); d: page offset of the next block (rip = base + d on exit);
  // e: at a mid-block exit, the instructions of the current block that did not retire, negated.
  // hl: the TLB hits of the fast path; sl: the slow path ran (see load).
  lines.push('let n = 0, e = 0, k = 0, d = start, tg = 0, t = 0, u = 0, v = 0, w = 0, x = 0, y = 0, z = 0, q = 0, pa = 0, ix = 0, s0 = 0, s1 = 0;');
  lines.push('let hl = 0, sl = 0;');
  lines.push('L: for (;;) {');
  lines.push('switch (d) {');
  lines.push(...body);
  lines.push('default: break L;');
  lines.push('}');
  lines.push('}');
  lines.push(writeBack);
  lines.push('if (J.fault !== null) {');
  // k: the faulting instruction, as ((its page offset * 64) + the instructions of its block
  // retired before it) * 128 + the block's length (n counts the whole block already).
  lines.push('cpu.rip = base + (k >> 13); n += ((k >> 7) & 63) - (k & 127); M.icount += n; if (user) M.userIcount += n; CT.hits += fHit * n + hl;');
  lines.push('const f = J.fault; J.fault = null; throw f;');
  lines.push('}');
  lines.push('n += e; cpu.rip = base + d; M.icount += n; if (user) M.userIcount += n; CT.hits += fHit * (n - 1) + hl;');
  lines.push('return n;');
  lines.push('};');
  return lines.join('\n');
}

/**
 * True if the next fetch would still be a fetch-shortcut hit, or a TLB hit on
 * the region's code page with no side effect but its count: the generations
 * did not move, or only the TLB's did (a fill or drop for data, a suspect
 * mark) and the code page's entry is as the fetch used it (H.still, which
 * re-syncs the translation mirror and gives the TLB generation to go on
 * with, or -1). A helper, so that each memory access adds little bytecode
 * (V8 optimizes a function after an amount of work that grows with its size).
 */
const STILL = '(g0 = ST(J, g0, c0, base)) >= 0';

/** Emits `case start:` and the code of one block. */
function emitBlock(blk: RegionBlock, starts: ReadonlySet<number>, emit: (s: string) => void, wr: (r: number) => void): void {
  const insns = blk.insns;
  const offsets = blk.offsets;
  const N = insns.length;
  if (N > 64) throw new Error('jit: a block has at most 64 instructions (the fault record k counts them in 6 bits)');
  const first = offsets[0]!;
  emit(`case ${first}: {`);
  // The whole block must fit in what is left of the budget and the timer allowance.
  // ...and counts as retired from here (an exit in the middle of it takes back what did not).
  emit(`if (n + ${N} > max) break L; n += ${N};`);

  /**
   * Leaves the block for page offset `off` (a constant) after all N
   * instructions retired: the next block of the region, or out.
   */
  // After a last instruction that touched memory, the generations must be checked
  // before going on: if either moved, the interpreter's next fetch would not be a
  // fetch-shortcut hit, and the run loop must make it.
  // Only Machine.read and .write (the slow path, which sets sl) can move one.
  const chainOk = touchesMemory(insns[N - 1]!.op) ? `chain && (sl === 0 || (sl = 0, ${STILL}))` : 'chain';
  // Exits only assign constants (d, the target's page offset, and e; n counted the
  // block on entry) so that an exit V8 has not seen taken yet (a loop's exit, most
  // often) costs no deoptimization for want of type feedback.
  const toOffset = (off: number): void => {
    if (starts.has(off)) emit(`d = ${c(off)}; if (${chainOk}) continue L; break L;`);
    else emit(`d = ${c(off)}; break L;`);
  };
  /**
   * Leaves for the linear address (l, h), computed at run time, after `post`
   * (code that must follow the target's #GP check). A target in this page
   * (whose linear base is (bl, bh)) is canonical and needs no conversion.
   */
  const toTarget = (l: string, h: string, post: string): void => {
    emit(`if (${h} === bh && (${l} & -4096) === bl) { ${post} d = ${l} & 4095; if (${chainOk}) continue L; break L; }`);
    emit(`${absTarget(l, h)} ${post} d = tg - base; break L;`);
  };
  /** A relative jump to page offset `off` (may be outside the page): checked canonical as checkTarget does. */
  const jumpTo = (off: number): void => {
    if (off >= 0 && off < 4096) {
      toOffset(off); // inside the page, which is canonical
    } else {
      emit(`tg = base + ${c(off)}; if (tg >= 0x800000000000 || tg < -0x800000000000) ${fault("gp('jump to a non-canonical address')")}`);
      emit(`d = ${c(off)}; break L;`);
    }
  };
  const branch = (cond: string, i: number): void => {
    const insn = insns[i]!;
    const next = offsets[i]! + insn.len;
    emit(`if (${cond}) {`);
    jumpTo(next + insn.imm);
    emit('}');
    toOffset(next);
  };

  for (let i = 0; i < N; i++) {
    const insn = insns[i]!;
    const op = insn.op;
    const a = insn.a;
    const b = insn.b;
    const next = offsets[i]! + insn.len;
    const la = lo(a);
    const ha = hi(a);
    const lb = lo(b);
    const hb = hi(b);
    const last = i === N - 1;
    emit(`// +${offsets[i]}: op 0x${op.toString(16)} a=${a} b=${b} c=${insn.c} imm=${insn.imm}`);
    // Anything that may throw records which instruction it is.
    if (mayFault(op)) emit(`k = ${(offsets[i]! * 64 + i) * 128 + N};`);
    const setA = (l: string, h: string): void => {
      emit(`${la} = ${l}; ${ha} = ${h};`);
      wr(a);
    };
    const setAW = (expr: string): void => {
      // A plain variable can be read twice (writing la first leaves its value as it was).
      if (/^[a-z][a-z0-9]*$/.test(expr)) emit(`${la} = ${expr}; ${ha} = ${expr} >> 31;`);
      else emit(`y = ${expr}; ${la} = y; ${ha} = y >> 31;`);
      wr(a);
    };
    switch (op) {
      case Op.NOP:
        break;
      case Op.RET:
        emit(`t = l4; u = h4;\n${load(8, true)}`);
        wr(Reg.RSP);
        toTarget('v', 'w', add64To('l4', 'h4', 'l4', 'h4', '8', '0'));
        break;
      case Op.LEAVE:
        emit(`t = l5; u = h5;\n${load(8, true)}`);
        emit(add64To('l4', 'h4', 'l5', 'h5', '8', '0'));
        emit('l5 = v; h5 = w;');
        wr(Reg.RSP);
        wr(Reg.RBP);
        break;
      case Op.ENTER:
        emit(sub64To('t', 'u', 'l4', 'h4', '8', '0'));
        emit(store(8, 'l5', 'h5', true));
        emit('l5 = t; h5 = u;');
        emit(sub64To('l4', 'h4', 't', 'u', c(insn.imm), c(0)));
        wr(Reg.RSP);
        wr(Reg.RBP);
        break;
      case Op.JMP8:
        jumpTo(next + insn.imm);
        break;
      case Op.CALL: {
        const target = next + insn.imm;
        if (target < 0 || target >= 4096) {
          emit(`tg = base + ${c(target)}; if (tg >= 0x800000000000 || tg < -0x800000000000) ${fault("gp('jump to a non-canonical address')")}`);
        }
        emit(returnAddress(next));
        emit(push('s0', 's1'));
        wr(Reg.RSP);
        if (target >= 0 && target < 4096) toOffset(target);
        else emit(`d = ${c(target)}; break L;`);
        break;
      }
      case Op.PUSH:
        emit('s0 = ' + la + '; s1 = ' + ha + ';');
        emit(push('s0', 's1'));
        wr(Reg.RSP);
        break;
      case Op.POP:
        emit(`t = l4; u = h4;\n${load(8, true)}`);
        emit(add64To('l4', 'h4', 'l4', 'h4', '8', '0'));
        emit(`${la} = v; ${ha} = w;`);
        wr(Reg.RSP);
        wr(a);
        break;
      case Op.PUSHF:
        emit('s0 = cpu.rflags | 0; s1 = 0;');
        emit(push('s0', 's1'));
        wr(Reg.RSP);
        break;

      // ---- 64-bit ALU ----
      case Op.MOV:
        setA(lb, hb);
        break;
      case Op.ADD:
        emit(add64To('y', 'z', la, ha, lb, hb));
        setA('y', 'z');
        break;
      case Op.SUB:
        emit(sub64To('y', 'z', la, ha, lb, hb));
        setA('y', 'z');
        break;
      case Op.AND:
        setA(`${la} & ${lb}`, `${ha} & ${hb}`);
        break;
      case Op.OR:
        setA(`${la} | ${lb}`, `${ha} | ${hb}`);
        break;
      case Op.XOR:
        setA(`${la} ^ ${lb}`, `${ha} ^ ${hb}`);
        break;
      case Op.SHL:
        emit(`y = shl64(${la}, ${ha}, ${lb}); z = R.hi;`);
        setA('y', 'z');
        break;
      case Op.SHR:
        emit(`y = shr64(${la}, ${ha}, ${lb}); z = R.hi;`);
        setA('y', 'z');
        break;
      case Op.SAR:
        emit(`y = sar64(${la}, ${ha}, ${lb}); z = R.hi;`);
        setA('y', 'z');
        break;
      case Op.MUL:
        emit(`y = mul64(${la}, ${ha}, ${lb}, ${hb}); z = R.hi;`);
        setA('y', 'z');
        break;
      case Op.DIV:
      case Op.DIVU:
      case Op.REM:
      case Op.REMU: {
        const signed = op === Op.DIV || op === Op.REM;
        const rem = op === Op.REM || op === Op.REMU;
        emit(`if (!divide64(${la}, ${ha}, ${lb}, ${hb}, ${signed})) ${fault('divideError()')}`);
        setA(rem ? 'DIV.rlo' : 'DIV.qlo', rem ? 'DIV.rhi' : 'DIV.qhi');
        break;
      }

      // ---- 32-bit ALU ----
      case Op.ZEXT32:
        setA(lb, '0');
        break;
      case Op.ADDW:
        setAW(`(${la} + ${lb}) | 0`);
        break;
      case Op.SUBW:
        setAW(`(${la} - ${lb}) | 0`);
        break;
      case Op.SHLW:
        setAW(`${la} << (${lb} & 31)`);
        break;
      case Op.SHRW:
        setAW(`(${la} >>> (${lb} & 31)) | 0`);
        break;
      case Op.SARW:
        setAW(`${la} >> (${lb} & 31)`);
        break;
      case Op.MULW:
        setAW(`Math.imul(${la}, ${lb})`);
        break;
      case Op.DIVW:
      case Op.DIVUW:
      case Op.REMW:
      case Op.REMUW: {
        const signed = op === Op.DIVW || op === Op.REMW;
        const rem = op === Op.REMW || op === Op.REMUW;
        emit(`if (!divide32(${la}, ${lb}, ${signed})) ${fault('divideError()')}`);
        setA(rem ? 'DIV.rlo' : 'DIV.qlo', rem ? 'DIV.rhi' : 'DIV.qhi');
        break;
      }

      // ---- unary and extensions ----
      case Op.NEG:
        emit(sub64To('y', 'z', '0', '0', lb, hb));
        setA('y', 'z');
        break;
      case Op.NOT:
        setA(`~${lb}`, `~${hb}`);
        break;
      case Op.SEXT8:
        setAW(`(${lb} << 24) >> 24`);
        break;
      case Op.SEXT16:
        setAW(`(${lb} << 16) >> 16`);
        break;
      case Op.SEXT32:
        setAW(`${lb}`);
        break;
      case Op.ZEXT8:
        setA(`${lb} & 0xff`, '0');
        break;
      case Op.ZEXT16:
        setA(`${lb} & 0xffff`, '0');
        break;
      case Op.NEGW:
        setAW(`-${lb} | 0`);
        break;

      case Op.SEQ:
      case Op.SNE:
      case Op.SLT:
      case Op.SLTU:
      case Op.SLE:
      case Op.SLEU:
      case Op.SGT:
      case Op.SGTU:
      case Op.SGE:
      case Op.SGEU:
        setA(`${setCondition(op, la, ha, lb, hb)} ? 1 : 0`, '0');
        break;

      // ---- indirect control transfer ----
      case Op.CALLR:
        // The target is checked (#GP) before the push, as execute.ts does; v, w keep it.
        emit(`v = ${la}; w = ${ha};`);
        emit(`if (w !== bh || (v & -4096) !== bl) { ${absTarget('v', 'w')} }`);
        emit(returnAddress(next));
        emit(push('s0', 's1'));
        wr(Reg.RSP);
        toTarget('v', 'w', '');
        break;
      case Op.JMPR:
        toTarget(la, ha, '');
        break;

      // ---- immediates ----
      case Op.MOVI8:
      case Op.MOVI32:
      case Op.MOVI64:
        setA(c(insn.imm), c(insn.immHi));
        break;
      case Op.MOVU32:
        setA(c(insn.imm), '0');
        break;
      case Op.ADDI8:
      case Op.ADDI32:
        emit(add64To('y', 'z', la, ha, c(insn.imm), c(insn.immHi)));
        setA('y', 'z');
        break;
      case Op.ANDI8:
      case Op.ANDI32:
        setA(`${la} & ${c(insn.imm)}`, `${ha} & ${c(insn.immHi)}`);
        break;
      case Op.ORI8:
      case Op.ORI32:
        setA(`${la} | ${c(insn.imm)}`, `${ha} | ${c(insn.immHi)}`);
        break;
      case Op.XORI8:
      case Op.XORI32:
        setA(`${la} ^ ${c(insn.imm)}`, `${ha} ^ ${c(insn.immHi)}`);
        break;
      case Op.SHLI:
        emit(shiftConst('shl', la, ha, insn.imm));
        setA('y', 'z');
        break;
      case Op.SHRI:
        emit(shiftConst('shr', la, ha, insn.imm));
        setA('y', 'z');
        break;
      case Op.SARI:
        emit(shiftConst('sar', la, ha, insn.imm));
        setA('y', 'z');
        break;
      case Op.MULI8:
      case Op.MULI32:
        emit(`y = mul64(${la}, ${ha}, ${c(insn.imm)}, ${c(insn.immHi)}); z = R.hi;`);
        setA('y', 'z');
        break;
      case Op.ADDWI8:
      case Op.ADDWI32:
        setAW(`(${la} + ${c(insn.imm)}) | 0`);
        break;
      case Op.SHLWI:
        setAW(`${la} << ${insn.imm & 31}`);
        break;
      case Op.SHRWI:
        setAW(`(${la} >>> ${insn.imm & 31}) | 0`);
        break;
      case Op.SARWI:
        setAW(`${la} >> ${insn.imm & 31}`);
        break;

      // ---- memory ----
      case Op.LEA:
        emit(add64To('y', 'z', lb, hb, c(insn.imm), c(insn.immHi)));
        setA('y', 'z');
        break;
      case Op.LD8U:
      case Op.LD8S:
      case Op.LD16U:
      case Op.LD16S:
      case Op.LD32U:
      case Op.LD32S:
      case Op.LD64:
      case Op.ST8:
      case Op.ST16:
      case Op.ST32:
      case Op.ST64:
        if (insn.immHi !== (insn.imm < 0 ? -1 : 0)) throw new Error('jit: a displacement is sign-extended');
        memoryOp(op, b === Reg.RSP || b === Reg.RBP, baseDisp(lb, hb, insn.imm));
        break;
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
        emit(shiftConst('shl', lo(insn.c), hi(insn.c), insn.imm));
        emit(add64To('t', 'u', lb, hb, 'y', 'z'));
        const base = op - MEM_IDX_DELTA;
        if (base === Op.LEA) setA('t', 'u');
        else memoryOp(base, b === Reg.RSP || b === Reg.RBP, FULL);
        break;
      }

      // ---- branches ----
      case Op.BEQ:
      case Op.BNE:
      case Op.BLT:
      case Op.BGE:
      case Op.BLTU:
      case Op.BGEU:
        branch(branchCondition(op, la, ha, lb, hb), i);
        break;
      case Op.BEQI:
      case Op.BNEI:
      case Op.BLTI:
      case Op.BGEI:
      case Op.BLTUI:
      case Op.BGEUI:
        branch(branchCondition(op - BRANCH_IMM_DELTA, la, ha, c(b), c(b >> 31)), i);
        break;
      case Op.BZ:
        branch(`(${la} | ${ha}) === 0`, i);
        break;
      case Op.BNZ:
        branch(`(${la} | ${ha}) !== 0`, i);
        break;
      default:
        throw new Error(`jit: opcode 0x${op.toString(16)} is not translatable`);
    }
    if (!endsBlock(op)) {
      if (touchesMemory(op) && !last) {
        emit(`if (sl !== 0) { sl = 0; if (!(${STILL})) { e = ${i + 1 - N}; d = ${next}; break L; } }`);
      }
      if (last) toOffset(blk.end);
    }

    function memoryOp(base: number, stack: boolean, ad: Addr): void {
      switch (base) {
        case Op.LD8U:
          emit(load(1, stack, ad));
          setA('v & 0xff', '0');
          break;
        case Op.LD8S:
          emit(load(1, stack, ad));
          setAW('(v << 24) >> 24');
          break;
        case Op.LD16U:
          emit(load(2, stack, ad));
          setA('v & 0xffff', '0');
          break;
        case Op.LD16S:
          emit(load(2, stack, ad));
          setAW('(v << 16) >> 16');
          break;
        case Op.LD32U:
          emit(load(4, stack, ad));
          setA('v', '0');
          break;
        case Op.LD32S:
          emit(load(4, stack, ad));
          setAW('v');
          break;
        case Op.LD64:
          emit(load(8, stack, ad));
          setA('v', 'w');
          break;
        case Op.ST8:
          emit(store(1, la, ha, stack, ad));
          break;
        case Op.ST16:
          emit(store(2, la, ha, stack, ad));
          break;
        case Op.ST32:
          emit(store(4, la, ha, stack, ad));
          break;
        default:
          emit(store(8, la, ha, stack, ad));
          break;
      }
    }
  }

  emit('}');
}
