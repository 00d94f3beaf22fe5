// GNU and C11 odds and ends kernels use: builtins, _Generic, attributes,
// unprototyped declarations, binary constants, empty structs, zero-length
// arrays, register and volatile, _Noreturn, conditional-operator types.
#include "test.h"

int old_style();
int old_style(int a, int b) { return a * 10 + b; }
static int promoted();
static int promoted(int c) { return c; }
static int unused_param(int a, int b __attribute__((unused))) { return a; }
static __attribute__((noinline)) int plain(int x) { return x + 1; }
static inline int inlined(int x) { return x * 2; }
__attribute__((noreturn)) static void never(void) {
  for (;;) {}
}
static _Noreturn void never2(void) {
  for (;;) {}
}
struct empty {};
struct with_zero { int n; int items[0]; };
static volatile int vcounter;

#define TYPE_NAME(x) _Generic((x), int: 1, long: 2, char: 3, unsigned: 4, char *: 5, default: 0)

int main(void) {
  ASSERT(12, old_style(1, 2));
  char c = 'A';
  ASSERT(65, promoted(c));
  ASSERT(7, unused_param(7, 8));
  ASSERT(4, plain(3));
  ASSERT(6, inlined(3));
  if (vcounter) never();
  if (vcounter) never2();
  ASSERT(5, 0b101);
  ASSERT(255, 0B11111111);
  ASSERT(0x1f, 0x1F);
  ASSERT(8, 010);
  ASSERT(0, sizeof(struct empty));
  ASSERT(4, sizeof(struct with_zero));
  ASSERT(1, TYPE_NAME(1));
  ASSERT(2, TYPE_NAME(1L));
  ASSERT(3, TYPE_NAME(c));
  ASSERT(4, TYPE_NAME(1u));
  ASSERT(5, TYPE_NAME((char *)0));
  ASSERT(0, TYPE_NAME((short)1));
  ASSERT(1, __builtin_expect(1, 0));
  ASSERT(5, __builtin_expect(vcounter + 5, 5));
  ASSERT(1, __builtin_constant_p(3 * 4));
  ASSERT(0, __builtin_constant_p(vcounter));
  ASSERT(1, __builtin_types_compatible_p(int, int));
  ASSERT(0, __builtin_types_compatible_p(int, long));
  ASSERT(1, __builtin_types_compatible_p(unsigned, unsigned int));
  ASSERT(1, __builtin_types_compatible_p(const int, int));
  register int r = 5;
  r += 2;
  ASSERT(7, r);
  for (int i = 0; i < 10; i++) vcounter++;
  ASSERT(10, vcounter);
  volatile unsigned char vb = 250;
  vb += 10;
  ASSERT(4, vb);
  // Conditional operator result types.
  int x = 1;
  ASSERT(8, sizeof(x ? 1 : 1L));
  ASSERT(4, sizeof(x ? 'a' : 'b'));
  ASSERT(4, sizeof(x ? (char)1 : (char)2));
  ASSERT(8, sizeof(x ? (int *)0 : 0));
  void *vp = &x;
  int *ip = x ? vp : &x;
  ASSERT(1, *ip);
  const char *msg = x ? "yes" : (const char *)0;
  ASSERT('y', *msg);
  // A conditional between void * and int * is a void *; a null constant takes the other side's type.
  ASSERT(1, __builtin_types_compatible_p(typeof(x ? vp : &x), void *));
  ASSERT(1, __builtin_types_compatible_p(typeof(x ? (void *)0 : &x), int *));
  ASSERT(1, __builtin_types_compatible_p(typeof(x ? &x : 0), int *));
  ASSERT(1, __builtin_types_compatible_p(typeof(x ? (const int *)&x : &x), const int *));
  long mixed = x ? -1 : 0u;
  ASSERT(4294967295LL, mixed);
  // __extension__ and alternate keyword spellings.
  __extension__ long long ext = 1LL << 40;
  ASSERT(1LL << 40, ext);
  __typeof__(ext) ext2 = 2;
  ASSERT(8, sizeof(ext2));
  __signed__ char sc = -1;
  ASSERT(-1, sc);
  const volatile int cv = 3;
  ASSERT(3, cv);
  int *__restrict rp = &x;
  ASSERT(1, *rp);
  // Casting between function pointer types and back.
  int (*fp)(int) = plain;
  long (*lfp)(void) = (long (*)(void))fp;
  int (*back)(int) = (int (*)(int))lfp;
  ASSERT(10, back(9));
  // Labels followed by declarations (C2x, accepted by gcc).
  goto later;
later:;
  int after_label = 4;
  ASSERT(4, after_label);
  // Zero-length array member used as a flexible array.
  long buffer[4] = {3, 0, 0, 0};
  struct with_zero *wz = (struct with_zero *)buffer;
  wz->items[1] = 42;
  ASSERT(42, ((int *)buffer)[2]);
  return DONE();
}
