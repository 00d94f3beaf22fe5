import type { SourceRange } from './source';

export type Severity = 'error' | 'warning' | 'note';

/**
 * A located message. The front end never throws on bad input (ARCHITECTURE.md,
 * invariant 8): it returns these. The language server shows them as squiggles
 * and the CLI prints them in gcc's `file:line:col: error: message` form.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  /** Where to point: the token or construct at fault, in the file the user wrote. */
  readonly range: SourceRange;
  /** Where a macro involved was expanded, outermost last ("in expansion of macro 'X'"). */
  readonly notes?: readonly { readonly message: string; readonly range: SourceRange }[];
}

/** gcc's one-line form: "kernel.c:12:5: error: expected ';' before '}' token". */
export function formatDiagnostic(d: Diagnostic): string {
  const p = d.range.start;
  const head = `${p.file}:${p.line}:${p.column}: ${d.severity}: ${d.message}`;
  const notes = (d.notes ?? []).map((n) => `${n.range.start.file}:${n.range.start.line}:${n.range.start.column}: note: ${n.message}`);
  return [head, ...notes].join('\n');
}

/** Collects diagnostics; phases add to one sink instead of throwing. */
export class DiagnosticSink {
  readonly all: Diagnostic[] = [];
  error(message: string, range: SourceRange, notes?: Diagnostic['notes']): void {
    this.all.push({ severity: 'error', message, range, ...(notes ? { notes } : {}) });
  }
  warning(message: string, range: SourceRange, notes?: Diagnostic['notes']): void {
    this.all.push({ severity: 'warning', message, range, ...(notes ? { notes } : {}) });
  }
  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }
}
