// The printing half of the WeensyOS support library, run on the machine:
// the formatter behind console_printf / log_printf / snprintf (lib-printf.c),
// the console's cursor rules, console_clear, log_printf's bytes,
// error_printf, console_show_cursor, panic and assert (k-hardware.c), the
// string functions and rand/srand (lib.c). Expected values come from
// /work/shared/weensyos/FACTS.md, section 5.

import { describe, expect, it } from 'vitest';
import {
  KERNEL_PRELUDE, buildKernel, cells, describeRun, expectPoweroff, expectPrintedLine, logValues, painted, read32,
  runImage, symbol, type KernelRun, SLOW,
} from './kernel-harness';

/** [format, arguments, expected output], as C text: the kernel prints each with log_printf and snprintf. */
const FORMATS: readonly (readonly [string, string, string])[] = [
  ['%d', '42', '42'],
  ['%d', '-42', '-42'],
  ['%i', '0', '0'],
  ['%d', '(int) 0x80000000', '-2147483648'],
  ['%d', '2147483647', '2147483647'],
  ['%5d|', '42', '   42|'],
  ['%-5d|', '42', '42   |'],
  ['%05d', '42', '00042'],
  ['%05d', '-42', '-0042'],
  ['%+d', '42', '+42'],
  ['%+d', '-42', '-42'],
  ['% d', '42', ' 42'],
  ['% 5d', '42', '   42'],
  ['%+05d', '42', '+0042'],
  ['%-+5d|', '42', '+42  |'],
  ['%.3d', '7', '007'],
  ['%8.3d|', '-7', '    -007|'],
  ['%08.3d', '7', '     007'],
  ['%-8.3d|', '7', '007     |'],
  ['%2d', '12345', '12345'],
  ['%u', '4294967295u', '4294967295'],
  ['%u', '-1', '4294967295'],
  ['%+u', '5', '5'],
  ['%lu', '18446744073709551615ul', '18446744073709551615'],
  ['%ld', '-9223372036854775807L - 1', '-9223372036854775808'],
  ['%li', '-3000000000L', '-3000000000'],
  ['%zu', '(size_t) 123456789012', '123456789012'],
  ['%zx', '(size_t) 0x1000', '1000'],
  ['%x', '0xDEADbeef', 'deadbeef'],
  ['%X', '0xdeadbeef', 'DEADBEEF'],
  ['%x', '-1', 'ffffffff'],
  ['%lx', '0x123456789abcdef0ul', '123456789abcdef0'],
  ['%lX', '-1L', 'FFFFFFFFFFFFFFFF'],
  // 'll' is 64 bits too (the handout's formatter takes any run of l and z).
  ['%llx', '0x123456789aul', '123456789a'],
  ['%lld', '-5LL', '-5'],
  ['%llu', '18446744073709551615ull', '18446744073709551615'],
  ['%#x', '255', '0xff'],
  ['%#X', '255', '0XFF'],
  ['%#x', '0', '0'],
  ['%#08x', '255', '0x0000ff'],
  ['%8x|', '255', '      ff|'],
  ['%-8x|', '255', 'ff      |'],
  ['%.4x', '0xa', '000a'],
  ['%#.4x', '0xa', '0x000a'],
  ['%p', '(void*) 0x1234', '0x1234'],
  ['%p', '(void*) 0', '0x0'],
  ['%p', '(void*) 0xffffffffffffffffUL', '0xffffffffffffffff'],
  ['%p', '(void*) 0xABCDEF', '0xabcdef'],
  ['%10p|', '(void*) 0xb8000', '   0xb8000|'],
  ['%-10p|', '(void*) 0xb8000', '0xb8000   |'],
  ['%010p', '(void*) 0xb8000', '0x000b8000'],
  ['%s', '"hello"', 'hello'],
  ['%s|', '""', '|'],
  ['%7s|', '"abc"', '    abc|'],
  ['%-7s|', '"abc"', 'abc    |'],
  ['%.2s', '"abc"', 'ab'],
  ['%.10s', '"abc"', 'abc'],
  ['%5.1s|', '"abc"', '    a|'],
  ['%c', "'A'", 'A'],
  ['%3c|', "'z'", '  z|'],
  ['%-3c|', "'z'", 'z  |'],
  ['%c%c', "'h', 'i'", 'hi'],
  ['%*d', '6, 42', '    42'],
  ['%-*d|', '6, 42', '42    |'],
  ['%*.*d', '6, 3, 5', '   005'],
  ['%0*d', '5, 42', '00042'],
  ['%.*s', '2, "abcdef"', 'ab'],
  ['%*s|', '4, "ab"', '  ab|'],
  ['%%', '0', '%'],
  ['100%% sure', '0', '100% sure'],
  ['%5%|', '0', '    %|'],
  ['%q|%d', '7', 'q|7'],
  ['%C%d', '0x0400, 9', '9'],
  ['a%Cb%Cc', '0x0100, 0x0200', 'abc'],
  ['%d %s %x %c %u', '-1, "x", 0xab, \'!\', 3u', '-1 x ab ! 3'],
  ['%d%d%d%d%d%d%d%d', '1, 2, 3, 4, 5, 6, 7, 8', '12345678'],
  ['%ld %d %ld', '1L << 40, -2, -(1L << 40)', '1099511627776 -2 -1099511627776'],
];

/** C source text of a string literal holding `s` (ASCII). */
const cString = (s: string): string => JSON.stringify(s);

const KERNEL = String.raw`${KERNEL_PRELUDE}
int test_case = -1;
static char buf[64];

static int sign(int x) {
    return x < 0 ? -1 : x > 0 ? 1 : 0;
}

static void formats(void) {
${FORMATS.map(([f, a]) => `    log_printf(${cString(`[${f}]\n`)}, ${a});`).join('\n')}
}

static void formats_snprintf(void) {
    int n;
${FORMATS.map(([f, a], i) => `    n = snprintf(buf, sizeof(buf), ${cString(f)}, ${a});\n    log_printf("s${i}=%d [%s]\\n", n, buf);`).join('\n')}
}

/* snprintf(buf, size, fmt, ...) into a buffer full of 'Z': the result and the first 12 bytes. */
static void snp(const char* name, int n) {
    log_printf("%s=%d", name, n);
    for (int i = 0; i < 12; i++) {
        log_printf(" %x", (unsigned char) buf[i]);
    }
    log_printf("\n");
    memset(buf, 'Z', sizeof(buf));
}

void exception(x86_64_registers* reg) {
    panic("Unexpected exception %d!\n", (int) reg->reg_intno);
}

void kernel(const char* command) {
    (void) command;
    hardware_init();
    console_clear();
    memset(buf, 'Z', sizeof(buf));
    int r;
    switch (test_case) {
    case 0:
        formats();
        break;
    case 1:
        formats_snprintf();
        memset(buf, 'Z', sizeof(buf));
        snp("trunc", snprintf(buf, 8, "%s", "hello world"));
        snp("fit", snprintf(buf, 6, "hello"));
        snp("onemore", snprintf(buf, 5, "hello"));
        snp("size1", snprintf(buf, 1, "hello"));
        snp("size0", snprintf(buf, 0, "hello"));
        snp("number", snprintf(buf, 4, "%d", 123456));
        snp("empty", snprintf(buf, 10, ""));
        break;
    case 2:
        /* Colours, '\n', return values: each on its own row. */
        r = console_printf(CPOS(2, 5), 0x0A00, "ab%Ccd", 0x0C00);
        log_printf("colour=%d\n", r);
        r = console_printf(CPOS(3, 10), 0x0E00, "x\n");
        log_printf("newline=%d\n", r);
        r = console_printf(CPOS(5, 0), 0x1F00, "\n");
        log_printf("newline_col0=%d\n", r);
        r = console_printf(CPOS(6, 0), 0x0700, "a%Cb\nc", 0x4E00);
        log_printf("newline_colour=%d\n", r);
        r = console_printf(CPOS(8, 0), 0x0200, "%s%5d|%-4x|%c", "s", 42, 0xab, 'q');
        log_printf("formats=%d\n", r);
        r = console_printf(CPOS(9, 75), 0x0300, "wrapping");
        log_printf("rowwrap=%d\n", r);
        r = console_printf(CPOS(11, 0), 0x0300, "");
        log_printf("empty=%d\n", r);
        r = console_printf(CPOS(24, 70), 0x0500, "\n");
        log_printf("lastrow_newline=%d\n", r);
        break;
    case 3:
        /* Positions outside [0, 2000) start at 0; printing wraps from the last cell to the first. */
        r = console_printf(-5, 0x0100, "negative");
        log_printf("negative=%d\n", r);
        r = console_printf(2000, 0x0200, "big");
        log_printf("big=%d\n", r);
        r = console_printf(CPOS(24, 78), 0x0700, "wxyz");
        log_printf("wrap=%d\n", r);
        break;
    case 10:
        r = console_printf(CPOS(24, 79), 0x0600, "\n\n");
        log_printf("wrap_newline=%d\n", r);
        r = console_printf(CPOS(24, 78), 0x0700, "ab");
        log_printf("end=%d\n", r);
        break;
    case 4:
        for (int i = 0; i < CONSOLE_ROWS * CONSOLE_COLUMNS; i++) {
            console[i] = 'X' | 0x4F00;
        }
        cursorpos = 1234;
        console_clear();
        break;
    case 5:
        log_printf("\x01\x7f\xff%c%c|%s\n", 0x80, 0xfe, "\xe9t\xe9");
        log_printf("no newline");
        log_printf("%s", "");
        log_printf("\n\n");
        break;
    case 6:
        r = error_printf(CPOS(22, 0), 0x0E00, "err %d %s\n", 3, "x");
        log_printf("ret=%d\n", r);
        r = error_printf(CPOS(20, 5), 0x0900, "mid");
        log_printf("ret=%d\n", r);
        break;
    case 7: {
        int hi, lo;
        console_show_cursor(CPOS(10, 5));
        outb(0x3D4, 14); hi = inb(0x3D5); outb(0x3D4, 15); lo = inb(0x3D5);
        log_printf("cursor_10_5=%d\n", hi * 256 + lo);
        console_show_cursor(CPOS(24, 79));
        outb(0x3D4, 14); hi = inb(0x3D5); outb(0x3D4, 15); lo = inb(0x3D5);
        log_printf("cursor_last=%d\n", hi * 256 + lo);
        console_show_cursor(-1);
        outb(0x3D4, 14); hi = inb(0x3D5); outb(0x3D4, 15); lo = inb(0x3D5);
        log_printf("cursor_negative=%d\n", hi * 256 + lo);
        console_show_cursor(5000);
        outb(0x3D4, 14); hi = inb(0x3D5); outb(0x3D4, 15); lo = inb(0x3D5);
        log_printf("cursor_big=%d\n", hi * 256 + lo);
        break;
    }
    case 8: {
        /* rand without srand, then after srand. */
        log_printf("default=");
        for (int i = 0; i < 6; i++) {
            log_printf("%d ", rand());
        }
        static const unsigned seeds[] = {1, 0, 4, 819234718, 0xFFFFFFFF};
        for (int s = 0; s < (int) arraysize(seeds); s++) {
            srand(seeds[s]);
            log_printf("\nseed%u=", seeds[s]);
            for (int i = 0; i < 6; i++) {
                log_printf("%d ", rand());
            }
        }
        log_printf("\nrand_max=%d\n", RAND_MAX);
        break;
    }
    case 9: {
        char s[16];
        strcpy(s, "abcdefghij");
        log_printf("memmove_fwd=%s\n", (char*) memmove(s + 2, s, 5) - 2);
        strcpy(s, "abcdefghij");
        log_printf("memmove_back=%s\n", (char*) memmove(s, s + 2, 5));
        strcpy(s, "abcdefghij");
        r = memcpy(s + 1, "XYZ", 3) == s + 1;
        log_printf("memcpy=%d %s\n", r, s);
        log_printf("memset=%d %s\n", memset(s, '-', 4) == s, s);
        log_printf("memset_int=%x\n", (unsigned char) *(char*) memset(s, 0x141, 1));
        log_printf("memcmp=%d %d %d %d %d\n", sign(memcmp("abc", "abd", 3)), sign(memcmp("abd", "abc", 3)),
                   sign(memcmp("abc", "abd", 2)), sign(memcmp("\x80", "\x01", 1)), sign(memcmp("x", "y", 0)));
        log_printf("strlen=%d %d\n", (int) strlen("hello"), (int) strlen(""));
        log_printf("strnlen=%d %d %d\n", (int) strnlen("hello", 3), (int) strnlen("hi", 10), (int) strnlen("hi", 0));
        log_printf("strcpy=%d %s\n", strcpy(s, "copy") == s, s);
        log_printf("strcmp=%d %d %d %d %d %d\n", sign(strcmp("a", "b")), sign(strcmp("b", "a")), sign(strcmp("abc", "abc")),
                   sign(strcmp("ab", "abc")), sign(strcmp("abc", "ab")), sign(strcmp("\x80", "\x01")));
        const char* h = "hello";
        log_printf("strchr=%d %d %d %d\n", (int) (strchr(h, 'l') - h), (int) (strchr(h, 'h') - h),
                   (int) (strchr(h, 0) - h), strchr(h, 'z') == NULL);
        break;
    }
    /* panic and assert. */
    case 20:
        console_printf(CPOS(24, 0), 0x0700, "row 24 stays");
        panic(NULL);
    case 21:
        panic("boom %d %s", 5, "x");
    case 22:
        panic("exactly one newline\n");
    case 23:
        /* 7 + 73 = 80 characters: the message ends at column 0 of row 24, no newline is added. */
        panic("%s", "1234567890123456789012345678901234567890123456789012345678901234567890123");
    case 24:
        r = 1;
        assert(r == 2);
    case 25:
        panic("%s %s", "a fairly long message that goes on past the end of row twenty-three and onto", "row 24");
    default:
        log_printf("no such case %d\n", test_case);
    }
    log_printf("done\n");
    poweroff();
}
`;

const build = (tickLimit = true) => buildKernel(KERNEL, { defines: tickLimit ? { TICK_LIMIT: '1' } : {} });
const runCase = (n: number, tickLimit = true): KernelRun => runImage(build(tickLimit), { poke: { test_case: n } });
const poweredCase = (n: number): KernelRun => {
  const run = runCase(n);
  expectPoweroff(run);
  return run;
};

describe('the formatter (log_printf)', SLOW, () => {
  it('prints d i u x X p s c with flags, width, precision, *, l and z, and %C without output', () => {
    const run = poweredCase(0);
    const lines = run.log.split('\n');
    FORMATS.forEach(([f, a, expected], i) => {
      expect(lines[i], `log_printf("${f}", ${a})`).toBe(`[${expected}]`);
    });
    expect(lines.slice(FORMATS.length)).toEqual(['done', '']);
  });
});

describe('snprintf', SLOW, () => {
  it('formats like the console and returns the number of characters stored', () => {
    const run = poweredCase(1);
    const v = logValues(run);
    FORMATS.forEach(([f, a, expected], i) => {
      expect(v.get(`s${i}`), `snprintf("${f}", ${a})`).toBe(`${expected.length} [${expected}]`);
    });
  });

  it('truncates to size - 1 characters, NUL-terminates when size > 0, and writes nothing when size is 0', () => {
    const v = logValues(poweredCase(1));
    const bytes = (s: string, total = 12) => [...s].map((c) => c.charCodeAt(0).toString(16)).concat(Array(total - s.length).fill('5a')).join(' ');
    // "hello w" + NUL, the rest untouched ('Z' = 0x5a).
    expect(v.get('trunc')).toBe(`7 ${bytes('hello w\0')}`);
    expect(v.get('fit')).toBe(`5 ${bytes('hello\0')}`);
    expect(v.get('onemore')).toBe(`4 ${bytes('hell\0')}`);
    expect(v.get('size1')).toBe(`0 ${bytes('\0')}`);
    expect(v.get('size0')).toBe(`0 ${bytes('')}`);
    expect(v.get('number')).toBe(`3 ${bytes('123\0')}`);
    expect(v.get('empty')).toBe(`0 ${bytes('\0')}`);
  });
});

describe('console_printf', SLOW, () => {
  it('writes char | colour cells, changes colour at %C, and returns the position after the text', () => {
    const run = poweredCase(2);
    const v = logValues(run);
    expect(v.get('colour')).toBe(String(2 * 80 + 9));
    expect(cells(run, 2, 4, 6)).toEqual([0x0720, ...painted('ab', 0x0a00), ...painted('cd', 0x0c00), 0x0720]);
    expect(v.get('formats')).toBe(String(8 * 80 + 13));
    expect(cells(run, 8, 0, 14)).toEqual([...painted('s   42|ab  |q', 0x0200), 0x0720]);
    expect(v.get('empty')).toBe(String(11 * 80));
    expect(cells(run, 11, 0, 80)).toEqual(painted(' '.repeat(80), 0x0700));
  });

  it("'\\n' fills the rest of the row with blanks in the current colour and moves to the next row", () => {
    const run = poweredCase(2);
    const v = logValues(run);
    expect(v.get('newline')).toBe(String(4 * 80));
    expect(cells(run, 3, 0, 80)).toEqual([...painted(' '.repeat(10), 0x0700), ...painted('x', 0x0e00), ...painted(' '.repeat(69), 0x0e00)]);
    expect(cells(run, 4, 0, 80)).toEqual(painted(' '.repeat(80), 0x0700));
    expect(v.get('newline_col0')).toBe(String(6 * 80));
    expect(cells(run, 5, 0, 80)).toEqual(painted(' '.repeat(80), 0x1f00));
    expect(v.get('newline_colour')).toBe(String(7 * 80 + 1));
    expect(cells(run, 6, 0, 80)).toEqual([...painted('a', 0x0700), ...painted('b'.padEnd(79), 0x4e00)]);
    expect(cells(run, 7, 0, 2)).toEqual([...painted('c', 0x4e00), 0x0720]);
    // The last row: the fill stops at the end of the screen.
    expect(v.get('lastrow_newline')).toBe('2000');
    expect(cells(run, 24, 70, 10)).toEqual(painted(' '.repeat(10), 0x0500));
  });

  it('continues on the next row at the end of a row', () => {
    const run = poweredCase(2);
    expect(logValues(run).get('rowwrap')).toBe(String(10 * 80 + 3));
    expect(cells(run, 9, 75, 5)).toEqual(painted('wrapp', 0x0300));
    expect(cells(run, 10, 0, 4)).toEqual([...painted('ing', 0x0300), 0x0720]);
  });

  it('starts at 0 for a position outside [0, 2000) and wraps from the last cell to the first', () => {
    const run = poweredCase(3);
    const v = logValues(run);
    // -5 and 2000 both print from cell 0 (the second over the first).
    expect(v.get('negative')).toBe('8');
    expect(v.get('big')).toBe('3');
    // "wxyz" at 1998: w and x in the last two cells, y and z at 0 and 1.
    expect(v.get('wrap')).toBe('2');
    expect(cells(run, 24, 78, 2)).toEqual(painted('wx', 0x0700));
    expect(cells(run, 0, 0, 9)).toEqual([...painted('yz', 0x0700), ...painted('g', 0x0200), ...painted('ative', 0x0100), 0x0720]);
  });

  it('returns 2000 for text ending in the last cell, and wraps a "\\n" at the end of the screen onto row 0', () => {
    const run = poweredCase(10);
    const v = logValues(run);
    // "\n\n" at the last cell: the first fills it, the second wraps and fills row 0.
    expect(v.get('wrap_newline')).toBe('80');
    expect(cells(run, 0, 0, 80)).toEqual(painted(' '.repeat(80), 0x0600));
    expect(cells(run, 1, 0, 1)).toEqual([0x0720]);
    // Two characters at 1998 end at 2000: the return value is not wrapped.
    expect(v.get('end')).toBe('2000');
    expect(cells(run, 24, 78, 2)).toEqual(painted('ab', 0x0700));
  });
});

describe('console_clear', SLOW, () => {
  it("fills the screen with ' ' in 0x0700 and sets cursorpos to 0", () => {
    const run = poweredCase(4);
    expect(Array.from(run.screen.cells)).toEqual(Array(2000).fill(0x0720));
    expect(run.screen.cursorpos).toBe(0);
    expect(read32(run.machine, 0xb8ffc)).toBe(0);
  });
});

describe('log_printf and error_printf', SLOW, () => {
  it('log_printf writes exactly the formatted bytes to the log port', () => {
    const run = poweredCase(5);
    expect([...run.log].map((c) => c.charCodeAt(0))).toEqual([
      0x01, 0x7f, 0xff, 0x80, 0xfe, 0x7c, 0xe9, 0x74, 0xe9, 0x0a,
      ...[...'no newline\n\ndone\n'].map((c) => c.charCodeAt(0)),
    ]);
    expect(run.machine.devices.state.logBytes).toBe(run.log.length);
  });

  it('error_printf prints on the console and in the log, and returns the console position', () => {
    const run = poweredCase(6);
    expect(run.log).toBe(`err 3 x\nret=${23 * 80}\nmidret=${20 * 80 + 8}\ndone\n`);
    expectPrintedLine(run, 22 * 80, 'err 3 x', 0x0e00);
    expect(cells(run, 20, 4, 5)).toEqual([0x0720, ...painted('mid', 0x0900), 0x0720]);
  });
});

describe('console_show_cursor', SLOW, () => {
  it('puts the cursor position in CRT registers 14 and 15, and 0 for a negative or too large position', () => {
    const run = poweredCase(7);
    const v = logValues(run);
    expect(v.get('cursor_10_5')).toBe(String(805));
    expect(v.get('cursor_last')).toBe(String(1999));
    expect(v.get('cursor_negative')).toBe('0');
    expect(v.get('cursor_big')).toBe('0');
    expect(run.machine.devices.state.cursor).toBe(0);
  });
});

describe('rand and srand', SLOW, () => {
  /** The facts' LCG: seed = seed * 1664525 + 1013904223 (mod 2^32), result seed & RAND_MAX. */
  function sequence(seed: number, n: number): number[] {
    const out: number[] = [];
    let s = seed >>> 0;
    for (let i = 0; i < n; i++) {
      s = (Number((BigInt(s) * 1664525n) & 0xffffffffn) + 1013904223) >>> 0;
      out.push(s & 0x7fffffff);
    }
    return out;
  }
  const logged = (v: Map<string, string>, key: string) => v.get(key)!.trim().split(' ').map(Number);

  it('without srand, seeds with 819234718 on the first call', () => {
    const v = logValues(poweredCase(8));
    expect(logged(v, 'default')).toEqual(sequence(819234718, 6));
    expect(logged(v, 'seed819234718')).toEqual(logged(v, 'default'));
  });

  it('follows the LCG from the seed srand sets, results in [0, RAND_MAX]', () => {
    const v = logValues(poweredCase(8));
    for (const seed of [1, 0, 4, 0xffffffff]) {
      expect(logged(v, `seed${seed}`), `seed ${seed}`).toEqual(sequence(seed, 6));
    }
    // A hand-checked value: 0 * 1664525 + 1013904223.
    expect(logged(v, 'seed0')[0]).toBe(1013904223);
    expect(v.get('rand_max')).toBe(String(0x7fffffff));
  });
});

describe('the string functions', SLOW, () => {
  it('behave as in standard C', () => {
    const v = logValues(poweredCase(9));
    expect(v.get('memmove_fwd')).toBe('ababcdehij');
    expect(v.get('memmove_back')).toBe('cdefgfghij');
    expect(v.get('memcpy')).toBe('1 aXYZefghij');
    expect(v.get('memset')).toBe('1 ----efghij');
    expect(v.get('memset_int')).toBe('41');
    expect(v.get('memcmp')).toBe('-1 1 0 1 0');
    expect(v.get('strlen')).toBe('5 0');
    expect(v.get('strnlen')).toBe('3 2 0');
    expect(v.get('strcpy')).toBe('1 copy');
    expect(v.get('strcmp')).toBe('-1 1 0 -1 1 1');
    expect(v.get('strchr')).toBe('2 0 5 1');
  });
});

describe('panic (kernel)', SLOW, () => {
  const PANIC_COLOUR = 0xc000;

  it('with a NULL format prints "PANIC" alone at row 23 in 0xC000, and in the log', () => {
    const run = poweredCase(20);
    expectPrintedLine(run, 23 * 80, 'PANIC', PANIC_COLOUR);
    expect(run.log).toBe('PANIC\n');
    expect(cells(run, 24, 0, 13)).toEqual([...painted('row 24 stays', 0x0700), 0x0720]);
  });

  it('prints "PANIC: " and the message, adding the newline the message lacks', () => {
    const run = poweredCase(21);
    expectPrintedLine(run, 23 * 80, 'PANIC: boom 5 x', PANIC_COLOUR);
    expect(run.log).toBe('PANIC: boom 5 x\n');
  });

  it('does not add a second newline', () => {
    const run = poweredCase(22);
    expectPrintedLine(run, 23 * 80, 'PANIC: exactly one newline', PANIC_COLOUR);
    expect(run.log).toBe('PANIC: exactly one newline\n');
  });

  it('adds no newline when the message ends at column 0', () => {
    const run = poweredCase(23);
    const message = `PANIC: ${'1234567890'.repeat(7)}123`;
    expect(message.length).toBe(80);
    expect(cells(run, 23, 0, 80)).toEqual(painted(message, PANIC_COLOUR));
    expect(run.log).toBe(message);
    expect(cells(run, 24, 0, 80)).toEqual(painted(' '.repeat(80), 0x0700));
  });

  it('wraps a long message onto row 24', () => {
    const run = poweredCase(25);
    const message = 'PANIC: a fairly long message that goes on past the end of row twenty-three and onto row 24';
    expectPrintedLine(run, 23 * 80, message, PANIC_COLOUR);
    expect(run.log).toBe(`${message}\n`);
  });

  it('assert in kernel.c panics with "<file>:<line>: assertion \'<expr>\' failed"', () => {
    const run = poweredCase(24);
    const line = KERNEL.split('\n').findIndex((l) => l.includes('assert(r == 2);')) + 1;
    const message = `PANIC: kernel.c:${line}: assertion 'r == 2' failed`;
    expectPrintedLine(run, 23 * 80, message, PANIC_COLOUR);
    expect(run.log).toBe(`${message}\n`);
  });

  it('with TICK_LIMIT set, powers off after printing', () => {
    const run = poweredCase(21);
    expect(run.machine.status).toBe('poweroff');
    expect(run.log).not.toContain('done');
  });

  it('without TICK_LIMIT, waits on the keyboard until q powers off', () => {
    const image = build(false);
    const run = runImage(image, { poke: { test_case: 21 }, limit: 300_000 });
    expect(run.stop.kind, describeRun(run)).toBe('budget');
    expect(run.lines[23]).toBe('PANIC: boom 5 x');
    const m = run.machine;
    // Keys that are not a, f, e, q or ^C change nothing.
    m.devices.pressKey('x'.charCodeAt(0), m.icount + 10);
    expect(m.run(300_000).kind).toBe('budget');
    expect(m.devices.state.keys).toEqual([]);
    m.devices.pressKey('q'.charCodeAt(0), m.icount + 10);
    expect(m.run(300_000).kind).toBe('poweroff');
  });

  it('without TICK_LIMIT, Control-C powers off too', () => {
    const run = runImage(build(false), { poke: { test_case: 20 }, keys: [[0x03, 500_000]], limit: 2_000_000 });
    expect(run.stop.kind, describeRun(run)).toBe('poweroff');
    expect(run.machine.icount).toBeGreaterThan(500_000);
    expect(run.log).toBe('PANIC\n');
  });
});

describe('the test kernel', SLOW, () => {
  it('places console and cursorpos at the facts addresses', () => {
    const image = build();
    expect(symbol(image, 'console')).toBe(0xb8000);
    expect(symbol(image, 'cursorpos')).toBe(0xb8ffc);
  });
});
