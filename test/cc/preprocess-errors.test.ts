// Malformed input: each problem gives one diagnostic with an exact range,
// and preprocessing carries on with what follows (ARCHITECTURE.md,
// invariant 8).

import { describe, expect, it } from 'vitest';
import { run, where } from './preprocess-helpers';

/** Runs `bad` followed by a line `after`, and returns the diagnostics with their full ranges. */
function afterProblem(bad: string): { ranges: string[]; carriedOn: boolean } {
  const r = run(`${bad}\nafter`);
  return {
    ranges: r.result.diagnostics.map((d) => `${d.severity}: ${d.message} @ ${where(d.range)}`),
    carriedOn: r.result.tokens.some((t) => t.text === 'after'),
  };
}

describe('every problem is located, and the rest is still preprocessed', () => {
  it.each([
    ['an unterminated comment', 'x /* never closed', 'error: unterminated comment @ main.c:1:3-1:5', false],
    ['an unterminated string', 'x = "abc;', 'error: missing terminating " character @ main.c:1:5-1:10', true],
    ['an unterminated character constant', "c = 'a;", "error: missing terminating ' character @ main.c:1:5-1:8", true],
    ['a stray #else', '#else', 'error: #else without #if @ main.c:1:2-1:6', true],
    ['a stray #endif', '#endif', 'error: #endif without #if @ main.c:1:2-1:7', true],
    ['a bad directive', '#defne X 1', 'error: invalid preprocessing directive #defne @ main.c:1:2-1:7', true],
    ['too few macro arguments', '#define f(a, b) a\nf(1)', 'error: macro "f" requires 2 arguments, but only 1 given @ main.c:2:4-2:5', true],
    ['too many macro arguments', '#define f(a) a\nf(1, 2)', 'error: macro "f" passed 2 arguments, but takes just 1 @ main.c:2:7-2:8', true],
    ['a duplicate parameter', '#define f(a, a) a', 'error: duplicate macro parameter "a" @ main.c:1:14-1:15', true],
    ['a different redefinition', '#define A 1\n#define A 2', 'warning: "A" redefined @ main.c:2:9-2:10', true],
    ['a missing include', '#include "gone.h"', 'error: gone.h: No such file or directory (searched ., the built-in headers) @ main.c:1:10-1:18', true],
    ['#error', '#error stop here', 'error: #error stop here @ main.c:1:2-1:7', true],
    ['a bad #if', '#if 1 +\n#endif', "error: operator '+' has no right operand @ main.c:1:7-1:8", true],
    ['an invalid paste', '#define c(a, b) a ## b\nc(., ;)', 'error: pasting "." and ";" does not give a valid preprocessing token @ main.c:2:3-2:4', true],
  ])('%s', (_name, bad, diagnostic, carriesOn) => {
    const r = afterProblem(bad);
    expect(r.ranges).toEqual([diagnostic]);
    expect(r.carriedOn).toBe(carriesOn);
  });

  it('reports an unterminated #if at the #if and still outputs the group', () => {
    const r = run('#if 1\nkept');
    expect(r.text).toBe('kept');
    expect(r.result.diagnostics.map((d) => `${d.message} @ ${where(d.range)}`)).toEqual(['unterminated #if @ main.c:1:2-1:4']);
  });

  it('reports an invocation left open at the end of the file at the macro\'s name', () => {
    const r = run('#define f(x) x\nbefore f(1, 2');
    expect(r.text).toBe('before f');
    expect(r.result.diagnostics.map((d) => `${d.message} @ ${where(d.range)}`)).toEqual(['unterminated argument list invoking macro "f" @ main.c:2:8-2:9']);
  });

  it('points a diagnostic from a macro body at the outermost invocation, with the chain in notes', () => {
    const r = run('#define IN(x) x ## ;\n#define OUT IN(a)\nint OUT');
    expect(r.diagnostics).toEqual([
      'main.c:3:5: error: pasting "a" and ";" does not give a valid preprocessing token\n' +
        "main.c:2:13: note: in expansion of macro 'IN'\n" +
        "main.c:3:5: note: in expansion of macro 'OUT'",
    ]);
  });
});
