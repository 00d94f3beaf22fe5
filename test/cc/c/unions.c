// Unions: size and alignment, type punning (little-endian), unions in structs.
#include "test.h"

union u1 { char c; int i; long l; };
union u2 { char buf[9]; int i; };
union u3 { struct { unsigned short lo, hi; } parts; unsigned int whole; };
union u4 { unsigned char bytes[8]; unsigned long value; };

struct tagged {
  int kind;
  union { int i; char *s; long l; } as;
};

static long value_of(struct tagged *t) {
  switch (t->kind) {
  case 0: return t->as.i;
  case 1: return t->as.s[0];
  default: return t->as.l;
  }
}

int main(void) {
  ASSERT(8, sizeof(union u1));
  ASSERT(8, _Alignof(union u1));
  ASSERT(12, sizeof(union u2));
  ASSERT(4, _Alignof(union u2));
  ASSERT(4, sizeof(union u3));
  ASSERT(16, sizeof(struct tagged));
  ASSERT(8, offsetof(struct tagged, as));
  union u1 a;
  a.l = 0x1122334455667788L;
  ASSERT(0x88 - 256, a.c);
  ASSERT(0x55667788, a.i);
  a.c = 0;
  ASSERT(0x1122334455667700L, a.l);
  a.i = -1;
  ASSERT(0x11223344ffffffffL, a.l);
  union u3 w;
  w.whole = 0xdeadbeef;
  ASSERT(0xbeef, w.parts.lo);
  ASSERT(0xdead, w.parts.hi);
  w.parts.hi = 0x1234;
  ASSERT(0x1234beef, w.whole);
  union u4 b = {{1, 2, 3, 4, 5, 6, 7, 8}};
  ASSERT(0x0807060504030201L, b.value);
  b.value = 0;
  b.bytes[7] = 0x80;
  ASSERT(1, b.value == 0x8000000000000000UL);
  union u1 init = {65};
  ASSERT(65, init.c);
  union u1 des = {.l = 1L << 33};
  ASSERT(0, des.i);
  ASSERT(1L << 33, des.l);
  union u2 copy;
  union u2 src = {"12345678"};
  copy = src;
  ASSERT('8', copy.buf[7]);
  ASSERT(0, copy.buf[8]);
  struct tagged t1 = {0, {.i = 42}};
  struct tagged t2 = {1, {.s = "xyz"}};
  struct tagged t3 = {2, {.l = -5}};
  ASSERT(42, value_of(&t1));
  ASSERT('x', value_of(&t2));
  ASSERT(-5, value_of(&t3));
  t1.as.l = 0x100000007L;
  ASSERT(7, t1.as.i);
  union u1 *pu = &a;
  pu->i = 3;
  ASSERT(3, a.c);
  union u1 arr[3];
  ASSERT(24, sizeof(arr));
  arr[2].i = 9;
  ASSERT(9, arr[2].c);
  union { int i; unsigned char c[4]; } endian = {1};
  ASSERT(1, endian.c[0]);
  return DONE();
}
