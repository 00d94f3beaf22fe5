// Debug-console commands, for what C expressions cannot say:
//   .walk VA [pid]   the page walk of VA drawn level by level
//   .pte VA [pid]    the leaf entry for VA (or the entry where the walk stops)
//   .pageinfo PN     pageinfo[PN] and every mapping of that physical page
//   .screen          the CGA console as text
//   .log [N]         the last N lines of the WeensyOS log (when the session keeps one)
//   .help

import { consoleText, readConsole } from '../../console';
import { hex } from '../../machine/hex';
import type { Machine } from '../../machine/machine';
import { auditPages } from '../../weensyos/page-audit';
import type { InspectBuild } from './frame-context';
import { kernelView } from './kernel-view';
import { ownerText } from './page-entries';
import { translate, type TranslateTarget } from './translate';

export interface ConsoleCommandOptions {
  /** The WeensyOS log so far (parallel port output), if the session keeps it. */
  readonly log?: string;
}

export type ConsoleCommandResult = { readonly ok: true; readonly output: string } | { readonly ok: false; readonly error: string };

const HELP = [
  '.walk VA [pid]   the page walk of VA (in process pid, default the current address space), level by level',
  '.pte VA [pid]    the page-table entry that maps VA',
  '.pageinfo PN     pageinfo[PN] and every mapping of physical page PN',
  '.screen          the console screen as text',
  '.log [N]         the last N lines of the log (default 20)',
  'Anything else is a C expression; start it with [pid N], [cr3 0x...], [phys] or [kernel] to read through another address space.',
].join('\n');

/** True for a line the console should hand to runConsoleCommand. */
export function isConsoleCommand(line: string): boolean {
  return /^\s*\.[a-z]/.test(line);
}

function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return undefined;
  return Number(t);
}

/** Runs one command; never throws. */
export function runConsoleCommand(machine: Machine, build: InspectBuild, line: string, options: ConsoleCommandOptions = {}): ConsoleCommandResult {
  try {
    const [cmd, ...args] = line.trim().split(/\s+/);
    switch (cmd) {
      case '.help':
        return { ok: true, output: HELP };
      case '.walk':
      case '.pte':
        return walkCommand(machine, build, cmd, args);
      case '.pageinfo':
        return pageinfoCommand(machine, build, args);
      case '.screen':
        return { ok: true, output: consoleText(readConsole(machine.memory)).join('\n').trimEnd() };
      case '.log': {
        if (options.log === undefined) return { ok: false, error: 'no log is kept for this session' };
        const n = parseNumber(args[0]) ?? 20;
        const lines = options.log.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        return { ok: true, output: lines.slice(-n).join('\n') };
      }
      default:
        return { ok: false, error: `unknown command ${cmd}; commands:\n${HELP}` };
    }
  } catch (e) {
    return { ok: false, error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function walkCommand(machine: Machine, build: InspectBuild, cmd: string, args: string[]): ConsoleCommandResult {
  const va = parseNumber(args[0]);
  if (va === undefined) return { ok: false, error: `usage: ${cmd} VA [pid]  (VA in hex like 0x2ff000, or decimal)` };
  let target: TranslateTarget | undefined;
  if (args[1] !== undefined) {
    const pid = parseNumber(args[1]);
    if (pid === undefined) return { ok: false, error: `'${args[1]}' is not a pid` };
    target = { pid };
  }
  const r = translate(machine, build, va, target);
  if (!r.ok) return { ok: false, error: r.error };
  const t = r.translation;
  if (cmd === '.pte') {
    const s = t.steps[t.steps.length - 1];
    if (!s) return { ok: true, output: 'paging is off: addresses are physical' };
    const lines = [
      `${s.levelName} entry ${s.index} for ${hex(va)} in ${t.space}`,
      `  entry address  ${hex(s.entryAddress)}`,
      `  value          ${s.raw}`,
      `  flags          ${s.flagsText}`,
      `  address        ${hex(s.pa)}${s.owner !== undefined && s.decision !== 'not-present' ? ` (${ownerText(s.owner)})` : ''}`,
      t.message,
    ];
    return { ok: true, output: lines.join('\n') };
  }
  const [i1, i2, i3, i4] = t.indices;
  const lines = [
    `Walk of ${hex(va)} in ${t.space} (CR3 ${hex(t.cr3)}): L1 index ${i1}, L2 index ${i2}, L3 index ${i3}, L4 index ${i4}, offset ${hex(t.offset)}`,
    ...t.steps.map((s) => `  ${s.text}`),
    t.ok ? t.message : `Fails at ${t.steps[t.failedLevel ?? 0]?.levelName ?? 'L1'}: ${t.message}`,
  ];
  return { ok: true, output: lines.join('\n') };
}

function pageinfoCommand(machine: Machine, build: InspectBuild, args: string[]): ConsoleCommandResult {
  const pn = parseNumber(args[0]);
  if (pn === undefined) return { ok: false, error: 'usage: .pageinfo PN  (a physical page number, e.g. 0x100 or 256)' };
  const view = kernelView(machine, build);
  const pages = machine.memory.size / 4096;
  if (pn >= pages) return { ok: false, error: `page ${pn} is beyond physical memory (${pages} pages)` };
  const info = view.state.pageinfo?.[pn];
  const audit = auditPages(machine.memory, view.state);
  const maps = audit.mappedBy.get(pn) ?? [];
  const perm = (p: number): string => ['P', p & 2 ? 'W' : '', p & 4 ? 'U' : ''].filter(Boolean).join('|');
  const lines = [
    `pageinfo[${pn}] (physical page ${hex(pn * 4096)}): ${info ? `owner ${info.owner} (${ownerText(info.owner)}), refcount ${info.refcount}` : 'the kernel has no pageinfo array the debugger can read'}`,
    maps.length === 0 ? '  mapped by no live process' : `  mapped by: ${maps.map((m) => `process ${m.pid} at ${hex(m.va)} (${perm(m.perm)})`).join(', ')}`,
    ...audit.findings.filter((f) => Math.floor(f.page / 4096) === pn).map((f) => `  ! ${f.message}`),
  ];
  return { ok: true, output: lines.join('\n') };
}
