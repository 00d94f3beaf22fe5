/* p-allocator.c: a process that grows its heap one page at a time until
 * memory runs out (or its heap meets its stack), yielding after every try.
 * Process p allocates on about p% of its turns, so the four copies fill
 * memory at different speeds; with NO_SLOWDOWN every turn allocates.
 * Built four times, at 0x100000, 0x140000, 0x180000 and 0x1C0000.
 *
 * WeensyScope's own implementation of the WeensyOS p-allocator program.
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
    pid_t p = sys_getpid();
    srand(p);

    /* The heap starts at the first page boundary after the program; the
       stack is the page holding the current stack pointer. */
    heap_top = ROUNDUP((uint8_t*) end, PAGESIZE);
    stack_bottom = ROUNDDOWN((uint8_t*) read_rsp() - 1, PAGESIZE);

    while (1) {
        if (NO_SLOWDOWN || rand() % ALLOC_SLOWDOWN < p) {
            if (heap_top == stack_bottom || sys_page_alloc(heap_top) < 0) {
                break;
            }
            *heap_top = p;      /* check that the new page is writable */
            heap_top += PAGESIZE;
        }
        sys_yield();
    }

    /* Out of memory: stay alive, politely. */
    while (1) {
        sys_yield();
    }
}
