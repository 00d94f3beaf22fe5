// Go to definition: from a name to where it is declared (a WeensyOS API
// function to its prototype in kernel.h, a function of this file to its
// body, a macro to its #define, a member to its line in the struct), and
// from an #include line to the header it names: the workspace's own copy
// if there is one, else the built-in one the extension ships.

import type { Location } from 'vscode-languageserver';
import type { Analysis } from './analysis';
import { toRange } from './diagnostics';
import { declarationRange, lookupName } from './name-lookup';
import { inCommentOrLiteral, tokenAt, type TextToken } from './text-tokens';
import { folderOf, type WorkspaceFiles } from './workspace-files';

export function definitionAt(analysis: Analysis, text: string, tokens: readonly TextToken[], offset: number, files: WorkspaceFiles): Location | null {
  const include = includeTarget(text, offset);
  if (include !== undefined) {
    const own = `${folderOf(analysis.document.path)}/${include}`;
    const path = files.read(own) !== undefined ? own : `<built-in>/${include}`;
    const uri = files.read(path) !== undefined ? files.uriOf(path) : undefined;
    return uri ? { uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : null;
  }
  const symbols = analysis.symbols;
  if (!symbols || inCommentOrLiteral(text, tokens, offset)) return null;
  const at = tokenAt(tokens, offset);
  if (at < 0) return null;
  const info = lookupName(symbols, tokens, at, analysis.document.path);
  if (!info) return null;
  const range = declarationRange(symbols, info, true);
  if (!range) return null;
  const uri = files.uriOf(range.start.file);
  if (!uri) return null;
  const target = files.read(range.start.file);
  return { uri, range: toRange(range, target) };
}

/** The header named by the #include line at `offset`, if the offset is on one. */
function includeTarget(text: string, offset: number): string | undefined {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const endAt = text.indexOf('\n', offset);
  const line = text.slice(start, endAt < 0 ? text.length : endAt);
  const m = /^\s*#\s*include\s*["<]([^">]+)[">]/.exec(line);
  return m ? m[1] : undefined;
}
