// Bit-fields: gcc's x86-64 layout, signed and unsigned reads, writes that
// leave neighbours alone, promotion of narrow fields to int.
#include "test.h"

struct flags { unsigned a : 1, b : 2, c : 3; unsigned d : 26; };
struct mixed { char c; int x : 4; int y : 28; short s : 5; };
struct span { unsigned long lo : 40, hi : 24; };
struct straddle { unsigned a : 30; unsigned b : 4; };
struct narrow { unsigned char a : 3, b : 3, c : 3; };
struct zero { int a : 3; int : 0; int b : 3; };
struct unnamed { int a : 3; int : 5; int b : 3; };
struct sgn { int s : 4; unsigned u : 4; signed char sc : 3; long l : 33; };
struct pte {
  unsigned long present : 1, writable : 1, user : 1, pwt : 1, pcd : 1, accessed : 1, dirty : 1, ps : 1;
  unsigned long global : 1, avail : 3, addr : 40, avail2 : 11, nx : 1;
};
struct charbits { char a : 4; char b : 4; char c; };
struct shortbits { short a : 9; short b : 9; };
struct longfirst { long x : 10; char c; };

int main(void) {
  ASSERT(4, sizeof(struct flags));
  ASSERT(12, sizeof(struct mixed));
  ASSERT(8, sizeof(struct span));
  ASSERT(8, sizeof(struct straddle));
  ASSERT(2, sizeof(struct narrow));
  ASSERT(8, sizeof(struct zero));
  ASSERT(4, sizeof(struct unnamed));
  ASSERT(8, sizeof(struct sgn));
  ASSERT(8, sizeof(struct pte));
  ASSERT(2, sizeof(struct charbits));
  ASSERT(4, sizeof(struct shortbits));
  ASSERT(8, sizeof(struct longfirst));
  ASSERT(1, offsetof(struct longfirst, c) == 2);

  struct flags f = {1, 2, 5, 12345};
  ASSERT(1, f.a);
  ASSERT(2, f.b);
  ASSERT(5, f.c);
  ASSERT(12345, f.d);
  unsigned raw;
  test_memcpy(&raw, &f, 4);
  ASSERT(1 | 2 << 1 | 5 << 3 | 12345 << 6, raw);
  f.b = 7; // truncated to 3
  ASSERT(3, f.b);
  ASSERT(5, f.c);
  ASSERT(1, f.a);
  f.d = -1;
  ASSERT(0x3ffffff, f.d);
  ASSERT(5, f.c);
  f.c++;
  ASSERT(6, f.c);
  f.c += 3;
  ASSERT(1, f.c);
  f.a ^= 1;
  ASSERT(0, f.a);

  struct mixed m = {1, -3, 100000, -7};
  ASSERT(-3, m.x);
  ASSERT(100000, m.y);
  ASSERT(-7, m.s);
  m.x = 7;
  ASSERT(7, m.x);
  m.x = 8;
  ASSERT(-8, m.x);
  m.y = -1;
  ASSERT(-1, m.y);
  ASSERT(-8, m.x);
  ASSERT(1, m.c);

  struct span sp = {0xffffffffffUL, 0xabcdef};
  ASSERT(0xffffffffffL, sp.lo);
  ASSERT(0xabcdef, sp.hi);
  sp.lo++;
  ASSERT(0, sp.lo);
  ASSERT(0xabcdef, sp.hi);

  struct sgn s = {-8, 15, -4, -1};
  ASSERT(-8, s.s);
  ASSERT(15, s.u);
  ASSERT(-4, s.sc);
  ASSERT(-1, s.l);
  s.l = 0x100000000L;
  ASSERT(-4294967296LL, s.l);
  s.s = 7;
  s.s++;
  ASSERT(-8, s.s);
  s.u = 15;
  s.u++;
  ASSERT(0, s.u);
  // Narrow unsigned fields promote to int: the subtraction can go negative.
  s.u = 1;
  ASSERT(-1, s.u - 2);
  ASSERT(1, s.u - 2 < 0);
  ASSERT(4, sizeof(s.u + 0));

  struct pte p = {0};
  p.present = 1;
  p.writable = 1;
  p.user = 1;
  p.addr = 0x12345;
  p.nx = 1;
  unsigned long word;
  test_memcpy(&word, &p, 8);
  ASSERT(1, word == (0x8000000000000000UL | (0x12345UL << 12) | 7));
  ASSERT(0x12345, p.addr);
  p.addr >>= 4;
  ASSERT(0x1234, p.addr);
  ASSERT(1, p.user);

  struct zero z = {-1, 3};
  ASSERT(-1, z.a);
  ASSERT(3, z.b);
  struct unnamed un = {1, 2};
  ASSERT(2, un.b);
  struct narrow n = {5, 6, 7};
  ASSERT(5, n.a);
  ASSERT(6, n.b);
  ASSERT(7, n.c);
  struct charbits cb = {-1, 7, 'x'};
  ASSERT(-1, cb.a);
  ASSERT(7, cb.b);
  struct shortbits sb = {-256, 255};
  ASSERT(-256, sb.a);
  ASSERT(255, sb.b);
  struct straddle st = {0x3fffffff, 9};
  ASSERT(0x3fffffff, st.a);
  ASSERT(9, st.b);
  // Bit-fields through pointers and in arrays.
  struct flags arr[3] = {{1, 1, 1, 1}, {0, 2, 2, 2}, {1, 3, 3, 3}};
  struct flags *fp = &arr[1];
  fp->c = 7;
  ASSERT(7, arr[1].c);
  ASSERT(2, arr[1].b);
  int total = 0;
  for (int i = 0; i < 3; i++) total += arr[i].a + arr[i].b + arr[i].c + arr[i].d;
  ASSERT(25, total);
  // Assignment expression value is the truncated value.
  struct flags g = {0};
  ASSERT(3, g.b = 7);
  ASSERT(3, g.b);
  int v = (g.c = 9);
  ASSERT(1, v);
  return DONE();
}
