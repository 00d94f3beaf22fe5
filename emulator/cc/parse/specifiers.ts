// Declaration specifiers (C11 6.7.1-6.7.5): storage classes, type
// specifiers and qualifiers, function specifiers, alignment, typeof, and
// struct/union/enum specifiers.

import { layoutRecord, unreachableBitFields, type MemberDecl } from '../layout';
import type { Token } from '../token';
import {
  alignOf, asInt, BOOL, DOUBLE, FLOAT, INT, int, isComplete, isInteger, isRecord, LONG, MAX_OBJECT_SIZE, qualified, sizeOf, typeName, UINT, ULONG, VOID,
  type EnumType, type IntKind, type RecordType, type Tag, type Type,
} from '../types';
import { isAttributeStart, parseAttributes, type Attributes } from './attributes';
import { parseDeclarator, parseTypeName } from './declarators';
import { parseAssignment, parseExpression } from './expressions';
import { constantValue } from './fold';
import { describeToken, ParseAbort, type Parser } from './parser';
import { parseStaticAssert } from './static-assert';

export type StorageClass = 'typedef' | 'extern' | 'static' | 'auto' | 'register';

export interface DeclSpec {
  readonly type: Type;
  readonly storage: StorageClass | undefined;
  readonly inline: boolean;
  readonly noreturn: boolean;
  readonly attrs: Attributes;
  readonly start: Token;
}

const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', '__signed__', '__signed']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__const__', '__volatile__', '_Atomic']);
const STORAGE = new Set(['typedef', 'extern', 'static', 'auto', 'register', '_Thread_local', '__thread']);
const FUNCTION_SPECIFIERS = new Set(['inline', '__inline', '__inline__', '_Noreturn']);
const OTHER = new Set(['struct', 'union', 'enum', 'typeof', '__typeof__', '__typeof', '_Alignas', '__extension__', '_Complex', '__int128']);

/** True if the current token can begin declaration specifiers (so a declaration or a type name follows). */
export function startsDeclaration(p: Parser, t: Token = p.tok): boolean {
  return isSpecifierKeyword(t) || p.isTypedefName(t);
}

/** A keyword that begins or continues declaration specifiers (not a typedef name, which can also be redeclared as a name). */
export function isSpecifierKeyword(t: Token): boolean {
  if (t.kind !== 'identifier') return false;
  const w = t.text;
  return TYPE_WORDS.has(w) || QUALIFIERS.has(w) || STORAGE.has(w) || FUNCTION_SPECIFIERS.has(w) || OTHER.has(w) || w === '__attribute__' || w === '__attribute';
}

/** Parses declaration specifiers. `allowStorage` is false for type names and struct members. */
export function parseDeclSpec(p: Parser, allowStorage: boolean): DeclSpec {
  const start = p.tok;
  const counts = new Map<string, number>();
  const wordToks: Token[] = [];
  let named: Type | undefined;
  let storage: StorageClass | undefined;
  let isConst = false;
  let isVolatile = false;
  let inline = false;
  let noreturn = false;
  const attrs: Attributes = {};
  for (;;) {
    const t = p.tok;
    if (t.kind !== 'identifier') break;
    const w = t.text;
    if (isAttributeStart(p)) {
      parseAttributes(p, attrs);
      continue;
    }
    if (w === '__extension__') {
      p.next();
      continue;
    }
    if (STORAGE.has(w)) {
      p.next();
      if (!allowStorage) p.errorAt(t, `storage class '${w}' is not allowed here`);
      else if (w === '_Thread_local' || w === '__thread') p.errorAt(t, 'thread-local storage is not supported');
      else if (storage) p.errorAt(t, `multiple storage classes in declaration specifiers`);
      else storage = w as StorageClass;
      continue;
    }
    if (QUALIFIERS.has(w)) {
      p.next();
      if (w.startsWith('__const') || w === 'const') isConst = true;
      if (w.startsWith('__volatile') || w === 'volatile') isVolatile = true;
      if (w === '_Atomic') p.errorAt(t, '_Atomic is not supported');
      continue;
    }
    if (FUNCTION_SPECIFIERS.has(w)) {
      p.next();
      if (w === '_Noreturn') noreturn = true;
      else inline = true;
      continue;
    }
    if (w === '_Alignas') {
      p.next();
      p.expect('(');
      let a: number | undefined;
      if (startsDeclaration(p)) a = alignOf(parseTypeName(p));
      else {
        const v = constantValue(parseAssignment(p));
        if (v === undefined) p.errorAt(p.prev, '_Alignas needs a constant');
        else a = Number(v);
      }
      p.expect(')');
      // _Alignas(0) has no effect (C11 6.7.5p6).
      if (a !== undefined && a !== 0 && (a < 0 || a > 1 << 28 || (a & (a - 1)) !== 0)) p.errorAt(p.prev, 'requested alignment is not a positive power of two up to 268435456');
      else if (a) attrs.aligned = Math.max(attrs.aligned ?? 1, a);
      continue;
    }
    if (TYPE_WORDS.has(w)) {
      if (named) break;
      p.next();
      const key = w === '__signed__' || w === '__signed' ? 'signed' : w;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      wordToks.push(t);
      continue;
    }
    if (w === '_Complex' || w === '__int128') {
      p.next();
      p.errorAt(t, `'${w}' is not supported`);
      continue;
    }
    if (named || counts.size > 0) break;
    if (w === 'struct' || w === 'union') {
      named = parseRecordSpecifier(p);
      continue;
    }
    if (w === 'enum') {
      named = parseEnumSpecifier(p);
      continue;
    }
    if (w === 'typeof' || w === '__typeof__' || w === '__typeof') {
      named = parseTypeof(p);
      continue;
    }
    if (p.isTypedefName(t)) {
      // `T x` where T is a typedef: but in `typedef int T; { int T; }` the second T is a declarator.
      const td = p.lookup(w)!;
      p.next();
      named = td.kind === 'typedef' ? td.type : INT;
      continue;
    }
    break;
  }
  let type: Type;
  if (named) type = named;
  else if (counts.size === 0) {
    if (allowStorage && (storage || inline || noreturn || isConst || isVolatile)) {
      p.warning(p.rangeFrom(start), "type defaults to 'int' in declaration");
      type = INT;
    } else {
      p.errorAt(p.tok, `expected a type before ${describeToken(p.tok)}`);
      throw new ParseAbort();
    }
  } else type = combineTypeWords(p, counts, start, wordToks);
  type = qualified(type, { const: isConst, volatile: isVolatile });
  return { type, storage, inline, noreturn: noreturn || !!attrs.noreturn, attrs, start };
}

function combineTypeWords(p: Parser, counts: Map<string, number>, start: Token, words: readonly Token[]): Type {
  const n = (w: string): number => counts.get(w) ?? 0;
  const signed = n('signed') > 0;
  const unsigned = n('unsigned') > 0;
  // gcc's messages, at the word that makes the combination invalid (the last one read).
  const last = words[words.length - 1] ?? start;
  const bad = (): Type => {
    if (n('short') && n('long')) p.errorAt(last, "both 'long' and 'short' in declaration specifiers");
    else p.errorAt(last, 'two or more data types in declaration specifiers');
    return INT;
  };
  if (signed && unsigned) {
    const second = words.find((w, i) => i > 0 && ['signed', 'unsigned', '__signed', '__signed__'].includes(w.text) && words.slice(0, i).some((x) => ['signed', 'unsigned', '__signed', '__signed__'].includes(x.text)));
    p.errorAt(second ?? last, "both 'signed' and 'unsigned' in declaration specifiers");
    return INT;
  }
  if (n('void')) return counts.size === 1 && n('void') === 1 ? VOID : bad();
  if (n('_Bool')) return counts.size === 1 ? BOOL : bad();
  if (n('float') || n('double')) {
    // WeensyOS is built with -mno-sse and our machine has no floating-point unit; say so where the type is written.
    p.error(p.rangeFrom(start), 'floating-point types are not supported: WeensyOS code is built without floating point (-mno-sse)');
    return n('float') ? FLOAT : DOUBLE;
  }
  if (n('char')) {
    if (n('char') > 1 || n('short') || n('long') || n('int')) return bad();
    return int(unsigned ? 'uchar' : signed ? 'schar' : 'char');
  }
  if (n('int') > 1 || (n('short') && n('long')) || n('short') > 1 || n('long') > 2) return bad();
  let k: IntKind = 'int';
  if (n('short')) k = 'short';
  else if (n('long') === 1) k = 'long';
  else if (n('long') === 2) k = 'llong';
  if (unsigned) k = ({ int: 'uint', short: 'ushort', long: 'ulong', llong: 'ullong' } as Record<string, IntKind>)[k]!;
  return int(k);
}

function parseTypeof(p: Parser): Type {
  p.next();
  p.expect('(', 'after typeof');
  let t: Type;
  if (startsDeclaration(p)) t = parseTypeName(p);
  else t = parseExpression(p).type;
  p.expect(')');
  return t;
}

/** struct-or-union-specifier (C11 6.7.2.1). */
function parseRecordSpecifier(p: Parser): RecordType {
  const kw = p.next();
  const kind = kw.text as 'struct' | 'union';
  const attrs = parseAttributes(p);
  let name: string | undefined;
  let nameTok = kw;
  if (p.tok.kind === 'identifier' && !isAttributeStart(p)) {
    nameTok = p.next();
    name = nameTok.text;
  }
  if (!p.is('{')) {
    if (name === undefined) {
      p.errorAt(p.tok, `expected '{' or a tag name after '${kind}'`);
      throw new ParseAbort();
    }
    let tag = p.lookupTag(name);
    // `struct S;` alone declares a new tag in this scope; any other use refers to the visible one.
    if (!tag || (p.is(';') && !p.scope.tags.has(name))) tag = p.declareTag(kind, name);
    if (tag.kind !== kind) p.errorAt(nameTok, `'${name}' defined as wrong kind of tag`);
    return { kind, tag };
  }
  let tag: Tag | undefined = name !== undefined ? p.scope.tags.get(name) : undefined;
  if (tag && (tag.complete || tag.kind !== kind)) {
    p.errorAt(nameTok, tag.kind !== kind ? `'${name}' defined as wrong kind of tag` : `redefinition of '${kind} ${name}'`);
    tag = undefined;
  }
  tag ??= p.declareTag(kind, name);
  if (name !== undefined) p.recordDeclaration('tag', nameTok, true, tag);
  p.expect('{');
  const members: MemberDecl[] = [];
  const memberToks: Token[] = [];
  while (!p.is('}') && p.tok.kind !== 'eof') {
    try {
      parseMemberDeclaration(p, members, memberToks);
    } catch (e) {
      if (!(e instanceof ParseAbort)) throw e;
      p.recover();
    }
  }
  p.expect('}');
  parseAttributes(p, attrs);
  layoutRecord(tag, members, { ...(attrs.packed ? { packed: true } : {}), ...(attrs.aligned ? { alignAttr: attrs.aligned } : {}) });
  if (tag.size > MAX_OBJECT_SIZE) {
    p.errorAt(nameTok, `type '${kind} ${name ?? '<anonymous>'}' is too large`);
    tag.size = 1;
  }
  for (const f of unreachableBitFields(tag)) p.errorAt(kw, `packed bit-field '${f.name}' spans more than 8 bytes, which is not supported`);
  checkDuplicateMembers(p, members, memberToks);
  members.forEach((m, i) => {
    if (m.name !== undefined) p.recordDeclaration('field', memberToks[i]!, true, tag);
  });
  return { kind, tag };
}

/** One member declaration; `toks` gets, for each member, the token to point at (its name, or where it starts). */
function parseMemberDeclaration(p: Parser, members: MemberDecl[], toks: Token[]): void {
  if (p.is('_Static_assert')) return parseStaticAssert(p);
  if (p.accept(';')) return;
  const spec = parseDeclSpec(p, false);
  if (p.accept(';')) {
    // An anonymous struct or union member (C11 6.7.2.1p13).
    if ((spec.type.kind === 'struct' || spec.type.kind === 'union') && spec.type.tag.name === undefined) {
      members.push({ name: undefined, type: spec.type });
      toks.push(spec.start);
    }
    else p.warning(p.rangeFrom(spec.start), 'declaration does not declare anything');
    return;
  }
  for (;;) {
    const startTok = p.tok;
    let name: string | undefined;
    let type = spec.type;
    let bitWidth: number | undefined;
    const memberAttrs: Attributes = { ...spec.attrs };
    let at = startTok;
    if (!p.is(':')) {
      const d = parseDeclarator(p, spec.type, 'no');
      name = d.name;
      type = d.type;
      at = d.nameTok ?? startTok;
      Object.assign(memberAttrs, d.attrs);
    }
    if (p.accept(':')) {
      const e = parseAssignment(p);
      const v = constantValue(e);
      // gcc's messages, at the member's name.
      const what = name !== undefined ? `'${name}'` : 'unnamed bit-field';
      if (!isInteger(type)) p.errorAt(at, `bit-field ${what} has invalid type`);
      else if (v === undefined) p.errorAt(at, `bit-field ${what} width not an integer constant`);
      else if (v < 0n) p.errorAt(at, `negative width in bit-field ${what}`);
      else if (v > BigInt(sizeOf(type) * 8)) p.errorAt(at, `width of ${what} exceeds its type`);
      else if (v === 0n && name !== undefined) p.errorAt(at, `zero width for bit-field ${what}`);
      else bitWidth = Number(v);
      if (type.kind === 'enum') type = asInt(type);
    }
    parseAttributes(p, memberAttrs);
    const isLast = p.is(';') && p.peek().kind === 'punct' && p.peek().text === '}';
    if (!isComplete(type) && !(type.kind === 'array' && type.length === undefined && isLast)) {
      p.error(p.rangeFrom(startTok), `field '${name ?? '<anonymous>'}' has incomplete type '${typeName(type)}'`);
    }
    toks.push(at);
    members.push({
      name, type,
      ...(bitWidth !== undefined ? { bitWidth } : {}),
      ...(memberAttrs.aligned ? { alignAttr: memberAttrs.aligned } : {}),
      ...(memberAttrs.packed ? { packed: true } : {}),
    });
    if (!p.accept(',')) break;
  }
  p.expect(';', 'after struct member');
}

/** Member names must be unique, counting those reached through anonymous members; reported at the repeat. */
function checkDuplicateMembers(p: Parser, members: readonly MemberDecl[], toks: readonly Token[]): void {
  const seen = new Set<string>();
  const names = (t: Tag): string[] => t.fields.flatMap((f) => (f.name !== undefined ? [f.name] : isRecord(f.type) && f.bitWidth === undefined ? names(f.type.tag) : []));
  members.forEach((m, i) => {
    const here = m.name !== undefined ? [m.name] : isRecord(m.type) && m.bitWidth === undefined ? names(m.type.tag) : [];
    for (const n of here) {
      if (seen.has(n)) p.errorAt(toks[i]!, `duplicate member '${n}'`);
      seen.add(n);
    }
  });
}

/** enum-specifier (C11 6.7.2.2), with gcc's widening of the enumerator type for large values. */
function parseEnumSpecifier(p: Parser): EnumType {
  const kw = p.next();
  parseAttributes(p);
  let name: string | undefined;
  let nameTok: Token | undefined;
  if (p.tok.kind === 'identifier' && !isAttributeStart(p)) {
    nameTok = p.next();
    name = nameTok.text;
  }
  if (!p.is('{')) {
    if (name === undefined) {
      p.errorAt(p.tok, "expected '{' or a tag name after 'enum'");
      throw new ParseAbort();
    }
    let tag = p.lookupTag(name);
    if (!tag) {
      tag = p.declareTag('enum', name);
      p.warning(p.rangeFrom(kw), `ISO C forbids forward references to 'enum' types`);
    }
    if (tag.kind !== 'enum') p.errorAt(kw, `'${name}' defined as wrong kind of tag`);
    return { kind: 'enum', tag };
  }
  let tag = name !== undefined ? p.scope.tags.get(name) : undefined;
  if (tag && tag.complete) p.errorAt(kw, `redefinition of 'enum ${name}'`);
  if (!tag || tag.complete) tag = p.declareTag('enum', name);
  if (nameTok) p.recordDeclaration('tag', nameTok, true, tag);
  p.expect('{');
  let next = 0n;
  while (!p.is('}')) {
    const idTok = p.next();
    if (idTok.kind !== 'identifier') {
      p.errorAt(idTok, `expected an enumerator name before ${describeToken(idTok)}`);
      throw new ParseAbort();
    }
    parseAttributes(p);
    if (p.accept('=')) {
      const e = parseAssignment(p);
      const v = constantValue(e);
      if (v === undefined) p.errorAt(idTok, `enumerator value for '${idTok.text}' is not an integer constant`);
      else next = v;
    }
    const type = next >= -(2n ** 31n) && next < 2n ** 31n ? INT : next >= 0n && next < 2n ** 32n ? UINT : next < 0n ? LONG : ULONG;
    if (p.scope.ordinary.has(idTok.text)) p.errorAt(idTok, `redeclaration of '${idTok.text}'`);
    p.scope.ordinary.set(idTok.text, { kind: 'enum-constant', name: idTok.text, value: next, type });
    tag.enumerators.push({ name: idTok.text, value: next });
    p.recordDeclaration('enumerator', idTok, true, tag);
    next++;
    if (!p.accept(',')) break;
  }
  p.expect('}');
  parseAttributes(p);
  tag.complete = true;
  const t: EnumType = { kind: 'enum', tag };
  tag.size = sizeOf(asInt(t));
  tag.align = tag.size;
  return t;
}

