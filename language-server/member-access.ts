// The type of a postfix expression in the text as typed, for completing
// `pageinfo[i].` or `p->` and for hovers on a member: the chain is read
// backwards from the '.' or '->' (identifiers, [index], .member, ->member,
// calls, parentheses with a leading '*'), then typed forwards from its
// first name with the checked file's symbols.

import type { Tag, Type } from '../emulator/index';
import type { SymbolTable } from './symbols';
import type { TextToken } from './text-tokens';

type Step = { readonly op: 'index' } | { readonly op: 'call' } | { readonly op: 'member'; readonly name: string; readonly arrow: boolean };

export interface MemberField {
  readonly name: string;
  readonly type: Type;
  /** The byte offset within the outermost record (anonymous members' offsets added). */
  readonly offset: number;
  /** The record that declares it (an anonymous member's own record for its fields). */
  readonly tag: Tag;
}

/** The type of the expression whose last token is tokens[end], or undefined if it cannot be told. */
export function typeOfExpressionEndingAt(tokens: readonly TextToken[], end: number, symbols: SymbolTable, path: string): Type | undefined {
  const steps: Step[] = [];
  let j = end;
  let base: Type | undefined;
  for (let guard = 0; guard < 64 && j >= 0; guard++) {
    const t = tokens[j]!;
    if (t.text === ']') {
      const open = matchBackward(tokens, j, '[', ']');
      if (open < 0) return undefined;
      steps.push({ op: 'index' });
      j = open - 1;
      continue;
    }
    if (t.text === ')') {
      const open = matchBackward(tokens, j, '(', ')');
      if (open < 0) return undefined;
      const before = tokens[open - 1];
      if (before && (before.kind === 'identifier' || before.text === ']' || before.text === ')')) {
        steps.push({ op: 'call' });
        j = open - 1;
        continue;
      }
      // A parenthesized expression, such as (*p): type what is inside.
      let innerStart = open + 1;
      let derefs = 0;
      while (tokens[innerStart]?.text === '*') {
        derefs++;
        innerStart++;
      }
      base = innerStart <= j - 1 ? typeOfExpressionEndingAt(tokens, j - 1, symbols, path) : undefined;
      for (let k = 0; k < derefs && base; k++) base = pointee(base);
      break;
    }
    if (t.kind === 'identifier') {
      const prev = tokens[j - 1];
      if (prev && (prev.text === '.' || prev.text === '->')) {
        steps.push({ op: 'member', name: t.text, arrow: prev.text === '->' });
        j -= 2;
        continue;
      }
      base = nameType(symbols, path, t, steps[steps.length - 1]?.op === 'call');
      if (base && steps[steps.length - 1]?.op === 'call') steps.pop();
      // A leading '*' applies to the whole chain: *p->q is *(p->q); only `(*p)` binds tighter (above).
      break;
    }
    return undefined;
  }
  let type = base;
  for (let k = steps.length - 1; k >= 0 && type; k--) {
    const s = steps[k]!;
    if (s.op === 'index') type = pointee(type);
    else if (s.op === 'call') type = type.kind === 'function' ? type.returns : type.kind === 'pointer' && type.to.kind === 'function' ? type.to.returns : undefined;
    else {
      const record = s.arrow ? pointee(type) : type;
      if (!record || (record.kind !== 'struct' && record.kind !== 'union')) return undefined;
      type = findField(record.tag, s.name)?.type;
    }
  }
  return type;
}

/** The record type a member access `.` / `->` applies to, given the type before it. */
export function recordOf(type: Type, arrow: boolean): Tag | undefined {
  const r = arrow ? pointee(type) : type;
  return r && (r.kind === 'struct' || r.kind === 'union') && r.tag.complete ? r.tag : undefined;
}

/** Every member reachable by name in a record, anonymous members' members included, with offsets. */
export function membersOf(tag: Tag, base = 0, depth = 0): MemberField[] {
  const out: MemberField[] = [];
  for (const f of tag.fields) {
    if (f.name !== undefined) out.push({ name: f.name, type: f.type, offset: base + f.offset, tag });
    else if ((f.type.kind === 'struct' || f.type.kind === 'union') && f.bitWidth === undefined && depth < 8) out.push(...membersOf(f.type.tag, base + f.offset, depth + 1));
  }
  return out;
}

export function findField(tag: Tag, name: string): MemberField | undefined {
  return membersOf(tag).find((f) => f.name === name);
}

function pointee(t: Type): Type | undefined {
  return t.kind === 'pointer' ? t.to : t.kind === 'array' ? t.of : undefined;
}

function nameType(symbols: SymbolTable, path: string, t: TextToken, called: boolean): Type | undefined {
  if (called) {
    const f = symbols.functions.get(t.text);
    if (f) return f.type;
  }
  return symbols.variableType(path, t.start, t.text) ?? symbols.functions.get(t.text)?.type;
}

/** The index of the `open` token matching the `close` at index `at`, or -1. */
export function matchBackward(tokens: readonly TextToken[], at: number, open: string, close: string): number {
  let depth = 0;
  for (let k = at; k >= 0; k--) {
    const x = tokens[k]!.text;
    if (x === close) depth++;
    else if (x === open && --depth === 0) return k;
    else if (x === ';' || x === '{' || x === '}') return -1;
  }
  return -1;
}

