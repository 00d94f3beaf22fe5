// WebAssembly for a region: the same blocks, semantics, counting and exits as
// codegen.ts's JavaScript, with registers as i64 locals. V8 compiles a
// WebAssembly function at once with its baseline compiler (Liftoff), so a
// region runs as machine code from its first call, where JavaScript would run
// in V8's interpreter until the optimizing compiler (several milliseconds per
// region, on another thread) is done; and 64-bit arithmetic is one instruction.
//
// The function works on the machine's WebAssembly memory (wasm-layout.ts):
// RAM at address 0, then the register file, the exchange slots and the
// translation mirror. It loads the registers it uses at entry and stores the
// ones it writes on the way out, and reports through the slots where it
// stopped (wasm-region.ts reads them and does the counting that codegen.ts's
// epilogue does). Slow paths, generation checks and faults call the same
// helpers as the JavaScript (jit.ts) through imports (the dispatcher's
// forwarders of them, wasm-dispatch.ts). A second function, `free`, says
// whether a listed breakpoint is on a block, for chaining in a region that
// has one.
//
// Control flow: a loop around a br_table on the block index `bi`; a block
// ends by setting `bi` and branching to the loop (chaining) or by setting the
// exit page offset `d` (or a far target) and branching out. Indirect transfers
// inside the page go through one more table entry that maps a page offset to
// a block index by comparisons.

import { BRANCH_IMM_DELTA, MEM_IDX_DELTA, Op, Reg, ZERO_REG } from '../isa/opcodes';
import { endsBlock, mayFault, registersOf, touchesMemory, type RegionBlock } from './codegen';
import { encodeModule, I32, I64, W, WasmBody, type FuncType, type Label } from './wasm-module';
import { SLOT, type WasmLayout } from './wasm-layout';

/** Imports, in index order (wasm-region.ts supplies them). */
export const WASM_IMPORTS: readonly { name: string; type: FuncType }[] = [
  /** rd(lo, hi, size, stack) -> low half; the high half of an 8-byte read in SLOT.HI, a fault in SLOT.FAULT. */
  { name: 'rd', type: { params: [I32, I32, I32, I32], results: [I32] } },
  /** wr(lo, hi, size, vlo, vhi, stack) -> 1 if it faulted. */
  { name: 'wr', type: { params: [I32, I32, I32, I32, I32, I32], results: [I32] } },
  /** still() -> 1 if the region may go on after a slow-path access moved the TLB generation (jit.ts, stillOn). */
  { name: 'still', type: { params: [], results: [I32] } },
  /** gp(): #GP(0) for a non-canonical jump target, left in J.fault. */
  { name: 'gp', type: { params: [], results: [] } },
  /** de(): #DE, left in J.fault. */
  { name: 'de', type: { params: [], results: [] } },
  /** flags() -> rflags. */
  { name: 'flags', type: { params: [], results: [I32] } },
];
const F_RD = 0;
const F_WR = 1;
const F_STILL = 2;
const F_GP = 3;
const F_DE = 4;
const F_FLAGS = 5;

/** run(max, bi, start, chain, bl, bh, mm, hc) -> instructions counted (whole blocks; SLOT.E corrects). */
export const RUN_TYPE: FuncType = { params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [I32] };
const P_MAX = 0;
const P_BI = 1;
const P_START = 2;
const P_CHAIN = 3;
const P_BL = 4;
const P_BH = 5;
const P_MM = 6;
const P_HC = 7;

const TWO32 = 0x100000000n;

/** free(start, length) -> 1 if no listed breakpoint is in [start, start + length) and the list is complete. */
const FREE_TYPE: FuncType = { params: [I64, I32], results: [I32] };
/** Its function index: after the imports and run. */
const F_FREE = WASM_IMPORTS.length + 1;

/** The body of `free` (see FREE_TYPE): a scan of the breakpoint list (wasm-layout.ts, breakpoints). */
function noBreakpointIn(layout: WasmLayout): WasmBody {
  const f = new WasmBody(2);
  const k = f.local(I32);
  const out = f.begin(W.block);
  f.i32(0).mem(W.i32Load, 2, layout.breakpoints).tee(k).i32(0).op(W.i32LtS);
  const unknown = f.begin(W.if);
  f.i32(0).op(W.return);
  f.end(unknown);
  f.get(k).op(W.i32Eqz).brIf(out);
  const scan = f.begin(W.loop);
  f.get(k).i32(1).op(W.i32Sub).tee(k).i32(3).op(W.i32Shl).mem(W.i64Load, 3, layout.breakpoints + 8);
  f.get(0).op(W.i64Sub).get(1).op(W.i64ExtendI32U).op(W.i64LtU);
  const hit = f.begin(W.if);
  f.i32(0).op(W.return);
  f.end(hit);
  f.get(k).brIf(scan);
  f.end(scan);
  f.end(out);
  f.i32(1);
  return f;
}

/** A 64-bit constant from int32 halves (a number when it is a sign-extended int32, as most are). */
function pair(lo: number, hi: number): bigint | number {
  if ((hi | 0) === (lo | 0) >> 31) return lo | 0;
  return BigInt.asIntN(64, (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0));
}

/** The block index of each region block's start offset, in order. */
export function blockIndex(blocks: readonly RegionBlock[]): Map<number, number> {
  const m = new Map<number, number>();
  blocks.forEach((b, i) => m.set(b.offsets[0]!, i));
  return m;
}

/** The module for a region (one exported function `run`), for the machine memory layout `layout`. */
export function generateWasmRegion(blocks: readonly RegionBlock[], layout: WasmLayout): Uint8Array<ArrayBuffer> {
  const f = new WasmBody(RUN_TYPE.params.length);
  const index = blockIndex(blocks);
  const used = new Set<number>();
  const written = new Set<number>();
  for (const blk of blocks) for (const insn of blk.insns) for (const r of registersOf(insn)) used.add(r);

  const base = f.local(I64);
  const n = f.local(I32);
  const e = f.local(I32);
  const k = f.local(I32);
  const d = f.local(I32);
  const far = f.local(I32);
  const out = f.local(I64);
  const t = f.local(I64);
  const v = f.local(I64);
  const s = f.local(I64);
  const tl = f.local(I32);
  const x = f.local(I32);
  const ix = f.local(I32);
  const sl = f.local(I32);
  const hl = f.local(I32);
  const bi = f.local(I32);
  const ok = f.local(I32);
  const regLocal = new Map<number, number>();
  for (const r of [...used].sort((a, b) => a - b)) regLocal.set(r, f.local(I64));

  const slot = (i: number): number => layout.slots + 4 * i;
  const reg = (r: number): void => {
    if (r === ZERO_REG) f.i64(0n);
    else f.get(regLocal.get(r)!);
  };
  const setReg = (r: number): void => {
    f.set(regLocal.get(r)!);
    written.add(r);
  };

  // Prologue: base = bh:bl, d = start, bi = the entry's block, registers loaded.
  f.get(P_BH).op(W.i64ExtendI32U).i64(32n).op(W.i64Shl).get(P_BL).op(W.i64ExtendI32U).op(W.i64Or).set(base);
  f.get(P_START).set(d);
  f.get(P_BI).set(bi);
  for (const [r, l] of regLocal) f.i32(0).mem(W.i64Load, 0, layout.regs + 8 * r).set(l);

  const exit = f.begin(W.block);
  const loop = f.begin(W.loop);
  const dflt = f.begin(W.block);
  const dyn = f.begin(W.block); // table entry N: an offset in d to a block index
  const labels: Label[] = [];
  for (let i = blocks.length - 1; i >= 0; i--) labels[i] = f.begin(W.block);
  f.get(bi).brTable([...labels, dyn], dflt);

  /** Leaves with d = page offset `off` (rip = base + off). */
  const exitAt = (off: number): void => {
    f.i32(off).set(d).br(exit);
  };
  /** Goes to the block at constant page offset `off` (in the region), or leaves there. */
  const chainOrExit = (off: number, memoryLast: boolean): void => {
    f.i32(off).set(d);
    const i = index.get(off);
    if (i === undefined) {
      f.br(exit);
      return;
    }
    // Without `chain` (a breakpoint is on the region), still on to a block no breakpoint is on,
    // as the run loop would run it whole (the breakpoints are listed in the memory).
    f.get(P_CHAIN).set(ok);
    f.get(ok).op(W.i32Eqz);
    const check = f.begin(W.if);
    const blk = blocks[i]!;
    f.get(base).i64(off).op(W.i64Add).i32(blk.end - blk.offsets[0]!).call(F_FREE).set(ok);
    f.end(check);
    f.get(ok);
    const yes = f.begin(W.if);
    if (memoryLast) stillOrExit();
    f.i32(i).set(bi).br(loop);
    f.end(yes);
    f.br(exit);
  };
  /** After a last instruction that touched memory: if the slow path ran, the generations must still allow going on. */
  const stillOrExit = (): void => {
    f.get(sl);
    const slow = f.begin(W.if);
    f.i32(0).set(sl);
    f.call(F_STILL).op(W.i32Eqz).brIf(exit);
    f.end(slow);
  };
  /** Goes to the block at page offset d (computed), through the dynamic dispatch entry, or leaves. */
  const chainDynamic = (memoryLast: boolean): void => {
    f.get(P_CHAIN);
    const yes = f.begin(W.if);
    if (memoryLast) stillOrExit();
    f.i32(blocks.length).set(bi).br(loop);
    f.end(yes);
    f.br(exit);
  };
  /** #GP unless the i64 on the stack is canonical (bits 63-47 all equal). */
  const canonicalOrFault = (): void => {
    f.i64(47n).op(W.i64ShrS).i64(1n).op(W.i64Add).i64(1n).op(W.i64GtU);
    const bad = f.begin(W.if);
    f.call(F_GP).br(exit);
    f.end(bad);
  };

  for (let bix = 0; bix < blocks.length; bix++) {
    f.end(labels[bix]!);
    emitBlock(blocks[bix]!);
  }
  // Entry N: dispatch on d, by binary search over the block starts (returns within the page go
  // through here, so a region with many blocks should not compare against each in turn).
  f.end(dyn);
  const sorted = [...index].sort((p, q) => p[0] - q[0]);
  const search = (lo: number, hi: number): void => {
    if (hi - lo <= 4) {
      for (let j = lo; j < hi; j++) {
        const [off, i] = sorted[j]!;
        f.get(d).i32(off).op(W.i32Eq);
        const hit = f.begin(W.if);
        f.i32(i).set(bi).br(loop);
        f.end(hit);
      }
      f.br(exit);
      return;
    }
    const mid = (lo + hi) >> 1;
    f.get(d).i32(sorted[mid]![0]).op(W.i32LtU);
    const below = f.begin(W.if);
    search(lo, mid);
    f.else();
    search(mid, hi);
    f.end(below);
    f.br(exit);
  };
  search(0, sorted.length);
  f.end(dflt);
  f.br(exit);
  f.end(loop);
  f.end(exit);

  // Epilogue: registers written back, where it stopped in the slots, n returned.
  for (const r of [...written].sort((a, b) => a - b)) f.i32(0).get(regLocal.get(r)!).mem(W.i64Store, 0, layout.regs + 8 * r);
  f.i32(0).get(e).mem(W.i32Store, 0, slot(SLOT.E));
  f.i32(0).get(k).mem(W.i32Store, 0, slot(SLOT.K));
  f.i32(0).get(d).mem(W.i32Store, 0, slot(SLOT.D));
  f.i32(0).get(far).mem(W.i32Store, 0, slot(SLOT.FAR));
  f.i32(0).get(out).mem(W.i64Store, 0, slot(SLOT.OUT_LO));
  f.i32(0).get(hl).mem(W.i32Store, 0, slot(SLOT.HL));
  f.get(n);
  return encodeModule(layout.pages, WASM_IMPORTS, RUN_TYPE, f, { more: [{ name: 'free', type: FREE_TYPE, body: noBreakpointIn(layout) }] });

  /**
   * Address in t already. The fast path when the mirror (`mirror`, `frames`:
   * MR/MRF or MW/MWF) has the page, the address is below 4 GiB and the access
   * stays in its page: pushes the physical address and runs `fast`; else `slow`.
   */
  function access(size: number, mirror: number, frames: number, fast: () => void, slow: () => void): void {
    const done = f.begin(W.block);
    const sp = f.begin(W.block);
    f.get(t).i64(TWO32).op(W.i64GeU).brIf(sp);
    f.get(t).op(W.i32WrapI64).tee(tl).i32(12).op(W.i32ShrU).tee(x).get(P_MM).op(W.i32And).i32(2).op(W.i32Shl).tee(ix);
    f.mem(W.i32Load, 2, mirror).get(x).op(W.i32Ne).brIf(sp);
    if (size > 1) f.get(tl).i32(4095).op(W.i32And).i32(4096 - size).op(W.i32GtU).brIf(sp);
    f.get(ix).mem(W.i32Load, 2, frames).get(tl).i32(4095).op(W.i32And).op(W.i32Add);
    fast();
    f.get(hl).get(P_HC).op(W.i32Add).set(hl);
    f.br(done);
    f.end(sp);
    slow();
    f.i32(1).set(sl);
    // For the dispatcher (wasm-dispatch.ts): a generation may have moved.
    f.i32(0).i32(1).mem(W.i32Store, 2, slot(SLOT.SLOW));
    f.end(done);
  }
  /** t's halves, for the helpers. */
  function tHalves(): void {
    f.get(t).op(W.i32WrapI64).get(t).i64(32n).op(W.i64ShrU).op(W.i32WrapI64);
  }
  /** Loads `size` bytes at t into v, zero-extended. */
  function load(size: number, stack: boolean): void {
    const op = size === 1 ? W.i64Load8U : size === 2 ? W.i64Load16U : size === 4 ? W.i64Load32U : W.i64Load;
    access(
      size,
      layout.mr,
      layout.mrf,
      () => f.mem(op, 0, 0).set(v),
      () => {
        tHalves();
        f.i32(size).i32(stack ? 1 : 0).call(F_RD).op(W.i64ExtendI32U);
        if (size === 8) f.i32(0).mem(W.i32Load, 2, slot(SLOT.HI)).op(W.i64ExtendI32U).i64(32n).op(W.i64Shl).op(W.i64Or);
        else if (size === 2) f.i64(0xffffn).op(W.i64And);
        else if (size === 1) f.i64(0xffn).op(W.i64And);
        f.set(v);
        f.i32(0).mem(W.i32Load, 2, slot(SLOT.FAULT)).brIf(exit);
      },
    );
  }
  /** Stores the low `size` bytes of the i64 that `value` pushes at t. */
  function store(size: number, value: () => void, stack: boolean): void {
    const op = size === 1 ? W.i64Store8 : size === 2 ? W.i64Store16 : size === 4 ? W.i64Store32 : W.i64Store;
    access(
      size,
      layout.mw,
      layout.mwf,
      () => {
        value();
        f.mem(op, 0, 0);
      },
      () => {
        tHalves();
        f.i32(size);
        value();
        f.tee(s).op(W.i32WrapI64).get(s).i64(32n).op(W.i64ShrU).op(W.i32WrapI64);
        f.i32(stack ? 1 : 0).call(F_WR).brIf(exit);
      },
    );
  }
  /** Pushes the i64 in `local`: written at rsp - 8, then rsp -= 8. */
  function push(local: number): void {
    reg(Reg.RSP);
    f.i64(8n).op(W.i64Sub).set(t);
    store(8, () => f.get(local), true);
    f.get(t);
    setReg(Reg.RSP);
  }

  function emitBlock(blk: RegionBlock): void {
    const insns = blk.insns;
    const offsets = blk.offsets;
    const N = insns.length;
    const first = offsets[0]!;
    // The whole block must fit in what is left of max; it counts as retired from here.
    f.get(n).i32(N).op(W.i32Add).get(P_MAX).op(W.i32GtS);
    const over = f.begin(W.if);
    f.i32(first).set(d).br(exit);
    f.end(over);
    f.get(n).i32(N).op(W.i32Add).set(n);

    for (let i = 0; i < N; i++) {
      const insn = insns[i]!;
      const op = insn.op;
      const a = insn.a;
      const b = insn.b;
      const next = offsets[i]! + insn.len;
      const last = i === N - 1;
      const memLast = touchesMemory(insns[N - 1]!.op);
      if (mayFault(op)) f.i32((offsets[i]! * 64 + i) * 128 + N).set(k);
      const toOffset = (off: number): void => chainOrExit(off, memLast);
      /** A relative jump to page offset `off` (may leave the page: checked canonical). */
      const jumpTo = (off: number): void => {
        if (off >= 0 && off < 4096) {
          toOffset(off);
          return;
        }
        f.get(base).i64(off).op(W.i64Add).tee(out);
        canonicalOrFault();
        f.i32(1).set(far).br(exit);
      };
      /** Leaves for the i64 in `target` after `post` (which must follow the #GP check). */
      const toTarget = (target: number, post: () => void): void => {
        f.get(target).i64(-4096n).op(W.i64And).get(base).op(W.i64Eq);
        const inPage = f.begin(W.if);
        post();
        f.get(target).op(W.i32WrapI64).i32(4095).op(W.i32And).set(d);
        chainDynamic(memLast);
        f.end(inPage);
        f.get(target);
        canonicalOrFault();
        post();
        f.get(target).set(out).i32(1).set(far).br(exit);
      };
      const branch = (cond: () => void): void => {
        cond();
        const taken = f.begin(W.if);
        jumpTo(next + insn.imm);
        f.end(taken);
        toOffset(next);
      };
      const bin = (opcode: number, rhs: () => void): void => {
        reg(a);
        rhs();
        f.op(opcode);
        setReg(a);
      };
      /** a = sext32(low(a) op low(rhs)). */
      const binW = (opcode: number, rhs: () => void): void => {
        reg(a);
        f.op(W.i32WrapI64);
        rhs();
        f.op(opcode, W.i64ExtendI32S);
        setReg(a);
      };
      const lowB = (): void => {
        reg(b);
        f.op(W.i32WrapI64);
      };
      const imm64 = (): bigint | number => pair(insn.imm, insn.immHi);

      switch (op) {
        case Op.NOP:
          break;
        case Op.RET:
          reg(Reg.RSP);
          f.set(t);
          load(8, true);
          toTarget(v, () => {
            reg(Reg.RSP);
            f.i64(8n).op(W.i64Add);
            setReg(Reg.RSP);
          });
          break;
        case Op.LEAVE:
          reg(Reg.RBP);
          f.set(t);
          load(8, true);
          reg(Reg.RBP);
          f.i64(8n).op(W.i64Add);
          setReg(Reg.RSP);
          f.get(v);
          setReg(Reg.RBP);
          break;
        case Op.ENTER:
          reg(Reg.RSP);
          f.i64(8n).op(W.i64Sub).set(t);
          store(8, () => reg(Reg.RBP), true);
          f.get(t);
          setReg(Reg.RBP);
          f.get(t).i64(insn.imm >>> 0).op(W.i64Sub);
          setReg(Reg.RSP);
          break;
        case Op.JMP8:
          jumpTo(next + insn.imm);
          break;
        case Op.CALL: {
          const target = next + insn.imm;
          if (target < 0 || target >= 4096) {
            f.get(base).i64(target).op(W.i64Add);
            canonicalOrFault();
          }
          f.get(base).i64(next).op(W.i64Add).set(s);
          push(s);
          if (target >= 0 && target < 4096) toOffset(target);
          else f.get(base).i64(target).op(W.i64Add).set(out).i32(1).set(far).br(exit);
          break;
        }
        case Op.PUSH:
          reg(a);
          f.set(s);
          push(s);
          break;
        case Op.POP:
          reg(Reg.RSP);
          f.set(t);
          load(8, true);
          reg(Reg.RSP);
          f.i64(8n).op(W.i64Add);
          setReg(Reg.RSP);
          f.get(v);
          setReg(a);
          break;
        case Op.PUSHF:
          f.call(F_FLAGS).op(W.i64ExtendI32U).set(s);
          push(s);
          break;

        // ---- 64-bit ALU ----
        case Op.MOV:
          reg(b);
          setReg(a);
          break;
        case Op.ADD:
          bin(W.i64Add, () => reg(b));
          break;
        case Op.SUB:
          bin(W.i64Sub, () => reg(b));
          break;
        case Op.AND:
          bin(W.i64And, () => reg(b));
          break;
        case Op.OR:
          bin(W.i64Or, () => reg(b));
          break;
        case Op.XOR:
          bin(W.i64Xor, () => reg(b));
          break;
        case Op.SHL:
          bin(W.i64Shl, () => reg(b)); // wasm takes the count mod 64, as shl64
          break;
        case Op.SHR:
          bin(W.i64ShrU, () => reg(b));
          break;
        case Op.SAR:
          bin(W.i64ShrS, () => reg(b));
          break;
        case Op.MUL:
          bin(W.i64Mul, () => reg(b));
          break;
        case Op.DIV:
        case Op.DIVU:
        case Op.REM:
        case Op.REMU: {
          const signed = op === Op.DIV || op === Op.REM;
          const rem = op === Op.REM || op === Op.REMU;
          // #DE for a zero divisor, or INT64_MIN / -1 signed (wasm would trap on both).
          reg(b);
          f.op(W.i64Eqz);
          if (signed) {
            reg(a);
            f.i64(-(1n << 63n)).op(W.i64Eq);
            reg(b);
            f.i64(-1n).op(W.i64Eq, W.i32And, W.i32Or);
          }
          const bad = f.begin(W.if);
          f.call(F_DE).br(exit);
          f.end(bad);
          bin(signed ? (rem ? W.i64RemS : W.i64DivS) : rem ? W.i64RemU : W.i64DivU, () => reg(b));
          break;
        }

        // ---- 32-bit ALU ----
        case Op.ZEXT32:
          reg(b);
          f.i64(0xffffffffn).op(W.i64And);
          setReg(a);
          break;
        case Op.ADDW:
          binW(W.i32Add, lowB);
          break;
        case Op.SUBW:
          binW(W.i32Sub, lowB);
          break;
        case Op.SHLW:
          binW(W.i32Shl, lowB); // count mod 32, as & 31
          break;
        case Op.SHRW:
          binW(W.i32ShrU, lowB);
          break;
        case Op.SARW:
          binW(W.i32ShrS, lowB);
          break;
        case Op.MULW:
          binW(W.i32Mul, lowB);
          break;
        case Op.DIVW:
        case Op.DIVUW:
        case Op.REMW:
        case Op.REMUW: {
          const signed = op === Op.DIVW || op === Op.REMW;
          const rem = op === Op.REMW || op === Op.REMUW;
          lowB();
          f.op(W.i32Eqz);
          if (signed) {
            reg(a);
            f.op(W.i32WrapI64).i32(-0x80000000).op(W.i32Eq);
            lowB();
            f.i32(-1).op(W.i32Eq, W.i32And, W.i32Or);
          }
          const bad = f.begin(W.if);
          f.call(F_DE).br(exit);
          f.end(bad);
          binW(signed ? (rem ? W.i32RemS : W.i32DivS) : rem ? W.i32RemU : W.i32DivU, lowB);
          break;
        }

        // ---- unary and extensions ----
        case Op.NEG:
          f.i64(0n);
          reg(b);
          f.op(W.i64Sub);
          setReg(a);
          break;
        case Op.NOT:
          reg(b);
          f.i64(-1n).op(W.i64Xor);
          setReg(a);
          break;
        case Op.SEXT8:
          reg(b);
          f.op(W.i64Extend8S);
          setReg(a);
          break;
        case Op.SEXT16:
          reg(b);
          f.op(W.i64Extend16S);
          setReg(a);
          break;
        case Op.SEXT32:
          reg(b);
          f.op(W.i64Extend32S);
          setReg(a);
          break;
        case Op.ZEXT8:
          reg(b);
          f.i64(0xffn).op(W.i64And);
          setReg(a);
          break;
        case Op.ZEXT16:
          reg(b);
          f.i64(0xffffn).op(W.i64And);
          setReg(a);
          break;
        case Op.NEGW:
          f.i32(0);
          lowB();
          f.op(W.i32Sub, W.i64ExtendI32S);
          setReg(a);
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
          reg(a);
          reg(b);
          f.op(setCompare(op), W.i64ExtendI32U);
          setReg(a);
          break;

        // ---- indirect control transfer ----
        case Op.CALLR: {
          // The target is checked (#GP) before the push, as execute.ts does; v keeps it.
          reg(a);
          f.set(v);
          f.get(v).i64(-4096n).op(W.i64And).get(base).op(W.i64Ne);
          const away = f.begin(W.if);
          f.get(v);
          canonicalOrFault();
          f.end(away);
          f.get(base).i64(next).op(W.i64Add).set(s);
          push(s);
          toTarget(v, () => {});
          break;
        }
        case Op.JMPR:
          reg(a);
          f.set(v);
          toTarget(v, () => {});
          break;

        // ---- immediates ----
        case Op.MOVI8:
        case Op.MOVI32:
        case Op.MOVI64:
          f.i64(imm64());
          setReg(a);
          break;
        case Op.MOVU32:
          f.i64(insn.imm >>> 0);
          setReg(a);
          break;
        case Op.ADDI8:
        case Op.ADDI32:
          bin(W.i64Add, () => f.i64(imm64()));
          break;
        case Op.ANDI8:
        case Op.ANDI32:
          bin(W.i64And, () => f.i64(imm64()));
          break;
        case Op.ORI8:
        case Op.ORI32:
          bin(W.i64Or, () => f.i64(imm64()));
          break;
        case Op.XORI8:
        case Op.XORI32:
          bin(W.i64Xor, () => f.i64(imm64()));
          break;
        case Op.SHLI:
          bin(W.i64Shl, () => f.i64(insn.imm & 63));
          break;
        case Op.SHRI:
          bin(W.i64ShrU, () => f.i64(insn.imm & 63));
          break;
        case Op.SARI:
          bin(W.i64ShrS, () => f.i64(insn.imm & 63));
          break;
        case Op.MULI8:
        case Op.MULI32:
          bin(W.i64Mul, () => f.i64(imm64()));
          break;
        case Op.ADDWI8:
        case Op.ADDWI32:
          binW(W.i32Add, () => f.i32(insn.imm));
          break;
        case Op.SHLWI:
          binW(W.i32Shl, () => f.i32(insn.imm & 31));
          break;
        case Op.SHRWI:
          binW(W.i32ShrU, () => f.i32(insn.imm & 31));
          break;
        case Op.SARWI:
          binW(W.i32ShrS, () => f.i32(insn.imm & 31));
          break;

        // ---- memory ----
        case Op.LEA:
          reg(b);
          f.i64(imm64()).op(W.i64Add);
          setReg(a);
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
          reg(b);
          f.i64(insn.imm).op(W.i64Add).set(t);
          memoryOp(op, b === Reg.RSP || b === Reg.RBP);
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
          reg(b);
          reg(insn.c);
          f.i64(insn.imm & 63).op(W.i64Shl, W.i64Add);
          const baseOp = op - MEM_IDX_DELTA;
          if (baseOp === Op.LEA) {
            setReg(a);
          } else {
            f.set(t);
            memoryOp(baseOp, b === Reg.RSP || b === Reg.RBP);
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
          branch(() => {
            reg(a);
            reg(b);
            f.op(branchCompare(op));
          });
          break;
        case Op.BEQI:
        case Op.BNEI:
        case Op.BLTI:
        case Op.BGEI:
        case Op.BLTUI:
        case Op.BGEUI:
          branch(() => {
            reg(a);
            f.i64(b | 0);
            f.op(branchCompare(op - BRANCH_IMM_DELTA));
          });
          break;
        case Op.BZ:
          branch(() => {
            reg(a);
            f.op(W.i64Eqz);
          });
          break;
        case Op.BNZ:
          branch(() => {
            reg(a);
            f.op(W.i64Eqz, W.i32Eqz);
          });
          break;
        default:
          throw new Error(`jit: opcode 0x${op.toString(16)} is not translatable`);
      }
      if (!endsBlock(op)) {
        if (touchesMemory(op) && !last) {
          // Only the slow path can move a generation: leave after this instruction if it did.
          f.get(sl);
          const slow = f.begin(W.if);
          f.i32(0).set(sl);
          f.call(F_STILL).op(W.i32Eqz);
          const leave = f.begin(W.if);
          f.i32(i + 1 - N).set(e);
          exitAt(next);
          f.end(leave);
          f.end(slow);
        }
        if (last) toOffset(blk.end);
      }

      function memoryOp(baseOp: number, stack: boolean): void {
        switch (baseOp) {
          case Op.LD8U:
          case Op.LD16U:
          case Op.LD32U:
          case Op.LD64:
            load(baseOp === Op.LD8U ? 1 : baseOp === Op.LD16U ? 2 : baseOp === Op.LD32U ? 4 : 8, stack);
            f.get(v);
            setReg(a);
            break;
          case Op.LD8S:
            load(1, stack);
            f.get(v).op(W.i64Extend8S);
            setReg(a);
            break;
          case Op.LD16S:
            load(2, stack);
            f.get(v).op(W.i64Extend16S);
            setReg(a);
            break;
          case Op.LD32S:
            load(4, stack);
            f.get(v).op(W.i64Extend32S);
            setReg(a);
            break;
          case Op.ST8:
            store(1, () => reg(a), stack);
            break;
          case Op.ST16:
            store(2, () => reg(a), stack);
            break;
          case Op.ST32:
            store(4, () => reg(a), stack);
            break;
          default:
            store(8, () => reg(a), stack);
            break;
        }
      }
    }
  }
}

function branchCompare(op: number): number {
  switch (op) {
    case Op.BEQ:
      return W.i64Eq;
    case Op.BNE:
      return W.i64Ne;
    case Op.BLT:
      return W.i64LtS;
    case Op.BGE:
      return W.i64GeS;
    case Op.BLTU:
      return W.i64LtU;
    default:
      return W.i64GeU;
  }
}

function setCompare(op: number): number {
  switch (op) {
    case Op.SEQ:
      return W.i64Eq;
    case Op.SNE:
      return W.i64Ne;
    case Op.SLT:
      return W.i64LtS;
    case Op.SLTU:
      return W.i64LtU;
    case Op.SLE:
      return W.i64LeS;
    case Op.SLEU:
      return W.i64LeU;
    case Op.SGT:
      return W.i64GtS;
    case Op.SGTU:
      return W.i64GtU;
    case Op.SGE:
      return W.i64GeS;
    default:
      return W.i64GeU;
  }
}

