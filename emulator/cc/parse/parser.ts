// The parser's state and plumbing: a cursor over preprocessed tokens,
// scopes, symbol creation, error reporting and recovery. The grammar lives in
// declarations.ts, declarators.ts, expressions.ts, statements.ts and
// initializers.ts, as functions over this state; semantic checks happen as
// each construct is parsed (as chibicc and clang do), so the tree comes out
// typed.

import type { BlockStmt, FunctionSymbol, Storage, VarSymbol } from '../ast';
import type { DeclaredKind, DeclaredName } from '../declared-names';
import { DiagnosticSink } from '../diagnostic';
import type { SourceRange } from '../source';
import { userRange, type Token } from '../token';
import { layoutRecord } from '../layout';
import { arrayOf, newTag, pointerTo, UINT, VOID, type Tag, type Type } from '../types';

/** Thrown to abandon the current declaration or statement after a syntax error; caught where parsing can resume. */
export class ParseAbort {}

export type Ordinary =
  | VarSymbol
  | FunctionSymbol
  | { readonly kind: 'typedef'; readonly name: string; readonly type: Type }
  | { readonly kind: 'enum-constant'; readonly name: string; readonly value: bigint; readonly type: Type };

export interface Scope {
  readonly ordinary: Map<string, Ordinary>;
  readonly tags: Map<string, Tag>;
  readonly parent: Scope | undefined;
}

/** Per-function state while parsing a body. */
export interface FunctionContext {
  readonly symbol: FunctionSymbol;
  readonly labels: Map<string, SourceRange>;
  readonly gotos: { label: string; range: SourceRange }[];
}

/** Per-switch state: the cases found so far. */
export interface SwitchContext {
  readonly cases: { low: bigint; high: bigint; range: SourceRange }[];
  hasDefault: boolean;
  readonly type: Type;
}

export class Parser {
  pos = 0;
  readonly diags = new DiagnosticSink();
  scope: Scope = { ordinary: new Map(), tags: new Map(), parent: undefined };
  readonly fileScope: Scope;
  fn: FunctionContext | undefined;
  readonly switches: SwitchContext[] = [];
  loopDepth = 0;
  readonly functions: FunctionSymbol[] = [];
  readonly objects: VarSymbol[] = [];
  readonly strings: { id: number; bytes: Uint8Array }[] = [];
  readonly typedefs = new Map<string, Type>();
  /** Every declaration's name and where it is, for the language server (declared-names.ts). */
  readonly declared: DeclaredName[] = [];
  /** Block-scope objects declared with an initializer (gcc calls a second such one a redefinition). */
  readonly initialized = new WeakSet<VarSymbol>();
  private nextId = 1;
  /** Above 0 while an expression is parsed on trial (and may be parsed again): declare nothing implicitly then. */
  speculating = 0;
  /** Guards against pathological nesting (deep parentheses, declarators) blowing the JS stack. */
  depth = 0;

  constructor(
    readonly tokens: readonly Token[],
    readonly path: string,
  ) {
    this.fileScope = this.scope;
    predeclare(this.fileScope);
    if (tokens.length === 0 || tokens[tokens.length - 1]!.kind !== 'eof') throw new Error('token stream must end with eof');
  }

  // ---- cursor ----

  get tok(): Token {
    return this.tokens[this.pos]!;
  }
  peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  /** True if the current token is the punctuator or identifier `text` (keywords are identifiers to the lexer). */
  is(text: string): boolean {
    const t = this.tok;
    return (t.kind === 'punct' || t.kind === 'identifier') && t.text === text;
  }
  accept(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }
  expect(text: string, context?: string): Token {
    if (this.is(text)) return this.next();
    this.errorAt(this.tok, `expected '${text}'${context ? ` ${context}` : ''} before ${describeToken(this.tok)}`);
    throw new ParseAbort();
  }
  /** The token before the current one (the end of the construct just parsed). */
  get prev(): Token {
    return this.tokens[Math.max(0, this.pos - 1)]!;
  }

  // ---- ranges and diagnostics ----

  /** The range in the user's file from `start` to the end of the last consumed token. */
  rangeFrom(start: Token, end: Token = this.prev): SourceRange {
    const a = userRange(start);
    const b = userRange(end);
    if (a.start.file !== b.start.file || b.end.offset < a.start.offset) return a;
    return { start: a.start, end: b.end };
  }
  errorAt(t: Token, message: string): void {
    this.diags.error(message, userRange(t), expansionNotes(t));
  }
  error(range: SourceRange, message: string): void {
    this.diags.error(message, range);
  }
  warning(range: SourceRange, message: string): void {
    this.diags.warning(message, range);
  }
  /** An error with notes, such as gcc's "previous definition of 'x' was here". */
  errorWithNote(range: SourceRange, message: string, note: string, noteRange: SourceRange): void {
    this.diags.error(message, range, [{ message: note, range: noteRange }]);
  }

  /** Skips to just after the next ';' at this nesting level, or to a '}' that closes it (not consumed). */
  recover(): void {
    let depth = 0;
    while (this.tok.kind !== 'eof') {
      if (this.is('{') || this.is('(') || this.is('[')) depth++;
      else if (this.is(')') || this.is(']')) depth = Math.max(0, depth - 1);
      else if (this.is('}')) {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          this.next();
          // A '}' that closes a nested block we skipped into ends the construct (e.g. a function body).
          if (!this.is(';')) return;
        }
      } else if (this.is(';') && depth === 0) {
        this.next();
        return;
      }
      this.next();
    }
  }

  // ---- scopes and symbols ----

  enterScope(): void {
    this.scope = { ordinary: new Map(), tags: new Map(), parent: this.scope };
  }
  leaveScope(): void {
    this.scope = this.scope.parent ?? this.scope;
  }
  lookup(name: string): Ordinary | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const o = s.ordinary.get(name);
      if (o) return o;
    }
    return undefined;
  }
  lookupTag(name: string): Tag | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const t = s.tags.get(name);
      if (t) return t;
    }
    return undefined;
  }
  isTypedefName(t: Token): boolean {
    return t.kind === 'identifier' && this.lookup(t.text)?.kind === 'typedef';
  }
  /** A tag declared (or referenced for the first time) in the current scope. */
  declareTag(kind: Tag['kind'], name: string | undefined): Tag {
    const tag = newTag(kind, name);
    if (name !== undefined) this.scope.tags.set(name, tag);
    return tag;
  }
  id(): number {
    return this.nextId++;
  }

  /** Records that `nameTok` declares a name (nothing while an expression is parsed on trial). */
  recordDeclaration(kind: DeclaredKind, nameTok: Token, definition: boolean, tag?: Tag): void {
    if (this.speculating > 0 || nameTok.kind !== 'identifier') return;
    this.declared.push({ kind, name: nameTok.text, range: userRange(nameTok), definition, fileScope: this.scope === this.fileScope, ...(tag ? { tag } : {}) });
  }

  newVar(name: string, type: Type, storage: Storage, range: SourceRange): VarSymbol {
    const id = this.id();
    const blockStatic = storage === 'static' && this.fn !== undefined;
    return { kind: 'var', name, type, storage, id, linkName: blockStatic ? `${name}.${id}` : name, range, defined: false, addressTaken: false };
  }

  newFunction(name: string, type: FunctionSymbol['type'], storage: FunctionSymbol['storage'], range: SourceRange): FunctionSymbol {
    return { kind: 'function', name, type, storage, id: this.id(), linkName: name, range, params: [], locals: [], noreturn: false, inline: false, usesVarargs: false };
  }

  addString(bytes: Uint8Array): number {
    const id = this.id();
    this.strings.push({ id, bytes });
    return id;
  }
}

/**
 * What gcc predeclares at file scope: `__builtin_va_list`, which stdarg.h
 * turns into va_list. Its layout is the System V one, an array of one
 * 24-byte `struct __va_list_tag` (codegen/intrinsics.ts implements va_start
 * and va_arg on it), so `va_list` decays to a pointer when passed, as on gcc.
 */
function predeclare(scope: Scope): void {
  const tag = newTag('struct', '__va_list_tag');
  layoutRecord(tag, [
    { name: 'gp_offset', type: UINT },
    { name: 'fp_offset', type: UINT },
    { name: 'overflow_arg_area', type: pointerTo(VOID) },
    { name: 'reg_save_area', type: pointerTo(VOID) },
  ]);
  const type: Type = { ...arrayOf({ kind: 'struct', tag }, 1), typedefName: '__builtin_va_list' };
  scope.ordinary.set('__builtin_va_list', { kind: 'typedef', name: '__builtin_va_list', type });
}

/** A token as gcc names it after "before": `';' token`, `'return'`, `numeric constant`, `end of input`. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'number':
      return 'numeric constant';
    case 'char':
      return 'character constant';
    case 'string':
      return 'string constant';
    case 'punct':
      return `'${t.text}' token`;
    default:
      return `'${t.text}'`;
  }
}

/** "in expansion of macro 'X'" notes for a token that came from macros, innermost first. */
export function expansionNotes(t: Token): { message: string; range: SourceRange }[] | undefined {
  if (!t.expansion) return undefined;
  const notes: { message: string; range: SourceRange }[] = [];
  for (let e: Token['expansion'] = t.expansion; e; e = e.parent) notes.push({ message: `in expansion of macro '${e.macro}'`, range: e.invocation });
  return notes;
}

export type { BlockStmt };
