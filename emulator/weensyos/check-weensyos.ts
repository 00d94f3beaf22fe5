// Checks one WeensyOS file as a launch would compile it, for the language
// server: the same include path, defines and compiler (preprocess, parse
// and check, then generate code when that succeeded), but no linking, so
// it takes tens of milliseconds. Never throws on bad input (invariant 8).

import { compileFile, type FrontEndResult } from '../cc/compile';
import type { Diagnostic } from '../cc/diagnostic';
import type { SourceFile } from '../cc/source';
import { weensyCompileOptions, weensyRoleOf, type WeensyCompileSetup, type WeensyRole } from './weensy-compile-options';

export interface WeensyCheckOptions extends WeensyCompileSetup {
  /** Kernel or user-program defines; default: from the file's name (p-*.c and process.c are programs). */
  readonly role?: WeensyRole;
}

export interface WeensyCheck {
  /** Every diagnostic, in any file the check read (the main file, headers, workspace or built-in). */
  readonly diagnostics: readonly Diagnostic[];
  /** The front end's result: the typed unit (kept even with errors), macros, files included. */
  readonly front: FrontEndResult;
  readonly role: WeensyRole;
}

/** Compiles `file` (without linking) as a WeensyOS build would. */
export function checkWeensyFile(file: SourceFile, options: WeensyCheckOptions): WeensyCheck {
  const role = options.role ?? weensyRoleOf(file.path);
  const r = compileFile(file, weensyCompileOptions(options, role));
  return { diagnostics: r.diagnostics, front: r.front, role };
}
