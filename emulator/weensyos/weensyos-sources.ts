// The built-in WeensyOS files (runtime/weensyos: our headers, support
// library, user programs and reference kernel) as the compiler sees them,
// served from the generated module like the hosted runtime.
//
// Headers are offered as built-in headers, searched last, so a workspace's
// own kernel.h wins everywhere: for the student's kernel.c (its own folder)
// and for the built-in support files too, whose folder serves no headers.
// Built-in C files live under the pseudo-folder `<weensyos>`.

import { RUNTIME_SOURCES } from '../generated/runtime-sources';
import type { SourceHost } from '../cc/source';

/** The pseudo-folder of the built-in C files in messages and debug information. */
export const WEENSYOS_ROOT = '<weensyos>';
const DIR = 'weensyos/';

/** The built-in headers by name ('kernel.h' -> text). */
export function weensyosHeaders(): ReadonlyMap<string, string> {
  const headers = new Map<string, string>();
  for (const [path, text] of RUNTIME_SOURCES) {
    if (path.startsWith(DIR) && path.endsWith('.h')) headers.set(path.slice(DIR.length), text);
  }
  return headers;
}

/** The text of built-in file `name` (e.g. 'kernel.c', 'kernel.h'), or undefined. */
export function weensyosFile(name: string): string | undefined {
  return RUNTIME_SOURCES.get(DIR + name);
}

/** Every built-in file, by name: what `weensy init` and the extension ship. */
export function weensyosFiles(): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  for (const [path, text] of RUNTIME_SOURCES) if (path.startsWith(DIR)) files.set(path.slice(DIR.length), text);
  return files;
}

/**
 * The host a WeensyOS build reads through: the built-in C files under
 * `<weensyos>/` (but not its headers, see above), and everything else
 * from the workspace's host.
 */
export function weensyosHost(workspace: SourceHost): SourceHost {
  return {
    readFile(path: string): string | undefined {
      if (path.startsWith(`${WEENSYOS_ROOT}/`)) {
        const name = path.slice(WEENSYOS_ROOT.length + 1);
        return name.endsWith('.c') ? weensyosFile(name) : undefined;
      }
      return workspace.readFile(path);
    },
  };
}

/**
 * The text of a file a WeensyOS build read from the built-in set rather
 * than the workspace (`<built-in>/kernel.h` or `<weensyos>/k-hardware.c`),
 * for callers that quote source lines.
 */
export function weensyosSourceText(path: string): string | undefined {
  for (const prefix of ['<built-in>/', `${WEENSYOS_ROOT}/`]) {
    if (path.startsWith(prefix)) return weensyosFile(path.slice(prefix.length));
  }
  return undefined;
}
