// A compiled translation unit before linking: sections of bytes, symbols,
// relocations, a line table and debug records, all section-relative. The
// code generator produces one per C file; the linker (cc/link) places
// several at a base address and writes an ELF64 image (machine/image).

import type { ImageDebugType, ImageTypeRef } from '../machine/image/image-debug-info';
import type { SourceRange } from './source';

export type SectionName = 'text' | 'rodata' | 'data' | 'bss';

export interface ObjectSymbol {
  readonly name: string;
  /** 'undefined' for a reference to a symbol defined elsewhere. */
  readonly section: SectionName | 'undefined';
  readonly offset: number;
  readonly size: number;
  /** 'local' symbols (C `static`) are invisible to other modules but still named in debug information. */
  readonly binding: 'local' | 'global';
  readonly kind: 'function' | 'object';
}

/**
 * How a relocation patches its field (S = symbol address, A = addend,
 * P = address of the field):
 * - abs32: S + A as a 32-bit value that the CPU sign-extends (movi, [abs32]); must fit in int32.
 * - abs32u: S + A as an unsigned 32-bit value (movu); must fit in uint32.
 * - abs64: S + A, 64 bits (data pointers, movi imm64).
 * - rel32: S + A - (P + 4): the field is the last 4 bytes of a branch or call.
 */
export type RelocationKind = 'abs32' | 'abs32u' | 'abs64' | 'rel32';

export interface Relocation {
  readonly section: SectionName;
  readonly offset: number;
  readonly kind: RelocationKind;
  readonly symbol: string;
  readonly addend: number;
}

/** One row of the line table: the instruction at `offset` in .text starts code for `range`. */
export interface LineRow {
  readonly offset: number;
  readonly range: SourceRange;
  /** True at the first instruction of a statement: where line stepping stops. */
  readonly isStatement: boolean;
}

// ---- Debug information (section-relative; the linker makes it absolute) ----

/**
 * Types in debug information have one definition, shared with the linked
 * image's debug section (the linker turns offsets into addresses but keeps
 * the type tables as they are).
 */
export type TypeRef = ImageTypeRef;
export type DebugType = ImageDebugType;

/**
 * Where a variable lives: at an offset from rbp (locals, params in memory),
 * in a general register for the whole function (scalars whose address is
 * never taken; `reg` is the WS64 register number, 0-15), or at a symbol's
 * address (statics).
 */
export type DebugLocation = { readonly kind: 'frame'; readonly rbpOffset: number } | { readonly kind: 'register'; readonly reg: number } | { readonly kind: 'static'; readonly symbol: string };

export interface DebugVariable {
  readonly name: string;
  readonly type: TypeRef;
  readonly location: DebugLocation;
  readonly range: SourceRange;
  /** The .text offsets where the variable is in scope: [start, end). Params: the whole function. */
  readonly scopeStart?: number;
  readonly scopeEnd?: number;
}

export interface DebugFunction {
  readonly name: string;
  readonly linkName: string;
  /** [start, end) in .text. */
  readonly start: number;
  readonly end: number;
  readonly type: TypeRef;
  readonly range: SourceRange;
  /** Bytes the prologue reserves below rbp (the `enter` operand). */
  readonly frameSize: number;
  readonly params: readonly DebugVariable[];
  readonly locals: readonly DebugVariable[];
}

export interface ModuleDebugInfo {
  readonly types: readonly DebugType[];
  readonly functions: readonly DebugFunction[];
  /** File-scope and static objects (locals live in their functions). */
  readonly globals: readonly DebugVariable[];
  readonly typedefs: readonly { readonly name: string; readonly type: TypeRef }[];
}

export interface ObjectModule {
  /** The main source file, for messages and debug information. */
  readonly path: string;
  readonly text: Uint8Array;
  readonly rodata: Uint8Array;
  readonly data: Uint8Array;
  readonly bssSize: number;
  /** Alignment each section needs (the largest of its contents). */
  readonly align: Readonly<Record<SectionName, number>>;
  readonly symbols: readonly ObjectSymbol[];
  readonly relocations: readonly Relocation[];
  readonly lines: readonly LineRow[];
  readonly debug: ModuleDebugInfo;
}
