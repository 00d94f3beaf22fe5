// Hosted mode, compile half: a standalone C program plus the hosted C
// library (runtime/hosted, runtime/lib), linked at 0x100000 with `_start`
// (crt0.c) as the entry. `weensy exec`, `weensy compile` and the
// differential tests build programs through here.

import { compileFile, type CompileOptions } from '../cc/compile';
import type { Diagnostic } from '../cc/diagnostic';
import { link, type LinkedImage } from '../cc/link/link';
import type { ObjectModule } from '../cc/object';
import type { SourceFile, SourceHost } from '../cc/source';
import { hostedHeaders, hostedLibrarySources, runtimeHost } from './hosted-runtime';

/** RAM of the hosted machine: 8 MiB, paging off (addresses are physical). */
export const HOSTED_MEMORY_SIZE = 8 * 1024 * 1024;
/** Where the program's .text starts. */
export const HOSTED_BASE = 0x100000;
/** Bytes kept for the stack at the top of RAM; must match WEENSY_STACK_RESERVE in runtime/hosted/internal.h. */
export const HOSTED_STACK_RESERVE = 1024 * 1024;

export interface HostedBuildOptions {
  /** Supplies the program's files and the headers it includes. */
  readonly host: SourceHost;
  /** -I folders, searched after the including file's folder and before the standard headers. */
  readonly includePaths?: readonly string[];
  /** -D definitions ('1' for a plain -Dname). */
  readonly defines?: ReadonlyMap<string, string>;
  /** -U names, applied after the definitions. */
  readonly undefines?: readonly string[];
  /** Only check the program: preprocess, parse and generate code, but do not link. */
  readonly checkOnly?: boolean;
}

export interface HostedBuildResult {
  /** Present when the program compiled and linked without errors (and checkOnly was not set). */
  readonly image?: LinkedImage;
  readonly diagnostics: readonly Diagnostic[];
}

let libraryCache: { modules: ObjectModule[]; diagnostics: Diagnostic[] } | undefined;

/** The library compiled once per process: its inputs are fixed, and modules are not modified by linking. */
function library(): { modules: ObjectModule[]; diagnostics: Diagnostic[] } {
  if (libraryCache) return libraryCache;
  const options: CompileOptions = { host: runtimeHost, builtinHeaders: hostedHeaders(), hosted: true };
  const modules: ObjectModule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of hostedLibrarySources()) {
    const r = compileFile(file, options);
    diagnostics.push(...r.diagnostics);
    if (r.module) modules.push(r.module);
  }
  libraryCache = { modules, diagnostics };
  return libraryCache;
}

const isError = (d: Diagnostic): boolean => d.severity === 'error';

/**
 * The library modules with every function or object the program defines
 * itself renamed out of the way (and made local), so that the program's
 * definition wins everywhere, the library's own calls included: a program
 * may define its own strlen or malloc, as it may with gcc and glibc, instead
 * of getting "multiple definition" errors.
 */
function interposed(libModules: readonly ObjectModule[], programModules: readonly ObjectModule[]): ObjectModule[] {
  const defined = new Set<string>();
  for (const m of programModules) for (const s of m.symbols) if (s.binding === 'global' && s.section !== 'undefined') defined.add(s.name);
  return libModules.map((m) => {
    if (!m.symbols.some((s) => s.binding === 'global' && s.section !== 'undefined' && defined.has(s.name))) return m;
    return {
      ...m,
      symbols: m.symbols.map((s) => (s.binding === 'global' && s.section !== 'undefined' && defined.has(s.name) ? { ...s, name: `${s.name}.replaced-by-program`, binding: 'local' as const } : s)),
    };
  });
}

/**
 * Compiles `files` as one hosted program and links it with the C library.
 * Never throws on bad input: problems come back as diagnostics.
 */
export function buildHosted(files: readonly SourceFile[], options: HostedBuildOptions): HostedBuildResult {
  const compileOptions: CompileOptions = {
    host: options.host,
    includePaths: options.includePaths ?? [],
    builtinHeaders: hostedHeaders(),
    defines: options.defines ?? new Map(),
    undefines: options.undefines ?? [],
    hosted: true,
  };
  const diagnostics: Diagnostic[] = [];
  const modules: ObjectModule[] = [];
  for (const file of files) {
    const r = compileFile(file, compileOptions);
    diagnostics.push(...r.diagnostics);
    if (r.module) modules.push(r.module);
  }
  if (diagnostics.some(isError) || options.checkOnly) return { diagnostics };
  const lib = library();
  // The library compiles cleanly; if it ever does not, say so rather than fail obscurely at link time.
  diagnostics.push(...lib.diagnostics.filter(isError));
  if (diagnostics.some(isError)) return { diagnostics };
  const linked = link({
    modules: [...modules, ...interposed(lib.modules, modules)],
    base: HOSTED_BASE,
    entry: '_start',
    limit: HOSTED_MEMORY_SIZE - HOSTED_STACK_RESERVE,
    output: files[0]?.path ?? '<program>',
  });
  diagnostics.push(...linked.diagnostics);
  return linked.image ? { image: linked.image, diagnostics } : { diagnostics };
}
