// A small text assembler for tests, benchmarks and the demonstration program.
//
//   ; comments start with ';' or '#'
//   .org 0x40000            ; where the next byte goes (linear address)
//   .equ STACK, 0x80000     ; expressions: numbers, symbols, 'c' characters,
//                           ; + - * / (truncating) with C precedence, unary -, ( )
//   start:  movi rsp, STACK ; immediates pick the shortest form (movi: movu too)
//           ld64 rax, [rbp-8]
//           ld64 rax, [counter+8]   ; absolute: the first term is not a register
//           st8 [rdi+rcx*4], rax    ; indexed: scale 1, 2, 4 or 8 (1 may be omitted)
//           beq rax, rbx, done  ; branches relax from rel8 to rel32 as needed
//           blti rcx, 10, loop  ; compare with a signed 8-bit constant
//   msg:    .asciz "hello"
//   .quad start, .long 1, .word 2, .byte 3, .zero 16, .align 8, .ascii "x"
//   movcr cr3, rax / movrc rax, cr2 ; control registers
//
// Operand order is destination first; stores name the memory operand first
// (`st64 [rsp+8], rax`), and `out8 port, value`.

import { AsmError, evaluate, parseOperand, splitOperands, type Operand } from './asm-syntax';
import { encode, EncodeError, type Operands } from './encoder';
import { FORMAT_LENGTH, OPCODES, type OpcodeInfo } from './opcodes';

export { AsmError } from './asm-syntax';

export interface AssembledProgram {
  /** Linear address of bytes[0] (the lowest .org). */
  readonly origin: number;
  readonly bytes: Uint8Array;
  readonly symbols: ReadonlyMap<string, number>;
  /** Address of each instruction -> source line (1-based). */
  readonly lines: ReadonlyMap<number, number>;
}

const FORMS = new Map<string, OpcodeInfo[]>();
for (const info of OPCODES) {
  const list = FORMS.get(info.mnemonic) ?? [];
  list.push(info);
  FORMS.set(info.mnemonic, list);
}
// movu is the zero-extending immediate move; movi picks it for constants in
// [2^31, 2^32), which the sign-extending movi32 cannot hold (6 bytes, not 10).
const MOVU = OPCODES.find((o) => o.mnemonic === 'movu')!;
FORMS.get('movi')!.push(MOVU);

interface Item {
  line: number;
  address: number;
  /** Instruction candidates, shortest first; `choice` indexes the one in use. */
  forms?: OpcodeInfo[];
  choice: number;
  operands?: Operand[];
  data?: (symbols: Map<string, number>) => Uint8Array;
  size: number;
}

function parseString(text: string, line: number): Uint8Array {
  if (!/^".*"$/.test(text)) throw new AsmError(line, `expected a string, got ${text}`);
  const body = JSON.parse(text) as string;
  return new Uint8Array([...body].map((c) => c.charCodeAt(0) & 0xff));
}

function littleEndian(v: bigint, size: number, line: number): Uint8Array {
  // .byte 300 used to store 0x2c silently; accept what fits signed or unsigned, as gas warns.
  if (v < -(1n << BigInt(size * 8 - 1)) || v >= 1n << BigInt(size * 8)) throw new AsmError(line, `${v} does not fit in ${size} byte${size > 1 ? 's' : ''}`);
  const out = new Uint8Array(size);
  let u = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

function candidateForms(mnemonic: string, ops: Operand[], line: number): OpcodeInfo[] {
  const forms = FORMS.get(mnemonic);
  if (!forms) throw new AsmError(line, `unknown instruction '${mnemonic}'`);
  const shape = ops.map((o) => o.kind).join(',');
  const fits = (f: OpcodeInfo): boolean => {
    switch (f.format) {
      case 'none':
        return shape === '';
      case 'reg-in-op':
      case 'r':
        return shape === 'reg';
      case 'rr':
        return shape === 'reg,reg';
      case 'r-cr':
        return f.mnemonic === 'movcr' ? shape === 'cr,reg' : shape === 'reg,cr';
      case 'r-imm8':
      case 'r-imm32':
      case 'r-imm64':
      case 'r-rel8':
      case 'r-rel32':
        return shape === 'reg,expr';
      case 'mem8':
      case 'mem32':
        return f.mnemonic.startsWith('st') ? shape === 'mem,reg' : shape === 'reg,mem';
      case 'mem-abs32':
        return f.mnemonic.startsWith('st') ? shape === 'abs,reg' : shape === 'reg,abs';
      case 'mem-idx':
        return f.mnemonic.startsWith('st') ? shape === 'idx,reg' : shape === 'reg,idx';
      case 'rr-rel8':
      case 'rr-rel32':
        return shape === 'reg,reg,expr';
      case 'r-imm8-rel8':
      case 'r-imm8-rel32':
        return shape === 'reg,expr,expr';
      case 'rel8':
      case 'rel32':
      case 'imm8':
      case 'imm16':
        return shape === 'expr';
    }
  };
  // Shortest first; equal lengths keep table order, so movi tries movi32 before movu.
  const ok = forms.filter(fits).sort((x, y) => FORMAT_LENGTH[x.format] - FORMAT_LENGTH[y.format]);
  if (ok.length === 0) throw new AsmError(line, `'${mnemonic}' does not take operands (${shape || 'none'})`);
  return ok;
}

function operandsFor(info: OpcodeInfo, ops: Operand[], symbols: Map<string, number>, address: number, line: number, final: boolean): Operands {
  const len = FORMAT_LENGTH[info.format];
  const ev = (t: string): bigint => evaluate(t, symbols, line, !final);
  const regOf = (o: Operand | undefined): number => (o && o.kind === 'reg' ? o.reg : 0);
  const textOf = (o: Operand | undefined): string => (o as { text: string }).text;
  const reg = regOf(ops.find((o) => o.kind === 'reg'));
  // Offsets are taken modulo 2^64: the disassembler prints a target in the upper half
  // (a negative rip) as 0xffff..., which used to come out as an offset of about 2^64.
  const rel = (o: Operand | undefined): bigint => BigInt.asIntN(64, ev(textOf(o)) - BigInt(address + len));
  switch (info.format) {
    case 'none':
      return {};
    case 'reg-in-op':
    case 'r':
      return { a: regOf(ops[0]) };
    case 'rr':
      return { a: regOf(ops[0]), b: regOf(ops[1]) };
    case 'r-cr':
      return { a: reg, b: (ops.find((o) => o.kind === 'cr') as { cr: number }).cr };
    case 'r-imm8':
    case 'r-imm32':
    case 'r-imm64':
      return { a: regOf(ops[0]), imm: ev(textOf(ops[1])) };
    case 'mem8':
    case 'mem32': {
      const memOp = ops.find((o) => o.kind === 'mem') as { base: number; disp: string };
      return { a: reg, b: memOp.base, imm: ev(memOp.disp) };
    }
    case 'mem-abs32': {
      // Modulo 2^64, so an address in the top 2 GiB may be written 0xffffffff8xxxxxxx.
      const absOp = ops.find((o) => o.kind === 'abs') as { address: string };
      return { a: reg, imm: BigInt.asIntN(64, ev(absOp.address)) };
    }
    case 'mem-idx': {
      const idxOp = ops.find((o) => o.kind === 'idx') as { base: number; index: number; shift: number };
      return { a: reg, b: idxOp.base, c: idxOp.index, s: idxOp.shift };
    }
    case 'rel8':
    case 'rel32':
      return { imm: rel(ops[0]) };
    case 'r-rel8':
    case 'r-rel32':
      return { a: regOf(ops[0]), imm: rel(ops[1]) };
    case 'rr-rel8':
    case 'rr-rel32':
      return { a: regOf(ops[0]), b: regOf(ops[1]), imm: rel(ops[2]) };
    case 'r-imm8-rel8':
    case 'r-imm8-rel32':
      // The constant is compared as a 64-bit value, so bltui rax, 0xffffffffffffffff is bltui rax, -1.
      return { a: regOf(ops[0]), cmp: BigInt.asIntN(64, ev(textOf(ops[1]))), imm: rel(ops[2]) };
    case 'imm8':
    case 'imm16':
      return { imm: ev(textOf(ops[0])) };
  }
}

export function assemble(source: string): AssembledProgram {
  const items: Item[] = [];
  const symbols = new Map<string, number>();
  const labelAt = new Map<string, number>(); // label -> item index
  const orgs: { index: number; address: number }[] = [];
  const srcLines = source.split('\n');
  const pendingLabels: string[] = [];
  srcLines.forEach((raw, i) => {
    const line = i + 1;
    let text = raw.replace(/\s*[;#].*$/, '').trim();
    // Keep '#' and ';' inside strings.
    if (/"/.test(raw)) text = raw.replace(/^\s+/, '').replace(/\s*;[^"]*$/, '').trim();
    for (let m = /^([A-Za-z_.$][\w.$]*):\s*/.exec(text); m; m = /^([A-Za-z_.$][\w.$]*):\s*/.exec(text)) {
      if (labelAt.has(m[1]!) || pendingLabels.includes(m[1]!)) throw new AsmError(line, `label '${m[1]}' defined twice`);
      pendingLabels.push(m[1]!);
      text = text.slice(m[0].length);
    }
    if (!text) return;
    const sp = text.search(/\s/);
    const head = (sp < 0 ? text : text.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : text.slice(sp + 1).trim();
    const args = splitOperands(rest);
    const index = items.length;
    for (const l of pendingLabels.splice(0)) labelAt.set(l, index);
    if (head === '.org') {
      orgs.push({ index, address: Number(evaluate(rest, symbols, line, false)) });
      return;
    }
    if (head === '.equ') {
      if (args.length !== 2) throw new AsmError(line, '.equ takes a name and a value');
      symbols.set(args[0]!, Number(evaluate(args[1]!, symbols, line, false)));
      return;
    }
    const data = (size: number) => (syms: Map<string, number>) => {
      const parts = args.map((a) => littleEndian(evaluate(a, syms, line, false), size, line));
      const out = new Uint8Array(parts.length * size);
      parts.forEach((p, k) => out.set(p, k * size));
      return out;
    };
    const sizes: Record<string, number> = { '.byte': 1, '.word': 2, '.long': 4, '.quad': 8 };
    if (sizes[head]) {
      items.push({ line, address: 0, choice: 0, data: data(sizes[head]!), size: sizes[head]! * args.length });
    } else if (head === '.zero') {
      const n = Number(evaluate(rest, symbols, line, false));
      items.push({ line, address: 0, choice: 0, data: () => new Uint8Array(n), size: n });
    } else if (head === '.ascii' || head === '.asciz') {
      const bytes = parseString(rest, line);
      const full = head === '.asciz' ? new Uint8Array([...bytes, 0]) : bytes;
      items.push({ line, address: 0, choice: 0, data: () => full, size: full.length });
    } else if (head === '.align') {
      const n = Number(evaluate(rest, symbols, line, false));
      items.push({ line, address: 0, choice: 0, size: -n }); // resolved during layout
    } else if (head.startsWith('.')) {
      throw new AsmError(line, `unknown directive '${head}'`);
    } else {
      const operands = args.map((a) => parseOperand(a, line));
      const forms = candidateForms(head, operands, line);
      items.push({ line, address: 0, choice: 0, forms, operands, size: 0 });
    }
  });
  for (const l of pendingLabels) labelAt.set(l, items.length);

  // Layout, relaxing each instruction to the shortest form whose operands fit.
  let origin = orgs.length ? Math.min(...orgs.map((o) => o.address)) : 0;
  if (orgs.length && orgs[0]!.index !== 0) origin = 0;
  const sizeOf = (it: Item): number => (it.forms ? FORMAT_LENGTH[it.forms[it.choice]!.format] : it.size);
  for (let pass = 0; pass < 64; pass++) {
    let pc = orgs.length && orgs[0]!.index === 0 ? orgs[0]!.address : 0;
    let o = 0;
    const addrs: number[] = [];
    items.forEach((it, idx) => {
      while (o < orgs.length && orgs[o]!.index === idx) pc = orgs[o++]!.address;
      if (it.size < 0) {
        const n = -it.size;
        const pad = (n - (pc % n)) % n;
        it.data = () => new Uint8Array(pad);
        pc += pad;
        addrs.push(pc - pad);
        it.address = pc - pad;
        it.size = -n; // keep the marker
        (it as Item & { pad?: number }).pad = pad;
        return;
      }
      it.address = pc;
      addrs.push(pc);
      pc += sizeOf(it);
    });
    for (const [label, idx] of labelAt) symbols.set(label, idx < items.length ? items[idx]!.address : pc);
    let changed = false;
    for (const it of items) {
      if (!it.forms) continue;
      while (it.choice < it.forms.length) {
        try {
          encode(it.forms[it.choice]!, operandsFor(it.forms[it.choice]!, it.operands!, symbols, it.address, it.line, false));
          break;
        } catch (e) {
          if (!(e instanceof EncodeError)) throw e;
          it.choice++;
          changed = true;
        }
      }
      if (it.choice >= it.forms.length) {
        try {
          encode(it.forms[it.forms.length - 1]!, operandsFor(it.forms[it.forms.length - 1]!, it.operands!, symbols, it.address, it.line, true));
        } catch (e) {
          // An AsmError (undefined symbol) already names its line; wrapping it said "line 2: line 2: ...".
          if (e instanceof AsmError) throw e;
          throw new AsmError(it.line, (e as Error).message);
        }
      }
    }
    if (!changed) break;
  }

  // Emit.
  const end = Math.max(origin, ...items.map((it) => it.address + (it.size < 0 ? ((it as Item & { pad?: number }).pad ?? 0) : sizeOf(it))));
  const bytes = new Uint8Array(end - origin);
  const lines = new Map<number, number>();
  for (const it of items) {
    let chunk: Uint8Array;
    if (it.forms) {
      const info = it.forms[it.choice]!;
      try {
        chunk = encode(info, operandsFor(info, it.operands!, symbols, it.address, it.line, true));
      } catch (e) {
        if (e instanceof AsmError) throw e;
        throw new AsmError(it.line, (e as Error).message);
      }
      lines.set(it.address, it.line);
    } else {
      chunk = it.data ? it.data(symbols) : new Uint8Array(0);
    }
    if (it.address < origin) throw new AsmError(it.line, `.org moves below the start of the program`);
    bytes.set(chunk, it.address - origin);
  }
  return { origin, bytes, symbols, lines };
}
