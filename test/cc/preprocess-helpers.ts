// Shared set-up for the preprocessor tests: run a main file (and a few
// virtual files) through preprocess() and look at the result as text.

import { formatDiagnostic } from '../../emulator/cc/diagnostic';
import { preprocess, tokensToText, type PreprocessOptions, type PreprocessResult } from '../../emulator/cc/preprocess/preprocess';
import type { Token } from '../../emulator/cc/token';

export interface Run {
  /** The output tokens printed by tokensToText. */
  readonly text: string;
  /** Diagnostics in gcc's one-line form, notes on following lines. */
  readonly diagnostics: string[];
  readonly result: PreprocessResult;
}

/** A host over a fixed set of files, by path. */
export function hostOf(files: Readonly<Record<string, string>>): PreprocessOptions['host'] {
  return { readFile: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) };
}

/** Preprocesses `main` as main.c, with `files` readable through the host. */
export function run(main: string, files: Readonly<Record<string, string>> = {}, options: Partial<PreprocessOptions> = {}): Run {
  const result = preprocess(
    { path: 'main.c', text: main },
    { host: hostOf(files), includePaths: [], builtinHeaders: new Map(), defines: new Map(), undefines: [], ...options },
  );
  return { text: tokensToText(result.tokens), diagnostics: result.diagnostics.map(formatDiagnostic), result };
}

/** The output text of `main`, asserting nothing about diagnostics. */
export const text = (main: string, files: Readonly<Record<string, string>> = {}, options: Partial<PreprocessOptions> = {}): string =>
  run(main, files, options).text;

/** The `n`th output token spelled `spelling`. */
export function tokenNamed(r: Run, spelling: string, n = 0): Token {
  const found = r.result.tokens.filter((t) => t.text === spelling)[n];
  if (found === undefined) throw new Error(`no token ${spelling} #${n} in ${r.text}`);
  return found;
}

/** "file:line:column-line:column" of a range's ends. */
export function where(range: Token['range']): string {
  return `${range.start.file}:${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

/** Where built-in headers go in a fixture. */
export const BUILTIN = '@builtin/';

/** A differential-test fixture (see preprocess-differential.test.ts for the format). */
export interface Fixture {
  readonly name: string;
  /** Every file by path, main.c included; built-in headers under @builtin/. */
  readonly files: Record<string, string>;
  readonly includePaths: string[];
  readonly defines: Map<string, string>;
}

/** Splits a fixture file into its files and options. */
export function parseFixture(name: string, text: string): Fixture {
  const files: Record<string, string> = {};
  let current = 'main.c';
  let lines: string[] = [];
  const flush = (): void => {
    files[current] = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  };
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const file = /^\/\/@file (\S+)$/.exec(line);
    if (file) {
      flush();
      current = file[1]!;
      lines = [];
    } else lines.push(line);
  }
  flush();
  const main = files['main.c']!;
  const includePaths = [...main.matchAll(/^\/\/@include-path (\S+)$/gm)].map((m) => m[1]!);
  const defines = new Map([...main.matchAll(/^\/\/@define ([^=\s]+)(?:=(.*))?$/gm)].map((m) => [m[1]!, m[2] ?? '1'] as [string, string]));
  return { name, files, includePaths, defines };
}

