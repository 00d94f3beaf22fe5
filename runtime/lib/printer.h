/* The formatting core shared by the hosted C library (printf and friends)
 * and, later, WeensyOS's lib.c (console_printf, snprintf): one
 * implementation of the printf format language, writing through a
 * callback. It needs no header: va_list is the compiler's own
 * __builtin_va_list, so the kernel's lib.h and the hosted <stdarg.h> both
 * work with it.
 *
 * Supported: flags '#', '0', '-', ' ', '+'; width and precision, each a
 * number or '*'; length modifiers hh, h, l, ll, z, j, t; conversions
 * d i u o x X p s c and %%. Output is identical to glibc's for all of
 * these, including its corner cases: "(nil)" for a null %p, "(null)" for
 * a null %s when the precision allows six characters, and an unknown
 * conversion echoed back as glibc echoes it. There is no floating point.
 */
#ifndef WEENSY_PRINTER_H
#define WEENSY_PRINTER_H

typedef struct printer printer;
struct printer {
    /* Called once per output byte; `color` is passed through untouched
       (WeensyOS's console uses it; the hosted library ignores it). */
    void (*putc)(printer *p, unsigned char c, int color);
};

/* Formats `format` with the arguments in `ap`, sending every byte to
   p->putc. Returns the number of bytes sent, or -1 if the format is
   malformed (a '%' at its very end, as glibc reports it); the bytes before
   the error have been sent. */
int printer_vprintf(printer *p, int color, const char *format, __builtin_va_list ap);

#endif
