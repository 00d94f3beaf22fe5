// Diagnostics for the linker. A message about a module points where the
// module's own records allow: a relocation in .text at the source line its
// instruction came from (the line table), a symbol at its declaration (the
// debug information), and otherwise at the top of the module's file. A
// message about the whole link points at the output's name.

import type { Diagnostic } from '../diagnostic';
import type { ObjectModule, SectionName } from '../object';
import type { SourceRange } from '../source';

/** The top of a file, for messages with nothing more precise to point at. */
export const fileStart = (file: string): SourceRange => ({ start: { file, line: 1, column: 1, offset: 0 }, end: { file, line: 1, column: 1, offset: 0 } });

/** The source range of the code at `offset` in the module's .text: the last line row at or before it. */
export function textRange(m: ObjectModule, offset: number): SourceRange {
  let best: { offset: number; range: SourceRange } | undefined;
  for (const row of m.lines) if (row.offset <= offset && (!best || row.offset >= best.offset)) best = row;
  return best?.range ?? fileStart(m.path);
}

/** Where the module declares `name`: its function or variable record, else its position in .text. */
export function symbolRange(m: ObjectModule, name: string): SourceRange {
  const fn = m.debug.functions.find((f) => f.linkName === name);
  if (fn) return fn.range;
  const statics = [...m.debug.globals, ...m.debug.functions.flatMap((f) => f.locals)];
  const v = statics.find((g) => g.location.kind === 'static' && g.location.symbol === name);
  if (v) return v.range;
  const sym = m.symbols.find((s) => s.name === name && s.section === 'text');
  return sym ? textRange(m, sym.offset) : fileStart(m.path);
}

/** Where a relocation comes from: its instruction's line in .text, or the variable whose initializer holds it. */
export function relocationRange(m: ObjectModule, section: SectionName, offset: number): SourceRange {
  if (section === 'text') return textRange(m, offset);
  const owner = m.symbols.find((s) => s.section === section && s.offset <= offset && offset < s.offset + s.size);
  return owner ? symbolRange(m, owner.name) : fileStart(m.path);
}

/** A section-relative place, printed as ld prints it: "kernel.c(.text+0x1a)". */
export function place(m: ObjectModule, section: SectionName, offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  return `${m.path}(.${section}${sign}0x${Math.abs(offset).toString(16)})`;
}

export class LinkDiagnostics {
  readonly all: Diagnostic[] = [];
  constructor(private readonly output: string) {}

  /** An error located in a module's source. */
  error(message: string, range: SourceRange, notes?: Diagnostic['notes']): void {
    this.all.push({ severity: 'error', message, range, ...(notes ? { notes } : {}) });
  }

  /** An error about the link as a whole (entry point, limit, options). */
  linkError(message: string): void {
    this.error(message, fileStart(this.output));
  }

  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }
}
