// Shared set-up for the compiler tests: build C programs with our compiler
// and run them on the machine (hosted: stdout on port 0xE9, exit status on
// port 0xF4), and build the same programs with the host's gcc where it is
// installed, for differential testing.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildProgram, checkFile, compileFile } from '../../emulator/cc/compile';
import { formatDiagnostic, type Diagnostic } from '../../emulator/cc/diagnostic';
import type { SourceFile, SourceHost } from '../../emulator/cc/source';
import { loadImage } from '../../emulator/machine/image/load-image';
import { Machine } from '../../emulator/machine/machine';

export const C_DIR = join(__dirname, 'c');

/** The start-up code our builds link in: call main, report its result as the exit status. */
export const CRT = `int main(void);
void _start(void) { __builtin_ws_outl(0xf4, main()); for (;;) __builtin_ws_hlt(); }
`;

const MEMORY_SIZE = 0x800000;
/** Enough for every test program (they run well under this); a runaway program stops here. */
const INSTRUCTION_BUDGET = 200_000_000;

/** A host that reads files from the real file system, relative to nothing (paths are absolute). */
export const diskHost: SourceHost = { readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined) };

/** A host over a fixed set of virtual files. */
export function hostOf(files: Readonly<Record<string, string>>): SourceHost {
  return { readFile: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) };
}

export interface RunResult {
  readonly stdout: string;
  /** The exit status, or undefined if the program did not exit (fault, budget, halt). */
  readonly status: number | undefined;
  /** How it stopped, for messages: "exit 0", "fault: ...", "budget". */
  readonly stop: string;
}

/** Compiles `files` (plus the crt) with our compiler; throws with the diagnostics if there are errors. */
export function buildOurs(files: readonly SourceFile[], host: SourceHost, includePaths: readonly string[] = []): ReturnType<typeof buildProgram> & { errors: string[] } {
  const result = buildProgram({
    files: [...files, { path: '<crt>/crt.c', text: CRT }],
    host,
    includePaths,
    base: 0x100000,
    entry: '_start',
    hosted: true,
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return { ...result, errors };
}

/** Builds and runs a program on our machine. */
export function runOurs(files: readonly SourceFile[], host: SourceHost, includePaths: readonly string[] = []): RunResult {
  const built = buildOurs(files, host, includePaths);
  if (!built.image) throw new Error(`our compiler rejected the program:\n${built.errors.join('\n') || built.diagnostics.map(formatDiagnostic).join('\n')}`);
  return runImage(built.image);
}

export function runImage(image: NonNullable<ReturnType<typeof buildProgram>['image']>, budget = INSTRUCTION_BUDGET): RunResult {
  const out: number[] = [];
  const m = new Machine({ memorySize: MEMORY_SIZE, output: { stdout: (b) => out.push(b), stderr: (b) => out.push(b) } });
  const problems = loadImage(m.memory, image);
  if (problems.length) throw new Error(problems.join('\n'));
  m.cpu.rip = image.entry;
  m.cpu.regs[8] = MEMORY_SIZE; // rsp (register 4, low half) = top of RAM
  m.cpu.regs[9] = 0;
  const stop = m.run(budget);
  const stdout = Buffer.from(out).toString('latin1');
  if (stop.kind === 'exit') return { stdout, status: stop.status, stop: `exit ${stop.status}` };
  const why = stop.kind === 'fault' ? `fault: ${stop.fault.message}` : stop.kind === 'shutdown' ? `shutdown: ${JSON.stringify(stop.diagnosis)}` : stop.kind;
  return { stdout, status: undefined, stop: `${why} at rip 0x${m.cpu.rip.toString(16)}` };
}

/** Compiles and runs a single C text (with test.h available) on our machine. */
export function runSource(text: string, path = join(C_DIR, 'inline.c')): RunResult {
  return runOurs([{ path, text }], { readFile: (p) => (p === path ? text : diskHost.readFile(p)) }, [C_DIR]);
}

// ---------------------------------------------------------------- gcc

let gccPath: string | null | undefined;

/**
 * The host gcc, or undefined when it is not installed (then golden files
 * stand in for it). NO_GCC=1 pretends it is missing, to check that mode.
 */
export function hostGcc(): string | undefined {
  if (gccPath === undefined) {
    gccPath = null;
    if (process.env.NO_GCC === '1') return undefined;
    for (const dir of (process.env.PATH ?? '').split(':')) {
      if (dir && existsSync(join(dir, 'gcc'))) {
        gccPath = join(dir, 'gcc');
        break;
      }
    }
  }
  return gccPath ?? undefined;
}

function run(cmd: string, args: readonly string[], cwd?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, encoding: 'latin1', timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** Compiles C files natively with `gcc -std=gnu11 -O0 -w` and runs the result. Each call uses its own temporary folder. */
export async function runGcc(files: readonly string[], includePaths: readonly string[] = [], source?: { name: string; text: string }): Promise<RunResult> {
  const gcc = hostGcc();
  if (!gcc) throw new Error('gcc is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'weensy-gcc-'));
  try {
    const inputs = [...files];
    if (source) {
      const p = join(dir, source.name);
      await writeFile(p, source.text);
      inputs.push(p);
    }
    const exe = join(dir, 'a.out');
    const cc = await run(gcc, ['-std=gnu11', '-O0', '-w', ...includePaths.flatMap((i) => ['-I', i]), '-o', exe, ...inputs]);
    if (cc.code !== 0) throw new Error(`gcc rejected the program:\n${cc.stderr}`);
    const r = await run(exe, [], dirname(exe));
    return { stdout: r.stdout, status: r.code >= 0 ? r.code : undefined, stop: `exit ${r.code}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- front end only

/** Errors and warnings of checking one file, in gcc's one-line form. */
export function diagnose(path: string, text: string, files: Readonly<Record<string, string>> = {}): Diagnostic[] {
  return [...checkFile({ path, text }, { host: hostOf({ [path]: text, ...files }) }).diagnostics];
}

/** Front end and code generator on one file, as the fuzz test drives them. */
export function compileOnly(path: string, text: string): { diagnostics: readonly Diagnostic[] } {
  return compileFile({ path, text }, { host: hostOf({ [path]: text }) });
}
