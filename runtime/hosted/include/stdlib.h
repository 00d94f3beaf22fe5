/* <stdlib.h> (C11 7.22), without floating point, wide characters or
   environment. The heap lies between the end of the program (the linker's
   `end`) and the stack; malloc returns NULL when it is used up. */
#ifndef _STDLIB_H
#define _STDLIB_H

#ifndef __WEENSY_SIZE_T
#define __WEENSY_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef __WEENSY_WCHAR_T
#define __WEENSY_WCHAR_T
typedef int wchar_t;
#endif
#ifndef NULL
#define NULL ((void *) 0)
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 32767

void *malloc(size_t __size);
void *calloc(size_t __nmemb, size_t __size);
void *realloc(void *__ptr, size_t __size);
void free(void *__ptr);

void exit(int __status) __attribute__((__noreturn__));
void _Exit(int __status) __attribute__((__noreturn__));
void abort(void) __attribute__((__noreturn__));
int atexit(void (*__function)(void));
char *getenv(const char *__name);

int atoi(const char *__s);
long atol(const char *__s);
long long atoll(const char *__s);
long strtol(const char *__s, char **__end, int __base);
unsigned long strtoul(const char *__s, char **__end, int __base);
long long strtoll(const char *__s, char **__end, int __base);
unsigned long long strtoull(const char *__s, char **__end, int __base);

int abs(int __x);
long labs(long __x);
long long llabs(long long __x);

void qsort(void *__base, size_t __nmemb, size_t __size, int (*__compar)(const void *, const void *));
void *bsearch(const void *__key, const void *__base, size_t __nmemb, size_t __size, int (*__compar)(const void *, const void *));

int rand(void);
void srand(unsigned int __seed);

#endif
