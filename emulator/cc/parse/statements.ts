// Statements (C11 6.8), including GNU statement expressions and case ranges.

import type { BlockStmt, Expr, Stmt } from '../ast';
import { asInt, INT, isInteger, typeName, VOID, type IntType } from '../types';
import { rejectInlineAsm } from './builtins';
import { assignConvert, condition, convert, decay, promote } from './conversions';
import { parseDeclaration, unknownTypeName } from './declarations';
import { parseExpression } from './expressions';
import { constantValue, wrap } from './fold';
import { describeToken, ParseAbort, type Parser } from './parser';
import { startsDeclaration } from './specifiers';
import { parseStaticAssert } from './static-assert';

const MAX_DEPTH = 300;

const KEYWORDS = new Set([
  'if', 'else', 'while', 'do', 'for', 'return', 'break', 'continue', 'goto', 'switch', 'case', 'default',
  'sizeof', '_Alignof', '__alignof__', '__alignof', '_Generic', '_Static_assert', 'asm', '__asm__', '__asm', '__extension__',
]);
const isKeyword = (w: string): boolean => KEYWORDS.has(w) || w.startsWith('__builtin_');

/** compound-statement: '{' (declaration | statement)* '}', in a new scope unless `sameScope` (function bodies share the parameters' scope). */
export function parseCompound(p: Parser, sameScope = false): BlockStmt {
  const open = p.expect('{');
  if (!sameScope) p.enterScope();
  const body: Stmt[] = [];
  try {
    while (!p.is('}') && p.tok.kind !== 'eof') {
      const before = p.pos;
      try {
        body.push(...parseBlockItem(p));
      } catch (e) {
        if (!(e instanceof ParseAbort)) throw e;
        p.recover();
        if (p.pos === before) p.next(); // always make progress
      }
    }
  } finally {
    if (!sameScope) p.leaveScope();
  }
  if (p.tok.kind === 'eof') p.errorAt(open, "expected '}' at end of input: this '{' is never closed");
  else p.next();
  return { kind: 'block', body, range: p.rangeFrom(open) };
}

function parseBlockItem(p: Parser): Stmt[] {
  if (p.is('_Static_assert')) {
    parseStaticAssert(p);
    return [];
  }
  // A label `x:` where x is also a typedef name is still a label.
  if (startsDeclaration(p) && !(p.tok.kind === 'identifier' && p.peek().text === ':' && p.peek().kind === 'punct')) return parseDeclaration(p);
  // `T x;` where T is not declared at all: a type name misspelled or its header not included.
  if (p.tok.kind === 'identifier' && p.peek().kind === 'identifier' && !p.lookup(p.tok.text) && !isKeyword(p.tok.text) && !isKeyword(p.peek().text)) {
    return parseDeclaration(p, unknownTypeName(p));
  }
  return [parseStatement(p)];
}

export function parseStatement(p: Parser): Stmt {
  if (++p.depth > MAX_DEPTH) {
    p.errorAt(p.tok, 'statements nested too deeply');
    throw new ParseAbort();
  }
  try {
    return statement(p);
  } finally {
    p.depth--;
  }
}

function statement(p: Parser): Stmt {
  const t = p.tok;
  if (t.kind === 'punct') {
    if (t.text === '{') return parseCompound(p);
    if (t.text === ';') {
      p.next();
      return { kind: 'empty', range: p.rangeFrom(t) };
    }
  }
  if (t.kind === 'identifier') {
    if (p.peek().kind === 'punct' && p.peek().text === ':' && !['default', 'case'].includes(t.text)) return parseLabel(p);
    switch (t.text) {
      case 'if': {
        p.next();
        p.expect('(', "after 'if'");
        const cond = condition(p, parseExpression(p));
        p.expect(')', 'after the condition');
        const then = parseStatement(p);
        const otherwise = p.accept('else') ? parseStatement(p) : undefined;
        return { kind: 'if', cond, then, ...(otherwise ? { otherwise } : {}), range: p.rangeFrom(t) };
      }
      case 'while': {
        p.next();
        p.expect('(', "after 'while'");
        const cond = condition(p, parseExpression(p));
        p.expect(')', 'after the condition');
        const body = loopBody(p);
        return { kind: 'while', cond, body, range: p.rangeFrom(t) };
      }
      case 'do': {
        p.next();
        const body = loopBody(p);
        p.expect('while', "after the body of 'do'");
        p.expect('(');
        const cond = condition(p, parseExpression(p));
        p.expect(')');
        p.expect(';', "after 'do ... while'");
        return { kind: 'do', body, cond, range: p.rangeFrom(t) };
      }
      case 'for':
        return parseFor(p);
      case 'return': {
        p.next();
        const fn = p.fn!.symbol;
        const returns = fn.type.returns;
        let value: Expr | undefined;
        if (!p.is(';')) {
          const e = parseExpression(p);
          if (returns.kind === 'void') {
            // gcc 12 accepts this with a warning (a pedantic error only with -pedantic-errors); the value is discarded.
            if (e.type.kind !== 'void') p.warning(e.range, `'return' with a value, in function returning void`);
            value = e;
          } else value = assignConvert(p, e, returns, { kind: 'return' }, e.range);
        } else if (returns.kind !== 'void') p.warning(p.rangeFrom(t), `'return' with no value, in function '${fn.name}' returning non-void`);
        p.expect(';', "after the return value");
        return { kind: 'return', ...(value ? { value } : {}), range: p.rangeFrom(t) };
      }
      case 'break':
      case 'continue': {
        p.next();
        p.expect(';', `after '${t.text}'`);
        const range = p.rangeFrom(t);
        if (t.text === 'break' && p.loopDepth === 0 && p.switches.length === 0) p.error(range, 'break statement not within loop or switch');
        if (t.text === 'continue' && p.loopDepth === 0) p.error(range, 'continue statement not within a loop');
        return { kind: t.text, range };
      }
      case 'goto': {
        p.next();
        const label = p.next();
        if (label.kind !== 'identifier') {
          p.errorAt(label, label.text === '*' ? 'computed goto is not supported' : `expected a label name before ${describeToken(label)}`);
          throw new ParseAbort();
        }
        p.expect(';', 'after goto');
        const range = p.rangeFrom(t);
        p.fn!.gotos.push({ label: label.text, range });
        return { kind: 'goto', label: label.text, range };
      }
      case 'switch':
        return parseSwitch(p);
      case 'case':
        return parseCase(p);
      case 'default': {
        p.next();
        p.expect(':', "after 'default'");
        const sw = p.switches[p.switches.length - 1];
        if (!sw) p.error(p.rangeFrom(t), "'default' label not within a switch statement");
        else if (sw.hasDefault) p.error(p.rangeFrom(t), 'multiple default labels in one switch');
        else sw.hasDefault = true;
        const body = labelBody(p);
        return { kind: 'default', body, range: p.rangeFrom(t) };
      }
      case 'asm':
      case '__asm__':
      case '__asm': {
        const e = rejectInlineAsm(p);
        p.accept(';');
        return { kind: 'expr', expr: e, range: p.rangeFrom(t) };
      }
    }
  }
  const expr = parseExpression(p);
  p.expect(';', 'after the expression');
  return { kind: 'expr', expr, range: p.rangeFrom(t) };
}

function loopBody(p: Parser): Stmt {
  p.loopDepth++;
  try {
    return parseStatement(p);
  } finally {
    p.loopDepth--;
  }
}

/** A label's statement; C11 needs one, C2x (and gcc) allow a label before '}'. */
function labelBody(p: Parser): Stmt {
  if (p.is('}')) return { kind: 'empty', range: p.rangeFrom(p.tok) };
  if (startsDeclaration(p)) return { kind: 'block', body: parseDeclaration(p), range: p.rangeFrom(p.prev) };
  return parseStatement(p);
}

function parseLabel(p: Parser): Stmt {
  const t = p.next();
  p.next(); // ':'
  const fn = p.fn!;
  if (fn.labels.has(t.text)) p.errorAt(t, `duplicate label '${t.text}'`);
  fn.labels.set(t.text, p.rangeFrom(t));
  const body = labelBody(p);
  return { kind: 'label', name: t.text, body, range: p.rangeFrom(t) };
}

function parseFor(p: Parser): Stmt {
  const t = p.next();
  p.expect('(', "after 'for'");
  p.enterScope();
  try {
    let init: Stmt | undefined;
    if (startsDeclaration(p)) {
      const decls = parseDeclaration(p);
      init = { kind: 'block', body: decls, range: p.rangeFrom(t) };
    } else if (!p.accept(';')) {
      const start = p.tok;
      const expr = parseExpression(p);
      p.expect(';');
      init = { kind: 'expr', expr, range: p.rangeFrom(start) };
    }
    const cond = p.is(';') ? undefined : condition(p, parseExpression(p));
    p.expect(';');
    const step = p.is(')') ? undefined : parseExpression(p);
    p.expect(')');
    const body = loopBody(p);
    return { kind: 'for', ...(init ? { init } : {}), ...(cond ? { cond } : {}), ...(step ? { step } : {}), body, range: p.rangeFrom(t) };
  } finally {
    p.leaveScope();
  }
}

function parseSwitch(p: Parser): Stmt {
  const t = p.next();
  p.expect('(', "after 'switch'");
  const e = decay(parseExpression(p));
  p.expect(')');
  if (!isInteger(e.type)) p.error(e.range, `switch quantity not an integer (have '${typeName(e.type)}')`);
  const type = isInteger(e.type) ? promote(e.type) : INT;
  const cond = convert(e, type);
  p.switches.push({ cases: [], hasDefault: false, type });
  const savedLoops = p.loopDepth;
  try {
    const body = parseStatement(p);
    const sw = p.switches[p.switches.length - 1]!;
    return { kind: 'switch', cond, body, cases: sw.cases, hasDefault: sw.hasDefault, range: p.rangeFrom(t) };
  } finally {
    p.switches.pop();
    p.loopDepth = savedLoops;
  }
}

function parseCase(p: Parser): Stmt {
  const t = p.next();
  const sw = p.switches[p.switches.length - 1];
  const value = (): bigint => {
    const e = parseConditionalForCase(p);
    const v = constantValue(e);
    if (v === undefined) {
      p.error(p.rangeFrom(t, t), 'case label does not reduce to an integer constant');
      return 0n;
    }
    return sw ? wrap(v, asInt(sw.type as IntType)) : v;
  };
  const low = value();
  const high = p.accept('...') ? value() : low;
  p.expect(':', "after the case value");
  const range = p.rangeFrom(t);
  let index = -1;
  if (!sw) p.error(range, "case label not within a switch statement");
  else {
    if (high < low) p.warning(range, 'empty range specified');
    const dup = sw.cases.find((c) => c.low <= high && low <= c.high);
    if (dup) p.errorWithNote(range, low === high && dup.low === dup.high ? 'duplicate case value' : 'duplicate (or overlapping) case value', 'previously used here', dup.range);
    index = sw.cases.length;
    sw.cases.push({ low, high, range });
  }
  const body = labelBody(p);
  return { kind: 'case', index, body, range };
}

/** A case value is a conditional-expression (no assignment or comma). */
function parseConditionalForCase(p: Parser): Expr {
  // parseExpression would accept a comma; case values never contain one at top level.
  return parseExpression(p);
}

/** `({ ... })`: the value and type are those of the last expression statement (void otherwise). */
export function parseStatementExpression(p: Parser): Expr {
  const start = p.next(); // '('
  if (!p.fn) {
    // Statements need a function around them (labels, return): skip the group unparsed.
    p.errorAt(start, 'braced-group within expression allowed only inside a function');
    let depth = 0;
    do {
      if (p.is('{')) depth++;
      else if (p.is('}')) depth--;
      p.next();
    } while (depth > 0 && p.tok.kind !== 'eof');
    p.expect(')', 'to close the statement expression');
    return { kind: 'int', value: 0n, type: INT, range: p.rangeFrom(start) };
  }
  const body = parseCompound(p);
  p.expect(')', 'to close the statement expression');
  const last = body.body[body.body.length - 1];
  const type = last && last.kind === 'expr' ? decay(last.expr).type : VOID;
  return { kind: 'stmt-expr', body, type, range: p.rangeFrom(start) };
}
