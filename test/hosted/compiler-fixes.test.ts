// Compiler fixes made while building the hosted C library, each with the
// smallest program that showed the bug (see the comment at the fix).

import { describe, expect, it } from 'vitest';
import { run } from './helpers';

describe('parameters narrower than 8 bytes (codegen/function-gen.ts)', () => {
  // The prologue stored every register parameter with a 64-bit store. An
  // int's slot is 4 bytes, so storing the parameter at [rbp-4] also wrote
  // [rbp+0..3], the low half of the saved rbp: the caller's frame pointer
  // was corrupted on return, and its locals read garbage.
  it("keep the caller's frame intact across calls", () => {
    const r = run(`
      static int id(int c) { return c; }
      static int mix(char a, short b, int c, long d, unsigned char e, int f) { return a + b + c + (int) d + e + f; }
      int main(void) {
        const char *s = "abc";
        int n = 0;
        while (*s) { n += id(*s); s++; }
        int m = mix(1, 2, 3, 4, 5, 6);
        return n == 'a' + 'b' + 'c' && m == 21 ? 0 : 1;
      }`);
    expect(r.message).toEqual([]);
    expect(r.exitStatus).toBe(0);
  });
});
