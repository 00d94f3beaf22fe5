/* The failure half of <assert.h>, with glibc's message. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function) {
    fprintf(stderr, "%s%s%s:%u: %s%sAssertion `%s' failed.\n", __weensy_progname, __weensy_progname[0] != 0 ? ": " : "", file, line,
            function != NULL ? function : "", function != NULL ? ": " : "", assertion);
    abort();
}
