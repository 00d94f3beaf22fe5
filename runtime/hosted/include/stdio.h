/* <stdio.h> (C11 7.21), for the three standard streams. Output is
   unbuffered: each byte goes straight to the machine's host ports (0xE9
   standard output, 0xEA standard error). Standard input is what the
   runner queued before the program started (read through the keyboard
   controller, ports 0x60/0x64); when it is used up, reads give EOF.
   The formats are those of printf in the C library: flags # 0 - space +,
   width and precision (or *), length modifiers hh h l ll z j t,
   conversions d i u o x X p s c %; no floating point. */
#ifndef _STDIO_H
#define _STDIO_H

#ifndef __WEENSY_SIZE_T
#define __WEENSY_SIZE_T
typedef unsigned long size_t;
#endif
#ifndef NULL
#define NULL ((void *) 0)
#endif
#ifndef __GNUC_VA_LIST
#define __GNUC_VA_LIST
typedef __builtin_va_list __gnuc_va_list;
#endif

typedef struct __weensy_file FILE;
extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

#define EOF (-1)
#define BUFSIZ 8192

int printf(const char *__format, ...) __attribute__((__format__(__printf__, 1, 2)));
int fprintf(FILE *__stream, const char *__format, ...) __attribute__((__format__(__printf__, 2, 3)));
int sprintf(char *__str, const char *__format, ...) __attribute__((__format__(__printf__, 2, 3)));
int snprintf(char *__str, size_t __size, const char *__format, ...) __attribute__((__format__(__printf__, 3, 4)));
int vprintf(const char *__format, __gnuc_va_list __ap);
int vfprintf(FILE *__stream, const char *__format, __gnuc_va_list __ap);
int vsprintf(char *__str, const char *__format, __gnuc_va_list __ap);
int vsnprintf(char *__str, size_t __size, const char *__format, __gnuc_va_list __ap);

int putchar(int __c);
int puts(const char *__s);
int fputs(const char *__s, FILE *__stream);
int fputc(int __c, FILE *__stream);
int putc(int __c, FILE *__stream);
size_t fwrite(const void *__ptr, size_t __size, size_t __nmemb, FILE *__stream);
int fflush(FILE *__stream);

int getchar(void);
int fgetc(FILE *__stream);
int getc(FILE *__stream);
int ungetc(int __c, FILE *__stream);
char *fgets(char *__s, int __size, FILE *__stream);
size_t fread(void *__ptr, size_t __size, size_t __nmemb, FILE *__stream);
int feof(FILE *__stream);
int ferror(FILE *__stream);
void clearerr(FILE *__stream);

#endif
