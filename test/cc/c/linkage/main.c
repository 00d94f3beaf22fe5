// Several translation units linked together: external and internal linkage,
// tentative definitions, extern arrays, functions called across files.
#include "test.h"
#include "shared.h"

int shared_counter = 5;        // defined here, used in helper.c
int tentative;                 // a tentative definition: zero
int tentative;                 // repeated: still one object
static int private_value = 1;  // a different object from helper.c's
static int private_fn(void) { return 1; }

int main(void) {
  ASSERT(5, shared_counter);
  bump_counter(3);
  ASSERT(8, shared_counter);
  ASSERT(0, tentative);
  set_tentative(9);
  ASSERT(9, tentative);
  ASSERT(1, private_value);
  ASSERT(2, helper_private_value());
  ASSERT(1, private_fn());
  ASSERT(2, helper_private_fn());
  ASSERT(15, table_sum());
  helper_table[4] = 10;
  ASSERT(20, table_sum());
  ASSERT(5, TABLE_SIZE);
  ASSERT('h', helper_name[0]);
  ASSERT(3, apply_callback(add_one, 2));
  struct shared_point p = make_point(4, 5);
  ASSERT(9, p.x + p.y);
  ASSERT(1, &shared_counter == counter_address());
  ASSERT(42, *global_ptr);
  return DONE();
}

int add_one(int v) { return v + 1; }
