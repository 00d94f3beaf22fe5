/* Tight loop with 64-bit arithmetic: a multiply-xorshift hash chain. */
#include <stdio.h>
#ifndef N
#define N 2000000
#endif
int main(void) {
    unsigned long h = 1469598103934665603UL;
    long acc = 0;
    for (long i = 0; i < N; i++) {
        h ^= (unsigned long)i;
        h *= 1099511628211UL;
        h ^= h >> 29;
        acc += (long)(h & 0xffff) - 0x8000;
    }
    printf("%lu %ld\n", h, acc);
    return 0;
}
