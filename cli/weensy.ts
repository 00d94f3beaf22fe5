// `weensy`: the command-line twin of the extension.

import { parseArgs } from 'node:util';
import { runCompile } from './compile-command';
import { runDemo } from './demo-command';
import { readProcessStdin, runExec } from './exec-command';
import { DEFAULT_MAX_INSTRUCTIONS, parseHostedArgs, UsageError, type HostedArgs } from './hosted-args';

const USAGE = `Usage: weensy <command> [options]

Commands:
  demo        Boot the demonstration kernel on the emulated machine and show its screen.
  exec        Compile a standalone C program with the hosted C library and run it.
  compile     Compile C files and print the compiler's diagnostics only.
  help        Show this help.

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

/** Parses exec/compile arguments; prints usage problems and returns the exit code 2 instead. */
function hostedArgs(command: string, rest: string[]): HostedArgs | number {
  try {
    const args = parseHostedArgs(rest, command === 'exec');
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    return args;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`weensy ${command}: ${e.message}\n\n${USAGE}`);
    return 2;
  }
}

function main(argv: string[]): number {
  const [command = 'help', ...rest] = argv;
  switch (command) {
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

process.exitCode = main(process.argv.slice(2));
