/**
 * xorshift32: a tiny deterministic generator for seeded random tests, so a
 * failure reproduces from its seed (tests never use Math.random). Returns
 * unsigned 32-bit values.
 */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
