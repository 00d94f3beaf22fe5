// Building WeensyOS for `weensy run` and `weensy check`: where the kernel
// comes from (--kernel FILE or DIR, else the built-in reference kernel),
// the build itself, and its diagnostics printed as gcc prints them.

import { statSync } from 'node:fs';
import { buildWeensyOS, weensyosSourceText, type LinkedImage } from '../emulator/index';
import { compilerPath, FsSourceHost } from './fs-host';
import { UsageError } from './hosted-args';
import { printDiagnostics } from './print-diagnostics';
import type { BuildArgs } from './weensyos-args';

export interface KernelSource {
  /** The workspace folder ('' for none: the built-in files only). */
  readonly workspace: string;
  /** The kernel file (undefined: the workspace's kernel.c, or the built-in one). */
  readonly kernel?: string;
  /** For messages: "the built-in reference kernel" or the path. */
  readonly label: string;
}

/** Where --kernel points: a kernel.c (its folder is the workspace) or a workspace folder holding one. */
export function kernelSource(kernel: string | undefined): KernelSource {
  if (kernel === undefined) return { workspace: '', label: 'the built-in reference kernel' };
  const path = compilerPath(kernel).replace(/(.)\/+$/, '$1');
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`--kernel ${kernel}: no such file or folder`);
  }
  if (isDir) {
    const file = `${path}/kernel.c`;
    try {
      if (!statSync(file).isFile()) throw new Error();
    } catch {
      throw new UsageError(`--kernel ${kernel}: the folder has no kernel.c (weensy init ${kernel} writes one)`);
    }
    return { workspace: path, kernel: file, label: file };
  }
  const slash = path.lastIndexOf('/');
  return { workspace: slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash), kernel: path, label: path };
}

export interface BuiltKernel {
  readonly kernel: LinkedImage;
  readonly buildMs: number;
}

/**
 * Builds the kernel with `defines` added to the command line's (and
 * overriding them); prints the diagnostics to `err`. Undefined when the
 * build failed (its errors are printed).
 */
export function buildKernel(
  source: KernelSource,
  args: BuildArgs,
  err: NodeJS.WritableStream,
  defines: ReadonlyMap<string, string> = new Map(),
): BuiltKernel | undefined {
  const host = new FsSourceHost();
  const started = performance.now();
  const built = buildWeensyOS({
    host,
    workspace: source.workspace,
    ...(source.kernel !== undefined ? { kernel: source.kernel } : {}),
    defines: new Map([...args.defines, ...defines]),
    variant: args.variant,
  });
  const buildMs = performance.now() - started;
  const failed = printDiagnostics(built.diagnostics, (p) => host.readFile(p) ?? weensyosSourceText(p), err);
  if (failed || !built.kernel) {
    if (!failed) err.write(`weensy: the kernel could not be built\n`);
    return undefined;
  }
  return { kernel: built.kernel, buildMs };
}
