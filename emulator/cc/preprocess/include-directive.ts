// #include, #include_next and #import (C11 6.10.2 and gcc's extensions):
// where a header name leads, and the checks around entering the file.
//
// Search order: for "name", the including file's folder, then each include
// path in turn, then the built-in headers; for <name>, the include paths,
// then the built-in headers. So a workspace file shadows a built-in header
// of the same name (DESIGN.md section 7). Built-in headers have no folder of
// their own: their "..." includes search the include paths first, so a
// student's own lib.h is used even by the built-in kernel.h.

import type { SourceHost } from '../source';
import { readBracketedName } from './builtin-macros';
import type { IncludeFrame } from './file-reader';
import { dirname, joinPath } from './paths';
import { isPunct, type PPToken } from './pp-token';
import type { Preprocessor } from './preprocessor';

/** The folder built-in headers appear to live in, in paths and messages. */
export const BUILTIN_HEADER_DIR = '<built-in>';

export interface IncludeSearch {
  readonly host: SourceHost;
  readonly includePaths: readonly string[];
  readonly builtinHeaders: ReadonlyMap<string, string>;
}

export interface ResolvedInclude {
  readonly path: string;
  readonly text: string;
  /** As IncludeFrame.searchIndex. */
  readonly searchIndex: number;
  readonly builtin: boolean;
}

/** Finds the file an #include of `name` from `includer` means, or undefined. `next` is for #include_next. */
export function resolveInclude(name: string, angled: boolean, includer: IncludeFrame | undefined, next: boolean, o: IncludeSearch): ResolvedInclude | undefined {
  const count = o.includePaths.length;
  const read = (path: string, searchIndex: number): ResolvedInclude | undefined => {
    const text = o.host.readFile(path);
    return text === undefined ? undefined : { path, text, searchIndex, builtin: false };
  };
  if (name.startsWith('/')) return read(joinPath('', name), -1);
  // #include_next continues after the place the current file was found; from anywhere else it acts as #include.
  const continuing = next && includer !== undefined && includer.searchIndex >= 0;
  if (!angled && !continuing && includer !== undefined && !includer.builtin) {
    const found = read(joinPath(dirname(includer.file.path), name), -1);
    if (found) return found;
  }
  for (let i = continuing ? includer!.searchIndex + 1 : 0; i < count; i++) {
    const found = read(joinPath(o.includePaths[i]!, name), i);
    if (found) return found;
  }
  if (continuing && includer!.builtin) return undefined;
  const key = joinPath('', name);
  const text = o.builtinHeaders.get(key) ?? o.builtinHeaders.get(name);
  return text === undefined ? undefined : { path: `${BUILTIN_HEADER_DIR}/${key}`, text, searchIndex: count, builtin: true };
}

interface HeaderSpec {
  readonly name: string;
  readonly angled: boolean;
  readonly at: PPToken;
}

export function includeDirective(pp: Preprocessor, frame: IncludeFrame, directive: PPToken, line: readonly PPToken[]): void {
  const next = directive.text === 'include_next';
  if (directive.text === 'import') pp.sink.warning('#import is a deprecated GCC extension', directive.range);
  if (next && frame.searchIndex < 0 && pp.reader.depth === 1) pp.sink.warning('#include_next in primary source file', directive.range);
  const spec = headerSpec(pp, directive, line);
  if (spec === undefined) return;
  if (spec.name === '') {
    pp.error('empty filename in #include', spec.at);
    return;
  }
  const depth = pp.reader.depth;
  if (depth >= pp.maxIncludeDepth) {
    pp.error(`#include nested depth ${depth} exceeds maximum of ${pp.maxIncludeDepth}`, directive);
    return;
  }
  const found = resolveInclude(spec.name, spec.angled, frame, next, pp.options);
  if (found === undefined) {
    pp.error(`${spec.name}: No such file or directory (searched ${searchedPlaces(spec.angled, frame, pp.options)})`, spec.at);
    return;
  }
  pp.enterFile(found, directive.text === 'import');
}

/** The header name of the directive, from its tokens or, failing that, their macro expansion (C11 6.10.2p4). */
function headerSpec(pp: Preprocessor, directive: PPToken, line: readonly PPToken[]): HeaderSpec | undefined {
  const first = line[0];
  const expects = '#include expects "FILENAME" or <FILENAME>';
  if (first === undefined) {
    pp.error(expects, directive);
    return undefined;
  }
  let spec: HeaderSpec;
  let extra: PPToken | undefined = line[1];
  if (first.kind === 'other' && first.text.startsWith('<')) {
    spec = { name: first.text.slice(1, -1), angled: true, at: first };
  } else if (first.kind === 'string' && first.text.startsWith('"')) {
    spec = { name: first.text.slice(1, -1), angled: false, at: first };
  } else {
    const ex = pp.lineExpander(line, directive);
    const t = ex.nextToken();
    if (t.kind === 'string' && t.text.startsWith('"')) spec = { name: t.text.slice(1, -1), angled: false, at: t };
    else if (isPunct(t, '<')) {
      const name = readBracketedName(ex, t, pp);
      if (name === undefined) return undefined;
      spec = { name, angled: true, at: t };
    } else {
      pp.error(expects, t.kind === 'eof' ? directive : t);
      return undefined;
    }
    const after = ex.nextToken();
    extra = after.kind === 'eof' ? undefined : after;
  }
  if (extra !== undefined) pp.warning(`extra tokens at end of #${directive.text} directive`, extra);
  return spec;
}

function searchedPlaces(angled: boolean, frame: IncludeFrame, o: IncludeSearch): string {
  const places: string[] = [];
  if (!angled && !frame.builtin) places.push(dirname(frame.file.path) || '.');
  places.push(...o.includePaths);
  places.push('the built-in headers');
  return places.join(', ');
}
