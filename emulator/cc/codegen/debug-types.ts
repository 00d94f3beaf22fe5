// C types as debug-information records (one table per module, shared by
// every function and variable that refers to a type).

import type { DebugType, TypeRef } from '../object';
import { asInt, INT_NAMES, isSigned, type Tag, type Type } from '../types';

export class DebugTypeTable {
  readonly types: DebugType[] = [];
  private readonly byKey = new Map<string, TypeRef>();
  private readonly byTag = new Map<Tag, TypeRef>();

  ref(t: Type): TypeRef {
    if (t.typedefName) {
      const inner = this.ref({ ...t, typedefName: undefined } as Type);
      return this.intern(`typedef:${t.typedefName}:${inner}`, { kind: 'typedef', name: t.typedefName, type: inner });
    }
    if (t.const || t.volatile) {
      const inner = this.ref({ ...t, const: undefined, volatile: undefined } as Type);
      return this.intern(`q:${inner}:${!!t.const}:${!!t.volatile}`, { kind: 'qualified', type: inner, const: !!t.const, volatile: !!t.volatile });
    }
    switch (t.kind) {
      case 'void':
        return this.intern('void', { kind: 'void' });
      case 'int':
        return this.intern(`int:${t.int}`, { kind: 'int', name: INT_NAMES[t.int], size: { bool: 1, char: 1, schar: 1, uchar: 1, short: 2, ushort: 2, int: 4, uint: 4, long: 8, ulong: 8, llong: 8, ullong: 8 }[t.int], signed: isSigned(t), ...(t.int === 'bool' ? { bool: true } : {}) });
      case 'float':
        return this.intern(`float:${t.size}`, { kind: 'float', name: t.size === 4 ? 'float' : 'double', size: t.size });
      case 'pointer': {
        const to = this.ref(t.to);
        return this.intern(`ptr:${to}`, { kind: 'pointer', to });
      }
      case 'array': {
        const of = this.ref(t.of);
        return this.intern(`arr:${of}:${t.length}`, { kind: 'array', of, length: t.length ?? null });
      }
      case 'function': {
        const returns = this.ref(t.returns);
        const params = t.params.map((p) => this.ref(p.type));
        return this.intern(`fn:${returns}:${params.join(',')}:${t.variadic}`, { kind: 'function', returns, params, variadic: t.variadic });
      }
      case 'struct':
      case 'union':
      case 'enum':
        return this.tag(t.tag, t);
    }
  }

  private tag(tag: Tag, t: Type): TypeRef {
    const existing = this.byTag.get(tag);
    if (existing !== undefined) return existing;
    // Reserve the slot first: a struct may point to itself.
    const index = this.types.length;
    this.types.push({ kind: 'void' });
    this.byTag.set(tag, index);
    if (tag.kind === 'enum') {
      const u = asInt(t as import('../types').EnumType);
      this.types[index] = { kind: 'enum', name: tag.name ?? null, size: tag.size || 4, signed: isSigned(u), enumerators: tag.enumerators.map((e) => ({ name: e.name, value: e.value.toString() })) };
    } else {
      const fields = tag.fields.map((f) => ({
        name: f.name ?? null,
        type: this.ref(f.type),
        offset: f.offset,
        ...(f.bitWidth !== undefined ? { bitWidth: f.bitWidth, bitOffset: f.bitOffset! } : {}),
      }));
      this.types[index] = { kind: tag.kind, name: tag.name ?? null, size: tag.size, align: tag.align, complete: tag.complete, fields };
    }
    return index;
  }

  private intern(key: string, d: DebugType): TypeRef {
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    this.types.push(d);
    this.byKey.set(key, this.types.length - 1);
    return this.types.length - 1;
  }
}
