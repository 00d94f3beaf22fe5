// `weensy`: the command-line twin of the extension.

import { parseArgs } from 'node:util';
import { runDemo } from './demo-command';

const USAGE = `Usage: weensy <command> [options]

Commands:
  demo        Boot the demonstration kernel on the emulated machine and show its screen.
  help        Show this help.

Options for demo:
  --json                 Print a machine-readable summary instead of the screen.
  --color / --no-color   Force ANSI colours on or off (default: on for a terminal, unless NO_COLOR is set).
  --max-instructions N   Stop after N instructions (default 50000000).
`;

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

process.exitCode = main(process.argv.slice(2));
