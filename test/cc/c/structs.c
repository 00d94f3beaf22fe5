// Structs: layout (as gcc), nesting, assignment, pointers to members, arrays of structs.
#include "test.h"

struct a { char c; int i; };
struct b { char c; long l; char d; };
struct c { char x, y, z; };
struct d { short s; char c; };
struct e { int i; char c[5]; };
struct f { long l; struct c inner; int tail; };
struct node { int value; struct node *next; };
struct flex { int n; int data[]; };
struct empty_tail { char c; long arr[0]; };
struct list { struct node *head; int count; };

static int list_sum(struct node *n) {
  int s = 0;
  for (; n; n = n->next) s += n->value;
  return s;
}
static void bump(struct a *p) { p->i++; p->c += 2; }

struct outer {
  int tag;
  struct inner { int x, y; } in;
  struct inner arr[2];
};

int main(void) {
  ASSERT(8, sizeof(struct a));
  ASSERT(4, offsetof(struct a, i));
  ASSERT(24, sizeof(struct b));
  ASSERT(8, offsetof(struct b, l));
  ASSERT(16, offsetof(struct b, d));
  ASSERT(3, sizeof(struct c));
  ASSERT(1, _Alignof(struct c));
  ASSERT(4, sizeof(struct d));
  ASSERT(2, _Alignof(struct d));
  ASSERT(12, sizeof(struct e));
  ASSERT(16, sizeof(struct f));
  ASSERT(8, offsetof(struct f, inner));
  ASSERT(12, offsetof(struct f, tail));
  ASSERT(4, sizeof(struct flex));
  ASSERT(4, offsetof(struct flex, data));
  ASSERT(8, sizeof(struct empty_tail));
  ASSERT(8, offsetof(struct empty_tail, arr));
  ASSERT(16, sizeof(struct node));
  ASSERT(28, sizeof(struct outer));
  ASSERT(4, offsetof(struct outer, in));
  ASSERT(8, offsetof(struct outer, in.y));
  ASSERT(12, offsetof(struct outer, arr));
  ASSERT(24, offsetof(struct outer, arr[1].y));

  struct a s1 = {'x', 10};
  ASSERT('x', s1.c);
  ASSERT(10, s1.i);
  bump(&s1);
  ASSERT('z', s1.c);
  ASSERT(11, s1.i);
  struct a s2;
  s2 = s1;
  ASSERT(11, s2.i);
  s2.i = 99;
  ASSERT(11, s1.i);
  ASSERT(99, s2.i);
  struct a *ps = &s2;
  ps->c = 'q';
  ASSERT('q', s2.c);
  ASSERT(99, (*ps).i);
  int *pi = &ps->i;
  *pi = 5;
  ASSERT(5, s2.i);

  struct node n3 = {3, NULL};
  struct node n2 = {2, &n3};
  struct node n1 = {1, &n2};
  ASSERT(6, list_sum(&n1));
  ASSERT(3, n1.next->next->value);
  n1.next->next->value = 30;
  ASSERT(33, list_sum(&n1));
  struct list l = {&n1, 3};
  ASSERT(30, l.head->next->next->value);

  struct outer o = {1, {2, 3}, {{4, 5}, {6, 7}}};
  ASSERT(3, o.in.y);
  ASSERT(6, o.arr[1].x);
  struct inner in2 = o.arr[0];
  ASSERT(5, in2.y);
  o.arr[1] = o.in;
  ASSERT(2, o.arr[1].x);
  ASSERT(3, o.arr[1].y);
  struct outer o2 = o;
  ASSERT(3, o2.arr[1].y);
  o2.in.x = 100;
  ASSERT(2, o.in.x);

  struct b arr[4];
  for (int i = 0; i < 4; i++) {
    arr[i].c = i;
    arr[i].l = i * 1000000000000L;
    arr[i].d = -i;
  }
  ASSERT(3000000000000L, arr[3].l);
  ASSERT(-2, arr[2].d);
  ASSERT(96, sizeof(arr));
  struct b *bp = arr + 1;
  ASSERT(1000000000000L, bp->l);
  ASSERT(2, (bp + 1)->c);

  // A flexible array member over a larger buffer.
  long storage[8];
  struct flex *fx = (struct flex *)storage;
  fx->n = 3;
  for (int i = 0; i < 3; i++) fx->data[i] = i * 7;
  ASSERT(14, fx->data[2]);
  ASSERT(7, ((int *)storage)[2]);

  // Struct with array member: assignment copies the array.
  struct e e1 = {1, "abcd"};
  struct e e2 = e1;
  e1.c[0] = 'z';
  ASSERT('a', e2.c[0]);
  ASSERT('d', e2.c[3]);
  ASSERT(0, e2.c[4]);
  // Chained assignment of structs.
  struct c c1 = {1, 2, 3}, c2, c3;
  c3 = c2 = c1;
  ASSERT(3, c3.z);
  ASSERT(2, c2.y);
  // Struct in a conditional.
  struct c c4 = {7, 8, 9};
  struct c c5 = (c1.x == 1) ? c4 : c1;
  ASSERT(9, c5.z);
  // Member of a struct returned via a pointer expression.
  struct a *arrp[2] = {&s1, &s2};
  ASSERT(5, arrp[1]->i);
  ASSERT(11, (*arrp)->i);
  // Volatile and const members.
  struct cv { const int k; volatile int v; } cv = {1, 2};
  cv.v = 3;
  ASSERT(4, cv.k + cv.v);
  // Large copies (a loop in our code) with an odd tail, as a trap frame plus change.
  struct frame { long regs[24]; char tail[3]; } f1, f2;
  for (int i = 0; i < 24; i++) f1.regs[i] = i * 1000003L;
  f1.tail[0] = 'x';
  f1.tail[2] = 'z';
  f2 = f1;
  ASSERT(23 * 1000003L, f2.regs[23]);
  ASSERT(0, f2.regs[0]);
  ASSERT('z', f2.tail[2]);
  struct frame *fp = &f2;
  struct frame f3 = *fp;
  ASSERT(5000015, f3.regs[5]);
  ASSERT(200, sizeof(struct frame));
  // Local struct types shadowing.
  {
    struct a { long big[3]; };
    ASSERT(24, sizeof(struct a));
  }
  ASSERT(8, sizeof(struct a));
  return DONE();
}
