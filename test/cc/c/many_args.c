// More than six arguments: the rest go on the stack, in order, with their types.
#include "test.h"

static long sum8(long a, long b, long c, long d, long e, long f, long g, long h) {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}
static int mixed(char a, short b, int c, long d, unsigned char e, int f, char g, short h, int i, long j) {
  return a + b + c + (int)d + e + f + g + h + i + (int)j;
}
static long last(int a, int b, int c, int d, int e, int f, int g, long h, int i) {
  (void)a; (void)b; (void)c; (void)d; (void)e; (void)f;
  return g * 1000000000000L + h * 1000 + i;
}
static int seventh_neg(int a, int b, int c, int d, int e, int f, int g) { return a + b + c + d + e + f + g; }
static char *pick(int i, char *a, char *b, char *c, char *d, char *e, char *f, char *g, char *h) {
  char *all[8] = {a, b, c, d, e, f, g, h};
  return all[i];
}
static unsigned int uargs(unsigned a, unsigned b, unsigned c, unsigned d, unsigned e, unsigned f, unsigned g, unsigned h) {
  return (a ^ b ^ c ^ d) + (e ^ f ^ g ^ h);
}
static long widen7(int a, int b, int c, int d, int e, int f, unsigned g) { return (long)g + a + b + c + d + e + f; }
static long narrow7(int a, int b, int c, int d, int e, int f, signed char g, unsigned char h, short i) {
  return a + b + c + d + e + f + g * 10000L + h * 100L + i;
}
static int with_address(int a, int b, int c, int d, int e, int f, int g, int h) {
  int *p = &g;
  *p += 1;
  int *q = &h;
  return a + b + c + d + e + f + g + *q;
}
static int recurse(int n, int a, int b, int c, int d, int e, int f, int g) {
  if (n == 0) return a + b + c + d + e + f + g;
  return recurse(n - 1, b, c, d, e, f, g, a + 1);
}
struct pt { long x, y; };
static struct pt make(long a, long b, long c, long d, long e, long f, long g) {
  struct pt p = {a + c + e + g, b + d + f};
  return p;
}

int main(void) {
  ASSERT(204, sum8(1, 2, 3, 4, 5, 6, 7, 8));
  ASSERT(-204, sum8(-1, -2, -3, -4, -5, -6, -7, -8));
  ASSERT(55, mixed(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  ASSERT(-55 + 2 * 5, mixed(-1, -2, -3, -4, 5, -6, -7, -8, -9, -10));
  ASSERT(7000000009000L + 9, last(1, 2, 3, 4, 5, 6, 7, 9, 9));
  ASSERT(-28, seventh_neg(-1, -2, -3, -4, -5, -6, -7));
  ASSERT('h', *pick(7, "a", "b", "c", "d", "e", "f", "g", "h"));
  ASSERT('g', *pick(6, "a", "b", "c", "d", "e", "f", "g", "h"));
  ASSERT(0, uargs(1, 1, 2, 2, 0xffffffffu, 0xffffffffu, 3, 3));
  ASSERT(4294967295LL + 21, widen7(1, 2, 3, 4, 5, 6, 0xffffffffu));
  ASSERT(21 - 10000 + 25500 - 1, narrow7(1, 2, 3, 4, 5, 6, -1, 255, -1));
  ASSERT(38, with_address(1, 2, 3, 4, 5, 6, 8, 8));
  ASSERT(28 + 10, recurse(10, 1, 2, 3, 4, 5, 6, 7));
  struct pt p = make(1, 2, 3, 4, 5, 6, 7);
  ASSERT(16, p.x);
  ASSERT(12, p.y);
  // Arguments that are themselves calls with many arguments.
  ASSERT(404, sum8(sum8(1, 2, 3, 4, 5, 6, 7, 8), 0, 0, 0, 0, 0, 0, 204 / 8 + 0 * sum8(0, 0, 0, 0, 0, 0, 0, 1)));
  long (*fp)(long, long, long, long, long, long, long, long) = sum8;
  ASSERT(36 * 1 + 168, fp(1, 2, 3, 4, 5, 6, 7, 8));
  return DONE();
}
