// C types as the debugger sees them: the image's per-unit debug types
// (emulator/machine/image/image-debug-info.ts) turned into an object graph
// (so a struct that points to itself is one object), with their sizes and
// C spellings ("x86_64_pagetable *", "physical_pageinfo [512]").

import type { ImageDebugType, ImageDebugUnit, ImageTypeRef } from '../../machine/image/image-debug-info';

export interface CField {
  readonly name: string | null;
  readonly type: CType;
  readonly offset: number;
  readonly bitWidth?: number;
  readonly bitOffset?: number;
}

export type CType =
  | { readonly kind: 'void' }
  | { readonly kind: 'int'; readonly name: string; readonly size: number; readonly signed: boolean; readonly bool?: boolean }
  | { readonly kind: 'float'; readonly name: string; readonly size: number }
  | { readonly kind: 'pointer'; readonly to: CType }
  | { readonly kind: 'array'; readonly of: CType; readonly length: number | null }
  | { readonly kind: 'function'; readonly returns: CType; readonly params: readonly CType[]; readonly variadic: boolean }
  | { readonly kind: 'struct' | 'union'; readonly name: string | null; readonly size: number; readonly align: number; readonly complete: boolean; readonly fields: readonly CField[] }
  | { readonly kind: 'enum'; readonly name: string | null; readonly size: number; readonly signed: boolean; readonly enumerators: readonly { readonly name: string; readonly value: bigint }[] }
  | { readonly kind: 'typedef'; readonly name: string; readonly type: CType }
  | { readonly kind: 'qualified'; readonly type: CType; readonly const: boolean; readonly volatile: boolean };

export type IntCType = Extract<CType, { kind: 'int' }>;

export const VOID: CType = { kind: 'void' };
export const INT: IntCType = { kind: 'int', name: 'int', size: 4, signed: true };
export const UINT: IntCType = { kind: 'int', name: 'unsigned int', size: 4, signed: false };
export const LONG: IntCType = { kind: 'int', name: 'long', size: 8, signed: true };
export const ULONG: IntCType = { kind: 'int', name: 'unsigned long', size: 8, signed: false };
export const CHAR: IntCType = { kind: 'int', name: 'char', size: 1, signed: true };
export const BOOL: IntCType = { kind: 'int', name: '_Bool', size: 1, signed: false, bool: true };

/** The basic types by their spellings' canonical names (C11 6.7.2). */
export const BASIC_TYPES: ReadonlyMap<string, CType> = new Map<string, CType>([
  ['void', VOID],
  ['char', CHAR],
  ['signed char', { kind: 'int', name: 'signed char', size: 1, signed: true }],
  ['unsigned char', { kind: 'int', name: 'unsigned char', size: 1, signed: false }],
  ['short', { kind: 'int', name: 'short', size: 2, signed: true }],
  ['unsigned short', { kind: 'int', name: 'unsigned short', size: 2, signed: false }],
  ['int', INT],
  ['unsigned int', UINT],
  ['long', LONG],
  ['unsigned long', ULONG],
  ['long long', { kind: 'int', name: 'long long', size: 8, signed: true }],
  ['unsigned long long', { kind: 'int', name: 'unsigned long long', size: 8, signed: false }],
  ['_Bool', BOOL],
]);

const converted = new WeakMap<ImageDebugUnit, Map<ImageTypeRef, CType>>();

/** The type `ref` of `unit` as a CType (memoized per unit; cycles through pointers are shared objects). */
export function unitType(unit: ImageDebugUnit, ref: ImageTypeRef): CType {
  let memo = converted.get(unit);
  if (!memo) {
    memo = new Map();
    converted.set(unit, memo);
  }
  return convert(unit, ref, memo, 0);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function convert(unit: ImageDebugUnit, ref: ImageTypeRef, memo: Map<ImageTypeRef, CType>, depth: number): CType {
  const known = memo.get(ref);
  if (known) return known;
  const t: ImageDebugType | undefined = unit.types[ref];
  if (!t || depth > 200) return VOID;
  const sub = (r: ImageTypeRef): CType => convert(unit, r, memo, depth + 1);
  switch (t.kind) {
    case 'void':
      memo.set(ref, VOID);
      return VOID;
    case 'int':
    case 'float': {
      const c: CType = { ...t };
      memo.set(ref, c);
      return c;
    }
    case 'pointer': {
      const c = { kind: 'pointer', to: VOID } as Mutable<Extract<CType, { kind: 'pointer' }>>;
      memo.set(ref, c);
      c.to = sub(t.to);
      return c;
    }
    case 'array': {
      const c = { kind: 'array', of: VOID, length: t.length } as Mutable<Extract<CType, { kind: 'array' }>>;
      memo.set(ref, c);
      c.of = sub(t.of);
      return c;
    }
    case 'function': {
      const c = { kind: 'function', returns: VOID, params: [], variadic: t.variadic } as Mutable<Extract<CType, { kind: 'function' }>>;
      memo.set(ref, c);
      c.returns = sub(t.returns);
      c.params = t.params.map(sub);
      return c;
    }
    case 'struct':
    case 'union': {
      const c = { kind: t.kind, name: t.name, size: t.size, align: t.align, complete: t.complete, fields: [] } as Mutable<Extract<CType, { kind: 'struct' | 'union' }>>;
      memo.set(ref, c);
      c.fields = t.fields.map((f) => ({
        name: f.name, type: sub(f.type), offset: f.offset,
        ...(f.bitWidth !== undefined ? { bitWidth: f.bitWidth, bitOffset: f.bitOffset ?? 0 } : {}),
      }));
      return c;
    }
    case 'enum': {
      const c: CType = { kind: 'enum', name: t.name, size: t.size, signed: t.signed, enumerators: t.enumerators.map((e) => ({ name: e.name, value: BigInt(e.value) })) };
      memo.set(ref, c);
      return c;
    }
    case 'typedef': {
      const c = { kind: 'typedef', name: t.name, type: VOID } as Mutable<Extract<CType, { kind: 'typedef' }>>;
      memo.set(ref, c);
      c.type = sub(t.type);
      return c;
    }
    case 'qualified': {
      const c = { kind: 'qualified', type: VOID, const: t.const, volatile: t.volatile } as Mutable<Extract<CType, { kind: 'qualified' }>>;
      memo.set(ref, c);
      c.type = sub(t.type);
      return c;
    }
  }
}

/** The type with typedefs and qualifiers removed. */
export function strip(t: CType): Exclude<CType, { kind: 'typedef' | 'qualified' }> {
  let u = t;
  for (let i = 0; i < 64 && (u.kind === 'typedef' || u.kind === 'qualified'); i++) u = u.type;
  return u as Exclude<CType, { kind: 'typedef' | 'qualified' }>;
}

/** sizeof, as gcc computes it (void and functions: 1). */
export function sizeOf(t: CType): number {
  const s = strip(t);
  switch (s.kind) {
    case 'void':
    case 'function':
      return 1;
    case 'int':
    case 'float':
    case 'enum':
    case 'struct':
    case 'union':
      return s.size;
    case 'pointer':
      return 8;
    case 'array':
      return (s.length ?? 0) * sizeOf(s.of);
    default:
      return 0;
  }
}

/** True for integer, enum and pointer types: values held in at most 8 bytes. */
export function isScalar(t: CType): boolean {
  const k = strip(t).kind;
  return k === 'int' || k === 'enum' || k === 'pointer';
}

export function isInteger(t: CType): boolean {
  const k = strip(t).kind;
  return k === 'int' || k === 'enum';
}

/** Signedness of an integer-like type (pointers are unsigned). */
export function isSigned(t: CType): boolean {
  const s = strip(t);
  return (s.kind === 'int' || s.kind === 'enum') && s.signed && !(s.kind === 'int' && s.bool);
}

/** The C spelling of a type, with `inner` as the declarator ("proc *", "int (*)(void)"). */
export function typeName(t: CType, inner = ''): string {
  const join = (base: string): string => (inner ? `${base} ${inner}` : base);
  switch (t.kind) {
    case 'void':
      return join('void');
    case 'int':
    case 'float':
      return join(t.name);
    case 'typedef':
      return join(t.name);
    case 'struct':
    case 'union':
      return join(`${t.kind} ${t.name ?? '<anonymous>'}`);
    case 'enum':
      return join(`enum ${t.name ?? '<anonymous>'}`);
    case 'qualified':
      return typeName(t.type, inner).replace(/^/, `${t.const ? 'const ' : ''}${t.volatile ? 'volatile ' : ''}`);
    case 'pointer': {
      const target = strip(t.to).kind;
      const star = target === 'array' || target === 'function' ? `(*${inner})` : `*${inner}`;
      return typeName(t.to, star);
    }
    case 'array':
      return typeName(t.of, `${inner}[${t.length ?? ''}]`);
    case 'function':
      return typeName(t.returns, `${inner}(${t.params.length === 0 ? 'void' : t.params.map((p) => typeName(p)).join(', ')}${t.variadic ? ', ...' : ''})`);
  }
}

/** A member of a struct or union by name, looking through anonymous members; offsets summed. */
export function findField(t: CType, name: string): CField | undefined {
  const s = strip(t);
  if (s.kind !== 'struct' && s.kind !== 'union') return undefined;
  for (const f of s.fields) {
    if (f.name === name) return f;
    if (f.name === null) {
      const inner = findField(f.type, name);
      if (inner) return { ...inner, offset: f.offset + inner.offset };
    }
  }
  return undefined;
}

/** The named members of a struct or union, anonymous members flattened. */
export function namedFields(t: CType): CField[] {
  const s = strip(t);
  if (s.kind !== 'struct' && s.kind !== 'union') return [];
  return s.fields.flatMap((f) => (f.name !== null ? [f] : namedFields(f.type).map((g) => ({ ...g, offset: f.offset + g.offset }))));
}
