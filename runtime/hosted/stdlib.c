/* <stdlib.h>: program termination, number parsing, sorting and searching,
   and the C standard's example random-number generator. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ---- Termination. ---- */

#define ATEXIT_MAX 32
static void (*atexit_functions[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*function)(void)) {
    if (atexit_count == ATEXIT_MAX) return -1;
    atexit_functions[atexit_count++] = function;
    return 0;
}

void _Exit(int status) {
    /* The machine stops as this byte is written; it reports status & 0xff. */
    __builtin_ws_outb(WEENSY_PORT_EXIT, (unsigned char) status);
    for (;;) __builtin_ws_hlt();
}

void exit(int status) {
    while (atexit_count > 0) atexit_functions[--atexit_count]();
    _Exit(status);
}

void abort(void) {
    fputs("Aborted\n", stderr);
    _Exit(134); /* 128 + SIGABRT, as a shell reports an aborted program */
}

char *getenv(const char *name) {
    (void) name;
    return NULL;
}

/* ---- Numbers. ---- */

int abs(int x) {
    return x < 0 ? -x : x;
}

long labs(long x) {
    return x < 0 ? -x : x;
}

long long llabs(long long x) {
    return x < 0 ? -x : x;
}

static int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* The common part of the strto* functions: white space, a sign, a base
   prefix and digits. Returns the magnitude; *overflow is set when it does
   not fit in an unsigned long. */
static unsigned long parse_integer(const char *s, char **end, int base, int *negative, int *overflow) {
    const char *p = s;
    *negative = 0;
    *overflow = 0;
    while (isspace((unsigned char) *p)) p++;
    if (*p == '+' || *p == '-') {
        *negative = *p == '-';
        p++;
    }
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char) p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    if (base < 2 || base > 36) {
        if (end != NULL) *end = (char *) s;
        return 0;
    }
    const char *digits = p;
    unsigned long value = 0;
    for (;; p++) {
        int d = digit_value(*p);
        if (d >= base) break;
        if (value > (ULONG_MAX - (unsigned long) d) / (unsigned long) base)
            *overflow = 1;
        else
            value = value * (unsigned long) base + (unsigned long) d;
    }
    if (p == digits) {
        if (end != NULL) *end = (char *) s;
        return 0;
    }
    if (end != NULL) *end = (char *) p;
    return value;
}

long strtol(const char *s, char **end, int base) {
    int negative;
    int overflow;
    unsigned long v = parse_integer(s, end, base, &negative, &overflow);
    if (negative) {
        if (overflow || v > (unsigned long) LONG_MAX + 1) return LONG_MIN;
        return (long) (0 - v);
    }
    if (overflow || v > (unsigned long) LONG_MAX) return LONG_MAX;
    return (long) v;
}

unsigned long strtoul(const char *s, char **end, int base) {
    int negative;
    int overflow;
    unsigned long v = parse_integer(s, end, base, &negative, &overflow);
    if (overflow) return ULONG_MAX;
    return negative ? 0 - v : v;
}

long long strtoll(const char *s, char **end, int base) {
    return strtol(s, end, base);
}

unsigned long long strtoull(const char *s, char **end, int base) {
    return strtoul(s, end, base);
}

int atoi(const char *s) {
    return (int) strtol(s, NULL, 10);
}

long atol(const char *s) {
    return strtol(s, NULL, 10);
}

long long atoll(const char *s) {
    return strtol(s, NULL, 10);
}

/* ---- Sorting and searching. ---- */

/* glibc's qsort is this merge sort (msort_with_tmp): stable, and making the
   same comparisons, so programs print the same order with both. */
static void merge_sort(char *base, char *tmp, size_t n, size_t size, int (*compar)(const void *, const void *)) {
    if (n <= 1) return;
    size_t n1 = n / 2;
    size_t n2 = n - n1;
    char *b1 = base;
    char *b2 = base + n1 * size;
    merge_sort(b1, tmp, n1, size, compar);
    merge_sort(b2, tmp, n2, size, compar);
    char *out = tmp;
    while (n1 > 0 && n2 > 0) {
        if (compar(b1, b2) <= 0) {
            memcpy(out, b1, size);
            b1 += size;
            n1--;
        } else {
            memcpy(out, b2, size);
            b2 += size;
            n2--;
        }
        out += size;
    }
    if (n1 > 0) memcpy(out, b1, n1 * size);
    memcpy(base, tmp, (n - n2) * size);
}

/* Without memory for merging: a stable insertion sort in place. */
static void insertion_sort(char *base, size_t n, size_t size, int (*compar)(const void *, const void *)) {
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0; j--) {
            char *a = base + (j - 1) * size;
            char *b = a + size;
            if (compar(a, b) <= 0) break;
            for (size_t k = 0; k < size; k++) {
                char t = a[k];
                a[k] = b[k];
                b[k] = t;
            }
        }
    }
}

void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *)) {
    if (nmemb <= 1 || size == 0) return;
    char *tmp = malloc(nmemb * size);
    if (tmp == NULL) {
        insertion_sort(base, nmemb, size, compar);
        return;
    }
    merge_sort(base, tmp, nmemb, size, compar);
    free(tmp);
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *)) {
    size_t lo = 0;
    size_t hi = nmemb;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *p = (const char *) base + mid * size;
        int c = compar(key, p);
        if (c < 0)
            hi = mid;
        else if (c > 0)
            lo = mid + 1;
        else
            return (void *) p;
    }
    return NULL;
}

/* ---- Random numbers: the example in C11 7.22.2.2. ---- */

static unsigned long rand_next = 1;

int rand(void) {
    rand_next = rand_next * 1103515245 + 12345;
    return (int) ((unsigned int) (rand_next / 65536) % 32768);
}

void srand(unsigned int seed) {
    rand_next = seed;
}
