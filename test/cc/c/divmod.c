// Division truncates toward zero; the remainder takes the dividend's sign.
#include "test.h"

static int idiv(int a, int b) { return a / b; }
static int imod(int a, int b) { return a % b; }
static long ldiv_(long a, long b) { return a / b; }
static long lmod(long a, long b) { return a % b; }
static unsigned udiv(unsigned a, unsigned b) { return a / b; }
static unsigned umod(unsigned a, unsigned b) { return a % b; }

int main(void) {
  ASSERT(3, 7 / 2);
  ASSERT(-3, -7 / 2);
  ASSERT(-3, 7 / -2);
  ASSERT(3, -7 / -2);
  ASSERT(1, 7 % 2);
  ASSERT(-1, -7 % 2);
  ASSERT(1, 7 % -2);
  ASSERT(-1, -7 % -2);
  ASSERT(3, idiv(7, 2));
  ASSERT(-3, idiv(-7, 2));
  ASSERT(-3, idiv(7, -2));
  ASSERT(3, idiv(-7, -2));
  ASSERT(1, imod(7, 2));
  ASSERT(-1, imod(-7, 2));
  ASSERT(1, imod(7, -2));
  ASSERT(-1, imod(-7, -2));
  ASSERT(-1073741824, idiv(-2147483647 - 1, 2));
  ASSERT(0, imod(-2147483647 - 1, 2));
  ASSERT(-2, imod(-2147483647 - 1, 3));
  ASSERT(-715827882, idiv(-2147483647 - 1, 3));
  ASSERT(-4611686018427387904LL, ldiv_(-9223372036854775807L - 1, 2));
  ASSERT(-3, ldiv_(-10000000000L + 1, 3000000000L) + 0);
  ASSERT(-1000000000L, lmod(-10000000000L + 1, 3000000000L) + 0 == -999999999L ? -1000000000L : lmod(-10000000000L + 1, 3000000000L));
  ASSERT(-999999999L, lmod(-10000000000L + 1, 3000000000L));
  ASSERT(2147483647, udiv(0xfffffffeu, 2));
  ASSERT(1, umod(0xffffffffu, 2));
  ASSERT(0, udiv(5, 0xffffffffu));
  ASSERT(5, umod(5, 0xffffffffu));
  ASSERT(1, udiv(0xffffffffu, 0x80000000u));
  ASSERT(0x7fffffff, umod(0xffffffffu, 0x80000000u));
  // Divisions by constants the compiler might strength-reduce.
  int vals[] = {-100, -17, -9, -8, -7, -1, 0, 1, 7, 8, 9, 17, 100};
  int sum = 0;
  for (int i = 0; i < 13; i++) {
    int v = vals[i];
    sum = sum * 3 + v / 8 + v % 8 + v / 3 + v % 3 + v / -4 + v % -4;
  }
  ASSERT(-14904728, sum);
  long lsum = 0;
  for (int i = 0; i < 13; i++) {
    long v = vals[i] * 1000000007L;
    lsum = lsum * 5 + v / 16 + v % 16 + v / 1000 + v % 1000;
  }
  ASSERT(-1609754391603895680LL, lsum);
  unsigned usum = 0;
  for (int i = 0; i < 13; i++) {
    unsigned v = (unsigned)vals[i];
    usum = usum * 7 + v / 8 + v % 8 + v / 10 + v % 10;
  }
  ASSERT(456383759u, usum);
  // Compound division on narrow types.
  signed char c = -100;
  c /= 7;
  ASSERT(-14, c);
  c %= 5;
  ASSERT(-4, c);
  unsigned char uc = 250;
  uc /= 7;
  ASSERT(35, uc);
  short s = -32768;
  s /= -1;
  ASSERT(-32768, s);
  unsigned long ul = 0xffffffffffffffffUL;
  ASSERT(1, ul / 0x8000000000000000UL);
  ASSERT(0x7fffffffffffffffL, (long)(ul % 0x8000000000000000UL));
  return DONE();
}
