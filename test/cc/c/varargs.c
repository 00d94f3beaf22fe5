// Variadic functions with stdarg: va_start, va_arg of several types, va_copy,
// more variadic arguments than registers, passing a va_list on.
#include "test.h"

static long sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long s = 0;
  for (int i = 0; i < n; i++) s += va_arg(ap, int);
  va_end(ap);
  return s;
}
static long sum_long(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long s = 0;
  while (n--) s += va_arg(ap, long);
  va_end(ap);
  return s;
}
static long vsum(int n, va_list ap) {
  long s = 0;
  while (n--) s += va_arg(ap, int);
  return s;
}
static long sum_via(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long s = vsum(n, ap);
  va_end(ap);
  return s;
}
static long twice(int n, ...) {
  va_list ap, copy;
  va_start(ap, n);
  va_copy(copy, ap);
  long s = 0;
  for (int i = 0; i < n; i++) s += va_arg(ap, int);
  for (int i = 0; i < n; i++) s += 10 * va_arg(copy, int);
  va_end(copy);
  va_end(ap);
  return s;
}
static int format(char *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *o = out;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      *o++ = *f;
      continue;
    }
    f++;
    if (*f == 'd') {
      int v = va_arg(ap, int);
      char tmp[12];
      int n = 0;
      unsigned u = v < 0 ? -(unsigned)v : (unsigned)v;
      do tmp[n++] = '0' + u % 10; while (u /= 10);
      if (v < 0) *o++ = '-';
      while (n) *o++ = tmp[--n];
    } else if (*f == 's') {
      const char *s = va_arg(ap, const char *);
      while (*s) *o++ = *s++;
    } else if (*f == 'c') {
      *o++ = (char)va_arg(ap, int);
    } else if (*f == 'x') {
      unsigned long v = va_arg(ap, unsigned long);
      int shift = 60;
      while (shift > 0 && !((v >> shift) & 15)) shift -= 4;
      for (; shift >= 0; shift -= 4) *o++ = "0123456789abcdef"[(v >> shift) & 15];
    }
  }
  *o = 0;
  va_end(ap);
  return o - out;
}
static int streq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
static long many_fixed(int a, int b, int c, int d, int e, int f, int g, ...) {
  va_list ap;
  va_start(ap, g);
  long s = a + b + c + d + e + f + g;
  int n;
  while ((n = va_arg(ap, int)) != 0) s = s * 10 + n;
  va_end(ap);
  return s;
}
static unsigned long pointers(int n, ...) {
  va_list ap;
  va_start(ap, n);
  unsigned long s = 0;
  for (int i = 0; i < n; i++) s += *va_arg(ap, int *);
  va_end(ap);
  return s;
}
static long narrow(int n, ...) {
  va_list ap;
  va_start(ap, n);
  // char, short and unsigned char arguments arrive promoted to int.
  long a = (signed char)va_arg(ap, int);
  long b = (short)va_arg(ap, int);
  long c = (unsigned char)va_arg(ap, int);
  unsigned u = va_arg(ap, unsigned);
  va_end(ap);
  return a * 1000000 + b * 1000 + c + u * 0;
}
struct holder { va_list ap; };
static int from_struct(int n, ...) {
  struct holder h;
  va_start(h.ap, n);
  int s = 0;
  while (n--) s += va_arg(h.ap, int);
  va_end(h.ap);
  return s;
}

int main(void) {
  ASSERT(0, sum(0));
  ASSERT(6, sum(3, 1, 2, 3));
  ASSERT(55, sum(10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  ASSERT(-15, sum(5, -1, -2, -3, -4, -5));
  ASSERT(3000000000000L + 21, sum_long(7, 1000000000000L, 1000000000000L, 1000000000000L, 1L, 5L, 7L, 8L));
  ASSERT(45, sum_via(9, 1, 2, 3, 4, 5, 6, 7, 8, 9));
  ASSERT(66, twice(3, 1, 2, 3));
  ASSERT(231, twice(6, 1, 2, 3, 4, 5, 6));
  char buf[100];
  int n = format(buf, "x=%d s=%s c=%c h=%x", -42, "str", 'Q', 0xbeefUL);
  ASSERT(1, streq(buf, "x=-42 s=str c=Q h=beef"));
  ASSERT(22, n);
  format(buf, "%d%d%d%d%d%d%d%d", 1, 2, 3, 4, 5, 6, 7, 8);
  ASSERT(1, streq(buf, "12345678"));
  ASSERT(28 * 1000 + 123, many_fixed(1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 0));
  int a = 5, b = 6, c = 7;
  ASSERT(18, pointers(3, &a, &b, &c));
  char ch = -3;
  short sh = -300;
  unsigned char uc = 250;
  ASSERT(-3000000 - 300000 + 250, narrow(4, ch, sh, uc, 1u));
  ASSERT(10, from_struct(4, 1, 2, 3, 4));
  ASSERT(24, sizeof(va_list));
  return DONE();
}
