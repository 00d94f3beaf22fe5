// Recursion, mutual recursion, deep recursion.
#include "test.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static long fact(long n) { return n <= 1 ? 1 : n * fact(n - 1); }
static int is_odd(int n);
static int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }
static int ackermann(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}
static int gcd(int a, int b) { return b ? gcd(b, a % b) : a; }
static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }
static void hanoi(int n, int from, int to, int via, int *moves) {
  if (n == 0) return;
  hanoi(n - 1, from, via, to, moves);
  (*moves)++;
  hanoi(n - 1, via, to, from, moves);
}
static int sum_digits(long n) { return n < 10 ? n : n % 10 + sum_digits(n / 10); }
static int binsearch(const int *a, int lo, int hi, int key) {
  if (lo > hi) return -1;
  int mid = (lo + hi) / 2;
  if (a[mid] == key) return mid;
  return a[mid] < key ? binsearch(a, mid + 1, hi, key) : binsearch(a, lo, mid - 1, key);
}
static void quicksort(int *a, int lo, int hi) {
  if (lo >= hi) return;
  int p = a[(lo + hi) / 2], i = lo, j = hi;
  while (i <= j) {
    while (a[i] < p) i++;
    while (a[j] > p) j--;
    if (i <= j) {
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
  }
  quicksort(a, lo, j);
  quicksort(a, i, hi);
}
struct tree { int v; struct tree *l, *r; };
static int tree_sum(struct tree *t) { return t ? t->v + tree_sum(t->l) + tree_sum(t->r) : 0; }
static int tree_height(struct tree *t) {
  if (!t) return 0;
  int a = tree_height(t->l), b = tree_height(t->r);
  return 1 + (a > b ? a : b);
}

int main(void) {
  ASSERT(0, fib(0));
  ASSERT(1, fib(1));
  ASSERT(55, fib(10));
  ASSERT(6765, fib(20));
  ASSERT(3628800, fact(10));
  ASSERT(2432902008176640000L, fact(20));
  ASSERT(1, is_even(100));
  ASSERT(1, is_odd(77));
  ASSERT(0, is_odd(78));
  ASSERT(61, ackermann(3, 3));
  ASSERT(6, gcd(48, 18));
  ASSERT(1, gcd(17, 5));
  ASSERT(10000, depth(10000));
  int moves = 0;
  hanoi(10, 1, 3, 2, &moves);
  ASSERT(1023, moves);
  ASSERT(45, sum_digits(123456789));
  int sorted[] = {1, 3, 5, 7, 9, 11, 13};
  ASSERT(4, binsearch(sorted, 0, 6, 9));
  ASSERT(-1, binsearch(sorted, 0, 6, 4));
  int data[12] = {5, 3, 9, -1, 0, 12, 7, 7, 2, 8, -6, 4};
  quicksort(data, 0, 11);
  int ok = 1;
  for (int i = 1; i < 12; i++) ok &= data[i - 1] <= data[i];
  ASSERT(1, ok);
  ASSERT(-6, data[0]);
  ASSERT(12, data[11]);
  struct tree leaves[4] = {{1, 0, 0}, {2, 0, 0}, {3, 0, 0}, {4, 0, 0}};
  struct tree mid = {5, &leaves[0], &leaves[1]};
  struct tree right = {6, &leaves[2], 0};
  struct tree root = {7, &mid, &right};
  right.r = &leaves[3];
  ASSERT(28, tree_sum(&root));
  ASSERT(3, tree_height(&root));
  return DONE();
}
