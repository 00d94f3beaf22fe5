// Completion: members after '.' and '->' (typed from the text before the
// operator), header names after #include, and otherwise every name the
// checked file knows: the WeensyOS API and its constants, the file's own
// functions, globals, enumerators, types, and the locals of the function
// around the cursor. In an argument whose meaning is known the likely
// names come first: PTE_* for virtual_memory_map's perm, PFERR_* next to
// reg_err, INT_* next to reg_intno, PO_* next to an owner, P_* next to a state.

import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { typeName, weensyosFiles, type MacroDefinition } from '../emulator/index';
import type { Analysis } from './analysis';
import { callAt } from './expression-context';
import { signature } from './hover-names';
import { argumentRole } from './hover-values';
import { membersOf, recordOf, typeOfExpressionEndingAt } from './member-access';
import type { SymbolTable } from './symbols';
import { inCommentOrLiteral, tokenBefore, type TextToken } from './text-tokens';

/** What completionItem/resolve needs to find an item's documentation again. */
export interface CompletionData {
  readonly uri: string;
  readonly name: string;
  /** For members: the record and its kind ("struct proc"). */
  readonly record?: string;
}

export interface CompletionInput {
  readonly analysis: Analysis;
  readonly text: string;
  readonly tokens: readonly TextToken[];
  readonly offset: number;
  /** Header files of the document's folder, for #include. */
  readonly folderHeaders: () => readonly string[];
}

export function completionsAt(input: CompletionInput): CompletionItem[] {
  const { analysis, text, tokens, offset } = input;
  const symbols = analysis.symbols;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, offset);
  const include = /^\s*#\s*include\s*["<]([^">]*)$/.exec(line);
  if (include) return includeItems(input.folderHeaders());
  if (!symbols || inCommentOrLiteral(text, tokens, offset)) return [];
  let last = tokenBefore(tokens, offset);
  // The word being typed is not part of the context.
  if (last >= 0 && tokens[last]!.kind === 'identifier' && tokens[last]!.end === offset) last--;
  const op = tokens[last];
  if (op && (op.text === '.' || op.text === '->') && last >= 1) return memberItems(analysis, symbols, tokens, last, op.text === '->');
  return nameItems(analysis, symbols, tokens, last, offset);
}

function memberItems(analysis: Analysis, symbols: SymbolTable, tokens: readonly TextToken[], opIndex: number, arrow: boolean): CompletionItem[] {
  const type = typeOfExpressionEndingAt(tokens, opIndex - 1, symbols, analysis.document.path);
  const tag = type ? recordOf(type, arrow) : undefined;
  if (!tag) return [];
  const record = `${tag.kind} ${tag.name ?? ''}`;
  return membersOf(tag).map((f, i) => ({
    label: f.name,
    kind: CompletionItemKind.Field,
    detail: `${typeName(f.type)} (offset ${f.offset})`,
    sortText: String(i).padStart(4, '0'),
    data: { uri: analysis.document.uri, name: f.name, record } satisfies CompletionData,
  }));
}

/** The name prefixes worth putting first, from the argument or the names nearby. */
function preferredPrefixes(tokens: readonly TextToken[], last: number): string[] {
  const role = argumentRole(callAt(tokens, last));
  if (role === 'perm') return ['PTE_'];
  if (role === 'va' || role === 'pa' || role === 'address' || role === 'size') return ['PAGESIZE', 'PROC_START_ADDR', 'MEMSIZE_', 'KERNEL_', 'PAGEADDRESS', 'ROUND'];
  const nearby = new Set<string>();
  for (let j = last; j >= 0 && j > last - 12; j--) {
    const t = tokens[j]!;
    if (t.text === ';' || t.text === '{' || t.text === '}') break;
    if (t.kind === 'identifier') nearby.add(t.text);
  }
  const out: string[] = [];
  if (nearby.has('reg_err')) out.push('PFERR_');
  if (nearby.has('reg_intno') || nearby.has('intno')) out.push('INT_');
  if (nearby.has('owner')) out.push('PO_');
  if (nearby.has('p_state') || nearby.has('state')) out.push('P_');
  if (nearby.has('perm') || nearby.has('entry')) out.push('PTE_');
  return out;
}

function hidden(name: string): boolean {
  return name.startsWith('_') || name.startsWith('__builtin');
}

/** Include guards and similar: empty object-like macros named like a header. */
function isGuard(m: MacroDefinition): boolean {
  return m.params === undefined && m.body === '' && /_H$/.test(m.name);
}

function nameItems(analysis: Analysis, symbols: SymbolTable, tokens: readonly TextToken[], last: number, offset: number): CompletionItem[] {
  const preferred = preferredPrefixes(tokens, last);
  const items = new Map<string, CompletionItem>();
  const rank = (name: string, fallback: number): string => `${preferred.some((p) => name.startsWith(p)) ? 0 : fallback}${name}`;
  const data = (name: string): CompletionData => ({ uri: analysis.document.uri, name });
  const add = (item: CompletionItem): void => {
    if (!items.has(item.label)) items.set(item.label, item);
  };
  const path = analysis.document.path;
  const fn = symbols.functionAt(path, offset);
  if (fn) {
    for (const v of [...fn.locals.filter((l) => l.range.start.offset <= offset), ...fn.params]) {
      if (v.name.startsWith('.')) continue;
      add({ label: v.name, kind: CompletionItemKind.Variable, detail: typeName(v.type), sortText: rank(v.name, 1) });
    }
  }
  for (const m of symbols.macros.values()) {
    if (m.builtin || hidden(m.name) || isGuard(m) || m.range.start.file === '<built-in>') continue;
    const value = m.params === undefined ? symbols.macroValue(m.name) : undefined;
    add({
      label: m.name,
      kind: m.params === undefined ? CompletionItemKind.Constant : CompletionItemKind.Function,
      detail: m.params === undefined ? `#define ${m.name} ${m.body}${value !== undefined && m.body !== String(value) ? ` (= 0x${BigInt.asUintN(64, value).toString(16)})` : ''}` : `#define ${m.name}(${m.params.join(', ')})`,
      sortText: rank(m.name, 2),
      data: data(m.name),
    });
  }
  for (const f of symbols.functions.values()) {
    if (hidden(f.name)) continue;
    add({ label: f.name, kind: CompletionItemKind.Function, detail: signature(f.name, f.type), sortText: rank(f.name, 2), data: data(f.name) });
  }
  for (const o of symbols.objects.values()) {
    if (hidden(o.name)) continue;
    add({ label: o.name, kind: CompletionItemKind.Variable, detail: typeName(o.type), sortText: rank(o.name, 2), data: data(o.name) });
  }
  for (const e of symbols.enumerators.values()) {
    add({ label: e.name, kind: CompletionItemKind.EnumMember, detail: `${e.name} = ${e.value} (enum ${e.tag.name ?? 'anonymous'})`, sortText: rank(e.name, 2), data: data(e.name) });
  }
  for (const [name, type] of symbols.typedefs) {
    if (hidden(name)) continue;
    add({ label: name, kind: type.kind === 'struct' || type.kind === 'union' ? CompletionItemKind.Struct : CompletionItemKind.TypeParameter, detail: `typedef ${typeName({ ...type, typedefName: undefined })}`, sortText: rank(name, 3), data: data(name) });
  }
  return [...items.values()];
}

function includeItems(folderHeaders: readonly string[]): CompletionItem[] {
  const names = new Set<string>(folderHeaders);
  for (const name of weensyosFiles().keys()) if (name.endsWith('.h')) names.add(name);
  return [...names].sort().map((name) => ({ label: name, kind: CompletionItemKind.File, detail: folderHeaders.includes(name) ? 'in this folder' : 'WeensyOS built-in header' }));
}
