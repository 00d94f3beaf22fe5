#ifndef SHARED_H
#define SHARED_H
#define TABLE_SIZE 5
struct shared_point { int x, y; };
extern int shared_counter;
extern int tentative;
extern int helper_table[TABLE_SIZE];
extern const char helper_name[];
extern int *global_ptr;
void bump_counter(int by);
void set_tentative(int v);
int helper_private_value(void);
int helper_private_fn(void);
int table_sum(void);
int apply_callback(int (*f)(int), int v);
int add_one(int v);
struct shared_point make_point(int x, int y);
int *counter_address(void);
#endif
