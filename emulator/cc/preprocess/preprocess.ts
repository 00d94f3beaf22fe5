// The preprocessor's entry point (C11 translation phases 1-4, 5.1.1.2):
// source files in, tokens for the parser out, with diagnostics instead of
// exceptions (ARCHITECTURE.md, invariant 8). Files come through the host;
// the preprocessor itself does no I/O (invariant 1).

import type { Diagnostic } from '../diagnostic';
import type { SourceFile, SourceHost } from '../source';
import type { Token } from '../token';
import type { MacroDefinition } from './macro';
import { Preprocessor } from './preprocessor';

export type { MacroDefinition } from './macro';
export { tokensToText } from './tokens-to-text';

export interface PreprocessOptions {
  readonly host: SourceHost;
  /** Folders searched after the including file's folder for "name", and first for <name>. */
  readonly includePaths: readonly string[];
  /** Built-in headers by name ('kernel.h' -> text), searched after includePaths: a workspace file of the same name wins. */
  readonly builtinHeaders: ReadonlyMap<string, string>;
  /** Command-line definitions, like -Dname=value ('1' for a plain -Dname). */
  readonly defines: ReadonlyMap<string, string>;
  /** Command-line -Uname, applied after the definitions. */
  readonly undefines: readonly string[];
  /** __STDC_HOSTED__: false (0) for a freestanding kernel, the default; true for hosted test programs. */
  readonly hosted?: boolean;
  /** Bounds on the work done, so that any input ends (with a diagnostic if a bound is hit). */
  readonly limits?: PreprocessLimits;
  /**
   * How __FILE__ spells a file's path; diagnostics and debug information keep
   * the real path. A build system passes relative names, as `gcc -c kernel.c`
   * sees them, so that assert messages read as they do under the course's makefile.
   */
  readonly fileMacroPath?: (path: string) => string;
}

export interface PreprocessLimits {
  /** Files open at once, the main file included (gcc's default: 200). */
  readonly maxIncludeDepth?: number;
  /** Tokens lexed plus tokens produced by macro expansion (default 10 million). */
  readonly maxSteps?: number;
  /** Macro invocations nested inside macro arguments (default 200). */
  readonly maxNesting?: number;
}

export interface PreprocessResult {
  /** The tokens for the parser, ending with one 'eof' token. */
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
  /** Every file #included, once each, in the order first met (not the main file). */
  readonly includedFiles: string[];
  /** The macros defined at the end, for the language server's hovers and completion. */
  readonly macros: ReadonlyMap<string, MacroDefinition>;
}

export function preprocess(main: SourceFile, options: PreprocessOptions): PreprocessResult {
  const pp = new Preprocessor(main, {
    host: options.host,
    includePaths: options.includePaths,
    builtinHeaders: options.builtinHeaders,
    defines: options.defines,
    undefines: options.undefines,
    hosted: options.hosted ?? false,
    ...(options.fileMacroPath ? { fileMacroPath: options.fileMacroPath } : {}),
    maxIncludeDepth: options.limits?.maxIncludeDepth ?? 200,
    maxSteps: options.limits?.maxSteps ?? 10_000_000,
    maxNesting: options.limits?.maxNesting ?? 200,
  });
  let tokens: Token[];
  try {
    tokens = pp.run();
  } catch (e) {
    // A bug of ours must not take the editor down with it: report it like any other problem (invariant 8).
    const at = { file: main.path, line: 1, column: 1, offset: 0 };
    pp.sink.error(`internal error in the preprocessor: ${e instanceof Error ? e.message : String(e)}`, { start: at, end: at });
    const end = pp.output[pp.output.length - 1]?.range ?? { start: at, end: at };
    tokens = [...pp.output.filter((t) => t.kind !== 'eof'), { kind: 'eof', text: '', range: { start: end.end, end: end.end }, spaceBefore: false, lineStart: true }];
  }
  return { tokens, diagnostics: unique(pp.sink.all), includedFiles: pp.includedFiles, macros: pp.macros };
}

/**
 * Drops repeats of the same diagnostic at the same place, as a header
 * without a guard that is included many times, or an include recursion
 * stopped at its depth limit, would otherwise give thousands.
 */
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.severity, d.message, d.range, d.notes]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
