// Stack unwinding through rbp chains, across trap boundaries.
//
// Every function our compiler emits starts with `enter N` (push rbp; rbp =
// rsp; rsp -= N) followed by stores of the callee-saved registers it uses
// (`st64 [rbp-k], rbx` ...). So in a function, the canonical frame address
// (CFA, the caller's rsp after the return) is rsp + 8 at its first
// instruction and at its `ret`, and rbp + 16 everywhere else; the return
// address is just below the CFA, the caller's rbp at rbp, and the caller's
// callee-saved registers in the slots the prologue stored them to.
//
// A trap handler (exception_entry, default_int_handler) is "called" by the
// CPU with a return address of 0 just below the x86_64_registers frame it
// pushed, so a kernel frame whose return address is 0 and whose CFA holds a
// plausible trap frame marks a trap boundary: the unwinder emits a label
// frame ("system call sys_yield from pid 1") and continues with the
// registers the trap saved, in the trapping process's address space.

import { INT_GPF, INT_PAGEFAULT, INT_TIMER } from '../machine/constants';
import { vectorName } from '../machine/fault';
import { decode } from '../machine/isa/decoder';
import { Op } from '../machine/isa/opcodes';
import type { Machine } from '../machine/machine';
import type { TrapRecord } from './debug-types';
import { readAddress, readBytes, readTrapFrame, toNumber, type KernelAccess, type Space, type TrapFrame } from './kernel-access';
import type { MappedFunction, MappedImage, ProgramMap } from './program-map';

const CALLEE_SAVED = new Set([3, 12, 13, 14, 15]);
const PHYSICAL: Space = { cr3: 0, paging: false };

export interface UnwindStart {
  readonly rip: number;
  /** The 16 general registers (undefined when unknown). */
  readonly registers: readonly (bigint | undefined)[];
  readonly user: boolean;
  readonly space: Space;
  readonly pid?: number;
}

export interface RawFrame {
  /** The frame's rip (the return address for outer frames). */
  readonly rip: number;
  /** The address to look up source for: rip, or rip - 1 after a call or a system call. */
  readonly lookup: number;
  readonly registers: readonly (bigint | undefined)[];
  readonly user: boolean;
  readonly space: Space;
  readonly pid?: number;
  readonly image?: MappedImage;
  readonly function?: MappedFunction;
  /** Set on a trap-boundary label frame. */
  readonly trap?: TrapRecord;
  /** True when the registers are the CPU's own (the innermost frame of the running context). */
  readonly live: boolean;
}

export interface UnwindEnv {
  readonly machine: Machine;
  readonly map: ProgramMap;
  readonly kernel: KernelAccess;
  /** Names of system-call vectors ("sys_yield"), from the kernel's INT_SYS_* macros. */
  readonly syscallNames: ReadonlyMap<number, string>;
}

const saveCache = new WeakMap<MappedFunction, { reg: number; offset: number; at: number }[]>();

/** The callee-saved registers a function's prologue stores, with their rbp offsets and the store's address. */
export function prologueSaves(image: MappedImage, f: MappedFunction): { reg: number; offset: number; at: number }[] {
  const cached = saveCache.get(f);
  if (cached) return cached;
  const saves: { reg: number; offset: number; at: number }[] = [];
  let at = f.fn.start;
  const first = decodeImage(image, at);
  if (first && first.op === Op.ENTER) {
    at += first.len;
    for (let i = 0; i < 8 && at < f.fn.end; i++) {
      const insn = decodeImage(image, at);
      if (!insn || insn.op !== Op.ST64 || insn.b !== 5 || !CALLEE_SAVED.has(insn.a)) break;
      saves.push({ reg: insn.a, offset: insn.imm, at });
      at += insn.len;
    }
  }
  saveCache.set(f, saves);
  return saves;
}

/** Decodes the instruction at `address` from an image's text bytes. */
export function decodeImage(image: MappedImage, address: number): ReturnType<typeof decode> {
  const off = address - image.textStart;
  if (off < 0 || off >= image.text.length) return undefined;
  return decode(image.text, off);
}

/** The CFA of the frame executing at `rip` in `f` (see the top of the file), given rsp and rbp. */
export function frameAddress(image: MappedImage | undefined, f: MappedFunction | undefined, rip: number, rsp: number, rbp: number): { cfa: number; atEntry: boolean } {
  if (image && f) {
    if (rip === f.fn.start) return { cfa: rsp + 8, atEntry: true };
    const insn = decodeImage(image, rip);
    if (insn && insn.op === Op.RET) return { cfa: rsp + 8, atEntry: true };
  }
  return { cfa: rbp + 16, atEntry: false };
}

/** The name of a trap for a label frame: "system call sys_yield", "page fault", "timer interrupt". */
export function trapName(vector: number, syscallNames: ReadonlyMap<number, string>): string {
  if (vector === INT_PAGEFAULT) return 'page fault';
  if (vector === INT_TIMER) return 'timer interrupt';
  if (vector === INT_GPF) return 'general protection fault';
  const sys = syscallNames.get(vector);
  if (sys) return `system call ${sys}`;
  if (vector >= 48 && vector < 64) return `system call ${vector}`;
  return vectorName(vector);
}

/** Which process a user trap frame came from: the one whose saved registers equal it (exception() copies them), else `current`. */
function trapOrigin(env: UnwindEnv, tf: TrapFrame): { pid?: number; space?: Space } {
  const m = env.machine;
  const procs = env.kernel.processes(m);
  for (const p of procs) {
    if (p.slot === 0 || p.state === 0) continue;
    const at = env.kernel.savedRegistersAt(p.slot);
    if (at === undefined) break;
    const saved = readTrapFrame(m, { cr3: 0, paging: false }, at);
    if (saved && saved.rip === tf.rip && saved.rsp === tf.rsp && saved.intno === tf.intno && saved.registers[0] === tf.registers[0] && saved.rbp === tf.rbp) {
      return { pid: p.pid, ...(p.pagetable ? { space: { cr3: p.pagetable, paging: true } } : {}) };
    }
  }
  const pid = env.kernel.currentPid(m);
  const p = procs.find((q) => q.pid === pid && q.slot !== 0);
  return { ...(pid !== undefined ? { pid } : {}), ...(p?.pagetable ? { space: { cr3: p.pagetable, paging: true } } : {}) };
}

/** Unwinds from `start`, at most `max` frames. */
export function unwind(env: UnwindEnv, start: UnwindStart, live: boolean, max = 64): RawFrame[] {
  const m = env.machine;
  const frames: RawFrame[] = [];
  let rip = start.rip;
  let lookup = rip;
  let regs = [...start.registers];
  let user = start.user;
  let space = start.space;
  let pid = start.pid;
  let isLive = live;
  let lastCfa = -Infinity;
  const reader = (s: Space) => (a: number, n: number) => readBytes(m, s, a, n);
  while (frames.length < max) {
    const image = env.map.imageAt(lookup, user, reader(space));
    const fn = image ? env.map.functionAt(image, lookup) : undefined;
    frames.push({ rip, lookup, registers: regs, user, space, ...(pid !== undefined ? { pid } : {}), ...(image ? { image } : {}), ...(fn ? { function: fn } : {}), live: isLive });
    isLive = false;
    const rsp = regs[4] !== undefined ? toNumber(regs[4]) : undefined;
    const rbp = regs[5] !== undefined ? toNumber(regs[5]) : undefined;
    if (rsp === undefined || rbp === undefined) break;
    const { cfa, atEntry } = frameAddress(image, fn, rip, rsp, rbp);
    if (!(cfa > lastCfa)) break;
    lastCfa = cfa;
    // Kernel frames: the kernel is identity mapped, so when the current page table lacks the
    // kernel stack (the bug that makes a triple fault), physical memory still holds it.
    const read = (va: number): number | undefined => readAddress(m, space, va) ?? (user ? undefined : readAddress(m, PHYSICAL, va));
    const ret = read(cfa - 8);
    const callerRbp = atEntry ? rbp : read(rbp);
    if (ret === undefined || callerRbp === undefined) break;
    if (ret === 0) {
      if (user) break;
      const tf = readTrapFrame(m, space, cfa) ?? readTrapFrame(m, PHYSICAL, cfa);
      if (!tf) break;
      const fromUser = (tf.cs & 3) === 3;
      const origin = fromUser ? trapOrigin(env, tf) : { ...(pid !== undefined ? { pid } : {}) };
      const name = trapName(tf.intno, env.syscallNames);
      const who = fromUser ? (origin.pid !== undefined ? `from pid ${origin.pid}` : 'from user mode') : 'in the kernel';
      const trap: TrapRecord = { vector: tf.intno, name, errorCode: tf.err, frameAddress: cfa, fromUser, ...(origin.pid !== undefined ? { pid: origin.pid } : {}) };
      frames.push({ rip: tf.rip, lookup: tf.rip, registers: [], user: fromUser, space, live: false, trap: { ...trap, name: `${name} ${who}` } });
      if (frames.length >= max) break;
      rip = tf.rip;
      // After a system call the saved rip follows the `int`: the source is the int's.
      lookup = tf.intno >= 48 && tf.intno < 64 ? rip - 1 : rip;
      regs = [...tf.registers];
      user = fromUser;
      if (fromUser) {
        space = origin.space ?? space;
        pid = origin.pid;
      }
      lastCfa = -Infinity;
      continue;
    }
    const caller: (bigint | undefined)[] = new Array<bigint | undefined>(16).fill(undefined);
    for (const r of CALLEE_SAVED) caller[r] = regs[r];
    if (image && fn && !atEntry) {
      for (const s of prologueSaves(image, fn)) {
        if (rip > s.at) {
          const v = read(rbp + s.offset);
          caller[s.reg] = v === undefined ? undefined : BigInt.asUintN(64, BigInt(v));
        }
      }
    }
    caller[4] = BigInt.asUintN(64, BigInt(cfa));
    caller[5] = BigInt.asUintN(64, BigInt(callerRbp));
    regs = caller;
    rip = ret;
    lookup = ret - 1;
  }
  return frames;
}
