// The compiler's front door: preprocess -> parse and check -> generate code
// for each C file, then link. The CLI, the tests, the language server (front
// end only) and the WeensyOS builder all go through here, so they report the
// same diagnostics for the same input (ARCHITECTURE.md, invariant 8).

import { generateModule } from './codegen/module-gen';
import type { DeclaredName } from './declared-names';
import type { Diagnostic } from './diagnostic';
import { link, type LinkOptions } from './link/link';
import type { LinkedImage } from './link/link';
import type { ObjectModule } from './object';
import { parseTranslationUnit } from './parse/declarations';
import { preprocess, type MacroDefinition } from './preprocess/preprocess';
import type { SourceFile, SourceHost } from './source';
import type { TranslationUnit } from './ast';

export interface CompileOptions {
  readonly host: SourceHost;
  readonly includePaths?: readonly string[];
  readonly builtinHeaders?: ReadonlyMap<string, string>;
  readonly defines?: ReadonlyMap<string, string>;
  readonly undefines?: readonly string[];
  /** __STDC_HOSTED__ = 1 (programs with a C library) rather than 0 (kernels). */
  readonly hosted?: boolean;
  /** How __FILE__ spells a path (see PreprocessOptions.fileMacroPath). */
  readonly fileMacroPath?: (path: string) => string;
}

export interface FrontEndResult {
  readonly unit: TranslationUnit;
  readonly diagnostics: readonly Diagnostic[];
  readonly macros: ReadonlyMap<string, MacroDefinition>;
  readonly includedFiles: readonly string[];
  /** Where each name is declared (typedefs, tags, members, enumerators, functions, file-scope objects). */
  readonly declarations: readonly DeclaredName[];
}

/** Preprocesses, parses and checks one file. Never throws on bad input. */
export function checkFile(file: SourceFile, options: CompileOptions): FrontEndResult {
  const pp = preprocess(file, {
    host: options.host,
    includePaths: options.includePaths ?? [],
    builtinHeaders: options.builtinHeaders ?? new Map(),
    defines: options.defines ?? new Map(),
    undefines: options.undefines ?? [],
    hosted: options.hosted ?? false,
    ...(options.fileMacroPath ? { fileMacroPath: options.fileMacroPath } : {}),
  });
  const parsed = parseTranslationUnit(pp.tokens, file.path);
  return { unit: parsed.unit, diagnostics: [...pp.diagnostics, ...parsed.diagnostics], macros: pp.macros, includedFiles: pp.includedFiles, declarations: parsed.declarations };
}

/** Compiles one file to an object module, unless it has errors. */
export function compileFile(
  file: SourceFile,
  options: CompileOptions,
): { module?: ObjectModule; diagnostics: Diagnostic[]; macros: ReadonlyMap<string, MacroDefinition>; front: FrontEndResult } {
  const front = checkFile(file, options);
  const diagnostics = [...front.diagnostics];
  // The macros defined at the end of the file: a debugger expands them in watch expressions.
  const macros = front.macros;
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, macros, front };
  const gen = generateModule(front.unit);
  diagnostics.push(...gen.diagnostics);
  if (gen.diagnostics.some((d) => d.severity === 'error')) return { diagnostics, macros, front };
  return { module: gen.module, diagnostics, macros, front };
}

export interface BuildOptions extends CompileOptions, Omit<LinkOptions, 'modules'> {
  readonly files: readonly SourceFile[];
}

/** Compiles several files and links them into one image. */
export function buildProgram(options: BuildOptions): { image?: LinkedImage; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const modules: ObjectModule[] = [];
  for (const f of options.files) {
    const r = compileFile(f, options);
    diagnostics.push(...r.diagnostics);
    if (r.module) modules.push(r.module);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const { files: _files, host: _host, includePaths: _ip, builtinHeaders: _bh, defines: _d, undefines: _u, hosted: _h, ...linkOptions } = options;
  const linked = link({ ...linkOptions, modules });
  diagnostics.push(...linked.diagnostics);
  return linked.image ? { image: linked.image, diagnostics } : { diagnostics };
}
