// The value part of a hover: the constant expression around the cursor,
// evaluated with the file's macros, shown as a number and then as what it
// means in WeensyOS: page-table entry flags, a page-fault error code, a
// size in pages, or an address split into page-table indices with what
// lives there.

import { describePhysical, describeVirtual, layoutFromMacros, splitAddress } from './address-layout';
import type { CallContext } from './expression-context';
import { decodeBits, describeFaultCode, describePermission, PFERR_BITS, PTE_BITS, type FlagBit } from './flag-bits';
import type { SymbolTable } from './symbols';
import type { TextToken } from './text-tokens';

/** What an argument of a WeensyOS function is, by position: a hover says more when it knows. */
export type ArgumentRole = 'va' | 'pa' | 'address' | 'size' | 'perm';

const ARGUMENT_ROLES: Readonly<Record<string, readonly (ArgumentRole | undefined)[]>> = {
  virtual_memory_map: [undefined, 'va', 'pa', 'size', 'perm'],
  virtual_memory_lookup: [undefined, 'va'],
  assign_physical_page: ['pa'],
  physical_memory_isreserved: ['pa'],
  sys_page_alloc: ['va'],
  invlpg: ['va'],
  lcr3: ['pa'],
  PAGENUMBER: ['address'],
  PAGEOFFSET: ['address'],
  PAGEINDEX: ['address'],
  L1PAGEINDEX: ['address'],
  L2PAGEINDEX: ['address'],
  L3PAGEINDEX: ['address'],
  L4PAGEINDEX: ['address'],
  pageindex: ['address'],
  PTE_ADDR: ['address'],
  PTE_FLAGS: ['perm'],
};

export function argumentRole(call: CallContext | undefined): ArgumentRole | undefined {
  return call ? ARGUMENT_ROLES[call.callee]?.[call.argument] : undefined;
}

const hex = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

/** The file's own single-bit flags with a prefix (kernel.c's PTE_COW), for decoding. */
function ownFlags(symbols: SymbolTable, prefix: string): FlagBit[] {
  const out: FlagBit[] = [];
  for (const m of symbols.macros.values()) {
    if (!m.name.startsWith(prefix) || m.params !== undefined) continue;
    const v = symbols.macroValue(m.name);
    if (v !== undefined && v > 0n && (v & (v - 1n)) === 0n) out.push({ name: m.name, value: v, meaning: 'defined in your code' });
  }
  return out;
}

/** PTE or PFERR, from the names in the expression or the argument it is. */
export function flagKind(tokens: readonly TextToken[], first: number, last: number, role: ArgumentRole | undefined): 'pte' | 'pferr' | undefined {
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'identifier') continue;
    if (/^PTE_/.test(t.text) && t.text !== 'PTE_ADDR' && t.text !== 'PTE_FLAGS') return 'pte';
    if (/^PFERR_/.test(t.text)) return 'pferr';
  }
  return role === 'perm' ? 'pte' : undefined;
}

/** The markdown describing `value`, the value of expression `source`. */
export function describeValue(
  symbols: SymbolTable,
  source: string,
  value: bigint,
  kind: 'pte' | 'pferr' | undefined,
  role: ArgumentRole | undefined,
): string {
  const unsigned = BigInt.asUintN(64, value);
  const literal = /^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$/.test(source);
  const heading = !literal ? `\`${source}\` = \`${hex(value)}\` (${value})` : /^0[xX]/.test(source) ? `\`${source}\` = ${value}` : `\`${source}\` = \`${hex(value)}\``;
  const lines: string[] = [heading];
  if (kind === 'pte' || kind === 'pferr') {
    const decoded = kind === 'pte' ? decodeBits(value, PTE_BITS, ownFlags(symbols, 'PTE_')) : decodeBits(value, PFERR_BITS, ownFlags(symbols, 'PFERR_'));
    const names = decoded.set.map((b) => `\`${b.name}\``);
    if (decoded.unnamed !== 0n) names.push(`\`${hex(decoded.unnamed)}\``);
    lines.push('', `**${kind === 'pte' ? 'Page-table entry flags' : 'Page-fault error code'}:** ${names.length > 0 ? names.join(' | ') : 'none'}`);
    for (const b of decoded.set) lines.push(`- \`${b.name}\` (${hex(b.value)}): ${b.meaning}`);
    if (kind === 'pte' && (unsigned & ~0xfffn) !== 0n && (unsigned & ~0xfffn) !== 0x8000000000000000n) {
      lines.push('', `Bits above 11 hold an address (\`PTE_ADDR\` = ${hex(unsigned & ~0xfffn)}), so this is a whole entry: the flags are \`PTE_FLAGS\` = ${hex(unsigned & 0xfffn)}.`);
    }
    lines.push('', kind === 'pte' ? describePermission(unsigned & 0xfffn) : `As a page fault's \`reg_err\`: ${describeFaultCode(unsigned)}`);
    return lines.join('\n');
  }
  if (role === 'size') {
    const layout = layoutFromMacros((n) => symbols.macroValue(n));
    const pages = unsigned / layout.pagesize;
    const rest = unsigned % layout.pagesize;
    lines.push('', rest === 0n ? `${pages} page${pages === 1n ? '' : 's'}` : `${pages} pages and ${rest} bytes: not a multiple of PAGESIZE, which virtual_memory_map asserts`);
    return lines.join('\n');
  }
  const addressLike = role === 'va' || role === 'pa' || role === 'address' || (value >= 0x1000n && role !== 'perm');
  if (!addressLike || value < 0n) return lines.join('\n');
  const layout = layoutFromMacros((n) => symbols.macroValue(n));
  const split = splitAddress(unsigned);
  const [l1, l2, l3, l4] = split.indices;
  lines.push('', ...indexTable([
    ['page', `${hex(split.page)} (${split.page})`],
    ['L1', String(l1)],
    ['L2', String(l2)],
    ['L3', String(l3)],
    ['L4', String(l4)],
    ['offset', `0x${split.offset.toString(16).padStart(3, '0')}`],
  ]), '');
  if (role !== 'va') lines.push(`**As a physical address:** ${describePhysical(unsigned, layout)}`, '');
  if (role !== 'pa') lines.push(`**As a virtual address:** ${describeVirtual(unsigned, layout)}`);
  return lines.join('\n').trimEnd();
}

/** The address split as two aligned rows in a code block (a markdown table is cramped in editors' hovers). */
function indexTable(columns: readonly (readonly [string, string])[]): string[] {
  const widths = columns.map(([h, v]) => Math.max(h.length, v.length));
  const row = (pick: 0 | 1): string => columns.map((c, i) => c[pick].padStart(widths[i]!)).join('  ');
  return ['```text', row(0), row(1), '```'];
}
