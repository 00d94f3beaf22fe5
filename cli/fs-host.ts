// A SourceHost over the file system, for the compiler in `weensy exec` and
// `weensy compile`. Paths use '/', as the compiler's do; relative paths are
// relative to the current folder, so diagnostics name files as the user
// typed them, as gcc does. Texts are cached: diagnostics quote lines from
// the same text the compiler read.

import { readFileSync, statSync } from 'node:fs';
import type { SourceHost } from '../emulator/index';

export class FsSourceHost implements SourceHost {
  private readonly cache = new Map<string, string | undefined>();

  readFile(path: string): string | undefined {
    if (this.cache.has(path)) return this.cache.get(path);
    let text: string | undefined;
    try {
      if (statSync(path).isFile()) text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    this.cache.set(path, text);
    return text;
  }
}

/** A command-line path in the compiler's form: '/' separators. */
export function compilerPath(path: string): string {
  return path.replace(/\\/g, '/');
}
