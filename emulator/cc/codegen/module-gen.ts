// A translation unit to an ObjectModule: code for every defined function,
// bytes and relocations for static objects, read-only string literals,
// symbols, the line table and debug information.

import { functionsToEmit } from './used-functions';
import type { FunctionSymbol, Initializer, TranslationUnit, VarSymbol } from '../ast';
import type { Diagnostic } from '../diagnostic';
import type { DebugFunction, DebugVariable, ObjectModule, ObjectSymbol, Relocation, SectionName, TypeRef } from '../object';
import { staticValue } from '../static-init';
import { alignOf, sizeOf, type Type } from '../types';
import { DebugTypeTable } from './debug-types';
import { Emitter } from './emitter';
import { FunctionGen, roundUp, type PendingDebugFunction } from './function-gen';
import { representation } from './representation';

/** Initialized objects larger than this are refused: their bytes would be built in memory. */
const MAX_INITIALIZED_OBJECT = 64 << 20;

/**
 * A section being filled. Bytes not written are zero; `bytes` is sparse, so
 * placing a large object (a zeroed array in .bss) costs nothing.
 */
class Section {
  readonly bytes: number[] = [];
  size = 0;
  align = 1;
  place(size: number, align: number): number {
    const at = roundUp(this.size, align);
    this.size = at + size;
    this.align = Math.max(this.align, align);
    return at;
  }
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    this.bytes.forEach((b, i) => (out[i] = b));
    return out;
  }
}

export class ModuleGen {
  readonly em = new Emitter();
  readonly diags: Diagnostic[] = [];
  private readonly debugTypes = new DebugTypeTable();
  private readonly usedStrings = new Set<number>();
  private readonly symbols: ObjectSymbol[] = [];
  private readonly relocations: Relocation[] = [];

  constructor(private readonly unit: TranslationUnit) {}

  symbolName(v: VarSymbol | { readonly kind: 'function'; readonly linkName: string }): string {
    return v.linkName;
  }
  stringSymbol(id: number): string {
    this.usedStrings.add(id);
    return `.str${id}`;
  }
  debugType(t: Type): TypeRef {
    return this.debugTypes.ref(t);
  }

  generate(): ObjectModule {
    const unit = this.unit;
    const pending: { fn: FunctionSymbol; debug: PendingDebugFunction }[] = [];
    for (const fn of functionsToEmit(unit)) {
      pending.push({ fn, debug: new FunctionGen(this, fn).generate() });
    }
    const data = new Section();
    const bss = new Section();
    const rodata = new Section();
    const globals: DebugVariable[] = [];
    for (const v of unit.objects) {
      if (v.storage === 'extern' || v.storage === 'local' || v.storage === 'param') continue;
      const size = sizeOf(v.type);
      const align = Math.max(alignOf(v.type), v.alignAttr ?? 1);
      let hasData = v.init !== undefined && v.init.entries.length > 0;
      if (hasData && size > MAX_INITIALIZED_OBJECT) {
        this.diags.push({ severity: 'error', message: `'${v.name}' is too large to initialize (${size} bytes; at most ${MAX_INITIALIZED_OBJECT})`, range: v.range });
        hasData = false;
      }
      const section: SectionName = hasData ? 'data' : 'bss';
      const sec = hasData ? data : bss;
      const at = sec.place(size, align);
      if (hasData && data.size > MAX_INITIALIZED_OBJECT) {
        this.diags.push({ severity: 'error', message: `the initialized data reaches ${data.size} bytes; at most ${MAX_INITIALIZED_OBJECT} are supported`, range: v.range });
        data.size = 0;
        continue;
      }
      if (v.init && hasData) this.writeInitializer(sec, 'data', at, v.init);
      this.symbols.push({ name: v.linkName, section, offset: at, size, binding: v.storage === 'global' ? 'global' : 'local', kind: 'object' });
      if (!v.name.startsWith('.')) globals.push({ name: v.name, type: this.debugType(v.type), location: { kind: 'static', symbol: v.linkName }, range: v.range });
    }
    for (const s of unit.strings) {
      if (!this.usedStrings.has(s.id)) continue;
      const at = rodata.place(s.bytes.length, 1);
      s.bytes.forEach((b, i) => (rodata.bytes[at + i] = b));
      this.symbols.push({ name: `.str${s.id}`, section: 'rodata', offset: at, size: s.bytes.length, binding: 'local', kind: 'object' });
    }
    const text = this.em.finish();
    const functions: DebugFunction[] = [];
    for (const { fn, debug } of pending) {
      const start = this.em.offsetOf(debug.start);
      const end = this.em.offsetOf(debug.end);
      this.symbols.push({ name: fn.linkName, section: 'text', offset: start, size: end - start, binding: fn.storage === 'static' ? 'local' : 'global', kind: 'function' });
      const resolve = (p: PendingDebugFunction['params'][number]): DebugVariable => ({
        ...p.variable,
        ...(p.scope ? { scopeStart: this.em.offsetOf(p.scope.start), scopeEnd: this.em.offsetOf(p.scope.end) } : {}),
      });
      functions.push({ ...debug.fn, start, end, params: debug.params.map(resolve), locals: debug.locals.map(resolve) });
    }
    return {
      path: unit.path,
      text: text.bytes,
      rodata: rodata.toBytes(),
      data: data.toBytes(),
      bssSize: bss.size,
      align: { text: 16, rodata: rodata.align, data: data.align, bss: bss.align },
      symbols: this.symbols,
      relocations: [...text.relocations, ...this.relocations],
      lines: text.lines,
      debug: {
        types: this.debugTypes.types,
        functions,
        globals,
        typedefs: [...unit.typedefs].map(([name, type]) => ({ name, type: this.debugType(type) })),
      },
    };
  }

  /** Static initializer entries as bytes and relocations at `base` in `sec`. */
  private writeInitializer(sec: Section, section: SectionName, base: number, init: Initializer): void {
    for (const e of init.entries) {
      const v = staticValue(e.expr);
      const size = sizeOf(e.type);
      const at = base + e.offset;
      if (!v) continue; // the parser already reported a non-constant initializer
      if (v.kind === 'address') {
        if (size !== 8) {
          this.diags.push({ severity: 'error', message: 'initializer element is not computable at load time', range: e.expr.range });
          continue;
        }
        const symbol = v.target.kind === 'string' ? this.stringSymbol(v.target.id) : v.target.symbol.linkName;
        this.relocations.push({ section, offset: at, kind: 'abs64', symbol, addend: v.addend });
        continue;
      }
      if (v.kind === 'float') {
        this.diags.push({ severity: 'error', message: 'floating-point initializers are not supported', range: e.expr.range });
        continue;
      }
      let bits = BigInt.asUintN(size * 8, e.type.kind === 'int' || e.type.kind === 'enum' || e.type.kind === 'pointer' ? v.value : representation(v.value, e.type));
      if (e.bitWidth !== undefined) {
        const mask = ((1n << BigInt(e.bitWidth)) - 1n) << BigInt(e.bitOffset!);
        let unit = 0n;
        for (let i = size - 1; i >= 0; i--) unit = (unit << 8n) | BigInt(sec.bytes[at + i] ?? 0);
        bits = (unit & ~mask) | ((bits << BigInt(e.bitOffset!)) & mask);
      }
      for (let i = 0; i < size; i++) sec.bytes[at + i] = Number((bits >> BigInt(8 * i)) & 0xffn);
    }
  }
}

/** Generates code for a checked translation unit. Diagnostics report what the back end cannot do. */
export function generateModule(unit: TranslationUnit): { module: ObjectModule; diagnostics: Diagnostic[] } {
  const gen = new ModuleGen(unit);
  const module = gen.generate();
  return { module, diagnostics: gen.diags };
}
