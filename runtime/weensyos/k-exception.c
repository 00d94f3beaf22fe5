/* k-exception.c: where the kernel is entered. On real hardware this is
 * k-exception.S: an assembly stub per vector that pushes the registers and
 * calls exception(). WeensyScope's machine pushes the whole
 * x86_64_registers frame itself when it delivers a trap and calls the
 * gate's handler with %rdi pointing at it, so the stubs are plain C.
 *
 * WeensyScope's own implementation of the WeensyOS k-exception.S API.
 */
#include "kernel.h"

/* The boot loader (and a soft reboot) starts here, on the kernel stack at
 * KERNEL_STACK_TOP, with the command (NULL at first boot) in %rdi. */
void entry_from_boot(const char* command) {
    kernel(command);
    panic("kernel() returned\n");
}

/* The gate of every vector exception() handles. exception() must end by
 * running a process (exception_return) and never return. */
void exception_entry(x86_64_registers* reg) {
    exception(reg);
    panic("exception() returned (it must end in run() or schedule())\n");
}

/* Vectors 16-255 other than the timer and the system calls. Like the
 * handout's stub, it reports interrupt number 0. */
void default_int_handler(x86_64_registers* reg) {
    reg->reg_intno = 0;
    exception(reg);
    panic("exception() returned (it must end in run() or schedule())\n");
}

/* Restores the registers in *reg, including %rip, %rsp and the privilege
 * level, in one instruction (iretq on x86). */
void exception_return(x86_64_registers* reg) {
    __builtin_ws_iret((uintptr_t) reg);
    __builtin_unreachable();
}
