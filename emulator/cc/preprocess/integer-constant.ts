// The value of an integer constant in a #if (C11 6.10.1p4: every integer
// type acts like intmax_t or uintmax_t, here 64 bits), with gcc's messages.

export type IntegerConstant =
  | { readonly value: bigint; readonly unsigned: boolean; readonly warnings: readonly string[] }
  | { readonly error: string };

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Classifies and evaluates the pp-number `text` (C11 6.4.4.1); floating constants are errors. */
export function parseIntegerConstant(text: string): IntegerConstant {
  let radix: 'hex' | 'binary' | 'octal' | 'decimal';
  let digits: string;
  let rest: string;
  const hex = /^0[xX]([0-9a-fA-F]*)(.*)$/s.exec(text);
  const bin = /^0[bB]([01]*)(.*)$/s.exec(text);
  if (hex && (hex[1] !== '' || /^[.pP]/.test(hex[2]!))) {
    [radix, digits, rest] = ['hex', hex[1]!, hex[2]!];
    if (/^[.pP]/.test(rest)) return { error: 'floating constant in preprocessor expression' };
  } else if (bin && bin[1] !== '') {
    [radix, digits, rest] = ['binary', bin[1]!, bin[2]!];
  } else {
    const dec = /^([0-9]*)(.*)$/s.exec(text)!;
    digits = dec[1]!;
    rest = dec[2]!;
    radix = digits.length > 1 && digits.startsWith('0') ? 'octal' : 'decimal';
    if (/^[.eE]/.test(rest) || digits === '') return { error: 'floating constant in preprocessor expression' };
  }
  if (!/^([uU]?(l|L|ll|LL)?|(l|L|ll|LL)[uU])$/.test(rest)) return { error: `invalid suffix "${rest}" on integer constant` };
  if (radix === 'octal') {
    const bad = /[89]/.exec(digits);
    if (bad) return { error: `invalid digit "${bad[0]}" in octal constant` };
  }
  const prefix = { hex: '0x', binary: '0b', octal: '0o', decimal: '' }[radix];
  let value = BigInt(prefix + digits);
  const warnings: string[] = [];
  const suffixUnsigned = /[uU]/.test(rest);
  let unsigned = suffixUnsigned;
  if (value > UINT64_MAX) {
    warnings.push('integer constant is too large for its type');
    value = BigInt.asUintN(64, value);
  } else if (!suffixUnsigned && value > INT64_MAX) {
    // Too big for intmax_t: gcc makes it unsigned, and says so for a decimal constant.
    unsigned = true;
    if (radix === 'decimal') warnings.push('integer constant is so large that it is unsigned');
  }
  return { value, unsigned, warnings };
}
