// Loops: for, while, do-while; break and continue at every nesting; empty bodies; comma in for.
#include "test.h"

int main(void) {
  int s = 0;
  for (int i = 0; i < 10; i++) s += i;
  ASSERT(45, s);
  s = 0;
  for (int i = 10; i > 0; i -= 3) s += i;
  ASSERT(22, s);
  int i = 0;
  while (i < 5) i++;
  ASSERT(5, i);
  i = 10;
  do i--; while (i > 3);
  ASSERT(3, i);
  i = 100;
  do i++; while (0);
  ASSERT(101, i);
  s = 0;
  for (int k = 0;; k++) {
    if (k == 7) break;
    s += k;
  }
  ASSERT(21, s);
  s = 0;
  for (int k = 0; k < 10; k++) {
    if (k % 2) continue;
    s += k;
  }
  ASSERT(20, s);
  s = 0;
  int k = 0;
  while (1) {
    k++;
    if (k > 20) break;
    if (k % 5) continue;
    s += k;
  }
  ASSERT(50, s);
  s = 0;
  k = 0;
  do {
    k++;
    if (k == 3) continue;
    if (k == 6) break;
    s += k;
  } while (k < 10);
  ASSERT(12, s);
  // continue in do-while re-tests the condition.
  k = 0;
  int iterations = 0;
  do {
    iterations++;
    if (++k < 100) continue;
  } while (k < 5);
  ASSERT(5, iterations);
  // Nested loops with break and continue affecting the inner one.
  s = 0;
  for (int a = 0; a < 5; a++) {
    for (int b = 0; b < 5; b++) {
      if (b > a) break;
      if (b == 1) continue;
      s += 10 * a + b;
    }
  }
  ASSERT(316, s);
  // Comma expressions in for.
  int a, b;
  for (a = 0, b = 10; a < b; a++, b--) {}
  ASSERT(5, a);
  ASSERT(5, b);
  // Empty body loops.
  int n = 0;
  for (; n < 100; n += 7);
  ASSERT(105, n);
  const char *str = "hello world";
  const char *e = str;
  while (*e++);
  ASSERT(12, e - str);
  // Loop variable shadowing an outer variable.
  int x = 42;
  for (int x = 0; x < 3; x++) {}
  ASSERT(42, x);
  // Loop counting down with unsigned and size_t.
  size_t count = 0;
  for (size_t z = 5; z-- > 0;) count += z;
  ASSERT(10, count);
  // while with a complex condition.
  int p = 0, q = 10;
  while (p < q && (p * q) < 30) p++, q--;
  ASSERT(5, p);
  // A loop that runs a million times.
  long total = 0;
  for (int m = 0; m < 1000000; m++) total += m & 7;
  ASSERT(3500000, total);
  // Labels and loops combined with switch break.
  int found = 0;
  for (int m = 0; m < 10 && !found; m++) {
    switch (m) {
    case 6: found = m; break;
    default: continue;
    }
  }
  ASSERT(6, found);
  // Declarations in for-init with several declarators.
  s = 0;
  for (int u = 0, v = 10; u < v; u++, v--) s += v - u;
  ASSERT(30, s);
  return DONE();
}
