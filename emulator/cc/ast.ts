// The typed abstract syntax tree: what the parser (with its semantic checks)
// produces and the code generator consumes. Every expression carries its C
// type after the usual conversions; implicit conversions appear as explicit
// `cast` nodes, so the code generator never has to re-derive C's rules.
// Every node carries the range of source it came from (mapped through macro
// expansions to the user's file), which becomes the line table.

import type { SourceRange } from './source';
import type { Field, FunctionType, Type } from './types';

// ---------------------------------------------------------------- symbols

export type Storage =
  | 'local' // automatic variable, in the frame
  | 'param' // function parameter, in the frame
  | 'static' // file-scope or block-scope `static` object: internal linkage, in .data/.bss
  | 'global' // file-scope object with external linkage, defined here
  | 'extern'; // declared here, defined elsewhere (another image, the linker, or a fixed address)

export interface VarSymbol {
  readonly kind: 'var';
  readonly name: string;
  type: Type;
  readonly storage: Storage;
  /** Unique within a translation unit; block-scope statics get a mangled link name from it. */
  readonly id: number;
  /** The name the linker sees: the C name, or `name.id` for a block-scope static. */
  readonly linkName: string;
  readonly range: SourceRange;
  /** For objects with static storage: the initializer (undefined: zero-initialized, or extern). */
  init?: Initializer;
  /** `__attribute__((aligned(n)))` on the declaration. */
  alignAttr?: number;
  /** True once a definition (not just a declaration) has been seen. */
  defined: boolean;
  /** Set when its address is taken or it is an aggregate: it must live in memory (the code generator may keep others in registers). */
  addressTaken: boolean;
}

export interface FunctionSymbol {
  readonly kind: 'function';
  readonly name: string;
  type: FunctionType;
  /** 'static' for internal linkage (including `static inline`), 'global' when defined here with external linkage, 'extern' otherwise. */
  storage: 'static' | 'global' | 'extern';
  readonly id: number;
  readonly linkName: string;
  readonly range: SourceRange;
  /** The body, once defined. */
  body?: BlockStmt;
  /** The name in the definition (`range` is the first declaration's, often a prototype in a header). */
  definitionRange?: SourceRange;
  /** The parameters as variables, in order (defined functions). */
  params: VarSymbol[];
  /** Every block-scope object of the body, in declaration order (for frame layout and debug info). */
  locals: VarSymbol[];
  noreturn: boolean;
  inline: boolean;
  /** True if the body calls `__builtin_va_start`. */
  usesVarargs: boolean;
}

export type SymbolRef = VarSymbol | FunctionSymbol;

// ---------------------------------------------------------------- expressions

interface ExprBase {
  readonly range: SourceRange;
  /** The C type of the value (for lvalues: of the object). */
  readonly type: Type;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  /** An integer constant, already in range of `type` (two's complement). */
  | (ExprBase & { readonly kind: 'int'; readonly value: bigint })
  | (ExprBase & { readonly kind: 'float'; readonly value: number })
  /** A string literal: an anonymous read-only char array; `type` is the array type. */
  | (ExprBase & { readonly kind: 'string'; readonly bytes: Uint8Array; readonly id: number })
  /** A variable or function designator (an lvalue for variables). */
  | (ExprBase & { readonly kind: 'symbol'; readonly symbol: SymbolRef })
  /** Arithmetic or comparison on operands already converted to a common type (comparisons: result int). */
  | (ExprBase & { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr })
  | (ExprBase & { readonly kind: 'unary'; readonly op: '-' | '~' | '!'; readonly operand: Expr })
  /** pointer + index * elementSize (index already converted to long); also array indexing before the deref. */
  | (ExprBase & { readonly kind: 'ptr-add'; readonly pointer: Expr; readonly index: Expr; readonly elementSize: number })
  /** (left - right) / elementSize, as ptrdiff_t. */
  | (ExprBase & { readonly kind: 'ptr-diff'; readonly left: Expr; readonly right: Expr; readonly elementSize: number })
  | (ExprBase & { readonly kind: 'logical'; readonly op: '&&' | '||'; readonly left: Expr; readonly right: Expr })
  /** target = value; value already converted to target's type. */
  | (ExprBase & { readonly kind: 'assign'; readonly target: Expr; readonly value: Expr })
  /**
   * target op= value, target evaluated once: load target, convert to
   * `computeType`, apply op with value (already in computeType; for pointer
   * targets op is + or - and value is the scaled long index), convert back, store.
   */
  | (ExprBase & { readonly kind: 'compound-assign'; readonly op: BinaryOp; readonly target: Expr; readonly value: Expr; readonly computeType: Type; readonly elementSize: number })
  /** ++/--, prefix or postfix; `delta` is +-1, or +-elementSize for pointers. */
  | (ExprBase & { readonly kind: 'incdec'; readonly prefix: boolean; readonly delta: number; readonly target: Expr })
  | (ExprBase & { readonly kind: 'cond'; readonly cond: Expr; readonly then: Expr; readonly otherwise: Expr })
  | (ExprBase & { readonly kind: 'comma'; readonly left: Expr; readonly right: Expr })
  /** A call; args already converted to the parameter types (or default-promoted for variadic/unprototyped). */
  | (ExprBase & { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[] })
  /** object.field (object is an lvalue of record type; p->f is member(deref(p))). `offset` includes anonymous-member nesting. */
  | (ExprBase & { readonly kind: 'member'; readonly object: Expr; readonly field: Field; readonly offset: number })
  | (ExprBase & { readonly kind: 'deref'; readonly pointer: Expr })
  | (ExprBase & { readonly kind: 'addr'; readonly operand: Expr })
  /** A conversion to `type` (explicit or implicit); to void discards. */
  | (ExprBase & { readonly kind: 'cast'; readonly operand: Expr; readonly implicit: boolean })
  /** GNU statement expression: the value is that of the last expression statement. */
  | (ExprBase & { readonly kind: 'stmt-expr'; readonly body: BlockStmt })
  /** A compound literal: an unnamed object (a local, or static at file scope), initialized, as an lvalue. */
  | (ExprBase & { readonly kind: 'compound-literal'; readonly object: VarSymbol; readonly init: Initializer })
  /** Builtins and machine intrinsics (see `IntrinsicName`). */
  | (ExprBase & { readonly kind: 'intrinsic'; readonly name: IntrinsicName; readonly args: readonly Expr[]; readonly argType?: Type });

/**
 * Operations that are not ordinary calls:
 * - the stdarg builtins (`va_start` takes the va_list lvalue; `va_arg` reads a value of `argType`);
 * - machine operations behind x86-64.h's helpers, each one WS64 instruction
 *   (lcr3/rcr3/rcr2/rcr0/lcr0/rcr4/lcr4, invlpg, inb/inw/inl, outb/outw/outl,
 *   hlt, cli, sti, read_rflags, read_rsp, read_rbp, exception_return (iret),
 *   lidt, ltr, and `int n` with its argument in rdi and its result in rax
 *   (process.h's system calls; args[0] is the constant vector));
 * - `__builtin_unreachable`/`__builtin_trap` (ud2).
 */
export type IntrinsicName =
  | 'va_start' | 'va_arg' | 'va_end' | 'va_copy'
  | 'lcr0' | 'rcr0' | 'rcr2' | 'lcr3' | 'rcr3' | 'lcr4' | 'rcr4' | 'invlpg'
  | 'inb' | 'inw' | 'inl' | 'outb' | 'outw' | 'outl'
  | 'hlt' | 'cli' | 'sti' | 'read_rflags' | 'read_rsp' | 'read_rbp' | 'iret'
  | 'lidt' | 'ltr' | 'int'
  | 'unreachable' | 'trap';

// ---------------------------------------------------------------- initializers

/**
 * An initializer flattened to the scalars it sets: each entry writes `expr`
 * (converted to `type`) at byte `offset` within the object (a bit-field when
 * `bitWidth` is set). Everything not listed is zero (C11 6.7.9p10, p21).
 * A string literal initializing a char array is expanded into its bytes.
 */
export interface InitEntry {
  readonly offset: number;
  readonly type: Type;
  readonly expr: Expr;
  readonly bitWidth?: number;
  readonly bitOffset?: number;
}
export interface Initializer {
  readonly entries: readonly InitEntry[];
  readonly range: SourceRange;
}

// ---------------------------------------------------------------- statements

interface StmtBase {
  readonly range: SourceRange;
}
export interface BlockStmt extends StmtBase {
  readonly kind: 'block';
  readonly body: readonly Stmt[];
}
export interface SwitchCase {
  /** Inclusive bounds (a GNU case range `case 1 ... 5` has low < high); values in the controlling type. */
  readonly low: bigint;
  readonly high: bigint;
  readonly range: SourceRange;
}

export type Stmt =
  | BlockStmt
  | (StmtBase & { readonly kind: 'expr'; readonly expr: Expr })
  /** A block-scope object definition; statics are initialized at load time, so for them `init` is on the symbol. */
  | (StmtBase & { readonly kind: 'decl'; readonly symbol: VarSymbol; readonly init?: Initializer })
  | (StmtBase & { readonly kind: 'if'; readonly cond: Expr; readonly then: Stmt; readonly otherwise?: Stmt })
  | (StmtBase & { readonly kind: 'while'; readonly cond: Expr; readonly body: Stmt })
  | (StmtBase & { readonly kind: 'do'; readonly body: Stmt; readonly cond: Expr })
  | (StmtBase & { readonly kind: 'for'; readonly init?: Stmt; readonly cond?: Expr; readonly step?: Expr; readonly body: Stmt })
  | (StmtBase & { readonly kind: 'return'; readonly value?: Expr })
  | (StmtBase & { readonly kind: 'break' })
  | (StmtBase & { readonly kind: 'continue' })
  | (StmtBase & { readonly kind: 'goto'; readonly label: string })
  | (StmtBase & { readonly kind: 'label'; readonly name: string; readonly body: Stmt })
  /** `cases` lists every case label inside `body` (at any depth, excluding nested switches), in order. */
  | (StmtBase & { readonly kind: 'switch'; readonly cond: Expr; readonly body: Stmt; readonly cases: readonly SwitchCase[]; readonly hasDefault: boolean })
  /** A `case` label; `index` is its position in the enclosing switch's `cases`. */
  | (StmtBase & { readonly kind: 'case'; readonly index: number; readonly body: Stmt })
  | (StmtBase & { readonly kind: 'default'; readonly body: Stmt })
  | (StmtBase & { readonly kind: 'empty' });

// ---------------------------------------------------------------- translation unit

export interface TranslationUnit {
  /** The main file's path. */
  readonly path: string;
  /** Functions, in source order; those with a body are definitions. */
  readonly functions: readonly FunctionSymbol[];
  /** File-scope and block-scope-static objects, in source order. */
  readonly objects: readonly VarSymbol[];
  /** String literals used (ids index this). */
  readonly strings: readonly { readonly id: number; readonly bytes: Uint8Array }[];
  /** Typedef names at file scope, for debug information. */
  readonly typedefs: ReadonlyMap<string, Type>;
}
