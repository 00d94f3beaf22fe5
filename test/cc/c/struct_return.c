// Structs and unions returned by value, and struct assignment from calls.
#include "test.h"

struct pair { int a, b; };
struct big { long v[5]; char tag; };
struct odd { char c[3]; };
union num { long l; int i; };

static struct pair make_pair(int a, int b) {
  struct pair p = {a, b};
  return p;
}
static struct pair swap_pair(struct pair *p) {
  struct pair r;
  r.a = p->b;
  r.b = p->a;
  return r;
}
static struct big make_big(long base) {
  struct big b;
  for (int i = 0; i < 5; i++) b.v[i] = base + i;
  b.tag = 'B';
  return b;
}
static struct odd make_odd(char x) {
  return (struct odd){{x, x + 1, x + 2}};
}
static union num make_num(long l) {
  union num n;
  n.l = l;
  return n;
}
static struct big pass_through(struct big *b) { return *b; }
static struct pair add_pairs(struct pair *x, struct pair *y) {
  return make_pair(x->a + y->a, x->b + y->b);
}
static struct pair counter_pair(void) {
  static int n;
  n++;
  return make_pair(n, n * 10);
}
static struct big seven(int a, int b, int c, int d, int e, int f, int g) {
  struct big r = {{a + b, c + d, e + f, g}, 'S'};
  return r;
}

int main(void) {
  struct pair p = make_pair(3, 4);
  ASSERT(3, p.a);
  ASSERT(4, p.b);
  ASSERT(7, make_pair(7, 8).a);
  ASSERT(8, make_pair(7, 8).b);
  struct pair q = swap_pair(&p);
  ASSERT(4, q.a);
  ASSERT(3, q.b);
  p = swap_pair(&p);
  ASSERT(4, p.a);
  ASSERT(3, p.b);
  struct big b = make_big(100);
  ASSERT(104, b.v[4]);
  ASSERT('B', b.tag);
  ASSERT(102, make_big(100).v[2]);
  struct big b2 = pass_through(&b);
  ASSERT(100, b2.v[0]);
  b2 = make_big(-5);
  ASSERT(-1, b2.v[4]);
  struct odd o = make_odd('a');
  ASSERT('c', o.c[2]);
  ASSERT(3, sizeof(o));
  union num n = make_num(0x100000002L);
  ASSERT(2, n.i);
  ASSERT(2, make_num(0x300000002L).i);
  struct pair s = add_pairs(&p, &q);
  ASSERT(8, s.a);
  ASSERT(6, s.b);
  // Each call is evaluated once.
  struct pair c1 = counter_pair();
  struct pair c2 = counter_pair();
  ASSERT(1, c1.a);
  ASSERT(20, c2.b);
  ASSERT(30, counter_pair().b);
  // Struct results in expressions.
  int sum = make_pair(1, 2).a + make_pair(3, 4).b + make_big(10).v[3];
  ASSERT(18, sum);
  struct big s7 = seven(1, 2, 3, 4, 5, 6, 7);
  ASSERT(3, s7.v[0]);
  ASSERT(7, s7.v[1]);
  ASSERT(11, s7.v[2]);
  ASSERT(7, s7.v[3]);
  ASSERT(0, s7.v[4]);
  ASSERT('S', s7.tag);
  // Array of structs filled from calls.
  struct pair arr[4];
  for (int i = 0; i < 4; i++) arr[i] = make_pair(i, -i);
  ASSERT(-3, arr[3].b);
  ASSERT(2, arr[2].a);
  struct pair *pp = &arr[1];
  *pp = make_pair(50, 60);
  ASSERT(60, arr[1].b);
  return DONE();
}
