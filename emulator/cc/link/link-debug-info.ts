// Turns each module's section-relative debug records into the image's
// absolute ones: .text offsets (functions, variable scopes, line rows)
// become addresses, and static locations get their symbol's address as
// the module sees it (so a `static` name finds its own module's variable).

import type { ImageDebugInfo, ImageDebugUnit, ImageDebugVariable, ImageLineRow } from '../../machine/image/image-debug-info';
import type { DebugVariable, ObjectModule } from '../object';
import type { ImageLayout } from './image-layout';
import type { SymbolTable } from './symbol-table';

function linkVariable(v: DebugVariable, text: number, resolve: (name: string) => number | null): ImageDebugVariable {
  const location = v.location.kind === 'static' ? { kind: 'static' as const, symbol: v.location.symbol, address: resolve(v.location.symbol) } : v.location;
  return {
    name: v.name,
    type: v.type,
    location,
    range: v.range,
    ...(v.scopeStart !== undefined ? { scopeStart: text + v.scopeStart } : {}),
    ...(v.scopeEnd !== undefined ? { scopeEnd: text + v.scopeEnd } : {}),
  };
}

export function linkDebugInfo(modules: readonly ObjectModule[], layout: ImageLayout, table: SymbolTable): { debug: ImageDebugInfo; lines: ImageLineRow[] } {
  const lines: ImageLineRow[] = [];
  const units = modules.map((m, i): ImageDebugUnit => {
    const text = layout.modules[i]!.text;
    const resolve = (name: string): number | null => table.resolve(i, name)?.address ?? null;
    const variable = (v: DebugVariable): ImageDebugVariable => linkVariable(v, text, resolve);
    for (const row of m.lines) lines.push({ address: text + row.offset, range: row.range, isStatement: row.isStatement });
    return {
      path: m.path,
      types: m.debug.types,
      functions: m.debug.functions.map((f) => ({
        name: f.name,
        linkName: f.linkName,
        start: text + f.start,
        end: text + f.end,
        type: f.type,
        range: f.range,
        frameSize: f.frameSize,
        params: f.params.map(variable),
        locals: f.locals.map(variable),
      })),
      globals: m.debug.globals.map(variable),
      typedefs: m.debug.typedefs,
    };
  });
  // Array.prototype.sort is stable, so rows at one address keep their module order.
  lines.sort((a, b) => a.address - b.address);
  return { debug: { units }, lines };
}
