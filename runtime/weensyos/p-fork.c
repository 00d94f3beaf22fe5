/* p-fork.c: forks twice, giving four processes, then each runs the
 * allocator's loop. Tests the kernel's fork (step 5 of the lab).
 *
 * WeensyScope's own implementation of the WeensyOS p-fork program.
 */
#include "process.h"
#include "lib.h"

#ifndef NO_SLOWDOWN
#define NO_SLOWDOWN 0
#endif
#define ALLOC_SLOWDOWN 100

extern uint8_t end[];

uint8_t* heap_top;
uint8_t* stack_bottom;

void process_main(void) {
    pid_t initial = sys_getpid();

    /* Two forks: the original, two children and a grandchild. */
    pid_t p1 = sys_fork();
    assert(p1 >= 0);
    pid_t p2 = sys_fork();
    assert(p2 >= 0);

    /* The original got two different children; each other process is a
       child of at least one of the forks. */
    if (sys_getpid() == initial) {
        assert(p1 != 0 && p2 != 0 && p1 != p2);
    } else {
        assert(p1 == 0 || p2 == 0);
    }

    pid_t p = sys_getpid();
    srand(p);
    heap_top = ROUNDUP((uint8_t*) end, PAGESIZE);
    stack_bottom = ROUNDDOWN((uint8_t*) read_rsp() - 1, PAGESIZE);

    while (1) {
        if (NO_SLOWDOWN || rand() % ALLOC_SLOWDOWN < p) {
            if (heap_top == stack_bottom || sys_page_alloc(heap_top) < 0) {
                break;
            }
            *heap_top = p;
            heap_top += PAGESIZE;
        }
        sys_yield();
    }

    while (1) {
        sys_yield();
    }
}
