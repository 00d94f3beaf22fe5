// Archive semantics, as `ld` gives a static library (.a): a library module
// is linked only if it defines a symbol that the modules already chosen
// reference and nobody else defines. WeensyOS's user programs each get one
// page of code, so a program that prints nothing must not carry the
// formatter; lib.c and lib-printf.c are separate members for that reason.

import type { ObjectModule } from '../object';

/**
 * The members of `archive` that `modules` need, directly or through other
 * members, in archive order. Symbols in `provided` (fixed addresses,
 * embedded files) count as defined.
 */
export function selectArchiveMembers(modules: readonly ObjectModule[], archive: readonly ObjectModule[], provided: ReadonlySet<string>): ObjectModule[] {
  const defined = new Set(provided);
  const needed = new Set<string>();
  const addModule = (m: ObjectModule): void => {
    for (const s of m.symbols) if (s.binding === 'global' && s.section !== 'undefined') defined.add(s.name);
    // References are relocations; a module's own locals resolve within it.
    const local = new Set(m.symbols.filter((s) => s.binding === 'local').map((s) => s.name));
    for (const r of m.relocations) if (!local.has(r.symbol)) needed.add(r.symbol);
  };
  for (const m of modules) addModule(m);
  const chosen = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    archive.forEach((m, i) => {
      if (chosen.has(i)) return;
      const wanted = m.symbols.some((s) => s.binding === 'global' && s.section !== 'undefined' && needed.has(s.name) && !defined.has(s.name));
      if (!wanted) return;
      chosen.add(i);
      addModule(m);
      changed = true;
    });
  }
  return archive.filter((_, i) => chosen.has(i));
}
