/* Function calls: recursion plus a call-heavy accumulation. */
#include <stdio.h>
#ifndef FIB
#define FIB 24
#endif
#ifndef N
#define N 300000
#endif
static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int mix(int a, int b, int c, int d, int e, int f, int g) { return (a ^ b) + (c & d) - (e | f) + g; }
int main(void) {
    long total = fib(FIB);
    int m = 0;
    for (int i = 0; i < N; i++) m = mix(m, i, i * 3, ~i, i >> 2, i << 1, 7);
    printf("%ld %d\n", total, m);
    return 0;
}
