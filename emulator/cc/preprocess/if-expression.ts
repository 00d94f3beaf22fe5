// Evaluates the controlling expression of #if and #elif (C11 6.10.1).
//
// The line is macro-expanded as it is read, except the operand of
// `defined`. Identifiers left after expansion are 0 (6.10.1p4). Arithmetic is
// in 64 bits, signed unless an operand is unsigned (the usual arithmetic
// conversions between intmax_t and uintmax_t), with gcc's behaviour where C
// leaves it open: signed overflow wraps with a warning, shifts by 64 or more
// give 0 or -1. The unevaluated operand of && || and ?: reports syntax errors
// but not division by zero or overflow.

import type { Expander } from './expander';
import type { ExpansionHost } from './expansion-host';
import { evaluateCharConstant } from './char-constant';
import { parseIntegerConstant } from './integer-constant';
import { isPunct, type PPToken } from './pp-token';

interface Value {
  readonly v: bigint;
  readonly unsigned: boolean;
}

/** Thrown inside the parser to abandon the expression; evaluateIf turns it into a diagnostic. */
class IfError {
  constructor(readonly message: string, readonly at: PPToken) {}
}

const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
/** The punctuators other than binary operators that may appear in a #if expression. */
const OPERATORS: ReadonlySet<string> = new Set(['(', ')', '?', ':', ',', '!', '~']);
const INT64_MIN = -(1n << 63n);
const MAX_DEPTH = 256;

/** True if the expression read from `expander` (over the directive's line) is nonzero; false after an error. */
export function evaluateIf(host: ExpansionHost, expander: Expander, directive: PPToken): boolean {
  try {
    return new IfParser(host, expander, directive).parse();
  } catch (e) {
    if (!(e instanceof IfError)) throw e;
    host.error(e.message, e.at);
    return false;
  }
}

const int = (b: boolean): Value => ({ v: b ? 1n : 0n, unsigned: false });
const convert = (x: Value, unsigned: boolean): bigint => (unsigned ? BigInt.asUintN(64, x.v) : BigInt.asIntN(64, x.v));
const wrap = (v: bigint, unsigned: boolean): bigint => (unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));

class IfParser {
  private tok: PPToken;
  /** Above zero inside an operand that is not evaluated. */
  private skip = 0;
  private depth = 0;

  constructor(private readonly host: ExpansionHost, private readonly ex: Expander, private readonly directive: PPToken) {
    this.tok = ex.nextToken();
  }

  parse(): boolean {
    if (this.tok.kind === 'eof') throw new IfError(`#${this.directive.text} with no expression`, this.directive);
    const value = this.comma(undefined);
    const t = this.tok;
    if (t.kind === 'eof') return value.v !== 0n;
    if (isPunct(t, ')')) throw new IfError("missing '(' in expression", t);
    if (isPunct(t, ':')) throw new IfError("':' without preceding '?'", t);
    const operand = t.kind === 'number' || t.kind === 'char' || t.kind === 'identifier';
    if (operand || (t.kind === 'punct' && (OPERATORS.has(t.text) || t.text in PRECEDENCE))) throw new IfError(`missing binary operator before token "${t.text}"`, t);
    throw new IfError(`token "${t.text}" is not valid in preprocessor expressions`, t);
  }

  private advance(): PPToken {
    const t = this.tok;
    this.tok = this.ex.nextToken();
    return t;
  }

  private unevaluated<T>(when: boolean, parse: () => T): T {
    if (when) this.skip++;
    try {
      return parse();
    } finally {
      if (when) this.skip--;
    }
  }

  /**
   * gcc accepts the comma operator in #if; the value is the right
   * operand's. `after` (here and below) is the operator before the
   * expression, if any, for messages.
   */
  private comma(after: PPToken | undefined): Value {
    let v = this.conditional(after);
    while (isPunct(this.tok, ',')) v = this.conditional(this.advance());
    return v;
  }

  private conditional(after: PPToken | undefined): Value {
    const c = this.binary(1, after);
    if (!isPunct(this.tok, '?')) return c;
    const q = this.advance();
    const taken = c.v !== 0n;
    const a = this.unevaluated(!taken, () => this.nested(q, () => this.comma(q)));
    if (!isPunct(this.tok, ':')) throw new IfError("'?' without following ':'", q);
    const colon = this.advance();
    const b = this.unevaluated(taken, () => this.nested(q, () => this.conditional(colon)));
    const unsigned = a.unsigned || b.unsigned;
    return { v: convert(taken ? a : b, unsigned), unsigned };
  }

  /**
   * Binary operators by precedence climbing (C11 6.5.5-6.5.14): an operand,
   * then operators binding at least as tightly as `minPrecedence`. `after` is
   * the operator before the operand, if any, for messages.
   */
  private binary(minPrecedence: number, after: PPToken | undefined): Value {
    let lhs = this.unary(after);
    for (;;) {
      const op = this.tok;
      const p = op.kind === 'punct' ? PRECEDENCE[op.text] : undefined;
      if (p === undefined || p < minPrecedence) return lhs;
      this.advance();
      if (op.text === '&&' || op.text === '||') {
        const decided = op.text === '&&' ? lhs.v === 0n : lhs.v !== 0n;
        const rhs = this.unevaluated(decided, () => this.binary(p + 1, op));
        lhs = int(op.text === '&&' ? lhs.v !== 0n && rhs.v !== 0n : lhs.v !== 0n || rhs.v !== 0n);
      } else {
        lhs = this.apply(op, lhs, this.binary(p + 1, op));
      }
    }
  }

  /** Guards the JavaScript stack against absurdly nested input. */
  private nested<T>(at: PPToken, parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new IfError('#if expression nested too deeply', at);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private unary(after: PPToken | undefined): Value {
    const t = this.tok;
    return this.nested(t, () => this.primary(t, after));
  }

  /** A primary expression, or a unary operator applied to one. */
  private primary(t: PPToken, after: PPToken | undefined): Value {
    switch (t.kind) {
      case 'number':
        this.advance();
        return this.number(t);
      case 'char':
        this.advance();
        return this.charConstant(t);
      case 'identifier':
        if (t.text === 'defined') return this.defined(t);
        this.advance();
        return int(false);
      case 'eof':
        if (after === undefined) throw new IfError(`#${this.directive.text} with no expression`, this.directive);
        if (isPunct(after, '(')) throw new IfError("missing ')' in expression", after);
        throw new IfError(`operator '${after.text}' has no right operand`, after);
      default:
        break;
    }
    if (t.kind === 'punct' && (t.text === '+' || t.text === '-' || t.text === '~' || t.text === '!')) {
      this.advance();
      const v = this.unary(t);
      return this.unaryOp(t, v);
    }
    if (isPunct(t, '(')) {
      this.advance();
      if (isPunct(this.tok, ')')) throw new IfError("missing expression between '(' and ')'", this.tok);
      const v = this.comma(t);
      if (!isPunct(this.tok, ')')) throw new IfError("missing ')' in expression", t);
      this.advance();
      return v;
    }
    if (t.kind === 'punct' && (t.text in PRECEDENCE || t.text === '?' || t.text === ':' || t.text === ',' || t.text === ')')) {
      if (after !== undefined && !isPunct(after, '(')) throw new IfError(`operator '${after.text}' has no right operand`, after);
      if (isPunct(t, ')')) throw new IfError("missing '(' in expression", t);
      throw new IfError(`operator '${t.text}' has no left operand`, t);
    }
    throw new IfError(`token "${t.text}" is not valid in preprocessor expressions`, t);
  }

  /** `defined X` or `defined ( X )` (C11 6.10.1p1); X is not macro-expanded. */
  private defined(d: PPToken): Value {
    let name: PPToken;
    this.ex.preventExpansion++;
    try {
      let t = this.ex.nextToken();
      const paren = isPunct(t, '(');
      if (paren) t = this.ex.nextToken();
      if (t.kind !== 'identifier') throw new IfError('operator "defined" requires an identifier', t.kind === 'eof' ? d : t);
      name = t;
      if (paren) {
        const close = this.ex.nextToken();
        if (!isPunct(close, ')')) throw new IfError(`missing ')' after "defined"`, close.kind === 'eof' ? t : close);
      }
    } finally {
      this.ex.preventExpansion--;
    }
    this.tok = this.ex.nextToken();
    return int(this.host.macros.has(name.text));
  }

  private number(t: PPToken): Value {
    const c = parseIntegerConstant(t.text);
    if ('error' in c) throw new IfError(c.error, t);
    for (const w of c.warnings) this.host.warning(w, t);
    return { v: c.value, unsigned: c.unsigned };
  }

  private charConstant(t: PPToken): Value {
    const c = evaluateCharConstant(t.text);
    for (const d of c.diagnostics) {
      if (d.severity === 'error') throw new IfError(d.message, t);
      this.host.warning(d.message, t);
    }
    return { v: c.value, unsigned: false };
  }

  /** gcc reports overflow at the token after the operation, where it reduced it. */
  private overflow(): void {
    if (this.skip === 0) this.host.warning('integer overflow in preprocessor expression', this.tok);
  }

  private unaryOp(op: PPToken, x: Value): Value {
    switch (op.text) {
      case '-':
        if (!x.unsigned && x.v === INT64_MIN) this.overflow();
        return { v: wrap(-x.v, x.unsigned), unsigned: x.unsigned };
      case '~':
        return { v: wrap(~x.v, x.unsigned), unsigned: x.unsigned };
      case '!':
        return int(x.v === 0n);
      default:
        return x;
    }
  }

  private apply(op: PPToken, a: Value, b: Value): Value {
    if (op.text === '<<' || op.text === '>>') return this.shift(op, a, b);
    const unsigned = a.unsigned || b.unsigned;
    const x = convert(a, unsigned);
    const y = convert(b, unsigned);
    switch (op.text) {
      case '==': return int(x === y);
      case '!=': return int(x !== y);
      case '<': return int(x < y);
      case '>': return int(x > y);
      case '<=': return int(x <= y);
      case '>=': return int(x >= y);
      case '&': return { v: wrap(x & y, unsigned), unsigned };
      case '|': return { v: wrap(x | y, unsigned), unsigned };
      case '^': return { v: wrap(x ^ y, unsigned), unsigned };
      case '/':
      case '%':
        if (y === 0n) {
          if (this.skip > 0) return { v: 0n, unsigned };
          throw new IfError('division by zero in #if', op);
        }
        if (!unsigned && x === INT64_MIN && y === -1n) this.overflow();
        return { v: wrap(op.text === '/' ? x / y : x % y, unsigned), unsigned };
      default: {
        const exact = op.text === '+' ? x + y : op.text === '-' ? x - y : x * y;
        const v = wrap(exact, unsigned);
        if (!unsigned && v !== exact) this.overflow();
        return { v, unsigned };
      }
    }
  }

  /** Shifts keep the left operand's type; a negative count shifts the other way, as in gcc. */
  private shift(op: PPToken, a: Value, b: Value): Value {
    let n = b.unsigned ? BigInt.asUintN(64, b.v) : b.v;
    let left = op.text === '<<';
    if (n < 0n) {
      left = !left;
      n = -n;
    }
    if (!left) {
      const v = n >= 64n ? (!a.unsigned && a.v < 0n ? -1n : 0n) : a.v >> n;
      return { v, unsigned: a.unsigned };
    }
    const v = n >= 64n ? 0n : wrap(a.v << n, a.unsigned);
    if (!a.unsigned && (n >= 64n ? a.v !== 0n : v >> n !== a.v)) this.overflow();
    return { v, unsigned: a.unsigned };
  }
}
