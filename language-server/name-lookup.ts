// What an identifier in the text names, and where that is declared: a
// member after '.' or '->', a tag after struct/union/enum, else a macro, a
// local or parameter of the function around it, a function, a global, an
// enumeration constant or a typedef. Hovers and go to definition share it.

import type { FunctionSymbol, MacroDefinition, SourceRange, Tag, Type, VarSymbol } from '../emulator/index';
import { findField, recordOf, typeOfExpressionEndingAt, type MemberField } from './member-access';
import type { Enumerator, SymbolTable } from './symbols';
import type { TextToken } from './text-tokens';

export type NameInfo =
  | { readonly kind: 'macro'; readonly name: string; readonly macro: MacroDefinition }
  | { readonly kind: 'function'; readonly name: string; readonly fn: FunctionSymbol }
  | { readonly kind: 'object'; readonly name: string; readonly variable: VarSymbol }
  | { readonly kind: 'local' | 'parameter'; readonly name: string; readonly variable: VarSymbol }
  | { readonly kind: 'enumerator'; readonly name: string; readonly enumerator: Enumerator }
  | { readonly kind: 'typedef'; readonly name: string; readonly type: Type }
  | { readonly kind: 'field'; readonly name: string; readonly field: MemberField; readonly record: Tag }
  | { readonly kind: 'tag'; readonly name: string; readonly tag: Tag };

/** What the identifier token at `index` names, if the checked file knows it. */
export function lookupName(symbols: SymbolTable, tokens: readonly TextToken[], index: number, path: string): NameInfo | undefined {
  const t = tokens[index];
  if (!t || t.kind !== 'identifier') return undefined;
  const name = t.text;
  const prev = tokens[index - 1];
  if (prev && (prev.text === '.' || prev.text === '->') && index >= 2) {
    const before = typeOfExpressionEndingAt(tokens, index - 2, symbols, path);
    const record = before ? recordOf(before, prev.text === '->') : undefined;
    const field = record ? findField(record, name) : undefined;
    return field && record ? { kind: 'field', name, field, record } : undefined;
  }
  if (prev && (prev.text === 'struct' || prev.text === 'union' || prev.text === 'enum')) {
    const tag = symbols.tags.get(`${prev.text} ${name}`);
    return tag ? { kind: 'tag', name, tag } : undefined;
  }
  const macro = symbols.macros.get(name);
  if (macro && !macro.builtin) return { kind: 'macro', name, macro };
  const fn = symbols.functionAt(path, t.start);
  const local = symbols.localAt(fn, name, t.start);
  if (local) return { kind: local.storage === 'param' ? 'parameter' : 'local', name, variable: local };
  return fileScopeName(symbols, name);
}

/** A function, global, enumeration constant or typedef named `name`. */
function fileScopeName(symbols: SymbolTable, name: string): NameInfo | undefined {
  const f = symbols.functions.get(name);
  if (f) return { kind: 'function', name, fn: f };
  const o = symbols.objects.get(name);
  if (o) return { kind: 'object', name, variable: o };
  const e = symbols.enumerators.get(name);
  if (e) return { kind: 'enumerator', name, enumerator: e };
  const td = symbols.typedefs.get(name);
  return td ? { kind: 'typedef', name, type: td } : undefined;
}

/** What a file-scope name is, without a position: for completion items resolved later. */
export function lookupGlobalName(symbols: SymbolTable, name: string, record?: string): NameInfo | undefined {
  if (record !== undefined) {
    const tag = symbols.tags.get(record);
    const field = tag ? findField(tag, name) : undefined;
    return tag && field ? { kind: 'field', name, field, record: tag } : undefined;
  }
  const macro = symbols.macros.get(name);
  if (macro && !macro.builtin) return { kind: 'macro', name, macro };
  return fileScopeName(symbols, name);
}

/**
 * Where a name is declared. `definition` asks for the definition of a
 * function this file defines (else its first declaration, often the
 * header's prototype, where the documentation is).
 */
export function declarationRange(symbols: SymbolTable, info: NameInfo, definition: boolean): SourceRange | undefined {
  switch (info.kind) {
    case 'macro':
      return info.macro.range.start.file.startsWith('<') && !info.macro.range.start.file.includes('/') ? undefined : info.macro.range;
    case 'function':
      return definition && info.fn.body ? (info.fn.definitionRange ?? info.fn.range) : info.fn.range;
    case 'object':
      return declaredRange(symbols, 'object', info.name, undefined, definition) ?? info.variable.range;
    case 'local':
    case 'parameter':
      return info.variable.range;
    case 'enumerator':
      return declaredRange(symbols, 'enumerator', info.name, info.enumerator.tag, definition);
    case 'typedef':
      return declaredRange(symbols, 'typedef', info.name, undefined, definition);
    case 'field':
      return declaredRange(symbols, 'field', info.name, info.field.tag, definition);
    case 'tag':
      return declaredRange(symbols, 'tag', info.name, info.tag, definition);
  }
}

function declaredRange(symbols: SymbolTable, kind: string, name: string, tag: Tag | undefined, definition: boolean): SourceRange | undefined {
  const list = (symbols.declared.get(name) ?? []).filter((d) => d.kind === kind && (tag === undefined || d.tag === tag));
  const pick = definition ? (list.find((d) => d.definition) ?? list[0]) : list[0];
  return pick?.range;
}
