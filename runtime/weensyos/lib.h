/* lib.h: what the kernel and the user programs share. Integer types,
 * the C string and memory functions, the random-number generator, the
 * printf family that draws on the CGA console, the system-call numbers, the
 * console geometry, a few arithmetic helpers and assert.
 *
 * WeensyScope's own text of the WeensyOS lib.h API (nothing here comes
 * from the course handout; the names, values and behaviour do).
 */
#ifndef WEENSYOS_LIB_H
#define WEENSYOS_LIB_H

/* ---------------------------------------------------------------- types */
/* gcc x86-64 (LP64) widths: int is 32 bits, long and pointers 64. */

typedef __INT8_TYPE__ int8_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __INT16_TYPE__ int16_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __INT32_TYPE__ int32_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__ size_t;
typedef long ssize_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef int pid_t;
typedef long off_t;

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dst, src) __builtin_va_copy(dst, src)

#ifndef NULL
#define NULL ((void*) 0)
#endif
#define offsetof(type, member) __builtin_offsetof(type, member)

typedef _Bool bool;
#define true 1
#define false 0

/* ----------------------------------------------------- memory, strings */

/* memcpy(dst, src, n): copies n bytes from src to dst (the two must not
   overlap) and returns dst. In the kernel, both addresses are read through
   the current page table: after set_pagetable(p->p_pagetable) they are the
   process's virtual addresses. */
void* memcpy(void* dst, const void* src, size_t n);
/* memmove(dst, src, n): copies n bytes from src to dst, correctly even when
   they overlap; returns dst. */
void* memmove(void* dst, const void* src, size_t n);
/* memset(s, c, n): sets n bytes at s to the byte c and returns s; the usual
   way to zero a fresh page: memset((void*) pa, 0, PAGESIZE). */
void* memset(void* s, int c, size_t n);
/* memcmp(a, b, n): compares n bytes; negative, zero or positive as the first
   differing byte of a is smaller, equal or larger (as unsigned char). */
int memcmp(const void* a, const void* b, size_t n);
/* strlen(s): the number of characters before the terminating NUL. */
size_t strlen(const char* s);
/* strnlen(s, maxlen): strlen(s), but at most maxlen. */
size_t strnlen(const char* s, size_t maxlen);
/* strcpy(dst, src): copies src and its NUL to dst; returns dst. */
char* strcpy(char* dst, const char* src);
/* strcmp(a, b): compares two strings; 0 when equal, as kernel() does with
   the boot command ("fork", "forkexit"). */
int strcmp(const char* a, const char* b);
/* strchr(s, c): the first c in s (the NUL counts), or NULL. */
char* strchr(const char* s, int c);

/* ------------------------------------------------------- random numbers */

/* rand() returns a number in [0, RAND_MAX]: a linear congruential generator
   (seed = seed * 1664525 + 1013904223, result seed & RAND_MAX). The state is
   per-binary static data, so every process has its own, and fork copies it.
   Without a call to srand, the first rand() seeds with 819234718. */
#define RAND_MAX 0x7FFFFFFF
int rand(void);
void srand(unsigned seed);

/* ------------------------------------------------------------- printing */

/* The formatter behind console_printf, snprintf and log_printf: `putc` is
   called once per character with the current colour. Formats: flags
   '#', '0', '-', ' ', '+'; width and precision (numbers or '*'); the 'l'
   and 'z' length modifiers; conversions d i u x X p s c; "%C" takes an int
   and makes it the colour of what follows. "%p" prints 0x and lowercase hex.
   Any other character after '%' is printed as it is. */
typedef struct printer printer;
struct printer {
    void (*putc)(printer* p, unsigned char c, int color);
};
void printer_vprintf(printer* p, int color, const char* format, va_list val);

/* The CGA console: 80x25 cells of (character | attribute << 8), at physical
   (and identity-mapped virtual) address 0xB8000; `cursorpos` is at 0xB8FFC,
   in the same page. Both are linker symbols. */
#define CONSOLE_COLUMNS 80
#define CONSOLE_ROWS 25
extern volatile uint16_t console[CONSOLE_ROWS * CONSOLE_COLUMNS];
extern volatile int cursorpos;

/* Cursor positions: CPOS(row, column), and back. */
#define CPOS(row, col) ((row) * 80 + (col))
#define CROW(cpos) ((cpos) / 80)
#define CCOL(cpos) ((cpos) % 80)

/* console_printf(cpos, color, format, ...) prints at cursor position cpos in
   `color` (an attribute already shifted left by 8, e.g. 0x0700) and returns
   the position after the text. A position outside the screen becomes 0, and
   printing wraps from the last cell to the first. '\n' fills the rest of the
   row with blanks in `color`. */
int console_printf(int cpos, int color, const char* format, ...);
int console_vprintf(int cpos, int color, const char* format, va_list val);

/* console_clear() blanks the screen (' ' in 0x0700) and sets cursorpos = 0. */
void console_clear(void);

/* snprintf(s, size, format, ...) formats into s, storing at most size - 1
   characters and a terminating NUL when size > 0. It returns the number of
   characters stored (not the number the whole output would need). */
int snprintf(char* s, size_t size, const char* format, ...);
int vsnprintf(char* s, size_t size, const char* format, va_list val);

/* ------------------------------------------------------------ arithmetic */

#define MIN(_a, _b) ({ typeof(_a) __a = (_a); typeof(_b) __b = (_b); __a <= __b ? __a : __b; })
#define MAX(_a, _b) ({ typeof(_a) __a = (_a); typeof(_b) __b = (_b); __a >= __b ? __a : __b; })

/* ROUNDDOWN(a, n): a rounded down to a multiple of n, computed in uint64_t
   and given back a's type; ROUNDUP(a, n) rounds up. Any n > 0 works. */
#define ROUNDDOWN(a, n) ({ uint64_t __a = (uint64_t) (a); (typeof(a)) (__a - __a % (n)); })
#define ROUNDUP(a, n) ({ uint64_t __n = (uint64_t) (n); (typeof(a)) (ROUNDDOWN((uint64_t) (a) + __n - 1, __n)); })

#define arraysize(array) (sizeof(array) / sizeof(array[0]))

/* ---------------------------------------------------------- system calls */
/* A process makes a system call with `int N` (process.h has the wrappers);
   the argument travels in %rdi, the result comes back in %rax. */

#define INT_SYS 48
#define INT_SYS_PANIC 48
#define INT_SYS_GETPID 49
#define INT_SYS_YIELD 50
#define INT_SYS_PAGE_ALLOC 51
#define INT_SYS_FORK 52
#define INT_SYS_EXIT 53

/* --------------------------------------------------------------- assert */

/* panic(format, ...) prints "PANIC: " and the message on the console (and,
   in the kernel, in the log) and never returns. */
void panic(const char* format, ...) __attribute__((noreturn));
void assert_fail(const char* file, int line, const char* msg) __attribute__((noreturn));

#define assert(x) \
    do { if (!(x)) assert_fail(__FILE__, __LINE__, #x); } while (0)

#endif
