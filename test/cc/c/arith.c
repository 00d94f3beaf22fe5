// Integer arithmetic and operator precedence, as gcc computes it.
#include "test.h"

static int add(int a, int b) { return a + b; }
static long lmul(long a, long b) { return a * b; }

int main(void) {
  ASSERT(0, 0);
  ASSERT(42, 42);
  ASSERT(21, 5 + 20 - 4);
  ASSERT(41, 12 + 34 - 5);
  ASSERT(47, 5 + 6 * 7);
  ASSERT(15, 5 * (9 - 6));
  ASSERT(4, (3 + 5) / 2);
  ASSERT(10, -10 + 20);
  ASSERT(10, - -10);
  ASSERT(10, - - +10);
  ASSERT(-7, -(3 + 4));
  ASSERT(1, 1 < 2);
  ASSERT(0, 2 < 1);
  ASSERT(1, 2 <= 2);
  ASSERT(0, 3 <= 2);
  ASSERT(1, 3 > 2);
  ASSERT(1, 3 >= 3);
  ASSERT(1, 4 == 4);
  ASSERT(1, 4 != 5);
  ASSERT(7, 1 | 2 | 4);
  ASSERT(2, 6 & 3);
  ASSERT(5, 6 ^ 3);
  ASSERT(-1, ~0);
  ASSERT(-6, ~5);
  ASSERT(1, !0);
  ASSERT(0, !3);
  ASSERT(14, 2 + 3 * 4);
  ASSERT(1, 1 + 2 == 3);
  ASSERT(3, 1 | 2 & 3);
  ASSERT(4, 2 << 1 + 1 >> 0 + 1);
  ASSERT(1, 5 > 3 == 1);

  int a = 7, b = 3;
  ASSERT(10, a + b);
  ASSERT(4, a - b);
  ASSERT(21, a * b);
  ASSERT(2, a / b);
  ASSERT(1, a % b);
  ASSERT(3, a & b);
  ASSERT(7, a | b);
  ASSERT(4, a ^ b);
  ASSERT(56, a << b);
  ASSERT(0, a >> b);
  ASSERT(10, add(a, b));
  ASSERT(-4, add(-a, b));
  ASSERT(6000000000L, lmul(2000000000L, 3));
  long big = 0x123456789L;
  ASSERT(0x123456789L, big);
  ASSERT(0x2468ACF12L, big * 2);
  ASSERT(0x123456789L + 0x100000000L, big + 0x100000000L);
  ASSERT(0x12345678L, big >> 4);
  long long ll = -9223372036854775807LL - 1;
  ASSERT(-9223372036854775807LL - 1, ll);
  ASSERT(9223372036854775807LL, ll - 1 + 0 == ll - 1 ? 9223372036854775807LL : 0);
  int m = 1000000;
  ASSERT(1000000000000L, (long)m * m);
  ASSERT(-727379968, (int)((long)m * m));
  int x = 17;
  x = x * 3 + 1;
  ASSERT(52, x);
  ASSERT(13, x / 4);
  ASSERT(0, x % 4);
  ASSERT(2147483647, 0x7fffffff);
  ASSERT(-2147483647 - 1, -2147483647 - 1);
  int imin = -2147483647 - 1;
  ASSERT(2147483647, imin - 1 + 0 * 0 == imin - 1 ? 2147483647 : 0);
  ASSERT(-2147483648LL, imin);
  ASSERT(2147483648LL, -(long)imin);
  return DONE();
}
