// Block scoping and shadowing, static locals (one per function, kept across
// calls, even in recursion), extern declarations inside blocks, tags in scopes.
#include "test.h"

int shadow = 1;
static int counter(void) {
  static int n = 0;
  return ++n;
}
static int other_counter(void) {
  static int n = 100;
  return ++n;
}
static int recursive_static(int depth) {
  static int max_depth;
  if (depth > max_depth) max_depth = depth;
  if (depth < 5) recursive_static(depth + 1);
  return max_depth;
}
static int *static_address(void) {
  static int cell = 7;
  return &cell;
}
static int two_statics(int which) {
  if (which) {
    static int a = 10;
    return a++;
  } else {
    static int a = 20;
    return a++;
  }
}
static int read_global(void) { return shadow; }

int main(void) {
  ASSERT(1, shadow);
  int shadow = 2;
  ASSERT(2, shadow);
  {
    int shadow = 3;
    ASSERT(3, shadow);
    {
      extern int shadow;
      ASSERT(1, shadow);
      shadow = 10;
    }
    ASSERT(3, shadow);
  }
  ASSERT(2, shadow);
  ASSERT(10, read_global());
  for (int shadow = 0; shadow < 1; shadow++) ASSERT(0, shadow);
  ASSERT(2, shadow);
  ASSERT(1, counter());
  ASSERT(2, counter());
  ASSERT(101, other_counter());
  ASSERT(3, counter());
  ASSERT(5, recursive_static(0));
  int *cell = static_address();
  *cell = 70;
  ASSERT(70, *static_address());
  ASSERT(10, two_statics(1));
  ASSERT(20, two_statics(0));
  ASSERT(11, two_statics(1));
  ASSERT(21, two_statics(0));
  // Variables declared later in a block do not affect earlier uses.
  int x = 1;
  {
    int y = x + 1;
    int x = y * 10;
    ASSERT(20, x);
  }
  ASSERT(1, x);
  // A variable is in scope in its own initializer (it names the new object).
  int z = sizeof(z) * 2;
  ASSERT(8, z);
  // Struct tags are scoped too.
  struct tag { int a; };
  struct tag outer = {1};
  {
    struct tag { long a, b; };
    struct tag inner = {2, 3};
    ASSERT(16, sizeof(inner));
    ASSERT(5, inner.a + inner.b);
  }
  ASSERT(4, sizeof(outer));
  // Labels have function scope; ordinary names inside blocks do not leak.
  {
    int hidden = 5;
    (void)hidden;
  }
  int hidden = 6;
  ASSERT(6, hidden);
  // Repeated blocks get fresh automatic variables each time.
  int sum = 0;
  for (int i = 0; i < 3; i++) {
    int local = i * 2;
    sum += local;
  }
  ASSERT(6, sum);
  // Function-scope declarations of functions.
  {
    int counter(void);
    ASSERT(4, counter());
  }
  // Enumerators scoped in a block.
  {
    enum { shadow = 99 };
    ASSERT(99, shadow);
  }
  ASSERT(2, shadow);
  return DONE();
}
