// `weensy exec prog.c [more.c ...] [-D...] [-U...] [-I...] [--max-instructions N] [-- args...]`:
// compiles a standalone C program with the hosted C library and runs it on
// the emulated machine. The program's standard output and error become the
// command's, as it writes them; its exit status becomes the command's.
// Compile errors are printed as gcc prints them (exit 1). A program that
// runs out of instructions exits 124, as under `timeout`; one that faults
// exits as a shell reports the matching signal (136 for a division by
// zero, 132 for an invalid instruction, 139 otherwise), with a message
// saying which fault, where, and the calls that led there.

import { readFileSync } from 'node:fs';
import { buildHosted, describeHostedStop, hostedSourceText, runHosted } from '../emulator/index';
import { compilerPath, FsSourceHost } from './fs-host';
import type { HostedArgs } from './hosted-args';
import { printDiagnostics } from './print-diagnostics';

export interface ExecStreams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** Standard input for the program, read before it starts (undefined: none). */
  readonly stdin: () => Uint8Array | undefined;
}

/** Standard input when it is a file or a pipe; a terminal is not read (the program sees EOF). */
export function readProcessStdin(): Uint8Array | undefined {
  if (process.stdin.isTTY) return undefined;
  try {
    return readFileSync(0);
  } catch {
    return undefined;
  }
}

/** Collects the program's output and passes it on in order, a chunk at a time. */
class OutputPump {
  private chunk: number[] = [];
  private current: NodeJS.WritableStream | undefined;
  constructor(private readonly limit = 1 << 16) {}
  push(stream: NodeJS.WritableStream, byte: number): void {
    if (stream !== this.current) this.flush();
    this.current = stream;
    this.chunk.push(byte);
    if (this.chunk.length >= this.limit) this.flush();
  }
  flush(): void {
    if (this.current && this.chunk.length > 0) this.current.write(Buffer.from(this.chunk));
    this.chunk = [];
  }
}

/** The program's name as gcc's a.out would be invoked: the first file's base name without `.c`. */
function programName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('.c') ? base.slice(0, -2) : base;
}

export function runExec(args: HostedArgs, io: ExecStreams): number {
  const host = new FsSourceHost();
  const files = [];
  for (const f of args.files) {
    const path = compilerPath(f);
    const text = host.readFile(path);
    if (text === undefined) {
      io.err.write(`weensy: ${f}: no such file\n`);
      return 1;
    }
    files.push({ path, text });
  }
  const built = buildHosted(files, { host, includePaths: args.includePaths, defines: args.defines, undefines: args.undefines });
  const failed = printDiagnostics(built.diagnostics, (p) => host.readFile(p) ?? hostedSourceText(p), io.err);
  if (failed || !built.image) return 1;
  const pump = new OutputPump();
  const result = runHosted(built.image, {
    maxInstructions: args.maxInstructions,
    argv: [programName(files[0]!.path), ...args.programArgs],
    stdin: io.stdin(),
    onStdout: (b) => pump.push(io.out, b),
    onStderr: (b) => pump.push(io.err, b),
    onProgress: () => pump.flush(),
  });
  pump.flush();
  const report = describeHostedStop(result, built.image);
  for (const line of report.message) io.err.write(line + '\n');
  const memory = result.machine.memory;
  if (memory.unbackedReads + memory.unbackedWrites > 0) {
    io.err.write(
      `weensy: warning: the program made ${memory.unbackedReads} reads and ${memory.unbackedWrites} writes outside the machine's RAM ` +
        `(reads give all ones, writes are lost): a stray pointer?\n`,
    );
  }
  return report.status;
}
