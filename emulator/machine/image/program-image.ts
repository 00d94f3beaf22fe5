// What an executable image holds once its ELF bytes are decoded: the entry
// point, the loadable segments, the named sections inside them, the symbol
// table and (unless stripped) the debug information. The linker produces
// one (emulator/cc/link), writeImage turns it into ELF bytes, readImage
// turns the bytes back into it, and loadImage copies its segments to RAM.

import type { ImageDebugInfo, ImageLineRow } from './image-debug-info';

/** A PT_LOAD segment. */
export interface ImageSegment {
  /** Virtual address of the first byte (p_va). */
  readonly va: number;
  /** Physical address (p_pa); the same as va in our images, as the loader maps identity. */
  readonly pa: number;
  /** Bytes present in the file (p_filesz); `bytes` has exactly this length. */
  readonly fileSize: number;
  /** Bytes in memory (p_memsz); those past fileSize are zero. */
  readonly memSize: number;
  /** ELF_PFLAG_READ | ELF_PFLAG_WRITE | ELF_PFLAG_EXEC bits (p_flags). */
  readonly flags: number;
  readonly bytes: Uint8Array;
}

/** The sections a linked image loads, in address order. */
export type ImageSectionName = 'text' | 'rodata' | 'data' | 'bss';

export interface ImageSection {
  readonly name: ImageSectionName;
  readonly va: number;
  readonly size: number;
}

export interface ImageSymbol {
  readonly name: string;
  readonly address: number;
  readonly size: number;
  /** 'notype' for symbols the linker defines (`end`, `start_data`, `_binary_*`, fixed addresses). */
  readonly kind: 'function' | 'object' | 'notype';
  readonly binding: 'local' | 'global';
  /** The path of the defining module; null for symbols the linker defines. */
  readonly module: string | null;
  /** The section the symbol is in, or 'absolute' for a fixed address such as `console`. */
  readonly section: ImageSectionName | 'absolute';
}

export interface ProgramImage {
  readonly entry: number;
  readonly segments: readonly ImageSegment[];
  readonly sections: readonly ImageSection[];
  /** Every symbol once: locals first (grouped by module), then globals, as ELF orders them. */
  readonly symbolList: readonly ImageSymbol[];
  /** Lookup by name: see `symbolMap` for the keys. */
  readonly symbols: ReadonlyMap<string, ImageSymbol>;
  /** The line table, sorted by address; empty when the image has no debug information. */
  readonly lines: readonly ImageLineRow[];
  /** Undefined when the image was written without debug information. */
  readonly debug: ImageDebugInfo | undefined;
}

/**
 * The lookup keys of a symbol list. Globals are found by name. A local
 * (C `static`) symbol is found as `module::name`, as gdb writes
 * `'kernel.c'::pageinfo`, and also by its plain name when no global and
 * no other local has that name, so `pageinfo` works until it is ambiguous.
 */
export function symbolMap(list: readonly ImageSymbol[]): Map<string, ImageSymbol> {
  const map = new Map<string, ImageSymbol>();
  const localCount = new Map<string, number>();
  for (const s of list) {
    if (s.binding === 'global') map.set(s.name, s);
    else localCount.set(s.name, (localCount.get(s.name) ?? 0) + 1);
  }
  for (const s of list) {
    if (s.binding !== 'local') continue;
    if (s.module !== null) map.set(`${s.module}::${s.name}`, s);
    if (localCount.get(s.name) === 1 && !map.has(s.name)) map.set(s.name, s);
  }
  return map;
}

/** The order ELF requires (locals before globals), keeping the given order within each group. */
export function elfSymbolOrder(list: readonly ImageSymbol[]): ImageSymbol[] {
  return [...list.filter((s) => s.binding === 'local'), ...list.filter((s) => s.binding === 'global')];
}
