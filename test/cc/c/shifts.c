// Shifts: the result has the promoted left operand's type; right shifts of
// negative signed values are arithmetic (gcc); counts from variables.
#include "test.h"

static int shl(int a, int n) { return a << n; }
static int sar(int a, int n) { return a >> n; }
static unsigned shr(unsigned a, int n) { return a >> n; }
static long shl64(long a, int n) { return a << n; }
static long sar64(long a, int n) { return a >> n; }
static unsigned long shr64(unsigned long a, int n) { return a >> n; }

int main(void) {
  ASSERT(8, 1 << 3);
  ASSERT(-8, -1 << 3);
  ASSERT(-1, -1 >> 3);
  ASSERT(-2, -8 >> 2);
  ASSERT(536870911, 0xffffffffu >> 3);
  ASSERT(-1, (int)0xffffffffu >> 3);
  ASSERT(1, 1u << 31 >> 31);
  ASSERT(-1, (1 << 31) >> 31);
  ASSERT(1L << 40, 1L << 40);
  ASSERT(0, 1u << 31 << 1 == 0 ? 0 : 1);
  for (int n = 0; n < 32; n++) {
    ASSERT(1, shl(1, n) == (int)(1u << n));
    ASSERT(1, sar(-1, n) == -1);
    ASSERT(1, shr(0x80000000u, n) == 0x80000000u / (1u << n));
  }
  int total = 0;
  for (int n = 0; n < 64; n++) {
    total += shl64(1, n) == (long)(1UL << n);
    total += sar64(-1L, n) == -1;
    total += shr64(0x8000000000000000UL, n) == 0x8000000000000000UL / (1UL << n);
  }
  ASSERT(192, total);
  ASSERT(-4, sar(-13, 2));
  ASSERT(-1, sar(-1, 31));
  ASSERT(3, sar(13, 2));
  ASSERT(-52, shl(-13, 2));
  ASSERT(-3, sar64(-9, 2));
  ASSERT(1, shr64(-1L, 63));
  ASSERT(0x7fffffffffffffffL, shr64(-1L, 1));
  // The type of a shift is that of the left operand: 1 << 40L is still an int shift, so use 1L.
  ASSERT(4, sizeof(1 << 2L));
  ASSERT(8, sizeof(1L << 2));
  unsigned char c = 0x81;
  ASSERT(0x102, c << 1);
  ASSERT(0x40, c >> 1);
  signed char sc = -128;
  ASSERT(-64, sc >> 1);
  ASSERT(-256, sc << 1);
  unsigned short us = 0xffff;
  ASSERT(0x1fffe, us << 1);
  ASSERT(0x7fffffff8000LL, (long)us << 31 >> 0 == 0x7fff80000000L ? 0x7fffffff8000LL : 0);
  long v = 0x0123456789abcdefL;
  ASSERT(0x23456789abcdef00L, v << 8);
  ASSERT(0x0123456789abcdL, v >> 8);
  int x = 1;
  x <<= 4;
  ASSERT(16, x);
  x >>= 2;
  ASSERT(4, x);
  unsigned ux = 0x80000000u;
  ux >>= 31;
  ASSERT(1, ux);
  int neg = -256;
  neg >>= 4;
  ASSERT(-16, neg);
  long lv = 1;
  lv <<= 63;
  ASSERT(1, lv < 0);
  lv >>= 63;
  ASSERT(-1, lv);
  unsigned char b = 1;
  b <<= 7;
  ASSERT(128, b);
  b <<= 1;
  ASSERT(0, b);
  int cnt = 5;
  ASSERT(32 << 5, 32 << cnt);
  ASSERT(1, 32 >> cnt);
  unsigned int m = 0xf0f0f0f0u;
  ASSERT(0x0f0f0f0fu, (m >> 4) | (m << 28) ? (m >> 4) : 0);
  ASSERT(0x0f0f0f0fu, m >> 4);
  ASSERT(0x0f0f0f00u, m << 4 >> 4 << 4 >> 4 << 0 == 0x0f0f0f0u ? 0x0f0f0f00u : 1);
  return DONE();
}
