// Hardware and WeensyOS constants, spelled as in x86-64.h / kernel.h so a
// student can grep between kernel.c and the emulator.

export const PAGESIZE = 4096;
export const PAGEOFFBITS = 12;
export const PAGEINDEXBITS = 9;
export const NPAGETABLEENTRIES = 512;

export const MEMSIZE_PHYSICAL = 0x200000;
export const MEMSIZE_VIRTUAL = 0x300000;
export const KERNEL_START_ADDR = 0x40000;
export const KERNEL_STACK_TOP = 0x80000;
export const PROC_START_ADDR = 0x100000;

/** The CGA text buffer (80x25 cells of char | attribute << 8) and the cursor word, both plain RAM. */
export const CONSOLE_ADDR = 0xb8000;
export const CURSORPOS_ADDR = 0xb8ffc;
export const CONSOLE_COLUMNS = 80;
export const CONSOLE_ROWS = 25;

// Page-table entry bits (Intel SDM Vol. 3A, 4.5, Tables 4-15 to 4-20).
export const PTE_P = 0x1;
export const PTE_W = 0x2;
export const PTE_U = 0x4;
export const PTE_PWT = 0x8;
export const PTE_PCD = 0x10;
export const PTE_A = 0x20;
export const PTE_D = 0x40;
export const PTE_PS = 0x80;
export const PTE_G = 0x100;
/** Bit 63, execute-disable; a reserved bit unless EFER.NXE is set. Kept as the high-word mask. */
export const PTE_XD_HI = 0x80000000;

// Page-fault error code bits (SDM 4.7, Figure 4-12).
export const PFERR_PRESENT = 0x1;
export const PFERR_WRITE = 0x2;
export const PFERR_USER = 0x4;
export const PFERR_RSVD = 0x8;
export const PFERR_FETCH = 0x10;

// Exception and interrupt vectors (SDM 6.3.1, Table 6-1) with WeensyOS names.
export const INT_DIVIDE = 0;
export const INT_DEBUG = 1;
export const INT_NMI = 2;
export const INT_BREAKPOINT = 3;
export const INT_OVERFLOW = 4;
export const INT_BOUNDS = 5;
export const INT_INVALIDOP = 6;
export const INT_DEVICE = 7;
export const INT_DOUBLEFAULT = 8;
export const INT_INVALIDTSS = 0xa;
export const INT_SEGMENT = 0xb;
export const INT_STACK = 0xc;
export const INT_GPF = 0xd;
export const INT_PAGEFAULT = 0xe;
export const INT_TIMER = 32;
export const INT_SYS = 48;

// CR0 and CR4 bits (SDM 2.5).
export const CR0_PE = 0x1;
export const CR0_MP = 0x2;
export const CR0_NE = 0x20;
export const CR0_WP = 0x10000;
export const CR0_AM = 0x40000;
export const CR0_PG = 0x80000000;
export const CR4_PAE = 0x20;
export const CR4_PGE = 0x80;
/** Supervisor-mode execution prevention: the kernel may not execute user pages. */
export const CR4_SMEP = 0x100000;
/** EFER.NXE lives in an MSR on x86; we expose EFER as control register 8 of our instruction set. */
export const EFER_NXE = 0x800;

// RFLAGS (SDM 3.4.3). Bit 1 always reads as 1.
export const FL_RESERVED1 = 0x2;
export const FL_IF = 0x200;
export const FL_IOPL_MASK = 0x3000;
export const FL_IOPL_SHIFT = 12;

// Segment selectors of the WeensyOS GDT.
export const SEGSEL_KERN_CODE = 0x08;
export const SEGSEL_APP_CODE = 0x10;
export const SEGSEL_KERN_DATA = 0x18;
export const SEGSEL_APP_DATA = 0x20;
export const SEGSEL_TASKSTATE = 0x28;

/** Size of the trap frame the CPU pushes, laid out as `x86_64_registers`. */
export const TRAPFRAME_SIZE = 192;
/** Offset of rsp0 inside the 64-bit TSS (SDM 8.7, Figure 8-11). */
export const TSS_RSP0_OFFSET = 4;
/** Our IDT gate descriptor is 16 bytes, as in long mode (layout in docs/ISA.md). */
export const IDT_GATE_SIZE = 16;

/**
 * MAXPHYADDR of our CPU (what CPUID.80000008H:EAX[7:0] would report). Entry bits
 * 51:MAXPHYADDR are reserved (SDM 4.5).
 */
export const MAXPHYADDR = 40;

// I/O ports of the devices (the PC's numbers where a PC has the device).
export const PORT_PIC1_DATA = 0x21;
export const PORT_PIT_CHANNEL0 = 0x40;
export const PORT_PIT_MODE = 0x43;
export const PORT_KEYBOARD_DATA = 0x60;
export const PORT_KEYBOARD_STATUS = 0x64;
export const PORT_LOG = 0x378;
export const PORT_CRT_INDEX = 0x3d4;
export const PORT_CRT_DATA = 0x3d5;
/** PIIX4 ACPI PM1a control block as QEMU places it; writing SLP_EN powers off. */
export const PORT_ACPI_PM1A_CNT = 0x604;
export const ACPI_SLP_EN = 0x2000;
/** Host I/O for hosted programs (`weensy exec`): stdout at the QEMU/Bochs debug-console port, stderr beside it. */
export const PORT_HOST_STDOUT = 0xe9;
export const PORT_HOST_STDERR = 0xea;
/** Writing a status here stops the machine with that exit status (QEMU's isa-debug-exit port). */
export const PORT_HOST_EXIT = 0xf4;
