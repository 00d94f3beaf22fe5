/* The printf format language, once: see printer.h. */
#include "printer.h"

#define FLAG_LEFT 1
#define FLAG_PLUS 2
#define FLAG_SPACE 4
#define FLAG_ALT 8
#define FLAG_ZERO 16

/* One conversion being formatted, and the running byte count. */
typedef struct conversion {
    printer *p;
    int color;
    int count;
    int flags;
    int width; /* 0 when none was given */
    int prec;  /* -1 when none was given */
} conversion;

static void out(conversion *s, unsigned char c) {
    s->p->putc(s->p, c, s->color);
    s->count++;
}

static void pad(conversion *s, unsigned char c, int n) {
    while (n > 0) {
        out(s, c);
        n--;
    }
}

static void out_bytes(conversion *s, const char *str, int n) {
    for (int i = 0; i < n; i++) out(s, (unsigned char) str[i]);
}

/* %s and %c: padded with spaces, even with the '0' flag, as glibc does. */
static void print_string(conversion *s, const char *str, int len) {
    int width = s->width - len;
    if (!(s->flags & FLAG_LEFT)) pad(s, ' ', width);
    out_bytes(s, str, len);
    if (s->flags & FLAG_LEFT) pad(s, ' ', width);
}

static int bounded_length(const char *str, int max) {
    int n = 0;
    while ((max < 0 || n < max) && str[n] != 0) n++;
    return n;
}

/* An integer conversion: `value` is the magnitude, `sign` is '-', '+', ' '
   or 0. Follows glibc's vfprintf step by step, so the precision, the '0'
   and '#' flags and the width combine exactly as they do there. */
static void print_number(conversion *s, unsigned long value, char sign, int base, int upper) {
    char buf[32];
    char *end = buf + sizeof buf;
    char *d = end;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int prec = s->prec;
    char fill = (s->flags & FLAG_ZERO) && !(s->flags & FLAG_LEFT) ? '0' : ' ';
    if (prec < 0)
        prec = 1;
    else
        fill = ' '; /* a precision cancels the '0' flag */
    if (prec == 0 && value == 0) {
        if (base == 8 && (s->flags & FLAG_ALT)) *--d = '0';
    } else {
        unsigned long v = value;
        do {
            *--d = digits[v % (unsigned) base];
            v /= (unsigned) base;
        } while (v != 0);
    }
    int ndigits = (int) (end - d);
    if (prec <= ndigits && value != 0 && (s->flags & FLAG_ALT) && base == 8) {
        *--d = '0';
        ndigits++;
    }
    int prefix = value != 0 && (s->flags & FLAG_ALT) && base == 16;
    int zeros = prec > ndigits ? prec - ndigits : 0;
    int width = s->width - ndigits - zeros - (prefix ? 2 : 0) - (sign ? 1 : 0);
    if (!(s->flags & FLAG_LEFT)) {
        if (fill == ' ') {
            pad(s, ' ', width);
            width = 0;
        }
        if (sign) out(s, (unsigned char) sign);
        if (prefix) {
            out(s, '0');
            out(s, upper ? 'X' : 'x');
        }
        pad(s, '0', (width > 0 ? width : 0) + zeros);
        out_bytes(s, d, ndigits);
    } else {
        if (sign) out(s, (unsigned char) sign);
        if (prefix) {
            out(s, '0');
            out(s, upper ? 'X' : 'x');
        }
        pad(s, '0', zeros);
        out_bytes(s, d, ndigits);
        pad(s, ' ', width);
    }
}

static void print_decimal(conversion *s, int value) {
    char buf[12];
    int n = 0;
    unsigned v = (unsigned) value;
    do {
        buf[n++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) out(s, (unsigned char) buf[--n]);
}

/* An unknown conversion is echoed as glibc's __printf_unknown echoes it:
   the flags in a fixed order, the width and precision as numbers, no
   length modifier. */
static void print_unknown(conversion *s, char c) {
    out(s, '%');
    if (s->flags & FLAG_ALT) out(s, '#');
    if (s->flags & FLAG_PLUS)
        out(s, '+');
    else if (s->flags & FLAG_SPACE)
        out(s, ' ');
    if (s->flags & FLAG_LEFT) out(s, '-');
    if ((s->flags & FLAG_ZERO) && !(s->flags & FLAG_LEFT)) out(s, '0');
    if (s->width != 0) print_decimal(s, s->width);
    if (s->prec != -1) {
        out(s, '.');
        print_decimal(s, s->prec);
    }
    out(s, (unsigned char) c);
}

/* Length modifiers. */
#define LEN_INT 0
#define LEN_CHAR 1
#define LEN_SHORT 2
#define LEN_LONG 3

int printer_vprintf(printer *p, int color, const char *format, __builtin_va_list ap) {
    conversion s;
    s.p = p;
    s.color = color;
    s.count = 0;
    const char *f = format;
    while (*f != 0) {
        if (*f != '%') {
            out(&s, (unsigned char) *f);
            f++;
            continue;
        }
        f++;
        s.flags = 0;
        s.width = 0;
        s.prec = -1;
        for (;;) {
            if (*f == '-')
                s.flags |= FLAG_LEFT;
            else if (*f == '+')
                s.flags |= FLAG_PLUS;
            else if (*f == ' ')
                s.flags |= FLAG_SPACE;
            else if (*f == '#')
                s.flags |= FLAG_ALT;
            else if (*f == '0')
                s.flags |= FLAG_ZERO;
            else
                break;
            f++;
        }
        if (*f == '*') {
            int w = __builtin_va_arg(ap, int);
            if (w < 0) {
                s.flags |= FLAG_LEFT;
                w = -w;
            }
            s.width = w;
            f++;
        } else {
            while (*f >= '0' && *f <= '9') {
                s.width = s.width * 10 + (*f - '0');
                f++;
            }
        }
        if (*f == '.') {
            f++;
            if (*f == '*') {
                int pr = __builtin_va_arg(ap, int);
                s.prec = pr < 0 ? -1 : pr;
                f++;
            } else {
                s.prec = 0;
                while (*f >= '0' && *f <= '9') {
                    s.prec = s.prec * 10 + (*f - '0');
                    f++;
                }
            }
        }
        int length = LEN_INT;
        if (*f == 'h') {
            f++;
            length = LEN_SHORT;
            if (*f == 'h') {
                f++;
                length = LEN_CHAR;
            }
        } else if (*f == 'l') {
            f++;
            length = LEN_LONG;
            if (*f == 'l') f++;
        } else if (*f == 'z' || *f == 'j' || *f == 't') {
            f++;
            length = LEN_LONG;
        }
        char c = *f;
        if (c == 0) return -1;
        f++;
        switch (c) {
        case 'd':
        case 'i': {
            long v;
            if (length == LEN_LONG)
                v = __builtin_va_arg(ap, long);
            else {
                v = __builtin_va_arg(ap, int);
                if (length == LEN_CHAR)
                    v = (signed char) v;
                else if (length == LEN_SHORT)
                    v = (short) v;
            }
            char sign = 0;
            if (v < 0)
                sign = '-';
            else if (s.flags & FLAG_PLUS)
                sign = '+';
            else if (s.flags & FLAG_SPACE)
                sign = ' ';
            print_number(&s, v < 0 ? -(unsigned long) v : (unsigned long) v, sign, 10, 0);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            unsigned long v;
            if (length == LEN_LONG)
                v = __builtin_va_arg(ap, unsigned long);
            else {
                v = __builtin_va_arg(ap, unsigned);
                if (length == LEN_CHAR)
                    v = (unsigned char) v;
                else if (length == LEN_SHORT)
                    v = (unsigned short) v;
            }
            print_number(&s, v, 0, c == 'u' ? 10 : c == 'o' ? 8 : 16, c == 'X');
            break;
        }
        case 'p': {
            void *v = __builtin_va_arg(ap, void *);
            if (v == 0) {
                /* glibc prints "(nil)" as a string, whatever the precision. */
                s.prec = 5;
                print_string(&s, "(nil)", 5);
            } else {
                /* glibc prints other pointers as %#lx, keeping '+' and ' '. */
                char sign = (s.flags & FLAG_PLUS) ? '+' : (s.flags & FLAG_SPACE) ? ' ' : 0;
                s.flags |= FLAG_ALT;
                print_number(&s, (unsigned long) v, sign, 16, 0);
            }
            break;
        }
        case 's': {
            const char *str = __builtin_va_arg(ap, const char *);
            if (str == 0) str = s.prec < 0 || s.prec >= 6 ? "(null)" : "";
            print_string(&s, str, bounded_length(str, s.prec));
            break;
        }
        case 'c': {
            char ch = (char) __builtin_va_arg(ap, int);
            print_string(&s, &ch, 1);
            break;
        }
        case '%':
            out(&s, '%');
            break;
        default:
            print_unknown(&s, c);
            break;
        }
    }
    return s.count;
}
