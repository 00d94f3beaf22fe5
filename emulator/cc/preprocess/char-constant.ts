// The value of a character constant (C11 6.4.4.4) as gcc computes it on
// x86-64: plain char is signed and 8 bits wide, wchar_t is a signed 32-bit
// int, char16_t and char32_t are unsigned. Source characters are taken as
// UTF-8, so 'é' is a two-character constant, as in gcc.

export interface CharConstantValue {
  /** The value, already sign- or zero-extended, as an int-typed constant. */
  readonly value: bigint;
  /** Problems found, with gcc's wording. */
  readonly diagnostics: readonly { readonly severity: 'error' | 'warning'; readonly message: string }[];
}

const SIMPLE_ESCAPES: Record<string, number> = {
  "'": 39, '"': 34, '?': 63, '\\': 92, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, e: 27, E: 27,
};

/** `text` is the constant's spelling, prefix and quotes included, e.g. "L'\\x41'". */
export function evaluateCharConstant(text: string): CharConstantValue {
  const quote = text.indexOf("'");
  const prefix = text.slice(0, quote);
  const width = prefix === '' ? 8 : prefix === 'u' ? 16 : 32;
  const unsigned = prefix === 'u' || prefix === 'U';
  const diagnostics: { severity: 'error' | 'warning'; message: string }[] = [];
  const units = decode(text.slice(quote + 1, text.endsWith("'") && text.length > quote + 1 ? -1 : undefined), width, diagnostics);
  if (units.length === 0) {
    diagnostics.push({ severity: 'error', message: 'empty character constant' });
    return { value: 0n, diagnostics };
  }
  if (prefix !== '') {
    // A wide constant holds one character; gcc keeps the last.
    if (units.length > 1) diagnostics.push({ severity: 'warning', message: 'character constant too long for its type' });
    const v = units[units.length - 1]!;
    return { value: unsigned ? BigInt.asUintN(width, v) : BigInt.asIntN(width, v), diagnostics };
  }
  if (units.length > 4) diagnostics.push({ severity: 'warning', message: 'character constant too long for its type' });
  else if (units.length > 1) diagnostics.push({ severity: 'warning', message: 'multi-character character constant' });
  if (units.length === 1) return { value: BigInt.asIntN(8, units[0]!), diagnostics };
  // A multi-character constant is an int built from the last four bytes, first byte highest (C11 6.4.4.4p10 leaves it to the implementation).
  let v = 0n;
  for (const u of units) v = BigInt.asUintN(32, (v << 8n) | u);
  return { value: BigInt.asIntN(32, v), diagnostics };
}

/** The code units of the constant's contents, escapes resolved and each masked to `width` bits. */
function decode(body: string, width: number, diagnostics: { severity: 'error' | 'warning'; message: string }[]): bigint[] {
  const out: bigint[] = [];
  const max = (1n << BigInt(width)) - 1n;
  const push = (v: bigint, what: string): void => {
    if (v > max) diagnostics.push({ severity: 'warning', message: `${what} escape sequence out of range` });
    out.push(v & max);
  };
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (ch !== '\\') {
      pushCodePoint(out, cp, width);
      continue;
    }
    const e = body[i] ?? '';
    i++;
    if (e in SIMPLE_ESCAPES) out.push(BigInt(SIMPLE_ESCAPES[e]!));
    else if (/[0-7]/.test(e)) {
      let j = i;
      while (j < body.length && j < i + 2 && /[0-7]/.test(body[j]!)) j++;
      push(BigInt(`0o${e}${body.slice(i, j)}`), 'octal');
      i = j;
    } else if (e === 'x') {
      let j = i;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j]!)) j++;
      if (j === i) diagnostics.push({ severity: 'error', message: '\\x used with no following hex digits' });
      else push(BigInt(`0x${body.slice(i, j)}`), 'hex');
      i = j;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const digits = body.slice(i, i + n);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length < n) diagnostics.push({ severity: 'error', message: `incomplete universal character name \\${e}${digits}` });
      else pushCodePoint(out, parseInt(digits, 16), width);
      i += digits.length;
    } else {
      diagnostics.push({ severity: 'warning', message: `unknown escape sequence: '\\${e}'` });
      if (e !== '') pushCodePoint(out, e.codePointAt(0)!, width);
    }
  }
  return out;
}

/** A character as code units of `width` bits: UTF-8 bytes for plain char, the code point itself otherwise. */
function pushCodePoint(out: bigint[], cp: number, width: number): void {
  if (width !== 8 || cp < 0x80) {
    out.push(BigInt(cp) & ((1n << BigInt(width)) - 1n));
    return;
  }
  const bytes =
    cp < 0x800
      ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
      : cp < 0x10000
        ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
        : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  for (const b of bytes) out.push(BigInt(b));
}
