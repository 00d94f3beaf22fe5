// `weensy exec` and `weensy compile` end to end: the built CLI
// (dist/weensy.js, which `npm test` builds first) spawned on temporary C
// files, as a user runs it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/weensy.js', import.meta.url));
/** Spawning node and compiling the C library takes a while on a loaded machine. */
const SLOW = { timeout: 60_000 };

let dir = '';
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), 'weensy-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files into the temporary folder (paths relative to it). */
function files(entries: Record<string, string>): void {
  for (const [name, text] of Object.entries(entries)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
}

/** Runs `weensy args...` in the temporary folder. */
function weensy(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('weensy exec', () => {
  it('runs hello world', SLOW, () => {
    files({ 'hello.c': '#include <stdio.h>\n\nint main(void) {\n    printf("hello, world\\n");\n    return 0;\n}\n' });
    expect(weensy(['exec', 'hello.c'])).toEqual({ status: 0, stdout: 'hello, world\n', stderr: '' });
  });

  it("passes the program's standard error and exit status through", SLOW, () => {
    files({ 'status.c': '#include <stdio.h>\nint main(void) { puts("out"); fprintf(stderr, "problem: %d\\n", 7); return 3; }\n' });
    expect(weensy(['exec', 'status.c'])).toEqual({ status: 3, stdout: 'out\n', stderr: 'problem: 7\n' });
  });

  it('passes arguments after -- and standard input to the program', SLOW, () => {
    files({
      'echo.c': `#include <stdio.h>
int main(int argc, char **argv) {
    char line[64];
    for (int i = 0; i < argc; i++) printf("argv[%d] = %s\\n", i, argv[i]);
    while (fgets(line, sizeof line, stdin)) printf("read: %s", line);
    return 0;
}
`,
    });
    const r = weensy(['exec', 'echo.c', '--', 'first', '--not-an-option', 'third arg'], 'one\ntwo\n');
    expect(r.stdout).toBe('argv[0] = echo\nargv[1] = first\nargv[2] = --not-an-option\nargv[3] = third arg\nread: one\nread: two\n');
    expect(r.status).toBe(0);
  });

  it('compiles several files together, with -D, -U and -I, searching the including file\'s folder first', SLOW, () => {
    files({
      'proj/main.c': '#include <stdio.h>\n#include "config.h"\n#include "util.h"\nint main(void) { printf("%d %s %d\\n", twice(GREETING_LEN), WHERE, VERBOSE); return 0; }\n',
      'proj/util.c': '#include "util.h"\nint twice(int x) { return 2 * x; }\n',
      'proj/util.h': 'int twice(int x);\n',
      'proj/config.h': '#define WHERE "project folder"\n',
      'inc/config.h': '#define WHERE "include folder"\n',
      'inc/extra.h': '#define UNUSED 1\n',
    });
    const r = weensy(['exec', 'proj/main.c', 'proj/util.c', '-Iinc', '-DGREETING_LEN=21', '-DVERBOSE', '-D', 'X=1', '-UX']);
    expect(r).toEqual({ status: 0, stdout: '42 project folder 1\n', stderr: '' });
  });

  it('prints compile errors as gcc does, with the source line and a caret, and exits 1', SLOW, () => {
    files({ 'broken.c': '#include <stdio.h>\n\nint main(void) {\n\tint total = 0;\n\treturn totl + 1;\n}\n' });
    const r = weensy(['exec', 'broken.c']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      ["broken.c:5:9: error: 'totl' undeclared (first use in this function)", '    5 |         return totl + 1;', '      |                ^~~~', ''].join('\n'),
    );
  });

  it('reports link errors the same way', SLOW, () => {
    files({ 'nolink.c': 'int helper(void);\nint main(void) { return helper(); }\n' });
    const r = weensy(['exec', 'nolink.c']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nolink\.c:2:\d+: error: undefined reference to 'helper'/);
  });

  it('stops a program that never ends at its instruction budget, exits 124 and says where it was', SLOW, () => {
    files({ 'forever.c': '#include <stdio.h>\nint main(void) {\n    volatile int running = 1;\n    printf("started\\n");\n    while (running) { }\n}\n' });
    const r = weensy(['exec', 'forever.c', '--max-instructions', '100000']);
    expect(r.status).toBe(124);
    expect(r.stdout).toBe('started\n');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('weensy: the program did not finish within its budget of 100,000 instructions (see --max-instructions); it was stopped');
    expect(lines[1]).toMatch(/^ {2}at main \(forever\.c:5:\d+, 0x[0-9a-f]+\)$/);
  });

  it('stops a program at a division by zero: #DE, where, and exit status 136', SLOW, () => {
    files({
      'divide.c': `#include <stdio.h>
int ratio(int a, int b) {
    return a / b;
}
int main(int argc, char **argv) {
    printf("dividing\\n");
    return ratio(100, argc - 1);
}
`,
    });
    const r = weensy(['exec', 'divide.c']);
    expect(r.status).toBe(136);
    expect(r.stdout).toBe('dividing\n');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('weensy: the program faulted: #DE divide error: division by zero or quotient overflow');
    expect(lines[1]).toMatch(/^ {2}at ratio \(divide\.c:3:\d+, 0x[0-9a-f]+\)$/);
    expect(lines[2]).toMatch(/^ {2}called from main \(divide\.c:7:\d+, 0x[0-9a-f]+\)$/);
  });

  it('reports a failed assertion as glibc does, with status 134', SLOW, () => {
    files({ 'asserts.c': '#include <assert.h>\nint main(int argc, char **argv) {\n    assert(argc > 1);\n    return 0;\n}\n' });
    const r = weensy(['exec', 'asserts.c']);
    expect(r.status).toBe(134);
    expect(r.stderr).toBe("asserts: asserts.c:3: main: Assertion `argc > 1' failed.\nAborted\n");
    expect(weensy(['exec', 'asserts.c', '--', 'x']).status).toBe(0);
  });

  it('rejects bad command lines with status 2 and missing files with status 1', SLOW, () => {
    const unknown = weensy(['exec', 'hello.c', '--frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^weensy exec: unknown option '--frobnicate'/);
    expect(weensy(['exec']).status).toBe(2);
    expect(weensy(['exec', 'hello.c', '--max-instructions', 'lots']).status).toBe(2);
    const missing = weensy(['exec', 'nowhere.c']);
    expect(missing).toEqual({ status: 1, stdout: '', stderr: 'weensy: nowhere.c: no such file\n' });
  });
});

describe('weensy compile', () => {
  it('prints nothing and exits 0 for a good program', SLOW, () => {
    files({ 'good.c': '#include <stdlib.h>\nint main(void) { return abs(-1) - 1; }\n' });
    expect(weensy(['compile', 'good.c'])).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('prints the diagnostics and exits 1 when there are errors, without running anything', SLOW, () => {
    files({ 'bad.c': '#include <stdio.h>\nint main(void) {\n    puts("never");\n    return missing;\n}\n' });
    const r = weensy(['compile', 'bad.c']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(["bad.c:4:12: error: 'missing' undeclared (first use in this function)", '    4 |     return missing;', '      |            ^~~~~~~', ''].join('\n'));
  });

  it('exits 0 with warnings, which it prints', SLOW, () => {
    files({ 'warn.c': 'int main(void) {\n    return undeclared_function();\n}\nint undeclared_function(void) { return 0; }\n' });
    const r = weensy(['compile', 'warn.c']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warn\.c:2:12: warning: implicit declaration of function 'undeclared_function'\n {4}2 \| {5}return undeclared_function\(\);\n {6}\| {12}\^/);
  });
});

describe('weensy help', () => {
  it('describes exec and compile', SLOW, () => {
    const r = weensy(['help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('weensy exec prog.c [more.c ...] [options] [-- program arguments...]');
    expect(r.stdout).toContain('weensy compile file.c');
  });
});
