/** `0x`-prefixed lowercase hex of a JS integer; negative values print as their 64-bit two's complement. */
export function hex(v: number): string {
  if (v < 0) return '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);
  return '0x' + v.toString(16);
}

/** `0x`-prefixed 16-digit hex of a 64-bit value held as unsigned 32-bit halves. */
export function hex64(lo: number, hi: number): string {
  return '0x' + (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
