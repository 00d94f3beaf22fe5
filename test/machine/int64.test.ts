// int64.ts against a BigInt reference model: every function, on edge values
// and on a few thousand values from a seeded PRNG.

import { describe, expect, it } from 'vitest';
import {
  add64, DIV, divide32, divide64, fromBigInt, fromNumber, ltS, ltU, mul64, R, sar64, shl64, shr64, sub64, toBigInt, toSafeNumber,
} from '../../emulator/machine/int64';
import { xorshift } from '../support/xorshift';

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const S64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** A 64-bit value as the (lo, hi) int32 pair int64.ts works on. */
function pair(v: bigint): [number, number] {
  const u = U64(v);
  return [Number(BigInt.asIntN(32, u)), Number(BigInt.asIntN(32, u >> 32n))];
}

/** The result of a function that returns lo and leaves hi in R.hi, as an unsigned 64-bit value. */
function result(lo: number): bigint {
  // Halves must be int32s (not uint32s, not -0): the register file stores them in an Int32Array
  // but DIV and R are plain numbers that other code compares with ===.
  if (lo !== (lo | 0) || Object.is(lo, -0) || R.hi !== (R.hi | 0) || Object.is(R.hi, -0)) expect([lo, R.hi], 'int32 halves').toEqual([lo | 0, R.hi | 0]);
  return toBigInt(lo, R.hi);
}


/**
 * Random 64-bit values of every magnitude: a full 64-bit pattern shifted right
 * by a random amount and given a random sign, so small values (the fast paths
 * of division) are as common as large ones.
 */
function randomValues(seed: number, n: number): bigint[] {
  const next = xorshift(seed);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const full = (BigInt(next()) << 32n) | BigInt(next());
    let v = full >> BigInt(next() % 64);
    if (next() & 1) v = -v;
    out.push(U64(v));
  }
  return out;
}

const EDGES: bigint[] = [
  0n, 1n, 2n, 3n, 7n, -1n, -2n, -3n, -7n,
  (1n << 31n) - 1n, -(1n << 31n), 1n << 31n, (1n << 32n) - 1n, 1n << 32n, (1n << 32n) + 1n, -(1n << 32n),
  (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, -(1n << 53n), -(1n << 53n) - 1n,
  INT64_MIN, INT64_MIN + 1n, INT64_MAX, UINT64_MAX, 0x123456789abcdef0n, 0xfedcba9876543210n,
].map(U64);
const POWERS: bigint[] = Array.from({ length: 64 }, (_, k) => 1n << BigInt(k));
const VALUES: bigint[] = [...new Set([...EDGES, ...POWERS, ...POWERS.map((p) => U64(-p)), ...POWERS.map((p) => p - 1n)])];
const RANDOM = randomValues(0x5eed1234, 3000);

/** Edge x edge, plus consecutive random pairs: about 25,000 pairs. */
function* pairs(): Generator<[bigint, bigint]> {
  for (const a of VALUES) for (const b of VALUES) yield [a, b];
  for (let i = 0; i + 1 < RANDOM.length; i++) yield [RANDOM[i]!, RANDOM[i + 1]!];
  for (const a of EDGES) for (let i = 0; i < 100; i++) {
    yield [a, RANDOM[i]!];
    yield [RANDOM[i]!, a];
  }
}

/** Runs `check` on every pair and reports the first mismatch with its operands in hex. */
function forAllPairs(check: (a: bigint, b: bigint) => [bigint | boolean, bigint | boolean]): void {
  let count = 0;
  for (const [a, b] of pairs()) {
    const [got, want] = check(a, b);
    if (got !== want) expect(got, `a=0x${a.toString(16)} b=0x${b.toString(16)}`).toBe(want);
    count++;
  }
  expect(count).toBeGreaterThan(20000);
}

describe('int64 conversions', () => {
  it('toBigInt and fromBigInt round-trip every value, taking the low 64 bits of wider ones', () => {
    for (const v of [...VALUES, ...RANDOM]) {
      const [lo, hi] = pair(v);
      expect(toBigInt(lo, hi)).toBe(v);
      expect(fromBigInt(v)).toBe(lo);
      expect(R.hi).toBe(hi);
      expect(result(fromBigInt(S64(v)))).toBe(v);
    }
    expect(result(fromBigInt((1n << 64n) + 5n))).toBe(5n);
    expect(result(fromBigInt(-(1n << 64n) - 1n))).toBe(UINT64_MAX);
    expect(toBigInt(-1, -1)).toBe(UINT64_MAX);
    expect(toBigInt(0, -0x80000000)).toBe(1n << 63n);
  });

  it('toSafeNumber is exact for -2^53 <= v < 2^53 and NaN beyond', () => {
    for (const v of [...VALUES, ...RANDOM]) {
      const s = S64(v);
      const [lo, hi] = pair(v);
      const got = toSafeNumber(lo, hi);
      if (s >= -(1n << 53n) && s < 1n << 53n) expect(got, `0x${v.toString(16)}`).toBe(Number(s));
      else expect(got, `0x${v.toString(16)}`).toBeNaN();
    }
    expect(toSafeNumber(...pair((1n << 53n) - 1n))).toBe(2 ** 53 - 1);
    expect(toSafeNumber(...pair(-(1n << 53n) + 1n))).toBe(-(2 ** 53) + 1);
    expect(toSafeNumber(...pair(1n << 53n))).toBeNaN();
  });

  it('fromNumber converts every safe integer, negative ones as two\'s complement', () => {
    const safe = [...VALUES, ...RANDOM].map(S64).filter((s) => s > -(1n << 53n) && s < 1n << 53n);
    expect(safe.length).toBeGreaterThan(1000);
    for (const s of safe) expect(result(fromNumber(Number(s))), `${s}`).toBe(U64(s));
    expect(result(fromNumber(-0))).toBe(0n);
    expect(result(fromNumber(-1))).toBe(UINT64_MAX);
    expect(result(fromNumber(2 ** 32))).toBe(1n << 32n);
  });
});

describe('int64 arithmetic against BigInt', () => {
  it('add64 is addition modulo 2^64', () => {
    forAllPairs((a, b) => [result(add64(...pair(a), ...pair(b))), U64(a + b)]);
  });

  it('sub64 is subtraction modulo 2^64', () => {
    forAllPairs((a, b) => [result(sub64(...pair(a), ...pair(b))), U64(a - b)]);
  });

  it('mul64 is the low 64 bits of the product', () => {
    forAllPairs((a, b) => [result(mul64(...pair(a), ...pair(b))), U64(a * b)]);
  });

  it('ltS is the signed comparison and ltU the unsigned one', () => {
    forAllPairs((a, b) => [ltS(...pair(a), ...pair(b)), S64(a) < S64(b)]);
    forAllPairs((a, b) => [ltU(...pair(a), ...pair(b)), a < b]);
    expect(ltS(...pair(INT64_MIN), ...pair(INT64_MAX))).toBe(true);
    expect(ltU(...pair(INT64_MIN), ...pair(INT64_MAX))).toBe(false);
  });
});

describe('int64 shifts', () => {
  const COUNTS = [0, 1, 2, 31, 32, 33, 47, 63, 64, 65, 95, 127, 128, -1, -64];
  const shiftCases = [...VALUES, ...RANDOM.slice(0, 500)];

  it('shl64, shr64 and sar64 mask the count to 6 bits', () => {
    for (const v of shiftCases) {
      for (const n of COUNTS) {
        const k = BigInt(n & 63);
        const tag = `v=0x${v.toString(16)} n=${n}`;
        expect(result(shl64(...pair(v), n)), tag).toBe(U64(v << k));
        expect(result(shr64(...pair(v), n)), tag).toBe(v >> k);
        expect(result(sar64(...pair(v), n)), tag).toBe(U64(S64(v) >> k));
      }
    }
  });

  it('shifts by 64 leave the value unchanged and by 63 keep one bit', () => {
    const v = 0x8000000000000001n;
    expect(result(shl64(...pair(v), 64))).toBe(v);
    expect(result(shl64(...pair(v), 63))).toBe(1n << 63n);
    expect(result(shr64(...pair(v), 63))).toBe(1n);
    expect(result(sar64(...pair(v), 63))).toBe(UINT64_MAX);
    expect(result(sar64(...pair(v), 32))).toBe(0xffffffff80000000n);
  });

  it('shift counts from random values use only their low 6 bits', () => {
    const next = xorshift(77);
    for (let i = 0; i < 2000; i++) {
      const v = RANDOM[i]!;
      const n = next() | 0;
      const k = BigInt(n & 63);
      expect(result(shl64(...pair(v), n))).toBe(U64(v << k));
      expect(result(shr64(...pair(v), n))).toBe(v >> k);
      expect(result(sar64(...pair(v), n))).toBe(U64(S64(v) >> k));
    }
  });
});

describe('divide64', () => {
  /** The reference: undefined where the CPU raises #DE, else [quotient, remainder] as unsigned 64-bit values. */
  function ref(a: bigint, b: bigint, signed: boolean): [bigint, bigint] | undefined {
    if (b === 0n) return undefined;
    if (!signed) return [a / b, a % b];
    const x = S64(a);
    const y = S64(b);
    if (x === INT64_MIN && y === -1n) return undefined;
    return [U64(x / y), U64(x % y)];
  }

  function got(a: bigint, b: bigint, signed: boolean): [bigint, bigint] | undefined {
    DIV.qlo = DIV.qhi = DIV.rlo = DIV.rhi = 0x5a5a5a5a; // so a stale result cannot pass
    if (!divide64(...pair(a), ...pair(b), signed)) return undefined;
    const halves = [DIV.qlo, DIV.qhi, DIV.rlo, DIV.rhi];
    if (halves.some((h) => h !== (h | 0) || Object.is(h, -0))) expect(halves, 'int32 halves').toEqual(halves.map((h) => h | 0));
    return [toBigInt(DIV.qlo, DIV.qhi), toBigInt(DIV.rlo, DIV.rhi)];
  }

  it.each([true, false])('matches BigInt division (signed=%s) on every pair', (signed) => {
    let count = 0;
    for (const [a, b] of pairs()) {
      const want = ref(a, b, signed);
      const have = got(a, b, signed);
      const key = (x: [bigint, bigint] | undefined): string => (x ? `q=0x${x[0].toString(16)} r=0x${x[1].toString(16)}` : '#DE');
      if (key(have) !== key(want)) expect(key(have), `a=0x${a.toString(16)} b=0x${b.toString(16)}`).toBe(key(want));
      count++;
    }
    expect(count).toBeGreaterThan(20000);
  });

  it('returns false for a zero divisor and for INT64_MIN / -1 (signed only)', () => {
    for (const a of [0n, 1n, UINT64_MAX, INT64_MIN, INT64_MAX]) {
      expect(divide64(...pair(a), 0, 0, true)).toBe(false);
      expect(divide64(...pair(a), 0, 0, false)).toBe(false);
    }
    expect(divide64(...pair(INT64_MIN), -1, -1, true)).toBe(false);
    expect(divide64(...pair(INT64_MIN), -1, -1, false)).toBe(true);
    expect([DIV.qlo, DIV.qhi, DIV.rlo, DIV.rhi]).toEqual([0, 0, 0, -0x80000000]);
  });

  it('truncates toward zero; the remainder takes the sign of the dividend', () => {
    const cases: [bigint, bigint, bigint, bigint][] = [
      [7n, 2n, 3n, 1n], [-7n, 2n, -3n, -1n], [7n, -2n, -3n, 1n], [-7n, -2n, 3n, -1n],
      [-(1n << 31n), -1n, 1n << 31n, 0n], [INT64_MIN, 1n, INT64_MIN, 0n], [INT64_MIN, 2n, -(1n << 62n), 0n],
      [INT64_MIN + 1n, -1n, INT64_MAX, 0n], [-1n, 1n << 40n, 0n, -1n],
    ];
    for (const [a, b, q, r] of cases) {
      expect(divide64(...pair(a), ...pair(b), true)).toBe(true);
      expect([S64(toBigInt(DIV.qlo, DIV.qhi)), S64(toBigInt(DIV.rlo, DIV.rhi))], `${a} / ${b}`).toEqual([q, r]);
    }
  });
});

describe('divide32', () => {
  const sext32 = (v: bigint): bigint => U64(BigInt.asIntN(32, v));
  const I32 = [0, 1, -1, 2, -2, 3, 7, -7, 0x7fffffff, -0x80000000, -0x7fffffff, 0x10000, -0x10000, 0x55555555, -0x55555556];

  function check(a: number, b: number): void {
    for (const signed of [true, false]) {
      const tag = `a=${a} b=${b} signed=${signed}`;
      DIV.qlo = DIV.qhi = DIV.rlo = DIV.rhi = 0x5a5a5a5a;
      const ok = divide32(a, b, signed);
      if (b === 0 || (signed && a === -0x80000000 && b === -1)) {
        expect(ok, tag).toBe(false);
        continue;
      }
      expect(ok, tag).toBe(true);
      const x = signed ? BigInt(a) : BigInt(a >>> 0);
      const y = signed ? BigInt(b) : BigInt(b >>> 0);
      // Both results are 32-bit values sign-extended to 64 bits, unsigned division included.
      expect(toBigInt(DIV.qlo, DIV.qhi), tag).toBe(sext32(x / y));
      expect(toBigInt(DIV.rlo, DIV.rhi), tag).toBe(sext32(x % y));
    }
  }

  it('matches BigInt on edge values and on random int32s', () => {
    for (const a of I32) for (const b of I32) check(a, b);
    const next = xorshift(0xd1d1);
    for (let i = 0; i < 3000; i++) {
      const a = next() | 0;
      const b = (next() | 0) >> (next() % 32);
      check(a, b);
    }
  });

  it('INT32_MIN / -1 is #DE when signed; unsigned results are sign-extended', () => {
    expect(divide32(-0x80000000, -1, true)).toBe(false);
    expect(divide32(5, 0, false)).toBe(false);
    expect(divide32(-1, 1, false)).toBe(true);
    expect([DIV.qlo, DIV.qhi]).toEqual([-1, -1]); // 0xffffffff, sign-extended
    expect(divide32(-0x80000000, -1, false)).toBe(true);
    expect([DIV.qlo, DIV.qhi, DIV.rlo, DIV.rhi]).toEqual([0, 0, -0x80000000, -1]);
    expect(divide32(-7, 2, true)).toBe(true);
    expect([DIV.qlo, DIV.qhi, DIV.rlo, DIV.rhi]).toEqual([-3, -1, -1, -1]);
  });
});
