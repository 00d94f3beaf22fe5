// Decoding page-table entry flags (PTE_*) and page-fault error codes
// (PFERR_*) for hovers: which bits are set, by name, and what the
// combination lets the hardware do (Intel SDM Vol. 3A, 4.5 and 4.7).

export interface FlagBit {
  readonly name: string;
  readonly value: bigint;
  readonly meaning: string;
}

/** The architectural PTE bits, with the names WeensyOS's x86-64.h uses where it has them. */
export const PTE_BITS: readonly FlagBit[] = [
  { name: 'PTE_P', value: 0x1n, meaning: 'present' },
  { name: 'PTE_W', value: 0x2n, meaning: 'writable' },
  { name: 'PTE_U', value: 0x4n, meaning: 'user-accessible' },
  { name: 'PTE_PWT', value: 0x8n, meaning: 'write-through' },
  { name: 'PTE_PCD', value: 0x10n, meaning: 'cache disabled' },
  { name: 'PTE_A', value: 0x20n, meaning: 'accessed (set by the hardware)' },
  { name: 'PTE_D', value: 0x40n, meaning: 'dirty (set by the hardware on a write)' },
  { name: 'PTE_PS', value: 0x80n, meaning: 'page size: a 2 MB page in an L3 entry' },
  { name: 'PTE_G', value: 0x100n, meaning: 'global' },
  { name: 'PTE_XD', value: 0x8000000000000000n, meaning: 'execute-disable' },
];

export const PFERR_BITS: readonly FlagBit[] = [
  { name: 'PFERR_PRESENT', value: 0x1n, meaning: 'the page was present (a protection violation, not a missing page)' },
  { name: 'PFERR_WRITE', value: 0x2n, meaning: 'the access was a write' },
  { name: 'PFERR_USER', value: 0x4n, meaning: 'the access came from user mode' },
  { name: 'PFERR_RSVD', value: 0x8n, meaning: 'a reserved bit was set in an entry' },
  { name: 'PFERR_FETCH', value: 0x10n, meaning: 'the access was an instruction fetch' },
];

/**
 * The set bits of `value` by name. `extra` adds a file's own single-bit
 * flags (kernel.c's PTE_COW 0x200, say) to the architectural ones; bits no
 * name covers are listed as hex.
 */
export function decodeBits(value: bigint, bits: readonly FlagBit[], extra: readonly FlagBit[] = []): { readonly set: FlagBit[]; readonly unnamed: bigint } {
  const table = [...bits];
  for (const e of extra) if (!table.some((b) => b.value === e.value)) table.push(e);
  table.sort((a, b) => (a.value < b.value ? -1 : 1));
  const v = BigInt.asUintN(64, value);
  const set = table.filter((b) => (v & b.value) !== 0n);
  const named = set.reduce((acc, b) => acc | b.value, 0n);
  return { set, unnamed: v & ~named };
}

/** What a permission value means to the hardware and to virtual_memory_map, in one sentence. */
export function describePermission(value: bigint): string {
  const v = BigInt.asUintN(64, value);
  const p = (v & 1n) !== 0n;
  const w = (v & 2n) !== 0n;
  const u = (v & 4n) !== 0n;
  if (!p) {
    return v === 0n
      ? 'not present: as virtual_memory_map\'s perm, it unmaps the pages (the entries become 0).'
      : 'not present (no PTE_P): the hardware ignores the other bits, and virtual_memory_map writes the entries as `perm` without an address, unmapping the pages.';
  }
  const who = u ? (w ? 'user code and the kernel can read and write' : 'user code and the kernel can read, not write') : w ? 'only the kernel can read and write' : 'only the kernel can read';
  return `present: ${who} the page (at the leaf, and only if every level above allows it too; with CR0.WP, the kernel obeys PTE_W as well).`;
}

/** A page-fault error code as exception() would print it: "user write, protection problem". */
export function describeFaultCode(value: bigint): string {
  const v = BigInt.asUintN(64, value);
  const who = (v & 4n) !== 0n ? 'user' : 'kernel';
  const access = (v & 0x10n) !== 0n ? 'instruction fetch' : (v & 2n) !== 0n ? 'write' : 'read';
  const why = (v & 1n) !== 0n ? 'protection problem (the page is present)' : 'missing page';
  return `a ${who} ${access}: ${why}.`;
}
