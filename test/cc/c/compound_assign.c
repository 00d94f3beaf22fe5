// Compound assignment (+= -= *= /= %= <<= >>= &= |= ^=) on every integer
// type, on pointers, on bit-fields, through pointers and array elements,
// with the target evaluated once.
#include "test.h"

struct bits { unsigned u3 : 3; int s5 : 5; unsigned long w40 : 40; };
static int idx_calls;
static int idx(int i) {
  idx_calls++;
  return i;
}

int main(void) {
  signed char sc = 100;
  sc += 100;
  ASSERT(-56, sc);
  sc -= 100;
  ASSERT(100, sc);
  sc *= 3;
  ASSERT(44, sc);
  sc /= -5;
  ASSERT(-8, sc);
  sc %= 3;
  ASSERT(-2, sc);
  sc <<= 6;
  ASSERT(-128, sc);
  sc >>= 3;
  ASSERT(-16, sc);
  sc |= 0x7;
  ASSERT(-9, sc);
  sc &= 0x7e;
  ASSERT(118, sc);
  sc ^= -1;
  ASSERT(-119, sc);

  unsigned char uc = 200;
  uc += 100;
  ASSERT(44, uc);
  uc -= 50;
  ASSERT(250, uc);
  uc *= 2;
  ASSERT(244, uc);
  uc /= 3;
  ASSERT(81, uc);
  uc <<= 2;
  ASSERT(68, uc);
  uc >>= 1;
  ASSERT(34, uc);
  uc -= 35;
  ASSERT(255, uc);

  short s = 30000;
  s += 10000;
  ASSERT(-25536, s);
  s /= 7;
  ASSERT(-3648, s);
  unsigned short us = 1;
  us -= 2;
  ASSERT(65535, us);
  us >>= 4;
  ASSERT(4095, us);

  int i = 7;
  i *= -3;
  ASSERT(-21, i);
  i /= 4;
  ASSERT(-5, i);
  i %= 3;
  ASSERT(-2, i);
  i <<= 30;
  ASSERT(-2147483647 - 1, i);
  i >>= 31;
  ASSERT(-1, i);
  // An int += long is computed in long and truncated.
  i = 1;
  i += 0x100000001L;
  ASSERT(2, i);
  // An unsigned target with a negative right side.
  unsigned u = 10;
  u += -3;
  ASSERT(7, u);
  u -= 8;
  ASSERT(4294967295LL, u);
  u /= 2;
  ASSERT(2147483647, u);
  u *= 2;
  ASSERT(4294967294LL, u);
  u %= 1000;
  ASSERT(294, u);
  // An int target with an unsigned right side: the computation is unsigned.
  int j = -10;
  j /= 2u;
  ASSERT(2147483643, j);
  long l = 1;
  l <<= 40;
  ASSERT(1L << 40, l);
  l += l;
  ASSERT(1L << 41, l);
  l /= -2;
  ASSERT(-(1L << 40), l);
  l >>= 38;
  ASSERT(-4, l);
  unsigned long ul = 0;
  ul -= 1;
  ASSERT(1, ul == 0xffffffffffffffffUL);
  ul >>= 60;
  ASSERT(15, ul);
  _Bool b = 0;
  b += 2;
  ASSERT(1, b);
  b *= 0;
  ASSERT(0, b);
  b ^= 1;
  ASSERT(1, b);

  // Pointers.
  int arr[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  int *p = arr;
  p += 5;
  ASSERT(5, *p);
  p -= 2;
  ASSERT(3, *p);
  long step = 4;
  p += step;
  ASSERT(7, *p);
  p -= -2L;
  ASSERT(9, *p);
  char *cp = (char *)arr;
  cp += 8;
  ASSERT(2, *(int *)cp);
  struct { char c[12]; } big[3], *bp = big;
  bp += 2;
  ASSERT(24, (char *)bp - (char *)big);
  unsigned k = 3;
  int *q = arr;
  q += k;
  ASSERT(3, *q);
  q -= k;
  ASSERT(0, *q);

  // Through pointers and array elements, with the target evaluated once.
  int *ptr = &arr[2];
  *ptr += 10;
  ASSERT(12, arr[2]);
  arr[idx(3)] *= 3;
  ASSERT(9, arr[3]);
  ASSERT(1, idx_calls);
  arr[idx(4)]++;
  ASSERT(5, arr[4]);
  ASSERT(2, idx_calls);
  int m[3][3] = {0};
  m[idx(1)][idx(2)] -= 7;
  ASSERT(-7, m[1][2]);
  ASSERT(4, idx_calls);
  long la[3] = {1, 2, 3};
  long *lp = la;
  *lp++ += 100;
  ASSERT(101, la[0]);
  ASSERT(2, *lp);

  // Bit-fields: results are truncated to the field width.
  struct bits bf = {0, 0, 0};
  bf.u3 += 9;
  ASSERT(1, bf.u3);
  bf.u3 -= 2;
  ASSERT(7, bf.u3);
  bf.u3 *= 3;
  ASSERT(5, bf.u3);
  bf.s5 += 15;
  ASSERT(15, bf.s5);
  bf.s5 += 1;
  ASSERT(-16, bf.s5);
  bf.s5 /= 3;
  ASSERT(-5, bf.s5);
  bf.s5 <<= 2;
  ASSERT(12, bf.s5);
  bf.s5 |= 3;
  ASSERT(15, bf.s5);
  bf.s5 ^= 31;
  ASSERT(-16, bf.s5);
  bf.w40 -= 1;
  ASSERT(0xffffffffffL, bf.w40);
  bf.w40 >>= 8;
  ASSERT(0xffffffffL, bf.w40);
  ASSERT(5, bf.u3);
  struct bits *pb = &bf;
  pb->u3 += 1;
  ASSERT(6, bf.u3);
  ASSERT(7, pb->u3 += 1);
  ASSERT(0, pb->u3 += 1);
  // Value of a compound assignment expression.
  int v = 5;
  int w = (v += 3) * 2;
  ASSERT(16, w);
  ASSERT(8, v);
  unsigned char small = 250;
  ASSERT(4, small += 10);
  return DONE();
}
