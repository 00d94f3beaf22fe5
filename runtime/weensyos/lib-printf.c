/* lib-printf.c: the formatter and what prints through it: the console
 * (console_printf, console_clear) and strings (snprintf). lib.h documents
 * the format language, which is WeensyOS's, not the C library's: "%C"
 * changes the colour, "%p" always prints 0x, and an unknown conversion
 * prints its character.
 *
 * WeensyScope's own implementation of the WeensyOS lib.c printing API.
 */
#include "lib.h"

#define FLAG_ALT 1
#define FLAG_ZERO 2
#define FLAG_LEFT 4
#define FLAG_SPACE 8
#define FLAG_PLUS 16

/* Emits one converted field: a prefix (sign, "0x"), zeros to reach the
 * precision, the digits or characters, and padding to the width. */
static void print_field(printer* p, int color, int flags, int width, int precision,
                        const char* prefix, const char* body, int len, int numeric) {
    int zeros = 0;
    if (numeric && precision > len) {
        zeros = precision - len;
    }
    int prefixlen = (int) strlen(prefix);
    int pad = width - prefixlen - zeros - len;
    if (numeric && (flags & FLAG_ZERO) && !(flags & FLAG_LEFT) && precision < 0 && pad > 0) {
        zeros += pad;
        pad = 0;
    }
    for (; !(flags & FLAG_LEFT) && pad > 0; pad--) {
        p->putc(p, ' ', color);
    }
    for (; *prefix; prefix++) {
        p->putc(p, (unsigned char) *prefix, color);
    }
    for (; zeros > 0; zeros--) {
        p->putc(p, '0', color);
    }
    for (int i = 0; i < len; i++) {
        p->putc(p, (unsigned char) body[i], color);
    }
    for (; pad > 0; pad--) {
        p->putc(p, ' ', color);
    }
}

void printer_vprintf(printer* p, int color, const char* format, va_list val) {
    for (; *format; format++) {
        if (*format != '%') {
            p->putc(p, (unsigned char) *format, color);
            continue;
        }
        format++;

        int flags = 0;
        for (;; format++) {
            if (*format == '#') {
                flags |= FLAG_ALT;
            } else if (*format == '0') {
                flags |= FLAG_ZERO;
            } else if (*format == '-') {
                flags |= FLAG_LEFT;
            } else if (*format == ' ') {
                flags |= FLAG_SPACE;
            } else if (*format == '+') {
                flags |= FLAG_PLUS;
            } else {
                break;
            }
        }

        int width = -1;
        if (*format == '*') {
            width = va_arg(val, int);
            if (width < 0) {
                flags |= FLAG_LEFT;
                width = -width;
            }
            format++;
        } else if (*format >= '1' && *format <= '9') {
            for (width = 0; *format >= '0' && *format <= '9'; format++) {
                width = 10 * width + (*format - '0');
            }
        }

        int precision = -1;
        if (*format == '.') {
            format++;
            if (*format == '*') {
                precision = va_arg(val, int);
                format++;
            } else {
                for (precision = 0; *format >= '0' && *format <= '9'; format++) {
                    precision = 10 * precision + (*format - '0');
                }
            }
            if (precision < 0) {
                precision = -1;
            }
        }

        /* l, ll, z (and any run of them): 64 bits on x86-64. */
        int is_long = 0;
        while (*format == 'l' || *format == 'z') {
            is_long = 1;
            format++;
        }

        char buf[24];
        const char* prefix = "";
        const char* body = buf;
        int len = 0;
        int numeric = 0;
        unsigned long num = 0;
        int base = 10;
        const char* digits = "0123456789abcdef";

        switch (*format) {
        case 'd':
        case 'i': {
            long x = is_long ? va_arg(val, long) : va_arg(val, int);
            if (x < 0) {
                prefix = "-";
                num = -(unsigned long) x;
            } else {
                prefix = (flags & FLAG_PLUS) ? "+" : (flags & FLAG_SPACE) ? " " : "";
                num = (unsigned long) x;
            }
            numeric = 1;
            break;
        }
        case 'u':
            num = is_long ? va_arg(val, unsigned long) : va_arg(val, unsigned);
            numeric = 1;
            break;
        case 'x':
        case 'X':
            num = is_long ? va_arg(val, unsigned long) : va_arg(val, unsigned);
            base = 16;
            if (*format == 'X') {
                digits = "0123456789ABCDEF";
            }
            if ((flags & FLAG_ALT) && num != 0) {
                prefix = *format == 'X' ? "0X" : "0x";
            }
            numeric = 1;
            break;
        case 'p':
            num = (uintptr_t) va_arg(val, void*);
            base = 16;
            prefix = "0x";
            numeric = 1;
            break;
        case 's':
            body = va_arg(val, const char*);
            if (!body) {
                body = "(null)";
            }
            len = precision >= 0 ? (int) strnlen(body, precision) : (int) strlen(body);
            break;
        case 'c':
            buf[0] = (char) va_arg(val, int);
            len = 1;
            break;
        case 'C':
            color = va_arg(val, int);
            continue;
        case '\0':
            /* A '%' at the very end prints nothing more. */
            return;
        default:
            /* '%%' prints '%'; anything else prints as it is. */
            buf[0] = *format;
            len = 1;
            break;
        }

        if (numeric) {
            /* Digits, least significant first, then reversed into place. */
            char tmp[24];
            int n = 0;
            while (num != 0) {
                tmp[n++] = digits[num % base];
                num /= base;
            }
            if (n == 0 && precision != 0) {
                tmp[n++] = '0';
            }
            for (int i = 0; i < n; i++) {
                buf[i] = tmp[n - 1 - i];
            }
            len = n;
        }
        print_field(p, color, flags, width, precision, prefix, body, len, numeric);
    }
}

/* ---------------------------------------------------------------- console */

typedef struct console_printer {
    printer p;
    int cursor;
} console_printer;

static void console_putc(printer* p, unsigned char c, int color) {
    console_printer* cp = (console_printer*) p;
    if (cp->cursor >= CONSOLE_ROWS * CONSOLE_COLUMNS) {
        cp->cursor = 0;
    }
    if (c == '\n') {
        /* Blank the rest of the row in this colour. */
        int end = cp->cursor + CONSOLE_COLUMNS - cp->cursor % CONSOLE_COLUMNS;
        for (; cp->cursor < end; cp->cursor++) {
            console[cp->cursor] = ' ' | color;
        }
    } else {
        console[cp->cursor++] = c | color;
    }
}

int console_vprintf(int cpos, int color, const char* format, va_list val) {
    console_printer cp;
    cp.p.putc = console_putc;
    cp.cursor = (cpos < 0 || cpos >= CONSOLE_ROWS * CONSOLE_COLUMNS) ? 0 : cpos;
    printer_vprintf(&cp.p, color, format, val);
    return cp.cursor;
}

int console_printf(int cpos, int color, const char* format, ...) {
    va_list val;
    va_start(val, format);
    cpos = console_vprintf(cpos, color, format, val);
    va_end(val);
    return cpos;
}

void console_clear(void) {
    for (int i = 0; i < CONSOLE_ROWS * CONSOLE_COLUMNS; i++) {
        console[i] = ' ' | 0x0700;
    }
    cursorpos = 0;
}

/* ---------------------------------------------------------------- strings */

typedef struct string_printer {
    printer p;
    char* s;
    size_t left;    /* room left, keeping one byte for the NUL */
    int stored;
} string_printer;

static void string_putc(printer* p, unsigned char c, int color) {
    string_printer* sp = (string_printer*) p;
    (void) color;
    if (sp->left > 0) {
        *sp->s++ = (char) c;
        sp->left--;
        sp->stored++;
    }
}

int vsnprintf(char* s, size_t size, const char* format, va_list val) {
    string_printer sp;
    sp.p.putc = string_putc;
    sp.s = s;
    sp.left = size > 0 ? size - 1 : 0;
    sp.stored = 0;
    printer_vprintf(&sp.p, 0, format, val);
    if (size > 0) {
        *sp.s = '\0';
    }
    return sp.stored;
}

int snprintf(char* s, size_t size, const char* format, ...) {
    va_list val;
    va_start(val, format);
    int n = vsnprintf(s, size, format, val);
    va_end(val);
    return n;
}
