// Helpers for the debug-session tests: launching the reference kernel or an
// edited one (a workspace kernel.c), running to the next stop, and reading
// where the machine stopped.

import { expect } from 'vitest';
import {
  DebugSession, formatDiagnostic,
  type LaunchOptions, type SessionEvent, type StackFrameRecord,
} from '../../emulator/index';

export const WORKSPACE = '/lab';

export { editedKernel } from '../weensyos/kernel-edits';

export interface LaunchSpec extends Partial<Omit<LaunchOptions, 'host'>> {
  /** A workspace kernel.c (default: the reference kernel, built in). */
  readonly kernelText?: string;
  /** Other workspace files by name (p-allocator.c ...), replacing the built-in ones. */
  readonly files?: Readonly<Record<string, string>>;
}

/** Launches a session (failing the test on build errors). */
export function launch(spec: LaunchSpec = {}): DebugSession {
  const files = new Map<string, string>();
  if (spec.kernelText !== undefined) files.set(`${WORKSPACE}/kernel.c`, spec.kernelText);
  for (const [name, text] of Object.entries(spec.files ?? {})) files.set(`${WORKSPACE}/${name}`, text);
  const { kernelText, files: extra, ...rest } = spec;
  void kernelText;
  void extra;
  const r = DebugSession.launch({ host: { readFile: (p) => files.get(p) }, ...(files.size > 0 ? { workspace: WORKSPACE } : {}), ...rest });
  if (!r.ok) expect.fail(`${r.message}\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return r.session;
}

export type Stopped = Extract<SessionEvent, { kind: 'stopped' }>;

/** Runs until the session stops; returns the stop event (and every event). */
export function runToStop(s: DebugSession, first: readonly SessionEvent[] = [], maxSlices = 500, slice?: number): { stop: Stopped; events: SessionEvent[] } {
  const events = [...first, ...s.runUntilStop(maxSlices, slice)];
  const stop = events.filter((e): e is Stopped => e.kind === 'stopped').at(-1);
  if (!stop) expect.fail(`no stop; events: ${JSON.stringify(events.filter((e) => e.kind !== 'output')).slice(0, 2000)}`);
  return { stop, events };
}

export function startToStop(s: DebugSession): { stop: Stopped; events: SessionEvent[] } {
  return runToStop(s, s.start());
}

export function continueToStop(s: DebugSession): { stop: Stopped; events: SessionEvent[] } {
  return runToStop(s, s.continue());
}

/** The stopped thread's frames. */
export function frames(s: DebugSession, threadId: number): StackFrameRecord[] {
  return s.stackTrace(threadId).frames;
}

/** "name file:line" of the stopped thread's top frame. */
export function where(s: DebugSession, stop: Stopped): string {
  const top = frames(s, stop.threadId)[0]!;
  return `${top.name} ${baseName(top.source ?? '?')}:${top.line}`;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The 1-based line of the first line of `file`'s built-in text containing `text` (after the line containing `after`, if given). */
export function lineOf(fileText: string, text: string, after?: string): number {
  const lines = fileText.split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  expect(from, `a line with ${after}`).toBeGreaterThanOrEqual(0);
  const i = lines.findIndex((l, k) => k >= from && l.includes(text));
  expect(i, `a line with ${text}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

/** Output events' text of one category, joined. */
export function outputText(events: readonly SessionEvent[], category: 'console' | 'stdout' | 'important'): string {
  return events.map((e) => (e.kind === 'output' && e.category === category ? e.text : '')).join('');
}

/** For describe(): the runs take seconds each on a loaded machine. */
export const SLOW = { timeout: 180_000 };
