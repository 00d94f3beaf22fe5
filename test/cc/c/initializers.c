// Designated initializers, brace elision, nested aggregates, implied array lengths,
// GNU array ranges, zero-filling of everything not mentioned (locals and statics).
#include "test.h"

struct point { int x, y; };
struct rect { struct point a, b; int color; };
struct mix { char c; short s[3]; long l; struct point p; };
union val { int i; char bytes[4]; long l; };

static int sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}

int main(void) {
  struct point p = {.y = 2, .x = 1};
  ASSERT(1, p.x);
  ASSERT(2, p.y);
  struct point p2 = {.y = 5};
  ASSERT(0, p2.x);
  struct rect r = {{1, 2}, {3, 4}, 5};
  ASSERT(4, r.b.y);
  ASSERT(5, r.color);
  struct rect r2 = {1, 2, 3, 4, 5};
  ASSERT(3, r2.b.x);
  ASSERT(5, r2.color);
  struct rect r3 = {.b = {.y = 9}, .color = 7};
  ASSERT(0, r3.a.x);
  ASSERT(0, r3.b.x);
  ASSERT(9, r3.b.y);
  ASSERT(7, r3.color);
  struct rect r4 = {.a.y = 3, .b.x = 4};
  ASSERT(3, r4.a.y);
  ASSERT(4, r4.b.x);
  ASSERT(0, r4.color);
  struct rect r5 = {.b = {6}, 8};
  ASSERT(6, r5.b.x);
  ASSERT(8, r5.color);
  struct rect r6 = {.a = p, .b = {p.y, p.x}};
  ASSERT(1, r6.a.x);
  ASSERT(1, r6.b.y);

  int a[10] = {[3] = 3, [7] = 7, 8};
  ASSERT(18, sum(a, 10));
  ASSERT(8, a[8]);
  ASSERT(0, a[9]);
  int b[] = {[5] = 1, 2};
  ASSERT(7, sizeof(b) / sizeof(int));
  ASSERT(2, b[6]);
  int c[10] = {[2 ... 5] = 9};
  ASSERT(36, sum(c, 10));
  ASSERT(0, c[6]);
  int d[] = {1, [4] = 4, [1] = 10, 11};
  ASSERT(5, sizeof(d) / sizeof(int));
  ASSERT(11, d[2]);
  ASSERT(0, d[3]);
  ASSERT(26, sum(d, 5));

  struct point pts[3] = {[2] = {5, 6}, [0].y = 1};
  ASSERT(1, pts[0].y);
  ASSERT(0, pts[1].x);
  ASSERT(6, pts[2].y);
  struct point elided[2] = {1, 2, 3, 4};
  ASSERT(3, elided[1].x);
  int m[2][3] = {1, 2, 3, 4};
  ASSERT(4, m[1][0]);
  ASSERT(0, m[1][1]);
  int m2[2][3] = {[1] = {7, 8}, [0][2] = 3};
  ASSERT(3, m2[0][2]);
  ASSERT(8, m2[1][1]);
  ASSERT(0, m2[1][2]);

  struct mix mx = {'a', {1, 2}, 100, {3}};
  ASSERT('a', mx.c);
  ASSERT(2, mx.s[1]);
  ASSERT(0, mx.s[2]);
  ASSERT(100, mx.l);
  ASSERT(3, mx.p.x);
  ASSERT(0, mx.p.y);
  struct mix mx2 = {.s[2] = 9, .p.y = 4};
  ASSERT(9, mx2.s[2]);
  ASSERT(0, mx2.s[0]);
  ASSERT(4, mx2.p.y);

  union val v = {.bytes = {1, 2, 3, 4}};
  ASSERT(0x04030201, v.i);
  union val v2 = {0x11};
  ASSERT(0x11, v2.bytes[0]);

  char s[8] = "abc";
  ASSERT(0, s[3]);
  ASSERT(0, s[7]);
  char s2[] = {"xyz"};
  ASSERT(4, sizeof(s2));
  char s3[2][4] = {"ab", {'c', 'd'}};
  ASSERT('d', s3[1][1]);
  ASSERT(0, s3[1][2]);
  struct { char name[6]; int n; } named = {"hi", 3};
  ASSERT('i', named.name[1]);
  ASSERT(3, named.n);
  struct { int n; char name[4]; } arr2[] = {{1, "a"}, {2, "bc"}};
  ASSERT(2, sizeof(arr2) / sizeof(arr2[0]));
  ASSERT('c', arr2[1].name[1]);

  // Initializers are evaluated at run time for automatic objects.
  int base = 10;
  int dyn[3] = {base, base * 2, base + sum(a, 10)};
  ASSERT(28, dyn[2]);
  struct point dp = {base, -base};
  ASSERT(-10, dp.y);
  // Re-running a block re-initializes its locals.
  int again = 0;
  for (int k = 0; k < 3; k++) {
    int z[4] = {k};
    again += z[0] + z[3];
    z[3] = 99;
  }
  ASSERT(3, again);
  // Scalar with braces.
  int braced = {42};
  ASSERT(42, braced);
  // Nested designator into an array of structs.
  struct rect rs[2] = {[1].b.y = 5, [0] = {.color = 1}};
  ASSERT(5, rs[1].b.y);
  ASSERT(1, rs[0].color);
  ASSERT(0, rs[1].color);
  // Later designators override earlier ones.
  int ov[3] = {1, 2, 3, [0] = 9};
  ASSERT(9, ov[0]);
  ASSERT(2, ov[1]);
  struct point ovp = {.x = 1, .y = 2, .x = 3};
  ASSERT(3, ovp.x);
  ASSERT(2, ovp.y);
  // Trailing commas.
  int tc[] = {1, 2, 3,};
  ASSERT(3, sizeof(tc) / sizeof(int));
  struct point tcp = {1, 2,};
  ASSERT(2, tcp.y);
  // After a designation, elements continue with the next subobject, even inside nested aggregates.
  struct rect cont = {.a.y = 3, 4, 5};
  ASSERT(3, cont.a.y);
  ASSERT(4, cont.b.x);
  ASSERT(5, cont.b.y);
  ASSERT(0, cont.color);
  struct rect cont2 = {.a = {1}, 4, 5};
  ASSERT(4, cont2.b.x);
  ASSERT(5, cont2.b.y);
  int cm[2][3] = {[0][1] = 1, 2, 3, 4};
  ASSERT(2, cm[0][2]);
  ASSERT(3, cm[1][0]);
  ASSERT(4, cm[1][1]);
  ASSERT(0, cm[1][2]);
  struct point cpts[3] = {[1].y = 1, 2, 3};
  ASSERT(1, cpts[1].y);
  ASSERT(2, cpts[2].x);
  ASSERT(3, cpts[2].y);
  ASSERT(0, cpts[0].y);
  struct { int a; struct { int b, c; }; int d; } anon = {.b = 1, 2, 3};
  ASSERT(0, anon.a);
  ASSERT(1, anon.b);
  ASSERT(2, anon.c);
  ASSERT(3, anon.d);
  int ranged[8] = {[1 ... 3] = 7, 8, [6] = 1};
  ASSERT(8, ranged[4]);
  ASSERT(7, ranged[3]);
  ASSERT(0, ranged[5]);
  ASSERT(1, ranged[6]);
  struct point rp[4] = {[0 ... 2].y = 6};
  ASSERT(6, rp[2].y);
  ASSERT(0, rp[3].y);
  ASSERT(0, rp[1].x);
  // Empty braces (GNU) zero everything.
  struct rect zero = {};
  ASSERT(0, zero.b.y);
  return DONE();
}
