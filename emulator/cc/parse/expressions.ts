// Expressions (C11 6.5): precedence climbing over the binary operators,
// then cast, unary, postfix and primary expressions.

import type { BinaryOp, Expr } from '../ast';
import {
  alignOf, arrayOf, CHAR, FLOAT, INT, isComplete, isRecord, isScalar, pointerTo, qualified, SIZE_T, sizeOf, typeName, unqualified,
  type Type,
} from '../types';
import { parseBuiltin, isBuiltinName, rejectInlineAsm } from './builtins';
import { condition, convert, decay, isLvalue, isNullPointerConstant, commonType } from './conversions';
import { parseTypeName } from './declarators';
import { parseCompoundLiteral } from './initializers';
import { parseNumber, parseCharConstant, parseStringLiteral } from './literals';
import { assign, binary, compoundAssign, incdec, unary } from './operators';
import { describeToken, ParseAbort, type Parser } from './parser';
import { startsDeclaration } from './specifiers';
import { parseStatementExpression } from './statements';
import { parsePostfixTail } from './postfix';

const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=']);
const MAX_DEPTH = 400;

/** expression: assignment-expression (',' assignment-expression)* */
export function parseExpression(p: Parser): Expr {
  let e = parseAssignment(p);
  while (p.is(',')) {
    const start = p.next();
    const r = parseAssignment(p);
    e = { kind: 'comma', left: e, right: decay(r), type: decay(r).type, range: { start: e.range.start, end: p.rangeFrom(start).end } };
  }
  return e;
}

export function parseAssignment(p: Parser): Expr {
  if (++p.depth > MAX_DEPTH) {
    p.errorAt(p.tok, 'expression nested too deeply');
    throw new ParseAbort();
  }
  try {
    const start = p.tok;
    const left = parseConditional(p);
    if (p.tok.kind === 'punct' && ASSIGN_OPS.has(p.tok.text)) {
      const opTok = p.next();
      const op = opTok.text;
      const right = parseAssignment(p);
      const range = p.rangeFrom(start);
      const at = p.rangeFrom(opTok, opTok);
      return op === '=' ? assign(p, left, right, range, at) : compoundAssign(p, op.slice(0, -1) as BinaryOp, left, right, range, at);
    }
    return left;
  } finally {
    p.depth--;
  }
}

function parseConditional(p: Parser): Expr {
  const start = p.tok;
  const cond = parseBinary(p, 1);
  if (!p.accept('?')) return cond;
  let c = condition(p, cond);
  let then: Expr;
  if (p.is(':')) {
    // GNU `a ?: b` is `a ? a : b` with a evaluated once: `(tmp = a) ? tmp : b` with a hidden local.
    then = c;
    if (c.kind !== 'int' && p.fn) {
      const tmp = p.newVar(`.elvis${p.id()}`, unqualified(c.type), 'local', c.range);
      tmp.defined = true;
      p.fn.symbol.locals.push(tmp);
      then = { kind: 'symbol', symbol: tmp, type: tmp.type, range: c.range };
      c = { kind: 'assign', target: then, value: c, type: tmp.type, range: c.range };
    }
  } else then = parseExpression(p);
  p.expect(':', 'in conditional expression');
  const otherwise = parseConditional(p);
  const range = p.rangeFrom(start);
  const a = decay(then);
  const b = decay(otherwise);
  let type: Type;
  if (isScalar(a.type) && isScalar(b.type) && a.type.kind !== 'pointer' && b.type.kind !== 'pointer') type = commonType(a.type, b.type);
  else if (a.type.kind === 'pointer' && b.type.kind === 'pointer' && !isNullPointerConstant(a) && !isNullPointerConstant(b)) {
    // Two pointers (C11 6.5.15p6): to void if either is, else to the (compatible) type, with both sides' qualifiers.
    const to = a.type.to.kind === 'void' ? a.type.to : b.type.to.kind === 'void' ? b.type.to : a.type.to;
    const q = { const: !!(a.type.to.const || b.type.to.const), volatile: !!(a.type.to.volatile || b.type.to.volatile) };
    type = pointerTo(qualified(unqualified(to), q));
  } else if (b.type.kind === 'pointer' && isNullPointerConstant(a)) type = b.type;
  else if (a.type.kind === 'pointer' && (b.type.kind === 'pointer' || isNullPointerConstant(b))) type = a.type;
  else if (a.type.kind === 'void' || b.type.kind === 'void') type = { kind: 'void' };
  else if (isRecord(a.type) && isRecord(b.type) && a.type.tag === b.type.tag) type = unqualified(a.type);
  else {
    p.error(range, `type mismatch in conditional expression ('${typeName(a.type)}' and '${typeName(b.type)}')`);
    type = a.type;
  }
  const conv = (e: Expr): Expr => (type.kind === 'void' || isRecord(type) ? e : convert(e, type));
  if (c.kind === 'int') return c.value !== 0n ? conv(a) : conv(b);
  return { kind: 'cond', cond: c, then: conv(a), otherwise: conv(b), type, range };
}

function parseBinary(p: Parser, minPrec: number): Expr {
  const start = p.tok;
  let left = parseCast(p);
  for (;;) {
    const t = p.tok;
    const prec = t.kind === 'punct' ? PRECEDENCE[t.text] : undefined;
    if (prec === undefined || prec < minPrec) return left;
    p.next();
    const right = parseBinary(p, prec + 1);
    const range = p.rangeFrom(start);
    if (t.text === '&&' || t.text === '||') {
      const l = condition(p, left);
      const r = condition(p, right);
      if (l.kind === 'int' && r.kind === 'int') {
        const v = t.text === '&&' ? l.value !== 0n && r.value !== 0n : l.value !== 0n || r.value !== 0n;
        left = { kind: 'int', value: v ? 1n : 0n, type: INT, range };
      } else left = { kind: 'logical', op: t.text, left: l, right: r, type: INT, range };
    } else left = binary(p, t.text as BinaryOp, left, right, range, p.rangeFrom(t, t));
  }
}

/** cast-expression: '(' type-name ')' cast-expression, a compound literal, or a unary expression. */
export function parseCast(p: Parser): Expr {
  if (p.is('(') && startsDeclaration(p, p.peek())) {
    const start = p.next();
    const type = parseTypeName(p);
    p.expect(')', 'after the type in a cast');
    if (p.is('{')) return parsePostfixTail(p, parseCompoundLiteral(p, type, start), start);
    const operand = decay(parseCast(p));
    const range = p.rangeFrom(start);
    if (type.kind !== 'void' && !(isScalar(type) && isScalar(operand.type))) {
      if (!isScalar(type)) p.error(range, 'conversion to non-scalar type requested');
      else p.error(range, `aggregate value used where ${type.kind === 'pointer' ? 'a pointer' : 'an integer'} was expected`);
      // Typed as the cast says, so the error does not cascade (the code generator never sees it).
      return { kind: 'cast', operand, type: unqualified(type), implicit: false, range };
    }
    return { ...convert(operand, unqualified(type), false), range };
  }
  return parseUnary(p);
}

function parseUnary(p: Parser): Expr {
  const start = p.tok;
  if (start.kind === 'punct') {
    switch (start.text) {
      case '++':
      case '--': {
        p.next();
        const target = parseUnary(p);
        return incdec(p, target, true, start.text === '++', p.rangeFrom(start), p.rangeFrom(start, start));
      }
      case '+':
      case '-':
      case '~':
      case '!': {
        p.next();
        const operand = parseCast(p);
        return unary(p, start.text, operand, p.rangeFrom(start));
      }
      case '*': {
        p.next();
        const operand = decay(parseCast(p));
        const range = p.rangeFrom(start);
        if (operand.type.kind !== 'pointer') {
          p.error(range, `invalid type argument of unary '*' (have '${typeName(operand.type)}')`);
          return operand;
        }
        if (operand.type.to.kind === 'function') return operand; // *fp is fp again once it decays
        if (operand.type.to.kind === 'void') p.warning(range, "dereferencing 'void *' pointer");
        return { kind: 'deref', pointer: operand, type: operand.type.to, range };
      }
      case '&': {
        p.next();
        const operand = parseCast(p);
        return addressOf(p, operand, p.rangeFrom(start));
      }
      case '&&':
        p.errorAt(start, 'labels as values (&&label) are not supported');
        throw new ParseAbort();
    }
  }
  if (start.kind === 'identifier') {
    switch (start.text) {
      case 'sizeof':
        return parseSizeofAlignof(p, true);
      case '_Alignof':
      case '__alignof__':
      case '__alignof':
        return parseSizeofAlignof(p, false);
      case '__extension__':
        p.next();
        return parseCast(p);
    }
  }
  return parsePostfixTail(p, parsePrimary(p), start);
}

export function addressOf(p: Parser, operand: Expr, range: Expr['range']): Expr {
  if (operand.kind === 'deref') return { ...operand.pointer, range };
  if (operand.kind === 'member' && operand.field.bitWidth !== undefined) {
    p.error(range, `cannot take address of bit-field '${operand.field.name}'`);
  } else if (!isLvalue(operand) && !(operand.kind === 'symbol' && operand.symbol.kind === 'function')) {
    p.error(range, 'lvalue required as unary & operand');
  }
  markAddressTaken(operand);
  return { kind: 'addr', operand, type: pointerTo(operand.type), range };
}

function markAddressTaken(e: Expr): void {
  if (e.kind === 'symbol' && e.symbol.kind === 'var') e.symbol.addressTaken = true;
  else if (e.kind === 'member') markAddressTaken(e.object);
}

function parseSizeofAlignof(p: Parser, isSizeof: boolean): Expr {
  const start = p.next();
  let type: Type;
  let operandStart = p.tok;
  if (p.is('(') && startsDeclaration(p, p.peek())) {
    p.next();
    operandStart = p.tok;
    type = parseTypeName(p);
    p.expect(')');
    if (p.is('{')) type = parsePostfixTail(p, parseCompoundLiteral(p, type, start), start).type;
  } else {
    const e = parseUnary(p);
    if (e.kind === 'member' && e.field.bitWidth !== undefined) p.error(e.range, `'${isSizeof ? 'sizeof' : '_Alignof'}' applied to a bit-field`);
    type = e.type;
  }
  const range = p.rangeFrom(start);
  if (type.kind === 'function') p.warning(range, `invalid application of '${isSizeof ? 'sizeof' : '_Alignof'}' to a function type`);
  else if (!isComplete(type) && type.kind !== 'void') p.error(p.rangeFrom(operandStart), `invalid application of '${isSizeof ? 'sizeof' : '_Alignof'}' to incomplete type '${typeName(type)}'`);
  return { kind: 'int', value: BigInt(isSizeof ? sizeOf(type) : alignOf(type)), type: SIZE_T, range };
}

function parsePrimary(p: Parser): Expr {
  const t = p.tok;
  switch (t.kind) {
    case 'number': {
      p.next();
      const r = parseNumber(t.text);
      const range = p.rangeFrom(t);
      if (!r.ok) {
        p.errorAt(t, r.message);
        return { kind: 'int', value: 0n, type: INT, range };
      }
      if (r.warning) p.warning(range, r.warning);
      if (typeof r.value === 'number') {
        p.errorAt(t, 'floating-point constants are not supported: WeensyOS code is built without floating point (-mno-sse)');
        return { kind: 'float', value: r.value, type: r.type.kind === 'float' ? r.type : FLOAT, range };
      }
      return { kind: 'int', value: r.value, type: r.type, range };
    }
    case 'char': {
      p.next();
      const r = parseCharConstant(t.text);
      if (!r.ok) p.errorAt(t, r.message);
      return { kind: 'int', value: r.ok ? (r.value as bigint) : 0n, type: INT, range: p.rangeFrom(t) };
    }
    case 'string':
      return parseStrings(p);
    case 'punct':
      if (t.text === '(') {
        if (p.peek().kind === 'punct' && p.peek().text === '{') return parseStatementExpression(p);
        p.next();
        const e = parseExpression(p);
        p.expect(')', 'to close the parenthesized expression');
        return { ...e, range: p.rangeFrom(t) } as Expr;
      }
      break;
    case 'identifier':
      return parseIdentifier(p);
    default:
      break;
  }
  p.errorAt(t, `expected expression before ${describeToken(t)}`);
  throw new ParseAbort();
}

function parseStrings(p: Parser): Expr {
  const start = p.tok;
  const bytes: number[] = [];
  while (p.tok.kind === 'string') {
    const t = p.next();
    const s = parseStringLiteral(t.text);
    if (!s.ok) p.errorAt(t, s.message);
    else bytes.push(...s.bytes);
  }
  bytes.push(0);
  const arr = Uint8Array.from(bytes);
  return { kind: 'string', bytes: arr, id: p.addString(arr), type: arrayOf(CHAR, arr.length), range: p.rangeFrom(start) };
}

function parseIdentifier(p: Parser): Expr {
  const t = p.tok;
  const name = t.text;
  if (name === '__func__' || name === '__FUNCTION__' || name === '__PRETTY_FUNCTION__') {
    p.next();
    const fname = p.fn?.symbol.name ?? '';
    if (!p.fn) p.warning(p.rangeFrom(t), `'${name}' is not defined outside of function scope`);
    const arr = Uint8Array.from([...fname].map((c) => c.charCodeAt(0)).concat(0));
    return { kind: 'string', bytes: arr, id: p.addString(arr), type: arrayOf(qualified(CHAR, { const: true }), arr.length), range: p.rangeFrom(t) };
  }
  if (name === 'asm' || name === '__asm__' || name === '__asm') return rejectInlineAsm(p);
  if (name === '_Generic') return parseGeneric(p);
  if (isBuiltinName(name)) return parseBuiltin(p);
  p.next();
  const sym = p.lookup(name);
  const range = p.rangeFrom(t);
  if (!sym) {
    if (p.is('(') && p.speculating === 0) {
      // C89 implicit declaration, which gcc 12 accepts with a warning: `int name()`.
      p.warning(range, `implicit declaration of function '${name}'`);
      const fn = p.newFunction(name, { kind: 'function', returns: INT, params: [], variadic: false, unprototyped: true }, 'extern', range);
      p.fileScope.ordinary.set(name, fn);
      p.functions.push(fn);
      return { kind: 'symbol', symbol: fn, type: fn.type, range };
    }
    p.error(range, `'${name}' undeclared${p.fn ? ' (first use in this function)' : ''}`);
    // As gcc does, report each undeclared name once: later uses find this stand-in (never generated: there are errors).
    // This use is the stand-in too, an int lvalue, so `x++` or `x = 1` add no second error (gcc's error_mark says nothing more).
    if (p.speculating === 0) {
      const standIn = p.newVar(name, INT, 'local', range);
      p.scope.ordinary.set(name, standIn);
      return { kind: 'symbol', symbol: standIn, type: INT, range };
    }
    return { kind: 'int', value: 0n, type: INT, range };
  }
  switch (sym.kind) {
    case 'enum-constant':
      return { kind: 'int', value: sym.value, type: sym.type, range };
    case 'typedef':
      p.error(range, `expected expression before '${name}' (it names a type)`);
      throw new ParseAbort();
    default:
      return { kind: 'symbol', symbol: sym, type: sym.type, range };
  }
}

/** _Generic(controlling, type: expr, ..., default: expr) (C11 6.5.1.1). */
function parseGeneric(p: Parser): Expr {
  const start = p.next();
  p.expect('(');
  const control = decay(parseAssignment(p));
  const ct = unqualified(control.type);
  let chosen: Expr | undefined;
  let fallback: Expr | undefined;
  while (p.accept(',')) {
    if (p.accept('default')) {
      p.expect(':');
      fallback = parseAssignment(p);
      continue;
    }
    const t = parseTypeName(p);
    p.expect(':');
    const e = parseAssignment(p);
    if (!chosen && typeName(unqualified(t)) === typeName(ct)) chosen = e;
  }
  p.expect(')');
  const result = chosen ?? fallback;
  if (!result) {
    p.error(p.rangeFrom(start), `'_Generic' selector of type '${typeName(ct)}' is not compatible with any association`);
    return { kind: 'int', value: 0n, type: INT, range: p.rangeFrom(start) };
  }
  return result;
}
