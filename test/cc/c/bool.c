// _Bool: conversion of any scalar gives 0 or 1.
#include "test.h"

typedef _Bool bool;
#define true 1
#define false 0

static bool is_even(int n) { return n % 2 == 0; }
static bool to_bool(long v) { return v; }
static int count_true(bool *b, int n) {
  int c = 0;
  for (int i = 0; i < n; i++) c += b[i];
  return c;
}

int main(void) {
  bool b = 5;
  ASSERT(1, b);
  b = 0;
  ASSERT(0, b);
  b = -1;
  ASSERT(1, b);
  b = 256;
  ASSERT(1, b);
  b = 0x100000000L;
  ASSERT(1, b);
  ASSERT(1, to_bool(0x100000000L));
  ASSERT(1, to_bool(-5));
  ASSERT(0, to_bool(0));
  int x = 3;
  b = &x;
  ASSERT(1, b);
  int *np = 0;
  b = np;
  ASSERT(0, b);
  ASSERT(1, sizeof(bool));
  ASSERT(1, _Alignof(bool));
  ASSERT(1, is_even(4));
  ASSERT(0, is_even(5));
  ASSERT(1, (bool)2);
  ASSERT(0, (bool)0);
  ASSERT(1, (_Bool)(char)1);
  ASSERT(0, (_Bool)(char)256);
  b = true;
  b++;
  ASSERT(1, b);
  b--;
  ASSERT(0, b);
  b--;
  ASSERT(1, b);
  b += 5;
  ASSERT(1, b);
  b = false;
  b |= 2;
  ASSERT(1, b);
  b &= 2;
  ASSERT(0, b);
  bool arr[6] = {1, 0, 7, 0, -1, 3};
  ASSERT(4, count_true(arr, 6));
  ASSERT(6, sizeof(arr));
  // A bool promotes to int in arithmetic.
  bool t = 1;
  ASSERT(2, t + t);
  ASSERT(-1, -t);
  ASSERT(-2, ~t);
  ASSERT(0, !t);
  // Conditions.
  int taken = 0;
  if (b) taken = 1;
  ASSERT(0, taken);
  if (t) taken = 2;
  ASSERT(2, taken);
  unsigned char raw = 2;
  ASSERT(1, (bool)raw);
  long big = 1L << 40;
  ASSERT(1, (bool)big);
  ASSERT(0, (int)big);
  ASSERT(1, !!big);
  ASSERT(1, big && 1);
  struct { bool a, b; int c; } s = {3, 0, 4};
  ASSERT(1, s.a);
  ASSERT(0, s.b);
  ASSERT(8, sizeof(s));
  return DONE();
}
