// Values shown as a C debugger shows them: integers in decimal (hex for
// addresses: pointers, uintptr_t, page entries), plain chars with their
// character, bools as true/false, enums by name, pointers with the symbol
// they point into, structs and arrays as a short {...} preview.

import { hex } from '../../machine/hex';
import { readSpace } from './address-space';
import { namedFields, sizeOf, strip, type CType } from './c-types';
import { EvalError, scalarOf, toAddress, type CValue } from './c-value';
import type { InspectBuild } from './frame-context';
import { symbolize } from './images';
import type { LinkedImage } from '../../cc/link/link';

const HEX_TYPEDEFS = new Set(['uintptr_t', 'x86_64_pageentry_t', 'pageentry_t']);
const PREVIEW = 160;

/** True when the type, through its typedef chain, names an address-like integer. */
export function showsAsHex(t: CType): boolean {
  let u: CType = t;
  for (let i = 0; i < 16; i++) {
    if (u.kind === 'typedef') {
      if (HEX_TYPEDEFS.has(u.name)) return true;
      u = u.type;
    } else if (u.kind === 'qualified') {
      u = u.type;
    } else {
      return false;
    }
  }
  return false;
}

function isPlainChar(t: CType): boolean {
  let u: CType = t;
  while (u.kind === 'qualified') u = u.type;
  return u.kind === 'int' && u.size === 1 && !u.bool && /char$/.test(u.name);
}

export function charText(c: number): string {
  const map: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' };
  if (map[c] !== undefined) return map[c]!;
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  return '\\' + c.toString(8).padStart(3, '0');
}

/** A scalar value's text. */
export function formatScalar(t: CType, v: bigint, build?: InspectBuild, image?: LinkedImage): string {
  const s = strip(t);
  if (s.kind === 'int' && s.bool) return v !== 0n ? 'true' : 'false';
  if (s.kind === 'enum') {
    const e = s.enumerators.find((x) => x.value === v);
    return e ? e.name : v.toString();
  }
  if (s.kind === 'pointer') {
    const address = toAddress(v);
    if (v === 0n) return '0x0';
    const sym = build ? symbolize(build, address, image) : undefined;
    return sym ? `${hex(address)} <${sym}>` : hex(address);
  }
  if (showsAsHex(t)) return '0x' + BigInt.asUintN(sizeOf(t) * 8, v).toString(16);
  if (isPlainChar(t)) return `${v} '${charText(Number(BigInt.asUintN(8, v)))}'`;
  return v.toString();
}

/** A C string at `v` in the value's address space, for char pointers: `"text"` (up to 64 characters). */
function stringAt(v: CValue, address: number): string | undefined {
  const loc = v.loc;
  if (!loc || loc.kind !== 'memory') return undefined;
  const r = readSpace(loc.machine, loc.space, address, 64);
  let s = '';
  for (const b of r.bytes) {
    if (b === 0) return `"${s}"`;
    s += charText(b).replace('"', '\\"');
  }
  return r.bytes.length === 64 ? `"${s}"...` : undefined;
}

/** The text of any value (loads it; read errors become `<...>`). */
export function formatValue(v: CValue, build?: InspectBuild, image?: LinkedImage, depth = 0): string {
  try {
    return format(v, build, image, depth);
  } catch (e) {
    if (e instanceof EvalError) return `<${e.message}>`;
    throw e;
  }
}

function format(v: CValue, build: InspectBuild | undefined, image: LinkedImage | undefined, depth: number): string {
  const s = strip(v.type);
  switch (s.kind) {
    case 'void':
      return 'void';
    case 'function':
      return v.bits !== undefined ? formatScalar({ kind: 'pointer', to: v.type }, v.bits, build, image) : '<function>';
    case 'float':
      return '<floating point>';
    case 'struct':
    case 'union': {
      if (depth > 0) return '{...}';
      if (!s.complete) return '<incomplete type>';
      const parts: string[] = [];
      let len = 0;
      for (const f of namedFields(s)) {
        const part = `${f.name} = ${formatValue(memberOf(v, f.offset, f.type, f.bitOffset, f.bitWidth), build, image, depth + 1)}`;
        len += part.length + 2;
        if (len > PREVIEW) {
          parts.push('...');
          break;
        }
        parts.push(part);
      }
      return `{${parts.join(', ')}}`;
    }
    case 'array': {
      const loc = v.loc;
      if (!loc || loc.kind !== 'memory') return '<array>';
      if (isPlainChar(s.of)) {
        const text = stringAt(v, loc.address);
        if (text) return text;
      }
      if (depth > 0) return `{...}`;
      const n = s.length ?? 0;
      const size = sizeOf(s.of);
      const parts: string[] = [];
      let len = 0;
      for (let i = 0; i < n; i++) {
        const part = formatValue({ type: s.of, loc: { ...loc, address: loc.address + i * size } }, build, image, depth);
        len += part.length + 2;
        if (len > PREVIEW || parts.length >= 16) {
          parts.push('...');
          break;
        }
        parts.push(part);
      }
      return `{${parts.join(', ')}}`;
    }
    case 'pointer': {
      const bits = scalarOf(v);
      const text = formatScalar(v.type, bits, build, image);
      if (bits !== 0n && isPlainChar(s.to) && v.loc?.kind === 'memory') {
        const str = stringAt(v, toAddress(bits));
        if (str) return `${text} ${str}`;
      }
      return text;
    }
    default:
      return formatScalar(v.type, scalarOf(v), build, image);
  }
}

/** The member at `offset` of an lvalue in memory. */
export function memberOf(v: CValue, offset: number, type: CType, bitOffset?: number, bitWidth?: number): CValue {
  const loc = v.loc;
  if (!loc || loc.kind !== 'memory') throw new EvalError('the structure is not in memory');
  return { type, loc: { kind: 'memory', machine: loc.machine, space: loc.space, address: loc.address + offset, ...(bitWidth !== undefined ? { bitWidth, bitOffset: bitOffset ?? 0 } : {}) } };
}
