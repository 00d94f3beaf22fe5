// Arrays: one and more dimensions, decay, sizeof, arrays as parameters.
#include "test.h"

static int trace(int m[3][3]) { return m[0][0] + m[1][1] + m[2][2]; }
static int sum2(int (*m)[4], int rows) {
  int s = 0;
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < 4; j++) s += m[i][j];
  return s;
}
static int length(const char s[]) {
  int n = 0;
  while (s[n]) n++;
  return n;
}
static void fill(long *a, int n, long v) {
  for (int i = 0; i < n; i++) a[i] = v + i;
}

int g[2][3][4];

int main(void) {
  int a[3][3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  ASSERT(15, trace(a));
  ASSERT(6, a[1][2]);
  ASSERT(8, *(*(a + 2) + 1));
  ASSERT(36, sizeof(a));
  ASSERT(12, sizeof(a[0]));
  ASSERT(4, sizeof(a[0][0]));
  ASSERT(3, sizeof(a) / sizeof(a[0]));
  ASSERT(12, (char *)a[1] - (char *)a[0]);
  int b[2][4] = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT(36, sum2(b, 2));
  ASSERT(5, b[1][0]);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 4; k++) g[i][j][k] = i * 100 + j * 10 + k;
  ASSERT(123, g[1][2][3]);
  ASSERT(12, g[0][1][2]);
  ASSERT(96, sizeof(g));
  ASSERT(48, sizeof(g[1]));
  ASSERT(16, sizeof(g[1][1]));
  int *flat = &g[0][0][0];
  ASSERT(123, flat[23]);
  ASSERT(100, flat[12]);
  int (*row)[4] = g[1];
  ASSERT(110, row[1][0]);
  ASSERT(1, row + 1 == &g[1][1]);

  char s[] = "abcdef";
  ASSERT(7, sizeof(s));
  ASSERT(6, length(s));
  char t[10] = "xy";
  ASSERT(10, sizeof(t));
  ASSERT(2, length(t));
  ASSERT(0, t[5]);
  char u[3] = "abc";
  ASSERT('c', u[2]);

  long la[5];
  fill(la, 5, 10);
  ASSERT(14, la[4]);
  ASSERT(40, sizeof(la));
  int z[5] = {1, 2};
  ASSERT(0, z[2] + z[3] + z[4]);
  int imp[] = {4, 5, 6, 7};
  ASSERT(16, sizeof(imp));
  int zero[4] = {0};
  ASSERT(0, zero[3]);
  short sa[3][2] = {{1}, {2, 3}};
  ASSERT(1, sa[0][0]);
  ASSERT(0, sa[0][1]);
  ASSERT(3, sa[1][1]);
  ASSERT(0, sa[2][0]);
  ASSERT(12, sizeof(sa));
  // Variable indices and writing through them.
  int m[4][5];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 5; j++) m[i][j] = i * j;
  int tot = 0;
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 5; j++) tot += m[i][j];
  ASSERT(60, tot);
  int i = 2, j = 3;
  m[i][j] += 100;
  ASSERT(106, m[2][3]);
  m[i + 1][j - 1]++;
  ASSERT(7, m[3][2]);
  // Arrays of strings.
  const char *names[] = {"zero", "one", "two", "three"};
  ASSERT(4, sizeof(names) / sizeof(names[0]));
  ASSERT('t', names[3][0]);
  ASSERT('e', *(names[1] + 2));
  ASSERT(5, length(names[3]));
  char grid[3][4] = {"ab", "cde", "f"};
  ASSERT('e', grid[1][2]);
  ASSERT(0, grid[2][1]);
  ASSERT('f', grid[2][0]);
  // Address arithmetic on arrays.
  ASSERT(1, &a[1][0] == a[1]);
  ASSERT(1, &a[0][3] == &a[1][0]);
  ASSERT(1, (void *)&a == (void *)a);
  ASSERT(36, (char *)(&a + 1) - (char *)&a);
  // A 3-D local array with a partial initializer.
  int cube[2][2][2] = {{{1, 2}, {3}}, {{5}}};
  ASSERT(3, cube[0][1][0]);
  ASSERT(0, cube[0][1][1]);
  ASSERT(5, cube[1][0][0]);
  ASSERT(0, cube[1][1][1]);
  // Big local array.
  int bigarr[1000];
  for (int k = 0; k < 1000; k++) bigarr[k] = k;
  long bsum = 0;
  for (int k = 0; k < 1000; k++) bsum += bigarr[k];
  ASSERT(499500, bsum);
  unsigned char bytes[300];
  for (int k = 0; k < 300; k++) bytes[k] = k;
  ASSERT(44, bytes[300 - 1 - 255]);
  ASSERT(43, bytes[299]);
  return DONE();
}
