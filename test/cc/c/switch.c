// switch: fallthrough, default anywhere, GNU case ranges, nested switches,
// break inside loops inside switches, sparse and negative cases.
#include "test.h"

static int classify(int c) {
  switch (c) {
  case 'a' ... 'z': return 1;
  case 'A' ... 'Z': return 2;
  case '0' ... '9': return 3;
  case ' ':
  case '\t':
  case '\n': return 4;
  default: return 0;
  }
}
static int fall(int n) {
  int r = 0;
  switch (n) {
  case 0: r += 1;
  case 1: r += 10;
  case 2: r += 100; break;
  case 3: r += 1000;
  default: r += 10000;
  case 4: r += 100000;
  }
  return r;
}
static int default_middle(int n) {
  int r = 0;
  switch (n) {
  case 1: r = 1; break;
  default: r = -1;
  case 2: r *= 20; break;
  case 3: r = 3;
  }
  return r;
}
static long sparse(long v) {
  switch (v) {
  case -1000000: return 1;
  case -1: return 2;
  case 0: return 3;
  case 127: return 4;
  case 128: return 5;
  case 100000: return 6;
  case 0x7fffffff: return 7;
  case 0x100000000L: return 8;
  case -0x7fffffffffffffffL - 1: return 9;
  }
  return 0;
}
static int unsigned_switch(unsigned u) {
  switch (u) {
  case 0xffffffffu: return 1;
  case 0x80000000u: return 2;
  case 5 ... 10: return 3;
  }
  return 0;
}
static int char_switch(char c) {
  switch (c) {
  case -1: return 1;
  case (char)0x80: return 2;
  case 'x': return 3;
  }
  return 0;
}
static int nested(int a, int b) {
  switch (a) {
  case 1:
    switch (b) {
    case 1: return 11;
    case 2: break;
    default: return 19;
    }
    return 12;
  case 2:
    for (int i = 0; i < 10; i++) {
      if (i == b) break;
      if (i == 5) return 25;
    }
    return 20;
  }
  return 0;
}
static int duff(int count) {
  int n = (count + 3) / 4, total = 0;
  switch (count % 4) {
  case 0: do { total++;
  case 3: total++;
  case 2: total++;
  case 1: total++;
          } while (--n > 0);
  }
  return total;
}
static int no_default(int x) {
  int r = 5;
  switch (x) {
  case 1: r = 1;
  }
  return r;
}
static int decl_in_switch(int x) {
  switch (x) {
    int y;
  case 1:
    y = 10;
    return y + 1;
  default: {
    int z = x * 2;
    return z;
  }
  }
}
static int unsigned_ranges(unsigned u) {
  switch (u) {
  case 0x7ffffff0u ... 0x80000010u: return 1;
  case 0xfffffff0u ... 0xffffffffu: return 2;
  case 0 ... 3: return 3;
  }
  return 0;
}
static int ulong_ranges(unsigned long u) {
  switch (u) {
  case 0x7ffffffffffffff0UL ... 0x8000000000000010UL: return 1;
  case 0xfffffffffffffff0UL ... 0xffffffffffffffffUL: return 2;
  }
  return 0;
}
static int range_wide(long x) {
  switch (x) {
  case -100 ... -1: return -1;
  case 1 ... 1000000: return 1;
  case 1000001 ... 0x7fffffffffffL: return 2;
  }
  return 0;
}

int main(void) {
  ASSERT(1, classify('q'));
  ASSERT(2, classify('Q'));
  ASSERT(3, classify('7'));
  ASSERT(4, classify('\t'));
  ASSERT(0, classify('#'));
  ASSERT(111, fall(0));
  ASSERT(110, fall(1));
  ASSERT(100, fall(2));
  ASSERT(111000, fall(3));
  ASSERT(100000, fall(4));
  ASSERT(110000, fall(9));
  ASSERT(1, default_middle(1));
  ASSERT(0, default_middle(2));
  ASSERT(3, default_middle(3));
  ASSERT(-20, default_middle(7));
  ASSERT(1, sparse(-1000000));
  ASSERT(2, sparse(-1));
  ASSERT(3, sparse(0));
  ASSERT(4, sparse(127));
  ASSERT(5, sparse(128));
  ASSERT(6, sparse(100000));
  ASSERT(7, sparse(0x7fffffff));
  ASSERT(8, sparse(0x100000000L));
  ASSERT(9, sparse(-0x7fffffffffffffffL - 1));
  ASSERT(0, sparse(42));
  ASSERT(0, sparse(0xffffffffL));
  ASSERT(1, unsigned_switch(0xffffffffu));
  ASSERT(2, unsigned_switch(0x80000000u));
  ASSERT(3, unsigned_switch(7));
  ASSERT(0, unsigned_switch(11));
  ASSERT(0, unsigned_switch(4));
  ASSERT(1, char_switch(-1));
  ASSERT(2, char_switch((char)0x80));
  ASSERT(3, char_switch('x'));
  ASSERT(0, char_switch(0));
  ASSERT(11, nested(1, 1));
  ASSERT(12, nested(1, 2));
  ASSERT(19, nested(1, 3));
  ASSERT(20, nested(2, 3));
  ASSERT(25, nested(2, 8));
  ASSERT(0, nested(3, 0));
  for (int i = 1; i < 12; i++) ASSERT(i, duff(i));
  ASSERT(1, no_default(1));
  ASSERT(5, no_default(2));
  ASSERT(11, decl_in_switch(1));
  ASSERT(8, decl_in_switch(4));
  ASSERT(1, unsigned_ranges(0x7ffffff5u));
  ASSERT(1, unsigned_ranges(0x80000000u));
  ASSERT(1, unsigned_ranges(0x80000010u));
  ASSERT(0, unsigned_ranges(0x80000011u));
  ASSERT(2, unsigned_ranges(0xfffffff5u));
  ASSERT(3, unsigned_ranges(2));
  ASSERT(0, unsigned_ranges(0x7fffffefu));
  ASSERT(1, ulong_ranges(0x8000000000000000UL));
  ASSERT(1, ulong_ranges(0x7ffffffffffffffaUL));
  ASSERT(2, ulong_ranges(0xfffffffffffffffeUL));
  ASSERT(0, ulong_ranges(5));
  ASSERT(-1, range_wide(-50));
  ASSERT(0, range_wide(0));
  ASSERT(1, range_wide(999999));
  ASSERT(2, range_wide(1000001));
  ASSERT(2, range_wide(0x7fffffffffffL));
  ASSERT(0, range_wide(0x800000000000L));
  ASSERT(0, range_wide(-101));
  // switch on an expression with side effects is evaluated once.
  int k = 0, hits = 0;
  switch (k++) {
  case 0: hits++;
  case 1: hits++;
  }
  ASSERT(1, k);
  ASSERT(2, hits);
  // continue inside a switch inside a loop continues the loop.
  int odd = 0;
  for (int i = 0; i < 10; i++) {
    switch (i % 2) {
    case 0: continue;
    default: break;
    }
    odd++;
  }
  ASSERT(5, odd);
  // A switch whose body is a single statement.
  int once = 0;
  switch (3) case 3: once = 1;
  ASSERT(1, once);
  // Switch on long long and unsigned char.
  unsigned char uc = 200;
  int r = 0;
  switch (uc) { case 200: r = 1; break; case (unsigned char)-55: r = 2; }
  ASSERT(1, r);
  return DONE();
}
