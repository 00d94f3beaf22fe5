import { CR0_PE, CR0_PG, CR0_WP, KERNEL_STACK_TOP, PTE_P, PTE_U, PTE_W, TSS_RSP0_OFFSET } from '../machine/constants';
import { assemble } from '../machine/isa/assembler';
import { Reg } from '../machine/isa/opcodes';
import { Machine, type MachineConfig } from '../machine/machine';
import { DEMO_KERNEL_SOURCE, DEMO_LAYOUT, DEMO_USER_SOURCE } from './demo-kernel';
import { PageTableBuilder } from './page-table-builder';
import { FRAME_GPR_ORDER } from '../machine/traps';

const CONSOLE = 0xb8000;
const USER_CS = 0x13;
const USER_SS = 0x23;

function paint(m: Machine, row: number, col: number, text: string, attr: number): void {
  for (let i = 0; i < text.length; i++) m.memory.write16(CONSOLE + 2 * (row * 80 + col + i), text.charCodeAt(i) | attr);
}

/**
 * Boots the demonstration kernel: what a boot loader and a kernel's
 * hardware_init would do, done directly: page tables (kernel-only below
 * 0x100000 except the console page), an IDT shaped like WeensyOS's (13, 14,
 * 32 and 48-63 installed; 48-63 callable from user mode), a TSS with
 * rsp0 = 0x80000, two processes with their own page tables whose code pages
 * are read-only, and the timer unmasked. The CPU starts in the scheduler.
 */
export function bootDemo(config: MachineConfig = {}): Machine {
  const m = new Machine({ instructionsPerTick: 400, ...config });
  const mem = m.memory;
  const L = DEMO_LAYOUT;
  const kernel = assemble(DEMO_KERNEL_SOURCE);
  mem.writeBytes(kernel.origin, kernel.bytes);
  const user = assemble(DEMO_USER_SOURCE);

  // The kernel's page table: identity, supervisor-only, console user-accessible.
  const tables = new PageTableBuilder(mem, L.pageTables);
  const kernelMappings = (b: PageTableBuilder): void => {
    for (let va = 0; va < 0x100000; va += 4096) b.map(va, va, va === CONSOLE ? PTE_P | PTE_W | PTE_U : PTE_P | PTE_W);
  };
  kernelMappings(tables);
  tables.mapRange(0x100000, 0x100000, 0x100000, PTE_P | PTE_W);

  // IDT and TSS.
  const trap = kernel.symbols.get('trap')!;
  const gate = (vector: number, dpl: number): void => {
    mem.write64(L.idt + vector * 16, trap, 0);
    mem.write8(L.idt + vector * 16 + 8, 0x80 | (dpl << 5) | 0xe);
  };
  gate(13, 0);
  gate(14, 0);
  gate(32, 0);
  for (let v = 48; v < 64; v++) gate(v, 3);
  mem.write64(L.tss + TSS_RSP0_OFFSET, KERNEL_STACK_TOP, 0);

  // Two processes.
  let nextTables = tables.end;
  const colours = [0x0c00, 0x0a00];
  for (let k = 0; k < 2; k++) {
    const pid = k + 1;
    const base = L.userCode[k]!;
    const stackTop = L.userStackTop[k]!;
    mem.writeBytes(base, user.bytes);
    const pt = new PageTableBuilder(mem, nextTables);
    kernelMappings(pt);
    pt.map(base, base, PTE_P | PTE_U); // code: read-only
    pt.map(stackTop - 4096, stackTop - 4096, PTE_P | PTE_W | PTE_U);
    nextTables = pt.end;
    const slot = L.procs + 256 * pid;
    const setReg = (r: number, v: number): void => mem.write64(slot + 8 * FRAME_GPR_ORDER.indexOf(r as (typeof FRAME_GPR_ORDER)[number]), v, 0);
    setReg(Reg.RBX, pid);
    setReg(Reg.R12, CONSOLE + 2 * ((3 + 2 * pid) * 80));
    setReg(Reg.R13, colours[k]!);
    setReg(Reg.R14, pid === 2 ? 300 : 0);
    mem.write64(slot + 152, base, 0); // reg_rip
    mem.write64(slot + 160, USER_CS, 0); // reg_cs
    mem.write64(slot + 168, 0x200, 0); // reg_rflags: IF
    mem.write64(slot + 176, stackTop, 0); // reg_rsp
    mem.write64(slot + 184, USER_SS, 0); // reg_ss
    mem.write64(slot + 192, pt.root, 0); // cr3
    mem.write8(slot + 200, 1); // runnable
    paint(m, 3 + 2 * pid, 0, `process ${pid}`, colours[k]!);
  }
  paint(m, 0, 20, 'WeensyScope demonstration kernel', 0x0f00);
  paint(m, 2, 0, 'ticks:', 0x0700);

  const cpu = m.cpu;
  cpu.idtr = L.idt;
  cpu.tr = L.tss;
  cpu.cr3 = tables.root;
  cpu.cr0 = (CR0_PE | CR0_PG | CR0_WP) >>> 0;
  cpu.regs[Reg.RSP * 2] = KERNEL_STACK_TOP;
  cpu.rip = kernel.symbols.get('schedule')!;
  m.devices.state.picMask = 0xfe; // timer_init: unmask IRQ0
  m.invalidateCaches();
  m.mmu.flush();
  return m;
}

