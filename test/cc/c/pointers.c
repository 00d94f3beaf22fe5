// Pointers: arithmetic, differences, comparisons, pointers to pointers, void *.
#include "test.h"

static void swap(int *a, int *b) {
  int t = *a;
  *a = *b;
  *b = t;
}
static int sum(const int *p, int n) {
  int s = 0;
  while (n--) s += *p++;
  return s;
}
static char *find(char *s, char c) {
  for (; *s; s++)
    if (*s == c) return s;
  return NULL;
}
static void set_ptr(int **pp, int *target) { *pp = target; }

struct point { int x, y; };

int main(void) {
  int x = 3, y = 5;
  int *p = &x;
  ASSERT(3, *p);
  *p = 7;
  ASSERT(7, x);
  swap(&x, &y);
  ASSERT(5, x);
  ASSERT(7, y);
  int **pp = &p;
  ASSERT(5, **pp);
  set_ptr(pp, &y);
  ASSERT(7, *p);
  **pp = 9;
  ASSERT(9, y);

  int a[10];
  for (int i = 0; i < 10; i++) a[i] = i * i;
  int *q = a;
  ASSERT(0, *q);
  ASSERT(4, *(q + 2));
  ASSERT(9, q[3]);
  ASSERT(9, 3[q]);
  ASSERT(16, *(4 + q));
  q += 5;
  ASSERT(25, *q);
  ASSERT(16, q[-1]);
  ASSERT(16, *(q - 1));
  q -= 2;
  ASSERT(9, *q);
  ASSERT(3, q - a);
  ASSERT(-3, a - q);
  ASSERT(10, &a[10] - &a[0]);
  ASSERT(1, q > a);
  ASSERT(1, q >= a + 3);
  ASSERT(0, q < a);
  ASSERT(1, q <= &a[3]);
  ASSERT(1, q == &a[3]);
  ASSERT(1, q != a);
  ASSERT(285, sum(a, 10));
  ASSERT(8, sizeof(q - a));
  ASSERT(8, sizeof(p));
  ASSERT(8, sizeof(pp));
  ASSERT(40, sizeof(a));

  long la[4] = {10, 20, 30, 40};
  long *lp = &la[3];
  ASSERT(40, *lp);
  ASSERT(3, lp - la);
  ASSERT(24, (char *)lp - (char *)la);
  lp--;
  ASSERT(30, *lp);

  struct point pts[3] = {{1, 2}, {3, 4}, {5, 6}};
  struct point *pt = pts;
  ASSERT(1, pt->x);
  pt++;
  ASSERT(4, pt->y);
  ASSERT(6, (pt + 1)->y);
  ASSERT(1, pt - pts);
  ASSERT(8, (char *)pt - (char *)pts);
  ASSERT(5, pts[2].x);
  ASSERT(3, (*pt).x);

  char s[] = "hello, world";
  char *c = find(s, 'w');
  ASSERT(7, c - s);
  ASSERT('o', c[1]);
  ASSERT(0, find(s, 'z') != NULL);
  *c = 'W';
  ASSERT('W', s[7]);

  void *v = a;
  ASSERT(4, *((int *)v + 2));
  v = (char *)v + 4;
  ASSERT(1, *(int *)v);
  ASSERT(1, v == (void *)&a[1]);

  // Pointer to array and array of pointers.
  int (*pa)[10] = &a;
  ASSERT(49, (*pa)[7]);
  ASSERT(40, sizeof(*pa));
  int *ap[3] = {&x, &y, &a[2]};
  ASSERT(5, *ap[0]);
  ASSERT(4, *ap[2]);
  ASSERT(9, **(ap + 1));

  // Null pointers.
  int *np = 0;
  ASSERT(1, np == NULL);
  ASSERT(1, !np);
  ASSERT(0, np != 0);
  np = &x;
  ASSERT(1, np && *np == 5);

  // const pointers.
  const int ci = 42;
  const int *cp = &ci;
  ASSERT(42, *cp);
  int *const pc = &x;
  *pc = 11;
  ASSERT(11, x);

  // Pointer increments and decrements in expressions.
  int arr[5] = {1, 2, 3, 4, 5};
  int *it = arr;
  ASSERT(1, *it++);
  ASSERT(2, *it);
  ASSERT(3, *++it);
  ASSERT(3, *it--);
  ASSERT(2, *it);
  ASSERT(4, ++*it + 1);
  ASSERT(3, arr[1]);
  (*it)++;
  ASSERT(4, arr[1]);
  // Pointer comparison across a loop.
  int n = 0;
  for (int *e = arr + 5, *b = arr; b < e; b++) n++;
  ASSERT(5, n);
  // Large element sizes and negative indices.
  struct big { char buf[100]; } bigs[4];
  struct big *bp = &bigs[3];
  ASSERT(3, bp - bigs);
  ASSERT(300, (char *)bp - (char *)bigs);
  ASSERT(1, bp - 2 == &bigs[1]);
  long idx = -2;
  ASSERT(1, &bp[idx] == &bigs[1]);
  ASSERT(1, bp + idx == bigs + 1);
  unsigned char bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  unsigned char *bptr = bytes + 7;
  int back = 0;
  while (bptr >= bytes + 1) back += *bptr--;
  ASSERT(35, back);
  return DONE();
}
