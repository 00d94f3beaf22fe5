// The hosted C library as the compiler sees it: its headers (<stdio.h> and
// the rest, offered as built-in headers, so a program's own folder and -I
// folders still win) and its source files, served from the generated
// module (emulator/generated/runtime-sources.ts, made from runtime/** by
// scripts/embed-runtime.mjs) under a pseudo-folder no real path can name.

import { RUNTIME_SOURCES } from '../generated/runtime-sources';
import type { SourceFile, SourceHost } from '../cc/source';

/** The folder the runtime's files appear in, in messages and debug information. */
export const RUNTIME_ROOT = '<weensy-runtime>';

const INCLUDE_DIR = 'hosted/include/';
/** The library's translation units, relative to runtime/. */
const UNITS = ['hosted/crt0.c', 'hosted/stdio.c', 'hosted/string.c', 'hosted/stdlib.c', 'hosted/malloc.c', 'hosted/ctype.c', 'hosted/assert.c', 'lib/printer.c'];

/** The standard headers by name ('stdio.h' -> text). */
export function hostedHeaders(): ReadonlyMap<string, string> {
  const headers = new Map<string, string>();
  for (const [path, text] of RUNTIME_SOURCES) {
    if (path.startsWith(INCLUDE_DIR)) headers.set(path.slice(INCLUDE_DIR.length), text);
  }
  return headers;
}

/** The library's C files, each with its path under RUNTIME_ROOT. */
export function hostedLibrarySources(): SourceFile[] {
  return UNITS.map((unit) => {
    const text = RUNTIME_SOURCES.get(unit);
    if (text === undefined) throw new Error(`the runtime has no ${unit}: regenerate emulator/generated/runtime-sources.ts`);
    return { path: `${RUNTIME_ROOT}/${unit}`, text };
  });
}

/** Reads the runtime's own files (for its `#include "internal.h"`) and nothing else. */
export const runtimeHost: SourceHost = {
  readFile(path: string): string | undefined {
    if (!path.startsWith(`${RUNTIME_ROOT}/`)) return undefined;
    return RUNTIME_SOURCES.get(path.slice(RUNTIME_ROOT.length + 1));
  },
};

/**
 * The text of a file the compiler read from the hosted runtime rather than
 * from the program's host: a standard header (`<built-in>/stdio.h`, as the
 * preprocessor names built-in headers) or a library source. For callers that
 * quote source lines in messages.
 */
export function hostedSourceText(path: string): string | undefined {
  const builtin = '<built-in>/';
  if (path.startsWith(builtin)) return hostedHeaders().get(path.slice(builtin.length));
  return runtimeHost.readFile(path);
}
