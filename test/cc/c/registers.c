// The register allocator: variables in registers (leaf functions keep
// parameters where they arrive; others use callee-saved registers that must
// survive calls), more variables than registers, registers shared by
// variables of disjoint scopes, temporaries spilled under pressure, narrow
// types in registers, in-place updates, and stores that drop a truncation.
#include "test.h"

struct small { char c; short s; int i; unsigned char u; };
struct rec { int a, b, c; };
struct bits { unsigned lo : 3; int mid : 5; unsigned hi : 7; };

static struct rec table[8];
static unsigned char bytes[64];
static int calls;

static long id(long x) { calls++; return x; }
static int twice(int x) { calls++; return 2 * x; }

/* A leaf with six register parameters and two on the stack, all modified. */
static long leaf8(long a, long b, int c, short d, unsigned char e, long f, long g, int h) {
  a += b;
  b = a - b;
  c *= 3;
  d = (short)(d + 1000);
  e = (unsigned char)(e + 200);
  f = f << 3;
  g = g - f;
  h = -h;
  return a * 1000000 + b * 10000 + c * 100 + d + e + f + g + h;
}

/* Deep expressions in a leaf whose temporaries are few (six parameters in registers). */
static long deep(long a, long b, long c, long d, long e, long f) {
  long x = a + (b + (c + (d + (e + (f + (a * b + (c * d - (e ^ f))))))));
  long y = ((a + b) * (c + d)) - ((e + f) * (a - b)) + ((c - d) * (e - f)) / ((a | 1) + (b & 7));
  long z = (a < b) + (c <= d) * 2 + (e > f) * 4 + (a == c) * 8 + (b != d) * 16 + !(e - f) * 32;
  return x + y * 3 + z;
}

/* More variables than callee-saved registers, all live across calls. */
static long many(long n) {
  long v1 = id(n + 1), v2 = id(n + 2), v3 = id(n + 3), v4 = id(n + 4), v5 = id(n + 5);
  long v6 = id(n + 6), v7 = id(n + 7), v8 = id(n + 8);
  for (int i = 0; i < 3; i++) {
    v1 += id(v8);
    v2 += v1 + id(v7);
    v3 ^= v2 + id(v6);
    v4 -= v3 - id(v5);
    v5 += v4 * 2;
    v6 = v5 - v6;
    v7 = id(v6) + v7;
    v8 = v7 + v8 + id(i);
  }
  return v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8;
}

/* Sibling scopes (the same register may serve both); a value computed before a call used after it. */
static int scopes(int n) {
  int total = 0;
  {
    int a = n * 2;
    total += twice(a) + a;
  }
  {
    int b = n * 3;
    total += twice(b) + b;
  }
  for (int i = 0; i < n; i++) {
    int sq = i * i;
    if (sq > 20) break;
    if (sq % 2) continue;
    total += sq;
  }
  for (int j = n; j > 0; j--) total += j;
  return total;
}

static int unsigned_and_narrow(unsigned u, signed char sc, unsigned short us, _Bool b) {
  unsigned v = u * 3u;
  sc += 100;
  us -= 7;
  b++;
  b = !b;
  b += 2;
  int r = 0;
  if (v > 0x80000000u) r += 1;
  if (u < 5u) r += 2;
  r += sc;
  r += us;
  r += b * 1000;
  return r;
}

static long args_in_args(long a, long b) {
  return leaf8(id(a), twice((int)b), (int)id(3), (short)twice(4), (unsigned char)id(250), id(a + b), twice(7), (int)id(-9));
}

static int conditional(int x, int y) {
  x = x > y ? x + 1 : twice(x);
  y = y - x;
  x = y - x;
  int z = x < 0 ? (y > 0 ? twice(y) : -y) : x;
  return x * 10000 + y * 100 + z;
}

static int switcher(int k) {
  int r = 0;
  for (int i = 0; i < k; i++) {
    switch (i % 7) {
    case 0: r += 1; break;
    case 1 ... 3: r += 10; break;
    case 4: r += 100; /* fall through */
    case 5: r += 1000; break;
    default: r -= 1;
    }
  }
  return r;
}

static long pointers(long n) {
  long arr[10];
  for (long i = 0; i < 10; i++) arr[i] = i * i;
  long *p = arr, *q = arr + 9;
  long s = 0;
  while (p < q) {
    s += *p++ - *q--;
    p += 0;
  }
  p = arr;
  p = p + n;
  s += *p + (q - p);
  long *r = &arr[2];
  r += n - 1;
  s += *r;
  return s;
}

static int statics(int n) {
  for (int i = 0; i < 8; i++) {
    table[i].a = i * 3;
    table[i].b = table[i].a + n;
    table[i].c = (short)(table[i].b * 1000);
  }
  for (int i = 0; i < 64; i++) bytes[i] = (unsigned char)(i * 37 + n);
  int s = 0;
  for (int i = 0; i < 8; i++) s += table[i].a + table[i].b + table[i].c;
  for (int i = 0; i < 64; i += 3) s += bytes[i];
  return s;
}

static int narrow_stores(int v) {
  struct small s = {0, 0, 0, 0};
  s.c = v;
  s.s = v * 1000;
  s.u = v + 250;
  s.i = s.c + s.s + s.u;
  int chained = (s.c = v + 1000);
  s.u += 300;
  s.s++;
  int old = s.c++;
  return s.c + s.s + s.i + s.u + chained + old;
}

static int bitfields(int v) {
  struct bits b = {0, 0, 0};
  b.lo = v;
  b.mid = v * 3;
  int x = (b.hi = v + 200);
  b.mid += 9;
  int y = b.lo++;
  return b.lo + b.mid * 10 + b.hi * 100 + x * 1000 + y;
}

static int gotos(int n) {
  int i = 0, s = 0;
again:
  if (i >= n) goto done;
  s += i;
  i++;
  goto again;
done:
  return s;
}

static long recurse(long n, long acc) {
  long keep = n * 7;
  if (n == 0) return acc;
  long r = recurse(n - 1, acc + keep);
  return r + keep - n * 7;
}

/* Chains of assignments to memory nested in one another, in a leaf with few free registers. */
struct bf { unsigned a : 3, b : 4, c : 5; };
static struct bf bfs[8];
static long v8[8], w8[8];
static long pressure(long p0, long p1, long p2, long p3, long p4, long p5) {
  long r = bfs[p0].a = bfs[p1].b = (bfs[p2].c += (bfs[p3].a = p4 + (bfs[p5].b |= p0 * p1)));
  r += v8[p0] += v8[p1] += v8[p2] += v8[p3] += v8[p4 & 7] += (v8[p5] += p0 * (p1 + (p2 * (p3 + (p4 * (p5 + p0 * (p1 - w8[p2])))))));
  return r + (w8[p0]++ + ++w8[p1]) * (w8[p2]-- - --w8[p3]);
}

/* Constants loaded once before their loop; a switch or goto that jumps into a loop must still see them. */
static long hoisting(int n) {
  long s = 0;
  for (long i = 0; i < 100000; i += 9999) s += i * 1000003;
  int j = 0;
  while (j < 300) {
    j += 7;
    s ^= j * 100003;
    s %= 1000000007;
  }
  do s -= 200; while (s > 5000000);
  int count = n, k = 0;
  switch (count % 4) {
  case 0: do { k += 1000;
  case 3: k += 1000;
  case 2: k += 1000;
  case 1: k += 1000; } while ((count -= 4) > 0 && k < 90000);
  }
  return s + k;
}

static int goto_into_loop(int n) {
  int i = 0, s = 0;
  if (n > 5) {
    i = n;
    goto inside;
  }
  for (i = 0; i < 1000; i++) {
  inside:
    s += i * 1001;
    if (s > 123456789) break;
  }
  return s;
}

/* Range checks: x < 0 || x >= k becomes one unsigned comparison. */
static long ranges(void) {
  static const long xs[] = {-2147483648L, -1000, -1, 0, 1, 99, 100, 101, 999, 1000, 2147483647L};
  long r = 0;
  for (int i = 0; i < 11; i++) {
    long l = xs[i];
    int x = (int)l;
    short sh = (short)l;
    unsigned u = (unsigned)x;
    volatile int vx = x;
    r = r * 3 + (x < 0 || x >= 100);
    r = r * 3 + (x >= 100 || x < 0);
    r = r * 3 + (x >= 0 && x < 1000);
    r = r * 3 + (x > -1 && x < 7);
    r = r * 3 + (x <= -1 || x >= 1);
    r = r * 3 + (sh < 0 || sh >= 100);
    r = r * 3 + (l < 0 || l >= 2147483647L);
    r = r * 3 + (u < 0 || u >= 100);
    r = r * 3 + (vx < 0 || vx >= 100);
    r %= 1000003;
    if (x < 0 || x >= 1000) r += 7;
    if (!(x >= 0 && x < 101)) r += 11;
  }
  return r;
}

int main(void) {
  // Hand-checked: a=3 b=1 c=9 d=1004 e=254 f=48 g=-41 h=-8.
  ASSERT(3 * 1000000 + 1 * 10000 + 9 * 100 + 1004 + 254 + 48 - 41 - 8, leaf8(1, 2, 3, 4, 54, 6, 7, 8));
  ASSERT(45, gotos(10));
  ASSERT(7 * 55 + 1, recurse(10, 1));
  calls = 0;
  SHOW(many(5));
  ASSERT(26, calls);
  // The rest is compared with gcc's output.
  SHOW(deep(1, 2, 3, 4, 5, 6));
  SHOW(deep(-3, 7, 11, -13, 17, -19));
  SHOW(scopes(6));
  SHOW(unsigned_and_narrow(0x60000000u, 20, 3, 0));
  SHOW(unsigned_and_narrow(4, 100, 20, 1));
  SHOW(args_in_args(5, 6));
  SHOW(conditional(5, 3));
  SHOW(conditional(2, 9));
  SHOW(switcher(30));
  SHOW(pointers(3));
  SHOW(statics(5));
  SHOW(narrow_stores(7));
  SHOW(narrow_stores(-300));
  SHOW(bitfields(13));
  SHOW(ranges());
  SHOW(hoisting(7));
  SHOW(hoisting(1000));
  SHOW(goto_into_loop(3));
  SHOW(goto_into_loop(900));
  for (int i = 0; i < 8; i++) w8[i] = i * 3 + 1;
  SHOW(pressure(1, 2, 3, 0, 4, 6));
  for (int i = 0; i < 8; i++) SHOW(v8[i] * 1000000 + w8[i] * 1000 + bfs[i].a * 100 + bfs[i].b * 10 + bfs[i].c);
  return DONE();
}
