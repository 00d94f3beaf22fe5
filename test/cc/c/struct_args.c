// Structs and unions passed by value: the callee gets its own copy.
#include "test.h"

struct pair { int a, b; };
struct big { long v[6]; char tag; };
struct tiny { char c; };
union num { long l; int i[2]; };

static int sum_pair(struct pair p) { return p.a + p.b; }
static int modify(struct pair p) {
  p.a = 100;
  return p.a + p.b;
}
static long sum_big(struct big b) {
  long s = 0;
  for (int i = 0; i < 6; i++) s += b.v[i];
  b.v[0] = -1;
  return s + b.tag;
}
static int mixed(int x, struct pair p, long y, struct tiny t, struct big b, int z) {
  return x + p.a + p.b + (int)y + t.c + (int)b.v[5] + b.tag + z;
}
static int seventh(int a, int b, int c, int d, int e, int f, struct pair p, struct pair q) {
  return a + b + c + d + e + f + p.a * 10 + p.b * 100 + q.a * 1000 + q.b * 10000;
}
static struct pair swap(struct pair p) {
  struct pair r = {p.b, p.a};
  return r;
}
static long num_sum(union num n) { return n.i[0] + n.i[1]; }
static int by_pointer_and_value(struct pair *pp, struct pair pv) {
  pp->a = 7;
  return pv.a;
}
static int nested(struct pair p) { return sum_pair(p) + sum_pair(swap(p)); }

int main(void) {
  struct pair p = {3, 4};
  ASSERT(7, sum_pair(p));
  ASSERT(104, modify(p));
  ASSERT(3, p.a);
  struct big b = {{1, 2, 3, 4, 5, 6}, 'A'};
  ASSERT(21 + 65, sum_big(b));
  ASSERT(1, b.v[0]);
  struct tiny t = {9};
  ASSERT(1 + 3 + 4 + 2 + 9 + 6 + 65 + 3, mixed(1, p, 2, t, b, 3));
  ASSERT(21 + 30 + 400 + 5000 + 60000, seventh(1, 2, 3, 4, 5, 6, p, (struct pair){5, 6}));
  struct pair s = swap(p);
  ASSERT(4, s.a);
  ASSERT(3, s.b);
  ASSERT(3, swap(swap(p)).a);
  union num n = {.i = {20, 22}};
  ASSERT(42, num_sum(n));
  ASSERT(3, by_pointer_and_value(&p, p));
  ASSERT(7, p.a);
  ASSERT(22, nested(p));
  struct pair arr[3] = {{1, 1}, {2, 2}, {3, 3}};
  int total = 0;
  for (int i = 0; i < 3; i++) total += sum_pair(arr[i]);
  ASSERT(12, total);
  struct pair *pp = &arr[1];
  ASSERT(4, sum_pair(*pp));
  int (*fp)(struct pair) = sum_pair;
  ASSERT(6, fp(arr[2]));
  return DONE();
}
