// The harness every conformance program includes. It works both under our
// compiler (__WEENSYSCOPE__: output goes byte by byte to the host stdout
// port 0xE9) and under gcc (putchar), so the two builds print the same text.
// ASSERT(expected, expr) compares two long long values, prints
// "line N: expected X, got Y" on a mismatch and counts; DONE() prints the
// summary line and gives main's result (the number of failures).

#ifndef TEST_H
#define TEST_H

#ifdef __WEENSYSCOPE__
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(d, s) __builtin_va_copy(d, s)
static void test_putc(int c) { __builtin_ws_outb(0xe9, c); }
#else
#include <stdarg.h>
int putchar(int c);
static void test_putc(int c) { putchar(c); }
#endif

typedef unsigned long size_t;
#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

static int test_failures;
static int test_count;

static void *test_memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

static void test_puts(const char *s) {
  while (*s) test_putc(*s++);
}

/** Prints a signed 64-bit integer in decimal (no printf on either side). */
static void test_putint(long long v) {
  char buf[24];
  int n = 0;
  unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
  do {
    buf[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) test_putc('-');
  while (n) test_putc(buf[--n]);
}

static void test_puthex(unsigned long long v) {
  int shift = 60;
  test_puts("0x");
  while (shift > 0 && ((v >> shift) & 15) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) test_putc("0123456789abcdef"[(v >> shift) & 15]);
}

static void test_check(int line, long long expected, long long actual, const char *text) {
  test_count++;
  if (expected == actual) return;
  test_failures++;
  test_puts("line ");
  test_putint(line);
  test_puts(": expected ");
  test_putint(expected);
  test_puts(", got ");
  test_putint(actual);
  test_puts(" (");
  test_puts(text);
  test_puts(")\n");
}

#define ASSERT(expected, expr) test_check(__LINE__, (long long)(expected), (long long)(expr), #expr)

/** Prints a labelled value: the differential run compares these lines too. */
#define SHOW(expr) (test_puts(#expr " = "), test_putint((long long)(expr)), test_putc('\n'))

static int test_done(const char *path) {
  const char *name = path;
  for (const char *s = path; *s; s++)
    if (*s == '/') name = s + 1;
  test_puts(name);
  test_puts(": ");
  test_putint(test_count);
  test_puts(" checks, ");
  test_putint(test_failures);
  test_puts(" failed\n");
  return test_failures;
}

#define DONE() test_done(__FILE__)

#endif
