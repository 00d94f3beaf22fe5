// `weensy compile file.c ...`: the compiler's diagnostics for a hosted
// program, in gcc's form, and nothing else (like gcc -fsyntax-only, it does
// not link). Exits 1 if there are errors, 0 otherwise.

import { buildHosted, hostedSourceText } from '../emulator/index';
import { compilerPath, FsSourceHost } from './fs-host';
import type { HostedArgs } from './hosted-args';
import { printDiagnostics } from './print-diagnostics';

export function runCompile(args: HostedArgs, err: NodeJS.WritableStream): number {
  const host = new FsSourceHost();
  const files = [];
  for (const f of args.files) {
    const path = compilerPath(f);
    const text = host.readFile(path);
    if (text === undefined) {
      err.write(`weensy: ${f}: no such file\n`);
      return 1;
    }
    files.push({ path, text });
  }
  const result = buildHosted(files, { host, includePaths: args.includePaths, defines: args.defines, undefines: args.undefines, checkOnly: true });
  return printDiagnostics(result.diagnostics, (p) => host.readFile(p) ?? hostedSourceText(p), err) ? 1 : 0;
}
