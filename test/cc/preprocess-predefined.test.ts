// The predefined macros: gcc 12's for x86-64 -std=gnu11 -ffreestanding,
// less those that do not describe our target. Where gcc is installed, each
// of ours is checked against `gcc -dM -E`; everywhere, the required and the
// forbidden names are checked, and ours against a recorded copy of gcc's.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './preprocess-helpers';

const ours = run('').result.macros;

// gcc's own list, recorded so that the comparison runs without gcc too. UPDATE_GOLDEN=1 re-records it.
const GOLDEN = fileURLToPath(new URL('./fixtures/preprocess/gcc-predefined.golden', import.meta.url));

/** `gcc -dM -E` for our target, sorted, or undefined without gcc. */
function liveGcc(): string | undefined {
  const r = spawnSync('gcc', ['-dM', '-E', '-x', 'c', '/dev/null', '-std=gnu11', '-m64', '-ffreestanding'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout.split('\n').filter(Boolean).sort().join('\n')}\n`;
}

function parse(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^#define (\S+) ?(.*)$/.exec(line);
    if (m) map.set(m[1]!, m[2]!.trim());
  }
  return map;
}

const live = liveGcc();
if (process.env.UPDATE_GOLDEN === '1' && live !== undefined) writeFileSync(GOLDEN, live);
const recorded = existsSync(GOLDEN) ? readFileSync(GOLDEN, 'utf8') : '';
const gcc = parse(recorded);

describe('predefined macros', () => {
  it('defines what kernels test, with gcc\'s values', () => {
    const expected: Record<string, string> = {
      __x86_64__: '1', __x86_64: '1', __amd64__: '1', __LP64__: '1', _LP64: '1', __CHAR_BIT__: '8', __SIZEOF_POINTER__: '8',
      __SIZEOF_LONG__: '8', __SIZEOF_INT__: '4', __INT_MAX__: '0x7fffffff', __LONG_MAX__: '0x7fffffffffffffffL',
      __SIZE_MAX__: '0xffffffffffffffffUL', __SIZE_TYPE__: 'long unsigned int', __PTRDIFF_TYPE__: 'long int',
      __INTPTR_TYPE__: 'long int', __UINTPTR_TYPE__: 'long unsigned int', __INT8_TYPE__: 'signed char', __UINT64_TYPE__: 'long unsigned int',
      __INTMAX_TYPE__: 'long int', __UINTMAX_TYPE__: 'long unsigned int', __WCHAR_TYPE__: 'int', __CHAR16_TYPE__: 'short unsigned int',
      __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __ORDER_LITTLE_ENDIAN__: '1234', __GNUC__: '12', __GNUC_MINOR__: '2', __STDC__: '1',
      __STDC_VERSION__: '201112L', __STDC_HOSTED__: '0', __ELF__: '1', __NO_INLINE__: '1', __WEENSYSCOPE__: '1',
    };
    const actual = Object.fromEntries(Object.keys(expected).map((name) => [name, ours.get(name)?.body]));
    expect(actual).toEqual(expected);
  });

  it('does not define what does not describe a bare-metal, unoptimized, integer-only target', () => {
    const absent = ['__linux__', '__linux', 'linux', '__gnu_linux__', '__unix__', '__unix', 'unix', '__OPTIMIZE__', '__PIC__', '__pie__', '__SSE__', '__MMX__', '__SIZEOF_INT128__', '__FLT_MAX__'];
    expect(absent.filter((name) => ours.has(name))).toEqual([]);
  });

  it('has gcc\'s list recorded, and up to date where gcc is installed', () => {
    expect(gcc.size, `${GOLDEN} is missing: run with UPDATE_GOLDEN=1 where gcc is installed`).toBeGreaterThan(200);
    if (live !== undefined) expect(recorded).toBe(live);
  });

  it('gives every predefined macro the value gcc gives it', () => {
    const mismatches: string[] = [];
    for (const m of ours.values()) {
      if (m.builtin || m.range.start.file !== '<built-in>' || m.name === '__WEENSYSCOPE__') continue;
      const key = m.params ? `${m.name}(${m.params.join(',')})` : m.name;
      if (gcc.get(key) !== m.body) mismatches.push(`${key}: ours ${m.body}, gcc ${gcc.get(key)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('has predefined every integer-limit and integer-type macro that gcc has', () => {
    const names = [...gcc.keys()];
    const integerNames = names.filter((n) => /^__U?INT|^__(SCHAR|SHRT|LONG|LONG_LONG|WCHAR|WINT|SIZE|PTRDIFF|SIG_ATOMIC)_|^__SIZEOF_(?!INT128|FLOAT80|FLOAT128)/.test(n));
    expect(integerNames.length).toBeGreaterThan(90);
    expect(integerNames.filter((n) => !ours.has(n.replace(/\(.*$/, '')))).toEqual([]);
  });
});
