// Patches every relocation field with its symbol's address (ObjectModule's
// contract, emulator/cc/object.ts; S = symbol, A = addend, P = the field's
// address):
//   abs32   S + A, sign-extended by the CPU: must fit int32
//   abs32u  S + A, zero-extended (movu): must fit uint32
//   abs64   S + A, 64 bits
//   rel32   S + A - (P + 4): the field is the last 4 bytes of its
//           instruction, and WS64 branches are relative to the next one
// An undefined symbol or a value that does not fit is reported, as ld's
// "undefined reference" and "relocation truncated to fit" are.

import type { ObjectModule, Relocation } from '../object';
import type { ImageLayout } from './image-layout';
import { sectionSize } from './image-layout';
import { place, relocationRange, type LinkDiagnostics } from './link-diagnostics';
import type { SymbolTable } from './symbol-table';

/** The file bytes of the two segments, indexed from their start addresses. */
export interface SegmentBuffers {
  readonly text: Uint8Array;
  readonly data: Uint8Array;
}

const FIELD_SIZE = { abs32: 4, abs32u: 4, abs64: 8, rel32: 4 } as const;

const hex = (n: number): string => (n < 0 ? '-0x' + (-n).toString(16) : '0x' + n.toString(16));

/** The range a relocation's value must fit, or undefined for abs64. */
function fieldRange(kind: Relocation['kind']): { lo: number; hi: number; what: string } | undefined {
  switch (kind) {
    case 'abs32':
    case 'rel32':
      return { lo: -(2 ** 31), hi: 2 ** 31 - 1, what: 'a signed 32-bit field' };
    case 'abs32u':
      return { lo: 0, hi: 2 ** 32 - 1, what: 'an unsigned 32-bit field' };
    case 'abs64':
      return undefined;
  }
}

export function applyRelocations(modules: readonly ObjectModule[], layout: ImageLayout, table: SymbolTable, buffers: SegmentBuffers, diags: LinkDiagnostics): void {
  modules.forEach((m, i) => {
    const reported = new Set<string>();
    for (const r of m.relocations) {
      const where = place(m, r.section, r.offset);
      const range = relocationRange(m, r.section, r.offset);
      const size = FIELD_SIZE[r.kind];
      if (r.section === 'bss') {
        diags.error(`relocation at ${where} is in .bss, which has no bytes to patch`, range);
        continue;
      }
      if (size === undefined) {
        diags.error(`relocation at ${where} has the unknown kind '${String(r.kind)}'`, range);
        continue;
      }
      if (!(Number.isInteger(r.offset) && r.offset >= 0 && r.offset + size <= sectionSize(m, r.section))) {
        diags.error(`relocation ${r.kind} at ${where} is outside .${r.section} (${hex(sectionSize(m, r.section))} bytes)`, range);
        continue;
      }
      const sym = table.resolve(i, r.symbol);
      if (!sym) {
        // One message per module and name, as a name is usually used many times.
        if (!reported.has(r.symbol)) diags.error(`undefined reference to '${r.symbol}' (${where})`, range);
        reported.add(r.symbol);
        continue;
      }
      const p = layout.modules[i]![r.section] + r.offset;
      const value = r.kind === 'rel32' ? sym.address + r.addend - (p + 4) : sym.address + r.addend;
      const fits = fieldRange(r.kind);
      if (!Number.isSafeInteger(value) || (fits && (value < fits.lo || value > fits.hi))) {
        diags.error(`relocation truncated to fit: ${r.kind} against '${r.symbol}' at ${where}: ${hex(value)} does not fit in ${fits?.what ?? '64 bits'}`, range);
        continue;
      }
      const inText = r.section !== 'data';
      const buf = inText ? buffers.text : buffers.data;
      const at = p - (inText ? layout.base : layout.startData);
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      if (size === 8) dv.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
      else dv.setUint32(at, value >>> 0, true);
    }
  });
}
