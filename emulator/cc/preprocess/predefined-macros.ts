// The macros predefined before the first line of every file, as gcc 12
// predefines them for x86-64 with -std=gnu11 (from `gcc -dM -E -x c
// /dev/null -std=gnu11 -m64`), less what does not describe our target:
// nothing about Linux or Unix (a WeensyOS kernel runs on bare metal), no
// PIC/PIE, no SSE/MMX, no floating-point limits, no __int128, and no
// __OPTIMIZE__ (we compile as -O0 does). They are read as #define lines
// from a `<built-in>` pseudo-file, so they have definition ranges like any
// other macro. test/cc/preprocess-predefined.test.ts checks them against gcc.

/** [name, replacement] pairs; a name with a parameter list defines a function-like macro. */
function table(hosted: boolean): [string, string][] {
  const t: [string, string][] = [
    ['__STDC__', '1'],
    ['__STDC_VERSION__', '201112L'],
    // C11 6.10.8.1: 0 for a freestanding implementation, which is what a kernel is compiled as.
    ['__STDC_HOSTED__', hosted ? '1' : '0'],
    ['__STDC_UTF_16__', '1'],
    ['__STDC_UTF_32__', '1'],
    ['__GNUC__', '12'],
    ['__GNUC_MINOR__', '2'],
    ['__GNUC_PATCHLEVEL__', '0'],
    ['__VERSION__', '"12.2.0"'],
    ['__GNUC_STDC_INLINE__', '1'],
    ['__NO_INLINE__', '1'],
    ['__WEENSYSCOPE__', '1'],
    ['__x86_64__', '1'],
    ['__x86_64', '1'],
    ['__amd64__', '1'],
    ['__amd64', '1'],
    ['__ELF__', '1'],
    ['_LP64', '1'],
    ['__LP64__', '1'],
    ['__CHAR_BIT__', '8'],
    ['__BIGGEST_ALIGNMENT__', '16'],
    ['__ORDER_LITTLE_ENDIAN__', '1234'],
    ['__ORDER_BIG_ENDIAN__', '4321'],
    ['__ORDER_PDP_ENDIAN__', '3412'],
    ['__BYTE_ORDER__', '__ORDER_LITTLE_ENDIAN__'],
    ['__FLOAT_WORD_ORDER__', '__ORDER_LITTLE_ENDIAN__'],
    ['__REGISTER_PREFIX__', ''],
    ['__USER_LABEL_PREFIX__', ''],
  ];
  const sizes: [string, number][] = [
    ['SHORT', 2], ['INT', 4], ['LONG', 8], ['LONG_LONG', 8], ['POINTER', 8], ['FLOAT', 4], ['DOUBLE', 8],
    ['LONG_DOUBLE', 16], ['SIZE_T', 8], ['WCHAR_T', 4], ['WINT_T', 4], ['PTRDIFF_T', 8],
  ];
  for (const [n, v] of sizes) t.push([`__SIZEOF_${n}__`, String(v)]);
  const limits: [string, string, string, number][] = [
    // name, type, maximum, width
    ['SCHAR', '', '0x7f', 8],
    ['SHRT', '', '0x7fff', 16],
    ['INT', '', '0x7fffffff', 32],
    ['LONG', '', '0x7fffffffffffffffL', 64],
    ['LONG_LONG', '', '0x7fffffffffffffffLL', 64],
    ['WCHAR', 'int', '0x7fffffff', 32],
    ['WINT', 'unsigned int', '0xffffffffU', 32],
    ['PTRDIFF', 'long int', '0x7fffffffffffffffL', 64],
    ['SIZE', 'long unsigned int', '0xffffffffffffffffUL', 64],
    ['INTMAX', 'long int', '0x7fffffffffffffffL', 64],
    ['UINTMAX', 'long unsigned int', '0xffffffffffffffffUL', 0],
    ['SIG_ATOMIC', 'int', '0x7fffffff', 32],
    ['INTPTR', 'long int', '0x7fffffffffffffffL', 64],
    ['UINTPTR', 'long unsigned int', '0xffffffffffffffffUL', 0],
  ];
  for (const [n, type, max, width] of limits) {
    t.push([`__${n}_MAX__`, max]);
    if (width) t.push([`__${n}_WIDTH__`, String(width)]);
    if (type) t.push([`__${n}_TYPE__`, type]);
  }
  t.push(['__WCHAR_MIN__', '(-__WCHAR_MAX__ - 1)'], ['__WINT_MIN__', '0U'], ['__SIG_ATOMIC_MIN__', '(-__SIG_ATOMIC_MAX__ - 1)']);
  t.push(['__INTMAX_C(c)', 'c ## L'], ['__UINTMAX_C(c)', 'c ## UL'], ['__CHAR16_TYPE__', 'short unsigned int'], ['__CHAR32_TYPE__', 'unsigned int']);
  const exact: [number, string, string, string, string][] = [
    // bits, signed type, unsigned type, signed maximum, unsigned maximum
    [8, 'signed char', 'unsigned char', '0x7f', '0xff'],
    [16, 'short int', 'short unsigned int', '0x7fff', '0xffff'],
    [32, 'int', 'unsigned int', '0x7fffffff', '0xffffffffU'],
    [64, 'long int', 'long unsigned int', '0x7fffffffffffffffL', '0xffffffffffffffffUL'],
  ];
  const suffix: Record<number, [string, string]> = { 8: ['', ''], 16: ['', ''], 32: ['', 'U'], 64: ['L', 'UL'] };
  for (const [bits, st, ut, smax, umax] of exact) {
    t.push([`__INT${bits}_TYPE__`, st], [`__UINT${bits}_TYPE__`, ut], [`__INT${bits}_MAX__`, smax], [`__UINT${bits}_MAX__`, umax]);
    const [s, u] = suffix[bits]!;
    t.push([`__INT${bits}_C(c)`, s ? `c ## ${s}` : 'c'], [`__UINT${bits}_C(c)`, u ? `c ## ${u}` : 'c']);
    t.push([`__INT_LEAST${bits}_TYPE__`, st], [`__UINT_LEAST${bits}_TYPE__`, ut], [`__INT_LEAST${bits}_MAX__`, smax]);
    t.push([`__UINT_LEAST${bits}_MAX__`, umax], [`__INT_LEAST${bits}_WIDTH__`, String(bits)]);
    // The fast types are 8 bits or 64 bits on x86-64.
    const fast = bits === 8 ? exact[0]! : exact[3]!;
    t.push([`__INT_FAST${bits}_TYPE__`, fast[1]], [`__UINT_FAST${bits}_TYPE__`, fast[2]], [`__INT_FAST${bits}_MAX__`, fast[3]]);
    t.push([`__UINT_FAST${bits}_MAX__`, fast[4]], [`__INT_FAST${bits}_WIDTH__`, String(fast[0])]);
  }
  return t;
}

/** The text of the `<built-in>` pseudo-file: one #define per predefined macro. */
export function predefinedMacroText(hosted: boolean): string {
  return table(hosted)
    .map(([name, value]) => `#define ${name} ${value}\n`)
    .join('');
}
