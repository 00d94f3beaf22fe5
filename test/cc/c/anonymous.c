// Anonymous struct and union members (C11 6.7.2.1p13), nested structs and unions.
#include "test.h"

struct vec {
  union {
    struct { int x, y, z; };
    int v[3];
  };
  int w;
};

struct reg {
  union {
    unsigned long value;
    struct {
      unsigned long lo : 32;
      unsigned long hi : 32;
    };
    struct { unsigned char b0, b1, b2, b3; };
  };
};

struct outer {
  int a;
  struct {
    int b;
    union { int c; char d; };
  };
  struct named { int e; } n;
};

int main(void) {
  ASSERT(16, sizeof(struct vec));
  ASSERT(4, offsetof(struct vec, y));
  ASSERT(8, offsetof(struct vec, z));
  ASSERT(12, offsetof(struct vec, w));
  struct vec v = {{{1, 2, 3}}, 4};
  ASSERT(1, v.x);
  ASSERT(2, v.v[1]);
  ASSERT(3, v.z);
  ASSERT(4, v.w);
  v.v[2] = 30;
  ASSERT(30, v.z);
  v.y = 20;
  ASSERT(20, v.v[1]);
  struct vec v2 = {.y = 7, .w = 9};
  ASSERT(0, v2.x);
  ASSERT(7, v2.y);
  ASSERT(9, v2.w);
  struct vec *pv = &v2;
  pv->z = 11;
  ASSERT(11, pv->v[2]);

  ASSERT(8, sizeof(struct reg));
  struct reg r;
  r.value = 0x1122334455667788UL;
  ASSERT(0x55667788, r.lo);
  ASSERT(0x11223344, r.hi);
  ASSERT(0x88, r.b0);
  ASSERT(0x55, r.b3);
  r.hi = 0xffffffff;
  ASSERT(1, r.value == 0xffffffff55667788UL);
  r.b1 = 0;
  ASSERT(1, r.value == 0xffffffff55660088UL);

  ASSERT(16, sizeof(struct outer));
  ASSERT(4, offsetof(struct outer, b));
  ASSERT(8, offsetof(struct outer, c));
  ASSERT(8, offsetof(struct outer, d));
  ASSERT(12, offsetof(struct outer, n.e));
  struct outer o = {1, {2, {3}}, {4}};
  ASSERT(1, o.a);
  ASSERT(2, o.b);
  ASSERT(3, o.c);
  ASSERT(3, o.d);
  ASSERT(4, o.n.e);
  o.d = 'A';
  ASSERT(65, o.c & 0xff);
  struct outer o2 = {.c = 9, .n = {5}, .b = 8};
  ASSERT(0, o2.a);
  ASSERT(8, o2.b);
  ASSERT(9, o2.c);
  ASSERT(5, o2.n.e);
  // Nested named struct declared inside another is visible at file scope in C.
  struct named nn = {77};
  ASSERT(77, nn.e);
  // Anonymous members through pointers.
  struct outer *po = &o2;
  po->c += 1;
  ASSERT(10, o2.c);
  return DONE();
}
