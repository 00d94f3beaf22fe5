// ++ and -- on every integer width, on pointers of several element sizes,
// on bit-fields, and through pointers, in prefix and postfix forms.
#include "test.h"

struct s { char c; long l; };
struct bf { unsigned a : 2; int b : 3; };

int main(void) {
  char c = 127;
  ASSERT(127, c++);
  ASSERT(-128, c);
  ASSERT(-127, ++c);
  c = -128;
  ASSERT(127, --c);
  unsigned char uc = 255;
  ASSERT(0, ++uc);
  ASSERT(0, uc--);
  ASSERT(255, uc);
  short s = 32767;
  s++;
  ASSERT(-32768, s);
  s--;
  ASSERT(32767, s);
  unsigned short us = 0;
  us--;
  ASSERT(65535, us);
  int i = 2147483647 - 1;
  ASSERT(2147483647, ++i);
  unsigned u = 0xffffffffu;
  ASSERT(0, ++u);
  ASSERT(0, u--);
  ASSERT(4294967295LL, u);
  long l = -1;
  ASSERT(0, ++l);
  ASSERT(0, l--);
  ASSERT(-1, l);
  unsigned long ul = 0xffffffffUL;
  ul++;
  ASSERT(0x100000000L, ul);
  long long ll = 0;
  ll--;
  ASSERT(-1, ll);

  int arr[4] = {10, 20, 30, 40};
  int *p = arr;
  ASSERT(10, *p++);
  ASSERT(20, *p);
  ASSERT(30, *++p);
  ASSERT(30, *p--);
  ASSERT(20, *p);
  ASSERT(10, *--p);
  ASSERT(1, p == arr);
  p++;
  ++*p;
  ASSERT(21, arr[1]);
  (*p)++;
  ASSERT(22, arr[1]);
  ASSERT(22, (*p)--);
  ASSERT(21, arr[1]);
  struct s ss[3], *sp = ss;
  sp++;
  ASSERT(16, (char *)sp - (char *)ss);
  ++sp;
  ASSERT(2, sp - ss);
  sp--;
  ASSERT(1, sp - ss);
  long la[2];
  long *lp = &la[1];
  lp--;
  ASSERT(1, lp == la);
  char buf[4];
  char *cp = buf + 3;
  cp--;
  ASSERT(2, cp - buf);
  void *vp = buf;
  vp++;
  ASSERT(1, (char *)vp - buf);
  int (*rows)[3] = 0;
  rows++;
  ASSERT(12, (long)rows);
  int **pp = 0;
  pp++;
  ASSERT(8, (long)pp);

  struct bf b = {3, 3};
  b.a++;
  ASSERT(0, b.a);
  b.a--;
  ASSERT(3, b.a);
  ASSERT(3, b.a++);
  ASSERT(0, b.a);
  ASSERT(3, b.b);
  b.b++;
  ASSERT(-4, b.b);
  ASSERT(-4, b.b--);
  ASSERT(3, b.b);
  ASSERT(-4, ++b.b);
  ASSERT(3, --b.b);
  struct bf *pb = &b;
  pb->a += 2;
  ASSERT(2, pb->a++);
  ASSERT(0, ++pb->a);

  // Increment through array elements with side-effect-free index.
  int counts[5] = {0};
  const char *text = "31413";
  for (const char *t = text; *t; t++) counts[*t - '0']++;
  ASSERT(2, counts[1]);
  ASSERT(2, counts[3]);
  ASSERT(1, counts[4]);
  // Global and static counters.
  static int sc_count;
  for (int k = 0; k < 5; k++) sc_count++;
  ASSERT(5, sc_count);
  // Postfix value unaffected by later increments in the same full expression (sequenced by comma).
  int x = 5;
  int y = (x++, x++, x);
  ASSERT(7, y);
  return DONE();
}
