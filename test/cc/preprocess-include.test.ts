// #include (C11 6.10.2): the search order, built-in headers, macro-expanded
// names, #pragma once, include guards, depth limits and missing files.

import { describe, expect, it } from 'vitest';
import { run, text, tokenNamed, where } from './preprocess-helpers';

describe('search order', () => {
  const files = {
    'src/main_dir.h': 'own_folder',
    'inc/main_dir.h': 'include_path',
    'inc/only_inc.h': 'include_path',
    'inc2/only_inc.h': 'second_path',
    'inc2/only_inc2.h': 'second_path',
  };
  const builtinHeaders = new Map([['only_inc.h', 'builtin'], ['only_builtin.h', 'builtin']]);
  const options = { includePaths: ['inc', 'inc2'], builtinHeaders };
  it('looks in the including file\'s folder first for "name", but not for <name>', () => {
    const withSrc = { ...files, 'src/user.h': '#include "main_dir.h"\n#include <main_dir.h>' };
    expect(text('#include "src/user.h"', withSrc, options)).toBe('own_folder\ninclude_path');
  });

  it('searches the include paths in order, then the built-in headers', () => {
    expect(text('#include "only_inc.h"\n#include <only_inc2.h>\n#include <only_builtin.h>', files, options)).toBe('include_path\nsecond_path\nbuiltin');
  });

  it('lets a workspace file shadow a built-in header of the same name', () => {
    expect(text('#include <kernel.h>', { 'kernel.h': 'workspace' }, { includePaths: ['.'], builtinHeaders: new Map([['kernel.h', 'builtin']]) })).toBe('workspace');
  });

  it('resolves a built-in header\'s own quoted includes through the include paths first', () => {
    const builtins = new Map([['kernel.h', '#include "lib.h"\nkernel'], ['lib.h', 'builtin_lib']]);
    expect(text('#include "kernel.h"', {}, { builtinHeaders: builtins })).toBe('builtin_lib\nkernel');
    expect(text('#include "kernel.h"', { 'lib.h': 'student_lib' }, { includePaths: [''], builtinHeaders: builtins })).toBe('student_lib\nkernel');
  });

  it('finds quoted includes relative to each including file, normalizing ../', () => {
    const r = run('#include "sub/a.h"', { 'sub/a.h': '#include "b.h"\n#include "../top.h"', 'sub/b.h': 'b', 'top.h': 'top' });
    expect(r.text).toBe('b\ntop');
    expect(r.result.includedFiles).toEqual(['sub/a.h', 'sub/b.h', 'top.h']);
  });

  it('continues the search after the current file for #include_next', () => {
    const r = run('#include <x.h>', { 'inc/x.h': 'first\n#include_next <x.h>', 'inc2/x.h': 'second' }, { includePaths: ['inc', 'inc2'] });
    expect(r.text).toBe('first\nsecond');
  });
});

describe('header names', () => {
  it('macro-expands a name that is neither "..." nor <...> (C11 6.10.2p4)', () => {
    const files = { 'config.h': 'cfg', 'inc/sys.h': 'sys' };
    const src = '#define CONFIG "config.h"\n#define SYS <sys.h>\n#define STR(x) #x\n#include CONFIG\n#include SYS\n#include STR(config.h)';
    expect(text(src, files, { includePaths: ['inc'] })).toBe('cfg\nsys\ncfg');
  });

  it('does not expand macros or comments inside <...>', () => {
    expect(text('#define sys nope\n#include <sys/a.h>', { 'inc/sys/a.h': 'ok' }, { includePaths: ['inc'] })).toBe('ok');
  });

  it('reports a missing file with the places searched, and carries on', () => {
    const r = run('#include "nope.h"\n#include <nope2.h>\nafter', {}, { includePaths: ['inc'] });
    expect(r.text).toBe('after');
    expect(r.diagnostics).toEqual([
      'main.c:1:10: error: nope.h: No such file or directory (searched ., inc, the built-in headers)',
      'main.c:2:10: error: nope2.h: No such file or directory (searched inc, the built-in headers)',
    ]);
  });

  it('reports malformed #include lines', () => {
    const r = run('#include\n#include <a.h\n#include ""\n#include foo\n#include "a.h" junk', { 'a.h': '' });
    expect(r.diagnostics).toEqual([
      'main.c:1:2: error: #include expects "FILENAME" or <FILENAME>',
      'main.c:2:10: error: missing terminating > character',
      'main.c:3:10: error: empty filename in #include',
      'main.c:4:10: error: #include expects "FILENAME" or <FILENAME>',
      'main.c:5:16: warning: extra tokens at end of #include directive',
    ]);
  });
});

describe('reading a file once', () => {
  it('honours #pragma once', () => {
    const r = run('#include "a.h"\n#include "a.h"\n#include "./a.h"', { 'a.h': '#pragma once\nonce' });
    expect(r.text).toBe('once');
    expect(r.result.includedFiles).toEqual(['a.h']);
  });

  it('honours #import', () => {
    const r = run('#import "a.h"\n#import "a.h"', { 'a.h': 'imported' });
    expect(r.text).toBe('imported');
  });

  it('works with include guards, including mutual recursion', () => {
    const files = {
      'a.h': '#ifndef A_H\n#define A_H\n#include "b.h"\na\n#endif',
      'b.h': '#ifndef B_H\n#define B_H\n#include "a.h"\nb\n#endif',
    };
    expect(run('#include "a.h"\n#include "b.h"\n#include "a.h"', files).text).toBe('b\na');
  });
});

describe('limits', () => {
  it('stops unbounded recursion at 200 open files', () => {
    const r = run('#include "self.h"', { 'self.h': 'x\n#include "self.h"' });
    expect(r.result.tokens.filter((t) => t.text === 'x')).toHaveLength(199);
    expect(r.diagnostics).toEqual(['self.h:2:2: error: #include nested depth 200 exceeds maximum of 200']);
  });

  it('takes the depth limit as an option', () => {
    expect(run('#include "self.h"', { 'self.h': '#include "self.h"' }, { limits: { maxIncludeDepth: 5 } }).diagnostics).toEqual([
      'self.h:1:2: error: #include nested depth 5 exceeds maximum of 5',
    ]);
  });

  it('stops exponential include trees with the work limit', () => {
    const r = run('#include "t.h"', { 't.h': '#include "t.h"\n#include "t.h"\n' }, { limits: { maxSteps: 20_000 } });
    expect(r.diagnostics.some((d) => d.includes('error: preprocessing stopped after 20000 steps'))).toBe(true);
    // Thousands of includes fail at the depth limit, but each place is reported once.
    expect(r.diagnostics.filter((d) => d.includes('nested depth'))).toEqual([
      't.h:1:2: error: #include nested depth 200 exceeds maximum of 200',
      't.h:2:2: error: #include nested depth 200 exceeds maximum of 200',
    ]);
  });
});

describe('files and macros', () => {
  it('does not let macro arguments run from one file into another', () => {
    const r = run('#define f(x) [x]\n#include "open.h"\n2)', { 'open.h': 'f(1' });
    expect(r.text).toBe('f\n2)');
    expect(r.diagnostics).toEqual(['open.h:1:1: error: unterminated argument list invoking macro "f"']);
  });

  it('keeps the positions of included tokens in their own file', () => {
    const r = run('#include "dir/a.h"', { 'dir/a.h': '\n  int x;' });
    expect(where(tokenNamed(r, 'x').range)).toBe('dir/a.h:2:7-2:8');
  });

  it('names each file in __FILE__ and counts __INCLUDE_LEVEL__', () => {
    const r = run('__FILE__ __INCLUDE_LEVEL__\n#include "h.h"', { 'h.h': '__FILE__ __INCLUDE_LEVEL__ __BASE_FILE__' }, { builtinHeaders: new Map() });
    expect(r.text).toBe('"main.c" 0\n"h.h" 1 "main.c"');
  });

  it('names built-in headers <built-in>/name', () => {
    expect(text('#include <k.h>', {}, { builtinHeaders: new Map([['k.h', '__FILE__']]) })).toBe('"<built-in>/k.h"');
  });
});
