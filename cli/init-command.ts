// `weensy init [DIR] [--force]`: writes the reference workspace, the
// built-in kernel.c (which the student then makes their own) and a VS Code
// launch configuration for the WeensyScope debugger, into DIR (default the
// current folder). Existing files are kept unless --force.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weensyosFile } from '../emulator/index';
import { UsageError } from './hosted-args';

export interface InitArgs {
  readonly dir: string;
  readonly force: boolean;
}

/** The launch configuration `weensy init` writes to .vscode/launch.json. */
export const LAUNCH_JSON = {
  version: '0.2.0',
  configurations: [
    {
      type: 'weensy',
      request: 'launch',
      name: 'WeensyOS',
      kernel: '${workspaceFolder}/kernel.c',
      stopOnEntry: false,
    },
  ],
};

/** The files of the workspace, by path relative to it. */
export function workspaceFiles(): Map<string, string> {
  const kernel = weensyosFile('kernel.c');
  if (kernel === undefined) throw new Error('the built-in kernel.c is missing from this build of weensy');
  return new Map([
    ['kernel.c', kernel],
    ['.vscode/launch.json', JSON.stringify(LAUNCH_JSON, null, 2) + '\n'],
  ]);
}

export function runInit(args: InitArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const files = workspaceFiles();
  const existing = [...files.keys()].filter((f) => existsSync(join(args.dir, f)));
  if (existing.length > 0 && !args.force) {
    for (const f of existing) err.write(`weensy init: ${join(args.dir, f)} already exists (--force overwrites it)\n`);
    return 1;
  }
  try {
    for (const [f, text] of files) {
      const path = join(args.dir, f);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      out.write(`wrote ${path}\n`);
    }
  } catch (e) {
    err.write(`weensy init: ${(e as Error).message}\n`);
    return 1;
  }
  const where = args.dir === '.' ? '' : ` --kernel ${args.dir}`;
  out.write(`\nNext: edit kernel.c, then\n  weensy run${where}      (watch it run)\n  weensy check${where}    (the lab's grading: steps 1-5)\n`);
  return 0;
}

export function parseInitArgs(argv: readonly string[]): InitArgs & { help: boolean } {
  let dir: string | undefined;
  let force = false;
  let help = false;
  for (const a of argv) {
    if (a === '--force' || a === '-f') force = true;
    else if (a === '-h' || a === '--help') help = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
    else if (dir !== undefined) throw new UsageError(`one folder only (got '${dir}' and '${a}')`);
    else dir = a;
  }
  return { dir: dir ?? '.', force, help };
}
