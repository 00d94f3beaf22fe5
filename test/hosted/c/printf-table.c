/* printf's format language against glibc: every flag, width, precision and
   length modifier the hosted library supports, on the values where they
   interact. Each line is "[format] -> [output] = return value". The
   vitest suite compares this program's output under weensy with the same
   program compiled by gcc (or, without gcc, with the golden file). */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char buf[512];

#define SHOW(fmt, ...)                                                  \
    do {                                                                \
        int n_ = snprintf(buf, sizeof buf, fmt, __VA_ARGS__);           \
        printf("%-14s -> [%s] = %d\n", fmt, buf, n_);                   \
    } while (0)

static const char *const int_formats[] = {
    "%d", "%i", "%5d", "%-5d", "%05d", "%+d", "% d", "%+5d", "%-+5d", "% 05d", "%+05d", "%.3d", "%.0d",
    "%8.3d", "%-8.3d", "%08.3d", "%+.3d", "% .0d", "%0-6d", "%- 6d", "%1d", "%#d",
};
static const int int_values[] = {0, 1, -1, 42, -42, 12345, -12345, INT_MAX, INT_MIN};

static const char *const unsigned_formats[] = {
    "%u", "%o", "%x", "%X", "%#o", "%#x", "%#X", "%6o", "%#6o", "%-#6o|", "%06x", "%#06x", "%#-8x|", "%.4x", "%#.4x", "%#.0x",
    "%#.0o", "%.0o", "%#8.4X", "%08.4x", "%+u", "% u", "%+x", "%#3o",
};
static const unsigned unsigned_values[] = {0, 1, 7, 8, 255, 4096, 0xdeadbeef, UINT_MAX};

int main(void) {
    for (size_t f = 0; f < sizeof int_formats / sizeof int_formats[0]; f++)
        for (size_t v = 0; v < sizeof int_values / sizeof int_values[0]; v++) {
            int n = snprintf(buf, sizeof buf, int_formats[f], int_values[v]);
            printf("%-8s %11d -> [%s] = %d\n", int_formats[f], int_values[v], buf, n);
        }
    for (size_t f = 0; f < sizeof unsigned_formats / sizeof unsigned_formats[0]; f++)
        for (size_t v = 0; v < sizeof unsigned_values / sizeof unsigned_values[0]; v++) {
            int n = snprintf(buf, sizeof buf, unsigned_formats[f], unsigned_values[v]);
            printf("%-8s %10u -> [%s] = %d\n", unsigned_formats[f], unsigned_values[v], buf, n);
        }

    /* Length modifiers. */
    SHOW("%hhd", 300);
    SHOW("%hhd", -129);
    SHOW("%hhu", -1);
    SHOW("%hhx", 0x1ff);
    SHOW("%hd", 70000);
    SHOW("%hu", -1);
    SHOW("%hx", 0x12345);
    SHOW("%ld", LONG_MAX);
    SHOW("%ld", LONG_MIN);
    SHOW("%lu", ULONG_MAX);
    SHOW("%lx", 0x123456789abcdefUL);
    SHOW("%#lo", ULONG_MAX);
    SHOW("%lld", LLONG_MIN);
    SHOW("%llu", ULLONG_MAX);
    SHOW("%llX", 0xfedcba9876543210ULL);
    SHOW("%zu", (size_t) -1);
    SHOW("%zd", (ptrdiff_t) -5);
    SHOW("%zx", sizeof(long));
    SHOW("%jd", INTMAX_MIN);
    SHOW("%ju", UINTMAX_MAX);
    SHOW("%td", (ptrdiff_t) -77);
    SHOW("%tx", (ptrdiff_t) 77);
    SHOW("%-20ld|", -9876543210L);
    SHOW("%020lu", 9876543210UL);
    SHOW("%+.15ld", 9876543210L);

    /* Width and precision from arguments. */
    SHOW("%*d", 6, 42);
    SHOW("%*d", -6, 42);
    SHOW("%-*d|", 6, 42);
    SHOW("%.*d", 5, 42);
    SHOW("%.*d", -5, 42);
    SHOW("%*.*d", 8, 4, -42);
    SHOW("%*.*x", -8, 4, 255);
    SHOW("%*s|", 5, "ab");
    SHOW("%-*s|", 5, "ab");
    SHOW("%.*s|", 3, "abcdef");
    SHOW("%.*s|", -3, "abcdef");
    SHOW("%*c|", 4, 'z');

    /* Strings and characters. */
    SHOW("%s", "hello");
    SHOW("%10s|", "hello");
    SHOW("%-10s|", "hello");
    SHOW("%.2s", "hello");
    SHOW("%10.2s|", "hello");
    SHOW("%-10.2s|", "hello");
    SHOW("%.0s|", "hello");
    SHOW("%.10s|", "hello");
    SHOW("%s|", "");
    SHOW("%5s|", "");
    SHOW("%c", 'A');
    SHOW("%5c|", 'A');
    SHOW("%-5c|", 'A');
    SHOW("%c%c%c", 'x', 'y', 'z');
    SHOW("%c", 256 + 'B');

    /* Pointers. */
    SHOW("%p", (void *) 0x1234);
    SHOW("%p", (void *) 0x100000);
    SHOW("%20p|", (void *) 0xabc);
    SHOW("%-20p|", (void *) 0xabc);
    SHOW("%.8p", (void *) 0xabc);
    SHOW("%p", (void *) -1);

    /* Percent and plain text. */
    SHOW("100%% sure%s", "");
    SHOW("%d%%", 50);
    SHOW("a%cb", '-');
    SHOW("%s=%d, %s=%x", "x", 10, "y", 255);
    SHOW("%3d|%-3d|%03d", 7, 7, 7);

    /* The return value: the would-be length, with truncation. */
    {
        char small[8];
        memset(small, '#', sizeof small);
        int n = snprintf(small, sizeof small, "%s", "truncated output");
        printf("snprintf(8) -> [%s] = %d, last byte %d\n", small, n, small[7]);
        n = snprintf(small, 1, "%d", 12345);
        printf("snprintf(1) -> [%s] = %d\n", small, n);
        n = snprintf(NULL, 0, "%d-%s", 12345, "abc");
        printf("snprintf(NULL, 0) = %d\n", n);
        n = sprintf(buf, "%5d|%-5s|", 42, "ok");
        printf("sprintf -> [%s] = %d\n", buf, n);
    }
    int n = printf("printf returns %d\n", 0);
    printf("%d\n", n);
    n = fprintf(stdout, "%s\n", "fprintf to stdout");
    printf("%d\n", n);
    /* The other output functions' return values. */
    int a = fputs("fputs\n", stdout);
    int b = puts("puts");
    int c = fputc(256 + 'c', stdout);
    int d = putchar('\n');
    printf("%d %d %d %d\n", a, b, c, d);
    return 0;
}
