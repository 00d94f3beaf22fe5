// The line table's rows are sorted by address: the row in force at an
// address is the last one at or before it.

import type { ImageLineRow } from '../machine/image/image-debug-info';

/** The index of the last row of `lines` whose address is at or below `address`, or -1. */
export function rowIndexAt(lines: readonly ImageLineRow[], address: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.address <= address) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
