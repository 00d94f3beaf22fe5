// Compound literals: scalars, arrays, structs; lvalues; at file scope (static); in loops.
#include "test.h"

struct point { int x, y; };
static struct point *origin = &(struct point){0, 0};
static int *file_arr = (int[]){10, 20, 30};

static int sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}
static int norm1(struct point *p) { return (p->x < 0 ? -p->x : p->x) + (p->y < 0 ? -p->y : p->y); }
static int dist(struct point *p) { return p->x * p->x + p->y * p->y; }

int main(void) {
  ASSERT(6, (sum((int[]){1, 2, 3}, 3)));
  ASSERT(25, (dist(&(struct point){3, 4})));
  ASSERT(7, ((struct point){7, 8}).x);
  ASSERT(8, ((struct point){7, 8}.y));
  ASSERT(3, ((int[]){1, 2, 3}[2]));
  ASSERT(12, (sizeof((int[]){1, 2, 3})));
  ASSERT(5, (int){5});
  int *p = (int[4]){[2] = 9};
  ASSERT(9, p[2]);
  ASSERT(0, p[3]);
  p[3] = 4;
  ASSERT(4, p[3]);
  struct point *pp = &(struct point){.y = 2};
  pp->x = 1;
  ASSERT(1, pp->x);
  ASSERT(2, pp->y);
  ASSERT(0, origin->x);
  origin->y = 5;
  ASSERT(5, origin->y);
  ASSERT(60, sum(file_arr, 3));
  file_arr[0] = 0;
  ASSERT(50, sum(file_arr, 3));
  struct point q;
  q = (struct point){9, 10};
  ASSERT(10, q.y);
  int base = 3;
  struct point dyn = (struct point){base, base * 2};
  ASSERT(6, dyn.y);
  // A compound literal in a loop body is re-initialized on every pass.
  int total = 0;
  for (int i = 0; i < 3; i++) {
    int *c = (int[2]){i};
    total += c[0] + c[1];
    c[1] = 100;
  }
  ASSERT(3, total);
  const char *strs = (const char[]){"abc"};
  ASSERT('c', strs[2]);
  ASSERT(7, (norm1(&(struct point){-3, 4})));
  char *chars = (char[]){'h', 'i', 0};
  ASSERT('i', chars[1]);
  struct point arr[] = {(struct point){1, 2}, (struct point){3, 4}};
  ASSERT(4, arr[1].y);
  ASSERT(6, ((struct point[]){{1, 2}, {3, 4}, {5, 6}})[2].y);
  long *lp = (long[]){1L << 40, -1};
  ASSERT(1L << 40, lp[0]);
  ASSERT(-1, lp[1]);
  return DONE();
}
