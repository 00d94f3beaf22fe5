// Sequencing: comma, conditional and logical operators evaluate exactly what they must, once.
#include "test.h"

static int log_[32];
static int n_log;
static int note(int v) {
  log_[n_log++] = v;
  return v;
}
static void reset(void) { n_log = 0; }

int main(void) {
  reset();
  ASSERT(0, note(0) && note(1));
  ASSERT(1, n_log);
  reset();
  ASSERT(1, note(2) || note(3));
  ASSERT(1, n_log);
  ASSERT(2, log_[0]);
  reset();
  ASSERT(1, note(4) && note(5));
  ASSERT(2, n_log);
  ASSERT(5, log_[1]);
  reset();
  ASSERT(0, note(0) || note(0));
  ASSERT(2, n_log);
  reset();
  ASSERT(1, (note(0) && note(1)) || (note(2) && note(3)));
  ASSERT(3, n_log);
  ASSERT(3, log_[2]);
  reset();
  ASSERT(7, note(1) ? note(7) : note(8));
  ASSERT(2, n_log);
  ASSERT(7, log_[1]);
  reset();
  ASSERT(8, note(0) ? note(7) : note(8));
  ASSERT(8, log_[1]);
  ASSERT(2, n_log);
  reset();
  ASSERT(9, (note(1), note(2), note(9)));
  ASSERT(3, n_log);
  ASSERT(1, log_[0]);
  ASSERT(2, log_[1]);
  // The value of && and || is 0 or 1.
  ASSERT(1, 5 && 7);
  ASSERT(1, 0 || -3);
  int x = 10;
  ASSERT(1, x && x);
  long big = 1L << 40;
  ASSERT(1, big && 1);
  ASSERT(1, big || 0);
  int *np = 0;
  ASSERT(0, np && *np);
  ASSERT(1, !np || *np);
  // Assignments in conditions.
  int a = 0, b = 0;
  if ((a = 3) && (b = 4)) a += b;
  ASSERT(7, a);
  a = 0;
  b = 0;
  if ((a = 0) && (b = 4)) a = 100;
  ASSERT(0, b);
  // Pre/post increment as operands of logical operators.
  int i = 0;
  int r = i++ || i++;
  ASSERT(1, r);
  ASSERT(2, i);
  i = 0;
  r = ++i && ++i;
  ASSERT(1, r);
  ASSERT(2, i);
  // Conditional operator: nested, as an lvalue target via pointers, with mixed types.
  int p = 1, q = 2;
  *(x > 5 ? &p : &q) = 50;
  ASSERT(50, p);
  ASSERT(2, q);
  ASSERT(3, x > 20 ? 1 : x > 5 ? 3 : 5);
  ASSERT(4294967295LL, x > 5 ? -1 : 1u);
  ASSERT(8, sizeof(x ? 1 : (long)2));
  long cl = x > 5 ? -1 : 1u;
  ASSERT(4294967295LL, cl);
  const char *s = x ? "yes" : "no";
  ASSERT('y', s[0]);
  void *vp = x ? (void *)&p : 0;
  ASSERT(1, vp == &p);
  // GNU ?: evaluates its first operand once.
  reset();
  ASSERT(6, note(6) ?: note(9));
  ASSERT(1, n_log);
  reset();
  ASSERT(9, note(0) ?: note(9));
  ASSERT(2, n_log);
  // Comma in for and in arguments.
  reset();
  note((note(1), note(2)));
  ASSERT(3, n_log);
  ASSERT(2, log_[2]);
  // Short-circuit inside loops.
  int count = 0;
  for (int k = 0; k < 10; k++)
    if (k % 2 == 0 && note(k) >= 0 && ++count) {}
  ASSERT(5, count);
  // Logical operators on pointers and longs without truncation.
  long hi = 0x100000000L;
  ASSERT(1, hi != 0 && (int)hi == 0);
  ASSERT(0, !hi);
  ASSERT(1, !!hi);
  return DONE();
}
