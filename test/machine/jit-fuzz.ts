// Random WS64 programs and the small world they run in, for the JIT's
// differential test (jit-differential.test.ts): the same seed builds the same
// machine twice, once with translated blocks and once interpreter-only.
//
// Physical layout (memory is 0x80000 bytes, so hashing is cheap; the rest of
// the 2 MiB reads as unbacked):
//   0x10000-0x11fff  program code (two pages)
//   0x20000-0x23fff  data pages
//   0x30000-0x32fff  stack pages
//   0x40000          kernel: the trap handler
//   0x52000          kernel data: trap count, restart rip; +0x100 instruction lengths by opcode byte
//   0x54000 IDT, 0x55000 TSS (rsp0 0x80000), 0x58000... page tables, 0x7f000 kernel stack
//
// Linear layout the program sees:
//   0x400000   code (user; writable when the seed allows self-modifying code)
//   0x600000   the same physical code again (an alias)
//   0xffff800000400000  and once more in the upper half
//   0x800000 data RW, 0x801000 data RW, 0x802000 read-only, 0x803000 not present,
//   0x804000   the leaf page table of this region itself (RW: the program flips PTE bits),
//   0x805000   the first code page as data (RW: self-modifying code through a second mapping),
//   0x8fe000-0x900fff stack (top 0x901000)
//   0xa00000   a 2 MiB page onto physical 0 (the program only reads it)
// Kernel: identity map of [0, 0x80000), supervisor only.
//
// Some seeds run with paging off (CPL 0): then the program is at 0x10000 and
// uses the physical addresses of the same pages (PHYSICAL below), there are
// no aliases and no page tables to poke, and addresses past RAM are unbacked.

import { CR0_PE, CR0_PG, CR0_WP, PTE_P, PTE_PS, PTE_U, PTE_W } from '../../emulator/machine/constants';
import { assemble, type AssembledProgram } from '../../emulator/machine/isa/assembler';
import { instructionLength } from '../../emulator/machine/isa/decoder';
import { Machine, type MachineConfig } from '../../emulator/machine/machine';
import { setGate, write64 } from './helpers';

export const MEMORY = 0x80000;
export const CODE_PA = 0x10000;
export const CODE_VA = 0x400000;
export const ALIAS_DELTA = 0x200000;
/** Upper-half alias: CODE_VA + HIGH_DELTA = 0xffff800000400000, as a signed JS number. */
export const HIGH_DELTA = -0x800000000000;
export const DATA_VA = 0x800000;
export const PTE_VA = 0x804000;
export const CODE_AS_DATA_VA = 0x805000;
export const STACK_TOP = 0x901000;
export const LARGE_VA = 0xa00000;
/** Where the program finds things: with paging on (VIRTUAL) or off (PHYSICAL). */
export interface Layout {
  readonly code: number;
  /** Other linear addresses of the code, as offsets from `code`. */
  readonly aliases: readonly number[];
  readonly data: number;
  /** The leaf page table of the data region, mapped for the program; 0 if none. */
  readonly pte: number;
  readonly codeAsData: number;
  readonly stackTop: number;
  readonly large: number;
}

export const VIRTUAL: Layout = {
  code: CODE_VA, aliases: [ALIAS_DELTA, HIGH_DELTA], data: DATA_VA, pte: PTE_VA, codeAsData: CODE_AS_DATA_VA, stackTop: STACK_TOP, large: LARGE_VA,
};
export const PHYSICAL: Layout = {
  code: CODE_PA, aliases: [], data: 0x20000, pte: 0, codeAsData: CODE_PA, stackTop: 0x33000, large: LARGE_VA,
};

const KTEXT = 0x40000;
const KDATA = 0x52000;
const LENGTHS = KDATA + 0x100;
/** How far below the top of the stack the handler lets rsp be (leaving room for a trap frame). */
const STACK_ROOM = 0x2c00;
const IDT = 0x54000;
const TSS = 0x55000;
const KSTACK_TOP = 0x80000;

/** A small deterministic PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface FuzzOptions {
  /** Run the program at CPL 3 (else CPL 0). */
  user: boolean;
  /** Map the code writable and let the program write its own code. */
  selfModifying: boolean;
  instructionsPerTick: number;
  tlbSize: number;
  /** Paging on (else off, which implies CPL 0). */
  paging: boolean;
}

export function fuzzOptions(rng: Rng): FuzzOptions {
  const paging = rng.chance(0.8);
  return {
    user: paging && rng.chance(0.7),
    selfModifying: rng.chance(0.4),
    instructionsPerTick: rng.pick([7, 23, 61, 150, 1000]),
    tlbSize: rng.pick([2, 4, 8, 64]),
    paging,
  };
}

export function layoutOf(o: FuzzOptions): Layout {
  return o.paging ? VIRTUAL : PHYSICAL;
}

const GPRS = ['rax', 'rcx', 'rdx', 'rbx', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11'] as const;
const ALU_RR = [
  'mov', 'add', 'sub', 'and', 'or', 'xor', 'shl', 'shr', 'sar', 'mul', 'div', 'divu', 'rem', 'remu',
  'zext32', 'addw', 'subw', 'shlw', 'shrw', 'sarw', 'mulw', 'divw', 'divuw', 'remw', 'remuw',
  'neg', 'not', 'sext8', 'sext16', 'sext32', 'zext8', 'zext16', 'negw',
  'seq', 'sne', 'slt', 'sltu', 'sle', 'sleu', 'sgt', 'sgtu', 'sge', 'sgeu',
];
const ALU_IMM = ['addi', 'andi', 'ori', 'xori', 'muli', 'addwi'];
const SHIFT_IMM = ['shli', 'shri', 'sari', 'shlwi', 'shrwi', 'sarwi'];
const LOADS = ['ld8u', 'ld8s', 'ld16u', 'ld16s', 'ld32u', 'ld32s', 'ld64'];
const STORES = ['st8', 'st16', 'st32', 'st64'];
const BRANCH_RR = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const BRANCH_RI = ['beqi', 'bnei', 'blti', 'bgei', 'bltui', 'bgeui'];
const SIZE: Record<string, number> = { ld8u: 1, ld8s: 1, ld16u: 2, ld16s: 2, ld32u: 4, ld32s: 4, ld64: 8, st8: 1, st16: 2, st32: 4, st64: 8 };

/** An interesting constant: small, edge-of-range, or random 64-bit. */
function constant(rng: Rng): string {
  switch (rng.int(0, 5)) {
    case 0:
      return String(rng.int(-3, 3));
    case 1:
      return rng.pick(['0x7fffffff', '-0x80000000', '0xffffffff', '-1', '0x7fffffffffffffff', '-0x8000000000000000', '0x80000000']);
    case 2:
      return String(rng.int(-200, 200));
    case 3:
      return `0x${rng.int(0, 0xffffffff).toString(16)}${rng.int(0, 0xffffffff).toString(16).padStart(8, '0')}`;
    default:
      return String(rng.int(-0x80000000, 0x7fffffff));
  }
}

/** A data address worth touching: mostly RW data, sometimes a page that faults, straddles, or is special. */
function dataAddress(rng: Rng, size: number, o: FuzzOptions): number {
  const L = layoutOf(o);
  const r = rng.next();
  if (r < 0.55) return L.data + rng.int(0, 0x1ff8); // RW pages
  if (r < 0.65) return L.data + 0x1000 - rng.int(1, size); // straddles data0/data1
  if (r < 0.72) return L.data + 0x2000 + rng.int(0, 0xff8); // read-only page
  if (r < 0.76) return L.data + 0x2000 - rng.int(1, size); // straddles RW / read-only
  if (r < 0.8) return L.data + 0x3000 + rng.int(0, 0xff8); // not present
  if (r < 0.84) return L.stackTop - rng.int(8, 0x200);
  if (r < 0.9) return L.large + rng.int(0, 0x1ffff8); // 2 MiB page (loads only; see below); unbacked with paging off
  if (r < 0.93) return KDATA + rng.int(0x800, 0xff8); // kernel-only: user accesses fault (the handler keeps it in the TLB)
  if (r < 0.97 && o.selfModifying) return L.codeAsData + rng.int(0, 0xfff);
  return L.data + rng.int(0, 0xff8);
}

/**
 * A random program: segments of straight-line code, counted loops, tight
 * self-loops, forward branches, calls to subroutines, jumps through the code
 * aliases, system calls, page-table bit flips, and self-modifying writes,
 * ending in a jump back to `start`.
 */
export function randomProgram(rng: Rng, o: FuzzOptions): string {
  const L = layoutOf(o);
  const lines: string[] = [];
  let label = 0;
  const fresh = (): string => `L${label++}`;
  const pendingForward: string[] = [];
  const subs: string[] = [];
  const farSubs: string[] = [];
  const reg = (): string => rng.pick(GPRS);
  const disp = (n: number): string => (n < 0 ? `-${-n}` : `+${n}`);
  const emit = (s: string): void => void lines.push(`  ${s}`);

  const memOp = (): void => {
    const isLoad = rng.chance(0.55);
    const mn = isLoad ? rng.pick(LOADS) : rng.pick(STORES);
    let addr = dataAddress(rng, SIZE[mn]!, o);
    // The 2 MiB page maps all of physical memory: only read it, or the program would rewrite the world.
    if (!isLoad && addr >= L.large) addr = L.data + 0x40;
    const form = rng.int(0, 9);
    if (form === 0 && addr < 0x80000000) {
      emit(isLoad ? `${mn} ${reg()}, [${addr}]` : `${mn} [${addr}], ${reg()}`);
    } else if (form === 1) {
      const s = rng.pick([1, 2, 4, 8]);
      const idx = rng.int(0, 0x40);
      emit(`movi r13, ${idx}`);
      emit(`movi r12, ${addr - idx * s}`);
      emit(isLoad ? `${mn} ${reg()}, [r12+r13*${s}]` : `${mn} [r12+r13*${s}], ${reg()}`);
    } else if (form === 3) {
      // rbp as the base: a stack access (#SS, not #GP, when the address is not canonical).
      const k = rng.int(0, 2);
      if (k === 0) emit(`movi rbp, ${addr}`);
      else if (k === 1) emit(`mov rbp, ${reg()}`);
      else emit(`movi rbp, ${rng.pick(['0x0000800000000000', '0x7fff00000000fff8', '-0x800000000008'])}`);
      emit(isLoad ? `${mn} ${reg()}, [rbp]` : `${mn} [rbp], ${reg()}`);
    } else if (form === 2) {
      // A base register that holds whatever it holds: usually a wild address.
      const b = reg();
      const d = disp(rng.int(-64, 64));
      emit(isLoad ? `${mn} ${reg()}, [${b}${d}]` : `${mn} [${b}${d}], ${reg()}`);
    } else {
      const d = rng.chance(0.5) ? rng.int(-128, 127) : rng.int(-5000, 5000);
      emit(`movi r12, ${addr - d}`);
      emit(isLoad ? `${mn} ${reg()}, [r12${disp(d)}]` : `${mn} [r12${disp(d)}], ${reg()}`);
    }
  };

  const simple = (): void => {
    const r = rng.next();
    if (r < 0.3) emit(`${rng.pick(ALU_RR)} ${reg()}, ${reg()}`);
    else if (r < 0.42) emit(`${rng.pick(ALU_IMM)} ${reg()}, ${rng.chance(0.5) ? rng.int(-128, 127) : rng.int(-0x80000000, 0x7fffffff)}`);
    else if (r < 0.5) emit(`${rng.pick(SHIFT_IMM)} ${reg()}, ${rng.int(0, 70)}`);
    else if (r < 0.56) emit(`movi ${reg()}, ${constant(rng)}`);
    else if (r < 0.6) emit(`lea ${reg()}, [${reg()}${disp(rng.int(-300, 300))}]`);
    else if (r < 0.62) emit(`lea ${reg()}, [${reg()}+${reg()}*${rng.pick([1, 2, 4, 8])}]`);
    else if (r < 0.8) memOp();
    else if (r < 0.84) {
      emit(`push ${reg()}`);
      if (rng.chance(0.8)) emit(`pop ${reg()}`);
    } else if (r < 0.85 && o.user) {
      // A wild stack pointer (user mode only: in the kernel it would end in a triple fault).
      emit(`mov rsp, ${reg()}`);
      emit(rng.chance(0.5) ? `push ${reg()}` : rng.chance(0.5) ? 'ret' : `pop ${reg()}`);
      emit(`movi rsp, ${L.stackTop}`);
    } else if (r < 0.86) {
      emit('pushf');
      emit(rng.chance(0.5) ? 'popf' : `pop ${reg()}`);
    } else if (r < 0.88) {
      emit(`enter ${rng.int(0, 64)}`);
      emit(`st64 [rbp-8], ${reg()}`);
      if (rng.chance(0.5)) emit(`mov ${reg()}, rsp`);
      if (rng.chance(0.3)) emit(`push ${reg()}`);
      emit('leave');
    } else if (r < 0.9) {
      emit(`movi ${reg()}, 0`);
      emit(`${rng.pick(['div', 'remu', 'divw', 'remuw'])} ${reg()}, ${reg()}`);
    } else if (r < 0.92) {
      emit('nop');
    } else if (r < 0.94) {
      emit(rng.chance(0.5) ? `mov ${reg()}, rsp` : `lea ${reg()}, [rsp${disp(rng.int(-16, 16))}]`);
    } else {
      emit(`mov ${reg()}, ${reg()}`);
    }
  };

  const straight = (n: number): void => {
    for (let i = 0; i < n; i++) simple();
  };

  lines.push(`.org ${L.code}`);
  lines.push('start:');
  emit(`movi rsp, ${L.stackTop}`);
  const segments = rng.int(12, 30);
  for (let s = 0; s < segments; s++) {
    const r = rng.next();
    if (pendingForward.length > 0 && rng.chance(0.4)) lines.push(`${pendingForward.shift()!}:`);
    if (r < 0.3) {
      straight(rng.int(1, 10));
    } else if (r < 0.42) {
      // A counted loop; r15 is its counter and nothing else writes it.
      const top = fresh();
      emit(`movi r15, ${rng.int(1, 12)}`);
      lines.push(`${top}:`);
      straight(rng.int(1, 6));
      emit('addi r15, -1');
      emit(`bnz r15, ${top}`);
    } else if (r < 0.52) {
      // A tight self-loop (a block that branches to its own start), sometimes touching memory.
      const top = fresh();
      emit(`movi r14, ${rng.int(1, 40)}`);
      emit(`movi r12, ${L.data + rng.int(0, 0xff0)}`);
      lines.push(`${top}:`);
      if (rng.chance(0.5)) emit(`st64 [r12], r14`);
      if (rng.chance(0.5)) emit(`ld64 ${reg()}, [r12]`);
      emit(`add ${reg()}, r14`);
      emit('addi r14, -1');
      emit(rng.chance(0.5) ? `bnz r14, ${top}` : `bgei r14, 1, ${top}`);
    } else if (r < 0.62) {
      const target = fresh();
      pendingForward.push(target);
      const kind = rng.int(0, 3);
      if (kind <= 1) emit(`${rng.pick(BRANCH_RR)} ${reg()}, ${reg()}, ${target}`);
      else if (kind === 2) emit(`${rng.pick(BRANCH_RI)} ${reg()}, ${rng.int(-128, 127)}, ${target}`);
      else emit(`${rng.pick(['bz', 'bnz'])} ${reg()}, ${target}`);
      straight(rng.int(0, 4));
    } else if (r < 0.7) {
      // A call to a subroutine after the program (often on its other page: see farSubs).
      const sub = fresh();
      if (rng.chance(0.5)) subs.push(sub);
      else farSubs.push(sub);
      emit(`call ${sub}`);
    } else if (r < 0.75) {
      // Continue at the same code through another linear address, or through a register
      // at the same address (an indirect transfer the translated code keeps in the page).
      const next = fresh();
      const delta = L.aliases.length > 0 && rng.chance(0.6) ? rng.pick(L.aliases) : 0;
      emit(`movi r13, ${next} + ${delta}`);
      if (rng.chance(0.7)) {
        emit('jmp r13');
      } else {
        emit('call r13');
      }
      lines.push(`${next}:`);
      emit(`movi rsp, ${L.stackTop}`);
    } else if (r < 0.79) {
      emit('int 48');
    } else if (r < 0.83 && L.pte !== 0) {
      // Flip W or P of a data page's PTE through the mapping of the page table itself.
      const idx = rng.int(0, 2);
      emit(`movi r12, ${L.pte + 8 * idx}`);
      emit(`ld64 r13, [r12]`);
      emit(`xori r13, ${rng.pick([2, 2, 1, 0x20, 0x40])}`);
      emit(`st64 [r12], r13`);
      // Use the page through a TLB entry that may now be stale.
      for (let k = rng.int(0, 3); k > 0; k--) {
        emit(`movi r12, ${L.data + idx * 0x1000 + rng.int(0, 0xff8)}`);
        emit(rng.chance(0.5) ? `ld64 ${reg()}, [r12]` : `st32 [r12], ${reg()}`);
      }
      if (!o.user && rng.chance(0.5)) {
        emit(`movi r13, ${L.data + idx * 0x1000}`);
        emit('invlpg r13');
      }
      straight(rng.int(1, 4));
    } else if (r < 0.88 && o.selfModifying) {
      // Rewrite a byte of code with itself (the decode cache and blocks are dropped, nothing changes),
      // or, rarely, change an immediate of a movi that follows.
      if (rng.chance(0.5)) {
        const at = rng.int(0, 0x400);
        emit(`movi r12, ${L.codeAsData + at}`);
        emit('ld8u r13, [r12]');
        emit('st8 [r12], r13');
      } else {
        // Patch the immediate of a movi later in the same block, in a loop so the new value is used.
        const patch = fresh();
        const top = fresh();
        emit(`movi r14, ${rng.int(1, 4)}`);
        lines.push(`${top}:`);
        emit(`movi r12, ${patch} + 2`);
        emit(`add r13, r14`);
        emit('st8 [r12], r13');
        lines.push(`${patch}:`);
        emit(`movi ${reg()}, 0x11223344`);
        emit('addi r14, -1');
        emit(`bnz r14, ${top}`);
      }
    } else if (r < 0.92 && !o.user) {
      const k = rng.int(0, 3);
      if (k === 0 && o.paging) {
        emit('movrc r13, cr3');
        emit('movcr cr3, r13');
      } else if (k === 1) {
        emit('cli');
        straight(rng.int(1, 3));
        emit('sti');
      } else if (k === 2) {
        emit(`movi r13, ${L.data + 0x1000}`);
        emit('invlpg r13');
      } else {
        emit('movrc r13, cr2');
      }
    } else if (r < 0.93) {
      emit(rng.pick(['int3', 'ud2', 'int 49', 'int 200']));
    } else {
      straight(rng.int(1, 3));
    }
  }
  for (const l of pendingForward) lines.push(`${l}:`);
  emit('jmp start');
  for (const sub of subs) {
    lines.push(`${sub}:`);
    straight(rng.int(0, 6));
    emit('ret');
  }
  // Subroutines on the second code page when the program leaves room (calls and returns
  // between pages, some calling back into the first page), else after the others.
  const far: string[] = [];
  for (const sub of farSubs) {
    far.push(`${sub}:`);
    const mark = lines.length;
    straight(rng.int(0, 6));
    if (subs.length > 0 && rng.chance(0.4)) emit(`call ${rng.pick(subs)}`);
    if (rng.chance(0.3)) memOp();
    emit('ret');
    far.push(...lines.splice(mark));
  }
  const paged = [...lines, '  .align 4096', ...far].join('\n');
  if (far.length > 0 && assemble(paged).bytes.length <= 0x2000) return paged;
  return [...lines, ...far].join('\n');
}

/**
 * The trap handler. It counts traps; the timer and int 48 return. A fault
 * skips the faulting instruction (its length comes from a table indexed by
 * the opcode byte, read through the kernel's identity map of the code) so
 * the whole program gets to run; if rip is not in the code or the byte is
 * not an opcode, the program restarts. A wild rsp is reset.
 */
const kernel = (L: Layout): string => `
  .org ${KTEXT}
  trap:
    movi rbx, ${KDATA}
    ld64 rax, [rbx]
    addi rax, 1
    st64 [rbx], rax
    ld64 rax, [rdi+136]
    movi rcx, 32
    beq rax, rcx, back
    movi rcx, 48
    beq rax, rcx, back
    ld64 rcx, [rdi+176]
    movi rdx, ${L.stackTop - STACK_ROOM}
    sub rcx, rdx
    movi rdx, ${STACK_ROOM}
    bltu rcx, rdx, rspok
    movi rcx, ${L.stackTop}
    st64 [rdi+176], rcx
  rspok:
    ld64 rcx, [rdi+152]
    movi rdx, ${L.code}
    sub rcx, rdx
    movi rdx, 0x2000
    bltu rcx, rdx, found
${L.aliases.map((delta, i) => `    movi rdx, ${delta - (i === 0 ? 0 : L.aliases[i - 1]!)}
    sub rcx, rdx
    movi rdx, 0x2000
    bltu rcx, rdx, found`).join('\n')}
  restart:
    ld64 rcx, [rbx+8]
    st64 [rdi+152], rcx
    movi rcx, ${L.stackTop}
    st64 [rdi+176], rcx
    jmp back
  found:
    movi rdx, ${CODE_PA}
    add rdx, rcx
    ld8u rdx, [rdx]
    movi r8, ${LENGTHS}
    ld8u rdx, [r8+rdx]
    bz rdx, restart
    ld64 rcx, [rdi+152]
    add rcx, rdx
    st64 [rdi+152], rcx
  back:
    iret rdi
`;

/** Page tables with 64-bit linear addresses (bigint, so the upper half works). */
class Tables {
  readonly root: number;
  constructor(private readonly m: Machine, private next: number) {
    this.root = this.alloc();
  }
  private alloc(): number {
    const pa = this.next;
    this.next += 4096;
    this.m.memory.bytes.fill(0, pa, pa + 4096);
    return pa;
  }
  /** The physical address of the entry for `va` at `level` (0 = L1 ... 3 = L4), creating tables above it. */
  entry(va: bigint, level: number): number {
    let table = this.root;
    for (let l = 0; ; l++) {
      const index = Number((BigInt.asUintN(64, va) >> BigInt(39 - 9 * l)) & 511n);
      const at = table + index * 8;
      if (l === level) return at;
      let e = this.m.memory.peek64(at);
      if (!(e & PTE_P)) {
        e = this.alloc() | PTE_P | PTE_W | PTE_U;
        this.m.memory.write64(at, e, 0);
      }
      table = e & ~0xfff;
    }
  }
  map(va: number | bigint, pa: number, perm: number): void {
    this.m.memory.write64(this.entry(BigInt(va), 3), pa | perm, 0);
  }
  mapLarge(va: number, pa: number, perm: number): void {
    this.m.memory.write64(this.entry(BigInt(va), 2), pa | perm | PTE_PS, 0);
  }
}

export interface FuzzWorld {
  readonly m: Machine;
  readonly program: AssembledProgram;
}

/** Builds the machine for `source` (deterministically: the same arguments give the same state). */
export function fuzzMachine(source: string, o: FuzzOptions, config: MachineConfig): FuzzWorld {
  const m = new Machine({ memorySize: MEMORY, instructionsPerTick: o.instructionsPerTick, tlbSize: o.tlbSize, ...config });
  const program = assemble(source);
  if (program.bytes.length > 0x2000) throw new Error(`program too long: ${program.bytes.length} bytes`);
  m.memory.writeBytes(CODE_PA, program.bytes);
  const L = layoutOf(o);
  const kernelProgram = assemble(kernel(L));
  m.memory.writeBytes(kernelProgram.origin, kernelProgram.bytes);

  m.memory.bytes.fill(0, IDT, IDT + 4096);
  const trap = kernelProgram.symbols.get('trap')!;
  for (let v = 0; v < 256; v++) setGate(m, IDT, v, trap, v === 48 || v === 3 ? 3 : 0);
  m.cpu.idtr = IDT;
  write64(m, TSS + 4, BigInt(KSTACK_TOP));
  m.cpu.tr = TSS;
  const start = program.symbols.get('start')!;
  write64(m, KDATA + 8, BigInt(start));
  for (let op = 0; op < 256; op++) m.memory.bytes[LENGTHS + op] = instructionLength(op);

  const t = new Tables(m, 0x58000);
  for (let va = 0; va < MEMORY; va += 4096) t.map(va, va, PTE_P | PTE_W);
  const codePerm = PTE_P | PTE_U | (o.selfModifying ? PTE_W : 0);
  for (let i = 0; i < 2; i++) {
    t.map(CODE_VA + i * 0x1000, CODE_PA + i * 0x1000, codePerm);
    t.map(CODE_VA + ALIAS_DELTA + i * 0x1000, CODE_PA + i * 0x1000, codePerm);
    t.map(BigInt(CODE_VA + i * 0x1000) + BigInt(HIGH_DELTA), CODE_PA + i * 0x1000, codePerm);
  }
  t.map(DATA_VA, 0x20000, PTE_P | PTE_W | PTE_U);
  t.map(DATA_VA + 0x1000, 0x21000, PTE_P | PTE_W | PTE_U);
  t.map(DATA_VA + 0x2000, 0x22000, PTE_P | PTE_U);
  const leaf = t.entry(BigInt(DATA_VA), 3) & ~0xfff;
  t.map(PTE_VA, leaf, PTE_P | PTE_W | PTE_U);
  if (o.selfModifying) t.map(CODE_AS_DATA_VA, CODE_PA, PTE_P | PTE_W | PTE_U);
  for (let i = 0; i < 3; i++) t.map(STACK_TOP - 0x3000 + i * 0x1000, 0x30000 + i * 0x1000, PTE_P | PTE_W | PTE_U);
  t.mapLarge(LARGE_VA, 0, PTE_P | PTE_W | PTE_U);
  // Some data to read.
  for (let i = 0; i < 0x3000; i++) m.memory.bytes[0x20000 + i] = (i * 37 + (i >> 8)) & 0xff;

  m.cpu.cr3 = t.root;
  m.cpu.cr0 = o.paging ? (CR0_PE | CR0_PG | CR0_WP) >>> 0 : CR0_PE;
  m.mmu.flush();
  m.devices.state.picMask = 0xfe; // the timer unmasked
  m.cpu.rip = start;
  m.cpu.regs[4 * 2] = L.stackTop;
  if (o.user) {
    m.cpu.cs = 0x13;
    m.cpu.ss = 0x23;
  }
  m.cpu.rflags = 0x202;
  m.invalidateCaches();
  return { m, program };
}
