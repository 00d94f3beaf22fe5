// Broken kernels for tests: the reference kernel.c with small text edits.
// A missing or ambiguous anchor fails the test, so the fixtures follow the
// reference kernel as it changes.

import { expect } from 'vitest';
import { weensyosFile } from '../../emulator/index';

/** The reference kernel.c with `edits` applied, each [anchor, replacement]; every anchor must occur exactly once. */
export function editedKernel(edits: readonly (readonly [string, string])[]): string {
  let text = weensyosFile('kernel.c')!;
  for (const [anchor, replacement] of edits) {
    const at = text.indexOf(anchor);
    expect(at, `anchor not found in kernel.c: ${anchor}`).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(anchor, at + 1), `anchor found twice in kernel.c: ${anchor}`).toBe(-1);
    text = text.slice(0, at) + replacement + text.slice(at + anchor.length);
  }
  return text;
}
