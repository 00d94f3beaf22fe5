// GNU statement expressions and typeof, as kernels use them in macros.
#include "test.h"

#define MAX(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define MIN(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define SWAP(x, y) do { typeof(x) _t = (x); (x) = (y); (y) = _t; } while (0)
#define ROUNDUP(a, n) ({ unsigned long __a = (unsigned long)(a); (typeof(a))(__a + (n) - 1 - (__a + (n) - 1) % (n)); })
#define ROUNDDOWN(a, n) ({ unsigned long __a = (unsigned long)(a); (typeof(a))(__a - __a % (n)); })
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int calls;
static int counted(int v) {
  calls++;
  return v;
}

struct pair { int a, b; };

int main(void) {
  ASSERT(3, ({ 1; 2; 3; }));
  ASSERT(10, ({ int x = 4; x + 6; }));
  int y = ({ int t = 5; t *= 2; t; });
  ASSERT(10, y);
  ASSERT(9, MAX(4, 9));
  ASSERT(-1, MIN(-1, 3));
  ASSERT(7, MAX(counted(7), counted(2)));
  ASSERT(2, calls);
  long big = MAX(1L << 40, 5);
  ASSERT(1L << 40, big);
  ASSERT(8, sizeof(MAX(1L, 2)));
  int a = 1, b = 2;
  SWAP(a, b);
  ASSERT(2, a);
  ASSERT(1, b);
  ASSERT(4096, ROUNDUP(1, 4096));
  ASSERT(8192, ROUNDUP(4097, 4096));
  ASSERT(4096, ROUNDUP(4096, 4096));
  ASSERT(4096, ROUNDDOWN(8191, 4096));
  ASSERT(0, ROUNDDOWN(4095, 4096));
  char *ptr = (char *)0x12345;
  ASSERT(0x13000, (unsigned long)ROUNDUP(ptr, 0x1000));
  ASSERT(0x12000, (unsigned long)ROUNDDOWN(ptr, 0x1000));
  int arr[17];
  ASSERT(17, ARRAY_SIZE(arr));
  // Statement expressions with loops and early values.
  int sum = ({
    int s = 0;
    for (int i = 1; i <= 10; i++) s += i;
    s;
  });
  ASSERT(55, sum);
  // Nested statement expressions.
  ASSERT(6, ({ int p = ({ int q = 2; q * 3; }); p; }));
  // A statement expression whose last statement is not an expression has type void; use it for effect.
  int side = 0;
  ({ side = 4; if (side) side++; });
  ASSERT(5, side);
  // The value of a struct statement expression.
  struct pair pr = ({ struct pair t = {1, 2}; t; });
  ASSERT(2, pr.b);
  // typeof on expressions and types.
  typeof(big) same = 3;
  ASSERT(8, sizeof(same));
  typeof(int *) ip = &a;
  ASSERT(2, *ip);
  typeof(arr) arr2;
  ASSERT(68, sizeof(arr2));
  __typeof__(pr) pr2 = pr;
  ASSERT(1, pr2.a);
  typeof(char) c = 200;
  ASSERT(-56, c);
  const typeof(a) ca = 9;
  ASSERT(9, ca);
  typeof(counted) *fp = counted;
  ASSERT(5, fp(5));
  // typeof does not evaluate its operand.
  int before = calls;
  typeof(counted(1)) unused = 0;
  ASSERT(before, calls);
  ASSERT(0, unused);
  // Statement expression in a condition.
  int n = 0;
  if (({ n++; n > 0; })) n += 10;
  ASSERT(11, n);
  // Bit-field assignment as the value of a statement expression.
  struct { unsigned f : 3; } bf = {0};
  ASSERT(5, ({ bf.f = 13; }));
  ASSERT(5, bf.f);
  return DONE();
}
