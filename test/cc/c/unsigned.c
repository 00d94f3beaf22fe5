// Unsigned wrap-around in 8, 16, 32 and 64 bits.
#include "test.h"

static unsigned int umul(unsigned int a, unsigned int b) { return a * b; }
static unsigned long umul64(unsigned long a, unsigned long b) { return a * b; }

int main(void) {
  unsigned int u = 0;
  u--;
  ASSERT(4294967295u, u);
  u++;
  ASSERT(0, u);
  u = 0xffffffffu;
  u += 2;
  ASSERT(1, u);
  u = 3;
  u -= 5;
  ASSERT(4294967294u, u);
  ASSERT(4294967294u, u * 1);
  ASSERT(2147483647u, u >> 1);
  ASSERT(4294967292u, u << 1);
  ASSERT(1, u > 100);
  ASSERT(1, u / 2 == 2147483647u);
  ASSERT(0, u % 2);
  ASSERT(1410065408u, umul(100000u, 100000u));
  ASSERT(4294967295u, umul(65535u, 65537u));

  unsigned long ul = 0;
  ul--;
  ASSERT(-1, (long)ul);
  ASSERT(1, ul == 18446744073709551615UL);
  ul += 2;
  ASSERT(1, ul);
  ASSERT(1, umul64(0x100000001UL, 0xffffffffUL) == 0xffffffffffffffffUL);
  ASSERT(1, 0x8000000000000000UL * 2 == 0);
  ASSERT(1, 0xffffffffffffffffUL / 3 == 0x5555555555555555UL);
  ASSERT(1, 0xffffffffffffffffUL % 10 == 5);
  ASSERT(1, (0xffffffffffffffffUL >> 63) == 1);
  ASSERT(1, 18446744073709551615UL > 0);

  unsigned char c = 250;
  c += 10;
  ASSERT(4, c);
  c = 0;
  c--;
  ASSERT(255, c);
  c = 128;
  c *= 2;
  ASSERT(0, c);
  unsigned short s = 65535;
  s++;
  ASSERT(0, s);
  s = 0;
  s -= 1;
  ASSERT(65535, s);
  s = 300;
  s *= 300;
  ASSERT(24464, s);

  // Unsigned int values that look negative when sign-extended must compare, widen and divide as unsigned.
  unsigned int big = 0x80000000u;
  ASSERT(2147483648LL, big);
  ASSERT(1, big > 0x7fffffffu);
  ASSERT(1, big >= 1);
  ASSERT(0, big < 5);
  ASSERT(1073741824, big / 2);
  ASSERT(2147483648LL, (unsigned long)big);
  ASSERT(2147483648LL, (long)big);
  ASSERT(-2147483648LL, (int)big);
  ASSERT(0, big % 2);
  ASSERT(6, 0xfffffffbu % 7);
  ASSERT(613566756, 0xfffffffcu / 7);
  unsigned int ua = 0xfffffff0u, ub = 0x10u;
  ASSERT(1, ua > ub);
  ASSERT(0, ua < ub);
  ASSERT(0, ua + ub);
  ASSERT(0xffffffe0u, ua - ub);
  ASSERT(1, ua != ub);
  long widened = ua;
  ASSERT(4294967280LL, widened);
  unsigned long uw = ua;
  ASSERT(4294967280LL, uw);
  ASSERT(4294967280LL, ua + 0UL);
  ASSERT(4294967281LL, ua + 1L);
  unsigned int arr[3] = {0xffffffffu, 0x80000001u, 7};
  unsigned long total = 0;
  for (int i = 0; i < 3; i++) total += arr[i];
  ASSERT(6442450951LL, total);
  // Mixed signed/unsigned loops.
  int count = 0;
  for (unsigned int k = 10; k < 20; k--) count++;
  ASSERT(11, count);
  unsigned int h = 2166136261u;
  const char *str = "hello";
  while (*str) {
    h ^= (unsigned char)*str++;
    h *= 16777619u;
  }
  ASSERT(1335831723u, h);
  unsigned long h64 = 14695981039346656037UL;
  str = "hello";
  while (*str) {
    h64 ^= (unsigned char)*str++;
    h64 *= 1099511628211UL;
  }
  ASSERT((long long)0xa430d84680aabd0bUL, (long long)h64);
  return DONE();
}
