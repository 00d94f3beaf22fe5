#include "shared.h"

int helper_table[TABLE_SIZE] = {1, 2, 3, 4, 5};
const char helper_name[] = "helper";
static int private_value = 2;
static int private_fn(void) { return 2; }
static int answer = 42;
int *global_ptr = &answer;

void bump_counter(int by) { shared_counter += by; }
void set_tentative(int v) { tentative = v; }
int helper_private_value(void) { return private_value; }
int helper_private_fn(void) { return private_fn(); }
int table_sum(void) {
  int s = 0;
  for (int i = 0; i < TABLE_SIZE; i++) s += helper_table[i];
  return s;
}
int apply_callback(int (*f)(int), int v) { return f(v); }
struct shared_point make_point(int x, int y) {
  struct shared_point p = {x, y};
  return p;
}
int *counter_address(void) { return &shared_counter; }
