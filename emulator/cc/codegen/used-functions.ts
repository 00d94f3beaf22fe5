// Which `static` functions a translation unit needs: as gcc does (at -O0
// too), a static function nothing refers to is not emitted. This matters
// for headers full of `static inline` helpers (x86-64.h's pageindex calls
// assert): emitting them all would drag assert_fail, and with it the
// formatter, into every WeensyOS user program, whose code must fit a page.

import type { FunctionSymbol, TranslationUnit } from '../ast';

/** Every function a node mentions (calls or takes the address of), found by walking its fields. */
function collectFunctions(root: unknown, out: Set<FunctionSymbol>): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const x of node) stack.push(x);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (record.kind === 'symbol') {
      const sym = record.symbol as { kind?: string } | undefined;
      if (sym?.kind === 'function') out.add(sym as FunctionSymbol);
      continue;
    }
    for (const [key, value] of Object.entries(record)) {
      // Types and ranges hold no code; symbols are reached through 'symbol' nodes only.
      if (key === 'type' || key === 'range' || key === 'argType' || key === 'symbol') continue;
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
}

/** The functions with bodies to emit: every non-static one, and the static ones reachable from code or data. */
export function functionsToEmit(unit: TranslationUnit): FunctionSymbol[] {
  // By link name: a prototype and the later definition may be separate symbol objects.
  const definitions = new Map<string, FunctionSymbol>();
  for (const fn of unit.functions) if (fn.body) definitions.set(fn.linkName, fn);
  const needed = new Set<string>();
  const work: FunctionSymbol[] = [];
  const add = (fn: FunctionSymbol): void => {
    if (needed.has(fn.linkName)) return;
    needed.add(fn.linkName);
    const def = definitions.get(fn.linkName);
    if (def) work.push(def);
  };
  for (const fn of unit.functions) if (fn.body && fn.storage !== 'static') add(fn);
  const fromData = new Set<FunctionSymbol>();
  for (const v of unit.objects) if (v.init) collectFunctions(v.init, fromData);
  for (const fn of fromData) add(fn);
  while (work.length > 0) {
    const fn = work.pop()!;
    if (!fn.body) continue;
    const refs = new Set<FunctionSymbol>();
    collectFunctions(fn.body, refs);
    for (const r of refs) add(r);
  }
  return unit.functions.filter((fn) => fn.body && needed.has(fn.linkName));
}
