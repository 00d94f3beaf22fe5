/* lib.c: memory and string functions and the random-number generator,
 * shared by the kernel and the user programs (lib.h documents them).
 * The printf family is in lib-printf.c, so that a program that prints
 * nothing does not carry the formatter in its one page of code.
 *
 * WeensyScope's own implementation of the WeensyOS lib.c API.
 */
#include "lib.h"

void* memcpy(void* dst, const void* src, size_t n) {
    unsigned char* d = (unsigned char*) dst;
    const unsigned char* s = (const unsigned char*) src;
    for (; n > 0; n--) {
        *d++ = *s++;
    }
    return dst;
}

/* memmove copies backwards when the destination overlaps the end of the source. */
void* memmove(void* dst, const void* src, size_t n) {
    unsigned char* d = (unsigned char*) dst;
    const unsigned char* s = (const unsigned char*) src;
    if (s < d && d < s + n) {
        d += n;
        s += n;
        for (; n > 0; n--) {
            *--d = *--s;
        }
    } else {
        for (; n > 0; n--) {
            *d++ = *s++;
        }
    }
    return dst;
}

void* memset(void* s, int c, size_t n) {
    unsigned char* p = (unsigned char*) s;
    for (; n > 0; n--) {
        *p++ = (unsigned char) c;
    }
    return s;
}

int memcmp(const void* a, const void* b, size_t n) {
    const unsigned char* x = (const unsigned char*) a;
    const unsigned char* y = (const unsigned char*) b;
    for (; n > 0; n--, x++, y++) {
        if (*x != *y) {
            return *x < *y ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char* s) {
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

size_t strnlen(const char* s, size_t maxlen) {
    size_t n = 0;
    while (n < maxlen && s[n] != '\0') {
        n++;
    }
    return n;
}

char* strcpy(char* dst, const char* src) {
    char* d = dst;
    while ((*d++ = *src++) != '\0') {
    }
    return dst;
}

/* Compares as unsigned characters, as the C standard says. */
int strcmp(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    unsigned char x = (unsigned char) *a, y = (unsigned char) *b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

/* strchr(s, c) finds c in s; the terminating NUL counts, so strchr(s, 0) finds the end. */
char* strchr(const char* s, int c) {
    for (;; s++) {
        if (*s == (char) c) {
            return (char*) s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}

/* The generator's state lives in each binary's bss: every process has its
 * own, and fork copies it with the rest of the process's memory. */
static unsigned rand_seed;
static int rand_seed_set;

void srand(unsigned seed) {
    rand_seed = seed;
    rand_seed_set = 1;
}

int rand(void) {
    if (!rand_seed_set) {
        srand(819234718);
    }
    rand_seed = rand_seed * 1664525U + 1013904223U;
    return (int) (rand_seed & RAND_MAX);
}
