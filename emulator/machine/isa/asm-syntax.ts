// The assembler's operand syntax: splitting an operand list, registers,
// memory operands ([b+disp], [abs32], [b+index*scale]) and constant
// expressions. Used by assembler.ts.

import { CONTROL_REGISTER_NAMES, REGISTER_NAMES } from './opcodes';

export class AsmError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const REGS = new Map<string, number>(REGISTER_NAMES.map((n, i) => [n, i]));
const CRS = new Map<string, number>(Object.entries(CONTROL_REGISTER_NAMES).map(([n, name]) => [name, Number(n)]));

export type Operand =
  | { kind: 'reg'; reg: number }
  | { kind: 'cr'; cr: number }
  | { kind: 'mem'; base: number; disp: string }
  | { kind: 'abs'; address: string }
  | { kind: 'idx'; base: number; index: number; shift: number }
  | { kind: 'expr'; text: string };

export function splitOperands(text: string): string[] {
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

const SCALE_SHIFT: Record<string, number> = { '1': 0, '2': 1, '4': 2, '8': 3 };
const WORD = /[a-z_.$][\w.$]*/gi;

export function parseOperand(text: string, line: number): Operand {
  const t = text.toLowerCase();
  if (REGS.has(t)) return { kind: 'reg', reg: REGS.get(t)! };
  if (CRS.has(t)) return { kind: 'cr', cr: CRS.get(t)! };
  const bracket = /^\[(.*)\]$/s.exec(text.trim());
  if (bracket) return parseMemory(bracket[1]!.trim(), line);
  return { kind: 'expr', text };
}

/**
 * The inside of [...]: `reg`, `reg + expr`, `reg - expr` (base + displacement),
 * `reg + reg` or `reg + reg*scale` (indexed), or an expression whose first term
 * is not a register (an absolute address).
 */
function parseMemory(inner: string, line: number): Operand {
  const first = /^([a-z_.$][\w.$]*)\s*(.*)$/is.exec(inner);
  const base = first ? REGS.get(first[1]!.toLowerCase()) : undefined;
  const registersIn = (t: string): string[] => (t.match(WORD) ?? []).filter((w) => REGS.has(w.toLowerCase()));
  if (base === undefined) {
    if (!inner) throw new AsmError(line, 'empty memory operand []');
    if (registersIn(inner).length) throw new AsmError(line, `[${inner}]: a register may only come first (the base), or be the index after it`);
    return { kind: 'abs', address: inner };
  }
  const rest = first![2]!;
  if (!rest) return { kind: 'mem', base, disp: '0' };
  const idx = /^\+\s*([a-z][a-z0-9]*)\s*(?:\*\s*(\w+))?$/i.exec(rest);
  const index = idx ? REGS.get(idx[1]!.toLowerCase()) : undefined;
  if (idx && index !== undefined) {
    const shift = SCALE_SHIFT[idx[2] ?? '1'];
    if (shift === undefined) throw new AsmError(line, `[${inner}]: the scale must be 1, 2, 4 or 8`);
    return { kind: 'idx', base, index, shift };
  }
  if (!/^[+-]/.test(rest)) throw new AsmError(line, `bad memory operand [${inner}]`);
  if (registersIn(rest).length) throw new AsmError(line, `[${inner}]: with two registers the forms are [base+index] and [base+index*scale]`);
  // "0 - 8 + 2", not "-(8 + 2)": the displacement continues the sum.
  return { kind: 'mem', base, disp: `0${rest}` };
}

/**
 * Evaluates an expression over numbers, symbols and 'c' characters with
 * + - * / (division truncates, as in C), unary minus and parentheses, with
 * the usual precedence. While laying out (`allowUndefined`), an undefined
 * symbol counts as 0, and so does a division by it.
 */
export function evaluate(text: string, symbols: Map<string, number>, line: number, allowUndefined: boolean): bigint {
  const bad = (): never => {
    throw new AsmError(line, `bad expression '${text.trim()}'`);
  };
  // Character literals are read as numbers at once, so ' ', '+' and '(' are operands, not operators.
  const lexer = /\s*(?:'(.)'|(0x[0-9a-f]+|\d+)(?![\w.$])|([a-z_.$][\w.$]*)|([-+*/()]))\s*/giy;
  const tokens: string[] = [];
  for (let pos = text.search(/\S|$/); pos < text.length; pos = lexer.lastIndex) {
    lexer.lastIndex = pos;
    const m = lexer.exec(text);
    if (!m) bad();
    tokens.push(m![1] !== undefined ? String(m![1].charCodeAt(0)) : (m![2] ?? m![3] ?? m![4])!);
  }
  if (tokens.length === 0) throw new AsmError(line, 'empty expression');
  let k = 0;
  const primary = (): bigint => {
    const tok = tokens[k++];
    if (tok === '(') {
      const v = sum();
      if (tokens[k++] !== ')') bad();
      return v;
    }
    if (tok === '-') return -primary();
    if (tok === '+') return primary();
    if (tok !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(tok)) return BigInt(tok);
    if (tok === undefined || !/^[a-z_.$]/i.test(tok)) return bad();
    if (symbols.has(tok)) return BigInt(symbols.get(tok)!);
    if (allowUndefined) return 0n;
    throw new AsmError(line, `undefined symbol '${tok}'`);
  };
  const product = (): bigint => {
    let v = primary();
    for (let op = tokens[k]; op === '*' || op === '/'; op = tokens[k]) {
      k++;
      const w = primary();
      if (op === '*') v *= w;
      else if (w !== 0n) v /= w;
      else if (allowUndefined) v = 0n;
      else throw new AsmError(line, `division by zero in '${text.trim()}'`);
    }
    return v;
  };
  const sum = (): bigint => {
    let v = product();
    for (let op = tokens[k]; op === '+' || op === '-'; op = tokens[k]) {
      k++;
      v = op === '+' ? v + product() : v - product();
    }
    return v;
  };
  const v = sum();
  if (k !== tokens.length) bad();
  return v;
}
