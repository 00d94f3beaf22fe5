import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // WEENSY_JIT=0 runs every machine with the interpreter only (see the file).
    setupFiles: ['./test/machine/jit-mode.ts'],
    // The machine tests are CPU-bound; two workers match the two cores we have.
    maxWorkers: 2,
    // A guard against hangs, not a speed requirement (benchmarks measure speed):
    // many tests compile a kernel and run it for millions of instructions, which
    // takes seconds, more on a busy machine, so vitest's 5 s default is too tight.
    testTimeout: 60_000,
    // vitest's own report, then the plain "N passed, N failed" line CI reads.
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
