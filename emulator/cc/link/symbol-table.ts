// The link's symbols: what each module defines (C `static` names stay
// private to their module), what the linker defines (`start_data`, `end`,
// the `_binary_*` symbols of embedded files) and the fixed addresses the
// caller supplies (`console`, `cursorpos`, as the handout's shared.ld does).
// A name is looked up first among the referring module's locals, then
// among the globals.

import type { ImageSymbol } from '../../machine/image/program-image';
import type { ObjectModule } from '../object';
import type { ImageLayout } from './image-layout';
import { sectionSize } from './image-layout';
import { LinkDiagnostics, symbolRange } from './link-diagnostics';

const hex = (n: number): string => '0x' + n.toString(16);

export class SymbolTable {
  /** Every symbol once, in definition order. */
  readonly list: ImageSymbol[] = [];
  private readonly globals = new Map<string, ImageSymbol>();
  private readonly locals: Map<string, ImageSymbol>[];
  /** The index of the module defining each global (-1 for the linker). */
  private readonly globalOwner = new Map<string, number>();

  constructor(moduleCount: number) {
    this.locals = Array.from({ length: moduleCount }, () => new Map());
  }

  /** The symbol `name` as module `moduleIndex` sees it; pass -1 for the global scope. */
  resolve(moduleIndex: number, name: string): ImageSymbol | undefined {
    return this.locals[moduleIndex]?.get(name) ?? this.globals.get(name);
  }

  global(name: string): ImageSymbol | undefined {
    return this.globals.get(name);
  }

  /**
   * Adds a symbol defined by module `moduleIndex` (-1 for the linker) and
   * returns the symbol it clashes with, if any, without adding it. A global
   * clashes with any global of that name; a local with a local of the same
   * module, and a module may not define one name both ways.
   */
  add(sym: ImageSymbol, moduleIndex: number): ImageSymbol | undefined {
    const ownLocals = this.locals[moduleIndex];
    const ownGlobal = (): ImageSymbol | undefined => (this.globalOwner.get(sym.name) === moduleIndex ? this.globals.get(sym.name) : undefined);
    const clash = sym.binding === 'global' ? (this.globals.get(sym.name) ?? ownLocals?.get(sym.name)) : (ownLocals!.get(sym.name) ?? ownGlobal());
    if (clash) return clash;
    if (sym.binding === 'global') {
      this.globals.set(sym.name, sym);
      this.globalOwner.set(sym.name, moduleIndex);
    } else ownLocals!.set(sym.name, sym);
    this.list.push(sym);
    return undefined;
  }
}

/** Builds the symbol table, reporting duplicate definitions and symbols outside their sections. */
export function buildSymbolTable(
  modules: readonly ObjectModule[],
  layout: ImageLayout,
  fixedSymbols: ReadonlyMap<string, number>,
  diags: LinkDiagnostics,
): SymbolTable {
  const table = new SymbolTable(modules.length);
  modules.forEach((m, i) => {
    for (const s of m.symbols) {
      if (s.section === 'undefined') continue;
      const size = sectionSize(m, s.section);
      if (!(s.offset >= 0 && s.offset <= size)) {
        diags.error(`symbol '${s.name}' is at offset ${hex(s.offset)} of .${s.section}, which is only ${hex(size)} bytes`, symbolRange(m, s.name));
        continue;
      }
      const address = layout.modules[i]![s.section] + s.offset;
      const sym: ImageSymbol = { name: s.name, address, size: s.size, kind: s.kind, binding: s.binding, module: m.path, section: s.section };
      const clash = table.add(sym, i);
      if (!clash) continue;
      const first = modules.findIndex((o) => o.path === clash.module);
      const firstRange = first >= 0 ? symbolRange(modules[first]!, s.name) : undefined;
      diags.error(`multiple definition of '${s.name}' in ${m.path}`, symbolRange(m, s.name), firstRange ? [{ message: `'${s.name}' was first defined in ${clash.module}`, range: firstRange }] : undefined);
    }
  });

  const linkerDefined = (name: string, address: number, section: ImageSymbol['section'], what: string): void => {
    const sym: ImageSymbol = { name, address, size: 0, kind: 'notype', binding: 'global', module: null, section };
    const clash = table.add(sym, -1);
    if (!clash) return;
    const owner = modules.find((o) => o.path === clash.module);
    const message = clash.module === null ? `'${name}' is defined twice by the linker (${what})` : `'${name}' is defined in ${clash.module}, but the linker defines it (${what})`;
    if (owner) diags.error(message, symbolRange(owner, name));
    else diags.linkError(message);
  };
  linkerDefined('start_data', layout.startData, 'data', 'the start of the data segment');
  linkerDefined('end', layout.end, 'bss', 'the end of .bss');
  for (const e of layout.embeds) {
    linkerDefined(`${e.symbol}_start`, e.start, 'rodata', `the start of the embedded file '${e.name}'`);
    linkerDefined(`${e.symbol}_end`, e.start + e.bytes.length, 'rodata', `the end of the embedded file '${e.name}'`);
  }
  for (const [name, address] of fixedSymbols) linkerDefined(name, address, 'absolute', `fixed at ${hex(address)}`);
  return table;
}
