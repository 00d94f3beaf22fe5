// The command lines of `weensy run` and `weensy check`: which kernel to
// build and how (shared), and for run how to run and show it.

import { UsageError } from './hosted-args';

export type ScreenMode = 'ansi' | 'text' | 'none';
export type RunUntil = 'panic' | 'fault' | 'poweroff';
export type Variant = 'nyu' | 'cs61';

export interface BuildArgs {
  /** --kernel: a kernel.c file or a workspace folder (undefined: the built-in reference kernel). */
  readonly kernel?: string;
  readonly defines: Map<string, string>;
  readonly variant: Variant;
}

export interface RunArgs extends BuildArgs {
  readonly command?: 'allocator' | 'fork' | 'forkexit';
  /** undefined: the default (1000 unless TICK_LIMIT is defined); 0: no limit. */
  readonly ticks?: number;
  readonly until: RunUntil;
  readonly log?: string;
  /** undefined: ansi on a terminal, text otherwise. */
  readonly screen?: ScreenMode;
  readonly json: boolean;
  readonly keys: { key: number; tick: number }[];
  readonly instructionsPerTick?: number;
  readonly maxInstructions?: number;
  readonly help: boolean;
}

export interface CheckArgs extends BuildArgs {
  readonly json: boolean;
  /** --logs DIR: keep the two grading logs there. */
  readonly logs?: string;
  readonly help: boolean;
}

const COMMANDS = ['allocator', 'fork', 'forkexit'] as const;
const SCREENS: readonly ScreenMode[] = ['ansi', 'text', 'none'];
const UNTILS: readonly RunUntil[] = ['panic', 'fault', 'poweroff'];
const VARIANTS: readonly Variant[] = ['nyu', 'cs61'];

/** Key names --key accepts besides a single character. */
const KEY_NAMES: Record<string, number> = { 'ctrl-c': 3, '^c': 3, space: 32, enter: 13, esc: 27 };

function positiveInteger(option: string, v: string, allowZero = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new UsageError(`${option} needs a ${allowZero ? 'non-negative' : 'positive'} integer, got '${v}'`);
  }
  return n;
}

function oneOf<T extends string>(option: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}; got '${v}'`);
  return v as T;
}

/** --key CHAR@TICK: 'a@100', 'q@0', 'ctrl-c@50'. */
export function parseKey(v: string): { key: number; tick: number } {
  const at = v.lastIndexOf('@');
  if (at <= 0) throw new UsageError(`--key needs CHAR@TICK (for example f@100), got '${v}'`);
  const name = v.slice(0, at);
  const tick = positiveInteger('--key', v.slice(at + 1), true);
  let key: number;
  if ([...name].length === 1 && name.charCodeAt(0) < 0x80) key = name.charCodeAt(0);
  else if (KEY_NAMES[name.toLowerCase()] !== undefined) key = KEY_NAMES[name.toLowerCase()]!;
  else throw new UsageError(`--key ${v}: '${name}' is not one character (or ctrl-c, space, enter, esc)`);
  return { key, tick };
}

interface Reader {
  readonly arg: string;
  /** The option's value: after '=', attached (-DX), or the next argument. */
  value(): string;
}

/** Walks argv, handing each argument (with a value reader) to `each`, which returns false for an unknown one. */
function walk(argv: readonly string[], each: (name: string, r: Reader) => boolean): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a.startsWith('-D') && a.length > 2 ? '-D' : a;
    const reader: Reader = {
      arg: a,
      value: () => {
        if (eq > 0) return a.slice(eq + 1);
        if (name === '-D' && a.length > 2) return a.slice(2);
        const next = argv[++i];
        if (next === undefined) throw new UsageError(`${name} needs a value`);
        return next;
      },
    };
    if (!each(name, reader)) {
      if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
      throw new UsageError(`unexpected argument '${a}'`);
    }
  }
}

interface MutableBuild {
  kernel?: string;
  defines: Map<string, string>;
  variant: Variant;
}

/** The options of both commands; false when `name` is not one of them. */
function buildOption(name: string, r: Reader, b: MutableBuild): boolean {
  switch (name) {
    case '--kernel':
      b.kernel = r.value();
      return true;
    case '-D': {
      const def = r.value();
      const eq = def.indexOf('=');
      const macro = eq < 0 ? def : def.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(macro)) throw new UsageError(`-D${def}: '${macro}' is not a macro name`);
      b.defines.set(macro, eq < 0 ? '1' : def.slice(eq + 1));
      return true;
    }
    case '--variant':
      b.variant = oneOf('--variant', r.value(), VARIANTS);
      return true;
    default:
      return false;
  }
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const b: MutableBuild = { defines: new Map(), variant: 'nyu' };
  let command: RunArgs['command'];
  let ticks: number | undefined;
  let until: RunUntil = 'panic';
  let log: string | undefined;
  let screen: ScreenMode | undefined;
  let json = false;
  const keys: { key: number; tick: number }[] = [];
  let instructionsPerTick: number | undefined;
  let maxInstructions: number | undefined;
  let help = false;
  walk(argv, (name, r) => {
    if (buildOption(name, r, b)) return true;
    switch (name) {
      case '--command':
        command = oneOf('--command', r.value(), COMMANDS);
        return true;
      case '--ticks':
        ticks = positiveInteger('--ticks', r.value(), true);
        return true;
      case '--until':
        until = oneOf('--until', r.value(), UNTILS);
        return true;
      case '--log':
        log = r.value();
        return true;
      case '--screen':
        screen = oneOf('--screen', r.value(), SCREENS);
        return true;
      case '--json':
        json = true;
        return true;
      case '--key':
        keys.push(parseKey(r.value()));
        return true;
      case '--instructions-per-tick':
        instructionsPerTick = positiveInteger('--instructions-per-tick', r.value());
        return true;
      case '--max-instructions':
        maxInstructions = positiveInteger('--max-instructions', r.value());
        return true;
      case '-h':
      case '--help':
        help = true;
        return true;
      default:
        return false;
    }
  });
  return {
    ...b,
    ...(command !== undefined ? { command } : {}),
    ...(ticks !== undefined ? { ticks } : {}),
    until,
    ...(log !== undefined ? { log } : {}),
    ...(screen !== undefined ? { screen } : {}),
    json,
    keys,
    ...(instructionsPerTick !== undefined ? { instructionsPerTick } : {}),
    ...(maxInstructions !== undefined ? { maxInstructions } : {}),
    help,
  };
}

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const b: MutableBuild = { defines: new Map(), variant: 'nyu' };
  let json = false;
  let logs: string | undefined;
  let help = false;
  walk(argv, (name, r) => {
    if (buildOption(name, r, b)) return true;
    switch (name) {
      case '--json':
        json = true;
        return true;
      case '--logs':
        logs = r.value();
        return true;
      case '-h':
      case '--help':
        help = true;
        return true;
      default:
        return false;
    }
  });
  return { ...b, json, ...(logs !== undefined ? { logs } : {}), help };
}
