/* <assert.h> (C11 7.2). Deliberately without an include guard: each
   inclusion redefines assert according to the current NDEBUG. A failed
   assertion prints glibc's message to stderr,
     prog: file.c:12: main: Assertion `x > 0' failed.
   and aborts (exit status 134, as a SIGABRT gives in a shell). */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void) 0)
#else
#define assert(expr) ((expr) ? (void) 0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef _ASSERT_H_DECLS
#define _ASSERT_H_DECLS
void __assert_fail(const char *__assertion, const char *__file, unsigned int __line, const char *__function) __attribute__((__noreturn__));
#define static_assert _Static_assert
#endif
