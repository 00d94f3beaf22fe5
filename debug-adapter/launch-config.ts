// The `weensy` launch configuration: its attributes (package.json's
// configurationAttributes describe the same ones for IntelliSense) and their
// validation into a LaunchPlan. A bad configuration is one message naming
// every problem; nothing is guessed.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { WeensyVariant } from '../emulator/index';
import type { AdapterHost } from './adapter-host';

export const BOOT_COMMANDS = ['allocator', 'fork', 'forkexit'] as const;
export type BootCommand = (typeof BOOT_COMMANDS)[number];
export const VARIANTS: readonly WeensyVariant[] = ['nyu', 'cs61'];

/** What launch.json may say (request: "launch", type: "weensy"). */
export interface WeensyLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** kernel.c, or a workspace folder holding one (default: `cwd`'s kernel.c if any, else the bundled reference kernel). */
  kernel?: string;
  /** The programs to boot: allocator (default: the first boot, four allocators), fork or forkexit. */
  command?: BootCommand;
  /** -D definitions: { "TICK_LIMIT": 1000 } or ["TICK_LIMIT=1000", "NO_SLOWDOWN"]. */
  defines?: Record<string, string | number | boolean> | string[];
  variant?: WeensyVariant;
  /** true or "kernel": stop at the first line of kernel(); "boot": at the first instruction. */
  stopOnEntry?: boolean | 'kernel' | 'boot';
  /** User-mode instructions per timer tick. */
  instructionsPerTick?: number;
  /** Also write the WeensyOS log (log_printf, the grader's log.txt) to this file. */
  logFile?: string;
  /** The folder relative paths start from, and where a kernel.c is looked for when `kernel` is not given. */
  cwd?: string;
  /** Run with (default) or without the machine's block translator. */
  jit?: boolean;
}

/** A validated configuration. */
export interface LaunchPlan {
  /** The workspace folder ('' for the bundled reference kernel alone). */
  readonly workspace: string;
  /** The kernel file, absolute ('/' separators); undefined for the bundled reference kernel. */
  readonly kernel?: string;
  /** For messages: the path, or "the bundled reference kernel". */
  readonly kernelLabel: string;
  readonly command?: BootCommand;
  readonly defines: Readonly<Record<string, string>>;
  readonly variant?: WeensyVariant;
  readonly stopOnEntry: boolean | 'kernel' | 'boot';
  readonly instructionsPerTick?: number;
  readonly logFile?: string;
  readonly jit?: boolean;
  readonly noDebug: boolean;
  /** Attributes that were ignored (probably misspelled). */
  readonly warnings: readonly string[];
}

const KNOWN = new Set([
  'type', 'request', 'name', 'kernel', 'command', 'defines', 'variant', 'stopOnEntry', 'instructionsPerTick', 'logFile', 'cwd', 'jit', 'noDebug',
  // Attributes VS Code itself understands in any configuration.
  'preLaunchTask', 'postDebugTask', 'internalConsoleOptions', 'presentation', 'debugServer', 'suppressMultipleSessionWarning', 'outFiles', 'serverReadyAction',
]);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export type PlanResult = { readonly ok: true; readonly plan: LaunchPlan } | { readonly ok: false; readonly message: string };

/** Validates a launch request's arguments. */
export function planLaunch(raw: unknown, host: AdapterHost): PlanResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: 'The launch configuration must be an object.' };
  const a = raw as Record<string, unknown>;
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(a)) {
    if (!KNOWN.has(key) && !key.startsWith('__')) warnings.push(`The launch configuration attribute "${key}" is not a WeensyOS attribute and is ignored.`);
  }
  const optString = (key: string): string | undefined => {
    const v = a[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push(`"${key}" must be a non-empty string (got ${show(v)}).`);
      return undefined;
    }
    return v;
  };

  let cwd: string | undefined;
  const cwdRaw = optString('cwd');
  if (cwdRaw !== undefined) {
    cwd = host.absolute(cwdRaw);
    if (host.stat(cwd) !== 'directory') problems.push(`"cwd" ${show(cwdRaw)} is not a folder.`);
  }

  // kernel: a file, or a folder holding kernel.c.
  let workspace = '';
  let kernel: string | undefined;
  let kernelLabel = 'the bundled reference kernel';
  const kernelRaw = optString('kernel');
  if (kernelRaw !== undefined) {
    if (kernelRaw.includes('${')) {
      problems.push(`"kernel" ${show(kernelRaw)} still holds an unresolved variable.`);
    } else {
      const path = host.absolute(kernelRaw, cwd).replace(/(.)\/+$/, '$1');
      const kind = host.stat(path);
      if (kind === 'directory') {
        if (host.stat(`${path}/kernel.c`) !== 'file') problems.push(`"kernel" ${show(kernelRaw)} is a folder without a kernel.c (\`weensy init\` writes one).`);
        else {
          workspace = path;
          kernel = `${path}/kernel.c`;
        }
      } else if (kind === 'file') {
        kernel = path;
        const slash = path.lastIndexOf('/');
        workspace = slash <= 0 ? '/' : path.slice(0, slash);
      } else {
        problems.push(`"kernel" ${show(kernelRaw)}: no such file or folder${cwd !== undefined || kernelRaw.startsWith('/') ? '' : ` (relative to ${host.absolute('.')})`}.`);
      }
      if (kernel !== undefined) kernelLabel = kernel;
    }
  } else if (cwd !== undefined && host.stat(`${cwd}/kernel.c`) === 'file') {
    workspace = cwd;
    kernel = `${cwd}/kernel.c`;
    kernelLabel = kernel;
  }

  let command: BootCommand | undefined;
  if (a.command !== undefined && a.command !== null && a.command !== '') {
    if (typeof a.command === 'string' && (BOOT_COMMANDS as readonly string[]).includes(a.command)) command = a.command as BootCommand;
    else problems.push(`"command" must be one of ${BOOT_COMMANDS.join(', ')} (got ${show(a.command)}); leave it out for the first boot (the four allocators).`);
  }

  const defines: Record<string, string> = {};
  const d = a.defines;
  if (d !== undefined && d !== null) {
    if (Array.isArray(d)) {
      for (const item of d) {
        if (typeof item !== 'string') {
          problems.push(`"defines" entries must be strings like "TICK_LIMIT=1000" (got ${show(item)}).`);
          continue;
        }
        const eq = item.indexOf('=');
        const name = (eq < 0 ? item : item.slice(0, eq)).trim();
        if (!IDENT.test(name)) problems.push(`"defines": ${show(item)} does not start with a macro name.`);
        else defines[name] = eq < 0 ? '1' : item.slice(eq + 1);
      }
    } else if (typeof d === 'object') {
      for (const [name, value] of Object.entries(d as Record<string, unknown>)) {
        if (!IDENT.test(name)) problems.push(`"defines": ${show(name)} is not a macro name.`);
        else if (typeof value === 'string') defines[name] = value;
        else if (typeof value === 'number' && Number.isFinite(value)) defines[name] = String(value);
        else if (typeof value === 'boolean') defines[name] = value ? '1' : '0';
        else problems.push(`"defines": the value of ${name} must be a string, a number or a boolean (got ${show(value)}).`);
      }
    } else {
      problems.push(`"defines" must be an object like { "TICK_LIMIT": 1000 } or a list like ["TICK_LIMIT=1000"] (got ${show(d)}).`);
    }
  }

  let variant: WeensyVariant | undefined;
  if (a.variant !== undefined && a.variant !== null) {
    if (typeof a.variant === 'string' && (VARIANTS as readonly string[]).includes(a.variant)) variant = a.variant as WeensyVariant;
    else problems.push(`"variant" must be one of ${VARIANTS.join(', ')} (got ${show(a.variant)}).`);
  }

  let stopOnEntry: boolean | 'kernel' | 'boot' = false;
  if (a.stopOnEntry !== undefined && a.stopOnEntry !== null) {
    if (typeof a.stopOnEntry === 'boolean' || a.stopOnEntry === 'kernel' || a.stopOnEntry === 'boot') stopOnEntry = a.stopOnEntry;
    else problems.push(`"stopOnEntry" must be true, false, "kernel" or "boot" (got ${show(a.stopOnEntry)}).`);
  }

  let instructionsPerTick: number | undefined;
  if (a.instructionsPerTick !== undefined && a.instructionsPerTick !== null) {
    const n = a.instructionsPerTick;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1_000_000_000) instructionsPerTick = n;
    else problems.push(`"instructionsPerTick" must be a whole number from 1 to 1000000000 (got ${show(n)}).`);
  }

  let logFile: string | undefined;
  const logRaw = optString('logFile');
  if (logRaw !== undefined) {
    logFile = host.absolute(logRaw, cwd);
    const slash = logFile.lastIndexOf('/');
    const dir = slash <= 0 ? '/' : logFile.slice(0, slash);
    if (host.stat(logFile) === 'directory') problems.push(`"logFile" ${show(logRaw)} is a folder; name a file.`);
    else if (host.stat(dir) !== 'directory') problems.push(`"logFile" ${show(logRaw)}: the folder ${dir} does not exist.`);
  }

  let jit: boolean | undefined;
  if (a.jit !== undefined && a.jit !== null) {
    if (typeof a.jit === 'boolean') jit = a.jit;
    else problems.push(`"jit" must be true or false (got ${show(a.jit)}).`);
  }

  if (problems.length > 0) {
    return { ok: false, message: `The WeensyOS launch configuration is not valid: ${problems.join(' ')}` };
  }
  return {
    ok: true,
    plan: {
      workspace, kernelLabel, defines, stopOnEntry, warnings, noDebug: a.noDebug === true,
      ...(kernel !== undefined ? { kernel } : {}),
      ...(command !== undefined ? { command } : {}),
      ...(variant !== undefined ? { variant } : {}),
      ...(instructionsPerTick !== undefined ? { instructionsPerTick } : {}),
      ...(logFile !== undefined ? { logFile } : {}),
      ...(jit !== undefined ? { jit } : {}),
    },
  };
}
