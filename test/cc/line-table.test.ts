// The line table's first row of a function, and its debug record's range,
// name the function's definition (as gcc's do), even when a prototype, in a
// header or earlier in the file, declared it first: a debugger stopped on the
// prologue shows the definition, and "go to function" lands there.

import { describe, expect, it } from 'vitest';
import { compileFile } from '../../emulator/cc/compile';
import { hostOf } from './compile-helpers';

const HEADER = 'void tick(int n);\nint twice(int);\n';
const MAIN = `#include "api.h"
static int helper(void);

int twice(int x) {
    return 2 * x + helper();
}

static int helper(void) {
    return 1;
}

void tick(int n) {
    twice(n);
}
`;

describe('line table: functions declared before they are defined', () => {
  const { module, diagnostics } = compileFile({ path: '/w/main.c', text: MAIN }, { host: hostOf({ '/w/api.h': HEADER, '/w/main.c': MAIN }) });

  it('compiles', () => {
    expect(diagnostics).toEqual([]);
    expect(module).toBeDefined();
  });

  it.each([['twice', 4], ['helper', 8], ['tick', 12]])('%s: prologue row and record at line %i of main.c', (name, line) => {
    const m = module!;
    const sym = m.symbols.find((s) => s.name === name)!;
    const first = m.lines.filter((r) => r.offset >= sym.offset).sort((a, b) => a.offset - b.offset)[0]!;
    expect(first.offset).toBe(sym.offset);
    expect([first.range.start.file, first.range.start.line]).toEqual(['/w/main.c', line]);
    const record = m.debug!.functions.find((f) => f.name === name)!;
    expect([record.range.start.file, record.range.start.line]).toEqual(['/w/main.c', line]);
  });
});
