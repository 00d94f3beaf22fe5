// Integer promotions and the usual arithmetic conversions (C11 6.3.1).
#include "test.h"

int main(void) {
  unsigned char uc = 200;
  signed char sc = -100;
  unsigned short us = 60000;
  short ss = -30000;
  unsigned int ui = 4000000000u;
  int i = -1;
  long l = -1;
  unsigned long ul = 1;

  // Narrow types promote to int before arithmetic.
  ASSERT(400, uc + uc);
  ASSERT(-200, sc + sc);
  ASSERT(120000, us + us);
  ASSERT(-60000, ss + ss);
  ASSERT(4, sizeof(uc + uc));
  ASSERT(4, sizeof(+uc));
  ASSERT(4, sizeof(-sc));
  ASSERT(4, sizeof(~us));
  ASSERT(-201, ~uc);
  ASSERT(-200, -uc);
  ASSERT(1, sizeof(uc));
  ASSERT(2, sizeof(us));
  ASSERT(4, sizeof(uc << 1));
  ASSERT(400, uc << 1);
  ASSERT(8, sizeof(uc << 1L) * 2);

  // int compared with unsigned int: the int becomes unsigned.
  ASSERT(0, i < 1u);
  ASSERT(1, i > 1u);
  ASSERT(1, -1 == 0xffffffffu);
  ASSERT(4294967295u, i + 0u);
  ASSERT(4, sizeof(i + 0u));
  // long with unsigned int: long holds every unsigned int, so the result is long.
  ASSERT(1, l < 1u);
  ASSERT(8, sizeof(l + 1u));
  ASSERT(-2, l - 1u);
  // long with unsigned long: unsigned long.
  ASSERT(0, l < ul);
  ASSERT(1, (unsigned long)-1 == l + 0ul);
  // unsigned int with long: long.
  ASSERT(4000000001L, ui + 1L);
  ASSERT(4000000000L, (long)ui);
  ASSERT(-294967296, (int)ui);
  ASSERT(3705032704u, ui + ui);
  ASSERT(8000000000L, (long)ui + ui);
  // unsigned char vs int compare.
  ASSERT(1, uc > -1);
  ASSERT(1, uc > 100);
  ASSERT(0, sc > 0);
  // unsigned short promotes to int, so the comparison with a negative is signed.
  ASSERT(1, us > -1);
  // Mixing signed char and unsigned char.
  ASSERT(100, uc + sc);
  ASSERT(300, uc - sc);
  // Character constants have type int.
  ASSERT(4, sizeof('a'));
  ASSERT(97, 'a');
  // Conversions in assignment.
  unsigned char u2 = 300;
  ASSERT(44, u2);
  signed char s2 = 200;
  ASSERT(-56, s2);
  short s3 = 70000;
  ASSERT(4464, s3);
  unsigned short u3 = -1;
  ASSERT(65535, u3);
  int i2 = 3000000000u;
  ASSERT(-1294967296, i2);
  unsigned u4 = -5;
  ASSERT(4294967291u, u4);
  long l2 = u4;
  ASSERT(4294967291L, l2);
  long l3 = (int)u4;
  ASSERT(-5, l3);
  unsigned long ul2 = i;
  ASSERT(-1, ul2 == 0xffffffffffffffffUL ? -1 : 0);
  unsigned long ul3 = u4;
  ASSERT(4294967291L, ul3);
  // Division in unsigned vs signed.
  ASSERT(2147483647, 0xffffffffu / 2);
  ASSERT(0, -1 / 2);
  ASSERT(2147483647u, (unsigned)-1 / 2u);
  ASSERT(9223372036854775807LL, (long long)(0xffffffffffffffffUL / 2));
  // Comparisons of unsigned narrow types with each other.
  unsigned char a1 = 255, a2 = 1;
  ASSERT(1, a1 > a2);
  ASSERT(256, a1 + a2);
  unsigned char sum = a1 + a2;
  ASSERT(0, sum);
  // Constants: 2147483648 is long; 0x80000000 is unsigned int.
  ASSERT(8, sizeof(2147483648));
  ASSERT(4, sizeof(0x80000000));
  ASSERT(8, sizeof(4294967296));
  ASSERT(8, sizeof(0x100000000));
  ASSERT(4, sizeof(100u));
  ASSERT(8, sizeof(100ul));
  ASSERT(8, sizeof(100ll));
  ASSERT(1, -0x80000000 > 0);
  ASSERT(1, -2147483648 < 0);
  return DONE();
}
