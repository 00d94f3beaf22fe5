// Hovers: what the identifier under the cursor is (hover-names.ts), and the
// value of the constant expression around it with its WeensyOS meaning
// (hover-values.ts). Works on the text as typed; names come from the last
// check of the document.

import type { Hover } from 'vscode-languageserver';
import type { Analysis } from './analysis';
import { callAt, candidateSpans, spanText, type TokenSpan } from './expression-context';
import { describeName, type TextSource } from './hover-names';
import { argumentRole, describeValue, flagKind } from './hover-values';
import { lookupName } from './name-lookup';
import { inCommentOrLiteral, tokenAt, type TextToken } from './text-tokens';

export interface HoverInput {
  readonly analysis: Analysis;
  /** The document's current text and its tokens. */
  readonly text: string;
  readonly tokens: readonly TextToken[];
  readonly offset: number;
  readonly read: TextSource;
  /** Offset to LSP position, for the hover's range. */
  readonly positionAt: (offset: number) => { line: number; character: number };
}

export function hoverAt(input: HoverInput): Hover | null {
  const { analysis, text, tokens, offset } = input;
  const symbols = analysis.symbols;
  if (!symbols) return null;
  const at = tokenAt(tokens, offset);
  if (at < 0 || inCommentOrLiteral(text, tokens, offset)) return null;
  const tok = tokens[at]!;
  if (tok.kind === 'string') return null;
  const sections: string[] = [];
  let range: TokenSpan = { first: at, last: at };

  // The name.
  if (tok.kind === 'identifier') {
    const info = lookupName(symbols, tokens, at, analysis.document.path);
    if (info) {
      const md = describeName(symbols, info, input.read, analysis.launch?.name);
      if (md) sections.push(md);
    }
  }

  // The value of the largest constant expression around the cursor.
  if (tok.kind === 'number' || tok.kind === 'char' || tok.kind === 'identifier' || tok.kind === 'punct') {
    for (const span of candidateSpans(tokens, at)) {
      if (tok.kind === 'punct' && span.first === span.last) continue;
      if (!hasOperand(tokens, span)) continue;
      const source = spanText(text, tokens, span);
      const result = symbols.evaluate(source);
      if (!result.ok) continue;
      const call = callAt(tokens, span.first - 1);
      const role = argumentRole(call);
      const kind = flagKind(tokens, span.first, span.last, role);
      // A small decimal literal alone (an index, a count) means what it says.
      if (span.first === span.last && tok.kind === 'number' && !kind && !role && /^[0-9]+[uUlL]*$/.test(tok.text) && result.value < 0x1000n) break;
      const described = describeValue(symbols, source, result.value, kind, role);
      // A lone macro's plain value is already in its own section.
      if (span.first === span.last && tok.kind === 'identifier' && sections.length > 0 && !described.includes('\n')) break;
      sections.push(described);
      range = span;
      break;
    }
  }
  if (sections.length === 0) return null;
  return {
    contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') },
    range: { start: input.positionAt(tokens[range.first]!.start), end: input.positionAt(tokens[range.last]!.end) },
  };
}

/** True if a span holds a literal or a name (not only punctuation). */
function hasOperand(tokens: readonly TextToken[], span: TokenSpan): boolean {
  for (let i = span.first; i <= span.last; i++) {
    const k = tokens[i]!.kind;
    if (k === 'number' || k === 'char' || k === 'identifier') return true;
  }
  return false;
}
