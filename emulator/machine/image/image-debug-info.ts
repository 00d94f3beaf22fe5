// The debug information a linked image carries in its `.weensy.debug`
// section, with absolute addresses. It has the shape of the compiler's
// per-module records (emulator/cc/object.ts) with every .text offset turned
// into an address and every static location resolved to one; the linker
// copies the compiler's records into these types, so the type checker keeps
// the two in step. The machine never reads it; the debugger does.

/** A position in a source file: 1-based line and column, 0-based offset. */
export interface ImageSourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open range [start, end) within one file. */
export interface ImageSourceRange {
  readonly start: ImageSourcePosition;
  readonly end: ImageSourcePosition;
}

/** One row of the linked line table: the instruction at `address` starts code for `range`. */
export interface ImageLineRow {
  readonly address: number;
  readonly range: ImageSourceRange;
  /** True at the first instruction of a statement: where line stepping stops. */
  readonly isStatement: boolean;
}

/** A type, by index into its unit's `types`. */
export type ImageTypeRef = number;

export type ImageDebugType =
  | { readonly kind: 'void' }
  | { readonly kind: 'int'; readonly name: string; readonly size: number; readonly signed: boolean; readonly bool?: boolean }
  | { readonly kind: 'float'; readonly name: string; readonly size: number }
  | { readonly kind: 'pointer'; readonly to: ImageTypeRef }
  | { readonly kind: 'array'; readonly of: ImageTypeRef; readonly length: number | null }
  | { readonly kind: 'function'; readonly returns: ImageTypeRef; readonly params: readonly ImageTypeRef[]; readonly variadic: boolean }
  | {
      readonly kind: 'struct' | 'union';
      readonly name: string | null;
      readonly size: number;
      readonly align: number;
      readonly complete: boolean;
      readonly fields: readonly { readonly name: string | null; readonly type: ImageTypeRef; readonly offset: number; readonly bitWidth?: number; readonly bitOffset?: number }[];
    }
  | { readonly kind: 'enum'; readonly name: string | null; readonly size: number; readonly signed: boolean; readonly enumerators: readonly { readonly name: string; readonly value: string }[] }
  | { readonly kind: 'typedef'; readonly name: string; readonly type: ImageTypeRef }
  | { readonly kind: 'qualified'; readonly type: ImageTypeRef; readonly const: boolean; readonly volatile: boolean };

/** The kinds ImageDebugType may have; the reader checks each type against this list. */
export const IMAGE_DEBUG_TYPE_KINDS: readonly ImageDebugType['kind'][] = ['void', 'int', 'float', 'pointer', 'array', 'function', 'struct', 'union', 'enum', 'typedef', 'qualified'];

/**
 * Where a variable lives: at an offset from rbp, in a register, or at a fixed address. A
 * static location keeps its symbol's name; `address` is null when the
 * symbol was not defined in the link (which the linker reports as an error
 * only if code refers to it).
 */
export type ImageDebugLocation =
  | { readonly kind: 'frame'; readonly rbpOffset: number }
  /** In general register `reg` (WS64 number, 0-15: rax = 0 ... r15 = 15) while the variable is in scope. */
  | { readonly kind: 'register'; readonly reg: number }
  | { readonly kind: 'static'; readonly symbol: string; readonly address: number | null };

export interface ImageDebugVariable {
  readonly name: string;
  readonly type: ImageTypeRef;
  readonly location: ImageDebugLocation;
  readonly range: ImageSourceRange;
  /** The addresses where the variable is in scope: [start, end). */
  readonly scopeStart?: number;
  readonly scopeEnd?: number;
}

export interface ImageDebugFunction {
  readonly name: string;
  readonly linkName: string;
  /** [start, end): absolute addresses. */
  readonly start: number;
  readonly end: number;
  readonly type: ImageTypeRef;
  readonly range: ImageSourceRange;
  /** Bytes the prologue reserves below rbp (the `enter` operand). */
  readonly frameSize: number;
  readonly params: readonly ImageDebugVariable[];
  readonly locals: readonly ImageDebugVariable[];
}

/** One compiled module (translation unit); type references index its own `types`. */
export interface ImageDebugUnit {
  /** The module's main source file. */
  readonly path: string;
  readonly types: readonly ImageDebugType[];
  readonly functions: readonly ImageDebugFunction[];
  readonly globals: readonly ImageDebugVariable[];
  readonly typedefs: readonly { readonly name: string; readonly type: ImageTypeRef }[];
}

export interface ImageDebugInfo {
  readonly units: readonly ImageDebugUnit[];
}
