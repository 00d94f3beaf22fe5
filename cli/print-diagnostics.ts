// Diagnostics as gcc prints them: the `file:line:col: error: message` line,
// then the source line with its number and a caret (and tildes) under the
// range, then any notes in the same form.

import { formatDiagnostic, type Diagnostic, type SourceRange } from '../emulator/index';

const TAB = 8;

/** Expands tabs as a terminal shows them; returns the text and a map from 1-based columns to display columns. */
function expandTabs(line: string): { text: string; column: (c: number) => number } {
  const starts: number[] = [];
  let text = '';
  for (const ch of line) {
    starts.push(text.length);
    text += ch === '\t' ? ' '.repeat(TAB - (text.length % TAB)) : ch;
  }
  starts.push(text.length);
  return { text, column: (c) => starts[Math.min(Math.max(c - 1, 0), starts.length - 1)]! };
}

/** The two lines gcc prints under a message: `    3 |   code` and `      |   ^~~~`. */
function caret(range: SourceRange, readText: (path: string) => string | undefined): string[] {
  const text = readText(range.start.file);
  if (text === undefined) return [];
  const raw = text.split('\n')[range.start.line - 1];
  if (raw === undefined) return [];
  const { text: line, column } = expandTabs(raw.replace(/\r$/, ''));
  const start = column(range.start.column);
  const end = range.end.line === range.start.line ? Math.max(column(range.end.column), start + 1) : start + 1;
  const gutter = String(range.start.line).padStart(5);
  return [`${gutter} | ${line}`, `${' '.repeat(gutter.length)} | ${' '.repeat(start)}^${'~'.repeat(end - start - 1)}`];
}

/** All the lines for one diagnostic. */
export function renderDiagnostic(d: Diagnostic, readText: (path: string) => string | undefined): string[] {
  const lines = [formatDiagnostic({ ...d, notes: [] }), ...caret(d.range, readText)];
  for (const n of d.notes ?? []) {
    lines.push(formatDiagnostic({ severity: 'note', message: n.message, range: n.range }), ...caret(n.range, readText));
  }
  return lines;
}

/** Writes the diagnostics to `out`; returns true if any is an error. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], readText: (path: string) => string | undefined, out: NodeJS.WritableStream): boolean {
  for (const d of diagnostics) out.write(renderDiagnostic(d, readText).join('\n') + '\n');
  return diagnostics.some((d) => d.severity === 'error');
}
