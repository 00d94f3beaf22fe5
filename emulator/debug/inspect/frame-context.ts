// The frame context every inspection function takes: one stack frame of a
// stopped machine, as plain data. The execution side (stack unwinding,
// threads) builds these; `topFrame` builds the innermost one straight from
// the CPU, which is all a test or a breakpoint condition needs.
//
//   machine    the stopped machine (read without side effects: no A/D bits,
//              no TLB fills, no faults; writes only through setVariable and
//              writeMemory, which go through PhysicalMemory)
//   build      the kernel image, the six program images and each compiled
//              file's macros (a WeensyBuild with its kernel has this shape)
//   rip        the frame's instruction pointer (for outer frames: the return
//              address, or the call instruction's address; either finds the function)
//   registers  the 16 general registers as this frame sees them (rax = 0 ...
//              r15 = 15, WS64 numbering), unsigned 64-bit bigints; undefined
//              for a register the unwinder could not recover. rsp = 4 and
//              rbp = 5 must be present for frame-slot variables.
//   cr3        the physical address of the L1 page table the frame runs in
//   paging     false while paging is off (before hardware_init): addresses are physical
//   frameIndex 0 for the innermost frame: only its registers are the CPU's,
//              so setVariable on a register variable works only there
//   image      the image whose code rip is in (optional: found from rip and
//              memory when absent, see imageAt)
//   pid        the process this frame belongs to, when known (user frames;
//              kernel frames on behalf of a process). `pid` in expressions
//              means this, else current->p_pid.

import type { LinkedImage } from '../../cc/link/link';
import type { MacroDefinition } from '../../cc/preprocess/macro';
import { CR0_PG } from '../../machine/constants';
import type { Machine } from '../../machine/machine';

export interface InspectProgram {
  /** 'p-allocator', 'p-allocator2', ..., 'p-fork', 'p-forkexit'. */
  readonly name: string;
  readonly image: LinkedImage;
}

/** What the debugger knows of the software: a WeensyBuild that compiled has this shape. */
export interface InspectBuild {
  readonly kernel: LinkedImage;
  readonly programs: readonly InspectProgram[];
  /** Each compiled file's macros, by path (as in WeensyBuild.macros). */
  readonly macros: ReadonlyMap<string, ReadonlyMap<string, MacroDefinition>>;
}

export interface FrameContext {
  readonly machine: Machine;
  readonly build: InspectBuild;
  readonly rip: number;
  readonly registers: readonly (bigint | undefined)[];
  readonly cr3: number;
  readonly paging: boolean;
  readonly frameIndex: number;
  readonly image?: LinkedImage;
  readonly pid?: number;
}

/** A register of the CPU as an unsigned 64-bit bigint. */
export function cpuRegister(machine: Machine, reg: number): bigint {
  const lo = machine.cpu.regs[2 * reg]! >>> 0;
  const hi = machine.cpu.regs[2 * reg + 1]! >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The innermost frame: the CPU's registers, rip and CR3. */
export function topFrame(machine: Machine, build: InspectBuild, extra: { readonly pid?: number; readonly image?: LinkedImage } = {}): FrameContext {
  const registers = Array.from({ length: 16 }, (_, r) => cpuRegister(machine, r));
  return {
    machine, build, rip: machine.cpu.rip, registers,
    cr3: machine.cpu.cr3 - (machine.cpu.cr3 % 4096), paging: (machine.cpu.cr0 & CR0_PG) !== 0, frameIndex: 0,
    ...(extra.pid !== undefined ? { pid: extra.pid } : {}),
    ...(extra.image ? { image: extra.image } : {}),
  };
}
