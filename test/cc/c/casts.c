// Casts between every pair of integer widths and signedness, pointers and integers.
#include "test.h"

static long long via(int kind, long long v) {
  switch (kind) {
  case 0: return (signed char)v;
  case 1: return (unsigned char)v;
  case 2: return (short)v;
  case 3: return (unsigned short)v;
  case 4: return (int)v;
  case 5: return (unsigned int)v;
  case 6: return (long)v;
  case 7: return (long)(unsigned long)v;
  case 8: return (_Bool)v;
  case 9: return (char)v;
  }
  return 0;
}

int main(void) {
  long long samples[] = {0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -32769,
                         2147483647LL, 2147483648LL, 4294967295LL, 4294967296LL, -2147483649LL,
                         0x123456789abcdefLL, -0x123456789abcdefLL};
  long long hash = 0;
  for (int i = 0; i < 21; i++)
    for (int k = 0; k < 10; k++) hash = hash * 31 + via(k, samples[i]);
  SHOW(hash);
  ASSERT(-17, (signed char)0xef);
  ASSERT(0xef, (unsigned char)0x12ef);
  ASSERT(-4371, (short)0xeeed);
  ASSERT(0xeeed, (unsigned short)0x1eeed);
  ASSERT(-1, (int)0xffffffff);
  ASSERT(0xffffffff, (unsigned)-1);
  ASSERT(0x89abcdef, (unsigned)0x0123456789abcdefL);
  ASSERT(-1985229329, (int)0x0123456789abcdefL);
  ASSERT(0xcdef, (unsigned short)0x0123456789abcdefL);
  ASSERT(-17, (signed char)0x0123456789abcdefL);

  // Chains of casts through variables (no constant folding).
  long long v = 0x0123456789abcdefLL;
  signed char sc = v;
  unsigned char uc = v;
  short s = v;
  unsigned short us = v;
  int i = v;
  unsigned u = v;
  long l = v;
  unsigned long ul = v;
  ASSERT(-17, sc);
  ASSERT(239, uc);
  ASSERT(-12817, s);
  ASSERT(52719, us);
  ASSERT(-1985229329, i);
  ASSERT(2309737967LL, u);
  ASSERT(0x0123456789abcdefLL, l);
  ASSERT(0x0123456789abcdefLL, ul);
  // Widening from each narrow type.
  ASSERT(-17, (long)sc);
  ASSERT(239, (long)uc);
  ASSERT(-12817, (long)s);
  ASSERT(52719, (long)us);
  ASSERT(-1985229329, (long)i);
  ASSERT(2309737967LL, (long)u);
  ASSERT(0xffffffffffffffefULL == (unsigned long)sc, 1);
  ASSERT(0xffffffef, (unsigned)sc);
  ASSERT(0xffef, (unsigned short)sc);
  ASSERT(239, (unsigned char)sc);
  ASSERT(-17, (signed char)uc);
  ASSERT(-17, (short)sc);
  ASSERT(239, (short)uc);
  ASSERT(-12817, (int)s);
  ASSERT(52719, (int)us);
  ASSERT(-12817, (short)us);
  ASSERT(-1985229329, (int)u);
  ASSERT(2309737967LL, (unsigned)i);
  ASSERT(1, (unsigned long)i == 0xffffffff89abcdefUL);
  ASSERT(1, (unsigned long)u == 0x89abcdefUL);
  ASSERT(-17, (signed char)s);
  ASSERT(-17, (signed char)us);
  ASSERT(-17, (signed char)i);
  ASSERT(-17, (signed char)u);
  ASSERT(239, (unsigned char)i);
  ASSERT(52719, (unsigned short)i);
  ASSERT(-12817, (short)u);
  // Casts of expressions (results of arithmetic must be truncated).
  int a = 200, b = 100;
  ASSERT(44, (unsigned char)(a + b));
  ASSERT(44, (signed char)(a + b));
  ASSERT(-56, (signed char)a);
  ASSERT(300, (short)(a + b));
  ASSERT(-25536, (short)(a * 200));
  ASSERT(40000, (unsigned short)(a * 200));
  ASSERT(0, (unsigned char)(a + 56));
  // Pointers and integers.
  int x = 5;
  int *p = &x;
  unsigned long addr = (unsigned long)p;
  ASSERT(5, *(int *)addr);
  ASSERT(1, (int *)addr == p);
  long sl = (long)p;
  ASSERT(1, (int *)sl == p);
  char *cp = (char *)p;
  ASSERT(1, (int *)(cp + 4) == p + 1);
  void *vp = p;
  ASSERT(5, *(int *)vp);
  ASSERT(0, (long)(void *)0);
  ASSERT(1, (void *)0 == NULL);
  // Reinterpretation through pointers (little-endian).
  unsigned int word = 0x11223344;
  unsigned char *bytes = (unsigned char *)&word;
  ASSERT(0x44, bytes[0]);
  ASSERT(0x33, bytes[1]);
  ASSERT(0x11, bytes[3]);
  unsigned short *halves = (unsigned short *)&word;
  ASSERT(0x3344, halves[0]);
  ASSERT(0x1122, halves[1]);
  long long q = -2;
  int *lo = (int *)&q;
  ASSERT(-2, lo[0]);
  ASSERT(-1, lo[1]);
  unsigned *ulo = (unsigned *)&q;
  ASSERT(4294967294LL, ulo[0]);
  // Casting to void discards.
  (void)x;
  (void)(x + 1);
  ASSERT(5, x);
  // Casts in comparisons.
  ASSERT(1, (unsigned char)-1 == 255);
  ASSERT(1, (signed char)255 == -1);
  ASSERT(0, (unsigned)-1 == -1L);
  ASSERT(1, (int)(unsigned)-1 == -1);
  ASSERT(1, (unsigned short)-1 > 0);
  return DONE();
}
