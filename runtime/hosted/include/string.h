/* <string.h> (C11 7.24) plus strdup and strnlen (POSIX). */
#ifndef _STRING_H
#define _STRING_H

#ifndef __WEENSY_SIZE_T
#define __WEENSY_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef NULL
#define NULL ((void *) 0)
#endif

void *memcpy(void *__dst, const void *__src, size_t __n);
void *memmove(void *__dst, const void *__src, size_t __n);
void *memset(void *__s, int __c, size_t __n);
int memcmp(const void *__a, const void *__b, size_t __n);
void *memchr(const void *__s, int __c, size_t __n);
size_t strlen(const char *__s);
size_t strnlen(const char *__s, size_t __maxlen);
char *strcpy(char *__dst, const char *__src);
char *strncpy(char *__dst, const char *__src, size_t __n);
char *strcat(char *__dst, const char *__src);
char *strncat(char *__dst, const char *__src, size_t __n);
int strcmp(const char *__a, const char *__b);
int strncmp(const char *__a, const char *__b, size_t __n);
char *strchr(const char *__s, int __c);
char *strrchr(const char *__s, int __c);
char *strstr(const char *__haystack, const char *__needle);
size_t strspn(const char *__s, const char *__accept);
size_t strcspn(const char *__s, const char *__reject);
char *strpbrk(const char *__s, const char *__accept);
char *strtok(char *__s, const char *__delim);
char *strdup(const char *__s);
char *strndup(const char *__s, size_t __n);

#endif
