// A parser for the C expressions of watches, hovers, conditions and the
// debug console, over the preprocessor's tokens (so literals and macros
// are exactly the compiler's). It knows which identifiers name types
// through `isTypeName`, as C's parser must. Assignments, increments and
// the comma operator are not accepted: evaluation has no side effects.

import type { Token } from '../../cc/token';
import { EvalError } from './c-value';

/** A type as written in a cast or sizeof: specifiers, then `*`s, then optional [N]. */
export interface TypeNameSyntax {
  /** Basic specifier words in order ('unsigned', 'long'...), or empty. */
  readonly words: readonly string[];
  readonly tag?: { readonly kind: 'struct' | 'union' | 'enum'; readonly name: string };
  readonly typedefName?: string;
  readonly pointers: number;
  readonly array?: number;
}

export type Expr =
  | { readonly k: 'number'; readonly text: string }
  | { readonly k: 'char'; readonly text: string }
  | { readonly k: 'string'; readonly text: string }
  | { readonly k: 'id'; readonly name: string }
  | { readonly k: 'unary'; readonly op: '-' | '+' | '!' | '~' | '*' | '&'; readonly e: Expr }
  | { readonly k: 'sizeofType'; readonly type: TypeNameSyntax }
  | { readonly k: 'sizeofExpr'; readonly e: Expr }
  | { readonly k: 'cast'; readonly type: TypeNameSyntax; readonly e: Expr }
  | { readonly k: 'binary'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'cond'; readonly c: Expr; readonly t: Expr; readonly f: Expr }
  | { readonly k: 'index'; readonly e: Expr; readonly i: Expr }
  | { readonly k: 'member'; readonly e: Expr; readonly name: string; readonly arrow: boolean }
  | { readonly k: 'call'; readonly f: Expr; readonly args: readonly Expr[] };

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'const', 'volatile']);
const ASSIGNMENT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '++', '--']);

export function parseExpression(tokens: readonly Token[], isTypeName: (name: string) => boolean): Expr {
  const p = new Parser(tokens.filter((t) => t.kind !== 'eof'), isTypeName);
  if (p.tokens.length === 0) throw new EvalError('empty expression');
  const e = p.conditional();
  const rest = p.peek();
  if (rest) {
    if (ASSIGNMENT.has(rest.text)) throw new EvalError(`'${rest.text}' changes the program; the debugger evaluates without side effects (set a variable in the Variables view instead)`);
    throw new EvalError(`unexpected '${rest.text}' after the expression`);
  }
  return e;
}

class Parser {
  pos = 0;
  constructor(readonly tokens: readonly Token[], private readonly isTypeName: (name: string) => boolean) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && (t.kind === 'punct' || t.kind === 'identifier') && t.text === text;
  }

  private expect(text: string): void {
    if (!this.is(text)) {
      const t = this.peek();
      throw new EvalError(t ? `expected '${text}' before '${t.text}'` : `expected '${text}' at the end of the expression`);
    }
    this.pos++;
  }

  conditional(): Expr {
    const c = this.binary(1);
    if (!this.is('?')) return c;
    this.pos++;
    const t = this.conditional();
    this.expect(':');
    const f = this.conditional();
    return { k: 'cond', c, t, f };
  }

  private binary(min: number): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t && t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < min) return l;
      this.pos++;
      const r = this.binary(prec + 1);
      l = { k: 'binary', op: t!.text, l, r };
    }
  }

  private startsTypeName(offset = 0): boolean {
    const t = this.peek(offset);
    if (!t || t.kind !== 'identifier') return false;
    return TYPE_WORDS.has(t.text) || t.text === 'struct' || t.text === 'union' || t.text === 'enum' || this.isTypeName(t.text);
  }

  private unary(): Expr {
    const t = this.peek();
    if (!t) throw new EvalError('the expression ends too soon');
    if (t.kind === 'punct' && ['-', '+', '!', '~', '*', '&'].includes(t.text)) {
      this.pos++;
      return { k: 'unary', op: t.text as '-', e: this.unary() };
    }
    if (t.kind === 'punct' && (t.text === '++' || t.text === '--')) throw new EvalError(`'${t.text}' changes the program; the debugger evaluates without side effects`);
    if (t.kind === 'identifier' && t.text === 'sizeof') {
      this.pos++;
      if (this.is('(') && this.startsTypeName(1)) {
        this.pos++;
        const type = this.typeName();
        this.expect(')');
        return { k: 'sizeofType', type };
      }
      return { k: 'sizeofExpr', e: this.unary() };
    }
    if (this.is('(') && this.startsTypeName(1)) {
      this.pos++;
      const type = this.typeName();
      this.expect(')');
      return { k: 'cast', type, e: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private typeName(): TypeNameSyntax {
    const words: string[] = [];
    let tag: TypeNameSyntax['tag'];
    let typedefName: string | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'identifier') break;
      if (t.text === 'const' || t.text === 'volatile') {
        this.pos++;
        continue;
      }
      if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') {
        const name = this.peek(1);
        if (!name || name.kind !== 'identifier') throw new EvalError(`expected a tag name after '${t.text}'`);
        tag = { kind: t.text, name: name.text };
        this.pos += 2;
        continue;
      }
      if (TYPE_WORDS.has(t.text)) {
        words.push(t.text);
        this.pos++;
        continue;
      }
      if (!tag && !typedefName && words.length === 0 && this.isTypeName(t.text)) {
        typedefName = t.text;
        this.pos++;
        continue;
      }
      break;
    }
    let pointers = 0;
    while (this.is('*') || this.is('const') || this.is('volatile')) {
      if (this.is('*')) pointers++;
      this.pos++;
    }
    let array: number | undefined;
    if (this.is('[')) {
      this.pos++;
      const n = this.peek();
      if (!n || n.kind !== 'number' || !/^\d+$/.test(n.text)) throw new EvalError('an array type in a cast needs a decimal length');
      array = Number(n.text);
      this.pos++;
      this.expect(']');
    }
    if (this.is('(')) throw new EvalError('function types are not supported in casts');
    return { words, ...(tag ? { tag } : {}), ...(typedefName ? { typedefName } : {}), pointers, ...(array !== undefined ? { array } : {}) };
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw new EvalError('the expression ends too soon');
    this.pos++;
    switch (t.kind) {
      case 'number':
        return { k: 'number', text: t.text };
      case 'char':
        return { k: 'char', text: t.text };
      case 'string':
        return { k: 'string', text: t.text };
      case 'identifier':
        return { k: 'id', name: t.text };
      case 'punct':
        if (t.text === '(') {
          const e = this.conditional();
          this.expect(')');
          return e;
        }
        break;
      default:
        break;
    }
    throw new EvalError(`unexpected '${t.text}'`);
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      if (this.is('[')) {
        this.pos++;
        const i = this.conditional();
        this.expect(']');
        e = { k: 'index', e, i };
      } else if (this.is('.') || this.is('->')) {
        const arrow = this.is('->');
        this.pos++;
        const name = this.peek();
        if (!name || name.kind !== 'identifier') throw new EvalError(`expected a member name after '${arrow ? '->' : '.'}'`);
        this.pos++;
        e = { k: 'member', e, name: name.text, arrow };
      } else if (this.is('(')) {
        this.pos++;
        const args: Expr[] = [];
        if (!this.is(')')) {
          for (;;) {
            args.push(this.conditional());
            if (!this.is(',')) break;
            this.pos++;
          }
        }
        this.expect(')');
        e = { k: 'call', f: e, args };
      } else if (this.is('++') || this.is('--')) {
        throw new EvalError(`'${this.peek()!.text}' changes the program; the debugger evaluates without side effects`);
      } else {
        return e;
      }
    }
  }
}
