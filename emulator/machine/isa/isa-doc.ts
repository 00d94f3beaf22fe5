// Renders docs/ISA.md from the opcode table and the constants the machine
// uses, so the reference cannot drift from the implementation:
// test/machine/isa-doc.test.ts compares this output with the committed file
// (and rewrites it when UPDATE_GOLDEN=1). Pure: returns a string, does no I/O.

import {
  CR0_PE, CR0_PG, CR0_WP, CR4_PAE, CR4_PGE, CR4_SMEP, EFER_NXE, FL_IF, FL_IOPL_MASK, IDT_GATE_SIZE, INT_DIVIDE, INT_DOUBLEFAULT, INT_GPF,
  INT_INVALIDOP, INT_PAGEFAULT, INT_STACK, INT_TIMER, MAXPHYADDR, SEGSEL_APP_CODE, SEGSEL_APP_DATA, SEGSEL_KERN_CODE, SEGSEL_KERN_DATA,
  TRAPFRAME_SIZE, TSS_RSP0_OFFSET,
} from '../constants';
import { FRAME_GPR_ORDER, FRAME_SLOT, RFLAGS_WRITABLE } from '../traps';
import { disassembleOne } from './disassembler';
import { encode, type Operands } from './encoder';
import {
  BRANCH32_DELTA, BRANCH_IMM_DELTA, CONTROL_REGISTER_NAMES, FORMAT_LENGTH, MAX_INSN_LENGTH, MEM32_DELTA, MEM_ABS_DELTA, MEM_IDX_DELTA, OPCODE_BY_BYTE,
  OPCODES, REGISTER_NAMES, type Format, type OpcodeInfo, type Privilege,
} from './opcodes';

const hex = (n: number, digits = 2): string => `0x${n.toString(16).padStart(digits, '0')}`;
/** A table cell: pipes would end the cell, even inside backticks (GFM). */
const cell = (s: string): string => s.replace(/\|/g, '\\|');
const row = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
function table(head: string[], rows: string[][]): string {
  return [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
}

/** Byte layout of each format, and the operand syntax it gives an instruction. Keyed by Format so a new format must be documented. */
const FORMAT_DOC: Record<Format, { layout: string; note: string }> = {
  none: { layout: '`op`', note: 'no operands' },
  'reg-in-op': { layout: '`op+r`', note: 'register number in the low nibble of the opcode (16 opcodes per instruction)' },
  r: { layout: '`op` `a:4 0:4`', note: 'one register' },
  rr: { layout: '`op` `a:4 b:4`', note: 'two registers; a is the destination' },
  'r-cr': { layout: '`op` `a:4 cr:4`', note: 'a general register and a control register number' },
  'r-imm8': { layout: '`op` `a:4 0:4` `imm8`', note: 'imm8 sign-extended' },
  'r-imm32': { layout: '`op` `a:4 0:4` `imm32`', note: 'imm32 sign-extended (zero-extended by movu)' },
  'r-imm64': { layout: '`op` `a:4 0:4` `imm64`', note: 'a full 64-bit immediate' },
  mem8: { layout: '`op` `a:4 b:4` `disp8`', note: 'memory operand [b + sign-extended disp8]' },
  mem32: { layout: '`op` `a:4 b:4` `disp32`', note: 'memory operand [b + sign-extended disp32]' },
  rel8: { layout: '`op` `rel8`', note: 'target = next instruction + rel8' },
  rel32: { layout: '`op` `rel32`', note: 'target = next instruction + rel32' },
  'r-rel8': { layout: '`op` `a:4 0:4` `rel8`', note: 'a register tested against 0, and a target' },
  'r-rel32': { layout: '`op` `a:4 0:4` `rel32`', note: 'a register tested against 0, and a target' },
  'rr-rel8': { layout: '`op` `a:4 b:4` `rel8`', note: 'two registers compared, and a target' },
  'rr-rel32': { layout: '`op` `a:4 b:4` `rel32`', note: 'two registers compared, and a target' },
  'r-imm8-rel8': { layout: '`op` `a:4 0:4` `imm8` `rel8`', note: 'a register compared with sign-extended imm8, and a target' },
  'r-imm8-rel32': { layout: '`op` `a:4 0:4` `imm8` `rel32`', note: 'a register compared with sign-extended imm8, and a target' },
  'mem-abs32': { layout: '`op` `a:4 0:4` `abs32`', note: 'memory operand [sign-extended abs32], an absolute address' },
  'mem-idx': { layout: '`op` `a:4 b:4` `c:4 s:4`', note: 'memory operand [b + (c << s)]: index register c, scale 1 << s; s > 3 is invalid' },
  imm8: { layout: '`op` `imm8`', note: 'an unsigned 8-bit number' },
  imm16: { layout: '`op` `imm16`', note: 'an unsigned 16-bit number' },
};

/** Operand syntax of one form, as the assembler accepts it and the disassembler prints it. */
function operandSyntax(info: OpcodeInfo): string {
  const m = info.mnemonic;
  const disp = info.format === 'mem8' ? 'disp8' : 'disp32';
  switch (info.format) {
    case 'none':
      return '';
    case 'reg-in-op':
      return 'r';
    case 'r':
      return 'a';
    case 'rr':
      return m.startsWith('out') ? 'a (port), b (value)' : m.startsWith('in') ? 'a, b (port)' : 'a, b';
    case 'r-cr':
      return m === 'movcr' ? 'crN, a' : 'a, crN';
    case 'r-imm8':
      return 'a, imm8';
    case 'r-imm32':
      return 'a, imm32';
    case 'r-imm64':
      return 'a, imm64';
    case 'mem8':
    case 'mem32':
      return m.startsWith('st') ? `[b+${disp}], a` : `a, [b+${disp}]`;
    case 'mem-abs32':
      return m.startsWith('st') ? '[abs32], a' : 'a, [abs32]';
    case 'mem-idx':
      return m.startsWith('st') ? '[b+c*scale], a' : 'a, [b+c*scale]';
    case 'r-imm8-rel8':
    case 'r-imm8-rel32':
      return `a, imm8, target (${info.format.slice(7)})`;
    case 'rel8':
    case 'rel32':
      return `target (${info.format})`;
    case 'r-rel8':
    case 'r-rel32':
      return `a, target (${info.format.slice(2)})`;
    case 'rr-rel8':
    case 'rr-rel32':
      return `a, b, target (${info.format.slice(3)})`;
    case 'imm8':
      return 'imm8';
    case 'imm16':
      return 'imm16';
  }
}

const PRIVILEGE_TEXT: Record<Privilege, string> = { any: 'any', kernel: 'CPL 0', io: 'CPL <= IOPL' };

function form(mnemonic: string, format: Format): OpcodeInfo {
  const info = OPCODES.find((o) => o.mnemonic === mnemonic && o.format === format);
  if (!info) throw new Error(`isa-doc: no ${mnemonic} ${format}`);
  return info;
}

/** "`ld64 rax, [rbp-0x8]` is `96 05 f8`", from the real encoder and disassembler. */
function example(mnemonic: string, format: Format, ops: Operands, address = 0x40000): string {
  const bytes = encode(form(mnemonic, format), ops);
  const text = disassembleOne(bytes, address).text;
  return `\`${text}\` is \`${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}\``;
}

function registersSection(): string {
  const rows = REGISTER_NAMES.map((name, n) => [String(n), `\`${name}\``]);
  return table(['Number', 'Register'], rows);
}

function controlRegistersSection(): string {
  const bits = (pairs: [string, number][]): string => pairs.map(([n, v]) => `${n} (bit ${Math.log2(v >>> 0)})`).join(', ');
  const what: Record<string, string> = {
    cr0: `${bits([['PE', CR0_PE], ['WP', CR0_WP], ['PG', CR0_PG]])}. Bits 63:32 must be 0 (#GP(0)). Changing PG flushes the TLB.`,
    cr2: 'The linear address of the last page fault.',
    cr3: `Physical address of the top-level (PML4) page table; bits at or above MAXPHYADDR (${MAXPHYADDR}) raise #GP(0). Every write flushes the TLB, except global entries when CR4.PGE is set.`,
    cr4: `${bits([['PAE', CR4_PAE], ['PGE', CR4_PGE], ['SMEP', CR4_SMEP]])}. Bits 63:32 must be 0 (#GP(0)).`,
    efer: `${bits([['NXE', EFER_NXE]])}. On x86 EFER is MSR 0xC0000080; WS64 makes it control register 8.`,
  };
  const rows = Object.entries(CONTROL_REGISTER_NAMES).map(([n, name]) => [n, `\`${name}\``, what[name] ?? '']);
  return table(['Number', 'Name', 'Contents'], rows);
}

function trapFrameSection(): string {
  const fields: [number, string, string][] = FRAME_GPR_ORDER.map((r, k) => [k * 8, `reg_${REGISTER_NAMES[r]}`, 'general register']);
  const others: Record<keyof typeof FRAME_SLOT, string> = {
    fs: 'fs selector', gs: 'gs selector', intno: 'vector number', err: 'error code (0 for vectors without one)',
    rip: 'return address: the faulting instruction for faults, the next one for `int`/`int3`',
    cs: 'cs at the time of the event (its low 2 bits are the old CPL)', rflags: 'rflags at the time of the event',
    rsp: 'rsp at the time of the event', ss: 'ss at the time of the event',
  };
  for (const [name, slot] of Object.entries(FRAME_SLOT) as [keyof typeof FRAME_SLOT, number][]) fields.push([slot * 8, `reg_${name}`, others[name]]);
  fields.sort((x, y) => x[0] - y[0]);
  return table(['Offset', 'Field', 'Holds'], fields.map(([off, name, what]) => [String(off), `\`${name}\``, what]));
}

function formatsSection(): string {
  const rows = (Object.keys(FORMAT_DOC) as Format[]).map((f) => {
    const users = [...new Set(OPCODES.filter((o) => o.format === f).map((o) => o.mnemonic))];
    return [`\`${f}\``, FORMAT_DOC[f].layout, String(FORMAT_LENGTH[f]), FORMAT_DOC[f].note, users.join(', ')];
  });
  return table(['Format', 'Bytes', 'Length', 'Operands', 'Used by'], rows);
}

function instructionsSection(): string {
  const rows = OPCODES.map((o) => [
    o.format === 'reg-in-op' ? `${hex(o.opcode)}-${hex(o.opcode + 15)}` : hex(o.opcode),
    `\`${o.mnemonic}\``,
    operandSyntax(o),
    String(FORMAT_LENGTH[o.format]),
    PRIVILEGE_TEXT[o.privilege],
    o.summary,
  ]);
  return table(['Opcode', 'Mnemonic', 'Operands', 'Length', 'Privilege', 'Semantics'], rows);
}

function opcodeMapSection(): string {
  const head = ['', ...Array.from({ length: 16 }, (_, c) => `_${c.toString(16)}`)];
  const rows: string[][] = [];
  for (let r = 0; r < 16; r++) {
    const cells = [`${r.toString(16)}_`];
    for (let c = 0; c < 16; c++) {
      const info = OPCODE_BY_BYTE[r * 16 + c];
      // A suffix marks the wider variant of the same operand kind (rel8/rel32, disp8/disp32, imm8/imm32/imm64).
      const family = (f: Format): string => f.replace(/(8|32|64)$/, '');
      const wide = info && OPCODES.some((o) => o.mnemonic === info.mnemonic && family(o.format) === family(info.format) && FORMAT_LENGTH[o.format] < FORMAT_LENGTH[info.format]);
      const mode = info?.format === 'mem-abs32' ? '/abs' : info?.format === 'mem-idx' ? '/idx' : '';
      cells.push(info ? `${info.mnemonic}${wide ? `/${FORMAT_LENGTH[info.format]}` : mode}` : '.');
    }
    rows.push(cells);
  }
  return table(head, rows);
}

export function renderIsaDoc(): string {
  const assigned = OPCODE_BY_BYTE.filter((x) => x).length;
  const gate = (p: number, dpl: number, type: number): string => hex(p << 7 | dpl << 5 | type);
  const slot = (name: keyof typeof FRAME_SLOT): number => FRAME_SLOT[name] * 8;
  const out = `# WS64: the WeensyScope instruction set

<!-- Generated by renderIsaDoc() in emulator/machine/isa/isa-doc.ts from the opcode table
     (emulator/machine/isa/opcodes.ts). Do not edit by hand: after changing the table run
     UPDATE_GOLDEN=1 npx vitest run test/machine/isa-doc.test.ts -->

WS64 is the instruction set of the WeensyScope machine: an x86-64 machine in
everything the WeensyOS kernel can see (registers, 4-level paging, privilege
levels, the IDT, the TSS, the trap frame, I/O ports), with a small regular
instruction encoding that C compiles to easily and that is quick to interpret.

## Registers

Sixteen 64-bit general registers, with the x86-64 names and numbers, plus
\`rip\` and \`rflags\`. Register numbers are what the 4-bit register fields hold.

${registersSection()}

In \`rflags\` the machine uses IF (bit ${Math.log2(FL_IF)}) and IOPL (bits ${Math.log2(FL_IOPL_MASK & -FL_IOPL_MASK)}-${Math.log2(FL_IOPL_MASK & -FL_IOPL_MASK) + 1}); bit 1 reads as 1.
\`iret\` and \`popf\` can load the other x86 flag bits, but no instruction computes arithmetic flags (see
"Comparisons" below). The selectors \`cs\`, \`ss\`, \`fs\` and \`gs\` exist
for the trap frame and privilege checks: the kernel runs with cs = ${hex(SEGSEL_KERN_CODE)} (CPL 0), processes
with cs = ${hex(SEGSEL_APP_CODE | 3)} and ss = ${hex(SEGSEL_APP_DATA | 3)} (CPL 3). There is no segmentation.

### Control registers

\`movcr crN, a\` and \`movrc a, crN\` name a control register by number; any
other number raises #UD. Both are privileged.

${controlRegistersSection()}

## Encoding

An instruction is 1 to ${MAX_INSN_LENGTH} bytes: an opcode byte; for most
instructions a register byte holding two 4-bit register numbers, \`a\` in the high
nibble and \`b\` in the low one (\`a:4|b:4\`); then an immediate, displacement,
absolute address or branch offset, little-endian.

- **Sign extension.** Every immediate, displacement, absolute address (\`[abs32]\`) and
  compared constant (\`beqi\` ...) is sign-extended to 64 bits, except for \`movu\`
  (zero-extended imm32), \`int\` (unsigned imm8) and \`enter\` (unsigned imm16). So
  \`[abs32]\` reaches the low 2 GiB and the top 2 GiB of the address space, as x86's
  \`[disp32]\` does, and \`bltui\`/\`bgeui\` compare a with the sign-extended constant as
  two unsigned 64-bit numbers (as RISC-V's \`sltiu\` does): \`bltui a, -1, t\` branches unless a is 0xffffffffffffffff.
- **Strict decoding.** A nibble a format leaves unused (shown as \`0:4\` below) must be 0, and the
  scale field s of \`[b + (c << s)]\` must be at most 3; otherwise the bytes are an invalid
  instruction (#UD, disassembled as \`(bad)\`), so running into data stops sooner.
- Branch and call offsets are relative to the address of the next instruction, as on x86.
- Memory operands are \`[b + disp]\`, \`[abs32]\` (loads and stores) or \`[b + (c << s)]\`
  (loads, stores and \`lea\`; no displacement). The assembler reads a bracket whose first term is
  not a register as an absolute address: \`ld64 rax, [counter+8]\`, \`st8 [rdi+rcx*4], rax\`.
- The disp32 memory forms are the disp8 forms plus ${hex(MEM32_DELTA)}, the \`[abs32]\` forms the disp8
  forms plus ${hex(MEM_ABS_DELTA)} and the indexed forms the disp8 forms plus ${hex(MEM_IDX_DELTA)}; the rel32
  conditional branches are the rel8 forms plus ${hex(BRANCH32_DELTA)}, and the compare-with-constant
  branches (\`beqi\` ...) are the register ones (\`beq\` ...) plus ${hex(BRANCH_IMM_DELTA)}.
- The assembler picks the shortest form whose operands fit, and relaxes branches from rel8 to rel32
  when needed; \`movi\` becomes \`movu\` for constants from 2^31 to 2^32 - 1.

Examples: ${example('ld64', 'mem8', { a: 0, b: 5, imm: -8 })}; ${example('add', 'rr', { a: 0, b: 6 })};
${example('movi', 'r-imm8', { a: 7, imm: 1 })}; ${example('push', 'reg-in-op', { a: 5 })};
${example('blt', 'rr-rel8', { a: 1, b: 2, imm: -6 })} (at 0x40000);
${example('blti', 'r-imm8-rel8', { a: 1, cmp: 10, imm: -7 })} (at 0x40000);
${example('ld64', 'mem-abs32', { a: 0, imm: 0x52dc0 })}; ${example('st32', 'mem-abs32', { a: 1, imm: -0x7ffff000 })};
${example('ld64', 'mem-idx', { a: 0, b: 3, c: 1, s: 3 })}; ${example('st8', 'mem-idx', { a: 0, b: 7, c: 1, s: 0 })}.

### Formats

${formatsSection()}

## Semantics

- **Two operands.** ALU instructions are destructive: \`add a, b\` is a += b. Three-operand
  additions with a constant use \`lea a, [b+disp]\`.
- **64-bit and W operations.** Plain operations act on all 64 bits. The "W" operations
  (\`addw\`, \`subw\`, \`mulw\`, \`divw\`, ..., \`addwi\`, \`shlwi\`, ...) compute on the low 32 bits
  and sign-extend the 32-bit result to 64 bits, like RISC-V's ADDW: C's \`int\` arithmetic.
  Since they always sign-extend, 32-bit values (\`unsigned int\` too) are best kept sign-extended
  in registers, as on RISC-V: sign extension preserves unsigned order, so \`sltu\`/\`bltu\` still
  compare \`unsigned int\`s correctly, while mixing in zero-extended copies (\`zext32\`, \`movu\`,
  \`ld32u\`, meant for widening to 64 bits) would make \`seq\` see equal values as different.
- **Shifts** use the count modulo 64 (modulo 32 for the W shifts), as x86 masks it.
- **Division** truncates toward zero; the remainder has the sign of the dividend. A zero
  divisor, or a signed quotient that does not fit (INT64_MIN / -1, or INT32_MIN / -1 for the
  W forms, which look only at the low 32 bits of both operands), raises #DE (vector ${INT_DIVIDE}).
- **Comparisons.** There are no arithmetic flags. \`seq\`, \`slt\`, \`sltu\`, ... set a to 1 or 0; \`beq\`, \`blt\`,
  \`bltu\`, ... compare two registers and branch; \`beqi\`, \`blti\`, \`bltui\`, ... compare a register with
  a sign-extended 8-bit constant and branch; \`bz\` and \`bnz\` test one register against zero.
- **Loads** zero- or sign-extend (\`ld8u\`/\`ld8s\`, ...); **stores** write the low bytes of a.
  Accesses may be unaligned and may straddle pages (both pages are translated before any byte moves).
- **Indexed addresses** \`[b + (c << s)]\` wrap modulo 2^64 like every address computation; an access
  is a stack access (#SS rather than #GP when non-canonical) when the base b is rsp or rbp.
- **Stack.** \`push\`/\`pop\`/\`call\`/\`ret\`/\`pushf\`/\`popf\` move rsp by 8. \`enter n\` is push rbp; rbp = rsp; rsp -= n,
  and \`leave\` undoes it.
- **pushf and popf** (x86 PUSHF/POPF in 64-bit mode; neither is privileged). \`pushf\` pushes rflags
  as 8 bytes. \`popf\` pops 8 bytes into rflags: at CPL 0 every bit \`iret\` may load (mask ${hex(RFLAGS_WRITABLE, 4)});
  at CPL 3 IOPL is left unchanged, and IF changes only if CPL <= IOPL (otherwise it is silently kept, as on x86);
  bit 1 always reads 1.
- **Invalid opcodes.** Opcode 0x00 is invalid, so running into zeroed memory raises #UD (vector ${INT_INVALIDOP})
  at once; so do 0xff and every other unassigned byte (${256 - assigned} of 256), a nonzero unused nibble or a
  scale field above 3 (see "Strict decoding"), and \`ud2\`.

## Privilege

- Instructions marked **CPL 0** raise #GP(0) (vector ${INT_GPF}) when executed with CPL > 0:
  ${OPCODES.filter((o) => o.privilege === 'kernel').map((o) => `\`${o.mnemonic}\``).filter((m, i, all) => all.indexOf(m) === i).join(', ')}.
- The I/O instructions (${OPCODES.filter((o) => o.privilege === 'io').map((o) => `\`${o.mnemonic}\``).join(', ')}) are allowed when
  CPL <= RFLAGS.IOPL and raise #GP(0) otherwise, as x86 IN/OUT do.
- \`int n\` and \`int3\` from user mode raise #GP((n << 3) | 2) unless gate n has DPL 3.
- A branch, call or return to a non-canonical address raises #GP(0). A non-canonical data
  address raises #GP(0), or #SS(0) (vector ${INT_STACK}) for stack accesses (push, pop, call, ret,
  enter, leave, pushf, popf, and loads and stores based on rsp or rbp).
- Page faults (#PF, vector ${INT_PAGEFAULT}) follow x86-64 4-level paging; CR2 receives the address.

## Exceptions and interrupts

A faulting instruction changes nothing: the trap frame's \`reg_rip\` points at it, so it can be
restarted. \`int n\`, \`int3\` and the timer interrupt (vector ${INT_TIMER}, taken between user-mode
instructions when RFLAGS.IF is set) save the address of the next instruction. To deliver vector n the CPU:

1. reads the ${IDT_GATE_SIZE}-byte gate at IDTR + ${IDT_GATE_SIZE} * n (\`lidt a\` sets IDTR to a linear address);
2. from user mode, loads rsp from the TSS's rsp0 (8 bytes at offset ${TSS_RSP0_OFFSET} of the TSS, whose
   linear address \`ltr a\` loads) and sets ss to 0; from the kernel, keeps rsp;
3. aligns rsp down to 16 and pushes a ${TRAPFRAME_SIZE}-byte frame laid out as WeensyOS's
   \`x86_64_registers\` (below): what x86 hardware pushes (ss, rsp, rflags, cs, rip, error code)
   together with what WeensyOS's k-exception.S stub pushes (intno, gs, fs, and the general registers);
4. pushes a return address of 0, sets rdi to the frame's address, cs to ${hex(SEGSEL_KERN_CODE)}, clears IF for an
   interrupt gate (and TF and NT always), and jumps to the handler.

So the handler is entered exactly as WeensyOS's \`exception(x86_64_registers* reg)\` is: its
argument is the frame. A fault while delivering an event becomes a double fault (#DF, vector ${INT_DOUBLEFAULT})
by the SDM's rules; a fault while delivering #DF shuts the machine down (triple fault).
\`iret a\` returns through a frame at address a: it restores every field and checks that cs is
${hex(SEGSEL_KERN_CODE)} (with ss ${hex(SEGSEL_KERN_DATA)} or 0) or ${hex(SEGSEL_APP_CODE | 3)} (with ss ${hex(SEGSEL_APP_DATA | 3)}), raising #GP otherwise.

### Trap frame (\`x86_64_registers\`, ${TRAPFRAME_SIZE} bytes)

Field \`reg_intno\` is at ${slot('intno')}, \`reg_err\` at ${slot('err')}, \`reg_rip\` at ${slot('rip')}, \`reg_cs\` at ${slot('cs')},
\`reg_rflags\` at ${slot('rflags')}, \`reg_rsp\` at ${slot('rsp')} and \`reg_ss\` at ${slot('ss')}.

${trapFrameSection()}

### IDT gate (${IDT_GATE_SIZE} bytes)

| Bytes | Contents |
|---|---|
| 0-7 | handler address (little-endian, canonical) |
| 8 | P (bit 7) \\| DPL (bits 6:5) \\| type (bits 3:0): 0xE interrupt gate, 0xF trap gate |
| 9-15 | ignored |

For example ${gate(1, 0, 0xe)} is a present DPL-0 interrupt gate and ${gate(1, 3, 0xe)} a gate user code may
reach with \`int\`. A gate whose type is neither 0xE nor 0xF raises #GP((n << 3) | 2 | EXT), a gate
without P raises #NP with the same error code (EXT is 1 for events not caused by \`int\`).

## Instructions

${instructionsSection()}

## Opcode map

Rows are the high nibble, columns the low nibble; \`.\` is an invalid opcode. A suffix gives the
length of a wide form (rel32, disp32, imm32 or imm64) that has a shorter variant; \`/abs\` marks
the \`[abs32]\` forms and \`/idx\` the \`[b + (c << s)]\` forms. ${assigned} of 256 opcode bytes are assigned.

${opcodeMapSection()}
`;
  return out;
}
