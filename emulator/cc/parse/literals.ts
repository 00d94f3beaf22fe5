// Turning literal tokens into values and types (C11 6.4.4, 6.4.5).

import { DOUBLE, FLOAT, INT, int, type IntKind, type Type } from '../types';

export type LiteralResult = { ok: true; value: bigint | number; type: Type; warning?: string } | { ok: false; message: string };

const U64 = (1n << 64n) - 1n;

/** An integer or floating constant from a pp-number. */
export function parseNumber(text: string): LiteralResult {
  const lower = text.toLowerCase();
  const isHex = lower.startsWith('0x');
  const isFloat = isHex ? /p/.test(lower) : /[.e]/.test(lower) && !lower.startsWith('0b');
  if (isFloat) return parseFloatConstant(text);
  const m = /^(0x[0-9a-f]+|0b[01]+|0[0-7]*|[1-9][0-9]*)(u|l|ul|lu|ll|ull|llu)?$/.exec(lower.replace(/'/g, ''));
  if (!m) {
    const bad = /^0[0-7]*([89])/.exec(lower);
    if (bad) return { ok: false, message: `invalid digit "${bad[1]}" in octal constant` };
    return { ok: false, message: `invalid integer constant '${text}'` };
  }
  const digits = m[1]!;
  const value = digits.startsWith('0b') ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') && !digits.startsWith('0x') ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  // gcc keeps the low 64 bits, with a warning.
  if (value > U64) return { ok: true, value: value & U64, type: int('ullong'), warning: 'integer constant is too large for its type' };
  const suffix = m[2] ?? '';
  const unsigned = suffix.includes('u');
  const longs = (suffix.match(/l/g) ?? []).length;
  const decimal = !isHex && !digits.startsWith('0b') && !(digits.length > 1 && digits.startsWith('0'));
  // The first type of the list that can represent the value (C11 6.4.4.1p5).
  const candidates: IntKind[] = [];
  if (longs === 0) candidates.push(...(unsigned ? ['uint', 'ulong'] as IntKind[] : decimal ? ['int', 'long'] as IntKind[] : ['int', 'uint', 'long', 'ulong'] as IntKind[]));
  else candidates.push(...(unsigned ? ['ulong'] as IntKind[] : decimal ? ['long'] as IntKind[] : ['long', 'ulong'] as IntKind[]));
  // long and long long are the same size on LP64; keep the spelled kind for messages.
  if (longs === 2) for (let i = 0; i < candidates.length; i++) candidates[i] = candidates[i] === 'long' ? 'llong' : 'ullong';
  for (const k of candidates) {
    const max = k === 'int' ? 0x7fffffffn : k === 'uint' ? 0xffffffffn : k === 'long' || k === 'llong' ? (1n << 63n) - 1n : U64;
    if (value <= max) return { ok: true, value, type: int(k) };
  }
  // gcc: a decimal constant too large for long is given unsigned long with a warning.
  return { ok: true, value, type: int(longs === 2 ? 'ullong' : 'ulong') };
}

function parseFloatConstant(text: string): LiteralResult {
  let t = text.replace(/'/g, '');
  let type: Type = DOUBLE;
  // In a hexadecimal constant an f is a digit unless it follows the binary exponent.
  if (/[fF]$/.test(t) && (!/^0[xX]/.test(t) || /[pP][+-]?\d+[fF]$/.test(t))) {
    type = FLOAT;
    t = t.slice(0, -1);
  } else if (/[lL]$/.test(t)) {
    return { ok: false, message: `long double constants are not supported` };
  }
  let value: number;
  if (/^0[xX]/.test(t)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
    if (!m || (m[1] === '' && !m[2])) return { ok: false, message: `invalid hexadecimal floating constant '${text}'` };
    const frac = m[2] ?? '';
    value = parseInt((m[1] || '0') + frac || '0', 16) * Math.pow(2, Number(m[3]) - 4 * frac.length);
  } else {
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { ok: false, message: `invalid floating constant '${text}'` };
    value = Number(t);
  }
  if (type === FLOAT) value = Math.fround(value);
  return { ok: true, value, type };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/**
 * Decodes the body of a string or character literal into bytes (UTF-8 for
 * non-ASCII source characters). Returns the bytes and any problem found.
 */
export function decodeEscapes(body: string): { bytes: number[]; error?: string } {
  const bytes: number[] = [];
  let error: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      const code = body.codePointAt(i)!;
      if (code < 0x80) bytes.push(code);
      else {
        bytes.push(...new TextEncoder().encode(String.fromCodePoint(code)));
        if (code > 0xffff) i++;
      }
      continue;
    }
    const e = body[++i];
    if (e === undefined) {
      error ??= 'incomplete escape sequence';
      break;
    }
    if (SIMPLE_ESCAPES[e] !== undefined) bytes.push(SIMPLE_ESCAPES[e]!);
    else if (/[0-7]/.test(e)) {
      let v = 0;
      let n = 0;
      while (n < 3 && /[0-7]/.test(body[i] ?? '')) {
        v = v * 8 + Number(body[i]);
        i++;
        n++;
      }
      i--;
      if (v > 255) error ??= 'octal escape sequence out of range';
      bytes.push(v & 0xff);
    } else if (e === 'x') {
      let v = 0n;
      let n = 0;
      while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) {
        v = v * 16n + BigInt(parseInt(body[++i]!, 16));
        n++;
      }
      if (n === 0) error ??= '\\x used with no following hex digits';
      if (v > 255n) error ??= 'hex escape sequence out of range';
      bytes.push(Number(v & 0xffn));
    } else {
      error ??= `unknown escape sequence '\\${e}'`;
      bytes.push(e.charCodeAt(0) & 0xff);
    }
  }
  return error ? { bytes, error } : { bytes };
}

/** A character constant: type int; multi-character constants combine as gcc does (big-endian, last 4 bytes). */
export function parseCharConstant(text: string): LiteralResult {
  const m = /^(u8|u|U|L)?'(.*)'$/s.exec(text);
  if (!m) return { ok: false, message: `missing terminating ' character` };
  if (m[1]) return { ok: false, message: `wide character constants are not supported` };
  const { bytes, error } = decodeEscapes(m[2]!);
  if (error) return { ok: false, message: error };
  if (bytes.length === 0) return { ok: false, message: 'empty character constant' };
  if (bytes.length === 1) return { ok: true, value: BigInt((bytes[0]! << 24) >> 24), type: INT }; // plain char is signed
  let v = 0;
  for (const b of bytes.slice(-4)) v = (v << 8) | b;
  return { ok: true, value: BigInt(v | 0), type: INT };
}

/** A string literal's bytes, without the terminating NUL. */
export function parseStringLiteral(text: string): { ok: true; bytes: number[] } | { ok: false; message: string } {
  const m = /^(u8|u|U|L)?"(.*)"$/s.exec(text);
  if (!m) return { ok: false, message: 'missing terminating " character' };
  if (m[1] && m[1] !== 'u8') return { ok: false, message: 'wide string literals are not supported' };
  const { bytes, error } = decodeEscapes(m[2]!);
  if (error) return { ok: false, message: error };
  return { ok: true, bytes };
}
