/* <stdio.h>: the three standard streams over the machine's host ports, and
   the printf family over the shared formatter (runtime/lib/printer.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../lib/printer.h"
#include "internal.h"

struct __weensy_file {
    int fd; /* 0 standard input, 1 standard output, 2 standard error */
    int eof;
    int error;
    int pushed; /* a byte given back by ungetc, or EOF */
};

static FILE files[3] = {{0, 0, 0, EOF}, {1, 0, 0, EOF}, {2, 0, 0, EOF}};
FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

static int put_byte(FILE *stream, int c) {
    if (stream == NULL || stream->fd == 0) {
        if (stream != NULL) stream->error = 1;
        return EOF;
    }
    __builtin_ws_outb(stream->fd == 1 ? WEENSY_PORT_STDOUT : WEENSY_PORT_STDERR, (unsigned char) c);
    return (unsigned char) c;
}

int fputc(int c, FILE *stream) {
    return put_byte(stream, c);
}

int putc(int c, FILE *stream) {
    return put_byte(stream, c);
}

int putchar(int c) {
    return put_byte(stdout, c);
}

int fputs(const char *s, FILE *stream) {
    for (; *s != 0; s++)
        if (put_byte(stream, *s) == EOF) return EOF;
    return 1;
}

int puts(const char *s) {
    int n = 0;
    for (; *s != 0; s++, n++)
        if (put_byte(stdout, *s) == EOF) return EOF;
    if (put_byte(stdout, '\n') == EOF) return EOF;
    return n + 1;
}

size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *stream) {
    const unsigned char *p = ptr;
    for (size_t i = 0; i < nmemb; i++)
        for (size_t j = 0; j < size; j++)
            if (put_byte(stream, *p++) == EOF) return i;
    return nmemb;
}

int fflush(FILE *stream) {
    (void) stream;
    return 0;
}

int fgetc(FILE *stream) {
    if (stream == NULL || stream->fd != 0) {
        if (stream != NULL) stream->error = 1;
        return EOF;
    }
    if (stream->pushed != EOF) {
        int c = stream->pushed;
        stream->pushed = EOF;
        return c;
    }
    if (stream->eof) return EOF;
    if ((__builtin_ws_inb(WEENSY_PORT_KEYBOARD_STATUS) & 1) == 0) {
        stream->eof = 1;
        return EOF;
    }
    return (unsigned char) __builtin_ws_inb(WEENSY_PORT_KEYBOARD_DATA);
}

int getc(FILE *stream) {
    return fgetc(stream);
}

int getchar(void) {
    return fgetc(stdin);
}

int ungetc(int c, FILE *stream) {
    if (c == EOF || stream == NULL || stream->pushed != EOF) return EOF;
    stream->pushed = (unsigned char) c;
    stream->eof = 0;
    return (unsigned char) c;
}

char *fgets(char *s, int size, FILE *stream) {
    int n = 0;
    if (size <= 0) return NULL;
    while (n < size - 1) {
        int c = fgetc(stream);
        if (c == EOF) break;
        s[n++] = (char) c;
        if (c == '\n') break;
    }
    if (n == 0) return NULL;
    s[n] = 0;
    return s;
}

size_t fread(void *ptr, size_t size, size_t nmemb, FILE *stream) {
    unsigned char *p = ptr;
    for (size_t i = 0; i < nmemb; i++)
        for (size_t j = 0; j < size; j++) {
            int c = fgetc(stream);
            if (c == EOF) return i;
            *p++ = (unsigned char) c;
        }
    return nmemb;
}

int feof(FILE *stream) {
    return stream->eof && stream->pushed == EOF;
}

int ferror(FILE *stream) {
    return stream->error;
}

void clearerr(FILE *stream) {
    stream->eof = 0;
    stream->error = 0;
}

/* ---- The printf family. ---- */

typedef struct file_printer {
    printer p;
    FILE *stream;
} file_printer;

static void file_putc(printer *p, unsigned char c, int color) {
    (void) color;
    put_byte(((file_printer *) p)->stream, c);
}

int vfprintf(FILE *stream, const char *format, va_list ap) {
    file_printer fp;
    fp.p.putc = file_putc;
    fp.stream = stream;
    return printer_vprintf(&fp.p, 0, format, ap);
}

int vprintf(const char *format, va_list ap) {
    return vfprintf(stdout, format, ap);
}

int fprintf(FILE *stream, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vfprintf(stream, format, ap);
    va_end(ap);
    return n;
}

int printf(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vfprintf(stdout, format, ap);
    va_end(ap);
    return n;
}

typedef struct string_printer {
    printer p;
    char *buffer;
    size_t size; /* bytes the buffer holds, the terminating NUL included */
    size_t length; /* bytes formatted so far, stored or not */
} string_printer;

static void string_putc(printer *p, unsigned char c, int color) {
    string_printer *sp = (string_printer *) p;
    (void) color;
    if (sp->length + 1 < sp->size) sp->buffer[sp->length] = (char) c;
    sp->length++;
}

/* C11 semantics: at most size - 1 bytes and a NUL are stored, and the
   result is the length the whole output would have had. */
int vsnprintf(char *str, size_t size, const char *format, va_list ap) {
    string_printer sp;
    sp.p.putc = string_putc;
    sp.buffer = str;
    sp.size = size;
    sp.length = 0;
    int n = printer_vprintf(&sp.p, 0, format, ap);
    if (size > 0) str[sp.length < size ? sp.length : size - 1] = 0;
    return n;
}

int vsprintf(char *str, const char *format, va_list ap) {
    return vsnprintf(str, (size_t) -1, format, ap);
}

int snprintf(char *str, size_t size, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(str, size, format, ap);
    va_end(ap);
    return n;
}

int sprintf(char *str, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(str, (size_t) -1, format, ap);
    va_end(ap);
    return n;
}
