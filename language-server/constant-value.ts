// Integer constant expressions, evaluated as gcc would on x86-64 after the
// preprocessor has expanded the macros (the hovers' `PROC_START_ADDR +
// PAGESIZE`): literals with their C types (C11 6.4.4.1), casts to integer
// and pointer types (typedef names resolved by the caller), sizeof of a
// type, enumeration constants, and every integer operator with the usual
// arithmetic conversions (C11 6.3.1.8) and 64-bit wrap-around.

/** An integer type as far as arithmetic cares: its width in bits and signedness. */
export interface IntShape {
  readonly bits: 8 | 16 | 32 | 64;
  readonly signed: boolean;
}

export interface ConstantValue {
  /** The value as C has it: negative for a negative signed value, wrapped for unsigned. */
  readonly value: bigint;
  readonly shape: IntShape;
}

/** What the evaluator asks about names. */
export interface ConstantScope {
  /** The value of an enumeration constant, if `name` is one. */
  enumerator(name: string): bigint | undefined;
  /** What a typedef name stands for: an integer or pointer shape (pointers are unsigned 64-bit), its size, or undefined. */
  typedef(name: string): { readonly shape?: IntShape; readonly size: number } | undefined;
  /** sizeof(struct|union|enum tag), if the tag is known and complete. */
  tagSize(kind: string, name: string): number | undefined;
}

export type ConstantResult = ({ readonly ok: true } & ConstantValue) | { readonly ok: false; readonly reason: string };

interface Tok {
  readonly kind: string;
  readonly text: string;
}

class NotConstant extends Error {}

const INT: IntShape = { bits: 32, signed: true };
const UINT: IntShape = { bits: 32, signed: false };
const LONG: IntShape = { bits: 64, signed: true };
const ULONG: IntShape = { bits: 64, signed: false };

function wrap(v: bigint, s: IntShape): bigint {
  return s.signed ? BigInt.asIntN(s.bits, v) : BigInt.asUintN(s.bits, v);
}

const BINARY: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const TYPE_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', '_Bool', 'const', 'volatile', 'struct', 'union', 'enum', 'void']);

/** Evaluates the tokens of one expression (an 'eof' token at the end is ignored). Never throws. */
export function evaluateConstant(tokens: readonly Tok[], scope: ConstantScope): ConstantResult {
  const toks = tokens.filter((t) => t.kind !== 'eof');
  if (toks.length === 0) return { ok: false, reason: 'no expression' };
  try {
    const ev = new Evaluator(toks, scope);
    const v = ev.conditional();
    if (ev.pos < toks.length) throw new NotConstant(`unexpected '${toks[ev.pos]!.text}'`);
    return { ok: true, ...v };
  } catch (e) {
    if (e instanceof NotConstant) return { ok: false, reason: e.message };
    if (e instanceof RangeError) return { ok: false, reason: 'too deeply nested' };
    throw e;
  }
}

class Evaluator {
  pos = 0;
  constructor(
    private readonly toks: readonly Tok[],
    private readonly scope: ConstantScope,
  ) {}

  private peek(n = 0): Tok | undefined {
    return this.toks[this.pos + n];
  }
  private is(text: string, n = 0): boolean {
    const t = this.peek(n);
    return t !== undefined && t.kind !== 'string' && t.kind !== 'char' && t.text === text;
  }
  private expect(text: string): void {
    if (!this.is(text)) throw new NotConstant(`expected '${text}'`);
    this.pos++;
  }

  conditional(): ConstantValue {
    const c = this.binary(1);
    if (!this.is('?')) return c;
    this.pos++;
    const a = this.conditional();
    this.expect(':');
    const b = this.conditional();
    const shape = common(a.shape, b.shape);
    return c.value !== 0n ? convert(a, shape) : convert(b, shape);
  }

  private binary(min: number): ConstantValue {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const p = t && t.kind === 'punct' ? BINARY[t.text] : undefined;
      if (p === undefined || p < min) return left;
      this.pos++;
      const right = this.binary(p + 1);
      left = apply(t!.text, left, right);
    }
  }

  private unary(): ConstantValue {
    const t = this.peek();
    if (!t) throw new NotConstant('the expression ends too soon');
    if (t.kind === 'punct' && ['-', '+', '~', '!'].includes(t.text)) {
      this.pos++;
      const a = promote(this.unary());
      if (t.text === '-') return { value: wrap(-a.value, a.shape), shape: a.shape };
      if (t.text === '~') return { value: wrap(~a.value, a.shape), shape: a.shape };
      if (t.text === '!') return { value: a.value === 0n ? 1n : 0n, shape: INT };
      return a;
    }
    if (t.kind === 'identifier' && t.text === 'sizeof') {
      this.pos++;
      if (this.is('(') && this.startsType(1)) {
        this.pos++;
        const type = this.typeName();
        this.expect(')');
        return { value: BigInt(type.size), shape: ULONG };
      }
      throw new NotConstant('sizeof of an expression is not evaluated here');
    }
    if (this.is('(') && this.startsType(1)) {
      this.pos++;
      const type = this.typeName();
      this.expect(')');
      if (!type.shape) throw new NotConstant('a cast to a non-integer type');
      return convert(this.unary(), type.shape);
    }
    return this.primary();
  }

  private primary(): ConstantValue {
    const t = this.peek();
    if (!t) throw new NotConstant('the expression ends too soon');
    this.pos++;
    if (t.kind === 'punct' && t.text === '(') {
      const v = this.conditional();
      this.expect(')');
      return v;
    }
    if (t.kind === 'number') return integerLiteral(t.text);
    if (t.kind === 'char') return charLiteral(t.text);
    if (t.kind === 'identifier') {
      const e = this.scope.enumerator(t.text);
      if (e !== undefined) return { value: wrap(e, INT), shape: e >= -(2n ** 31n) && e < 2n ** 31n ? INT : LONG };
      throw new NotConstant(`'${t.text}' is not a constant`);
    }
    throw new NotConstant(`unexpected '${t.text}'`);
  }

  /** True if the token at offset n starts a type name. */
  private startsType(n: number): boolean {
    const t = this.peek(n);
    if (!t || t.kind !== 'identifier') return false;
    return TYPE_WORDS.has(t.text) || this.scope.typedef(t.text) !== undefined;
  }

  private typeName(): { shape?: IntShape; size: number } {
    const words: string[] = [];
    let named: { shape?: IntShape; size: number } | undefined;
    let tag: { kind: string; name: string } | undefined;
    while (this.peek()?.kind === 'identifier') {
      const w = this.peek()!.text;
      if (w === 'struct' || w === 'union' || w === 'enum') {
        this.pos++;
        const name = this.peek();
        if (name?.kind !== 'identifier') throw new NotConstant(`a ${w} without a tag`);
        this.pos++;
        tag = { kind: w, name: name.text };
      } else if (TYPE_WORDS.has(w)) {
        this.pos++;
        if (w !== 'const' && w !== 'volatile') words.push(w);
      } else if (!named && words.length === 0 && !tag) {
        named = this.scope.typedef(w);
        if (!named) break;
        this.pos++;
      } else break;
    }
    let pointer = false;
    while (this.is('*') || this.is('const') || this.is('volatile')) {
      if (this.is('*')) pointer = true;
      this.pos++;
    }
    if (pointer) return { shape: ULONG, size: 8 };
    if (named) return named;
    if (tag) {
      const size = this.scope.tagSize(tag.kind, tag.name);
      if (size === undefined) throw new NotConstant(`${tag.kind} ${tag.name} is not known here`);
      return tag.kind === 'enum' ? { shape: INT, size } : { size };
    }
    return basicType(words);
  }
}

function basicType(words: readonly string[]): { shape?: IntShape; size: number } {
  const has = (w: string): boolean => words.includes(w);
  const signed = !has('unsigned');
  if (has('void')) return { size: 1 };
  if (has('_Bool')) return { shape: { bits: 8, signed: false }, size: 1 };
  if (has('char')) return { shape: { bits: 8, signed }, size: 1 };
  if (has('short')) return { shape: { bits: 16, signed }, size: 2 };
  if (has('long')) return { shape: signed ? LONG : ULONG, size: 8 };
  if (words.length === 0) throw new NotConstant('a type name is missing');
  return { shape: signed ? INT : UINT, size: 4 };
}

/** Integer promotion: anything narrower than int becomes int. */
function promote(v: ConstantValue): ConstantValue {
  return v.shape.bits < 32 ? { value: v.value, shape: INT } : v;
}

function convert(v: ConstantValue, shape: IntShape): ConstantValue {
  return { value: wrap(v.value, shape), shape };
}

/** The usual arithmetic conversions on two promoted shapes (LP64: long holds every unsigned int). */
function common(a: IntShape, b: IntShape): IntShape {
  const pa = a.bits < 32 ? INT : a;
  const pb = b.bits < 32 ? INT : b;
  if (pa.bits !== pb.bits) {
    const wide = pa.bits > pb.bits ? pa : pb;
    return wide;
  }
  return pa.signed && pb.signed ? pa : { bits: pa.bits, signed: false };
}

function apply(op: string, a: ConstantValue, b: ConstantValue): ConstantValue {
  if (op === '&&') return { value: a.value !== 0n && b.value !== 0n ? 1n : 0n, shape: INT };
  if (op === '||') return { value: a.value !== 0n || b.value !== 0n ? 1n : 0n, shape: INT };
  if (op === '<<' || op === '>>') {
    const l = promote(a);
    const n = b.value;
    if (n < 0n || n >= BigInt(l.shape.bits)) throw new NotConstant(`shift count ${n} is out of range for a ${l.shape.bits}-bit value`);
    return { value: wrap(op === '<<' ? l.value << n : l.value >> n, l.shape), shape: l.shape };
  }
  const shape = common(a.shape, b.shape);
  const x = wrap(a.value, shape);
  const y = wrap(b.value, shape);
  const bool = (c: boolean): ConstantValue => ({ value: c ? 1n : 0n, shape: INT });
  switch (op) {
    case '+': return { value: wrap(x + y, shape), shape };
    case '-': return { value: wrap(x - y, shape), shape };
    case '*': return { value: wrap(x * y, shape), shape };
    case '/':
    case '%':
      if (y === 0n) throw new NotConstant('division by zero');
      return { value: wrap(op === '/' ? x / y : x % y, shape), shape };
    case '&': return { value: wrap(x & y, shape), shape };
    case '|': return { value: wrap(x | y, shape), shape };
    case '^': return { value: wrap(x ^ y, shape), shape };
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    case '>=': return bool(x >= y);
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
    default: throw new NotConstant(`unknown operator '${op}'`);
  }
}

/** An integer constant with its C type (C11 6.4.4.1p5, LP64; 0b... is a GNU extension). */
export function integerLiteral(text: string): ConstantValue {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU]?(?:l|L|ll|LL)?|(?:l|L|ll|LL)[uU])$/.exec(text);
  if (!m) throw new NotConstant(`'${text}' is not an integer constant`);
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  const value = /^0[bB]/.test(digits) ? BigInt(digits) : /^0[0-7]+$/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const decimal = /^[1-9]/.test(digits) || digits === '0';
  const unsigned = suffix.includes('u');
  const long = suffix.includes('l');
  const candidates: IntShape[] = [];
  if (!long) candidates.push(...(unsigned ? [UINT] : decimal ? [INT] : [INT, UINT]));
  candidates.push(...(unsigned ? [ULONG] : decimal ? [LONG] : [LONG, ULONG]));
  for (const s of candidates) {
    const max = s.signed ? 2n ** BigInt(s.bits - 1) - 1n : 2n ** BigInt(s.bits) - 1n;
    if (value <= max) return { value, shape: s };
  }
  if (value < 2n ** 64n) return { value, shape: ULONG };
  throw new NotConstant(`'${text}' is too large for any integer type`);
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, e: 27, '?': 63 };

function charLiteral(text: string): ConstantValue {
  const body = text.replace(/^[LuU]?'/, '').replace(/'$/, '');
  let v: number;
  if (body[0] !== '\\') v = body.charCodeAt(0);
  else if (body[1] === 'x') v = parseInt(body.slice(2), 16);
  else if (/[0-7]/.test(body[1] ?? '')) v = parseInt(body.slice(1, 4), 8);
  else v = ESCAPES[body[1] ?? ''] ?? body.charCodeAt(1);
  if (Number.isNaN(v)) throw new NotConstant(`cannot read ${text}`);
  // A plain char constant has type int, with the value of a (signed) char.
  return { value: BigInt.asIntN(8, BigInt(v)), shape: INT };
}
