/* Shared by the hosted C library's own files; not for programs. */
#ifndef WEENSY_HOSTED_INTERNAL_H
#define WEENSY_HOSTED_INTERNAL_H

/* The machine's host ports (emulator/machine/devices.ts). */
#define WEENSY_PORT_STDOUT 0xE9
#define WEENSY_PORT_STDERR 0xEA
#define WEENSY_PORT_EXIT 0xF4
/* Standard input arrives through the keyboard controller: bit 0 of the
   status port says a byte is waiting in the data port. */
#define WEENSY_PORT_KEYBOARD_DATA 0x60
#define WEENSY_PORT_KEYBOARD_STATUS 0x64

/* Bytes kept for the stack below its top; the heap may grow up to there. */
#define WEENSY_STACK_RESERVE (1024 * 1024)

/* Sets up the heap: from the end of the program (the linker's `end`) to
   WEENSY_STACK_RESERVE bytes below `stack_top`. Called once, by _start. */
void __weensy_heap_init(unsigned long stack_top);

/* The program's name (argv[0] without its folders), for messages such as
   a failed assertion's. */
extern const char *__weensy_progname;

#endif
