/* The program's entry point. The runner (emulator/hosted/run-hosted.ts)
   loads the image, places the argument strings and the argv array at the
   top of RAM, points rsp just below them and starts here with
   rdi = argc and rsi = argv, as if _start had been called. */
#include <stdlib.h>
#include "internal.h"

int main(int argc, char **argv);

const char *__weensy_progname = "";

void _start(int argc, char **argv) {
    __weensy_heap_init(__builtin_ws_read_rsp());
    if (argc > 0 && argv[0] != NULL) {
        const char *name = argv[0];
        for (const char *q = name; *q != 0; q++)
            if (*q == '/') name = q + 1;
        __weensy_progname = name;
    }
    exit(main(argc, argv));
}
