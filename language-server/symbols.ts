// The names a checked file knows, gathered from the compiler's results:
// macros (as they stand at the end of the file), functions, objects,
// typedefs, enumeration constants and struct/union tags. Hovers,
// completion, signature help and go to definition all look names up here,
// and constant expressions are evaluated against it.

import { asInt, expandMacros, isSigned, sizeOf, type DeclaredName, type FrontEndResult, type FunctionSymbol, type MacroDefinition, type Tag, type Type, type VarSymbol } from '../emulator/index';
import { evaluateConstant, type ConstantResult, type ConstantScope, type IntShape } from './constant-value';

export interface Enumerator {
  readonly name: string;
  readonly value: bigint;
  readonly tag: Tag;
}

export class SymbolTable implements ConstantScope {
  readonly macros: ReadonlyMap<string, MacroDefinition>;
  readonly functions = new Map<string, FunctionSymbol>();
  readonly objects = new Map<string, VarSymbol>();
  readonly typedefs: ReadonlyMap<string, Type>;
  readonly enumerators = new Map<string, Enumerator>();
  /** Tags by "struct proc", "union u", "enum pageowner". */
  readonly tags = new Map<string, Tag>();
  /** Every declaration the parser recorded, by name (declared-names.ts). */
  readonly declared = new Map<string, DeclaredName[]>();
  private readonly values = new Map<string, ConstantResult>();

  constructor(readonly front: FrontEndResult) {
    this.macros = front.macros;
    this.typedefs = front.unit.typedefs;
    for (const f of front.unit.functions) this.functions.set(f.name, f);
    for (const o of front.unit.objects) if (!o.linkName.includes('.')) this.objects.set(o.name, o);
    for (const d of front.declarations) {
      const list = this.declared.get(d.name);
      if (list) list.push(d);
      else this.declared.set(d.name, [d]);
    }
    const seen = new Set<Tag>();
    const visit = (t: Type | undefined, depth: number): void => {
      if (!t || depth > 12) return;
      switch (t.kind) {
        case 'pointer':
          return visit(t.to, depth + 1);
        case 'array':
          return visit(t.of, depth + 1);
        case 'function':
          visit(t.returns, depth + 1);
          for (const p of t.params) visit(p.type, depth + 1);
          return;
        case 'struct':
        case 'union':
        case 'enum': {
          if (seen.has(t.tag)) return;
          seen.add(t.tag);
          if (t.tag.name !== undefined && t.tag.complete) this.tags.set(`${t.tag.kind} ${t.tag.name}`, t.tag);
          for (const e of t.tag.enumerators) this.enumerators.set(e.name, { name: e.name, value: e.value, tag: t.tag });
          for (const f of t.tag.fields) visit(f.type, depth + 1);
          return;
        }
        default:
          return;
      }
    };
    for (const t of front.unit.typedefs.values()) visit(t, 0);
    for (const o of front.unit.objects) visit(o.type, 0);
    for (const f of front.unit.functions) {
      visit(f.type, 0);
      for (const v of [...f.params, ...f.locals]) visit(v.type, 0);
    }
  }

  // ---- ConstantScope ----

  enumerator(name: string): bigint | undefined {
    return this.enumerators.get(name)?.value;
  }

  typedef(name: string): { readonly shape?: IntShape; readonly size: number } | undefined {
    const t = this.typedefs.get(name);
    if (!t) return undefined;
    const shape = shapeOf(t);
    return shape ? { shape, size: sizeOf(t) } : { size: sizeOf(t) };
  }

  tagSize(kind: string, name: string): number | undefined {
    const tag = this.tags.get(`${kind} ${name}`);
    return tag?.complete ? tag.size : undefined;
  }

  // ---- evaluation ----

  /** Evaluates C source text as an integer constant expression, macros expanded. */
  evaluate(text: string): ConstantResult {
    const hit = this.values.get(text);
    if (hit) return hit;
    let result: ConstantResult;
    try {
      result = evaluateConstant(expandMacros(text, this.macros), this);
    } catch (e) {
      result = { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
    if (this.values.size > 2000) this.values.clear();
    this.values.set(text, result);
    return result;
  }

  /** The value of an object-like macro, if it is an integer constant. */
  macroValue(name: string): bigint | undefined {
    const m = this.macros.get(name);
    if (!m || m.params !== undefined || m.builtin) return undefined;
    const r = this.evaluate(name);
    return r.ok ? r.value : undefined;
  }

  // ---- lookups ----

  /** The function whose body holds `offset` of file `path`. */
  functionAt(path: string, offset: number): FunctionSymbol | undefined {
    for (const f of this.functions.values()) {
      const b = f.body?.range;
      if (b && b.start.file === path && b.start.offset <= offset && offset <= b.end.offset) return f;
    }
    return undefined;
  }

  /** A local or parameter named `name` visible at `offset` in function `fn` (the latest declared before it). */
  localAt(fn: FunctionSymbol | undefined, name: string, offset: number): VarSymbol | undefined {
    if (!fn) return undefined;
    let found: VarSymbol | undefined;
    for (const v of fn.locals) if (v.name === name && v.range.start.offset <= offset) found = v;
    return found ?? fn.params.find((p) => p.name === name);
  }

  /** The type of a variable named `name` at `offset`: a local, a parameter, or a global. */
  variableType(path: string, offset: number, name: string): Type | undefined {
    const local = this.localAt(this.functionAt(path, offset), name, offset);
    if (local) return local.type;
    return this.objects.get(name)?.type;
  }
}

/** The integer shape of a scalar type (pointers are 64-bit unsigned), or undefined for others. */
export function shapeOf(t: Type): IntShape | undefined {
  if (t.kind === 'pointer') return { bits: 64, signed: false };
  if (t.kind === 'int' || t.kind === 'enum') {
    const i = asInt(t);
    return { bits: (sizeOf(i) * 8) as IntShape['bits'], signed: isSigned(i) };
  }
  return undefined;
}
