// Values known at link time, for initializers of objects with static storage
// duration (C11 6.6p7-9): arithmetic constants and address constants (the
// address of a static object, function or string literal, plus or minus an
// integer constant). The parser uses this to reject non-constant static
// initializers; the code generator uses it to emit bytes and relocations.

import type { Expr, SymbolRef } from './ast';
import { asInt, sizeOf, type IntType } from './types';
import { wrap } from './parse/fold';

export type StaticTarget = { readonly kind: 'symbol'; readonly symbol: SymbolRef } | { readonly kind: 'string'; readonly id: number };

export type StaticValue =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'address'; readonly target: StaticTarget; readonly addend: number };

export function staticValue(e: Expr): StaticValue | undefined {
  switch (e.kind) {
    case 'int':
      return { kind: 'int', value: e.value };
    case 'float':
      return { kind: 'float', value: e.value };
    case 'string':
      return { kind: 'address', target: { kind: 'string', id: e.id }, addend: 0 };
    case 'addr':
      return addressOf(e.operand);
    case 'symbol':
      // A function designator decays to its address.
      return e.symbol.kind === 'function' ? { kind: 'address', target: { kind: 'symbol', symbol: e.symbol }, addend: 0 } : undefined;
    case 'cast': {
      const v = staticValue(e.operand);
      if (!v) return undefined;
      if (e.type.kind === 'int' || e.type.kind === 'enum') {
        if (v.kind === 'int') return { kind: 'int', value: wrap(v.value, asInt(e.type as IntType)) };
        if (v.kind === 'float') return { kind: 'int', value: wrap(BigInt(Math.trunc(v.value)), asInt(e.type as IntType)) };
        // An address is never null: as a _Bool it is 1. Otherwise it survives only a cast to a 64-bit integer type.
        if (e.type.kind === 'int' && e.type.int === 'bool') return { kind: 'int', value: 1n };
        return sizeOf(e.type) === 8 ? v : undefined;
      }
      if (e.type.kind === 'pointer') return v.kind === 'float' ? undefined : v;
      if (e.type.kind === 'float') return v.kind === 'int' ? { kind: 'float', value: Number(v.value) } : v.kind === 'float' ? v : undefined;
      return undefined;
    }
    case 'ptr-add': {
      const base = staticValue(e.pointer);
      const idx = staticValue(e.index);
      if (!base || !idx || idx.kind !== 'int') return undefined;
      if (base.kind === 'address') return { ...base, addend: base.addend + Number(idx.value) * e.elementSize };
      if (base.kind === 'int') return { kind: 'int', value: base.value + idx.value * BigInt(e.elementSize) };
      return undefined;
    }
    case 'binary': {
      if (e.op !== '+' && e.op !== '-') return undefined;
      const l = staticValue(e.left);
      const r = staticValue(e.right);
      if (l?.kind === 'address' && r?.kind === 'int') return { ...l, addend: l.addend + (e.op === '+' ? 1 : -1) * Number(r.value) };
      if (e.op === '+' && r?.kind === 'address' && l?.kind === 'int') return { ...r, addend: r.addend + Number(l.value) };
      return undefined;
    }
    case 'cond': {
      const c = staticValue(e.cond);
      if (c?.kind !== 'int') return undefined;
      return staticValue(c.value !== 0n ? e.then : e.otherwise);
    }
    default:
      return undefined;
  }
}

/** The address of an lvalue with static storage, if it is a link-time constant. */
function addressOf(e: Expr): StaticValue | undefined {
  switch (e.kind) {
    case 'symbol':
      if (e.symbol.kind === 'function' || e.symbol.storage === 'static' || e.symbol.storage === 'global' || e.symbol.storage === 'extern') {
        return { kind: 'address', target: { kind: 'symbol', symbol: e.symbol }, addend: 0 };
      }
      return undefined;
    case 'string':
      return { kind: 'address', target: { kind: 'string', id: e.id }, addend: 0 };
    case 'compound-literal':
      return e.object.storage === 'static' ? { kind: 'address', target: { kind: 'symbol', symbol: e.object }, addend: 0 } : undefined;
    case 'member': {
      const base = addressOf(e.object);
      if (base?.kind === 'address') return { ...base, addend: base.addend + e.offset };
      // `&((struct s *)0)->m`, the classic offsetof: an integer address plus the member's offset.
      if (base?.kind === 'int') return { kind: 'int', value: base.value + BigInt(e.offset) };
      return undefined;
    }
    case 'deref':
      return staticValue(e.pointer);
    default:
      return undefined;
  }
}
