// sizeof, _Alignof, __builtin_offsetof and _Static_assert on every kind of type.
#include "test.h"

struct s1 { char a; long b; short c; };
struct s2 { struct s1 inner[2]; char tail; };
union u1 { char c[13]; int i; };
struct with_arr { int n; struct { char k; int v; } items[4]; };
typedef struct { int id; struct s1 s; } wrapped;

_Static_assert(sizeof(char) == 1, "char");
_Static_assert(sizeof(short) == 2, "short");
_Static_assert(sizeof(int) == 4, "int");
_Static_assert(sizeof(long) == 8, "long");
_Static_assert(sizeof(long long) == 8, "long long");
_Static_assert(sizeof(void *) == 8, "pointer");
_Static_assert(sizeof(struct s1) == 24, "s1");
_Static_assert(_Alignof(struct s1) == 8, "s1 align");
_Static_assert(__builtin_offsetof(struct s1, c) == 16, "offset");
_Static_assert(1, "no message needed");

int main(void) {
  _Static_assert(sizeof(struct s2) == 56, "inside a function");
  ASSERT(1, sizeof(char));
  ASSERT(2, sizeof(short));
  ASSERT(4, sizeof(int));
  ASSERT(8, sizeof(long));
  ASSERT(8, sizeof(long long));
  ASSERT(8, sizeof(unsigned long));
  ASSERT(1, sizeof(_Bool));
  ASSERT(8, sizeof(char *));
  ASSERT(8, sizeof(int (*)(int)));
  ASSERT(8, sizeof(struct s1 *));
  ASSERT(24, sizeof(struct s1));
  ASSERT(56, sizeof(struct s2));
  ASSERT(16, sizeof(union u1));
  ASSERT(36, sizeof(struct with_arr));
  ASSERT(32, sizeof(wrapped));
  ASSERT(40, sizeof(int[10]));
  ASSERT(60, sizeof(int[3][5]));
  ASSERT(20, sizeof(int[3][5][0] ) + 20);
  ASSERT(1, _Alignof(char));
  ASSERT(2, _Alignof(short));
  ASSERT(4, _Alignof(int));
  ASSERT(8, _Alignof(long));
  ASSERT(8, _Alignof(struct s1));
  ASSERT(4, _Alignof(union u1));
  ASSERT(4, _Alignof(struct with_arr));
  ASSERT(8, _Alignof(char *));
  ASSERT(0, offsetof(struct s1, a));
  ASSERT(8, offsetof(struct s1, b));
  ASSERT(16, offsetof(struct s1, c));
  ASSERT(48, offsetof(struct s2, tail));
  ASSERT(32, offsetof(struct s2, inner[1].b));
  ASSERT(4, offsetof(struct with_arr, items));
  ASSERT(32, offsetof(struct with_arr, items[3].v));
  ASSERT(24, offsetof(wrapped, s.c));
  // sizeof of expressions does not evaluate them.
  int x = 1;
  ASSERT(4, sizeof(x++));
  ASSERT(1, x);
  ASSERT(8, sizeof(x + 1L));
  ASSERT(4, sizeof x);
  ASSERT(8, sizeof &x);
  int arr[7];
  ASSERT(28, sizeof arr);
  ASSERT(4, sizeof arr[0]);
  ASSERT(7, sizeof arr / sizeof *arr);
  ASSERT(8, sizeof(arr + 0));
  ASSERT(8, sizeof(&arr));
  struct s1 v;
  ASSERT(2, sizeof v.c);
  ASSERT(24, sizeof(v));
  struct s1 *pv = &v;
  ASSERT(24, sizeof *pv);
  ASSERT(8, sizeof pv->b);
  ASSERT(1, sizeof(char) * 1 == sizeof(unsigned char));
  ASSERT(4, sizeof('x'));
  ASSERT(4, sizeof(1 == 2));
  ASSERT(4, sizeof(!x));
  ASSERT(8, sizeof(sizeof(int)));
  ASSERT(8, sizeof(&arr[0] - &arr[1]));
  char c = 0;
  ASSERT(4, sizeof(c + c));
  ASSERT(1, sizeof(c = 5));
  ASSERT(0, c);
  ASSERT(4, sizeof(x ? c : x));
  ASSERT(8, sizeof(x ? 1 : 2L));
  // sizeof a compound literal and a string.
  ASSERT(12, sizeof((int[]){1, 2, 3}));
  ASSERT(4, sizeof("abc"));
  // The result is an unsigned long.
  ASSERT(1, sizeof(int) - 5 > 0);
  ASSERT(1, -1 > sizeof(int) ? 1 : 0);
  // offsetof as a run-time value and in arithmetic.
  struct s1 *base = (struct s1 *)((char *)&v.c - offsetof(struct s1, c));
  ASSERT(1, base == &v);
  // Alignment of locals.
  long l;
  ASSERT(0, (unsigned long)&l % 8);
  short sh;
  ASSERT(0, (unsigned long)&sh % 2);
  return DONE();
}
