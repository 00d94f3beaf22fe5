// How a WeensyOS file is compiled: the include path (the workspace folder
// first, the built-in headers last), the course's build defines and the
// role defines (WEENSYOS_KERNEL or WEENSYOS_PROCESS), as the handout's
// makefile passes them. One place, so that the build (build-weensyos.ts)
// and the language server's checks (check-weensyos.ts) see a file alike.

import type { CompileOptions } from '../cc/compile';
import type { SourceHost } from '../cc/source';
import { WEENSYOS_ROOT, weensyosHeaders, weensyosHost } from './weensyos-sources';

export type WeensyVariant = 'nyu' | 'cs61';

/** Which side a file is built for: the kernel image, or a user program. */
export type WeensyRole = 'kernel' | 'process';

export interface WeensyCompileSetup {
  /** Reads the workspace's files. */
  readonly host: SourceHost;
  /** The workspace folder whose files replace built-in ones ('' or undefined: none). */
  readonly workspace?: string;
  /** -D definitions, e.g. TICK_LIMIT=1000 ('1' for a plain -DNAME). */
  readonly defines?: ReadonlyMap<string, string>;
  /** Course variant: 'nyu' (default) or 'cs61'. */
  readonly variant?: WeensyVariant;
}

/** The programs' files: p-*.c and process.c are built as user code; everything else for the kernel. */
export function weensyRoleOf(path: string): WeensyRole {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^p-.*\.c$/.test(name) || name === 'process.c' ? 'process' : 'kernel';
}

/** The compile options of a file of `role`, given the workspace and the build's defines. */
export function weensyCompileOptions(setup: WeensyCompileSetup, role: WeensyRole): CompileOptions {
  const workspace = setup.workspace ?? '';
  const defines = new Map<string, string>([
    ['FORCE_FORK', '0'],
    ['TICK_LIMIT', '0'],
    ['NO_SLOWDOWN', '0'],
  ]);
  for (const [k, v] of setup.defines ?? []) defines.set(k, v);
  if (setup.variant === 'cs61') defines.set('WEENSYOS_CS61', '1');
  defines.set(role === 'kernel' ? 'WEENSYOS_KERNEL' : 'WEENSYOS_PROCESS', '1');
  return {
    host: weensyosHost(setup.host),
    // The workspace is searched before the built-in headers from every file, the built-in ones included.
    includePaths: workspace === '' ? [] : [workspace],
    builtinHeaders: weensyosHeaders(),
    // __FILE__ as the course's makefile has it ("kernel.c", "k-hardware.c"), for assert messages.
    fileMacroPath: (path: string) => relativeName(path, workspace),
    defines,
  };
}

/** A path as the makefile names it: relative to the workspace, and built-in files by their name. */
function relativeName(path: string, workspace: string): string {
  if (path.startsWith(`${WEENSYOS_ROOT}/`)) return path.slice(WEENSYOS_ROOT.length + 1);
  if (path.startsWith('<built-in>/')) return path.slice('<built-in>/'.length);
  const folder = workspace.endsWith('/') ? workspace : `${workspace}/`;
  if (workspace !== '' && path.startsWith(folder)) return path.slice(folder.length);
  return path;
}
