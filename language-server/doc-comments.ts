// The documentation of a declaration, read from the comments around it in
// the header or file that declares it: our WeensyOS headers document each
// function in a comment that starts with its name and arguments
// ("virtual_memory_map(pagetable, va, ...)"), constants in a comment at
// the end of their #define line, and groups in a comment above them.

export interface DeclarationDoc {
  /** The declaration as written: a prototype, a #define line, a typedef with its body. */
  readonly declaration: string;
  /** The comment text, without comment markers; undefined if there is none. */
  readonly doc?: string;
}

const MAX_DECLARATION_LINES = 12;
const MAX_RECORD_LINES = 40;
const SEARCH_UP_LINES = 40;

/** The declaration that starts on 1-based `line` of `text` and the documentation around it. */
export function declarationDoc(text: string, line: number, name: string): DeclarationDoc {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const index = Math.max(0, Math.min(lines.length - 1, line - 1));
  const declaration = declarationAt(lines, index);
  const trailing = trailingComment(lines[index] ?? '');
  const named = namedComment(lines, index, name);
  const above = named ?? adjacentComment(lines, index);
  const parts = [trailing, above].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? { declaration, doc: parts.join('\n\n') } : { declaration };
}

/** The declaration starting at line `index`: a directive with its continuations, or code up to ';' (a record through its '}'). */
function declarationAt(lines: readonly string[], index: number): string {
  const first = lines[index] ?? '';
  if (/^\s*#/.test(first)) {
    const out = [first];
    for (let i = index; i < lines.length - 1 && /\\\s*$/.test(lines[i]!) && out.length < MAX_DECLARATION_LINES; i++) out.push(lines[i + 1]!);
    return out.map(stripTrailingComment).join('\n').trimEnd();
  }
  const out: string[] = [];
  let depth = 0;
  let braces = 0;
  const record = /^\s*(typedef\s+)?(struct|union|enum)\b/.test(first);
  for (let i = index; i < lines.length; i++) {
    const code = stripTrailingComment(lines[i]!);
    let end = -1;
    for (let j = 0; j < code.length; j++) {
      const c = code[j];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '{') {
        if (!record) {
          end = j;
          break;
        }
        braces++;
      } else if (c === '}') braces--;
      else if (c === ';' && depth <= 0 && braces <= 0) {
        end = j + 1;
        break;
      }
    }
    out.push(end >= 0 ? code.slice(0, end) : record ? lines[i]! : code);
    if (end >= 0 || out.length >= (record ? MAX_RECORD_LINES : MAX_DECLARATION_LINES)) break;
  }
  const indent = /^\s*/.exec(first)![0].length;
  return out.map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))).join('\n').trim();
}

function stripTrailingComment(line: string): string {
  const code = codeEnd(line);
  return line.slice(0, code).trimEnd();
}

/** Where the code of a line ends: the start of a comment outside quotes, or the line's end. */
function codeEnd(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) return i;
  }
  return line.length;
}

/** A comment after code on the line: `#define PTE_P 1 /* present * /`. */
function trailingComment(line: string): string | undefined {
  const at = codeEnd(line);
  if (at >= line.length || line.slice(0, at).trim() === '') return undefined;
  const rest = line.slice(at);
  return cleanComment(rest.startsWith('//') ? [rest] : [rest.replace(/\*\/.*$/, '*/')]);
}

/** The comment block (one /* *\/ or a run of // lines) that ends on line `end`, as its lines; undefined if none does. */
function commentEndingAt(lines: readonly string[], end: number): { readonly start: number; readonly lines: string[] } | undefined {
  const last = lines[end];
  if (last === undefined) return undefined;
  if (/^\s*\/\//.test(last)) {
    let start = end;
    while (start > 0 && /^\s*\/\//.test(lines[start - 1]!)) start--;
    return { start, lines: lines.slice(start, end + 1) };
  }
  if (/\*\/\s*$/.test(last)) {
    let start = end;
    while (start >= 0 && !lines[start]!.includes('/*')) start--;
    if (start < 0 || lines[start]!.slice(0, lines[start]!.indexOf('/*')).trim() !== '') return undefined;
    return { start, lines: lines.slice(start, end + 1) };
  }
  return undefined;
}

/** A comment within the lines above that starts with the name: "name(args)..." or "name: ...". */
function namedComment(lines: readonly string[], index: number, name: string): string | undefined {
  const opener = new RegExp(`^\\s*(/\\*+|//+)\\s*${name.replace(/[^A-Za-z0-9_]/g, '')}\\b\\s*[(:]`);
  for (let i = index - 1; i >= 0 && i >= index - SEARCH_UP_LINES; i--) {
    if (!opener.test(lines[i]!)) continue;
    // The block that starts here: find where it ends.
    let end = i;
    if (/^\s*\/\//.test(lines[i]!)) {
      while (end + 1 < index && /^\s*\/\//.test(lines[end + 1]!)) end++;
    } else {
      while (end < index && !lines[end]!.includes('*/')) end++;
    }
    return cleanComment(lines.slice(i, end + 1));
  }
  return undefined;
}

/** The comment block right above line `index` (no blank line between). */
function adjacentComment(lines: readonly string[], index: number): string | undefined {
  const block = commentEndingAt(lines, index - 1);
  return block ? cleanComment(block.lines) : undefined;
}

/** Comment lines to text: markers and decoration removed, indentation evened, blank lines kept as paragraph breaks. */
function cleanComment(raw: readonly string[]): string {
  const body = raw.map((l) =>
    l
      .replace(/^\s*\/\/+ ?/, '')
      .replace(/^\s*\/\*+ ?/, '')
      .replace(/\s*\*+\/\s*$/, '')
      .replace(/^\s*\* ?/, '')
      .trimEnd(),
  );
  while (body.length > 0 && body[0]!.trim() === '') body.shift();
  while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
  return dedent(body).join('\n');
}

function dedent(lines: readonly string[]): string[] {
  const indents = lines.slice(1).filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l, i) => (i === 0 ? l.trimStart() : l.slice(Math.min(cut, /^\s*/.exec(l)![0].length))));
}
