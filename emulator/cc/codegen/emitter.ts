// Collects WS64 instructions with symbolic branch targets, then lays them
// out: every relaxable branch starts in its short (rel8) form and grows to
// rel32 only if its target is out of reach, repeating until nothing changes
// (sizes only grow, so this terminates). Encoding reuses the ISA's encoder.

import { encode, type Operands } from '../../machine/isa/encoder';
import { FORMAT_LENGTH, OPCODES, type Format, type OpcodeInfo } from '../../machine/isa/opcodes';
import type { LineRow, Relocation, RelocationKind } from '../object';
import type { SourceRange } from '../source';

export interface Label {
  readonly id: number;
}

interface Insn {
  readonly kind: 'insn';
  readonly forms: readonly OpcodeInfo[];
  choice: number;
  ops: Operands;
  readonly target?: Label;
  readonly reloc?: { readonly kind: RelocationKind; readonly symbol: string; readonly addend: number };
}
type Item = Insn | { readonly kind: 'label'; readonly label: Label } | { readonly kind: 'line'; readonly range: SourceRange; readonly isStatement: boolean };

const FORMS = new Map<string, OpcodeInfo>();
for (const o of OPCODES) FORMS.set(`${o.mnemonic}/${o.format}`, o);

export function form(mnemonic: string, format: Format): OpcodeInfo {
  const f = FORMS.get(`${mnemonic}/${format}`);
  if (!f) throw new Error(`WS64 has no ${mnemonic} in format ${format}`);
  return f;
}

/** Where the 32- or 64-bit immediate of a relocated instruction sits, by format. */
function immediateOffset(format: Format): number {
  return format === 'rel32' ? 1 : 2;
}

export class Emitter {
  private readonly items: Item[] = [];
  private labels = 0;
  private offsets: number[] = [];

  newLabel(): Label {
    return { id: this.labels++ };
  }
  bind(label: Label): void {
    this.items.push({ kind: 'label', label });
  }
  line(range: SourceRange, isStatement = true): void {
    this.items.push({ kind: 'line', range, isStatement });
  }

  /** One instruction in a fixed form. */
  emit(mnemonic: string, format: Format, ops: Operands = {}): void {
    this.items.push({ kind: 'insn', forms: [form(mnemonic, format)], choice: 0, ops });
  }

  /** Emits an instruction whose operands are filled in later with `patch` (a prologue's frame size). */
  reserve(mnemonic: string, format: Format): number {
    this.items.push({ kind: 'insn', forms: [form(mnemonic, format)], choice: 0, ops: {} });
    return this.items.length - 1;
  }
  patch(index: number, ops: Operands): void {
    const it = this.items[index];
    if (!it || it.kind !== 'insn') throw new Error(`item ${index} is not an instruction`);
    it.ops = ops;
  }

  /** The current position, to `rollback` to (a function generated again). */
  checkpoint(): number {
    return this.items.length;
  }
  /** Drops everything emitted since `checkpoint` returned `at`. */
  rollback(at: number): void {
    this.items.length = at;
  }

  /** A branch to `target`, short if it reaches, long otherwise: jmp, beq..bgeu, bz/bnz, beqi..bgeui. */
  branch(mnemonic: string, target: Label, ops: Operands = {}): void {
    const shortFormat: Format = mnemonic === 'jmp' ? 'rel8' : mnemonic === 'bz' || mnemonic === 'bnz' ? 'r-rel8' : mnemonic.endsWith('i') ? 'r-imm8-rel8' : 'rr-rel8';
    const longFormat = shortFormat.replace('rel8', 'rel32') as Format;
    this.items.push({ kind: 'insn', forms: [form(mnemonic, shortFormat), form(mnemonic, longFormat)], choice: 0, ops, target });
  }

  /** An instruction whose 32- or 64-bit immediate is a link-time address. */
  emitRelocated(mnemonic: string, format: Format, ops: Operands, kind: RelocationKind, symbol: string, addend = 0): void {
    this.items.push({ kind: 'insn', forms: [form(mnemonic, format)], choice: 0, ops, reloc: { kind, symbol, addend } });
  }

  /** The byte offset of a bound label (valid after `finish`). */
  offsetOf(label: Label): number {
    return this.offsets[label.id] ?? -1;
  }

  /** The current size in items, for callers that bracket a function's code. */
  get mark(): Label {
    const l = this.newLabel();
    this.bind(l);
    return l;
  }

  finish(): { bytes: Uint8Array; relocations: Relocation[]; lines: LineRow[] } {
    const items = this.items;
    const sizeOf = (it: Insn): number => FORMAT_LENGTH[it.forms[it.choice]!.format];
    let addresses: number[] = [];
    for (let pass = 0; pass < 100; pass++) {
      addresses = [];
      let pc = 0;
      this.offsets = [];
      for (const it of items) {
        addresses.push(pc);
        if (it.kind === 'label') this.offsets[it.label.id] = pc;
        else if (it.kind === 'insn') pc += sizeOf(it);
      }
      let changed = false;
      items.forEach((it, i) => {
        if (it.kind !== 'insn' || !it.target || it.choice === it.forms.length - 1) return;
        const rel = this.offsets[it.target.id]! - (addresses[i]! + sizeOf(it));
        if (rel < -128 || rel > 127) {
          it.choice++;
          changed = true;
        }
      });
      if (!changed) break;
    }
    let size = 0;
    for (const it of items) if (it.kind === 'insn') size += sizeOf(it);
    const bytes = new Uint8Array(size);
    const relocations: Relocation[] = [];
    const lines: LineRow[] = [];
    items.forEach((it, i) => {
      const at = addresses[i]!;
      if (it.kind === 'line') {
        const prev = lines[lines.length - 1];
        if (prev && prev.offset === at) lines[lines.length - 1] = { offset: at, range: it.range, isStatement: it.isStatement || prev.isStatement };
        else lines.push({ offset: at, range: it.range, isStatement: it.isStatement });
        return;
      }
      if (it.kind !== 'insn') return;
      const f = it.forms[it.choice]!;
      const ops: Operands = it.target ? { ...it.ops, imm: this.offsets[it.target.id]! - (at + FORMAT_LENGTH[f.format]) } : it.ops;
      if (it.target && this.offsets[it.target.id] === undefined) throw new Error(`label ${it.target.id} never bound`);
      bytes.set(encode(f, it.reloc ? { ...ops, imm: 0 } : ops), at);
      if (it.reloc) relocations.push({ section: 'text', offset: at + immediateOffset(f.format), kind: it.reloc.kind, symbol: it.reloc.symbol, addend: it.reloc.addend });
    });
    return { bytes, relocations, lines };
  }
}
