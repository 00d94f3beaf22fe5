/* memcpy-style copies: byte, word and 64-bit copy loops over buffers. */
#include <stdio.h>
#ifndef SIZE
#define SIZE 16384
#endif
#ifndef ROUNDS
#define ROUNDS 40
#endif
static unsigned char a[SIZE], b[SIZE];
static void copy8(unsigned char *d, const unsigned char *s, long n) { for (long i = 0; i < n; i++) d[i] = s[i]; }
static void copy64(unsigned long *d, const unsigned long *s, long n) { for (long i = 0; i < n; i++) d[i] = s[i]; }
int main(void) {
    for (int i = 0; i < SIZE; i++) a[i] = (unsigned char)(i * 7 + 3);
    unsigned long sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        copy8(b, a, SIZE);
        b[r] ^= (unsigned char)r;
        copy64((unsigned long *)a, (const unsigned long *)b, SIZE / 8);
        sum += a[(r * 131) % SIZE];
    }
    printf("%lu\n", sum);
    return 0;
}
