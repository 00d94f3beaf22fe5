// The name part of a hover: what an identifier is (a WeensyOS API function,
// a macro, a constant, a variable, a member, a type), its declaration as
// written, and the documentation from the comments of the header or file
// that declares it.

import { sizeOf, typeName, type SourceRange, type Type } from '../emulator/index';
import { declarationDoc } from './doc-comments';
import { declarationRange, type NameInfo } from './name-lookup';
import type { SymbolTable } from './symbols';
import { baseName } from './workspace-files';

/** Reads a file's text by compiler path (the texts a check read, the built-in files, the disk). */
export type TextSource = (path: string) => string | undefined;

const fence = (code: string): string => `\`\`\`c\n${code}\n\`\`\``;

/** Where a declaration is, for people: "kernel.h:48", or "your kernel.c:120". */
function where(range: SourceRange): string {
  const file = range.start.file;
  const builtin = file.startsWith('<built-in>/') || file.startsWith('<weensyos>/');
  return `${builtin ? 'WeensyOS ' : ''}${baseName(file)}:${range.start.line}`;
}

function docAt(range: SourceRange | undefined, name: string, read: TextSource): { declaration?: string; doc?: string } {
  if (!range) return {};
  const text = read(range.start.file);
  if (text === undefined) return {};
  return declarationDoc(text, range.start.line, name);
}

/** The markdown for the name, or undefined if there is nothing to say. */
export function describeName(symbols: SymbolTable, info: NameInfo, read: TextSource, launchName?: string): string | undefined {
  const parts: string[] = [];
  const add = (code: string | undefined, doc: string | undefined, footer?: string): void => {
    if (code) parts.push(fence(code));
    if (doc) parts.push(doc);
    if (footer) parts.push(`*${footer}*`);
  };
  switch (info.kind) {
    case 'macro': {
      const m = info.macro;
      const file = m.range.start.file;
      if (file === '<command-line>') {
        const value = m.body === '' ? '' : ` ${m.body}`;
        const origin = launchName !== undefined ? `the launch configuration "${launchName}"` : 'the build (the course makefile\'s default)';
        add(`#define ${m.name}${value}`, `Defined on the command line by ${origin}, as \`-D${m.name}${m.body === '' ? '' : `=${m.body}`}\`.`);
        break;
      }
      const d = docAt(m.range, m.name, read);
      const head = m.params ? `#define ${m.name}(${m.params.join(', ')}) ${m.body}` : `#define ${m.name} ${m.body}`;
      const value = m.params === undefined ? symbols.macroValue(m.name) : undefined;
      const shown = value === undefined ? '' : `= ${value < 0n ? '-0x' + (-value).toString(16) : '0x' + value.toString(16)} (${value}) · `;
      add(d.declaration && /^\s*#\s*define/.test(d.declaration) ? d.declaration : head, d.doc, `${shown}${where(m.range)}`);
      break;
    }
    case 'function': {
      const fn = info.fn;
      const first = docAt(fn.range, fn.name, read);
      const definition = fn.definitionRange && fn.definitionRange !== fn.range ? docAt(fn.definitionRange, fn.name, read) : {};
      const code = first.declaration ?? definition.declaration ?? signature(fn.name, fn.type);
      const doc = first.doc ?? definition.doc;
      const at = fn.body ? `Defined at ${where(fn.definitionRange ?? fn.range)}` : `Declared at ${where(fn.range)}`;
      add(code.replace(/\s*\{\s*$/, ''), doc, at);
      break;
    }
    case 'object': {
      const range = declarationRange(symbols, info, false) ?? info.variable.range;
      const d = docAt(range, info.name, read);
      add(d.declaration ?? `${typeName(info.variable.type)} ${info.name}`, d.doc, `${sizeText(info.variable.type)} · ${where(range)}`);
      break;
    }
    case 'local':
    case 'parameter':
      add(`${typeName(info.variable.type)} ${info.name}`, undefined, `${info.kind === 'local' ? 'local variable' : 'parameter'} · ${sizeText(info.variable.type)}`);
      break;
    case 'enumerator': {
      const e = info.enumerator;
      const range = declarationRange(symbols, info, true);
      const d = docAt(range, info.name, read);
      add(`${e.name} = ${e.value}`, d.doc, `enum ${e.tag.name ?? '(anonymous)'}${range ? ` · ${where(range)}` : ''}`);
      break;
    }
    case 'typedef': {
      const range = declarationRange(symbols, info, true);
      const d = docAt(range, info.name, read);
      add(d.declaration ?? `typedef ${typeName({ ...info.type, typedefName: undefined } as Type)} ${info.name}`, d.doc, `${sizeText(info.type)}${range ? ` · ${where(range)}` : ''}`);
      break;
    }
    case 'field': {
      const range = declarationRange(symbols, info, true);
      const d = docAt(range, info.name, read);
      const owner = `${info.record.kind} ${info.record.name ?? '(anonymous)'}`;
      add(`${typeName(info.field.type)} ${info.name}`, d.doc, `member of ${owner} at offset ${info.field.offset} · ${sizeText(info.field.type)}`);
      break;
    }
    case 'tag': {
      const range = declarationRange(symbols, info, true);
      const d = docAt(range, info.name, read);
      add(d.declaration ?? `${info.tag.kind} ${info.name}`, d.doc, `${info.tag.size} bytes, aligned to ${info.tag.align}${range ? ` · ${where(range)}` : ''}`);
      break;
    }
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function sizeText(t: Type): string {
  if (t.kind === 'function') return 'function';
  const n = sizeOf(t);
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/** A prototype from a function type, when the declaration's text is not at hand. */
export function signature(name: string, type: Type): string {
  if (type.kind !== 'function') return `${typeName(type)} ${name}`;
  const params = type.params.map((p) => (p.name ? `${typeName(p.type)} ${p.name}` : typeName(p.type)));
  if (type.variadic) params.push('...');
  return `${typeName(type.returns)} ${name}(${params.length > 0 ? params.join(', ') : 'void'})`;
}
