// The dispatcher: a WebAssembly function that runs a region and then, while
// nothing but plain control flow happened, the region where control went,
// without coming back to JavaScript (the run loop, the fetch and the call
// into WebAssembly cost more than a small region's work; WeensyOS's memshow
// calls across code pages some 20 million times in a 1000-tick run).
//
// It goes on to the next region only as the run loop would run it, with the
// same counts:
// - the region left through a control transfer, with no fault and no
//   slow-path access (so the TLB, the decode cache, the watch bits and the
//   translation mirror are as they were);
// - the fetch at the new address would be, with paging on, a plain TLB hit
//   (entry valid, tag, not suspect, the fetch rights: the run loop's
//   fetchKnownPage), counted as one; with paging off, the identity with no
//   TLB entry for the page, counted as nothing;
// - the code map has a block at that physical address, which fits in what is
//   left of `max` (the budget and the timer allowance);
// - no breakpoint is on the block (breakpoints are listed in the memory; with
//   one on its region, the region goes block by block).
// Otherwise it returns, with the slots describing the last region's exit as a
// lone region's would, and the regions before it summed up (SLOT.PRE_N,
// PRE_HITS, HOPS).
//
// The code map (in the WebAssembly memory) maps a block's physical address to
// its region function's index in the machine's function table, its block
// index and its length (in instructions and in bytes). It is emptied whenever
// the decode cache's generation moves, and blocks are registered again as the
// run loop runs them.

import { encodeModule, I32, I64, W, WasmBody } from './wasm-module';
import { RUN_TYPE, WASM_IMPORTS } from './wasm-codegen';
import { CODE_MAP_SIZE, REGION_BITS_MAX, SLOT, type WasmLayout } from './wasm-layout';

/** `hop`: 0, run one region; HOP_TLB, go on with paging on; HOP_IDENTITY, go on with paging off. */
export const HOP_TLB = 1;
export const HOP_IDENTITY = 2;

/** dispatch(max, fn, bi, start, chain, bl, bh, mm, hc, hop, need, forbid) -> the last region's n. */
const DISPATCH_TYPE = { params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], results: [I32] };

/** The code map's slot for physical address `pa` (multiplicative hashing). */
export function codeMapHash(pa: number): number {
  return Math.imul(pa, 0x9e3779b1) >>> (32 - Math.log2(CODE_MAP_SIZE));
}

export function generateDispatcher(layout: WasmLayout): Uint8Array<ArrayBuffer> {
  const f = new WasmBody(DISPATCH_TYPE.params.length);
  const [P_MAX, P_FN, P_BI, P_START, P_CHAIN, P_BL, P_BH, P_MM, P_HC, P_HOP, P_NEED, P_FORBID] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
  const n = f.local(I32);
  const preN = f.local(I32);
  const preHits = f.local(I32);
  const hops = f.local(I32);
  const i = f.local(I32);
  const fl = f.local(I32);
  const frame = f.local(I32);
  const pa = f.local(I32);
  const h = f.local(I32);
  const key = f.local(I32);
  const ent = f.local(I32);
  const k = f.local(I32);
  const chain = f.local(I32);
  const fn2 = f.local(I32);
  const off = f.local(I32);
  const rip = f.local(I64);
  const bp = f.local(I64);
  const vpn = f.local(I64);
  const slot = (k: number): number => layout.slots + 4 * k;
  const loadSlot = (k: number): void => void f.i32(0).mem(W.i32Load, 2, slot(k));
  const base = (): void => void f.get(P_BH).op(W.i64ExtendI32U).i64(32n).op(W.i64Shl).get(P_BL).op(W.i64ExtendI32U).op(W.i64Or);
  const bits = Math.log2(CODE_MAP_SIZE);

  const out = f.begin(W.block);
  const loop = f.begin(W.loop);
  f.i32(0);
  base();
  f.mem(W.i64Store, 3, slot(SLOT.BASE_LO));
  f.i32(0).i32(0).mem(W.i32Store, 2, slot(SLOT.SLOW));
  f.get(P_MAX).get(preN).op(W.i32Sub).get(P_BI).get(P_START).get(P_CHAIN).get(P_BL).get(P_BH).get(P_MM).get(P_HC).get(P_FN);
  f.callIndirect(WASM_IMPORTS.length + 1).set(n); // the region type (after the helpers' and this function's)
  f.get(P_HOP).op(W.i32Eqz).brIf(out);
  loadSlot(SLOT.FAULT);
  f.brIf(out);
  loadSlot(SLOT.SLOW);
  f.brIf(out);
  loadSlot(SLOT.E);
  f.brIf(out);
  // Where control went.
  loadSlot(SLOT.FAR);
  const isFar = f.begin(W.if);
  f.i32(0).mem(W.i64Load, 3, slot(SLOT.OUT_LO)).set(rip);
  f.else();
  base();
  loadSlot(SLOT.D);
  f.op(W.i64ExtendI32U, W.i64Add).set(rip);
  f.end(isFar);
  f.get(rip).i64(12n).op(W.i64ShrS).tee(vpn).op(W.i32WrapI64).i32(layout.tlbSize - 1).op(W.i32And).set(i);
  f.get(P_HOP).i32(HOP_IDENTITY).op(W.i32Eq);
  const identity = f.begin(W.if);
  // Paging off: Mmu.translate would use a TLB entry left for the page (and count it), so
  // none may be there; then the walk is the identity and counts nothing.
  f.get(i).mem(W.i32Load8U, 0, layout.tlbValid);
  const left = f.begin(W.if);
  f.get(i).i32(3).op(W.i32Shl).mem(W.f64Load, 3, layout.tlbTag).get(vpn).op(W.f64ConvertI64S, W.f64Eq).brIf(out);
  f.end(left);
  f.get(rip).i64(32n).op(W.i64ShrU).op(W.i64Eqz, W.i32Eqz).brIf(out);
  f.get(rip).op(W.i32WrapI64).i32(-4096).op(W.i32And).set(frame);
  f.else();
  // Paging on: a plain TLB hit with the rights to fetch.
  f.get(i).mem(W.i32Load8U, 0, layout.tlbValid).op(W.i32Eqz).brIf(out);
  f.get(i).i32(3).op(W.i32Shl).mem(W.f64Load, 3, layout.tlbTag).get(vpn).op(W.f64ConvertI64S, W.f64Ne).brIf(out);
  f.get(i).mem(W.i32Load8U, 0, layout.tlbSuspect).brIf(out);
  f.get(i).mem(W.i32Load8U, 0, layout.tlbFlags).set(fl);
  f.get(fl).get(P_NEED).op(W.i32And).get(P_NEED).op(W.i32Ne).brIf(out);
  f.get(fl).get(P_FORBID).op(W.i32And).brIf(out);
  f.get(i).i32(3).op(W.i32Shl).mem(W.f64Load, 3, layout.tlbFrame).op(W.i32TruncF64U).set(frame);
  f.end(identity);
  f.get(frame).get(rip).op(W.i32WrapI64).i32(4095).op(W.i32And).op(W.i32Add).set(pa);
  // The code map: open addressing, linear probing, key pa + 1 (0: empty).
  f.get(pa).i32(0x9e3779b1 | 0).op(W.i32Mul).i32(32 - bits).op(W.i32ShrU).set(h);
  const found = f.begin(W.block);
  const probe = f.begin(W.loop);
  f.get(h).i32(5).op(W.i32Shl).i32(layout.codeMap).op(W.i32Add).tee(ent).mem(W.i32Load, 2, 0).tee(key).op(W.i32Eqz).brIf(out);
  f.get(key).get(pa).i32(1).op(W.i32Add).op(W.i32Eq).brIf(found);
  f.get(h).i32(1).op(W.i32Add).i32(CODE_MAP_SIZE - 1).op(W.i32And).set(h).br(probe);
  f.end(probe);
  f.end(found);
  // The whole block must fit in what is left.
  f.get(ent).mem(W.i32Load, 2, 12).get(P_MAX).get(preN).op(W.i32Sub).get(n).op(W.i32Sub).op(W.i32GtS).brIf(out);
  // Breakpoints (few: they are listed): none may be on the block, which runs whole; one on its
  // region and the region goes block by block, the run loop's way.
  f.i32(1).set(chain);
  f.i32(0).mem(W.i32Load, 2, layout.breakpoints).tee(k);
  const someBps = f.begin(W.if);
  f.get(k).i32(0).op(W.i32LtS).brIf(out);
  const scan = f.begin(W.loop);
  f.get(k).i32(1).op(W.i32Sub).tee(k).i32(3).op(W.i32Shl).mem(W.i64Load, 3, layout.breakpoints + 8).tee(bp);
  f.get(rip).i64(-4096n).op(W.i64And).op(W.i64Sub).i64(4096n).op(W.i64LtU);
  const onPage = f.begin(W.if);
  f.get(bp).get(rip).op(W.i64Sub).get(ent).mem(W.i32Load, 2, 16).op(W.i64ExtendI32U).op(W.i64LtU).brIf(out);
  // On the region? (RegionInfo.hasBreakpoint's question, from its instruction bits.)
  f.get(ent).mem(W.i32Load, 2, 4).tee(fn2).i32(REGION_BITS_MAX).op(W.i32GeU);
  const unknown = f.begin(W.if);
  f.i32(0).set(chain);
  f.else();
  f.get(bp).op(W.i32WrapI64).i32(4095).op(W.i32And).tee(off);
  f.i32(3).op(W.i32ShrU).get(fn2).i32(9).op(W.i32Shl).op(W.i32Add).mem(W.i32Load8U, 0, layout.regionBits);
  f.get(off).i32(7).op(W.i32And).op(W.i32ShrU).i32(1).op(W.i32And);
  const onRegion = f.begin(W.if);
  f.i32(0).set(chain);
  f.end(onRegion);
  f.end(unknown);
  f.end(onPage);
  f.get(k).brIf(scan);
  f.end(scan);
  f.end(someBps);
  // On: the region just run retired n (its epilogue would count n - 1 hits and its fast path's),
  // and the fetch at the new address counts one.
  f.get(preN).get(n).op(W.i32Add).set(preN);
  // (With paging off no fetch counts: only the fast path's hits, which count 0 then too.)
  f.get(preHits);
  loadSlot(SLOT.HL);
  f.op(W.i32Add).set(preHits);
  f.get(P_HOP).i32(HOP_TLB).op(W.i32Eq);
  const counted = f.begin(W.if);
  f.get(preHits).get(n).op(W.i32Add).set(preHits);
  f.end(counted);
  f.get(hops).i32(1).op(W.i32Add).set(hops);
  f.i32(0).get(frame).mem(W.i32Store, 2, slot(SLOT.CPA));
  f.get(rip).op(W.i32WrapI64).i32(4095).op(W.i32And).set(P_START);
  f.get(rip).op(W.i32WrapI64).i32(-4096).op(W.i32And).set(P_BL);
  f.get(rip).i64(32n).op(W.i64ShrU).op(W.i32WrapI64).set(P_BH);
  f.get(ent).mem(W.i32Load, 2, 4).set(P_FN);
  f.get(ent).mem(W.i32Load, 2, 8).set(P_BI);
  f.get(chain).set(P_CHAIN);
  f.br(loop);
  f.end(loop);
  f.end(out);
  f.i32(0).get(preN).mem(W.i32Store, 2, slot(SLOT.PRE_N));
  f.i32(0).get(preHits).mem(W.i32Store, 2, slot(SLOT.PRE_HITS));
  f.i32(0).get(hops).mem(W.i32Store, 2, slot(SLOT.HOPS));
  f.get(n);
  // The helpers, forwarded: region modules import these WebAssembly functions rather than the
  // JavaScript ones, so instantiating a region compiles no import wrappers (V8 makes one per
  // JavaScript import and module; six per region cost more than the region's own compile).
  const more = WASM_IMPORTS.map((im, k) => {
    const b = new WasmBody(im.type.params.length);
    im.type.params.forEach((_, p) => b.get(p));
    b.call(k);
    return { name: im.name, type: im.type, body: b };
  });
  return encodeModule(layout.pages, WASM_IMPORTS, DISPATCH_TYPE, f, { table: true, extraTypes: [RUN_TYPE], more });
}
