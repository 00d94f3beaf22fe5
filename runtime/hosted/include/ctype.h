/* <ctype.h> (C11 7.4) in the "C" locale. Each takes an int that is EOF
   or an unsigned char value; anything else gives 0 (or is returned
   unchanged by tolower and toupper). */
#ifndef _CTYPE_H
#define _CTYPE_H
int isalnum(int __c);
int isalpha(int __c);
int isblank(int __c);
int iscntrl(int __c);
int isdigit(int __c);
int isgraph(int __c);
int islower(int __c);
int isprint(int __c);
int ispunct(int __c);
int isspace(int __c);
int isupper(int __c);
int isxdigit(int __c);
int tolower(int __c);
int toupper(int __c);
#endif
