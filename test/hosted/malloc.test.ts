// The allocator under a deterministic random workload (c/malloc-stress.c:
// patterns checked in every block, realloc and calloc mixed in), then
// exhausted, then freed and reused; and its error reports.

import { describe, expect, it } from 'vitest';
import { run, runProgramFile } from './helpers';

describe('malloc, free, calloc, realloc', () => {
  it('keep every block intact under a random workload, fail cleanly when the heap is used up, and merge freed blocks', { timeout: 120_000 }, () => {
    const r = runProgramFile('malloc-stress.c');
    expect(r.message).toEqual([]);
    expect(r.out).toBe(
      [
        'workload: checksum 194fcf24abffc0e5, errors 0, misaligned 0',
        'exhausted after 95 chunks of 64 KiB; more than 5 MiB: 1',
        'malloc(huge) is NULL: 1; calloc overflow is NULL: 1',
        'one block of 94 chunks after freeing all: fits',
        'realloc(NULL) 1, realloc to 0 gives NULL 1',
        '',
      ].join('\n'),
    );
    expect(r.exitStatus).toBe(0);
  });

  it('reuses freed memory first-fit: a freed block is handed out again for a request that fits', () => {
    const r = run(`
      #include <stdio.h>
      #include <stdlib.h>
      int main(void) {
        char *a = malloc(100), *b = malloc(100), *c = malloc(100);
        free(b);
        char *d = malloc(50);
        char *e = malloc(100);
        printf("%d %d %d\\n", d == b, e > c, (int) ((unsigned long) a % 16));
        free(a); free(c); free(d); free(e);
        char *f = malloc(300);
        printf("%d\\n", f == a);
        return 0;
      }`);
    expect(r.out).toBe('1 1 0\n1\n');
  });

  it('grows the last block in place on realloc, and moves (copying the contents) otherwise', () => {
    const r = run(`
      #include <stdio.h>
      #include <stdlib.h>
      #include <string.h>
      int main(void) {
        char *a = malloc(16);
        strcpy(a, "hello");
        char *b = realloc(a, 4000);
        char *c = malloc(16);
        char *d = realloc(b, 8000);
        printf("in place %d, moved %d, kept [%s], %d\\n", a == b, d != b, d, c != NULL);
        char *e = realloc(d, 10);
        printf("shrinking keeps the block %d\\n", e == d);
        return 0;
      }`);
    expect(r.out).toBe('in place 1, moved 1, kept [hello], 1\nshrinking keeps the block 1\n');
  });

  it('reports a double free and aborts', () => {
    const r = run(`
      #include <stdlib.h>
      int main(void) { char *p = malloc(8); free(p); free(p); return 0; }`);
    expect(r.err).toMatch(/^free\(\): double free detected \(0x[0-9a-f]+\)\nAborted\n$/);
    expect(r.exitStatus).toBe(134);
  });

  it('reports freeing a pointer malloc did not return, and aborts', () => {
    const r = run(`
      #include <stdlib.h>
      int main(void) { char *p = malloc(32); free(p + 16); return 0; }`);
    expect(r.err).toMatch(/^free\(\): invalid pointer \(0x[0-9a-f]+\)\nAborted\n$/);
    expect(r.status).toBe(134);
  });
});
