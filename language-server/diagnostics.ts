// The compiler's diagnostics as LSP diagnostics for one document: exact
// ranges (the compiler already maps them through macro expansions),
// macro-expansion notes as related information, source "weensyscope".
// Problems inside a header the document includes are shown on the
// #include line that brings the header in, as gcc's "In file included
// from" does, with a link to the place in the header.

import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Diagnostic, SourceRange } from '../emulator/index';
import type { Analysis } from './analysis';
import { DIAGNOSTIC_SOURCE, type DiagnosticsScope } from './protocol';
import { baseName, type WorkspaceFiles } from './workspace-files';

/** At most this many diagnostics per document: a binary or garbled file must not flood the editor. */
export const MAX_DIAGNOSTICS = 200;

/**
 * The document's diagnostics: its own check's, and `launch` ones (from the
 * launch check's build of the whole folder: link errors, problems in files
 * the document does not include) that the check did not already report.
 */
export function documentDiagnostics(analysis: Analysis, scope: DiagnosticsScope, files: WorkspaceFiles, launch: readonly Diagnostic[] = []): LspDiagnostic[] {
  if (!analysis.check) return [];
  const path = analysis.document.path;
  const text = analysis.document.text;
  const wanted = [...analysis.check.diagnostics, ...launch].filter((d) => inScope(d, scope));
  const out: LspDiagnostic[] = [];
  const seen = new Set<string>();
  for (const d of wanted) {
    let lsp: LspDiagnostic | undefined;
    if (d.range.start.file === path) {
      lsp = make(d, toRange(d.range, text), d.message, files);
    } else if (analysis.mainPath === path) {
      // In an included file: at the #include line.
      const include = includeLine(text, d.range.start.file);
      const where = `${baseName(d.range.start.file)}:${d.range.start.line}:${d.range.start.column}`;
      lsp = make(d, include, `${where}: ${d.message}`, files);
      const uri = files.uriOf(d.range.start.file);
      if (uri) lsp.relatedInformation = [{ location: { uri, range: toRange(d.range) }, message: d.message }, ...(lsp.relatedInformation ?? [])];
    }
    if (!lsp) continue;
    const key = `${lsp.range.start.line}:${lsp.range.start.character}:${lsp.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(lsp);
    if (out.length >= MAX_DIAGNOSTICS) break;
  }
  return out;
}

function inScope(d: Diagnostic, scope: DiagnosticsScope): boolean {
  return d.severity === 'error' || (scope === 'all' && d.severity === 'warning');
}

/** Diagnostics for a file that is not open (the launch check found them): converted without its text. */
export function fileDiagnostics(path: string, list: readonly Diagnostic[], scope: DiagnosticsScope, files: WorkspaceFiles): LspDiagnostic[] {
  const out: LspDiagnostic[] = [];
  for (const d of list) if (d.range.start.file === path && inScope(d, scope) && out.length < MAX_DIAGNOSTICS) out.push(make(d, toRange(d.range), d.message, files));
  return out;
}

function make(d: Diagnostic, range: Range, message: string, files: WorkspaceFiles): LspDiagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const n of d.notes ?? []) {
    const uri = files.uriOf(n.range.start.file);
    if (uri) related.push({ location: { uri, range: toRange(n.range) }, message: n.message });
  }
  return {
    range,
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/**
 * A compiler range (1-based lines and columns) as an LSP range. An empty
 * range is widened to the word at its start (or one character) so the
 * editor has something to underline.
 */
export function toRange(r: SourceRange, text?: string): Range {
  const start = { line: Math.max(0, r.start.line - 1), character: Math.max(0, r.start.column - 1) };
  let end = { line: Math.max(0, r.end.line - 1), character: Math.max(0, r.end.column - 1) };
  if (end.line < start.line || (end.line === start.line && end.character <= start.character)) {
    let width = 1;
    if (text !== undefined) {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(r.start.offset, r.start.offset + 256));
      if (m) width = m[0].length;
      if (text[r.start.offset] === '\n' || r.start.offset >= text.length) width = 0;
    }
    end = { line: start.line, character: start.character + width };
  }
  return { start, end };
}

/** The range of the #include line naming `file` (by its base name), else of the first #include, else the first line. */
function includeLine(text: string, file: string): Range {
  const name = baseName(file);
  const lines = text.split('\n');
  let first: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*include\s*[<"]([^>"]*)[>"]/.exec(lines[i]!);
    if (!m) continue;
    first ??= i;
    if (baseName(m[1]!) === name) return lineRange(lines, i);
  }
  return lineRange(lines, first ?? 0);
}

function lineRange(lines: readonly string[], i: number): Range {
  const line = (lines[i] ?? '').replace(/\r$/, '');
  const indent = /^\s*/.exec(line)![0].length;
  return { start: { line: i, character: indent }, end: { line: i, character: line.length } };
}
