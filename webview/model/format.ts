// Number formatting for the panel: addresses as WeensyOS prints them
// (0x-prefixed lowercase hex), page-table entries, sizes. Addresses in a
// snapshot are JS numbers; high-half virtual addresses are negative (as rip
// is), so they are shown as their 64-bit two's complement.

export const PAGESIZE = 4096;
/** Virtual bytes one entry covers at each level (0 = L1 ... 3 = L4). */
export const LEVEL_SPAN = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12] as const;
export const LEVEL_NAMES = ['L1', 'L2', 'L3', 'L4'] as const;

const TWO64 = 1n << 64n;

/** The first virtual address entry `index` of a table covers (L1 entries 256-511 cover the canonical high half). */
export function entryVa(level: number, tableVa: number, index: number): number {
  const va = tableVa + index * LEVEL_SPAN[level]!;
  return level === 0 && index >= 256 ? va - 2 ** 48 : va;
}

/** "0x1a3000"; a negative (high-half) address as 0xffff8000...; non-integers as given. */
export function hex(n: number): string {
  if (!Number.isFinite(n) || !Number.isInteger(n)) return String(n);
  if (n < 0) return '0x' + (TWO64 + BigInt(n)).toString(16);
  return '0x' + n.toString(16);
}

/** A physical address padded to six digits, as memshow labels its rows ("0x040000"). */
export function hex6(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(6, '0');
}

/** "0x100000–0x100fff" */
export function range(first: number, last: number): string {
  return `${hex(first)}–${hex(last)}`;
}

/** The size of a span in words: "4 KiB", "2 MiB", "1 GiB", "512 GiB". */
export function spanText(bytes: number): string {
  const units: [number, string][] = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [size, unit] of units) if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}

/** Parses a user-typed address: 0x-hex, plain hex with a-f, or decimal; undefined if it is not one. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '').toLowerCase();
  if (t === '') return undefined;
  let v: bigint;
  try {
    if (/^0x[0-9a-f]+$/.test(t)) v = BigInt(t);
    else if (/^[0-9]+$/.test(t)) v = BigInt(t);
    else if (/^[0-9a-f]+$/.test(t)) v = BigInt('0x' + t);
    else return undefined;
  } catch {
    return undefined;
  }
  if (v >= TWO64) return undefined;
  // Canonical high-half addresses become negative numbers, as the snapshot holds them.
  if (v >= 1n << 63n) v -= TWO64;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** 1234567 → "1,234,567" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 page" / "3 pages" */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}
