// C types with gcc's x86-64 System V (LP64) sizes, alignments and layouts.
//
// A Type is an immutable value, except that a struct/union/enum shares one
// mutable `Tag` record so that a forward-declared `struct proc` becomes
// complete everywhere once its definition is seen (C11 6.7.2.3).

export type IntKind = 'bool' | 'char' | 'schar' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint' | 'long' | 'ulong' | 'llong' | 'ullong';

export interface Qualifiers {
  readonly const?: boolean;
  readonly volatile?: boolean;
}

interface TypeBase extends Qualifiers {
  /** The typedef name this type was spelled with, if any (debug information and messages only). */
  readonly typedefName?: string;
}

export interface VoidType extends TypeBase {
  readonly kind: 'void';
}
export interface IntType extends TypeBase {
  readonly kind: 'int';
  readonly int: IntKind;
}
/** float and double are IEEE binary32/binary64; long double is rejected by the checker. */
export interface FloatType extends TypeBase {
  readonly kind: 'float';
  readonly size: 4 | 8;
}
export interface PointerType extends TypeBase {
  readonly kind: 'pointer';
  readonly to: Type;
}
export interface ArrayType extends TypeBase {
  readonly kind: 'array';
  readonly of: Type;
  /** undefined for an incomplete array (`int a[]`, a flexible array member). */
  readonly length: number | undefined;
}
export interface Param {
  readonly name: string | undefined;
  readonly type: Type;
}
export interface FunctionType extends TypeBase {
  readonly kind: 'function';
  readonly returns: Type;
  readonly params: readonly Param[];
  readonly variadic: boolean;
  /** `int f()`: no prototype, arguments undergo default promotions. */
  readonly unprototyped: boolean;
}
export interface RecordType extends TypeBase {
  readonly kind: 'struct' | 'union';
  readonly tag: Tag;
}
export interface EnumType extends TypeBase {
  readonly kind: 'enum';
  readonly tag: Tag;
}
export type Type = VoidType | IntType | FloatType | PointerType | ArrayType | FunctionType | RecordType | EnumType;

export interface Field {
  /** undefined for an unnamed bit-field or an anonymous struct/union member. */
  readonly name: string | undefined;
  readonly type: Type;
  /** Byte offset of the field, or of the storage unit holding a bit-field. */
  readonly offset: number;
  /** For bit-fields: width in bits and the bit offset within the unit read at `offset` (of the field's type's size). */
  readonly bitWidth?: number;
  readonly bitOffset?: number;
}

/** The shared, completable description of a struct, union or enum. */
export interface Tag {
  readonly kind: 'struct' | 'union' | 'enum';
  readonly name: string | undefined;
  complete: boolean;
  size: number;
  align: number;
  fields: Field[];
  /** For enums: the enumerators, in order. */
  enumerators: { name: string; value: bigint }[];
  /** Unique id, for debug information. */
  readonly id: number;
}

/**
 * The largest object the compiler accepts (2 GiB - 1): far more than the
 * machine's RAM, and small enough that sizes stay exact JS numbers and a
 * mistyped array size is reported instead of exhausting memory.
 */
export const MAX_OBJECT_SIZE = 0x7fffffff;

let nextTagId = 1;
export function newTag(kind: Tag['kind'], name: string | undefined): Tag {
  return { kind, name, complete: false, size: 0, align: 1, fields: [], enumerators: [], id: nextTagId++ };
}

export const INT_SIZES: Readonly<Record<IntKind, number>> = {
  bool: 1, char: 1, schar: 1, uchar: 1, short: 2, ushort: 2, int: 4, uint: 4, long: 8, ulong: 8, llong: 8, ullong: 8,
};
const SIGNED: Readonly<Record<IntKind, boolean>> = {
  bool: false, char: true, schar: true, uchar: false, short: true, ushort: false, int: true, uint: false, long: true, ulong: false, llong: true, ullong: false,
};
/** Integer conversion rank (C11 6.3.1.1). */
const RANK: Readonly<Record<IntKind, number>> = {
  bool: 0, char: 1, schar: 1, uchar: 1, short: 2, ushort: 2, int: 3, uint: 3, long: 4, ulong: 4, llong: 5, ullong: 5,
};
export const INT_NAMES: Readonly<Record<IntKind, string>> = {
  bool: '_Bool', char: 'char', schar: 'signed char', uchar: 'unsigned char', short: 'short', ushort: 'unsigned short',
  int: 'int', uint: 'unsigned int', long: 'long', ulong: 'unsigned long', llong: 'long long', ullong: 'unsigned long long',
};

export const VOID: VoidType = { kind: 'void' };
export const int = (k: IntKind): IntType => ({ kind: 'int', int: k });
export const BOOL = int('bool');
export const CHAR = int('char');
export const UCHAR = int('uchar');
export const SHORT = int('short');
export const INT = int('int');
export const UINT = int('uint');
export const LONG = int('long');
export const ULONG = int('ulong');
export const DOUBLE: FloatType = { kind: 'float', size: 8 };
export const FLOAT: FloatType = { kind: 'float', size: 4 };
export const pointerTo = (to: Type): PointerType => ({ kind: 'pointer', to });
export const arrayOf = (of: Type, length: number | undefined): ArrayType => ({ kind: 'array', of, length });
/** size_t and ptrdiff_t on x86-64. */
export const SIZE_T = ULONG;
export const PTRDIFF_T = LONG;

export const isSigned = (t: IntType): boolean => SIGNED[t.int];
export const rank = (t: IntType): number => RANK[t.int];
export const isInteger = (t: Type): t is IntType | EnumType => t.kind === 'int' || t.kind === 'enum';
export const isArithmetic = (t: Type): boolean => isInteger(t) || t.kind === 'float';
export const isScalar = (t: Type): boolean => isArithmetic(t) || t.kind === 'pointer';
export const isRecord = (t: Type): t is RecordType => t.kind === 'struct' || t.kind === 'union';

/** The integer type an enum behaves as: gcc uses unsigned int unless a value is negative, widening to 64 bits as needed. */
export function enumUnderlying(t: EnumType): IntType {
  const vals = t.tag.enumerators.map((e) => e.value);
  const neg = vals.some((v) => v < 0n);
  const fits32 = vals.every((v) => (neg ? v >= -(2n ** 31n) && v < 2n ** 31n : v < 2n ** 32n));
  if (fits32) return neg ? INT : UINT;
  return neg ? LONG : ULONG;
}

/** The integer view of an integer or enum type. */
export function asInt(t: IntType | EnumType): IntType {
  return t.kind === 'enum' ? enumUnderlying(t) : t;
}

export function sizeOf(t: Type): number {
  switch (t.kind) {
    case 'void':
      return 1; // GNU: sizeof(void) == 1, so void* arithmetic works
    case 'int':
      return INT_SIZES[t.int];
    case 'float':
      return t.size;
    case 'pointer':
      return 8;
    case 'array':
      return (t.length ?? 0) * sizeOf(t.of);
    case 'function':
      return 1; // GNU
    case 'struct':
    case 'union':
      return t.tag.size;
    case 'enum':
      return t.tag.complete ? sizeOf(enumUnderlying(t)) : 4;
  }
}

export function alignOf(t: Type): number {
  switch (t.kind) {
    case 'array':
      return alignOf(t.of);
    case 'struct':
    case 'union':
      return t.tag.align;
    case 'void':
    case 'function':
      return 1;
    default:
      return sizeOf(t);
  }
}

/** True for object types whose size is known (C11 6.2.5). */
export function isComplete(t: Type): boolean {
  switch (t.kind) {
    case 'void':
      return false;
    case 'array':
      return t.length !== undefined && isComplete(t.of);
    case 'struct':
    case 'union':
    case 'enum':
      return t.tag.complete;
    default:
      return true;
  }
}

/** The type without qualifiers or typedef spelling. */
export function unqualified<T extends Type>(t: T): T {
  if (!t.const && !t.volatile && !t.typedefName) return t;
  const { const: _c, volatile: _v, typedefName: _n, ...rest } = t;
  return rest as unknown as T;
}

export function qualified<T extends Type>(t: T, q: Qualifiers): T {
  if (!q.const && !q.volatile) return t;
  return { ...t, ...(q.const ? { const: true } : {}), ...(q.volatile ? { volatile: true } : {}) };
}

/** C11 6.2.7 compatibility, simplified to what kernels need: same structure, ignoring top-level qualifiers. */
export function compatible(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) {
    // An enum is compatible with its underlying integer type.
    if (a.kind === 'enum' && b.kind === 'int') return enumUnderlying(a).int === b.int;
    if (a.kind === 'int' && b.kind === 'enum') return compatible(b, a);
    return false;
  }
  switch (a.kind) {
    case 'int':
      return a.int === (b as IntType).int;
    case 'float':
      return a.size === (b as FloatType).size;
    case 'pointer':
      return compatible(a.to, (b as PointerType).to) && !!a.to.const === !!(b as PointerType).to.const;
    case 'array': {
      const bb = b as ArrayType;
      return compatible(a.of, bb.of) && (a.length === undefined || bb.length === undefined || a.length === bb.length);
    }
    case 'function': {
      const bb = b as FunctionType;
      if (!compatible(a.returns, bb.returns)) return false;
      if (a.unprototyped || bb.unprototyped) return true;
      return a.variadic === bb.variadic && a.params.length === bb.params.length && a.params.every((p, i) => compatible(unqualified(p.type), unqualified(bb.params[i]!.type)));
    }
    case 'struct':
    case 'union':
    case 'enum':
      return a.tag === (b as RecordType | EnumType).tag;
    default:
      return true;
  }
}

/** Spells a type as C would, for messages: "struct proc *", "int [512]", "void (*)(int)". */
export function typeName(t: Type): string {
  return spell(t, '').trim();
}

function quals(t: Type): string {
  return (t.const ? 'const ' : '') + (t.volatile ? 'volatile ' : '');
}

function spell(t: Type, inner: string): string {
  if (t.typedefName) return `${quals(t)}${t.typedefName}${inner ? ' ' + inner : ''}`;
  switch (t.kind) {
    case 'void':
      return `${quals(t)}void${inner ? ' ' + inner : ''}`;
    case 'int':
      return `${quals(t)}${INT_NAMES[t.int]}${inner ? ' ' + inner : ''}`;
    case 'float':
      return `${quals(t)}${t.size === 4 ? 'float' : 'double'}${inner ? ' ' + inner : ''}`;
    case 'struct':
    case 'union':
    case 'enum':
      return `${quals(t)}${t.kind} ${t.tag.name ?? '<anonymous>'}${inner ? ' ' + inner : ''}`;
    case 'pointer': {
      const q = t.const ? ' const' : '';
      const needParens = t.to.kind === 'array' || t.to.kind === 'function';
      const star = `*${q}${inner ? (q ? ' ' : '') + inner : ''}`;
      return spell(t.to, needParens ? `(${star})` : star);
    }
    case 'array':
      return spell(t.of, `${inner}[${t.length ?? ''}]`);
    case 'function': {
      const ps = t.params.map((p) => typeName(p.type));
      if (t.variadic) ps.push('...');
      const list = ps.length ? ps.join(', ') : t.unprototyped ? '' : 'void';
      return spell(t.returns, `${inner}(${list})`);
    }
  }
}
