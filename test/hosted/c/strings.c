/* <string.h>, <ctype.h> and the number parsers of <stdlib.h>, printed so
   that the output can be compared with the same program under glibc. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sign(int x) {
    return x < 0 ? -1 : x > 0 ? 1 : 0;
}

static void show_bytes(const char *label, const unsigned char *p, size_t n) {
    printf("%s:", label);
    for (size_t i = 0; i < n; i++) printf(" %02x", p[i]);
    printf("\n");
}

static void parse(const char *s, int base) {
    char *end;
    long l = strtol(s, &end, base);
    printf("strtol(\"%s\", %d) = %ld, rest \"%s\"\n", s, base, l, end);
    unsigned long u = strtoul(s, &end, base);
    printf("strtoul(\"%s\", %d) = %lu, rest \"%s\"\n", s, base, u, end);
}

int main(void) {
    /* Lengths and copies. */
    char a[64];
    printf("strlen: %zu %zu %zu\n", strlen(""), strlen("a"), strlen("hello, world"));
    printf("strnlen: %zu %zu %zu\n", strnlen("hello", 3), strnlen("hello", 10), strnlen("", 5));
    strcpy(a, "abc");
    printf("strcpy: %s\n", a);
    strcat(a, "def");
    printf("strcat: %s\n", a);
    strncat(a, "ghijkl", 3);
    printf("strncat: %s\n", a);
    strncat(a, "xy", 10);
    printf("strncat: %s\n", a);
    memset(a, 'Z', sizeof a);
    strncpy(a, "hi", 5);
    show_bytes("strncpy pads", (const unsigned char *) a, 7);
    strncpy(a, "longer than n", 4);
    show_bytes("strncpy truncates", (const unsigned char *) a, 6);

    /* Comparisons (only the sign is specified). */
    const char *words[] = {"", "a", "ab", "abc", "abd", "b", "B", "\x80", "\x7f"};
    int nw = (int) (sizeof words / sizeof words[0]);
    for (int i = 0; i < nw; i++) {
        printf("strcmp row %d:", i);
        for (int j = 0; j < nw; j++) printf(" %2d", sign(strcmp(words[i], words[j])));
        printf("\n");
    }
    printf("strncmp: %d %d %d %d\n", sign(strncmp("abcd", "abcf", 3)), sign(strncmp("abcd", "abcf", 4)), sign(strncmp("ab", "abc", 5)),
           sign(strncmp("x", "y", 0)));
    printf("memcmp: %d %d %d\n", sign(memcmp("abc", "abd", 3)), sign(memcmp("abc", "abd", 2)), sign(memcmp("\xff", "\x01", 1)));

    /* Searching. */
    const char *s = "the quick brown fox jumps over the lazy dog";
    printf("strchr: %s\n", strchr(s, 'q'));
    printf("strchr nul: %d\n", strchr(s, 0) == s + strlen(s));
    printf("strchr missing: %p\n", (void *) strchr(s, 'Q'));
    printf("strrchr: %s\n", strrchr(s, 'o'));
    printf("strstr: %s\n", strstr(s, "the lazy"));
    printf("strstr empty: %d\n", strstr(s, "") == s);
    printf("strstr missing: %p\n", (void *) strstr(s, "cat"));
    printf("strstr overlap: %s\n", strstr("aaab", "aab"));
    printf("memchr: %s\n", (const char *) memchr(s, 'j', strlen(s)));
    printf("strspn %zu strcspn %zu strpbrk %s\n", strspn("aabbcx", "abc"), strcspn("hello world", " w"), strpbrk("hello world", "ow"));
    char text[] = "  one, two;;three  ";
    for (char *t = strtok(text, " ,;"); t != NULL; t = strtok(NULL, " ,;")) printf("token [%s]\n", t);

    /* memmove both ways, memcpy, memset. */
    char m[] = "0123456789";
    memmove(m + 2, m, 5);
    printf("memmove up: %s\n", m);
    strcpy(m, "0123456789");
    memmove(m, m + 3, 6);
    printf("memmove down: %s\n", m);
    unsigned long words8[4] = {0, 0, 0, 0};
    memset(words8, 0xab, sizeof words8 - 3);
    show_bytes("memset", (const unsigned char *) words8, sizeof words8);
    char src[40];
    char dst[40];
    for (int i = 0; i < 40; i++) src[i] = (char) ('A' + i % 26);
    for (int off = 0; off < 3; off++) {
        memset(dst, '.', sizeof dst);
        memcpy(dst + off, src + 1, 20);
        dst[39] = 0;
        printf("memcpy +%d: %s\n", off, dst);
    }
    char *d = strdup("duplicate me");
    printf("strdup: %s %d\n", d, d != NULL);
    free(d);
    d = strndup("duplicate me", 9);
    printf("strndup: %s\n", d);
    free(d);

    /* ctype over every value a char can have, and EOF. */
    const char *names[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"};
    int (*fns[])(int) = {isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower, isprint, ispunct, isspace, isupper, isxdigit};
    for (int k = 0; k < 12; k++) {
        unsigned long long h = 0;
        int count = 0;
        for (int c = -1; c < 256; c++) {
            int yes = fns[k](c) != 0;
            count += yes;
            h = h * 31 + (unsigned long long) (yes * (c + 2));
        }
        printf("is%s: %d members, hash %llx\n", names[k], count, h);
    }
    printf("tolower/toupper:");
    for (int c = -1; c < 256; c += 17) printf(" %d/%d", tolower(c), toupper(c));
    printf(" %c%c\n", tolower('Q'), toupper('q'));

    /* Number parsing. */
    parse("42", 10);
    parse("   -42xyz", 10);
    parse("+17", 0);
    parse("0x1F", 0);
    parse("0x1F", 16);
    parse("0X", 16);
    parse("0xg", 0);
    parse("0755", 0);
    parse("z", 36);
    parse("1010", 2);
    parse("", 10);
    parse("  ", 10);
    parse("-", 10);
    parse("9223372036854775807", 10);
    parse("9223372036854775808", 10);
    parse("-9223372036854775808", 10);
    parse("-9223372036854775809", 10);
    parse("18446744073709551615", 10);
    parse("18446744073709551616", 10);
    parse("-1", 10);
    parse("\t\n 12 34", 10);
    printf("atoi: %d %d %d %d\n", atoi("123"), atoi("-0"), atoi(" 77 bottles"), atoi("x"));
    printf("atol: %ld %lld\n", atol("-1234567890123"), atoll("987654321098"));
    printf("abs: %d %ld %lld %d\n", abs(-5), labs(-6L), llabs(-7LL), abs(INT_MAX));
    return 0;
}
