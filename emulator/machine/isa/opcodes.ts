// The WeensyScope instruction set ("WS64"), defined once.
//
// This table is the single source of truth: the decoder, the encoder, the
// disassembler, the test assembler and docs/ISA.md (generated, and checked
// current by a test) are all derived from it.
//
// Design, in brief (docs/ISA.md has the whole story):
// - 16 general registers with x86-64 names and numbers (rax=0 ... r15=15),
//   rip, rflags, and control registers CR0, CR2, CR3, CR4 and EFER (as CR8).
// - Variable-length encoding, 1 to 10 bytes: an opcode byte, then (for most
//   instructions) a register byte holding two 4-bit register numbers
//   `a` (high nibble) and `b` (low nibble), then a little-endian immediate,
//   displacement or relative target. Branch targets are relative to the next
//   instruction, as on x86. Every immediate, displacement, absolute address
//   and compared constant is sign-extended to 64 bits (except movu, int and
//   enter). A nibble a format leaves unused must be 0, or the bytes are an
//   invalid instruction (#UD): running into data stops sooner.
// - Two-operand ALU (`add a, b` is a += b). 64-bit operations, plus 32-bit "W"
//   operations whose 32-bit result is sign-extended to 64 bits.
// - No arithmetic flags: comparisons produce 0/1 (`slt`) or branch directly
//   (`blt a, b, label`).
// - Opcode 0x00 is invalid, so executing zeroed memory raises #UD at once.

export type Format =
  | 'none' // [op]
  | 'reg-in-op' // [op+r]           register in the low nibble of the opcode
  | 'r' // [op][a:4|0:4]
  | 'rr' // [op][a:4|b:4]
  | 'r-cr' // [op][a:4|cr:4]     a general register and a control register number
  | 'r-imm8' // [op][a|0][imm8]
  | 'r-imm32' // [op][a|0][imm32]
  | 'r-imm64' // [op][a|0][imm64]
  | 'mem8' // [op][a|b][disp8]    a <-> [b + disp8]
  | 'mem32' // [op][a|b][disp32]
  | 'rel8' // [op][rel8]
  | 'rel32' // [op][rel32]
  | 'r-rel8' // [op][a|0][rel8]
  | 'r-rel32' // [op][a|0][rel32]
  | 'rr-rel8' // [op][a|b][rel8]
  | 'rr-rel32' // [op][a|b][rel32]
  | 'r-imm8-rel8' // [op][a|0][imm8][rel8]    a compared with a constant, and a target
  | 'r-imm8-rel32' // [op][a|0][imm8][rel32]
  | 'mem-abs32' // [op][a|0][abs32]           a <-> [sign-extended abs32]
  | 'mem-idx' // [op][a|b][c:4|s:4]           a <-> [b + (c << s)], s <= 3
  | 'imm8' // [op][imm8]
  | 'imm16'; // [op][imm16]

/**
 * Who may execute an instruction: anyone; only CPL 0 (#GP(0) from user mode);
 * or I/O, allowed when CPL <= RFLAGS.IOPL (as x86 IN/OUT).
 */
export type Privilege = 'any' | 'kernel' | 'io';

export interface OpcodeInfo {
  readonly opcode: number;
  readonly mnemonic: string;
  readonly format: Format;
  readonly privilege: Privilege;
  /** One sentence of semantics, shown in docs/ISA.md and disassembly hovers. */
  readonly summary: string;
}

export const FORMAT_LENGTH: Record<Format, number> = {
  none: 1,
  'reg-in-op': 1,
  r: 2,
  rr: 2,
  'r-cr': 2,
  'r-imm8': 3,
  'r-imm32': 6,
  'r-imm64': 10,
  mem8: 3,
  mem32: 6,
  rel8: 2,
  rel32: 5,
  'r-rel8': 3,
  'r-rel32': 6,
  'rr-rel8': 3,
  'rr-rel32': 6,
  'r-imm8-rel8': 4,
  'r-imm8-rel32': 7,
  'mem-abs32': 6,
  'mem-idx': 3,
  imm8: 2,
  imm16: 3,
};

/** The longest instruction, in bytes. */
export const MAX_INSN_LENGTH = 10;

// Opcode numbers, named so the interpreter's switch reads like the table.
export const enum Op {
  NOP = 0x01,
  HLT = 0x02,
  RET = 0x03,
  LEAVE = 0x04,
  INT3 = 0x05,
  CLI = 0x06,
  STI = 0x07,
  INT = 0x08,
  ENTER = 0x09,
  JMP8 = 0x0a,
  JMP32 = 0x0b,
  CALL = 0x0c,
  UD2 = 0x0d,
  PUSHF = 0x0e,
  POPF = 0x0f,
  PUSH = 0x10,
  POP = 0x20,
  MOV = 0x30,
  ADD = 0x31,
  SUB = 0x32,
  AND = 0x33,
  OR = 0x34,
  XOR = 0x35,
  SHL = 0x36,
  SHR = 0x37,
  SAR = 0x38,
  MUL = 0x39,
  DIV = 0x3a,
  DIVU = 0x3b,
  REM = 0x3c,
  REMU = 0x3d,
  ZEXT32 = 0x40,
  ADDW = 0x41,
  SUBW = 0x42,
  SHLW = 0x46,
  SHRW = 0x47,
  SARW = 0x48,
  MULW = 0x49,
  DIVW = 0x4a,
  DIVUW = 0x4b,
  REMW = 0x4c,
  REMUW = 0x4d,
  NEG = 0x50,
  NOT = 0x51,
  SEXT8 = 0x52,
  SEXT16 = 0x53,
  SEXT32 = 0x54,
  ZEXT8 = 0x55,
  ZEXT16 = 0x56,
  NEGW = 0x57,
  SEQ = 0x58,
  SNE = 0x59,
  SLT = 0x5a,
  SLTU = 0x5b,
  SLE = 0x5c,
  SLEU = 0x5d,
  SGT = 0x5e,
  SGTU = 0x5f,
  SGE = 0x60,
  SGEU = 0x61,
  CALLR = 0x64,
  JMPR = 0x65,
  IRET = 0x66,
  LIDT = 0x67,
  LTR = 0x68,
  INVLPG = 0x69,
  MOVTOCR = 0x6a,
  MOVFROMCR = 0x6b,
  IN8 = 0x6c,
  IN16 = 0x6d,
  IN32 = 0x6e,
  OUT8 = 0x6f,
  OUT16 = 0x70,
  OUT32 = 0x71,
  MOVI8 = 0x78,
  MOVI32 = 0x79,
  MOVI64 = 0x7a,
  ADDI8 = 0x7b,
  ADDI32 = 0x7c,
  ANDI32 = 0x7d,
  ORI32 = 0x7e,
  XORI32 = 0x7f,
  SHLI = 0x80,
  SHRI = 0x81,
  SARI = 0x82,
  MULI32 = 0x83,
  ADDWI8 = 0x84,
  ADDWI32 = 0x85,
  SHLWI = 0x86,
  SHRWI = 0x87,
  SARWI = 0x88,
  MOVU32 = 0x89,
  ANDI8 = 0x8a,
  ORI8 = 0x8b,
  XORI8 = 0x8c,
  MULI8 = 0x8d,
  LD8U = 0x90,
  LD8S = 0x91,
  LD16U = 0x92,
  LD16S = 0x93,
  LD32U = 0x94,
  LD32S = 0x95,
  LD64 = 0x96,
  ST8 = 0x97,
  ST16 = 0x98,
  ST32 = 0x99,
  ST64 = 0x9a,
  LEA = 0x9b,
  BEQ = 0xb0,
  BNE = 0xb1,
  BLT = 0xb2,
  BGE = 0xb3,
  BLTU = 0xb4,
  BGEU = 0xb5,
  BZ = 0xb6,
  BNZ = 0xb7,
  BEQI = 0xc0,
  BNEI = 0xc1,
  BLTI = 0xc2,
  BGEI = 0xc3,
  BLTUI = 0xc4,
  BGEUI = 0xc5,
  // The indexed forms [b + (c << s)] have their own opcodes in the interpreter
  // (the absolute forms decode to the base+disp8 opcodes; see ZERO_REG).
  LD8U_X = 0xe0,
  LD8S_X = 0xe1,
  LD16U_X = 0xe2,
  LD16S_X = 0xe3,
  LD32U_X = 0xe4,
  LD32S_X = 0xe5,
  LD64_X = 0xe6,
  ST8_X = 0xe7,
  ST16_X = 0xe8,
  ST32_X = 0xe9,
  ST64_X = 0xea,
  LEA_X = 0xeb,
}

/** The disp32 memory forms are the disp8 forms plus this. */
export const MEM32_DELTA = 0x10;
/** The rel32 branch forms are the rel8 forms plus this. */
export const BRANCH32_DELTA = 0x08;
/** The absolute-address memory forms ([abs32]) are the disp8 forms plus this. */
export const MEM_ABS_DELTA = 0x40;
/** The indexed memory forms ([b + (c << s)]) are the disp8 forms plus this. */
export const MEM_IDX_DELTA = 0x50;
/** The compare-with-immediate branches (beqi ...) are the register-register ones (beq ...) plus this. */
export const BRANCH_IMM_DELTA = 0x10;
/**
 * A register number no encoding can name (register fields are 4 bits): the
 * decoder gives it as the base `b` of the [abs32] forms, so they execute as
 * [b + disp] with b = 0. It is never written, so it always reads 0.
 */
export const ZERO_REG = 16;

const table: OpcodeInfo[] = [];
function def(opcode: number, mnemonic: string, format: Format, summary: string, privilege: Privilege = 'any'): void {
  table.push({ opcode, mnemonic, format, privilege, summary });
}

def(Op.NOP, 'nop', 'none', 'Does nothing.');
// The summary used to promise a wake-up on the next interrupt, but a halted machine stays halted
// (Machine.run returns 'halt'; the timer counts only user-mode instructions).
def(Op.HLT, 'hlt', 'none', 'Halts the CPU: the run stops with "halt" and nothing wakes it.', 'kernel');
def(Op.RET, 'ret', 'none', 'Pops the return address into rip.');
def(Op.LEAVE, 'leave', 'none', 'rsp = rbp, then pops rbp (the epilogue of a frame built by enter).');
def(Op.INT3, 'int3', 'none', 'Software interrupt 3 (breakpoint), subject to the gate privilege check.');
def(Op.CLI, 'cli', 'none', 'Clears RFLAGS.IF.', 'kernel');
def(Op.STI, 'sti', 'none', 'Sets RFLAGS.IF.', 'kernel');
def(Op.INT, 'int', 'imm8', 'Software interrupt imm8: #GP((imm8<<3)|2) from user mode unless the gate DPL is 3.');
def(Op.ENTER, 'enter', 'imm16', 'Pushes rbp, sets rbp = rsp, then rsp -= imm16 (a whole function prologue).');
def(Op.JMP8, 'jmp', 'rel8', 'rip += rel8.');
def(Op.JMP32, 'jmp', 'rel32', 'rip += rel32.');
def(Op.CALL, 'call', 'rel32', 'Pushes the address of the next instruction, then rip += rel32.');
def(Op.UD2, 'ud2', 'none', 'Raises #UD; marks code that must never run.');
def(Op.PUSHF, 'pushf', 'none', 'rsp -= 8, then [rsp] = rflags.');
def(
  Op.POPF,
  'popf',
  'none',
  'Pops rflags: at CPL 0 every flag iret may load; at CPL 3 IOPL is kept, and IF too unless CPL <= IOPL; bit 1 stays 1.',
);
def(Op.PUSH, 'push', 'reg-in-op', 'rsp -= 8, then [rsp] = r.');
def(Op.POP, 'pop', 'reg-in-op', 'r = [rsp], then rsp += 8.');

const alu: [Op, string, string][] = [
  [Op.MOV, 'mov', 'a = b.'],
  [Op.ADD, 'add', 'a += b.'],
  [Op.SUB, 'sub', 'a -= b.'],
  [Op.AND, 'and', 'a &= b.'],
  [Op.OR, 'or', 'a |= b.'],
  [Op.XOR, 'xor', 'a ^= b.'],
  [Op.SHL, 'shl', 'a <<= (b & 63).'],
  [Op.SHR, 'shr', 'a >>= (b & 63), logical.'],
  [Op.SAR, 'sar', 'a >>= (b & 63), arithmetic.'],
  [Op.MUL, 'mul', 'a *= b (low 64 bits).'],
  [Op.DIV, 'div', 'a /= b, signed, truncating; #DE if b is 0 or the quotient overflows.'],
  [Op.DIVU, 'divu', 'a /= b, unsigned; #DE if b is 0.'],
  [Op.REM, 'rem', 'a %= b, signed (sign of the dividend); #DE as div.'],
  [Op.REMU, 'remu', 'a %= b, unsigned; #DE if b is 0.'],
];
for (const [op, m, s] of alu) def(op, m, 'rr', s);

const aluW: [Op, string, string][] = [
  [Op.ZEXT32, 'zext32', 'a = b & 0xffffffff.'],
  [Op.ADDW, 'addw', 'a = sext32(a + b).'],
  [Op.SUBW, 'subw', 'a = sext32(a - b).'],
  [Op.SHLW, 'shlw', 'a = sext32(a << (b & 31)).'],
  [Op.SHRW, 'shrw', 'a = sext32(uint32(a) >> (b & 31)).'],
  [Op.SARW, 'sarw', 'a = sext32(int32(a) >> (b & 31)).'],
  [Op.MULW, 'mulw', 'a = sext32(a * b).'],
  [Op.DIVW, 'divw', 'a = sext32(int32(a) / int32(b)); #DE if int32(b) is 0 or for INT32_MIN / -1.'],
  [Op.DIVUW, 'divuw', 'a = sext32(uint32(a) / uint32(b)); #DE if uint32(b) is 0.'],
  [Op.REMW, 'remw', 'a = sext32(int32(a) % int32(b)); #DE as divw.'],
  [Op.REMUW, 'remuw', 'a = sext32(uint32(a) % uint32(b)); #DE if uint32(b) is 0.'],
];
for (const [op, m, s] of aluW) def(op, m, 'rr', s);

const unary: [Op, string, string][] = [
  [Op.NEG, 'neg', 'a = -b.'],
  [Op.NOT, 'not', 'a = ~b.'],
  [Op.SEXT8, 'sext8', 'a = sign-extended low 8 bits of b.'],
  [Op.SEXT16, 'sext16', 'a = sign-extended low 16 bits of b.'],
  [Op.SEXT32, 'sext32', 'a = sign-extended low 32 bits of b.'],
  [Op.ZEXT8, 'zext8', 'a = b & 0xff.'],
  [Op.ZEXT16, 'zext16', 'a = b & 0xffff.'],
  [Op.NEGW, 'negw', 'a = sext32(-b).'],
];
for (const [op, m, s] of unary) def(op, m, 'rr', s);

const sets: [Op, string, string][] = [
  [Op.SEQ, 'seq', 'a = (a == b) ? 1 : 0.'],
  [Op.SNE, 'sne', 'a = (a != b) ? 1 : 0.'],
  [Op.SLT, 'slt', 'a = (a < b) ? 1 : 0, signed.'],
  [Op.SLTU, 'sltu', 'a = (a < b) ? 1 : 0, unsigned.'],
  [Op.SLE, 'sle', 'a = (a <= b) ? 1 : 0, signed.'],
  [Op.SLEU, 'sleu', 'a = (a <= b) ? 1 : 0, unsigned.'],
  [Op.SGT, 'sgt', 'a = (a > b) ? 1 : 0, signed.'],
  [Op.SGTU, 'sgtu', 'a = (a > b) ? 1 : 0, unsigned.'],
  [Op.SGE, 'sge', 'a = (a >= b) ? 1 : 0, signed.'],
  [Op.SGEU, 'sgeu', 'a = (a >= b) ? 1 : 0, unsigned.'],
];
for (const [op, m, s] of sets) def(op, m, 'rr', s);

def(Op.CALLR, 'call', 'r', 'Pushes the address of the next instruction, then rip = a.');
def(Op.JMPR, 'jmp', 'r', 'rip = a.');
def(
  Op.IRET,
  'iret',
  'r',
  'Returns from a trap frame at address a (laid out as x86_64_registers): restores every general register, rip, cs, rflags, rsp and ss.',
  'kernel',
);
def(Op.LIDT, 'lidt', 'r', 'IDTR = a, the linear address of 256 16-byte gate descriptors.', 'kernel');
def(Op.LTR, 'ltr', 'r', 'TR = a, the linear address of the 64-bit TSS (rsp0 at offset 4).', 'kernel');
def(Op.INVLPG, 'invlpg', 'r', 'Drops the TLB entry for the page containing linear address a.', 'kernel');
def(Op.MOVTOCR, 'movcr', 'r-cr', 'CRn = a. Loading CR3 flushes the TLB (global entries survive when CR4.PGE is set).', 'kernel');
def(Op.MOVFROMCR, 'movrc', 'r-cr', 'a = CRn.', 'kernel');
def(Op.IN8, 'in8', 'rr', 'a = byte read from I/O port b.', 'io');
def(Op.IN16, 'in16', 'rr', 'a = 16-bit word read from I/O port b.', 'io');
def(Op.IN32, 'in32', 'rr', 'a = 32-bit word read from I/O port b.', 'io');
def(Op.OUT8, 'out8', 'rr', 'Writes the low byte of b to I/O port a.', 'io');
def(Op.OUT16, 'out16', 'rr', 'Writes the low 16 bits of b to I/O port a.', 'io');
def(Op.OUT32, 'out32', 'rr', 'Writes the low 32 bits of b to I/O port a.', 'io');

def(Op.MOVI8, 'movi', 'r-imm8', 'a = sign-extended imm8.');
def(Op.MOVI32, 'movi', 'r-imm32', 'a = sign-extended imm32.');
def(Op.MOVI64, 'movi', 'r-imm64', 'a = imm64.');
def(Op.MOVU32, 'movu', 'r-imm32', 'a = zero-extended imm32.');
def(Op.ADDI8, 'addi', 'r-imm8', 'a += sign-extended imm8.');
def(Op.ADDI32, 'addi', 'r-imm32', 'a += sign-extended imm32.');
def(Op.ANDI32, 'andi', 'r-imm32', 'a &= sign-extended imm32.');
def(Op.ORI32, 'ori', 'r-imm32', 'a |= sign-extended imm32.');
def(Op.XORI32, 'xori', 'r-imm32', 'a ^= sign-extended imm32.');
def(Op.SHLI, 'shli', 'r-imm8', 'a <<= (imm8 & 63).');
def(Op.SHRI, 'shri', 'r-imm8', 'a >>= (imm8 & 63), logical.');
def(Op.SARI, 'sari', 'r-imm8', 'a >>= (imm8 & 63), arithmetic.');
def(Op.MULI32, 'muli', 'r-imm32', 'a *= sign-extended imm32 (low 64 bits).');
def(Op.ADDWI8, 'addwi', 'r-imm8', 'a = sext32(a + imm8).');
def(Op.ADDWI32, 'addwi', 'r-imm32', 'a = sext32(a + imm32).');
def(Op.SHLWI, 'shlwi', 'r-imm8', 'a = sext32(a << (imm8 & 31)).');
def(Op.SHRWI, 'shrwi', 'r-imm8', 'a = sext32(uint32(a) >> (imm8 & 31)).');
def(Op.SARWI, 'sarwi', 'r-imm8', 'a = sext32(int32(a) >> (imm8 & 31)).');
def(Op.ANDI8, 'andi', 'r-imm8', 'a &= sign-extended imm8.');
def(Op.ORI8, 'ori', 'r-imm8', 'a |= sign-extended imm8.');
def(Op.XORI8, 'xori', 'r-imm8', 'a ^= sign-extended imm8.');
def(Op.MULI8, 'muli', 'r-imm8', 'a *= sign-extended imm8 (low 64 bits).');

// Summaries name the address as {}: b + disp, abs32 or b + (c << s).
const mem: [Op, string, string][] = [
  [Op.LD8U, 'ld8u', 'a = zero-extended byte at [{}].'],
  [Op.LD8S, 'ld8s', 'a = sign-extended byte at [{}].'],
  [Op.LD16U, 'ld16u', 'a = zero-extended 16 bits at [{}].'],
  [Op.LD16S, 'ld16s', 'a = sign-extended 16 bits at [{}].'],
  [Op.LD32U, 'ld32u', 'a = zero-extended 32 bits at [{}].'],
  [Op.LD32S, 'ld32s', 'a = sign-extended 32 bits at [{}].'],
  [Op.LD64, 'ld64', 'a = 64 bits at [{}].'],
  [Op.ST8, 'st8', 'The low byte of a is stored at [{}].'],
  [Op.ST16, 'st16', 'The low 16 bits of a are stored at [{}].'],
  [Op.ST32, 'st32', 'The low 32 bits of a are stored at [{}].'],
  [Op.ST64, 'st64', 'a is stored at [{}].'],
  [Op.LEA, 'lea', 'a = {} (no memory access).'],
];
for (const [op, m, s] of mem) {
  def(op, m, 'mem8', s.replace('{}', 'b + disp'));
  def(op + MEM32_DELTA, m, 'mem32', s.replace('{}', 'b + disp'));
  // lea of an absolute address would be a movi.
  if (op !== Op.LEA) def(op + MEM_ABS_DELTA, m, 'mem-abs32', s.replace('{}', 'sign-extended abs32'));
  def(op + MEM_IDX_DELTA, m, 'mem-idx', s.replace('{}', 'b + (c << s)'));
}

const branches: [Op, string, string][] = [
  [Op.BEQ, 'beq', 'Branches if a == b.'],
  [Op.BNE, 'bne', 'Branches if a != b.'],
  [Op.BLT, 'blt', 'Branches if a < b, signed.'],
  [Op.BGE, 'bge', 'Branches if a >= b, signed.'],
  [Op.BLTU, 'bltu', 'Branches if a < b, unsigned.'],
  [Op.BGEU, 'bgeu', 'Branches if a >= b, unsigned.'],
];
for (const [op, m, s] of branches) {
  def(op, m, 'rr-rel8', s);
  def(op + BRANCH32_DELTA, m, 'rr-rel32', s);
}
def(Op.BZ, 'bz', 'r-rel8', 'Branches if a == 0.');
def(Op.BZ + BRANCH32_DELTA, 'bz', 'r-rel32', 'Branches if a == 0.');
def(Op.BNZ, 'bnz', 'r-rel8', 'Branches if a != 0.');
def(Op.BNZ + BRANCH32_DELTA, 'bnz', 'r-rel32', 'Branches if a != 0.');

// Compare with a constant: the sign-extended imm8; the unsigned forms compare
// that 64-bit value as unsigned, as RISC-V's sltiu does (bltui a, -1 is a != ~0).
const branchesImm: [Op, string, string][] = [
  [Op.BEQI, 'beqi', 'Branches if a == imm8.'],
  [Op.BNEI, 'bnei', 'Branches if a != imm8.'],
  [Op.BLTI, 'blti', 'Branches if a < imm8, signed.'],
  [Op.BGEI, 'bgei', 'Branches if a >= imm8, signed.'],
  [Op.BLTUI, 'bltui', 'Branches if a < sign-extended imm8, both unsigned.'],
  [Op.BGEUI, 'bgeui', 'Branches if a >= sign-extended imm8, both unsigned.'],
];
for (const [op, m, s] of branchesImm) {
  def(op, m, 'r-imm8-rel8', s);
  def(op + BRANCH32_DELTA, m, 'r-imm8-rel32', s);
}

/** Every instruction form, in opcode order. */
export const OPCODES: readonly OpcodeInfo[] = table.sort((x, y) => x.opcode - y.opcode);

/** Opcode byte -> form; for the reg-in-op forms every one of the 16 bytes maps to the base entry. */
export const OPCODE_BY_BYTE: readonly (OpcodeInfo | undefined)[] = (() => {
  const byByte: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const info of OPCODES) {
    const span = info.format === 'reg-in-op' ? 16 : 1;
    for (let i = 0; i < span; i++) {
      if (byByte[info.opcode + i]) throw new Error(`opcode 0x${(info.opcode + i).toString(16)} defined twice`);
      byByte[info.opcode + i] = info;
    }
  }
  return byByte;
})();

export const REGISTER_NAMES = [
  'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
] as const;
export type RegisterName = (typeof REGISTER_NAMES)[number];

export const enum Reg {
  RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
  R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
}

/** Control register numbers as used by movcr/movrc. EFER is an MSR on x86; here it is CR8. */
export const CONTROL_REGISTER_NAMES: Readonly<Record<number, string>> = { 0: 'cr0', 2: 'cr2', 3: 'cr3', 4: 'cr4', 8: 'efer' };
