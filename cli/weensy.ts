// `weensy`: the command-line twin of the extension.

import { parseArgs } from 'node:util';
import { runCheck } from './check-command';
import { runCompile } from './compile-command';
import { runDemo } from './demo-command';
import { readProcessStdin, runExec } from './exec-command';
import { DEFAULT_MAX_INSTRUCTIONS, parseHostedArgs, UsageError, type HostedArgs } from './hosted-args';
import { parseInitArgs, runInit } from './init-command';
import { DEFAULT_RUN_TICKS, runRun } from './run-command';
import { parseCheckArgs, parseRunArgs } from './weensyos-args';
import { WEENSY_INSTRUCTIONS_PER_TICK } from '../emulator/index';

const USAGE = `Usage: weensy <command> [options]

Commands:
  run         Build a WeensyOS kernel (yours, or the built-in reference kernel), run it and show its screen.
  check       Grade a WeensyOS kernel as the NYU lab does: steps 1-5, PASS or FAIL with reasons.
  init        Write a WeensyOS workspace: the reference kernel.c and a VS Code debug configuration.
  demo        Boot the demonstration kernel on the emulated machine and show its screen.
  exec        Compile a standalone C program with the hosted C library and run it.
  compile     Compile C files and print the compiler's diagnostics only.
  help        Show this help.

weensy run [options]
  Builds the kernel and its six programs with our C compiler, boots it and
  runs it until it stops by itself: it powers off, panics, faults, triple
  faults, has nothing left to run, or reaches the tick limit. On a terminal
  the screen is drawn live with a progress line; keys you type go to the
  kernel (a, f, e reboot into a program; q powers off) and Ctrl-C stops.
  --kernel FILE|DIR      Your kernel.c, or a workspace folder holding one; any other
                         WeensyOS file there (kernel.h, k-loader.c...) replaces the
                         built-in one. Default: the built-in reference kernel.
  -D NAME[=VALUE]        Define a macro for the kernel and the programs
                         (TICK_LIMIT=1000, NO_SLOWDOWN=1, FORCE_FORK=1, STEP=3...).
  --variant nyu|cs61     Course variant (default nyu).
  --command allocator|fork|forkexit
                         The programs to start (default: the four allocators).
  --ticks N              Stop at tick N (default ${DEFAULT_RUN_TICKS}, or none with -DTICK_LIMIT; 0: no limit).
  --until panic|fault|poweroff
                         Also stop at a panic (default), at the first CPU fault
                         (before it is delivered), or at neither.
  --key CHAR@TICK        Press a key when the kernel reaches a tick (f@100, q@500); repeatable.
  --log FILE             Write the kernel's log (log_printf: the grader's log.txt) to FILE.
  --screen ansi|text|none
                         How to show the screen (default: ansi on a terminal, else text).
  --json                 Print a machine-readable summary instead.
  --instructions-per-tick N
                         User-mode instructions per timer tick (default ${WEENSY_INSTRUCTIONS_PER_TICK}).
  --max-instructions N   Safety net: stop after N instructions.
  Exit status: 0 when the kernel powered off or reached the tick limit
  without a panic; 1 for compile errors; 3 when it panicked, faulted, triple
  faulted, hung, or ran out of instructions.

weensy check [--kernel FILE|DIR] [-D NAME[=VALUE]]... [--variant nyu|cs61] [--json] [--logs DIR]
  Runs the lab's grading set-up twice (TICK_LIMIT=1000 NO_SLOWDOWN=1 with the
  allocator processes for steps 1-4; the same with FORCE_FORK=1 for step 5),
  checks the logs as the course's grader does, and prints a verdict per step
  with the tick, process and address of each problem. --logs DIR keeps the
  two logs. Exit status: 0 when steps 1-5 pass, 1 otherwise.

weensy init [DIR] [--force]
  Writes DIR/kernel.c (the reference kernel) and DIR/.vscode/launch.json (a
  "weensy" launch configuration). DIR defaults to the current folder;
  existing files are kept unless --force.

Options for demo:
  --json                 Print a machine-readable summary instead of the screen.
  --color / --no-color   Force ANSI colours on or off (default: on for a terminal, unless NO_COLOR is set).
  --max-instructions N   Stop after N instructions (default 50000000).

weensy exec prog.c [more.c ...] [options] [-- program arguments...]
  Runs the program on the emulated machine (8 MiB of RAM, paging off) with
  <stdio.h>, <stdlib.h>, <string.h>, <ctype.h>, <assert.h> and the other
  standard headers. Its output and exit status become the command's;
  standard input is passed to it unless it is a terminal.
  Exit status: the program's; 1 for compile errors; 124 when it runs out of
  instructions; 136 (#DE), 132 (#UD) or 139 (other faults) when it faults.
  -Dname[=value]         Define a macro.
  -Uname                 Undefine a macro.
  -Idir                  Search dir for #include files (after the file's own folder).
  --max-instructions N   Stop the program after N instructions (default ${DEFAULT_MAX_INSTRUCTIONS}).

weensy compile file.c [more.c ...] [-D...] [-U...] [-I...]
  Prints the compiler's diagnostics (gcc's format); exits 1 if there are errors.
`;

/** Parses exec/compile arguments; prints usage problems (with the whole usage) and returns the exit code 2 instead. */
function hostedArgs(command: string, rest: string[]): HostedArgs | number {
  return parsed(command, rest, (argv) => parseHostedArgs(argv, command === 'exec'), `\n${USAGE}`);
}

/** Runs `parse` on the arguments; a usage problem is printed (then `tail`) and becomes exit status 2. */
function parsed<T extends { help: boolean }>(command: string, rest: string[], parse: (argv: string[]) => T, tail = '(weensy help lists the options)\n'): T | number {
  try {
    const args = parse(rest);
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    return args;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`weensy ${command}: ${e.message}\n${tail}`);
    return 2;
  }
}

/** Runs a command whose own checks (a missing --kernel) may find usage problems: exit status 2. */
async function guarded(command: string, body: () => number | Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`weensy ${command}: ${e.message}\n`);
    return 2;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'run': {
      const args = parsed(command, rest, parseRunArgs);
      if (typeof args === 'number') return args;
      const tty = process.stdout.isTTY === true;
      return guarded(command, () =>
        runRun(args, { out: process.stdout, err: process.stderr, tty, ...(tty && process.stdin.isTTY ? { keyboard: process.stdin } : {}) }),
      );
    }
    case 'check': {
      const args = parsed(command, rest, parseCheckArgs);
      if (typeof args === 'number') return args;
      return guarded(command, () => runCheck(args, { out: process.stdout, err: process.stderr, tty: process.stderr.isTTY === true }));
    }
    case 'init': {
      const args = parsed(command, rest, parseInitArgs);
      if (typeof args === 'number') return args;
      return runInit(args, process.stdout, process.stderr);
    }
    case 'demo': {
      let values;
      try {
        ({ values } = parseArgs({
          args: rest,
          options: {
            json: { type: 'boolean', default: false },
            color: { type: 'boolean' },
            'no-color': { type: 'boolean' },
            'max-instructions': { type: 'string', default: '50000000' },
          },
          strict: true,
        }));
      } catch (e) {
        process.stderr.write(`weensy demo: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
      }
      const max = Number(values['max-instructions']);
      if (!Number.isInteger(max) || max <= 0) {
        process.stderr.write(`weensy demo: --max-instructions must be a positive integer, got '${values['max-instructions']}'\n`);
        return 2;
      }
      const tty = process.stdout.isTTY === true;
      const color = values['no-color'] ? false : (values.color ?? (tty && !process.env.NO_COLOR));
      return runDemo({ json: values.json!, color, live: tty && !values.json, maxInstructions: max, out: process.stdout });
    }
    case 'exec': {
      const args = hostedArgs(command, rest);
      if (typeof args === 'number') return args;
      return runExec(args, { out: process.stdout, err: process.stderr, stdin: readProcessStdin });
    }
    case 'compile': {
      const args = hostedArgs(command, rest);
      if (typeof args === 'number') return args;
      return runCompile(args, process.stderr);
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`weensy: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

// A reader that stops early (`weensy exec prog.c | head`) closes the pipe: not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`weensy: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
