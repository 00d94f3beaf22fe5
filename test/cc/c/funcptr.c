// Function pointers: tables, callbacks, returning function pointers, comparisons.
#include "test.h"

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static long square(long x) { return x * x; }
static void bump(int *p) { (*p)++; }

static int (*pick(char op))(int, int) {
  switch (op) {
  case '+': return add;
  case '-': return sub;
  default: return mul;
  }
}

static void apply_all(void (*f)(int *), int *arr, int n) {
  for (int i = 0; i < n; i++) f(&arr[i]);
}

static int fold(int (*f)(int, int), const int *v, int n, int init) {
  for (int i = 0; i < n; i++) init = f(init, v[i]);
  return init;
}

struct ops {
  const char *name;
  int (*fn)(int, int);
};

static struct ops table[] = {{"add", add}, {"sub", sub}, {"mul", mul}};
static int (*global_fp)(int, int) = sub;

typedef long (*unary)(long);
static unary compose_target = square;
static long twice_apply(unary f, long x) { return f(f(x)); }

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static void sort(void *base, int n, int size, int (*cmp)(const void *, const void *)) {
  char *b = base;
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
      for (int k = 0; k < size; k++) {
        char t = b[(j - 1) * size + k];
        b[(j - 1) * size + k] = b[j * size + k];
        b[j * size + k] = t;
      }
}

int main(void) {
  int (*f)(int, int) = add;
  ASSERT(5, f(2, 3));
  ASSERT(5, (*f)(2, 3));
  ASSERT(5, (**f)(2, 3));
  f = &sub;
  ASSERT(-1, f(2, 3));
  ASSERT(6, pick('*')(2, 3));
  ASSERT(5, pick('+')(2, 3));
  ASSERT(-1, pick('-')(2, 3));
  int arr[3] = {1, 2, 3};
  apply_all(bump, arr, 3);
  ASSERT(4, arr[2]);
  int v[4] = {1, 2, 3, 4};
  ASSERT(10, fold(add, v, 4, 0));
  ASSERT(24, fold(mul, v, 4, 1));
  ASSERT(-10, fold(sub, v, 4, 0));
  int total = 0;
  for (int i = 0; i < 3; i++) total += table[i].fn(6, 3);
  ASSERT(30, total);
  ASSERT('m', table[2].name[0]);
  ASSERT(4, global_fp(7, 3));
  global_fp = mul;
  ASSERT(21, global_fp(7, 3));
  ASSERT(81, twice_apply(compose_target, 3));
  ASSERT(1, f == sub);
  ASSERT(0, f == add);
  ASSERT(1, f != NULL);
  int (*nullfp)(int, int) = 0;
  ASSERT(1, nullfp == NULL);
  ASSERT(1, !nullfp);
  int nums[6] = {5, -2, 9, 0, 3, 3};
  sort(nums, 6, sizeof(int), cmp_int);
  ASSERT(-2, nums[0]);
  ASSERT(0, nums[1]);
  ASSERT(3, nums[2]);
  ASSERT(9, nums[5]);
  void (*vp)(int *) = bump;
  int x = 0;
  vp(&x);
  (*vp)(&x);
  ASSERT(2, x);
  // Array of function pointers and indexing calls.
  int (*arrf[3])(int, int) = {add, sub, mul};
  ASSERT(12, arrf[2](3, 4));
  ASSERT(1, arrf[0] == add);
  // Function pointers through void * and back.
  long (*sq)(long) = square;
  unsigned long raw = (unsigned long)sq;
  long (*back)(long) = (long (*)(long))raw;
  ASSERT(49, back(7));
  ASSERT(8, sizeof(sq));
  return DONE();
}
