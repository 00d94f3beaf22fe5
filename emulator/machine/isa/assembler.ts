// A small text assembler for tests, benchmarks and the demonstration program.
//
//   ; comments start with ';' or '#'
//   .org 0x40000            ; where the next byte goes (linear address)
//   .equ STACK, 0x80000     ; expressions: numbers, symbols, 'c' characters, + and -
//   start:  movi rsp, STACK ; immediates pick the shortest form
//           ld64 rax, [rbp-8]
//           beq rax, rbx, done  ; branches relax from rel8 to rel32 as needed
//   msg:    .asciz "hello"
//   .quad start, .long 1, .word 2, .byte 3, .zero 16, .align 8, .ascii "x"
//   movcr cr3, rax / movrc rax, cr2 ; control registers
//
// Operand order is destination first; stores name the memory operand first
// (`st64 [rsp+8], rax`), and `out8 port, value`.

import { encode, EncodeError } from './encoder';
import { CONTROL_REGISTER_NAMES, FORMAT_LENGTH, OPCODES, REGISTER_NAMES, type OpcodeInfo } from './opcodes';

export class AsmError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

export interface AssembledProgram {
  /** Linear address of bytes[0] (the lowest .org). */
  readonly origin: number;
  readonly bytes: Uint8Array;
  readonly symbols: ReadonlyMap<string, number>;
  /** Address of each instruction -> source line (1-based). */
  readonly lines: ReadonlyMap<number, number>;
}

const REGS = new Map<string, number>(REGISTER_NAMES.map((n, i) => [n, i]));
const CRS = new Map<string, number>(Object.entries(CONTROL_REGISTER_NAMES).map(([n, name]) => [name, Number(n)]));
const FORMS = new Map<string, OpcodeInfo[]>();
for (const info of OPCODES) {
  const list = FORMS.get(info.mnemonic) ?? [];
  list.push(info);
  FORMS.set(info.mnemonic, list);
}
// movu is the zero-extending immediate move; movi never picks it implicitly.

type Operand =
  | { kind: 'reg'; reg: number }
  | { kind: 'cr'; cr: number }
  | { kind: 'mem'; base: number; disp: string }
  | { kind: 'expr'; text: string };

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

function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (const ch of text) {
    if (ch === '"') quote = !quote;
    if (!quote && ch === '[') depth++;
    if (!quote && ch === ']') depth--;
    if (!quote && depth === 0 && ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseOperand(text: string, line: number): Operand {
  const t = text.toLowerCase();
  if (REGS.has(t)) return { kind: 'reg', reg: REGS.get(t)! };
  if (CRS.has(t)) return { kind: 'cr', cr: CRS.get(t)! };
  const m = /^\[\s*([a-z0-9]+)\s*(?:([+-])\s*(.+))?\]$/i.exec(text);
  if (m) {
    const base = REGS.get(m[1]!.toLowerCase());
    if (base === undefined) throw new AsmError(line, `unknown base register '${m[1]}'`);
    return { kind: 'mem', base, disp: m[2] ? `${m[2]}${m[3]}` : '0' };
  }
  return { kind: 'expr', text };
}

/** Evaluates `a + b - 0x10`-style expressions over numbers and symbols. */
function evaluate(text: string, symbols: Map<string, number>, line: number, allowUndefined: boolean): bigint {
  // Character literals become numbers first: stripping blanks used to turn ' ' into '' and
  // the tokenizer split '+' and '-' apart, so both failed as "undefined symbol" (isa.test.ts).
  const tokens = text
    .replace(/'(.)'/g, (_, c: string) => String(c.charCodeAt(0)))
    .replace(/\s+/g, '')
    .match(/[+-]|[^+-]+/g);
  if (!tokens) throw new AsmError(line, `empty expression`);
  let sum = 0n;
  let sign = 1n;
  for (const tok of tokens) {
    if (tok === '+') continue;
    if (tok === '-') {
      sign = -sign;
      continue;
    }
    let v: bigint;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(tok)) v = BigInt(tok);
    else if (symbols.has(tok)) v = BigInt(symbols.get(tok)!);
    else if (allowUndefined) v = 0n;
    else throw new AsmError(line, `undefined symbol '${tok}'`);
    sum += sign * v;
    sign = 1n;
  }
  return sum;
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
      case 'rr-rel8':
      case 'rr-rel32':
        return shape === 'reg,reg,expr';
      case 'rel8':
      case 'rel32':
      case 'imm8':
      case 'imm16':
        return shape === 'expr';
    }
  };
  const ok = forms.filter(fits).sort((x, y) => FORMAT_LENGTH[x.format] - FORMAT_LENGTH[y.format]);
  if (ok.length === 0) throw new AsmError(line, `'${mnemonic}' does not take operands (${shape || 'none'})`);
  return ok;
}

function operandsFor(info: OpcodeInfo, ops: Operand[], symbols: Map<string, number>, address: number, line: number, final: boolean) {
  const len = FORMAT_LENGTH[info.format];
  const ev = (t: string): bigint => evaluate(t, symbols, line, !final);
  const regOf = (o: Operand | undefined): number => (o && o.kind === 'reg' ? o.reg : 0);
  switch (info.format) {
    case 'r-cr': {
      const cr = ops.find((o) => o.kind === 'cr') as { cr: number };
      return { a: regOf(ops.find((o) => o.kind === 'reg')), b: cr.cr };
    }
    case 'mem8':
    case 'mem32': {
      const memOp = ops.find((o) => o.kind === 'mem') as { base: number; disp: string };
      return { a: regOf(ops.find((o) => o.kind === 'reg')), b: memOp.base, imm: ev(memOp.disp) };
    }
    // Offsets are taken modulo 2^64: the disassembler prints a target in the upper half
    // (a negative rip) as 0xffff..., which used to come out as an offset of about 2^64.
    case 'rel8':
    case 'rel32':
      return { imm: BigInt.asIntN(64, ev((ops[0] as { text: string }).text) - BigInt(address + len)) };
    case 'r-rel8':
    case 'r-rel32':
      return { a: regOf(ops[0]), imm: BigInt.asIntN(64, ev((ops[1] as { text: string }).text) - BigInt(address + len)) };
    case 'rr-rel8':
    case 'rr-rel32':
      return { a: regOf(ops[0]), b: regOf(ops[1]), imm: BigInt.asIntN(64, ev((ops[2] as { text: string }).text) - BigInt(address + len)) };
    case 'imm8':
    case 'imm16':
      return { imm: ev((ops[0] as { text: string }).text) };
    default:
      return { a: regOf(ops[0]), b: regOf(ops[1]), imm: ops[1]?.kind === 'expr' ? ev(ops[1].text) : 0n };
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
