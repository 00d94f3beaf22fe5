/* process.h: what a user program can ask of the kernel. Each system call
 * is one `int N` instruction; the argument travels in %rdi and the result
 * comes back in %rax. The kernel restores every other register.
 *
 * WeensyScope's own text of the WeensyOS process.h API.
 */
#ifndef WEENSYOS_PROCESS_H
#define WEENSYOS_PROCESS_H
#include "lib.h"
#include "x86-64.h"

/* sys_getpid(): the calling process's ID. */
static inline pid_t sys_getpid(void) {
    return (pid_t) __builtin_ws_int(INT_SYS_GETPID, 0);
}

/* sys_yield(): let another process run. */
static inline void sys_yield(void) {
    (void) __builtin_ws_int(INT_SYS_YIELD, 0);
}

/* sys_page_alloc(addr): map a fresh physical page at virtual address addr.
   Returns 0 on success and -1 on failure (addr not allowed, or no memory). */
static inline int sys_page_alloc(void* addr) {
    return (int) __builtin_ws_int(INT_SYS_PAGE_ALLOC, (uintptr_t) addr);
}

/* sys_fork(): a copy of the calling process. Returns the child's ID in the
   parent, 0 in the child, and -1 on failure. */
static inline pid_t sys_fork(void) {
    return (pid_t) __builtin_ws_int(INT_SYS_FORK, 0);
}

/* sys_exit(): end the calling process. Never returns. */
static inline void __attribute__((noreturn)) sys_exit(void) {
    (void) __builtin_ws_int(INT_SYS_EXIT, 0);
    /* If the kernel does not implement exit, spin. */
    for (;;) {
    }
}

/* sys_panic(msg): stop the whole machine with a kernel panic. */
static inline void __attribute__((noreturn)) sys_panic(const char* msg) {
    (void) __builtin_ws_int(INT_SYS_PANIC, (uintptr_t) msg);
    for (;;) {
    }
}

/* app_printf(colorid, format, ...): print on the console at the cursor, in
   one of a few colours chosen by colorid; the cursor wraps to the top once
   it reaches row 23. */
void app_printf(int colorid, const char* format, ...);

#endif
