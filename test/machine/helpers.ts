// Shared set-up for machine tests: assemble, load, poke registers, build page
// tables and an IDT the way WeensyOS's hardware_init would.

import { assemble, type AssembledProgram } from '../../emulator/machine/isa/assembler';
import { Machine, type MachineConfig } from '../../emulator/machine/machine';
import { REGISTER_NAMES, type RegisterName } from '../../emulator/machine/isa/opcodes';
import { fromBigInt, R, toBigInt } from '../../emulator/machine/int64';
import { CR0_PE, CR0_PG, CR0_WP, PTE_P, PTE_PS, PTE_U, PTE_W } from '../../emulator/machine/constants';

export function getReg(m: Machine, name: RegisterName): bigint {
  const i = REGISTER_NAMES.indexOf(name);
  return toBigInt(m.cpu.regs[2 * i]!, m.cpu.regs[2 * i + 1]!);
}

export function setReg(m: Machine, name: RegisterName, v: bigint | number): void {
  const i = REGISTER_NAMES.indexOf(name);
  m.cpu.regs[2 * i] = fromBigInt(BigInt(v));
  m.cpu.regs[2 * i + 1] = R.hi;
}

/** Assembles `source` and copies it to physical memory at its .org; rip = `start` if defined, else the origin. */
export function load(m: Machine, source: string): AssembledProgram {
  const prog = assemble(source);
  m.memory.writeBytes(prog.origin, prog.bytes);
  m.cpu.rip = prog.symbols.get('start') ?? prog.origin;
  return prog;
}

export function machineWith(source: string, config: MachineConfig = {}): { m: Machine; prog: AssembledProgram } {
  const m = new Machine(config);
  const prog = load(m, source);
  return { m, prog };
}

export function write64(m: Machine, pa: number, v: bigint): void {
  const lo = fromBigInt(v);
  m.memory.write64(pa, lo, R.hi);
}

export function read64(m: Machine, pa: number): bigint {
  const lo = m.memory.peek64(pa);
  return toBigInt(lo, R.hi);
}

/**
 * Builds 4-level page tables in physical memory, allocating table pages
 * upwards from `nextTable`. Intermediate entries get `upper` flags
 * (P|W|U unless a test says otherwise), as WeensyOS's virtual_memory_map does.
 */
export class PageTables {
  readonly root: number;
  constructor(readonly m: Machine, private nextTable: number) {
    this.root = this.alloc();
  }
  private alloc(): number {
    const pa = this.nextTable;
    this.nextTable += 4096;
    this.m.memory.bytes.fill(0, pa, pa + 4096);
    return pa;
  }
  /** Physical addresses of the four entries used for `va` (creating tables as needed), L1 first. */
  entries(va: number, upper = PTE_P | PTE_W | PTE_U, levels = 4): number[] {
    const idx = [(va / 2 ** 39) & 511, (va / 2 ** 30) & 511, (va / 2 ** 21) & 511, (va / 2 ** 12) & 511];
    const out: number[] = [];
    let table = this.root;
    for (let level = 0; level < levels; level++) {
      const at = table + idx[level]! * 8;
      out.push(at);
      if (level === levels - 1) break;
      let e = read64(this.m, at);
      if (!(e & 1n)) {
        e = BigInt(this.alloc()) | BigInt(upper);
        write64(this.m, at, e);
      }
      table = Number(e & 0xffffffffff000n);
    }
    return out;
  }
  map(va: number, pa: number, perm: number, upper = PTE_P | PTE_W | PTE_U): void {
    const es = this.entries(va, upper);
    write64(this.m, es[3]!, BigInt(pa) | BigInt(perm));
  }
  /** A 2 MiB page through an L3 entry with PS. */
  mapLarge(va: number, pa: number, perm: number, upper = PTE_P | PTE_W | PTE_U): void {
    const es = this.entries(va, upper, 3);
    write64(this.m, es[2]!, BigInt(pa) | BigInt(perm | PTE_PS));
  }
  identity(start: number, end: number, perm: number): void {
    for (let va = start; va < end; va += 4096) this.map(va, va, perm);
  }
}

/** Turns paging on with `root` as CR3 and CR0.WP set, as hardware_init does. */
export function enablePaging(m: Machine, root: number, wp = true): void {
  m.cpu.cr3 = root;
  m.cpu.cr0 = (CR0_PE | CR0_PG | (wp ? CR0_WP : 0)) >>> 0;
  m.mmu.flush();
  m.invalidateCaches();
}

/** Writes an IDT gate: handler address, present, DPL, interrupt gate (type 0xE). */
export function setGate(m: Machine, idt: number, vector: number, handler: number, dpl = 0): void {
  write64(m, idt + vector * 16, BigInt(handler));
  m.memory.write8(idt + vector * 16 + 8, 0x80 | (dpl << 5) | 0xe);
}

export const USER_CS = 0x13;
export const USER_SS = 0x23;

/** Puts the CPU in user mode (as after an iret to a process). */
export function enterUser(m: Machine, rip: number, rsp: number): void {
  m.cpu.cs = USER_CS;
  m.cpu.ss = USER_SS;
  m.cpu.rflags = 0x202;
  m.cpu.rip = rip;
  setReg(m, 'rsp', rsp);
  m.privilegeChanged();
}
