// Hosted programs end to end, in-process: crt0 (argc/argv, main's return
// value), exit/atexit/_Exit/abort, assert's message, the standard streams
// (stdin through the keyboard controller), the standard headers' values,
// <stdarg.h> in user code, and how runs that do not exit are reported.

import { describe, expect, it } from 'vitest';
import { HOSTED_STATUS, sourceLocation } from '../../emulator/index';
import { build, run } from './helpers';

describe('program start and exit', () => {
  it('passes argc and argv (NULL-terminated) to main and exits with its return value', () => {
    const r = run(
      `#include <stdio.h>
       int main(int argc, char **argv) {
         for (int i = 0; i < argc; i++) printf("%d:%s\\n", i, argv[i]);
         printf("end %d\\n", argv[argc] == 0);
         return 42;
       }`,
      { argv: ['prog', 'one', 'two words', ''] },
    );
    expect(r.out).toBe('0:prog\n1:one\n2:two words\n3:\nend 1\n');
    expect(r.stop.kind).toBe('exit');
    expect(r.exitStatus).toBe(42);
    expect(r.status).toBe(42);
    expect(r.message).toEqual([]);
  });

  it('returns 0 when main falls off its end, and keeps the low 8 bits of exit statuses', () => {
    expect(run('int main(void) { }').exitStatus).toBe(0);
    expect(run('#include <stdlib.h>\nint main(void) { exit(300); }').exitStatus).toBe(44);
    expect(run('#include <stdlib.h>\nint main(void) { exit(-1); }').exitStatus).toBe(255);
  });

  it('runs atexit functions in reverse order on exit, from anywhere, but not on _Exit', () => {
    const src = (how: string): string => `
      #include <stdio.h>
      #include <stdlib.h>
      static void first(void) { puts("first registered"); }
      static void second(void) { puts("second registered"); }
      static void leave(void) { ${how}; }
      int main(void) { atexit(first); atexit(second); leave(); puts("not reached"); return 0; }`;
    const r = run(src('exit(3)'));
    expect(r.out).toBe('second registered\nfirst registered\n');
    expect(r.exitStatus).toBe(3);
    const q = run(src('_Exit(4)'));
    expect(q.out).toBe('');
    expect(q.exitStatus).toBe(4);
  });

  it('abort says so on standard error and exits 134, as a shell reports SIGABRT', () => {
    const r = run('#include <stdlib.h>\n#include <stdio.h>\nint main(void) { printf("before\\n"); abort(); }');
    expect(r.out).toBe('before\n');
    expect(r.err).toBe('Aborted\n');
    expect(r.exitStatus).toBe(134);
  });
});

describe('assert', () => {
  const src = `#include <assert.h>
int check(int x) {
    assert(x > 0);
    return x;
}
int main(void) { check(1); return check(-5); }
`;

  it("prints glibc's message (program, file, line, function, expression) and aborts", () => {
    const r = run(src, { argv: ['/some/folder/prog'] });
    expect(r.err).toBe("prog: prog.c:3: check: Assertion `x > 0' failed.\nAborted\n");
    expect(r.exitStatus).toBe(134);
  });

  it('does nothing under NDEBUG, and is redefined each time <assert.h> is included', () => {
    expect(run('#define NDEBUG\n' + src).exitStatus).toBe(251);
    const again = run('#define NDEBUG\n#include <assert.h>\n#undef NDEBUG\n' + src);
    expect(again.exitStatus).toBe(134);
  });
});

describe('standard streams', () => {
  it('keeps standard output and standard error apart', () => {
    const r = run(`
      #include <stdio.h>
      int main(void) {
        fputs("to out\\n", stdout); fputs("to err\\n", stderr);
        fprintf(stderr, "%s %d\\n", "err", 2); putchar('x'); fputc('y', stderr); puts("");
        fwrite("abc", 1, 3, stdout);
        return 0;
      }`);
    expect(r.out).toBe('to out\nx\nabc');
    expect(r.err).toBe('to err\nerr 2\ny');
  });

  it('reads standard input a byte or a line at a time, with ungetc, then reports EOF', () => {
    const r = run(
      `#include <stdio.h>
       int main(void) {
         char line[8];
         int c = getchar();
         ungetc(c, stdin);
         printf("first %c, eof %d\\n", c, feof(stdin));
         while (fgets(line, sizeof line, stdin)) printf("[%s]", line);
         printf("\\neof %d, getchar %d, fgets %p\\n", feof(stdin), getchar(), (void *) fgets(line, sizeof line, stdin));
         return 0;
       }`,
      { stdin: 'hello world\nbye\n' },
    );
    expect(r.out).toBe('first h, eof 0\n[hello w][orld\n][bye\n]\neof 1, getchar -1, fgets (nil)\n');
  });

  it('gives EOF at once when there is no standard input', () => {
    expect(run('#include <stdio.h>\nint main(void) { return getchar() == EOF ? 7 : 1; }').exitStatus).toBe(7);
  });
});

describe('the standard headers', () => {
  it("give gcc's x86-64 (LP64) sizes and limits", () => {
    const r = run(`
      #include <limits.h>
      #include <stdbool.h>
      #include <stddef.h>
      #include <stdint.h>
      #include <stdio.h>
      struct s { char c; long l; };
      int main(void) {
        printf("%zu %zu %zu %zu %zu\\n", sizeof(size_t), sizeof(ptrdiff_t), sizeof(wchar_t), sizeof(intptr_t), sizeof(bool));
        printf("%zu %zu %zu\\n", offsetof(struct s, l), sizeof(max_align_t), _Alignof(max_align_t));
        printf("%d %d %u %ld %lu\\n", CHAR_MIN, INT_MIN, UINT_MAX, LONG_MIN, ULONG_MAX);
        printf("%d %d %ld %lu %lu\\n", INT8_MIN, INT16_MAX, INT64_MIN, UINT64_MAX, SIZE_MAX);
        printf("%zu %zu %zu\\n", sizeof(int_fast16_t), sizeof(int_least8_t), sizeof(uintmax_t));
        printf("%d %d %d\\n", true, false, __bool_true_false_are_defined);
        printf("%ld %lu\\n", INT64_C(-5), UINT64_C(7));
        return 0;
      }`);
    expect(r.out).toBe(
      [
        '8 8 4 8 1',
        '8 32 16',
        '-128 -2147483648 4294967295 -9223372036854775808 18446744073709551615',
        '-128 32767 -9223372036854775808 18446744073709551615 18446744073709551615',
        '8 1 8',
        '1 0 1',
        '-5 7',
        '',
      ].join('\n'),
    );
  });

  it('let programs write their own variadic functions with <stdarg.h> and the v*printf family', () => {
    const r = run(`
      #include <stdarg.h>
      #include <stdio.h>
      static int sum(int n, ...) {
        va_list ap;
        va_start(ap, n);
        int total = 0;
        for (int i = 0; i < n; i++) total += va_arg(ap, int);
        va_end(ap);
        return total;
      }
      static void logf_(const char *fmt, ...) {
        char buf[64];
        va_list ap, copy;
        va_start(ap, fmt);
        va_copy(copy, ap);
        int n = vsnprintf(buf, sizeof buf, fmt, ap);
        printf("log(%d): %s\\n", n, buf);
        vfprintf(stderr, fmt, copy);
        va_end(copy);
        va_end(ap);
      }
      int main(void) {
        printf("%d\\n", sum(8, 1, 2, 3, 4, 5, 6, 7, 8));
        logf_("%s=%ld", "big", 1234567890123L);
        return 0;
      }`);
    expect(r.out).toBe('36\nlog(17): big=1234567890123\n');
    expect(r.err).toBe('big=1234567890123');
  });

  it('offer rand and srand: the C standard generator, deterministic', () => {
    const r = run(`
      #include <stdio.h>
      #include <stdlib.h>
      int main(void) {
        int a = rand(), b = rand(), c = rand();
        printf("%d %d %d\\n", a, b, c);
        srand(1); printf("%d\\n", rand());
        srand(42); printf("%d %d\\n", rand(), RAND_MAX);
        return 0;
      }`);
    // next = next * 1103515245 + 12345; return next / 65536 % 32768 (C11 7.22.2.2, EXAMPLE).
    expect(r.out).toBe('16838 5758 10113\n16838\n19081 32767\n');
  });
});

describe('runs that do not exit', () => {
  it('stop at the instruction budget: status 124, and the message says where the program was', () => {
    const r = run(
      `int spin(volatile int *p) {
    while (*p == 0) { }
    return *p;
}
int main(void) { int x = 0; return spin(&x); }
`,
      { maxInstructions: 5_000 },
    );
    expect(r.stop.kind).toBe('budget');
    expect(r.instructions).toBe(5_000);
    expect(r.exitStatus).toBeNull();
    expect(r.status).toBe(HOSTED_STATUS.budget);
    expect(r.message[0]).toBe('weensy: the program did not finish within its budget of 5,000 instructions (see --max-instructions); it was stopped');
    expect(r.message[1]).toMatch(/^ {2}at spin \(prog\.c:2:\d+, 0x[0-9a-f]+\)$/);
    expect(r.message[2]).toMatch(/^ {2}called from main \(prog\.c:5:\d+, 0x[0-9a-f]+\)$/);
    expect(r.message[3]).toMatch(/^ {2}called from _start \(<weensy-runtime>\/hosted\/crt0\.c:\d+:\d+, 0x[0-9a-f]+\)$/);
  });

  it('stop at a division by zero (#DE), before it is delivered: status 136, as SIGFPE gives', () => {
    const r = run(
      `#include <stdio.h>
int divide(int a, int b) { return a / b; }
int main(int argc, char **argv) {
    printf("before\\n");
    return divide(10, argc - 1);
}
`,
    );
    expect(r.out).toBe('before\n');
    expect(r.stop.kind).toBe('fault');
    expect(r.stop.kind === 'fault' && r.stop.fault.vector).toBe(0);
    expect(r.status).toBe(HOSTED_STATUS.divideError);
    expect(r.message[0]).toBe('weensy: the program faulted: #DE divide error: division by zero or quotient overflow');
    expect(r.message[1]).toMatch(/^ {2}at divide \(prog\.c:2:\d+, 0x[0-9a-f]+\)$/);
    expect(r.message[2]).toMatch(/^ {2}called from main \(prog\.c:5:\d+, /);
  });

  it('stop at __builtin_trap (#UD): status 132, as SIGILL gives', () => {
    const r = run('int main(void) {\n    __builtin_trap();\n}\n');
    expect(r.status).toBe(HOSTED_STATUS.invalidOpcode);
    expect(r.message[0]).toBe('weensy: the program faulted: #UD invalid opcode: ud2 executed');
    expect(r.message[1]).toMatch(/^ {2}at main \(prog\.c:2:5, /);
  });

  it('stop at hlt with interrupts off: the program can never continue', () => {
    const r = run('int main(void) { __builtin_ws_hlt(); return 0; }');
    expect(r.stop.kind).toBe('halt');
    expect(r.status).toBe(HOSTED_STATUS.halt);
    expect(r.message[0]).toMatch(/hlt with interrupts disabled/);
  });
});

describe('sourceLocation', () => {
  it('maps code addresses to function, file and line, and other addresses to nothing', () => {
    const image = build({ 'prog.c': 'int twice(int x) {\n    return 2 * x;\n}\nint main(void) { return twice(4); }\n' });
    const twice = image.symbols.get('twice')!;
    expect(sourceLocation(image, twice.address)).toMatchObject({ function: 'twice', file: 'prog.c', line: 1 });
    expect(sourceLocation(image, twice.address + twice.size - 1)).toMatchObject({ function: 'twice', file: 'prog.c' });
    expect(sourceLocation(image, 0x10)).toBeUndefined();
    const memcpy = image.symbols.get('memcpy')!;
    expect(sourceLocation(image, memcpy.address + memcpy.size - 1)).toMatchObject({ function: 'memcpy', file: '<weensy-runtime>/hosted/string.c' });
  });
});

describe('a program that defines a library function itself', () => {
  it('gets its own definition everywhere, the library\'s calls included, as with glibc (no "multiple definition")', () => {
    const r = run(`
      #include <stdio.h>
      #include <stdlib.h>
      #include <string.h>
      static char pool[256];
      static size_t used;
      static int calls;
      void *malloc(size_t n) { void *p = pool + used; used += (n + 15) & ~(size_t) 15; calls++; return p; }
      void free(void *p) { (void) p; }
      int main(void) {
        char *a = strdup("copied");
        char *b = malloc(3);
        printf("%s %d %d\\n", a, calls, (int) (b - a));
        return 0;
      }`);
    expect(r.message).toEqual([]);
    expect(r.out).toBe('copied 2 16\n');
  });
});
