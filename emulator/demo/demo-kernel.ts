// The demonstration kernel that `npm start` runs until WeensyOS itself runs
// on the machine. Written in our assembly; it exercises the real paths: two
// user processes with their own page tables, preempted by the timer through
// the IDT and the TSS stack, drawing on the CGA console; process 2 then
// writes to the unmapped page 0x2ff000, takes a page fault, and the kernel
// reports it on row 24 as WeensyOS does, keeps process 1 running, and powers
// off after DEMO_TICK_LIMIT ticks.

export const DEMO_TICK_LIMIT = 48;
const CONSOLE = 0xb8000;

/** Where the demo keeps its kernel data (all identity-mapped, kernel-only). */
export const DEMO_LAYOUT = {
  kernelCode: 0x40000,
  procs: 0x50000, // process slot i at procs + 256 * i: saved frame (192 bytes), cr3 at +192, state at +200
  current: 0x50f00,
  ticks: 0x50f08,
  idt: 0x51000,
  tss: 0x52000,
  pageTables: 0x60000, // the boot loader allocates page-table pages from here
  userCode: [0x100000, 0x140000],
  userStackTop: [0x140000, 0x180000],
} as const;

export const DEMO_KERNEL_SOURCE = `
.equ CONSOLE, 0xb8000
.equ PROCS, ${DEMO_LAYOUT.procs}
.equ CURRENT, ${DEMO_LAYOUT.current}
.equ TICKS, ${DEMO_LAYOUT.ticks}
.equ TICK_LIMIT, ${DEMO_TICK_LIMIT}
.equ RUNNABLE, 1
.equ BROKEN, 2

.org ${DEMO_LAYOUT.kernelCode}
; Every gate points here; rdi = the trap frame (x86_64_registers) on the kernel stack.
trap:
        movu rax, CURRENT
        ld64 rbx, [rax]
        mov rsi, rbx
        shli rsi, 8
        movu rax, PROCS
        add rsi, rax              ; rsi = &procs[current]
        movi rcx, 0               ; copy the frame into the process slot
save:   mov r8, rdi
        add r8, rcx
        ld64 rax, [r8]
        mov r9, rsi
        add r9, rcx
        st64 [r9], rax
        addi rcx, 8
        movi rax, 192
        blt rcx, rax, save
        ld64 rax, [rdi+136]       ; reg_intno
        movi rdx, 32
        beq rax, rdx, timer
        movi rdx, 14
        beq rax, rdx, pagefault
        movi rdx, 48
        beq rax, rdx, schedule    ; sys_yield-like
        jmp pagefault             ; anything else: treat the process as broken

timer:  movu rax, TICKS
        ld64 rcx, [rax]
        addi rcx, 1
        st64 [rax], rcx
        mov rdi, rcx              ; draw the tick count on row 2
        movu rsi, ${CONSOLE + 2 * (2 * 80 + 10)}
        movi rdx, 0x0f00
        call putdec
        movu rax, TICKS
        ld64 rcx, [rax]
        movi rax, TICK_LIMIT
        bge rcx, rax, shutdown
        jmp schedule

pagefault:
        movi rax, BROKEN
        st8 [rsi+200], rax
        movu rdi, msg_fault1      ; Process N page fault for 0x... (write missing page, rip=0x...)!
        movu rsi, ${CONSOLE + 2 * (24 * 80 + 0)}
        movi rdx, 0x0c00
        call puts
        mov rdi, rbx
        call putdec
        movu rdi, msg_fault2
        call puts
        movrc rdi, cr2
        call puthex
        movu rdi, msg_fault3
        call puts
        movu rax, CURRENT
        ld64 rbx, [rax]
        shli rbx, 8
        movu rax, PROCS
        add rbx, rax
        ld64 rdi, [rbx+152]       ; reg_rip
        call puthex
        movu rdi, msg_fault4
        call puts
        jmp schedule

; Round robin over slots 1 and 2; if neither can run, power off.
schedule:
        movu rax, CURRENT
        ld64 rbx, [rax]
        movi rcx, 0
next:   addi rbx, 1
        movi rax, 3
        blt rbx, rax, check
        movi rbx, 1
check:  mov rsi, rbx
        shli rsi, 8
        movu rax, PROCS
        add rsi, rax
        ld8u rax, [rsi+200]
        movi rdx, RUNNABLE
        beq rax, rdx, found
        addi rcx, 1
        movi rax, 3
        blt rcx, rax, next
        jmp shutdown
found:  movu rax, CURRENT
        st64 [rax], rbx
        ld64 rax, [rsi+192]
        movcr cr3, rax
        iret rsi

shutdown:
        movu rdi, msg_off
        movu rsi, ${CONSOLE + 2 * (22 * 80 + 0)}
        movi rdx, 0x0700
        call puts
        movi rdx, 0x604
        movi rax, 0x2000
        out16 rdx, rax
        hlt

; puts: rdi = NUL-terminated string, rsi = console cell address, rdx = attribute << 8.
; Returns rsi past the last cell written.
puts:   ld8u rax, [rdi]
        bz rax, puts_done
        or rax, rdx
        st16 [rsi], rax
        addi rsi, 2
        addi rdi, 1
        jmp puts
puts_done:
        ret

; putdec: rdi = unsigned value, written in decimal at rsi with attribute rdx.
putdec: mov rax, rdi
        movi r8, 0                ; digit count
        movi r9, 10
pd_div: mov r10, rax
        remu r10, r9
        addi r10, 48
        push r10
        addi r8, 1
        divu rax, r9
        bnz rax, pd_div
pd_out: pop rax
        or rax, rdx
        st16 [rsi], rax
        addi rsi, 2
        addi r8, -1
        bnz r8, pd_out
        ret

; puthex: rdi = value, written as 0x... (no leading zeros) at rsi with attribute rdx.
puthex: movi rax, 48              ; '0'
        or rax, rdx
        st16 [rsi], rax
        movi rax, 120             ; 'x'
        or rax, rdx
        st16 [rsi+2], rax
        addi rsi, 4
        mov rax, rdi
        movi r8, 0
ph_div: mov r10, rax
        andi r10, 15
        movi r9, 10
        blt r10, r9, ph_dig
        addi r10, 39              ; 'a' - '0' - 10
ph_dig: addi r10, 48
        push r10
        addi r8, 1
        shri rax, 4
        bnz rax, ph_div
        jmp pd_out

msg_fault1: .asciz "Process "
msg_fault2: .asciz " page fault for "
msg_fault3: .asciz " (write missing page, rip="
msg_fault4: .asciz ")!"
msg_off:    .asciz "Tick limit reached: powering off."
`;

/**
 * The user program, loaded at each process's base. It draws a running digit
 * along its row of the console; if r14 is nonzero it writes to the unmapped
 * page 0x2ff000 after r14 iterations. Registers on entry: rbx = pid,
 * r12 = the console address of its row, r13 = its colour << 8.
 */
export const DEMO_USER_SOURCE = `
.org 0
start:  movi rcx, 0
loop:   mov rax, rcx
        movi rdx, 60
        remu rax, rdx
        shli rax, 1
        add rax, r12
        mov rdx, rcx
        movi r8, 10
        remu rdx, r8
        addi rdx, 48
        or rdx, r13
        st16 [rax+24], rdx
        addi rcx, 1
        bz r14, loop
        blt rcx, r14, loop
        movu rax, 0x2ff000
        st8 [rax], rbx
        jmp loop
`;
