// Struct and union layout as gcc does it on x86-64 (System V psABI 3.1.2,
// "Aggregates and Unions", and gcc's bit-field rules):
// - a member goes at the next offset that is a multiple of its alignment;
// - a bit-field goes at the current bit position unless it would straddle a
//   storage unit of its declared type (aligned to that type's size), in
//   which case it starts the next unit; a zero-width bit-field ends the unit;
// - unnamed bit-fields do not raise the record's alignment;
// - `packed` makes every member byte-aligned and bit-fields fully packed;
//   `aligned(n)` on a member or on the record raises the alignment;
// - the size is rounded up to the record's alignment.

import { alignOf, isSigned, sizeOf, type Field, type Tag, type Type } from './types';

export interface MemberDecl {
  readonly name: string | undefined;
  readonly type: Type;
  readonly bitWidth?: number;
  /** `__attribute__((aligned(n)))` on the member. */
  readonly alignAttr?: number;
  /** `__attribute__((packed))` on the member. */
  readonly packed?: boolean;
}

export interface RecordAttributes {
  readonly packed?: boolean;
  readonly alignAttr?: number;
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Fills in `tag` (fields, size, alignment) and marks it complete. */
export function layoutRecord(tag: Tag, members: readonly MemberDecl[], attrs: RecordAttributes = {}): void {
  const fields: Field[] = [];
  let align = 1;
  let bit = 0; // current position in bits (struct) or the union's largest member (union)
  let unionSize = 0;
  for (const m of members) {
    const packed = attrs.packed || m.packed;
    const typeAlign = packed ? 1 : alignOf(m.type);
    const memberAlign = Math.max(typeAlign, m.alignAttr ?? 1);
    const unitBits = sizeOf(m.type) * 8;
    if (m.bitWidth !== undefined) {
      const w = m.bitWidth;
      if (tag.kind === 'union') {
        if (m.name !== undefined) align = Math.max(align, memberAlign);
        fields.push({ name: m.name, type: m.type, offset: 0, bitWidth: w, bitOffset: 0 });
        unionSize = Math.max(unionSize, Math.ceil(w / 8));
        continue;
      }
      if (w === 0) {
        bit = roundUp(bit, alignOf(m.type) * 8);
        continue;
      }
      if (!packed && Math.floor(bit / unitBits) !== Math.floor((bit + w - 1) / unitBits)) bit = roundUp(bit, unitBits);
      // The unit the field is read from: its type's size, aligned down (byte-aligned when packed).
      const unitBytes = packed ? 1 : sizeOf(m.type);
      let offset = Math.floor(bit / 8 / unitBytes) * unitBytes;
      let type = m.type;
      // A packed field must still fit in one read of its type's size.
      if (packed && bit - offset * 8 + w > unitBits) offset = Math.floor(bit / 8);
      if (bit - offset * 8 + w > unitBits) {
        // A packed field can straddle its type's size (`char c : 6` at bit 5): read it through a
        // wider integer of the same signedness, ending where the field ends. It promotes as before
        // (narrower than int: to int; 32 bits: by signedness). Wider than 8 bytes: see checkBitFieldUnits.
        type = widerUnit(m.type, bit - offset * 8 + w);
        const lastByte = Math.floor((bit + w - 1) / 8);
        offset = Math.max(0, Math.min(offset, lastByte + 1 - sizeOf(type)));
      }
      fields.push({ name: m.name, type, offset, bitWidth: w, bitOffset: bit - offset * 8 });
      bit += w;
      if (m.name !== undefined) align = Math.max(align, memberAlign);
      continue;
    }
    align = Math.max(align, memberAlign);
    if (tag.kind === 'union') {
      fields.push({ name: m.name, type: m.type, offset: 0 });
      unionSize = Math.max(unionSize, sizeOf(m.type));
      continue;
    }
    bit = roundUp(bit, memberAlign * 8);
    fields.push({ name: m.name, type: m.type, offset: bit / 8 });
    bit += sizeOf(m.type) * 8;
  }
  align = Math.max(align, attrs.alignAttr ?? 1);
  const rawSize = tag.kind === 'union' ? unionSize : Math.ceil(bit / 8);
  tag.fields = fields;
  tag.align = align;
  tag.size = roundUp(rawSize, align);
  tag.complete = true;
}

/** The smallest integer type (2, 4 or 8 bytes) of `t`'s signedness holding `bits`; `t` itself if none does. */
function widerUnit(t: Type, bits: number): Type {
  const signed = t.kind === 'int' && isSigned(t);
  for (const [size, k] of [[2, signed ? 'short' : 'ushort'], [4, signed ? 'int' : 'uint'], [8, signed ? 'long' : 'ulong']] as const) {
    if (size * 8 >= bits && size > sizeOf(t)) return { kind: 'int', int: k };
  }
  return t;
}

/** Fields no single load of up to 8 bytes can reach (a packed `long x : 60` starting mid-byte). */
export function unreachableBitFields(tag: Tag): Field[] {
  return tag.fields.filter((f) => f.name !== undefined && f.bitWidth !== undefined && f.bitOffset! + f.bitWidth > sizeOf(f.type) * 8);
}

/** A field reached by name, looking through anonymous struct/union members; offsets accumulate. */
export interface FieldPath {
  readonly field: Field;
  readonly offset: number;
}

export function findField(tag: Tag, name: string): FieldPath | undefined {
  for (const f of tag.fields) {
    if (f.name === name) return { field: f, offset: f.offset };
    if (f.name === undefined && f.bitWidth === undefined && (f.type.kind === 'struct' || f.type.kind === 'union')) {
      const inner = findField(f.type.tag, name);
      if (inner) return { field: inner.field, offset: f.offset + inner.offset };
    }
  }
  return undefined;
}
