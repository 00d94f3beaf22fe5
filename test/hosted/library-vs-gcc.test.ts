// The hosted C library against glibc: each program in test/hosted/c prints
// what the library computes (printf's whole format table, the string, ctype
// and number-parsing functions, qsort and bsearch), and its output under
// weensy must equal the same program's output compiled natively by gcc
// (when gcc is installed) and the committed golden file (always; regenerate
// with UPDATE_GOLDEN=1 after checking the difference against gcc).

import { describe, expect, it } from 'vitest';
import { expectGolden, haveGcc, runNative, runProgramFile } from './helpers';

const PROGRAMS = ['printf-table.c', 'strings.c', 'sort-search.c'];
/** Each program runs a few million instructions; the first test of each pays for the run (later ones reuse it). */
const SLOW = { timeout: 120_000 };

describe.each(PROGRAMS)('%s', (name) => {
  const golden = name.replace(/\.c$/, '.out');

  it('runs to exit status 0 with nothing on standard error', SLOW, () => {
    const r = runProgramFile(name);
    expect(r.message).toEqual([]);
    expect(r.err).toBe('');
    expect(r.exitStatus).toBe(0);
    expect(r.out.split('\n').length).toBeGreaterThan(10);
  });

  it('prints what its golden file holds', SLOW, () => {
    expectGolden(golden, runProgramFile(name).out);
  });

  it(haveGcc() ? 'prints exactly what the gcc-compiled program prints' : 'matches gcc (gcc is not installed: the golden file stands in)', SLOW, () => {
    const ours = runProgramFile(name).out;
    if (haveGcc()) expect(ours).toBe(runNative(name));
    else expectGolden(golden, ours);
  });
});
