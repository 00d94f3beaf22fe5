// Declarations at block and file scope (C11 6.7, 6.9): objects, functions,
// typedefs, redeclaration rules, tentative definitions, function definitions.

import type { FunctionSymbol, Initializer, Stmt, TranslationUnit, VarSymbol } from '../ast';
import type { DeclaredName } from '../declared-names';
import type { Diagnostic } from '../diagnostic';
import { staticValue } from '../static-init';
import type { Token } from '../token';
import { compatible, INT, isComplete, typeName, unqualified, type FunctionType, type Type } from '../types';
import { rejectInlineAsm } from './builtins';
import { parseDeclarator, type Declarator } from './declarators';
import { parseInitializer } from './initializers';
import { Parser, ParseAbort, describeToken } from './parser';
import { parseDeclSpec, startsDeclaration, type DeclSpec } from './specifiers';
import { parseCompound } from './statements';
import { parseStaticAssert } from './static-assert';

/** Parses a preprocessed translation unit. Never throws on bad input: problems come back as diagnostics. */
export function parseTranslationUnit(tokens: readonly Token[], path: string): { unit: TranslationUnit; diagnostics: Diagnostic[]; declarations: DeclaredName[] } {
  const p = new Parser(tokens, path);
  while (p.tok.kind !== 'eof') {
    const before = p.pos;
    try {
      externalDeclaration(p);
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      p.fn = undefined;
      p.scope = p.fileScope;
      p.recover();
      if (p.is('}')) p.next();
      // A body left behind by an abandoned function header (`int f(a, b) int a, b; { ... }`).
      else if (p.is('{')) skipBlock(p);
      if (p.pos === before) p.next();
    }
  }
  for (const o of p.objects) {
    if (o.storage !== 'extern' && !isComplete(o.type)) {
      if (o.type.kind === 'array' && o.type.length !== undefined && !isComplete(o.type.of)) {
        // Already reported: "array type has incomplete element type".
      } else if (o.type.kind === 'array' && o.type.length === undefined) {
        // A tentative definition of an array of unknown size gets one element (C11 6.9.2p5), with gcc's warning.
        p.warning(o.range, `array '${o.name}' assumed to have one element`);
        o.type = { ...o.type, length: 1 };
      } else if (o.type.kind !== 'void') p.error(o.range, `storage size of '${o.name}' isn't known`);
    }
  }
  return {
    unit: { path, functions: p.functions, objects: p.objects, strings: p.strings, typedefs: p.typedefs },
    diagnostics: p.diags.all,
    declarations: p.declared,
  };
}

function skipBlock(p: Parser): void {
  let depth = 0;
  do {
    if (p.is('{')) depth++;
    else if (p.is('}')) depth--;
    p.next();
  } while (depth > 0 && p.tok.kind !== 'eof');
}

function externalDeclaration(p: Parser): void {
  if (p.accept(';')) return;
  if (p.is('_Static_assert')) return parseStaticAssert(p);
  if (p.tok.kind === 'identifier' && ['asm', '__asm__', '__asm'].includes(p.tok.text)) {
    rejectInlineAsm(p);
    p.accept(';');
    return;
  }
  if (!startsDeclaration(p)) {
    if (p.tok.kind === 'identifier' && (p.peek().kind === 'identifier' || p.peek().text === '*')) return declarators(p, unknownTypeName(p), true);
    else if (p.tok.kind === 'identifier' && p.peek().text === '(') {
      p.warning(p.rangeFrom(p.tok), `return type defaults to 'int'`);
      return declarators(p, { type: { kind: 'int', int: 'int' }, storage: undefined, inline: false, noreturn: false, attrs: {}, start: p.tok }, true);
    } else p.errorAt(p.tok, `expected a declaration before ${describeToken(p.tok)}`);
    throw new ParseAbort();
  }
  const spec = parseDeclSpec(p, true);
  if (p.accept(';')) return;
  declarators(p, spec, true);
}

function declarators(p: Parser, spec: DeclSpec, fileScope: boolean): void {
  let first = true;
  for (;;) {
    const startTok = p.tok;
    const d = parseDeclarator(p, spec.type, 'no');
    if (first && fileScope && d.type.kind === 'function' && p.is('{')) return functionDefinition(p, spec, d, startTok);
    if (first && fileScope && d.type.kind === 'function' && startsDeclaration(p)) {
      p.errorAt(p.tok, 'old-style (K&R) parameter declarations are not supported');
      throw new ParseAbort();
    }
    first = false;
    declareAtFileScope(p, spec, d, startTok);
    if (!p.accept(',')) break;
  }
  expectDeclarationEnd(p);
}

/** The ';' after a declaration's declarators, with gcc's message when it is missing. */
function expectDeclarationEnd(p: Parser): void {
  if (p.accept(';')) return;
  const afterInitializer = p.prev.kind !== 'identifier' || p.prev.text === ')';
  p.errorAt(p.tok, `expected ${afterInitializer ? "',' or ';'" : "'=', ',', ';', 'asm' or '__attribute__'"} before ${describeToken(p.tok)}`);
  throw new ParseAbort();
}

function typedefType(d: Declarator): Type {
  return { ...d.type, typedefName: d.name! };
}

function declareTypedef(p: Parser, d: Declarator, nameTok: Token): void {
  p.recordDeclaration('typedef', d.nameTok ?? nameTok, true);
  const existing = p.scope.ordinary.get(d.name!);
  const type = typedefType(d);
  if (existing) {
    if (existing.kind !== 'typedef' || !compatible(unqualified(existing.type), unqualified(d.type))) p.errorAt(nameTok, `conflicting types for '${d.name}'; have '${typeName(unqualified(d.type))}'`);
    return;
  }
  p.scope.ordinary.set(d.name!, { kind: 'typedef', name: d.name!, type });
  if (p.scope === p.fileScope) p.typedefs.set(d.name!, type);
}

function declareFunction(p: Parser, spec: DeclSpec, d: Declarator, nameTok: Token, definition: boolean): FunctionSymbol {
  const name = d.name!;
  const type = d.type as FunctionType;
  const range = p.rangeFrom(nameTok, nameTok);
  p.recordDeclaration('function', d.nameTok ?? nameTok, definition);
  let fn = p.fileScope.ordinary.get(name);
  if (fn && fn.kind !== 'function') {
    p.errorAt(nameTok, `'${name}' redeclared as different kind of symbol`);
    fn = undefined;
  }
  if (fn) {
    if (!compatible(fn.type, type)) p.errorWithNote(range, `conflicting types for '${name}'; have '${typeName(type)}'`, `previous declaration of '${name}' with type '${typeName(fn.type)}'`, fn.range);
    if (!type.unprototyped || definition) fn.type = type;
    if (spec.storage === 'static' && fn.storage !== 'static' && fn.body) p.errorAt(nameTok, `static declaration of '${name}' follows non-static declaration`);
  } else {
    fn = p.newFunction(name, type, spec.storage === 'static' ? 'static' : 'extern', range);
    p.functions.push(fn);
    p.fileScope.ordinary.set(name, fn);
  }
  if (spec.storage === 'static') fn.storage = 'static';
  fn.inline ||= spec.inline;
  fn.noreturn ||= spec.noreturn || !!d.attrs.noreturn;
  if (p.scope !== p.fileScope) p.scope.ordinary.set(name, fn);
  return fn;
}

function functionDefinition(p: Parser, spec: DeclSpec, d: Declarator, nameTok: Token): void {
  if (spec.storage === 'typedef') {
    p.errorAt(nameTok, 'function definition declared typedef');
    throw new ParseAbort();
  }
  const fn = declareFunction(p, spec, d, nameTok, true);
  if (fn.body) p.errorAt(nameTok, `redefinition of '${fn.name}'`);
  if (fn.storage === 'extern') fn.storage = 'global';
  fn.definitionRange = p.rangeFrom(nameTok, nameTok);
  const type = fn.type;
  if (type.returns.kind !== 'void' && !isComplete(type.returns)) p.errorAt(nameTok, `return type is an incomplete type '${typeName(type.returns)}'`);
  p.fn = { symbol: fn, labels: new Map(), gotos: [] };
  fn.params = [];
  fn.locals = [];
  p.enterScope();
  try {
    (d.params ?? []).forEach((param, i) => {
      const at = param.nameTok ?? param.start;
      if (!isComplete(param.type) && param.type.kind !== 'void') p.errorAt(at, `parameter ${i + 1} ('${param.name ?? ''}') has incomplete type`);
      // An unnamed parameter (gcc accepts it, as C2x does) still takes its argument's place.
      const v = p.newVar(param.name ?? `.unnamed${i}`, param.type, 'param', p.rangeFrom(at, at));
      v.defined = true;
      if (param.name !== undefined) {
        if (p.scope.ordinary.has(param.name)) p.error(v.range, `redefinition of parameter '${param.name}'`);
        p.scope.ordinary.set(param.name, v);
      }
      fn.params.push(v);
    });
    fn.body = parseCompound(p, true);
    for (const g of p.fn.gotos) if (!p.fn.labels.has(g.label)) p.error(g.range, `label '${g.label}' used but not defined`);
  } finally {
    p.leaveScope();
    p.fn = undefined;
  }
}

function declareAtFileScope(p: Parser, spec: DeclSpec, d: Declarator, nameTok: Token): void {
  if (spec.storage === 'typedef') return declareTypedef(p, d, nameTok);
  if (d.type.kind === 'function') {
    declareFunction(p, spec, d, nameTok, false);
    if (p.is('=')) {
      p.errorAt(nameTok, `function '${d.name}' is initialized like a variable`);
      p.next();
      parseInitializer(p, INT); // read and dropped, so the declaration ends cleanly
    }
    return;
  }
  if (spec.storage === 'auto' || spec.storage === 'register') p.errorAt(nameTok, `file-scope declaration of '${d.name}' specifies '${spec.storage}'`);
  const name = d.name!;
  p.recordDeclaration('object', d.nameTok ?? nameTok, spec.storage !== 'extern' || p.is('='));
  const range = p.rangeFrom(nameTok, nameTok);
  let v = p.fileScope.ordinary.get(name);
  if (v && v.kind !== 'var') {
    p.errorAt(nameTok, `'${name}' redeclared as different kind of symbol`);
    v = undefined;
  }
  if (d.type.kind === 'void') p.errorAt(nameTok, `variable or field '${name}' declared void`);
  const storage = spec.storage === 'static' ? 'static' : spec.storage === 'extern' ? 'extern' : 'global';
  if (v) {
    if (!compatible(unqualified(v.type), unqualified(d.type))) p.errorWithNote(range, `conflicting types for '${name}'; have '${typeName(d.type)}'`, `previous declaration of '${name}' with type '${typeName(v.type)}'`, v.range);
    else if (v.type.kind === 'array' && v.type.length === undefined && d.type.kind === 'array') v.type = d.type;
    if (storage !== 'extern' && storage !== v.storage && !(v.storage === 'extern' && storage === 'global')) {
      if (storage === 'static') p.errorAt(nameTok, `static declaration of '${name}' follows non-static declaration`);
    }
    if (storage === 'global' && v.storage === 'extern') (v as { storage: string }).storage = 'global';
  } else {
    v = p.newVar(name, d.type, storage, range);
    p.objects.push(v);
    p.fileScope.ordinary.set(name, v);
  }
  if (d.attrs.aligned || spec.attrs.aligned) v.alignAttr = Math.max(d.attrs.aligned ?? 1, spec.attrs.aligned ?? 1);
  if (storage !== 'extern') v.defined = true;
  if (p.accept('=')) {
    if (v.init) p.errorAt(nameTok, `redefinition of '${name}'`);
    const { init, type } = parseInitializer(p, v.type);
    v.type = type;
    v.init = init;
    v.defined = true;
    if (v.storage === 'extern') {
      p.warning(range, `'${name}' initialized and declared 'extern'`);
      (v as { storage: string }).storage = 'global';
    }
    checkConstantInitializer(p, init);
  }
}

/** Objects with static storage need link-time constant initializers (C11 6.7.9p4). */
export function checkConstantInitializer(p: Parser, init: Initializer): void {
  for (const e of init.entries) {
    if (!staticValue(e.expr)) p.error(e.expr.range, 'initializer element is not constant');
  }
}

/**
 * `T x` where T names no type: gcc's "unknown type name 'T'", then the
 * declaration goes on as if T were int, so one mistake gives one message.
 */
export function unknownTypeName(p: Parser): DeclSpec {
  const t = p.next();
  p.errorAt(t, `unknown type name '${t.text}'`);
  return { type: INT, storage: undefined, inline: false, noreturn: false, attrs: {}, start: t };
}

/** A declaration inside a function body; returns the statements that initialize its automatic objects. */
export function parseDeclaration(p: Parser, given?: DeclSpec): Stmt[] {
  const spec = given ?? parseDeclSpec(p, true);
  const out: Stmt[] = [];
  if (p.accept(';')) return out;
  for (;;) {
    const nameTok = p.tok;
    const d = parseDeclarator(p, spec.type, 'no');
    declareInBlock(p, spec, d, nameTok, out);
    if (!p.accept(',')) break;
  }
  expectDeclarationEnd(p);
  return out;
}

function declareInBlock(p: Parser, spec: DeclSpec, d: Declarator, nameTok: Token, out: Stmt[]): void {
  const name = d.name!;
  const existing = p.scope.ordinary.get(name);
  if (spec.storage === 'typedef') return declareTypedef(p, d, nameTok);
  if (d.type.kind === 'function') {
    if (spec.storage === 'static') p.errorAt(nameTok, `invalid storage class for function '${name}'`);
    declareFunction(p, spec, d, nameTok, false);
    return;
  }
  const range = p.rangeFrom(nameTok, nameTok);
  if (existing && !(spec.storage === 'extern' && existing.kind === 'var' && existing.storage !== 'local')) {
    // gcc: two definitions with initializers are a redefinition; otherwise a redeclaration with no linkage.
    const previous = existing.kind === 'var' || existing.kind === 'function' ? existing.range : range;
    const prevType = existing.type;
    if (existing.kind !== 'var' && existing.kind !== 'function') p.errorAt(nameTok, `'${name}' redeclared as different kind of symbol`);
    else if (p.is('=') && existing.kind === 'var' && p.initialized.has(existing)) p.errorWithNote(range, `redefinition of '${name}'`, `previous definition of '${name}' with type '${typeName(prevType)}'`, previous);
    else p.errorWithNote(range, `redeclaration of '${name}' with no linkage`, `previous declaration of '${name}' with type '${typeName(prevType)}'`, previous);
  }
  if (d.type.kind === 'void' && spec.storage !== 'extern') p.errorAt(nameTok, `variable or field '${name}' declared void`);
  if (spec.storage === 'extern') {
    let v = p.fileScope.ordinary.get(name);
    if (!v || v.kind !== 'var') {
      v = p.newVar(name, d.type, 'extern', range);
      p.objects.push(v);
      p.fileScope.ordinary.set(name, v);
    }
    p.scope.ordinary.set(name, v);
    if (p.is('=')) {
      p.errorAt(d.nameTok ?? nameTok, `'${name}' has both 'extern' and initializer`);
      p.next();
      parseInitializer(p, v.type); // read and dropped, so the declaration ends cleanly
    }
    return;
  }
  const storage = spec.storage === 'static' ? 'static' : 'local';
  const v: VarSymbol = p.newVar(name, d.type, storage, range);
  v.defined = true;
  if (d.attrs.aligned || spec.attrs.aligned) v.alignAttr = Math.max(d.attrs.aligned ?? 1, spec.attrs.aligned ?? 1);
  p.scope.ordinary.set(name, v);
  let init: Initializer | undefined;
  if (p.accept('=')) {
    p.initialized.add(v);
    const r = parseInitializer(p, v.type);
    v.type = r.type;
    init = r.init;
  }
  if (!isComplete(v.type) && v.type.kind !== 'void') p.error(range, `storage size of '${name}' isn't known`);
  if (storage === 'static') {
    if (init) {
      v.init = init;
      checkConstantInitializer(p, init);
    }
    p.objects.push(v);
  } else {
    p.fn!.symbol.locals.push(v);
    if (v.type.kind !== 'int' && v.type.kind !== 'pointer' && v.type.kind !== 'enum') v.addressTaken = true;
    out.push({ kind: 'decl', symbol: v, ...(init ? { init } : {}), range: p.rangeFrom(nameTok) });
  }
}
