// The emulator reads no files at run time, so the C library's sources reach
// it through emulator/generated/runtime-sources.ts, generated from runtime/**
// by scripts/embed-runtime.mjs (npm run build runs it). This keeps the
// committed module current. After editing runtime/, regenerate it:
//   node scripts/embed-runtime.mjs     (or UPDATE_GOLDEN=1 npx vitest run test/hosted/runtime-embed.test.ts)

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT, renderRuntimeModule } from '../../scripts/embed-runtime.mjs';
import { RUNTIME_SOURCES } from '../../emulator/generated/runtime-sources';

describe('emulator/generated/runtime-sources.ts', () => {
  const text = renderRuntimeModule();

  it('is current (UPDATE_GOLDEN=1 regenerates it)', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(OUTPUT, text);
    expect(readFileSync(OUTPUT, 'utf8'), 'runtime-sources.ts is stale: run node scripts/embed-runtime.mjs').toBe(text);
  });

  it('holds every header a hosted program may include, the library sources and the shared formatter', () => {
    for (const h of ['stdio.h', 'stdlib.h', 'string.h', 'stdarg.h', 'stddef.h', 'stdint.h', 'stdbool.h', 'assert.h', 'limits.h', 'ctype.h']) {
      expect(RUNTIME_SOURCES.has(`hosted/include/${h}`), h).toBe(true);
    }
    for (const c of ['hosted/crt0.c', 'hosted/stdio.c', 'hosted/string.c', 'hosted/stdlib.c', 'hosted/malloc.c', 'lib/printer.c', 'lib/printer.h']) {
      expect(RUNTIME_SOURCES.has(c), c).toBe(true);
    }
    expect(RUNTIME_SOURCES.get('lib/printer.h')).toContain('int printer_vprintf(printer *p, int color, const char *format, __builtin_va_list ap);');
  });
});
