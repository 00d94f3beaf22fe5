/* <string.h>. */
#include <stdlib.h>
#include <string.h>

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((unsigned long) d | (unsigned long) s) & 7) == 0) {
        unsigned long *dw = (unsigned long *) d;
        const unsigned long *sw = (const unsigned long *) s;
        for (; n >= 32; n -= 32, dw += 4, sw += 4) {
            dw[0] = sw[0];
            dw[1] = sw[1];
            dw[2] = sw[2];
            dw[3] = sw[3];
        }
        for (; n >= 8; n -= 8) *dw++ = *sw++;
        d = (unsigned char *) dw;
        s = (const unsigned char *) sw;
    }
    for (; n > 0; n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    d += n;
    s += n;
    while (n > 0) {
        *--d = *--s;
        n--;
    }
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    unsigned char b = (unsigned char) c;
    if (((unsigned long) d & 7) == 0 && n >= 8) {
        unsigned long word = b * 0x0101010101010101UL;
        unsigned long *dw = (unsigned long *) d;
        for (; n >= 32; n -= 32, dw += 4) {
            dw[0] = word;
            dw[1] = word;
            dw[2] = word;
            dw[3] = word;
        }
        for (; n >= 8; n -= 8) *dw++ = word;
        d = (unsigned char *) dw;
    }
    for (; n > 0; n--) *d++ = b;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a;
    const unsigned char *q = b;
    for (; n > 0; n--, p++, q++)
        if (*p != *q) return *p < *q ? -1 : 1;
    return 0;
}

void *memchr(const void *s, int c, size_t n) {
    const unsigned char *p = s;
    for (; n > 0; n--, p++)
        if (*p == (unsigned char) c) return (void *) p;
    return NULL;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n] != 0) n++;
    return n;
}

size_t strnlen(const char *s, size_t maxlen) {
    size_t n = 0;
    while (n < maxlen && s[n] != 0) n++;
    return n;
}

char *strcpy(char *dst, const char *src) {
    char *d = dst;
    while ((*d++ = *src++) != 0) {
    }
    return dst;
}

char *strncpy(char *dst, const char *src, size_t n) {
    size_t i = 0;
    for (; i < n && src[i] != 0; i++) dst[i] = src[i];
    for (; i < n; i++) dst[i] = 0;
    return dst;
}

char *strcat(char *dst, const char *src) {
    strcpy(dst + strlen(dst), src);
    return dst;
}

char *strncat(char *dst, const char *src, size_t n) {
    char *d = dst + strlen(dst);
    size_t i = 0;
    for (; i < n && src[i] != 0; i++) d[i] = src[i];
    d[i] = 0;
    return dst;
}

int strcmp(const char *a, const char *b) {
    const unsigned char *p = (const unsigned char *) a;
    const unsigned char *q = (const unsigned char *) b;
    while (*p != 0 && *p == *q) {
        p++;
        q++;
    }
    return *p < *q ? -1 : *p > *q ? 1 : 0;
}

int strncmp(const char *a, const char *b, size_t n) {
    const unsigned char *p = (const unsigned char *) a;
    const unsigned char *q = (const unsigned char *) b;
    for (; n > 0; n--, p++, q++) {
        if (*p != *q) return *p < *q ? -1 : 1;
        if (*p == 0) return 0;
    }
    return 0;
}

char *strchr(const char *s, int c) {
    char ch = (char) c;
    for (;; s++) {
        if (*s == ch) return (char *) s;
        if (*s == 0) return NULL;
    }
}

char *strrchr(const char *s, int c) {
    char ch = (char) c;
    const char *found = NULL;
    for (;; s++) {
        if (*s == ch) found = s;
        if (*s == 0) return (char *) found;
    }
}

char *strstr(const char *haystack, const char *needle) {
    size_t n = strlen(needle);
    if (n == 0) return (char *) haystack;
    for (; *haystack != 0; haystack++)
        if (*haystack == *needle && strncmp(haystack, needle, n) == 0) return (char *) haystack;
    return NULL;
}

size_t strspn(const char *s, const char *accept) {
    size_t n = 0;
    while (s[n] != 0 && strchr(accept, s[n]) != NULL) n++;
    return n;
}

size_t strcspn(const char *s, const char *reject) {
    size_t n = 0;
    while (s[n] != 0 && strchr(reject, s[n]) == NULL) n++;
    return n;
}

char *strpbrk(const char *s, const char *accept) {
    s += strcspn(s, accept);
    return *s != 0 ? (char *) s : NULL;
}

char *strtok(char *s, const char *delim) {
    static char *next;
    if (s == NULL) s = next;
    if (s == NULL) return NULL;
    s += strspn(s, delim);
    if (*s == 0) {
        next = NULL;
        return NULL;
    }
    char *token_end = s + strcspn(s, delim);
    if (*token_end != 0) {
        *token_end = 0;
        next = token_end + 1;
    } else {
        next = NULL;
    }
    return s;
}

char *strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy != NULL) memcpy(copy, s, n);
    return copy;
}

char *strndup(const char *s, size_t n) {
    size_t len = strnlen(s, n);
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = 0;
    }
    return copy;
}
