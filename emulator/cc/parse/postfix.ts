// Postfix expressions (C11 6.5.2): subscripts, calls with their argument
// conversions, member access through . and ->, and postfix ++/--.

import type { Expr } from '../ast';
import { findField } from '../layout';
import type { Token } from '../token';
import { INT, isComplete, isRecord, qualified, typeName, unqualified, type FunctionType } from '../types';
import { assignConvert, convert, decay, promote } from './conversions';
import { parseAssignment, parseExpression } from './expressions';
import { binary, incdec } from './operators';
import { describeToken, ParseAbort, type Parser } from './parser';

/** Postfix operators after a primary expression: [] () . -> ++ --. */
export function parsePostfixTail(p: Parser, expr: Expr, start: Token): Expr {
  let e = expr;
  for (;;) {
    if (p.is('[')) {
      const open = p.next();
      const index = parseExpression(p);
      p.expect(']');
      const range = p.rangeFrom(start);
      const at = p.rangeFrom(open, open);
      if (decay(e).type.kind !== 'pointer' && decay(index).type.kind !== 'pointer') {
        p.error(at, 'subscripted value is neither array nor pointer');
        e = { kind: 'int', value: 0n, type: INT, range };
        continue;
      }
      const sum = binary(p, '+', e, index, range, at);
      if (sum.type.kind !== 'pointer') e = sum;
      else e = { kind: 'deref', pointer: sum, type: sum.type.to, range };
      continue;
    }
    if (p.accept('(')) {
      e = parseCall(p, e, start);
      continue;
    }
    if (p.is('.') || p.is('->')) {
      const opTok = p.next();
      const arrow = opTok.text === '->';
      const at = p.rangeFrom(opTok, opTok);
      const nameTok = p.next();
      if (nameTok.kind !== 'identifier') {
        p.errorAt(nameTok, `expected a member name before ${describeToken(nameTok)}`);
        throw new ParseAbort();
      }
      let object = e;
      if (arrow) {
        const ptr = decay(e);
        if (ptr.type.kind !== 'pointer' || !isRecord(ptr.type.to)) {
          p.error(at, ptr.type.kind === 'pointer' ? `request for member '${nameTok.text}' in something not a structure or union` : `invalid type argument of '->' (have '${typeName(ptr.type)}')`);
          throw new ParseAbort();
        }
        object = { kind: 'deref', pointer: ptr, type: ptr.type.to, range: ptr.range };
      }
      const ot = object.type;
      const range = p.rangeFrom(start);
      if (!isRecord(ot)) {
        p.error(at, `request for member '${nameTok.text}' in something not a structure or union`);
        throw new ParseAbort();
      }
      if (!ot.tag.complete) {
        p.error(at, `invalid use of undefined type '${typeName(ot)}'`);
        throw new ParseAbort();
      }
      const found = findField(ot.tag, nameTok.text);
      if (!found) {
        p.error(at, `'${typeName(ot)}' has no member named '${nameTok.text}'`);
        throw new ParseAbort();
      }
      const type = qualified(found.field.type, { const: ot.const || found.field.type.const, volatile: ot.volatile || found.field.type.volatile });
      e = { kind: 'member', object, field: found.field, offset: found.offset, type, range };
      continue;
    }
    if (p.is('++') || p.is('--')) {
      const opTok = p.next();
      e = incdec(p, e, false, opTok.text === '++', p.rangeFrom(start), p.rangeFrom(opTok, opTok));
      continue;
    }
    return e;
  }
}

function parseCall(p: Parser, callee: Expr, start: Token): Expr {
  const f = decay(callee);
  const args: Expr[] = [];
  if (!p.is(')')) {
    do args.push(parseAssignment(p));
    while (p.accept(','));
  }
  p.expect(')', 'to close the argument list');
  const range = p.rangeFrom(start);
  const ft = f.type.kind === 'pointer' && f.type.to.kind === 'function' ? (f.type.to as FunctionType) : undefined;
  if (!ft) {
    const what = callee.kind === 'symbol' ? `'${callee.symbol.name}'` : `of type '${typeName(f.type)}'`;
    p.error(range, `called object ${what} is not a function or function pointer`);
    return { kind: 'int', value: 0n, type: INT, range };
  }
  const name = callee.kind === 'symbol' ? `'${callee.symbol.name}'` : 'function';
  if (!ft.unprototyped) {
    const declared = callee.kind === 'symbol' ? callee.symbol.range : undefined;
    const report = (message: string): void => (declared ? p.errorWithNote(range, message, 'declared here', declared) : p.error(range, message));
    if (args.length < ft.params.length) report(`too few arguments to function ${name} (expected ${ft.params.length}, have ${args.length})`);
    else if (args.length > ft.params.length && !ft.variadic) report(`too many arguments to function ${name} (expected ${ft.params.length}, have ${args.length})`);
  }
  const converted = args.map((a, i) => {
    const param = ft.unprototyped ? undefined : ft.params[i];
    if (param) return assignConvert(p, a, param.type, { kind: 'argument', index: i + 1, callee: name }, a.range);
    // Default argument promotions (C11 6.5.2.2p6).
    const v = decay(a);
    if (v.type.kind === 'float') return convert(v, { kind: 'float', size: 8 });
    if (v.type.kind === 'int' || v.type.kind === 'enum') return convert(v, promote(v.type));
    return v;
  });
  if (ft.returns.kind !== 'void' && !isComplete(ft.returns)) p.error(range, `calling a function with incomplete return type '${typeName(ft.returns)}'`);
  return { kind: 'call', callee: f, args: converted, type: unqualified(ft.returns), range };
}
