// Bad input never takes the server down: binary files, huge files,
// unterminated comments and macros, runaway nesting and recursion give
// diagnostics or silence, and after each the process is alive and still
// answers (hovers, completion and definition at random places included).

import { describe, expect, it } from 'vitest';
import { xorshift } from '../support/xorshift';
import type { LspTestClient } from './lsp-client';
import { kernelWith, languageServerFor, REFERENCE_KERNEL, type TempWorkspace } from './workspace';

let client: LspTestClient;
let ws: TempWorkspace;

languageServerFor({ 'kernel.c': REFERENCE_KERNEL }, (c, w) => {
  client = c;
  ws = w;
});

let counter = 0;

/** Opens `text`, waits for its diagnostics, pokes it at random places, and checks the server still answers. */
async function survive(text: string, name = `bad-${++counter}.c`, timeoutMs = 60_000) {
  const path = ws.write(name, text);
  const since = client.published.length;
  const uri = await client.open(path, text);
  const published = await client.diagnostics(uri, 1, timeoutMs, since);
  const next = xorshift(counter * 7919);
  const lines = Math.max(1, text.split('\n').length);
  for (let i = 0; i < 6; i++) {
    const position = { line: next() % lines, character: next() % 40 };
    await client.hover(uri, position);
    await client.completion(uri, position);
    await client.definition(uri, position);
    await client.signatureHelp(uri, position);
  }
  expect(await client.alive(), client.log.join('')).toBe(true);
  await client.close(uri);
  return published.diagnostics;
}

describe('bad input', () => {
  it('a binary file (NUL bytes): silence', async () => {
    const next = xorshift(42);
    const bytes = Array.from({ length: 64 * 1024 }, () => String.fromCharCode(next() % 256)).join('');
    expect(await survive(bytes)).toEqual([]);
  });

  it('binary garbage without NULs: at most 200 diagnostics, or silence', async () => {
    const next = xorshift(7);
    const bytes = Array.from({ length: 32 * 1024 }, () => String.fromCharCode(1 + (next() % 255))).join('');
    expect((await survive(bytes)).length).toBeLessThanOrEqual(200);
    const text = Array.from({ length: 20_000 }, () => '@`\\$'[next() % 4]).join('');
    expect((await survive(text)).length).toBeLessThanOrEqual(200);
  });

  it('a huge file (3 MB) is not checked; a large one (about 1 MB of C) is', async () => {
    const huge = 'int x;\n'.repeat(450_000);
    expect(await survive(huge)).toEqual([]);
    const large = Array.from({ length: 25_000 }, (_, i) => `static int counter_${i} = ${i} * PAGESIZE;`).join('\n');
    expect(await survive(`#include "kernel.h"\n${large}\n`)).toEqual([]);
  });

  it('an unterminated comment', async () => {
    const text = `${REFERENCE_KERNEL}\n/* never closed\nvoid f(void) {}\n`;
    const d = await survive(text);
    expect(d.map((x) => x.message)).toEqual(['unterminated comment']);
    expect(d[0]!.range.start).toEqual({ line: text.split('\n').length - 3, character: 0 });
  });

  it('unterminated macros, conditionals and invocations', async () => {
    expect((await survive(kernelWith('', '#define HALF(x, '))).length).toBeGreaterThan(0);
    expect((await survive(kernelWith('', '#if 1\n#define NEVER_ENDS 1'))).map((x) => x.message).join('\n')).toMatch(/unterminated/);
    expect((await survive(kernelWith('    int pn = PAGENUMBER(3;'))).length).toBeGreaterThan(0);
    expect((await survive(kernelWith('    const char* s = "no end;\n'))).length).toBeGreaterThan(0);
  });

  it('runaway nesting and recursion', async () => {
    expect((await survive(kernelWith(`    int deep = ${'('.repeat(50_000)}1${')'.repeat(50_000)};`))).length).toBeGreaterThanOrEqual(0);
    expect((await survive(kernelWith('', '#include "self.c"'), 'self.c')).length).toBeGreaterThan(0);
    expect((await survive(kernelWith('    int r = LOOP_A;', '#define LOOP_A LOOP_B + 1\n#define LOOP_B LOOP_A + 1'))).length).toBeGreaterThan(0);
    expect(await survive('')).toEqual([]);
  });

  it('a header opened on its own, and files with odd names', async () => {
    expect(await survive('#define ONLY_A_MACRO 1\n', 'lonely.h')).toEqual([]);
    expect((await survive('int main(void) { return missing; }\n', 'dir with spaces/ünïcode.c')).length).toBe(1);
  });
});
