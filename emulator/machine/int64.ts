// 64-bit integer arithmetic on (lo, hi) pairs of int32s.
//
// The register file keeps each 64-bit register as two int32 halves: JS numbers
// are exact only to 53 bits, and BigInt on every instruction is an order of
// magnitude slower. Each function returns the low half and leaves the high
// half in `R.hi`, so the hot loop allocates nothing. Division, the one
// operation that is hard to do in halves, takes a fast path when both operands
// fit in 32 bits and falls back to BigInt otherwise. Every function is tested
// against a BigInt model (test/machine/int64.test.ts).

/** The high half of the last result. */
export const R = { hi: 0 };

const TWO32 = 4294967296;

export function add64(alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) + (blo >>> 0);
  R.hi = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) | 0;
  return lo | 0;
}

export function sub64(alo: number, ahi: number, blo: number, bhi: number): number {
  const borrow = alo >>> 0 < blo >>> 0 ? 1 : 0;
  R.hi = (ahi - bhi - borrow) | 0;
  return (alo - blo) | 0;
}

/** The low 64 bits of the product (signedness does not matter for the low half). */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): number {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  const hi32 = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  R.hi = (hi32 + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  return lo;
}

export function shl64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    R.hi = hi;
    return lo;
  }
  if (n >= 32) {
    R.hi = lo << (n - 32);
    return 0;
  }
  R.hi = (hi << n) | (lo >>> (32 - n));
  return lo << n;
}

export function shr64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    R.hi = hi;
    return lo;
  }
  if (n >= 32) {
    R.hi = 0;
    return (hi >>> (n - 32)) | 0;
  }
  R.hi = (hi >>> n) | 0;
  return ((lo >>> n) | (hi << (32 - n))) | 0;
}

export function sar64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    R.hi = hi;
    return lo;
  }
  if (n >= 32) {
    R.hi = hi >> 31;
    return hi >> (n - 32);
  }
  R.hi = hi >> n;
  return ((lo >>> n) | (hi << (32 - n))) | 0;
}

export function ltS(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi < bhi || (ahi === bhi && alo >>> 0 < blo >>> 0);
}

export function ltU(alo: number, ahi: number, blo: number, bhi: number): boolean {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  return ah < bh || (ah === bh && alo >>> 0 < blo >>> 0);
}

export function toBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Stores the low 64 bits of `v` (two's complement) and returns the low half. */
export function fromBigInt(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  R.hi = Number(u >> 32n) | 0;
  return Number(u & 0xffffffffn) | 0;
}

/**
 * The value as a JS number when it is exact (-2^53 <= v < 2^53), else NaN. Signed.
 * (The comment used to say |v| < 2^53, but -2^53 is exact and has always been returned;
 * test/machine/int64.test.ts pins the boundary.)
 */
export function toSafeNumber(lo: number, hi: number): number {
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + (lo >>> 0);
  return NaN;
}

/** A JS integer (|v| < 2^53) as a pair; returns lo, sets R.hi. */
export function fromNumber(v: number): number {
  const hi = Math.floor(v / TWO32);
  R.hi = hi | 0;
  return (v - hi * TWO32) | 0;
}

/**
 * Division results. `divide` returns false when the CPU must raise #DE:
 * a zero divisor, or a signed quotient that does not fit (INT64_MIN / -1), as
 * the x86 `div`/`idiv` instructions do (SDM Vol. 2A, DIV and IDIV).
 */
export const DIV = { qlo: 0, qhi: 0, rlo: 0, rhi: 0 };

export function divide64(alo: number, ahi: number, blo: number, bhi: number, signed: boolean): boolean {
  if (blo === 0 && bhi === 0) return false;
  if (signed) {
    // Fast path: both fit in int32, so the double quotient is exact after truncation.
    if (ahi === alo >> 31 && bhi === blo >> 31) {
      const q = Math.trunc(alo / blo);
      const r = alo - q * blo;
      // -2^31 / -1 = 2^31 still fits in 64 bits.
      DIV.qlo = fromNumber(q);
      DIV.qhi = R.hi;
      DIV.rlo = r | 0;
      DIV.rhi = r < 0 ? -1 : 0;
      return true;
    }
    const a = BigInt.asIntN(64, toBigInt(alo, ahi));
    const b = BigInt.asIntN(64, toBigInt(blo, bhi));
    if (a === -(1n << 63n) && b === -1n) return false;
    const q = a / b;
    DIV.qlo = fromBigInt(q);
    DIV.qhi = R.hi;
    DIV.rlo = fromBigInt(a - q * b);
    DIV.rhi = R.hi;
    return true;
  }
  if (ahi === 0 && bhi === 0) {
    const a = alo >>> 0;
    const b = blo >>> 0;
    DIV.qlo = Math.floor(a / b) | 0;
    DIV.qhi = 0;
    DIV.rlo = a % b | 0;
    DIV.rhi = 0;
    return true;
  }
  const a = toBigInt(alo, ahi);
  const b = toBigInt(blo, bhi);
  DIV.qlo = fromBigInt(a / b);
  DIV.qhi = R.hi;
  DIV.rlo = fromBigInt(a % b);
  DIV.rhi = R.hi;
  return true;
}

/**
 * 32-bit division on the low halves. The results are sign-extended to 64 bits,
 * like every 32-bit ("W") operation of our instruction set. #DE on a zero
 * divisor and on INT32_MIN / -1, as x86 `idiv r32` does.
 */
export function divide32(a: number, b: number, signed: boolean): boolean {
  if (b === 0) return false;
  if (signed) {
    if (a === -0x80000000 && b === -1) return false;
    const q = Math.trunc(a / b) | 0;
    DIV.qlo = q;
    DIV.rlo = (a - Math.imul(q, b)) | 0;
  } else {
    const ua = a >>> 0;
    const ub = b >>> 0;
    DIV.qlo = Math.floor(ua / ub) | 0;
    DIV.rlo = ua % ub | 0;
  }
  DIV.qhi = DIV.qlo >> 31;
  DIV.rhi = DIV.rlo >> 31;
  return true;
}
