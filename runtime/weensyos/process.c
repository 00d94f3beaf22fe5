/* process.c: the user programs' side of the library: printing on the
 * console, and panic and assert, which print and then ask the kernel to
 * stop the machine.
 *
 * WeensyScope's own implementation of the WeensyOS process.c API.
 */
#include "process.h"

void app_printf(int colorid, const char* format, ...) {
    int color;
    if (colorid < 0) {
        color = 0x0700;
    } else {
        static const uint8_t col[] = { 0x0E, 0x0F, 0x0C, 0x0A, 0x09 };
        color = col[colorid % sizeof(col)] << 8;
    }

    va_list val;
    va_start(val, format);
    cursorpos = console_vprintf(cursorpos, color, format, val);
    va_end(val);

    /* Keep the last rows for the kernel's messages. */
    if (CROW(cursorpos) >= 23) {
        cursorpos = CPOS(0, 0);
    }
}

void panic(const char* format, ...) {
    va_list val;
    va_start(val, format);
    char buf[160];
    memcpy(buf, "PANIC: ", 7);
    int len = vsnprintf(&buf[7], sizeof(buf) - 7, format, val) + 7;
    va_end(val);
    if (len > 0 && buf[len - 1] != '\n') {
        strcpy(buf + len - (len == (int) sizeof(buf) - 1), "\n");
    }
    (void) console_printf(CPOS(23, 0), 0xC000, "%s", buf);
    sys_panic(NULL);
}

void assert_fail(const char* file, int line, const char* msg) {
    panic("%s:%d: assertion '%s' failed\n", file, line, msg);
}
