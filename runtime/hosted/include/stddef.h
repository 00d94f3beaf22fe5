/* <stddef.h> for hosted programs (C11 7.19), with gcc's x86-64 (LP64) types. */
#ifndef _STDDEF_H
#define _STDDEF_H

#ifndef __WEENSY_SIZE_T
#define __WEENSY_SIZE_T
typedef unsigned long size_t;
#endif
typedef long ptrdiff_t;
#ifndef __WEENSY_WCHAR_T
#define __WEENSY_WCHAR_T
typedef int wchar_t;
#endif
typedef struct {
    long long __max_align_ll __attribute__((__aligned__(16)));
    long long __max_align_ld __attribute__((__aligned__(16)));
} max_align_t;

#ifndef NULL
#define NULL ((void *) 0)
#endif
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
