// Static and global initializers of every kind: arithmetic constants, addresses of
// globals, strings, functions and members, pointer arithmetic, arrays of structs,
// partial initialization, zero-initialized (bss) objects, and static locals.
#include "test.h"

struct point { int x, y; };
struct entry { const char *name; int (*fn)(int); int arg; struct point at; };

static int twice(int v) { return 2 * v; }
static int square(int v) { return v * v; }

int g_int = 42;
long g_long = -5000000000L;
unsigned g_uint = 0xffffffffu;
char g_char = -3;
unsigned char g_uchar = 250;
short g_short = -1234;
_Bool g_bool = 7;
int g_zero;
int g_array[5] = {1, 2, 3};
int g_matrix[2][3] = {{1, 2, 3}, {4, 5, 6}};
char g_str[] = "global";
char g_str_sized[10] = "hi";
const char *g_ptr_str = "pointer";
const char *g_strs[] = {"a", "bc", "def", 0};
int *g_ptr = &g_int;
int *g_elem = &g_array[2];
int *g_elem_arith = g_array + 4;
char *g_str_offset = g_str + 2;
char *g_strlit_offset = "literal" + 3;
struct point g_point = {3, 4};
int *g_member = &g_point.y;
struct point g_points[] = {{1, 2}, {3, 4}, [4] = {9, 9}};
struct entry g_table[] = {
    {"twice", twice, 5, {1, 1}},
    {"square", square, 6, {.y = 2}},
    {.name = "none", .arg = 7},
};
int (*g_fn)(int) = square;
int (*g_fns[])(int) = {twice, square, twice};
long g_expr = (1L << 40) + 3 * 7 - (10 / 3);
int g_sizeof = sizeof(struct entry) + sizeof g_table;
unsigned long g_addr_as_int = (unsigned long)&g_int;
int g_cond = 1 ? 10 : 20;
const int g_const = 77;
struct { int a; char b[3]; long c; } g_anon = {1, {'x', 'y'}, 3};
union { long l; char c[8]; } g_union = {.c = {1, 2}};
int g_bits_holder;
struct bits { unsigned a : 3, b : 5; int c : 6; } g_bits = {5, 17, -9};
void *g_void_ptr = &g_point;
struct point *g_point_ptr = &g_points[1];
char g_nested_str[2][6] = {"one", "two"};
static int s_counter = 100;
static int *s_self_ref = &s_counter;
struct node { int v; struct node *next; };
struct node g_n3 = {3, 0};
struct node g_n2 = {2, &g_n3};
struct node g_n1 = {1, &g_n2};
struct node g_ring = {0, &g_ring};
int g_after_init[100];
_Bool g_addr_bool = &g_int;
unsigned long g_classic_offsetof = (unsigned long)&((struct entry *)0)->at.y;
struct point *g_null_member = &((struct point *)0)[2];
long g_big_zero[1000];

static int next_id(void) {
  static int id;
  static int calls = 10;
  calls++;
  return ++id * 1000 + calls;
}
static const char *cycle(void) {
  static const char *names[] = {"x", "y", "z"};
  static int i;
  return names[i++ % 3];
}

int main(void) {
  ASSERT(42, g_int);
  ASSERT(-5000000000L, g_long);
  ASSERT(4294967295LL, g_uint);
  ASSERT(-3, g_char);
  ASSERT(250, g_uchar);
  ASSERT(-1234, g_short);
  ASSERT(1, g_bool);
  ASSERT(0, g_zero);
  ASSERT(6, g_array[0] + g_array[1] + g_array[2] + g_array[3] + g_array[4]);
  ASSERT(6, g_matrix[1][2]);
  ASSERT(7, sizeof(g_str));
  ASSERT('g', g_str[0]);
  ASSERT(0, g_str_sized[9]);
  ASSERT('p', g_ptr_str[0]);
  ASSERT('f', g_strs[2][2]);
  ASSERT(0, g_strs[3] != NULL);
  ASSERT(42, *g_ptr);
  ASSERT(3, *g_elem);
  ASSERT(1, g_elem_arith == &g_array[4]);
  ASSERT('o', *g_str_offset);
  ASSERT('e', *g_strlit_offset);
  ASSERT(4, *g_member);
  ASSERT(5, sizeof(g_points) / sizeof(g_points[0]));
  ASSERT(9, g_points[4].y);
  ASSERT(0, g_points[3].x);
  ASSERT(10, g_table[0].fn(g_table[0].arg));
  ASSERT(36, g_table[1].fn(g_table[1].arg));
  ASSERT(2, g_table[1].at.y);
  ASSERT(0, g_table[2].fn != NULL);
  ASSERT('n', g_table[2].name[0]);
  ASSERT(7, g_table[2].arg);
  ASSERT(49, g_fn(7));
  ASSERT(16, g_fns[1](4));
  ASSERT(8, g_fns[2](4));
  ASSERT((1L << 40) + 18, g_expr);
  ASSERT(32 + 96, g_sizeof);
  ASSERT(1, g_addr_as_int == (unsigned long)&g_int);
  ASSERT(10, g_cond);
  ASSERT(77, g_const);
  ASSERT('y', g_anon.b[1]);
  ASSERT(3, g_anon.c);
  ASSERT(0x0201, g_union.l);
  ASSERT(5, g_bits.a);
  ASSERT(17, g_bits.b);
  ASSERT(-9, g_bits.c);
  ASSERT(3, ((struct point *)g_void_ptr)->x);
  ASSERT(4, g_point_ptr->y);
  ASSERT('w', g_nested_str[1][1]);
  ASSERT(100, *s_self_ref);
  ASSERT(6, g_n1.v + g_n1.next->v + g_n1.next->next->v);
  ASSERT(1, g_ring.next->next == &g_ring);
  ASSERT(0, g_after_init[99]);
  ASSERT(24, g_classic_offsetof);
  ASSERT(1, g_addr_bool);
  ASSERT(16, (unsigned long)g_null_member);
  long z = 0;
  for (int i = 0; i < 1000; i++) z |= g_big_zero[i];
  ASSERT(0, z);
  ASSERT(1011, next_id());
  ASSERT(2012, next_id());
  ASSERT(3013, next_id());
  ASSERT('x', *cycle());
  ASSERT('y', *cycle());
  ASSERT('z', *cycle());
  ASSERT('x', *cycle());
  // Globals are writable and keep their values.
  g_int++;
  g_array[4] = 50;
  ASSERT(43, *g_ptr);
  ASSERT(50, *g_elem_arith);
  g_bits.b = 31;
  ASSERT(5, g_bits.a);
  ASSERT(-9, g_bits.c);
  return DONE();
}
