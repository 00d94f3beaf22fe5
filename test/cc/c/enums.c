// Enumerations: values, implicit numbering, sizes and signedness as gcc gives them.
#include "test.h"

enum color { RED, GREEN = 5, BLUE, ALPHA = BLUE + 10 };
enum neg { MINUS = -3, ZERO_ = 0, PLUS };
enum big { BIG = 0x100000000L };
enum ubig { TOP = 0xffffffffu };
enum flags { F_A = 1 << 0, F_B = 1 << 1, F_C = 1 << 2, F_ALL = F_A | F_B | F_C };
typedef enum { T_ONE = 1, T_TWO } tenum;
enum { ANON_X = 42 };
enum self { S_FIRST, S_COUNT = S_FIRST + 3, S_NEXT };

static const char *name(enum color c) {
  switch (c) {
  case RED: return "red";
  case GREEN: return "green";
  case BLUE: return "blue";
  default: return "other";
  }
}

int main(void) {
  ASSERT(0, RED);
  ASSERT(5, GREEN);
  ASSERT(6, BLUE);
  ASSERT(16, ALPHA);
  ASSERT(-3, MINUS);
  ASSERT(1, PLUS);
  ASSERT(4, sizeof(enum color));
  ASSERT(4, sizeof(enum neg));
  ASSERT(8, sizeof(enum big));
  ASSERT(4, sizeof(enum ubig));
  ASSERT(4, sizeof(RED));
  ASSERT(7, F_ALL);
  ASSERT(2, T_TWO);
  ASSERT(42, ANON_X);
  ASSERT(4, S_NEXT);
  enum color c = BLUE;
  ASSERT(6, c);
  c = GREEN;
  ASSERT('g', name(c)[0]);
  ASSERT('r', name(RED)[0]);
  ASSERT('o', name((enum color)99)[0]);
  // gcc makes an enum with no negative values unsigned int: a "negative" value compares as unsigned.
  enum color wrapped = (enum color)-1;
  ASSERT(1, wrapped > 0);
  enum neg n = MINUS;
  ASSERT(1, n < 0);
  ASSERT(-2, n + 1);
  n++;
  ASSERT(-2, n);
  tenum t = T_ONE;
  t += 1;
  ASSERT(T_TWO, t);
  enum flags f = F_A | F_C;
  ASSERT(5, f);
  ASSERT(1, (f & F_C) != 0);
  ASSERT(0, (f & F_B) != 0);
  int arr[S_COUNT];
  ASSERT(12, sizeof(arr));
  enum big b = BIG;
  ASSERT(0x100000000L, b);
  ASSERT(0x100000001L, b + 1);
  enum ubig u = TOP;
  ASSERT(4294967295LL, u);
  ASSERT(0, u + 1);
  // Enum constants in constant expressions and case labels.
  int hits = 0;
  for (int i = 0; i < 20; i++) {
    switch (i) {
    case RED: case GREEN: case BLUE: hits++; break;
    case ALPHA: hits += 10; break;
    }
  }
  ASSERT(13, hits);
  _Static_assert(ALPHA == 16, "enum arithmetic");
  // Local enum shadowing.
  {
    enum { RED = 100 };
    ASSERT(100, RED);
  }
  ASSERT(0, RED);
  return DONE();
}
