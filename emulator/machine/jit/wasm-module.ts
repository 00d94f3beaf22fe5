// A small WebAssembly binary writer: just what wasm-codegen.ts needs to
// build a region's module (one exported function, imported memory and
// helpers, i32/i64 locals, structured control flow by label). Encodings follow
// the WebAssembly core specification 1.0, section 5 (binary format).

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
/** The empty block type. */
const VOID = 0x40;

/** Opcodes used by the region code generator (core spec, section 5.4). */
export const W = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  callIndirect: 0x11,
  i32Load: 0x28,
  i64Load: 0x29,
  f64Load: 0x2b,
  i32Load8U: 0x2d,
  i64Load8S: 0x30,
  i64Load8U: 0x31,
  i64Load16S: 0x32,
  i64Load16U: 0x33,
  i64Load32S: 0x34,
  i64Load32U: 0x35,
  i32Store: 0x36,
  i64Store: 0x37,
  i64Store8: 0x3c,
  i64Store16: 0x3d,
  i64Store32: 0x3e,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i64Eqz: 0x50,
  i64Eq: 0x51,
  i64Ne: 0x52,
  i64LtS: 0x53,
  i64LtU: 0x54,
  i64GtS: 0x55,
  i64GtU: 0x56,
  i64LeS: 0x57,
  i64LeU: 0x58,
  i64GeS: 0x59,
  i64GeU: 0x5a,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32DivU: 0x6e,
  i32RemS: 0x6f,
  i32RemU: 0x70,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64DivS: 0x7f,
  i64DivU: 0x80,
  i64RemS: 0x81,
  i64RemU: 0x82,
  i64And: 0x83,
  i64Or: 0x84,
  i64Xor: 0x85,
  i64Shl: 0x86,
  i64ShrS: 0x87,
  i64ShrU: 0x88,
  f64Eq: 0x61,
  f64Ne: 0x62,
  i32WrapI64: 0xa7,
  i32TruncF64U: 0xab,
  f64ConvertI64S: 0xb9,
  i64ExtendI32S: 0xac,
  i64ExtendI32U: 0xad,
  i32Extend8S: 0xc0,
  i32Extend16S: 0xc1,
  i64Extend8S: 0xc2,
  i64Extend16S: 0xc3,
  i64Extend32S: 0xc4,
} as const;

function u32(out: number[], v: number): void {
  v >>>= 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

function s32(out: number[], v: number): void {
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

function s64(out: number[], v: bigint): void {
  v = BigInt.asIntN(64, v);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** A label of the function body's structured control flow. */
export interface Label {
  readonly id: number;
}

/** The body of one function: locals and code, with labels resolved to branch depths. */
export class WasmBody {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];
  private readonly open: Label[] = [];
  private nextLabel = 0;

  constructor(private readonly params: number) {}

  /** A new local of type `type`; its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }

  op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  i32(v: number): this {
    this.code.push(W.i32Const);
    s32(this.code, v);
    return this;
  }
  /**
   * An i64 constant. Signed LEB128 depends on the value only, so one that
   * fits in 32 bits takes the int32 encoder (no BigInt arithmetic: the code
   * generator runs a few times per program, mostly in V8's interpreter).
   */
  i64(v: bigint | number): this {
    this.code.push(W.i64Const);
    if (typeof v === 'number') {
      if (v === (v | 0)) s32(this.code, v);
      else s64(this.code, BigInt(v));
    } else if (v >= -0x80000000n && v <= 0x7fffffffn) {
      s32(this.code, Number(v));
    } else {
      s64(this.code, v);
    }
    return this;
  }
  get(l: number): this {
    this.code.push(W.localGet);
    u32(this.code, l);
    return this;
  }
  set(l: number): this {
    this.code.push(W.localSet);
    u32(this.code, l);
    return this;
  }
  tee(l: number): this {
    this.code.push(W.localTee);
    u32(this.code, l);
    return this;
  }
  call(f: number): this {
    this.code.push(W.call);
    u32(this.code, f);
    return this;
  }
  /** call_indirect through table 0 with type index `type`. */
  callIndirect(type: number): this {
    this.code.push(W.callIndirect);
    u32(this.code, type);
    this.code.push(0x00);
    return this;
  }
  /** A load or store with memarg (alignment exponent, constant offset). */
  mem(opcode: number, align: number, offset: number): this {
    this.code.push(opcode);
    u32(this.code, align);
    u32(this.code, offset);
    return this;
  }

  /** Opens a block (`block`, `loop` or `if` with no result); returns its label. */
  begin(kind: number): Label {
    this.code.push(kind, VOID);
    const l = { id: this.nextLabel++ };
    this.open.push(l);
    return l;
  }
  else(): this {
    this.code.push(W.else);
    return this;
  }
  end(l: Label): this {
    const top = this.open.pop();
    if (top !== l) throw new Error('wasm: blocks closed out of order');
    this.code.push(W.end);
    return this;
  }
  private depth(l: Label): number {
    const i = this.open.lastIndexOf(l);
    if (i < 0) throw new Error('wasm: branch to a label that is not open');
    return this.open.length - 1 - i;
  }
  br(l: Label): this {
    this.code.push(W.br);
    u32(this.code, this.depth(l));
    return this;
  }
  brIf(l: Label): this {
    this.code.push(W.brIf);
    u32(this.code, this.depth(l));
    return this;
  }
  brTable(targets: readonly Label[], dflt: Label): this {
    this.code.push(W.brTable);
    u32(this.code, targets.length);
    for (const t of targets) u32(this.code, this.depth(t));
    u32(this.code, this.depth(dflt));
    return this;
  }

  /** The function's code section entry: locals, then the code and `end`. */
  encode(): number[] {
    if (this.open.length !== 0) throw new Error('wasm: a block is still open');
    const body: number[] = [];
    // Locals as runs of one type.
    const runs: [number, number][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    u32(body, runs.length);
    for (const [n, t] of runs) {
      u32(body, n);
      body.push(t);
    }
    body.push(...this.code, W.end);
    const out: number[] = [];
    u32(out, body.length);
    return out.concat(body);
  }
}

/** A function type: parameter and result value types. */
export interface FuncType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  u32(out, content.length);
  for (const b of content) out.push(b);
}

function name(out: number[], s: string): void {
  u32(out, s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

function funcType(out: number[], t: FuncType): void {
  out.push(0x60);
  u32(out, t.params.length);
  out.push(...t.params);
  u32(out, t.results.length);
  out.push(...t.results);
}

/** Options of encodeModule. */
export interface ModuleOptions {
  /** Import a funcref table `env.tab` (for call_indirect). */
  readonly table?: boolean;
  /** More function types, after the exported function's: type index imports.length + 1 + k. */
  readonly extraTypes?: readonly FuncType[];
  /** More exported functions, after `run`: function index imports.length + 1 + k. */
  readonly more?: readonly { readonly name: string; readonly type: FuncType; readonly body: WasmBody }[];
}

/**
 * A module importing memory `env.mem` (at least `memoryPages` 64 KiB pages)
 * and the functions `imports` (module `env`), and exporting the function
 * `run` of type `type` with body `body` (and `options.more`). Imported
 * functions take indices 0..n-1.
 */
export function encodeModule(
  memoryPages: number,
  imports: readonly { name: string; type: FuncType }[],
  type: FuncType,
  body: WasmBody,
  options: ModuleOptions = {},
): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  const extra = options.extraTypes ?? [];
  const more = options.more ?? [];
  // Types: the imports', run's, the extra ones, then the other functions'.
  u32(types, imports.length + 1 + extra.length + more.length);
  for (const im of imports) funcType(types, im.type);
  funcType(types, type);
  for (const t of extra) funcType(types, t);
  for (const m of more) funcType(types, m.type);
  section(out, 1, types);
  const imp: number[] = [];
  u32(imp, imports.length + 1 + (options.table ? 1 : 0));
  name(imp, 'env');
  name(imp, 'mem');
  imp.push(0x02, 0x00);
  u32(imp, memoryPages);
  if (options.table) {
    name(imp, 'env');
    name(imp, 'tab');
    imp.push(0x01, 0x70, 0x00, 0x00); // a funcref table, at least 0 entries
  }
  imports.forEach((im, i) => {
    name(imp, 'env');
    name(imp, im.name);
    imp.push(0x00);
    u32(imp, i);
  });
  section(out, 2, imp);
  const fns: number[] = [];
  u32(fns, 1 + more.length);
  u32(fns, imports.length);
  more.forEach((_, k) => u32(fns, imports.length + 1 + extra.length + k));
  section(out, 3, fns);
  const exp: number[] = [];
  u32(exp, 1 + more.length);
  name(exp, 'run');
  exp.push(0x00);
  u32(exp, imports.length);
  more.forEach((m, k) => {
    name(exp, m.name);
    exp.push(0x00);
    u32(exp, imports.length + 1 + k);
  });
  section(out, 7, exp);
  const code: number[] = [];
  u32(code, 1 + more.length);
  for (const b of body.encode()) code.push(b);
  for (const m of more) for (const b of m.body.encode()) code.push(b);
  section(out, 10, code);
  return new Uint8Array(out);
}
