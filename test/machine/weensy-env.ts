// A WeensyOS-like world inside a Machine, for the trap, privilege, device and
// snapshot tests. It follows FACTS.md sections 3-5:
//
//   0x40000  kernel text: `trap_entry` (every installed gate) and `boot`
//   0x52000  REC: what the handler saw (see the REC_* offsets below)
//   0x53000  BOOT_FRAME: an x86_64_registers frame `boot` irets through
//   0x54000  IDT (256 gates of 16 bytes), 0x55000 TSS (rsp0 = 0x80000)
//   0x56000  kernel page table (4 pages), 0x5a000 process page table (4 pages)
//   0x7f000  the kernel stack page; KERNEL_STACK_TOP 0x80000
//   0x100000 user code, 0x101000 user data, user stack top 0x140000
//
// IDT as hardware_init leaves it: 0-12 and 15 not installed (all zero), 13,
// 14 and 16-255 installed with DPL 0, 48-63 with DPL 3. The kernel page table
// identity-maps [0, 0x200000) P|W|U (or P|W with kernelOnly); the process
// table maps the kernel half [0, 0x100000) P|W (kernel-only) except the
// console page, and the user half [0x100000, 0x200000) P|W|U.

import { CR0_PE, CR0_PG, CR0_WP, PTE_P, PTE_U, PTE_W } from '../../emulator/machine/constants';
import { assemble, type AssembledProgram } from '../../emulator/machine/isa/assembler';
import { Machine, type MachineConfig } from '../../emulator/machine/machine';
import { enterUser, PageTables, read64, setGate, write64 } from './helpers';

export const KTEXT = 0x40000;
export const REC = 0x52000;
export const BOOT_FRAME = 0x53000;
export const IDT = 0x54000;
export const TSS = 0x55000;
export const KPT_BASE = 0x56000;
export const PPT_BASE = 0x5a000;
export const KSTACK_PAGE = 0x7f000;
export const KSTACK_TOP = 0x80000;
export const FRAME = KSTACK_TOP - 192;
export const UTEXT = 0x100000;
export const UDATA = 0x101000;
export const USTACK_TOP = 0x140000;

// REC layout (all 8-byte slots, written by trap_entry unless noted).
export const REC_INTNO = 0;
export const REC_ERR = 8;
export const REC_CR2 = 16;
export const REC_COUNT = 24;
/** Set by the test: if non-zero, a fault handler resumes there instead of halting. */
export const REC_RESUME = 32;
export const REC_FRAME = 40;
export const REC_RSP = 48;
/** Set by the test: the handler spins this many iterations (3 instructions each) before returning. */
export const REC_SPIN = 56;
/** Set by the test: non-zero makes the handler `sti` before spinning (kernel mode with IF=1). */
export const REC_STI = 64;
/** Set by the test: the PIC mask `boot` writes to port 0x21 (0xff masks everything). */
export const REC_PICMASK = 72;
/** Per-vector delivery counts: REC + REC_PERVEC + 8 * vector. */
export const REC_PERVEC = 0x100;

/** x86_64_registers offsets (FACTS.md section 4). */
export const OFF = {
  rax: 0, rcx: 8, rdx: 16, rbx: 24, rbp: 32, rsi: 40, rdi: 48, r8: 56, r9: 64, r10: 72, r11: 80, r12: 88, r13: 96,
  r14: 104, r15: 112, fs: 120, gs: 128, intno: 136, err: 144, rip: 152, cs: 160, rflags: 168, rsp: 176, ss: 184,
} as const;

/**
 * The kernel. trap_entry receives rdi = frame and rsp = frame - 8, as
 * exception() would. Interrupts 32 and 48-63 return with `iret rdi`; faults
 * halt the machine (hlt with IF clear stops it) unless REC_RESUME says where
 * to resume. `boot` loads the PIC mask and the process page table and irets
 * through BOOT_FRAME, as exception_return does for a new process.
 */
const KERNEL = `
  .org ${KTEXT}
  trap_entry:
    movi rbx, ${REC}
    ld64 rax, [rdi+136]
    st64 [rbx+${REC_INTNO}], rax
    ld64 rcx, [rdi+144]
    st64 [rbx+${REC_ERR}], rcx
    movrc rcx, cr2
    st64 [rbx+${REC_CR2}], rcx
    st64 [rbx+${REC_FRAME}], rdi
    st64 [rbx+${REC_RSP}], rsp
    ld64 rcx, [rbx+${REC_COUNT}]
    addi rcx, 1
    st64 [rbx+${REC_COUNT}], rcx
    mov rdx, rax
    shli rdx, 3
    add rdx, rbx
    ld64 rcx, [rdx+${REC_PERVEC}]
    addi rcx, 1
    st64 [rdx+${REC_PERVEC}], rcx
    ld64 rcx, [rbx+${REC_STI}]
    bz rcx, nosti
    sti
  nosti:
    ld64 rcx, [rbx+${REC_SPIN}]
  spin:
    bz rcx, spun
    addi rcx, -1
    jmp spin
  spun:
    movi rcx, 32
    beq rax, rcx, back
    movi rcx, 48
    blt rax, rcx, fault
    movi rcx, 64
    blt rax, rcx, back
  fault:
    ld64 rcx, [rbx+${REC_RESUME}]
    bz rcx, stop
    st64 [rdi+152], rcx
  back:
    iret rdi
  stop:
    hlt
  boot:
    movi rbx, ${REC}
    ld64 rax, [rbx+${REC_PICMASK}]
    movi rdx, 0x21
    out8 rdx, rax
    movi rax, ${PPT_BASE}
    movcr cr3, rax
    movi rdi, ${BOOT_FRAME}
    iret rdi
`;

export interface WorldOptions extends MachineConfig {
  /** User program source; `.org ${UTEXT}` is prepended. Its `start` label (or UTEXT) is the entry. */
  user?: string;
  /** Extra kernel code, assembled with the kernel (give it its own `.org`, e.g. 0x44000). */
  kernelExtra?: string;
  /** Map the kernel table P|W only (no U), unlike hardware_init. */
  kernelOnly?: boolean;
  /** Where the IDT lives (default IDT). */
  idt?: number;
}

export interface World {
  readonly m: Machine;
  readonly kernel: AssembledProgram;
  readonly user: AssembledProgram | undefined;
  /** Kernel and process page tables. */
  readonly kpt: PageTables;
  readonly ppt: PageTables;
  readonly idt: number;
  /** A kernel symbol's address. */
  k(name: string): number;
  /** A user symbol's address. */
  u(name: string): number;
  /** An 8-byte REC slot (as a number). */
  rec(offset: number): number;
  setRec(offset: number, v: number): void;
  /** How many times vector v reached trap_entry. */
  count(vector: number): number;
  /** A field of the frame at `frame` (default: the frame a user-mode trap builds). */
  frame(field: keyof typeof OFF, frame?: number): bigint;
  /** Starts the process directly in user mode under the process page table (rflags 0x202). */
  startUser(rflags?: number): void;
  /** Starts in the kernel at `boot`, which irets to the process with these rflags. */
  startBoot(rflags?: number): void;
}

export function weensyWorld(opts: WorldOptions = {}): World {
  const m = new Machine(opts);
  const kernel = assemble(KERNEL + (opts.kernelExtra ?? ''));
  m.memory.writeBytes(kernel.origin, kernel.bytes);
  const user = opts.user !== undefined ? assemble(`.org ${UTEXT}\n${opts.user}`) : undefined;
  if (user) m.memory.writeBytes(user.origin, user.bytes);
  const sym = (p: AssembledProgram | undefined, name: string): number => {
    const v = p?.symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return v;
  };
  const entry = kernel.symbols.get('trap_entry')!;

  const idt = opts.idt ?? IDT;
  m.memory.bytes.fill(0, idt, idt + 4096);
  for (let v = 13; v < 256; v++) {
    if (v === 15) continue;
    setGate(m, idt, v, entry, v >= 48 && v < 64 ? 3 : 0);
  }
  m.cpu.idtr = idt;
  write64(m, TSS + 4, BigInt(KSTACK_TOP));
  m.cpu.tr = TSS;
  write64(m, REC + REC_PICMASK, 0xffn);

  const kpt = new PageTables(m, KPT_BASE);
  kpt.identity(0, 0x200000, opts.kernelOnly ? PTE_P | PTE_W : PTE_P | PTE_W | PTE_U);
  const ppt = new PageTables(m, PPT_BASE);
  ppt.identity(0, 0x100000, PTE_P | PTE_W);
  ppt.map(0xb8000, 0xb8000, PTE_P | PTE_W | PTE_U);
  ppt.identity(0x100000, 0x200000, PTE_P | PTE_W | PTE_U);

  m.cpu.cr3 = kpt.root;
  m.cpu.cr0 = (CR0_PE | CR0_PG | CR0_WP) >>> 0;
  m.mmu.flush();
  m.invalidateCaches();
  m.cpu.rip = KTEXT;

  const userEntry = user ? (user.symbols.get('start') ?? UTEXT) : UTEXT;
  return {
    m, kernel, user, kpt, ppt, idt,
    k: (name) => sym(kernel, name),
    u: (name) => sym(user, name),
    rec: (offset) => Number(read64(m, REC + offset)),
    setRec: (offset, v) => write64(m, REC + offset, BigInt(v)),
    count: (vector) => Number(read64(m, REC + REC_PERVEC + 8 * vector)),
    frame: (field, frame = FRAME) => read64(m, frame + OFF[field]),
    startUser(rflags = 0x202) {
      m.cpu.cr3 = ppt.root;
      m.mmu.flush();
      enterUser(m, userEntry, USTACK_TOP);
      m.cpu.rflags = rflags;
    },
    startBoot(rflags = 0x202) {
      m.memory.bytes.fill(0, BOOT_FRAME, BOOT_FRAME + 192);
      write64(m, BOOT_FRAME + OFF.rip, BigInt(userEntry));
      write64(m, BOOT_FRAME + OFF.cs, 0x13n);
      write64(m, BOOT_FRAME + OFF.rflags, BigInt(rflags));
      write64(m, BOOT_FRAME + OFF.rsp, BigInt(USTACK_TOP));
      write64(m, BOOT_FRAME + OFF.ss, 0x23n);
      m.cpu.rip = sym(kernel, 'boot');
    },
  };
}
