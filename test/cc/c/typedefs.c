// typedef names: scalars, pointers, arrays, functions, structs, shadowing.
#include "test.h"

typedef int myint;
typedef myint *intptr;
typedef int arr4[4];
typedef struct point { int x, y; } point_t, *point_ptr;
typedef int (*binop)(int, int);
typedef int fn_t(int);
typedef unsigned long uintptr_t;
typedef uintptr_t x86_64_pageentry_t;
typedef const char *cstr;
typedef struct list list;
struct list { int v; list *next; };
typedef char small[3];

static int add(int a, int b) { return a + b; }
static int twice(int a) { return 2 * a; }
static int apply(fn_t *f, int v) { return f(v); }
static int first(arr4 a) { return a[0]; }

int main(void) {
  myint a = 5;
  intptr p = &a;
  ASSERT(5, *p);
  arr4 arr = {1, 2, 3, 4};
  ASSERT(16, sizeof(arr));
  ASSERT(16, sizeof(arr4));
  ASSERT(1, first(arr));
  point_t pt = {3, 4};
  point_ptr pp = &pt;
  ASSERT(7, pp->x + pp->y);
  struct point same = pt;
  ASSERT(4, same.y);
  binop op = add;
  ASSERT(9, op(4, 5));
  ASSERT(12, apply(twice, 6));
  fn_t *fp = twice;
  ASSERT(14, fp(7));
  x86_64_pageentry_t pte = 0x1000 | 7;
  ASSERT(8, sizeof(pte));
  ASSERT(0x1007, pte);
  cstr s = "typedef";
  ASSERT('y', s[1]);
  list n2 = {2, NULL}, n1 = {1, &n2};
  ASSERT(2, n1.next->v);
  small sm = "ab";
  ASSERT(3, sizeof(sm));
  // A typedef name can be redeclared as a variable in an inner scope.
  {
    int myint = 7;
    ASSERT(7, myint);
  }
  myint after = 8;
  ASSERT(8, after);
  // Typedefs of qualified types.
  typedef const int cint;
  cint k = 3;
  ASSERT(3, k);
  typedef volatile unsigned char vbyte;
  vbyte vb = 200;
  ASSERT(200, vb);
  // Typedef of an array of pointers to functions.
  typedef int (*ops_t[2])(int, int);
  ops_t ops = {add, add};
  ASSERT(3, ops[1](1, 2));
  ASSERT(16, sizeof(ops_t));
  // Same typedef twice (allowed in C11).
  typedef int myint;
  myint again = 1;
  ASSERT(1, again);
  // sizeof applied to typedef'd pointer.
  ASSERT(8, sizeof(intptr));
  ASSERT(8, sizeof(point_t));
  return DONE();
}
