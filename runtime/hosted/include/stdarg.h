/* <stdarg.h> (C11 7.16): va_list is the compiler's System V va_list, an
   array of one 24-byte struct { unsigned gp_offset; unsigned fp_offset;
   void *overflow_arg_area; void *reg_save_area; }, as in gcc. */
#ifndef _STDARG_H
#define _STDARG_H
typedef __builtin_va_list va_list;
#ifndef __GNUC_VA_LIST
#define __GNUC_VA_LIST
typedef __builtin_va_list __gnuc_va_list;
#endif
#define va_start(v, l) __builtin_va_start(v, l)
#define va_end(v) __builtin_va_end(v)
#define va_arg(v, l) __builtin_va_arg(v, l)
#define va_copy(d, s) __builtin_va_copy(d, s)
#define __va_copy(d, s) __builtin_va_copy(d, s)
#endif
