/* p-forkexit.c: processes that fork, allocate and exit at random, forever.
 * Tests fork, exit and freeing memory (step 7 of the lab): if the kernel
 * leaks pages, memory fills up and stays full.
 *
 * The first process calls rand() without srand, so it starts from the
 * default seed; children inherit their parent's generator state with the
 * rest of its memory, then reseed with their own pid.
 *
 * WeensyScope's own implementation of the WeensyOS p-forkexit program.
 */
#include "process.h"
#include "lib.h"

extern uint8_t end[];

uint8_t* heap_top;
uint8_t* stack_bottom;

void process_main(void) {
    /* Phase 1: the first process forks now and then; each child leaves
       the loop, the parent keeps forking. */
    while (1) {
        if (rand() % 100 == 0) {
            if (sys_fork() == 0) {
                break;
            }
        } else {
            sys_yield();
        }
    }

    /* Phase 2 (children): allocate, fork or exit at random. */
    pid_t p = sys_getpid();
    srand(p);
    heap_top = ROUNDUP((uint8_t*) end, PAGESIZE);
    stack_bottom = ROUNDDOWN((uint8_t*) read_rsp() - 1, PAGESIZE);

    while (1) {
        int x = rand() % (8 * 100);
        if (x < 8 * p) {
            if (heap_top == stack_bottom || sys_page_alloc(heap_top) < 0) {
                break;
            }
            *heap_top = p;
            heap_top += PAGESIZE;
            /* Clear a message the kernel left on the last row. */
            if (console[CPOS(24, 0)]) {
                console_printf(CPOS(24, 0), 0, "\n");
            }
        } else if (x == 8 * p) {
            if (sys_fork() == 0) {
                p = sys_getpid();
            }
        } else if (x == 8 * p + 1) {
            sys_exit();
        } else {
            sys_yield();
        }
    }

    /* Out of memory: exit some time soon. */
    while (1) {
        if (rand() % 200 == 0) {
            sys_exit();
        } else {
            sys_yield();
        }
    }
}
