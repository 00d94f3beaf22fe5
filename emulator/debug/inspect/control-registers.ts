// The bits of CR0, CR4, EFER and RFLAGS by name (Intel SDM Vol. 3A, 2.5
// and 2.2.1; Vol. 1, 3.4.3), for the Registers and Control registers scopes.

export interface FlagBit {
  readonly name: string;
  readonly bit: number;
  readonly meaning: string;
}

export const CR0_BITS: readonly FlagBit[] = [
  { name: 'PE', bit: 0, meaning: 'protected mode' },
  { name: 'MP', bit: 1, meaning: 'monitor coprocessor' },
  { name: 'EM', bit: 2, meaning: 'x87 emulation' },
  { name: 'TS', bit: 3, meaning: 'task switched' },
  { name: 'ET', bit: 4, meaning: 'extension type' },
  { name: 'NE', bit: 5, meaning: 'numeric error' },
  { name: 'WP', bit: 16, meaning: 'write protect: the kernel obeys PTE_W too' },
  { name: 'AM', bit: 18, meaning: 'alignment mask' },
  { name: 'NW', bit: 29, meaning: 'not write-through' },
  { name: 'CD', bit: 30, meaning: 'cache disable' },
  { name: 'PG', bit: 31, meaning: 'paging on' },
];

export const CR4_BITS: readonly FlagBit[] = [
  { name: 'VME', bit: 0, meaning: 'virtual-8086 extensions' },
  { name: 'PVI', bit: 1, meaning: 'protected-mode virtual interrupts' },
  { name: 'TSD', bit: 2, meaning: 'time stamp disable' },
  { name: 'DE', bit: 3, meaning: 'debugging extensions' },
  { name: 'PSE', bit: 4, meaning: 'page size extensions' },
  { name: 'PAE', bit: 5, meaning: 'physical address extension' },
  { name: 'MCE', bit: 6, meaning: 'machine check enable' },
  { name: 'PGE', bit: 7, meaning: 'global pages' },
  { name: 'PCE', bit: 8, meaning: 'performance counters' },
  { name: 'SMEP', bit: 20, meaning: 'the kernel may not execute user pages' },
];

export const EFER_BITS: readonly FlagBit[] = [
  { name: 'SCE', bit: 0, meaning: 'syscall enable' },
  { name: 'LME', bit: 8, meaning: 'long mode enable' },
  { name: 'LMA', bit: 10, meaning: 'long mode active' },
  { name: 'NXE', bit: 11, meaning: 'execute-disable bit (PTE bit 63) enabled' },
];

export const RFLAGS_BITS: readonly FlagBit[] = [
  { name: 'CF', bit: 0, meaning: 'carry' },
  { name: 'PF', bit: 2, meaning: 'parity' },
  { name: 'AF', bit: 4, meaning: 'adjust' },
  { name: 'ZF', bit: 6, meaning: 'zero' },
  { name: 'SF', bit: 7, meaning: 'sign' },
  { name: 'TF', bit: 8, meaning: 'trap (single step)' },
  { name: 'IF', bit: 9, meaning: 'interrupts enabled' },
  { name: 'DF', bit: 10, meaning: 'direction' },
  { name: 'OF', bit: 11, meaning: 'overflow' },
];

/** The names of the set bits: "PE MP NE WP AM PG". */
export function flagNames(value: number, bits: readonly FlagBit[]): string[] {
  return bits.filter((b) => Math.floor(value / 2 ** b.bit) % 2 === 1).map((b) => b.name);
}

/** "0x80050033 [PE MP NE WP AM PG]" */
export function describeBits(value: number, bits: readonly FlagBit[], extra: string[] = []): string {
  const names = [...flagNames(value, bits), ...extra];
  return `0x${(value >>> 0).toString(16)} [${names.join(' ')}]`;
}

/** RFLAGS with IOPL: "0x3202 [IF IOPL=3]". */
export function describeRflags(value: number): string {
  const iopl = (value >>> 12) & 3;
  return describeBits(value, RFLAGS_BITS, iopl ? [`IOPL=${iopl}`] : []);
}
