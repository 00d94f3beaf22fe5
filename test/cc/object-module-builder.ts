// Builds ObjectModules by hand for the linker tests: WS64 code assembled at
// offset 0 (so labels are .text offsets), symbols and relocations written
// out, and source ranges made up from line numbers.

import type { ObjectModule, ObjectSymbol, Relocation, SectionName } from '../../emulator/cc/object';
import type { SourceRange } from '../../emulator/cc/source';
import { assemble } from '../../emulator/machine/isa/assembler';

export const EMPTY_DEBUG: ObjectModule['debug'] = { types: [], functions: [], globals: [], typedefs: [] };

/** A one-line range in `file`, as the compiler would record for a statement on `line`. */
export function lineRange(file: string, line: number, column = 1): SourceRange {
  return { start: { file, line, column, offset: line * 100 + column }, end: { file, line, column: column + 5, offset: line * 100 + column + 5 } };
}

/** Assembles `source` at address 0: the bytes are a .text section and the labels its offsets. */
export function asmText(source: string): { bytes: Uint8Array; labels: ReadonlyMap<string, number> } {
  const prog = assemble(`.org 0\n${source}`);
  return { bytes: prog.bytes, labels: prog.symbols };
}

export interface ModuleSpec {
  path: string;
  text?: Uint8Array;
  rodata?: Uint8Array;
  data?: Uint8Array;
  bssSize?: number;
  align?: Partial<Record<SectionName, number>>;
  symbols?: ObjectSymbol[];
  relocations?: Relocation[];
  lines?: ObjectModule['lines'];
  debug?: ObjectModule['debug'];
}

export function objectModule(spec: ModuleSpec): ObjectModule {
  return {
    path: spec.path,
    text: spec.text ?? new Uint8Array(0),
    rodata: spec.rodata ?? new Uint8Array(0),
    data: spec.data ?? new Uint8Array(0),
    bssSize: spec.bssSize ?? 0,
    align: { text: 1, rodata: 1, data: 1, bss: 1, ...spec.align },
    symbols: spec.symbols ?? [],
    relocations: spec.relocations ?? [],
    lines: spec.lines ?? [],
    debug: spec.debug ?? EMPTY_DEBUG,
  };
}

/** A defined global function symbol. */
export function fn(name: string, offset: number, size = 0, binding: ObjectSymbol['binding'] = 'global'): ObjectSymbol {
  return { name, section: 'text', offset, size, binding, kind: 'function' };
}

/** A defined object symbol in `section`. */
export function obj(name: string, section: SectionName, offset: number, size: number, binding: ObjectSymbol['binding'] = 'global'): ObjectSymbol {
  return { name, section, offset, size, binding, kind: 'object' };
}

/** A reference to a symbol defined elsewhere. */
export function undef(name: string): ObjectSymbol {
  return { name, section: 'undefined', offset: 0, size: 0, binding: 'global', kind: 'object' };
}

export function reloc(section: SectionName, offset: number, kind: Relocation['kind'], symbol: string, addend = 0): Relocation {
  return { section, offset, kind, symbol, addend };
}

/** A text-only module whose entry `name` is a single `hlt`, for links that need an entry point. */
export function haltModule(name = 'start', path = 'start.c'): ObjectModule {
  return objectModule({ path, text: asmText('hlt').bytes, symbols: [fn(name, 0, 1)] });
}

/** Reads a little-endian field of `size` bytes at byte `at` of `bytes`, as a bigint. */
export function readLE(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
  return v;
}

/** Reads `size` bytes at virtual address `va` of a linked image's segments (zero past a segment's file bytes). */
export function readAt(image: { segments: readonly { va: number; memSize: number; bytes: Uint8Array }[] }, va: number, size: number): bigint {
  const seg = image.segments.find((s) => va >= s.va && va + size <= s.va + s.memSize);
  if (!seg) throw new Error(`no segment holds 0x${va.toString(16)}`);
  const padded = new Uint8Array(seg.memSize);
  padded.set(seg.bytes);
  return readLE(padded, va - seg.va, size);
}
