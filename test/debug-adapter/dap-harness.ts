// Helpers for the debug adapter's tests: a DebugClient (from
// @vscode/debugadapter-testsupport) talking DAP over stdio to
// `node dist/debug-adapter.js`, which `npm test` builds first; launching
// with breakpoints set in the configuration phase; waiting for stops; and
// workspaces holding an edited kernel.c.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { expect } from 'vitest';

export const ROOT = resolve(__dirname, '..', '..');
export const ADAPTER = join(ROOT, 'dist', 'debug-adapter.js');
/** The shipped copies of the built-in WeensyOS files, which the adapter uses as their paths. */
export const BUILTIN = join(ROOT, 'runtime', 'weensyos');
/** Generous: each request may wait for seconds of emulation on a loaded two-core machine. */
export const WAIT = 240_000;
export const SLOW = { timeout: 600_000 };

export const INITIALIZE: DebugProtocol.InitializeRequestArguments = {
  adapterID: 'weensy', clientID: 'vitest', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true,
  supportsMemoryEvent: true, supportsInvalidatedEvent: true, supportsVariableType: true,
};

/** Starts an adapter process and initializes it. */
export async function startClient(): Promise<{ dc: DebugClient; capabilities: DebugProtocol.Capabilities; output: OutputLog }> {
  if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run \`npm run build\` first (npm test does).`);
  const dc = new DebugClient('node', ADAPTER, 'weensy', { cwd: ROOT });
  dc.defaultTimeout = WAIT;
  await dc.start();
  const output = new OutputLog(dc);
  const r = await dc.initializeRequest(INITIALIZE);
  return { dc, capabilities: r.body ?? {}, output };
}

/** Every output event, by category. */
export class OutputLog {
  readonly events: DebugProtocol.OutputEvent['body'][] = [];
  constructor(dc: DebugClient) {
    dc.on('output', (e: DebugProtocol.OutputEvent) => this.events.push(e.body));
  }
  text(category?: string): string {
    return this.events.filter((e) => category === undefined || e.category === category).map((e) => e.output).join('');
  }
}

export interface Setup {
  readonly breakpoints?: readonly { readonly path: string; readonly breakpoints: DebugProtocol.SourceBreakpoint[] }[];
  readonly functionBreakpoints?: DebugProtocol.FunctionBreakpoint[];
  readonly exceptions?: DebugProtocol.SetExceptionBreakpointsArguments;
}

export interface Launched {
  readonly breakpoints: DebugProtocol.Breakpoint[][];
  readonly functionBreakpoints: DebugProtocol.Breakpoint[];
}

/**
 * Launches with `config`, sets breakpoints in the configuration phase, and
 * sends configurationDone. Register waitForEvent('stopped') before calling
 * it when the first stop matters (stopOnEntry comes right after configurationDone).
 */
export async function launch(dc: DebugClient, config: Record<string, unknown>, setup: Setup = {}): Promise<Launched> {
  const initialized = dc.waitForEvent('initialized', WAIT);
  await dc.launchRequest({ type: 'weensy', request: 'launch', name: 'test', ...config } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const breakpoints: DebugProtocol.Breakpoint[][] = [];
  for (const b of setup.breakpoints ?? []) {
    const r = await dc.setBreakpointsRequest({ source: { path: b.path }, breakpoints: b.breakpoints });
    breakpoints.push(r.body.breakpoints);
  }
  let functionBreakpoints: DebugProtocol.Breakpoint[] = [];
  if (setup.functionBreakpoints) functionBreakpoints = (await dc.setFunctionBreakpointsRequest({ breakpoints: setup.functionBreakpoints })).body.breakpoints;
  await dc.setExceptionBreakpointsRequest(setup.exceptions ?? { filters: ['pagefault-kernel', 'gpf', 'triple-fault', 'panic'] });
  await dc.configurationDoneRequest();
  return { breakpoints, functionBreakpoints };
}

export type Stopped = DebugProtocol.StoppedEvent['body'];

/** The next stopped event's body. */
export async function nextStop(dc: DebugClient): Promise<Stopped> {
  const e = (await dc.waitForEvent('stopped', WAIT)) as DebugProtocol.StoppedEvent;
  return e.body;
}

/** Sends a request that makes the machine run, and waits for the stop it ends in. */
export async function runToStop(dc: DebugClient, run: () => Promise<unknown>): Promise<Stopped> {
  const stopped = nextStop(dc);
  await run();
  return stopped;
}

export async function frames(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

/** "name file:line" of a thread's top frame. */
export async function where(dc: DebugClient, threadId: number): Promise<string> {
  const f = (await frames(dc, threadId))[0]!;
  return `${f.name} ${f.source?.name ?? '?'}:${f.line}`;
}

/** The variables of the scope called `scope` of a frame, by name. */
export async function scopeVariables(dc: DebugClient, frameId: number, scope: string): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const s = scopes.find((x) => x.name === scope);
  expect(s, `scope ${scope} among ${scopes.map((x) => x.name).join(', ')}`).toBeDefined();
  const vars = (await dc.variablesRequest({ variablesReference: s!.variablesReference })).body.variables;
  return new Map(vars.map((v) => [v.name, v]));
}

/** The error message of a request that must fail. */
export async function errorOf(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  expect.fail('the request succeeded but should have failed');
}

/** A workspace folder holding `kernel.c` with the given text; removed by the returned function. */
export function workspaceWith(kernelText: string): { dir: string; kernel: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'weensy-dap-'));
  const kernel = join(dir, 'kernel.c');
  writeFileSync(kernel, kernelText);
  return { dir, kernel, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Ends the adapter (it must still be answering: disconnect is a request). */
export async function stop(dc: DebugClient): Promise<void> {
  await dc.stop();
}
