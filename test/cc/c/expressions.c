// Expressions that stress evaluation: nested calls as operands and arguments,
// assignments whose targets and values both need registers, deep nesting.
#include "test.h"

static int f1(int x) { return x + 1; }
static int f2(int a, int b) { return a * 10 + b; }
static long f3(long a, long b, long c) { return a * 100 + b * 10 + c; }
static int *ptr_to(int *base, int i) { return base + i; }
struct pair { int a, b; };
static struct pair mk(int a, int b) {
  struct pair p = {a, b};
  return p;
}
static int g_arr[8];
static int *gp(void) { return g_arr; }

int main(void) {
  ASSERT(23, f2(f1(1), f1(2)));
  ASSERT(123, f3(f1(0), f2(0, 2), f1(f1(1))));
  ASSERT(44, f2(f1(f1(f1(0))), f1(f1(f1(f1(0))))) + f1(0) * 0 + 10 - 0 * f2(1, 1) + 0 - 0 - 0 - 0 + 0 + 0 - 0 + 0 - 0 - 0 - 0 + 0 + 0 - 0 + 0);
  ASSERT(9, f1(1) + f1(2) + f1(3) - f1(-1) + 0);
  ASSERT(3, f1(1) * f1(2) - f1(2));
  ASSERT(6, f1(1) * f1(2));
  ASSERT(1, f1(4) / f1(3) + 0 * f1(9));
  ASSERT(1, f1(6) % f1(2));
  ASSERT(1, f1(1) < f1(2));
  ASSERT(0, f1(1) == f1(2));
  int arr[5] = {1, 2, 3, 4, 5};
  *ptr_to(arr, 2) = f1(*ptr_to(arr, 3));
  ASSERT(5, arr[2]);
  *ptr_to(arr, f1(0)) += f2(arr[0], arr[4]);
  ASSERT(17, arr[1]);
  arr[f1(3)] = arr[f1(0)] * arr[f1(1)];
  ASSERT(85, arr[4]);
  gp()[f1(1)] = f2(3, 4);
  ASSERT(34, g_arr[2]);
  gp()[3] = gp()[2] + gp()[2];
  ASSERT(68, g_arr[3]);
  ASSERT(11, mk(f1(0), f1(9)).a + mk(1, f1(9)).b);
  struct pair pa[2];
  pa[f1(0)] = mk(f2(1, 2), f1(f1(5)));
  ASSERT(12, pa[1].a);
  ASSERT(7, pa[1].b);
  // Deeply nested arithmetic (needs many temporaries).
  int a = 1, b = 2, c = 3, d = 4, e = 5;
  ASSERT(-46, ((a + b) * (c - d) - (e * (a - b) + (c * (d + e)) - (a * b * c))) - ((a + e) * (b + d) - (c * c)) + 12 - 12 + (a - a));
  ASSERT(149, ((((a + 1) * 2 + (b + 1) * 3) * 4 + ((c + 1) * 5 + (d + 1) * 6)) * 2 + e) - 60 - 8 * 0);
  ASSERT(2, (a < b) + (b < c) * (c < d) - (d > e));
  ASSERT(3, (a ? b : c) + (b ? a : c) * 0 + (c > 2 ? 1 : 0) + 0);
  long la = 1000000000L, lb = 3;
  ASSERT(3000000001L, la * lb + (la / la));
  ASSERT(333333333L, la / lb);
  ASSERT(1, la % lb);
  // Assignment chains.
  int x, y, z;
  x = y = z = f1(6);
  ASSERT(21, x + y + z);
  x += y -= z *= 2;
  ASSERT(0, x - 0);
  ASSERT(-7, y);
  ASSERT(14, z);
  // Mixed pointers and integers in one expression.
  int *p = arr;
  ASSERT(85 + 5, *(p + 4) + *(p + (f1(1))));
  ASSERT(4, &arr[4] - p);
  ASSERT(1, (p + f1(3)) == &arr[4]);
  // Comma operators inside function arguments.
  ASSERT(25, f2((x = 1, x + 1), (y = 4, y + 1)));
  // Unsigned and signed mixed in a long expression.
  unsigned u = 3;
  int neg = -4;
  ASSERT(4294967295LL, u + neg);
  ASSERT(-1, (int)(u + neg));
  ASSERT(-1, (long)(int)u + neg);
  ASSERT(4294967295LL, (long)(u + neg));
  // Conditional with calls on both sides.
  ASSERT(2, f1(0) ? f1(1) : f1(100));
  ASSERT(100, f1(-1) ? f1(1) : 100);
  // Many live values across a call.
  int v1 = f1(0), v2 = f1(1), v3 = f1(2), v4 = f1(3), v5 = f1(4), v6 = f1(5), v7 = f1(6);
  ASSERT(28, v1 + v2 + v3 + v4 + v5 + v6 + v7);
  ASSERT(30, v1 + v2 + v3 + f1(v4 + v5) + v6 + v7 - 4 + 4 - 1 + 1 + 3 - 2);
  return DONE();
}
