// The command line of `weensy exec` and `weensy compile`, as gcc spells it:
// files, -Dname[=value], -Uname, -Idir (attached or as the next argument),
// and for exec --max-instructions N and `--` before the program's own
// arguments.

export interface HostedArgs {
  readonly files: string[];
  readonly defines: Map<string, string>;
  readonly undefines: string[];
  readonly includePaths: string[];
  readonly maxInstructions: number;
  /** The program's arguments (after `--`), argv[0] excluded. */
  readonly programArgs: string[];
  readonly help: boolean;
}

/** Instructions a program may run before `weensy exec` stops it (several seconds' worth). */
export const DEFAULT_MAX_INSTRUCTIONS = 200_000_000;

export class UsageError extends Error {}

export function parseHostedArgs(argv: readonly string[], allowRun: boolean): HostedArgs {
  const files: string[] = [];
  const defines = new Map<string, string>();
  const undefines: string[] = [];
  const includePaths: string[] = [];
  let maxInstructions = DEFAULT_MAX_INSTRUCTIONS;
  let programArgs: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    /** The value of an option written `-Xvalue` or `-X value`. */
    const value = (flag: string): string => {
      if (a.length > flag.length) return a.slice(flag.length);
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (a === '--') {
      if (!allowRun) throw new UsageError("'--' (program arguments) is only for exec");
      programArgs = argv.slice(i + 1);
      break;
    } else if (a === '-h' || a === '--help') {
      help = true;
    } else if (a.startsWith('-D')) {
      const def = value('-D');
      const eq = def.indexOf('=');
      const name = eq < 0 ? def : def.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*(\(.*\))?$/.test(name)) throw new UsageError(`-D${def}: '${name}' is not a macro name`);
      defines.set(name, eq < 0 ? '1' : def.slice(eq + 1));
    } else if (a.startsWith('-U')) {
      undefines.push(value('-U'));
    } else if (a.startsWith('-I')) {
      includePaths.push(value('-I').replace(/\\/g, '/'));
    } else if (allowRun && (a === '--max-instructions' || a.startsWith('--max-instructions='))) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-instructions must be a positive integer, got '${v ?? ''}'`);
      maxInstructions = n;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      files.push(a);
    }
  }
  if (!help && files.length === 0) throw new UsageError('no C files given');
  return { files, defines, undefines, includePaths, maxInstructions, programArgs, help };
}
