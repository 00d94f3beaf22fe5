// Plain char is signed (gcc on x86-64); signed/unsigned char conversions.
#include "test.h"

static int as_int(char c) { return c; }
static int from_uchar(unsigned char c) { return c; }
static char ret_char(int x) { return x; }

int main(void) {
  char c = 200;
  ASSERT(-56, c);
  ASSERT(-56, as_int((char)200));
  ASSERT(200, from_uchar(200));
  ASSERT(-1, ret_char(255));
  ASSERT(127, ret_char(127));
  ASSERT(-128, ret_char(128));
  ASSERT(0, ret_char(256));
  ASSERT(1, (char)-1 < 0);
  ASSERT(1, (char)128 == -128);
  ASSERT(-1, '\xff');
  ASSERT(-128, '\x80');
  ASSERT(127, '\x7f');
  ASSERT(255, (unsigned char)'\xff');
  ASSERT(-1, '\377');
  ASSERT(1, sizeof(char));
  ASSERT(1, sizeof(signed char));
  ASSERT(1, sizeof(unsigned char));
  char buf[4] = {(char)0x80, (char)0xff, 0x7f, 0};
  ASSERT(-128, buf[0]);
  ASSERT(-1, buf[1]);
  ASSERT(127, buf[2]);
  unsigned char *ub = (unsigned char *)buf;
  ASSERT(128, ub[0]);
  ASSERT(255, ub[1]);
  signed char *sb = (signed char *)buf;
  ASSERT(-128, sb[0]);
  int sum = 0;
  for (int i = 0; i < 3; i++) sum += buf[i];
  ASSERT(-2, sum);
  sum = 0;
  for (int i = 0; i < 3; i++) sum += ub[i];
  ASSERT(510, sum);
  // Char arithmetic promotes to int.
  char a = 100, b = 100;
  ASSERT(200, a + b);
  char d = a + b;
  ASSERT(-56, d);
  ASSERT('b', 'a' + 1);
  ASSERT(25, 'z' - 'a');
  char letter = 'A';
  letter += 2;
  ASSERT('C', letter);
  letter++;
  ASSERT('D', letter);
  char m = 127;
  m++;
  ASSERT(-128, m);
  m--;
  ASSERT(127, m);
  unsigned char um = 255;
  um++;
  ASSERT(0, um);
  // Comparisons.
  char e = -1;
  unsigned char f = 255;
  ASSERT(0, e == f);
  ASSERT(1, (unsigned char)e == f);
  ASSERT(1, e < f);
  // Strings of chars with the high bit set.
  const char *s = "\xe9t\xe9";
  ASSERT(-23, s[0]);
  ASSERT(233, (unsigned char)s[2]);
  // Character constants.
  ASSERT(10, '\n');
  ASSERT(9, '\t');
  ASSERT(0, '\0');
  ASSERT(92, '\\');
  ASSERT(39, '\'');
  ASSERT(34, '"');
  ASSERT(27, '\e');
  ASSERT(7, '\a');
  ASSERT(8, '\b');
  ASSERT(12, '\f');
  ASSERT(11, '\v');
  ASSERT(13, '\r');
  ASSERT(63, '\?');
  ASSERT(0x4142, 'AB');
  ASSERT(0x41424344, 'ABCD');
  // Conversions to char in function arguments and returns.
  ASSERT(-2, as_int(254));
  signed char sc = -5;
  unsigned char uc = sc;
  ASSERT(251, uc);
  sc = uc;
  ASSERT(-5, sc);
  return DONE();
}
