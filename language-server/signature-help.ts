// Signature help inside a call: the function's (or function-like macro's)
// parameters with the current one marked, and its documentation, so the
// order of virtual_memory_map's six arguments is always in view.

import type { SignatureHelp, SignatureInformation } from 'vscode-languageserver';
import type { Analysis } from './analysis';
import { declarationDoc } from './doc-comments';
import { callAt } from './expression-context';
import { signature, type TextSource } from './hover-names';
import { inCommentOrLiteral, tokenBefore, type TextToken } from './text-tokens';

export function signatureHelpAt(analysis: Analysis, text: string, tokens: readonly TextToken[], offset: number, read: TextSource): SignatureHelp | null {
  const symbols = analysis.symbols;
  if (!symbols || inCommentOrLiteral(text, tokens, offset)) return null;
  const call = callAt(tokens, tokenBefore(tokens, offset));
  if (!call) return null;
  let info: SignatureInformation | undefined;
  const macro = symbols.macros.get(call.callee);
  const fn = symbols.functions.get(call.callee);
  if (macro && macro.params !== undefined) {
    const label = `${macro.name}(${macro.params.join(', ')})`;
    info = withParameters(label, docOf(read, macro.range.start.file, macro.range.start.line, macro.name));
  } else if (fn && fn.type.kind === 'function') {
    const declared = read(fn.range.start.file);
    const doc = declared !== undefined ? declarationDoc(declared, fn.range.start.line, fn.name) : undefined;
    // The prototype on one line, as written if we have it.
    const written = doc?.declaration.replace(/\s+/g, ' ').replace(/\s*[;{]\s*$/, '');
    const label = written && written.includes(`${fn.name}(`) ? written : signature(fn.name, fn.type);
    info = withParameters(label, doc?.doc ?? (fn.definitionRange ? docOf(read, fn.definitionRange.start.file, fn.definitionRange.start.line, fn.name) : undefined));
  }
  if (!info) return null;
  const count = info.parameters?.length ?? 0;
  return { signatures: [info], activeSignature: 0, activeParameter: count === 0 ? 0 : Math.min(call.argument, count - 1) };
}

function docOf(read: TextSource, file: string, line: number, name: string): string | undefined {
  const text = read(file);
  return text === undefined ? undefined : declarationDoc(text, line, name).doc;
}

/** The label with its parameters as [start, end) offsets: split at the top-level commas of the parenthesized list. */
function withParameters(label: string, doc: string | undefined): SignatureInformation {
  const open = label.indexOf('(');
  const parameters: { label: [number, number] }[] = [];
  if (open >= 0) {
    let depth = 0;
    let start = open + 1;
    for (let i = open + 1; i < label.length; i++) {
      const c = label[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) {
          if (label.slice(start, i).trim() !== '' && label.slice(start, i).trim() !== 'void') parameters.push({ label: trimmed(label, start, i) });
          break;
        }
        depth--;
      } else if (c === ',' && depth === 0) {
        parameters.push({ label: trimmed(label, start, i) });
        start = i + 1;
      }
    }
  }
  return { label, ...(doc ? { documentation: { kind: 'markdown', value: doc } } : {}), parameters };
}

function trimmed(label: string, start: number, end: number): [number, number] {
  while (start < end && label[start] === ' ') start++;
  while (end > start && label[end - 1] === ' ') end--;
  return [start, end];
}
