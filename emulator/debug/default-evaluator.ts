// The condition evaluator the session uses unless given the full C one:
// integer expressions over literals (decimal, hex, octal, character),
// names and operators (! ~ - + * / % << >> < <= > >= == != & ^ | && ||,
// parentheses). A name is, in order: a value the session supplies (`pid`,
// and for exception filters cr2, err, write, user, present, rip), a
// register (rax ... r15, rip), a scalar local or parameter of the frame's
// function, a scalar global of the frame's image, or an object-like macro
// of the frame's source files whose body is such an expression (PAGESIZE).
// Arithmetic is on 64-bit integers, signed as C's long.

import type { ImageDebugFunction, ImageDebugType, ImageDebugUnit, ImageDebugVariable } from '../machine/image/image-debug-info';
import { REGISTER_NAMES } from '../machine/isa/opcodes';
import type { ConditionEvaluator, EvaluationResult } from './debug-types';
import type { FrameContext } from './inspect/frame-context';
import { readBytes } from './kernel-access';

type Node =
  | { readonly k: 'num'; readonly v: bigint }
  | { readonly k: 'name'; readonly name: string }
  | { readonly k: 'un'; readonly op: string; readonly a: Node }
  | { readonly k: 'bin'; readonly op: string; readonly a: Node; readonly b: Node };

class EvalFailure extends Error {}

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const TOKEN = /\s*(0[xX][0-9a-fA-F]+|[0-9]+|'(?:\\.|[^'\\])'|[A-Za-z_][A-Za-z0-9_]*|\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%<>!~&|^()])/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new EvalFailure(`cannot read "${text.slice(at).trim()}"`);
    out.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return out;
}

function parse(text: string): Node {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const primary = (): Node => {
    const t = tokens[i++];
    if (t === undefined) throw new EvalFailure('the expression ends too soon');
    if (t === '(') {
      const e = binary(0);
      if (tokens[i++] !== ')') throw new EvalFailure('a ")" is missing');
      return e;
    }
    if (t === '!' || t === '~' || t === '-' || t === '+') return { k: 'un', op: t, a: primary() };
    if (/^[0-9]/.test(t)) {
      const v = t.length > 1 && t[0] === '0' && !/[xX]/.test(t) ? BigInt('0o' + t.slice(1)) : BigInt(t);
      // Integer suffixes (u, l) are not tokens of their own: skip one if present.
      if (peek() !== undefined && /^[uUlL]+$/.test(peek()!)) i++;
      return { k: 'num', v };
    }
    if (t[0] === "'") return { k: 'num', v: BigInt(charValue(t)) };
    if (/^[A-Za-z_]/.test(t)) return { k: 'name', name: t };
    throw new EvalFailure(`unexpected "${t}"`);
  };
  const binary = (min: number): Node => {
    let left = primary();
    for (;;) {
      const op = peek();
      const p = op !== undefined ? BINARY_PRECEDENCE[op] : undefined;
      if (p === undefined || p < min) return left;
      i++;
      left = { k: 'bin', op: op!, a: left, b: binary(p + 1) };
    }
  };
  const e = binary(0);
  if (i < tokens.length) throw new EvalFailure(`unexpected "${tokens[i]}"`);
  return e;
}

function charValue(t: string): number {
  const body = t.slice(1, -1);
  if (body[0] !== '\\') return body.charCodeAt(0);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  return esc[body[1]!] ?? body.charCodeAt(1);
}

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+': return s64(a + b);
    case '-': return s64(a - b);
    case '*': return s64(a * b);
    case '/':
      if (b === 0n) throw new EvalFailure('division by zero');
      return s64(a / b);
    case '%':
      if (b === 0n) throw new EvalFailure('division by zero');
      return s64(a % b);
    case '<<': return s64(a << (b & 63n));
    case '>>': return a >> (b & 63n);
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '&': return a & b;
    case '^': return a ^ b;
    case '|': return a | b;
    default: throw new EvalFailure(`unknown operator ${op}`);
  }
}

function resolveType(unit: ImageDebugUnit, ref: number): ImageDebugType | undefined {
  let t = unit.types[ref];
  for (let i = 0; i < 32 && t && (t.kind === 'typedef' || t.kind === 'qualified'); i++) t = unit.types[t.type];
  return t;
}

/** Reads a scalar variable, or throws. */
function readVariable(ctx: FrameContext, unit: ImageDebugUnit, v: ImageDebugVariable): bigint {
  const t = resolveType(unit, v.type);
  let size: number;
  let signed: boolean;
  if (t && (t.kind === 'int' || t.kind === 'enum')) {
    size = t.size;
    signed = t.signed;
  } else if (t && t.kind === 'pointer') {
    size = 8;
    signed = false;
  } else {
    throw new EvalFailure(`${v.name} is not an integer or a pointer (the full evaluator reads structs and arrays)`);
  }
  const loc = v.location;
  let raw: bigint;
  if (loc.kind === 'register') {
    const r = ctx.registers[loc.reg];
    if (r === undefined) throw new EvalFailure(`${v.name} lives in ${REGISTER_NAMES[loc.reg]}, which this frame does not know`);
    raw = r;
  } else {
    let address: number;
    if (loc.kind === 'frame') {
      const rbp = ctx.registers[5];
      if (rbp === undefined) throw new EvalFailure(`${v.name} is in the frame, but rbp is unknown`);
      address = Number(rbp) + loc.rbpOffset;
    } else {
      if (loc.address === null) throw new EvalFailure(`${v.name} has no address`);
      address = loc.address;
    }
    const bytes = readBytes(ctx.machine, { cr3: ctx.cr3, paging: ctx.paging }, address, size);
    if (!bytes) throw new EvalFailure(`${v.name} at 0x${address.toString(16)} is not mapped`);
    raw = 0n;
    for (let i = size - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(bytes[i]!);
  }
  const bits = BigInt(8 * size);
  return signed ? BigInt.asIntN(Number(bits), raw) : BigInt.asUintN(Number(bits), raw);
}

function frameFunction(ctx: FrameContext): { unit: ImageDebugUnit; fn: ImageDebugFunction } | undefined {
  for (const unit of ctx.image?.debug?.units ?? []) {
    for (const fn of unit.functions) if (ctx.rip >= fn.start && ctx.rip < fn.end) return { unit, fn };
  }
  return undefined;
}

function lookupName(name: string, ctx: FrameContext, names: ReadonlyMap<string, bigint>, depth: number): bigint {
  const given = names.get(name);
  if (given !== undefined) return given;
  const reg = (REGISTER_NAMES as readonly string[]).indexOf(name);
  if (reg >= 0) {
    const r = ctx.registers[reg];
    if (r === undefined) throw new EvalFailure(`${name} is not known in this frame`);
    return BigInt.asIntN(64, r);
  }
  if (name === 'rip') return BigInt(ctx.rip);
  const at = frameFunction(ctx);
  if (at) {
    const inScope = (v: ImageDebugVariable): boolean => v.name === name && (v.scopeStart === undefined || (ctx.rip >= v.scopeStart && ctx.rip < (v.scopeEnd ?? Infinity)));
    const local = [...at.fn.locals].reverse().find(inScope) ?? at.fn.params.find(inScope);
    if (local) return readVariable(ctx, at.unit, local);
  }
  const units = ctx.image?.debug?.units ?? [];
  const ordered = at ? [at.unit, ...units.filter((u) => u !== at.unit)] : units;
  for (const unit of ordered) {
    const g = unit.globals.find((v) => v.name === name && v.location.kind === 'static');
    if (g) return readVariable(ctx, unit, g);
  }
  if (depth < 8) {
    const files = at ? [at.unit.path, ...ctx.build.macros.keys()] : [...ctx.build.macros.keys()];
    for (const file of files) {
      const macro = ctx.build.macros.get(file)?.get(name);
      if (macro && macro.params === undefined && macro.body.trim() !== '') return evaluateNode(parse(macro.body), ctx, names, depth + 1);
    }
  }
  throw new EvalFailure(`no variable, register or constant is called ${name}`);
}

function evaluateNode(n: Node, ctx: FrameContext, names: ReadonlyMap<string, bigint>, depth: number): bigint {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'name':
      return lookupName(n.name, ctx, names, depth);
    case 'un': {
      const a = evaluateNode(n.a, ctx, names, depth);
      if (n.op === '!') return a === 0n ? 1n : 0n;
      if (n.op === '~') return ~a;
      if (n.op === '-') return s64(-a);
      return a;
    }
    case 'bin': {
      if (n.op === '&&') return evaluateNode(n.a, ctx, names, depth) !== 0n && evaluateNode(n.b, ctx, names, depth) !== 0n ? 1n : 0n;
      if (n.op === '||') return evaluateNode(n.a, ctx, names, depth) !== 0n || evaluateNode(n.b, ctx, names, depth) !== 0n ? 1n : 0n;
      return apply(n.op, evaluateNode(n.a, ctx, names, depth), evaluateNode(n.b, ctx, names, depth));
    }
  }
}

/** Evaluates an integer expression (see the top of this file). */
export function evaluateInteger(expression: string, ctx: FrameContext, names: ReadonlyMap<string, bigint>): EvaluationResult {
  try {
    const value = evaluateNode(parse(expression), ctx, names, 0);
    return { ok: true, value, display: value.toString() };
  } catch (e) {
    if (e instanceof EvalFailure) return { ok: false, message: `${expression}: ${e.message}` };
    throw e;
  }
}

export const defaultConditionEvaluator: ConditionEvaluator = { evaluate: evaluateInteger };
