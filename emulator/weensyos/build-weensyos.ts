// Builds WeensyOS as the handout's GNUmakefile does, with our compiler:
// the six user-program images (p-allocator four times at different link
// addresses, p-fork, p-forkexit), then the kernel image (kernel.c and the
// support library) at 0x40000 with the programs embedded under the
// `_binary_obj_p_*_start`/`_end` symbols k-loader.c looks for.
//
// A workspace's own file of any name (kernel.h, k-loader.c, lib.c, ...)
// takes the place of the built-in one (FACTS.md section 1).

import { compileFile, type CompileOptions } from '../cc/compile';
import type { Diagnostic } from '../cc/diagnostic';
import { link, type LinkedImage } from '../cc/link/link';
import type { ObjectModule } from '../cc/object';
import type { MacroDefinition } from '../cc/preprocess/macro';
import type { SourceFile, SourceHost } from '../cc/source';
import { writeImage } from '../machine/image/write-image';
import { CONSOLE_ADDR, CURSORPOS_ADDR, KERNEL_START_ADDR, KERNEL_STACK_TOP } from '../machine/constants';
import { WEENSYOS_ROOT, weensyosHost } from './weensyos-sources';
import { weensyCompileOptions, type WeensyVariant } from './weensy-compile-options';

export type { WeensyVariant } from './weensy-compile-options';

export interface WeensyBuildOptions {
  /** Reads the workspace's files. */
  readonly host: SourceHost;
  /**
   * The workspace folder whose files replace built-in ones ('' or undefined:
   * none, the bundled reference kernel runs).
   */
  readonly workspace?: string;
  /** The kernel file (default: the workspace's kernel.c, else the built-in reference kernel). */
  readonly kernel?: string;
  /** -D definitions, e.g. TICK_LIMIT=1000 ('1' for a plain -DNAME). */
  readonly defines?: ReadonlyMap<string, string>;
  /** Course variant: 'nyu' (default) or 'cs61' (virtual_memory_lookup returns the leaf's flags). */
  readonly variant?: WeensyVariant;
}

export interface WeensyProgram {
  /** 'p-allocator', 'p-allocator2', ..., 'p-fork', 'p-forkexit'. */
  readonly name: string;
  readonly image: LinkedImage;
}

export interface WeensyBuild {
  /** Present when everything compiled and linked. */
  readonly kernel?: LinkedImage;
  /** The program images, in program-number order (k-loader.c's table). */
  readonly programs: readonly WeensyProgram[];
  readonly diagnostics: readonly Diagnostic[];
  /** The source files compiled, by path (workspace paths or `<weensyos>/...`). */
  readonly sources: readonly string[];
  /** Each compiled file's macros at its end (for a debugger's expressions: PAGENUMBER, HZ...). */
  readonly macros: ReadonlyMap<string, ReadonlyMap<string, MacroDefinition>>;
}

/** The programs in k-loader.c's order: name, source file, link address. */
export const WEENSY_PROGRAMS: readonly { readonly name: string; readonly source: string; readonly base: number }[] = [
  { name: 'p-allocator', source: 'p-allocator.c', base: 0x100000 },
  { name: 'p-allocator2', source: 'p-allocator.c', base: 0x140000 },
  { name: 'p-allocator3', source: 'p-allocator.c', base: 0x180000 },
  { name: 'p-allocator4', source: 'p-allocator.c', base: 0x1c0000 },
  { name: 'p-fork', source: 'p-fork.c', base: 0x100000 },
  { name: 'p-forkexit', source: 'p-forkexit.c', base: 0x100000 },
];

/** The kernel's support library, linked after kernel.c (the library files only when needed). */
const KERNEL_SUPPORT = ['k-hardware.c', 'k-loader.c', 'k-exception.c'];
const LIBRARY = ['lib.c', 'lib-printf.c'];
const PROCESS_LIBRARY = ['process.c', ...LIBRARY];
/** How much room a program has: its 0x40000-byte slot, less the stack page at the top. */
const PROGRAM_SLOT = 0x40000 - 0x1000;

const fixedSymbols = new Map([
  ['console', CONSOLE_ADDR],
  ['cursorpos', CURSORPOS_ADDR],
]);

const isError = (d: Diagnostic): boolean => d.severity === 'error';

function joinPath(folder: string, name: string): string {
  return folder === '' ? name : folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

/** Builds the kernel and its programs. Never throws on bad input: problems come back as diagnostics. */
export function buildWeensyOS(options: WeensyBuildOptions): WeensyBuild {
  const workspace = options.workspace ?? '';
  const host = weensyosHost(options.host);
  const diagnostics: Diagnostic[] = [];
  const sources: string[] = [];
  const macros = new Map<string, ReadonlyMap<string, MacroDefinition>>();

  /** The path of file `name`: the workspace's copy if it has one, else the built-in one. */
  const locate = (name: string): string => {
    if (workspace !== '') {
      const own = joinPath(workspace, name);
      if (options.host.readFile(own) !== undefined) return own;
    }
    return `${WEENSYOS_ROOT}/${name}`;
  };

  const setup = { host: options.host, workspace, ...(options.defines ? { defines: options.defines } : {}), ...(options.variant ? { variant: options.variant } : {}) };
  const kernelOptions: CompileOptions = weensyCompileOptions(setup, 'kernel');
  const processOptions: CompileOptions = weensyCompileOptions(setup, 'process');

  const cache = new Map<string, ObjectModule | undefined>();
  const compile = (path: string, compileOptions: CompileOptions, key: string): ObjectModule | undefined => {
    const cacheKey = `${key}:${path}`;
    if (cache.has(cacheKey)) return cache.get(cacheKey);
    const text = host.readFile(path);
    let module: ObjectModule | undefined;
    if (text === undefined) {
      diagnostics.push(missingFile(path));
    } else {
      if (!sources.includes(path)) sources.push(path);
      const file: SourceFile = { path, text };
      const r = compileFile(file, compileOptions);
      diagnostics.push(...r.diagnostics);
      macros.set(path, r.macros);
      module = r.module;
    }
    cache.set(cacheKey, module);
    return module;
  };

  // The programs.
  const programs: WeensyProgram[] = [];
  const processLibrary = PROCESS_LIBRARY.map((name) => compile(locate(name), processOptions, 'process'));
  for (const program of WEENSY_PROGRAMS) {
    const main = compile(locate(program.source), processOptions, 'process');
    if (!main || processLibrary.some((m) => !m) || diagnostics.some(isError)) continue;
    const linked = link({
      modules: [main],
      archive: processLibrary as ObjectModule[],
      base: program.base,
      entry: 'process_main',
      fixedSymbols,
      limit: program.base + PROGRAM_SLOT,
      output: program.name,
    });
    diagnostics.push(...linked.diagnostics);
    if (linked.image) programs.push({ name: program.name, image: linked.image });
  }

  // The kernel.
  const kernelPath = options.kernel ?? locate('kernel.c');
  const kernelModules = [kernelPath, ...KERNEL_SUPPORT.map(locate)].map((p) => compile(p, kernelOptions, 'kernel'));
  const library = LIBRARY.map((name) => compile(locate(name), kernelOptions, 'kernel'));
  if (diagnostics.some(isError) || programs.length !== WEENSY_PROGRAMS.length) return { programs, diagnostics, sources, macros };
  const linked = link({
    modules: kernelModules as ObjectModule[],
    archive: library as ObjectModule[],
    base: KERNEL_START_ADDR,
    entry: 'entry_from_boot',
    fixedSymbols,
    // Embedded without debug information, as `strip` would; the debugger takes it from `programs`.
    embeds: programs.map((p) => ({ name: `obj/${p.name}`, bytes: writeImage(p.image, { debug: false }) })),
    // The kernel stack page: nothing of the image may reach it.
    limit: KERNEL_STACK_TOP - 0x1000,
    output: 'kernel',
  });
  diagnostics.push(...linked.diagnostics);
  return linked.image ? { kernel: linked.image, programs, diagnostics, sources, macros } : { programs, diagnostics, sources, macros };
}

function missingFile(path: string): Diagnostic {
  const at = { file: path, line: 1, column: 1, offset: 0 };
  return { severity: 'error', message: `no such file: ${path}`, range: { start: at, end: at } };
}
