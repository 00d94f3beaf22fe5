// The WeensyScope debug adapter: DAP requests in, the runtime facade's
// DebugSession and inspection functions behind them, DAP responses and
// events out. It stays thin: what the machine does, and what a stop, a
// frame or a variable is, are the emulator's; this file translates records,
// does the adapter's I/O (files through the AdapterHost, the log file), and
// runs the machine in slices from the event loop so that requests such as
// pause are served while it runs.
//
// The same class runs inline in the extension host (the extension's
// DebugAdapterInlineImplementation) and as `node dist/debug-adapter.js` on
// stdin/stdout (main.ts).

import { DebugSession as DapSession, Event, InitializedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  DebugError, DebugSession, VariablesTable, frameOfScopeReference, consoleText, diffSnapshots, disassembleAround, evaluate, formatDiagnostic, inspectConditionEvaluator,
  isConsoleCommand, kernelView, readConsole, readMemory, runConsoleCommand, takeSnapshot, translate, writeMemory,
  type AddressSpace, type BreakpointResult, type DataBreakpointSpec, type Diagnostic, type ExceptionFilterId, type ExceptionFilterSpec,
  type FrameContext, type FunctionBreakpointSpec, type InstructionBreakpointSpec, type PanelSnapshot, type SessionEvent, type SourceBreakpointSpec,
  type StackFrameRecord, type StepGranularity, type TranslateTarget,
} from '../emulator/index';
import type { AdapterHost, LogSink } from './adapter-host';
import {
  isCustomCommand, type CustomArguments, type CustomCommand, type CustomEventMap, type CustomEventName, type CustomResponseBody, type LaunchDiagnostic,
} from './custom-requests';
import { planLaunch, type LaunchPlan } from './launch-config';
import { SourcePaths } from './source-paths';

/** Instructions per runSlice call, and how long the adapter runs slices before it lets the event loop serve requests. */
const SLICE_INSTRUCTIONS = 200_000;
const SLICE_MS = 30;
/** How much of the WeensyOS log the `.log` console command can show. */
const LOG_KEEP = 1 << 20;
/** Memory ranges a client read, refreshed with `memory` events after each stop. */
const MEMORY_WATCH = 16;

const ERR_USER = 2001;
const ERR_INTERNAL = 2002;
const ERR_LAUNCH = 3001;

type StopEvent = Extract<SessionEvent, { kind: 'stopped' }>;

/** Adapter breakpoint ids: stable across a restart's rebuild, mapped from the session's own ids. */
class BreakpointIds {
  private next = 1;
  private readonly fromSession = new Map<number, number>();

  /** Adapter ids for a set request's results, reusing `previous` ids position by position. */
  assign(results: readonly BreakpointResult[], previous?: readonly number[]): number[] {
    return results.map((r, i) => {
      const id = previous?.[i] ?? this.next++;
      this.fromSession.set(r.id, id);
      return id;
    });
  }

  fresh(): number {
    return this.next++;
  }

  adapterId(sessionId: number): number | undefined {
    return this.fromSession.get(sessionId);
  }
}

/** A data breakpoint target, encoded in a dataId. */
type DataTarget =
  | { readonly space: 'physical'; readonly address: number; readonly size: number }
  | { readonly space: 'virtual'; readonly cr3: number; readonly address: number; readonly size: number };

function encodeDataId(t: DataTarget): string {
  return t.space === 'physical' ? `physical:${hexOf(t.address)}:${t.size}` : `virtual:${hexOf(t.cr3)}:${hexOf(t.address)}:${t.size}`;
}

function decodeDataId(id: string): DataTarget | undefined {
  let m = /^physical:(0x[0-9a-f]+):(\d+)$/.exec(id);
  if (m) return { space: 'physical', address: Number(m[1]), size: Number(m[2]) };
  m = /^virtual:(0x[0-9a-f]+):(0x[0-9a-f]+):(\d+)$/.exec(id);
  if (m) return { space: 'virtual', cr3: Number(m[1]), address: Number(m[2]), size: Number(m[3]) };
  return undefined;
}

function hexOf(n: number): string {
  return `0x${n.toString(16)}`;
}

/** A number from JSON or text: 123, "123", "0x7b". */
function parseAddress(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface StoredSet<S> {
  specs: S[];
  ids: number[];
}

export class WeensyDebugSession extends DapSession {
  private client: DebugProtocol.InitializeRequestArguments = { adapterID: 'weensy' };
  private plan: LaunchPlan | undefined;
  private s: DebugSession | undefined;
  private paths: SourcePaths | undefined;
  private readonly table = new VariablesTable();
  private configured = false;
  private started = false;
  private disposed = false;
  private terminatedSent = false;
  private pumpScheduled = false;
  private log: LogSink | undefined;
  private logText = '';
  private lastScreen = '';

  private readonly ids = new BreakpointIds();
  private readonly sourceBps = new Map<string, StoredSet<SourceBreakpointSpec>>();
  private functionBps: StoredSet<FunctionBreakpointSpec> = { specs: [], ids: [] };
  private instructionBps: StoredSet<InstructionBreakpointSpec> = { specs: [], ids: [] };
  private dataBps: StoredSet<DebugProtocol.DataBreakpoint> = { specs: [], ids: [] };
  private filters: ExceptionFilterSpec[] | undefined;

  private readonly memoryWatch = new Map<string, { offset: number; count: number }>();
  private keepSnapshots = false;
  private snapshots: { previous?: PanelSnapshot; last?: PanelSnapshot } = {};

  constructor(private readonly host: AdapterHost) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ------------------------------------------------------------ plumbing

  /** Runs a request handler; a DebugError or any other exception becomes an error response, never a crash. */
  private guard(response: DebugProtocol.Response, body: () => void, showUser = true): void {
    try {
      body();
    } catch (e) {
      if (e instanceof DebugError) this.fail(response, e.userMessage, showUser);
      else this.fail(response, `WeensyScope internal error: ${errorText(e)}`, true, ERR_INTERNAL);
    }
  }

  private fail(response: DebugProtocol.Response, message: string, showUser = true, id = ERR_USER): void {
    this.sendErrorResponse(response, { id, format: message, showUser });
  }

  private session(): DebugSession {
    if (!this.s) throw new DebugError('No WeensyOS machine is running: the launch did not happen or failed.');
    return this.s;
  }

  private stoppedSession(): DebugSession {
    const s = this.session();
    if (s.terminated) throw new DebugError('The WeensyOS session has ended.');
    if (s.running) throw new DebugError('The machine is running: pause it first.');
    return s;
  }

  private output(text: string, category: 'console' | 'stdout' | 'stderr' | 'important' = 'console', extra: Partial<DebugProtocol.OutputEvent['body']> = {}): void {
    this.sendEvent(new Event('output', { category, output: text, ...extra }));
  }

  private customEvent<E extends CustomEventName>(event: E, body: CustomEventMap[E]): void {
    this.sendEvent(new Event(event, body));
  }

  private toClientLine(line: number): number {
    return this.convertDebuggerLineToClient(line);
  }

  private toClientColumn(column: number): number {
    return this.convertDebuggerColumnToClient(column);
  }

  // ----------------------------------------------------- initialize, launch

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.client = args;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsClipboardContext: true,
      exceptionBreakpointFilters: DebugSession.exceptionFilters().map((f) => ({
        filter: f.filter, label: f.label, description: f.description, default: f.default,
        supportsCondition: f.supportsCondition, conditionDescription: f.conditionDescription,
      })),
      supportsExceptionFilterOptions: true,
      supportsExceptionInfoRequest: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      breakpointModes: [
        { mode: 'virtual', label: 'Virtual address', description: 'Watch the bytes a virtual address maps to now, in the address space of the frame (or the current one).', appliesTo: ['data'] },
        { mode: 'physical', label: 'Physical address', description: 'Watch physical memory directly.', appliesTo: ['data'] },
      ],
      supportsInstructionBreakpoints: true,
      supportsSteppingGranularity: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSetVariable: true,
      supportsDelayedStackTraceLoading: true,
      supportsLoadedSourcesRequest: true,
      supportsValueFormattingOptions: false,
    };
    this.sendResponse(response);
  }

  /** Builds the kernel for a plan; on failure, sends the diagnostics and returns the message. */
  private build(plan: LaunchPlan): { ok: true; session: DebugSession; diagnostics: readonly Diagnostic[] } | { ok: false; message: string } {
    const cache = new Map<string, string | undefined>();
    const host = {
      readFile: (path: string): string | undefined => {
        if (!cache.has(path)) cache.set(path, this.host.readFile(path));
        return cache.get(path);
      },
    };
    const r = DebugSession.launch({
      host,
      workspace: plan.workspace,
      ...(plan.kernel !== undefined ? { kernel: plan.kernel } : {}),
      ...(plan.command !== undefined ? { command: plan.command } : {}),
      defines: plan.defines,
      ...(plan.variant !== undefined ? { variant: plan.variant } : {}),
      stopOnEntry: plan.noDebug ? false : plan.stopOnEntry,
      ...(plan.instructionsPerTick !== undefined ? { instructionsPerTick: plan.instructionsPerTick } : {}),
      ...(plan.jit !== undefined ? { jit: plan.jit } : {}),
      evaluator: inspectConditionEvaluator,
    });
    if (!r.ok) {
      this.reportDiagnostics(r.diagnostics, new SourcePaths(this.host, r.diagnostics.map((d) => d.range.start.file)));
      return { ok: false, message: `${r.message}${r.diagnostics.length > 1 ? ' (all diagnostics are in the Debug Console)' : ''}` };
    }
    return { ok: true, session: r.session, diagnostics: r.session.build.diagnostics };
  }

  /** The compiler's diagnostics: gcc-format lines in the Debug Console, and a custom event for the Problems panel. */
  private reportDiagnostics(diagnostics: readonly Diagnostic[], paths: SourcePaths): void {
    const located = (file: string): string => paths.clientPath(file) ?? file;
    const list: LaunchDiagnostic[] = [];
    let text = '';
    for (const d of diagnostics) {
      const r = d.range;
      text += `${formatDiagnostic({
        ...d,
        range: { ...r, start: { ...r.start, file: located(r.start.file) } },
        ...(d.notes ? { notes: d.notes.map((n) => ({ ...n, range: { ...n.range, start: { ...n.range.start, file: located(n.range.start.file) } } })) } : {}),
      })}\n`;
      const path = paths.clientPath(r.start.file);
      list.push({
        ...(path !== undefined ? { path } : {}), file: r.start.file, line: r.start.line, column: r.start.column,
        endLine: r.end.line, endColumn: r.end.line === r.start.line ? Math.max(r.end.column, r.start.column + 1) : r.end.column,
        severity: d.severity, message: d.message,
      });
    }
    if (text !== '') this.output(text, d0(diagnostics)?.severity === 'error' ? 'stderr' : 'console');
    this.customEvent('weensy/diagnostics', { diagnostics: list });
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    this.guard(response, () => {
      if (this.s) throw new DebugError('This session has already launched a kernel.');
      const r = planLaunch(args, this.host);
      if (!r.ok) {
        this.fail(response, r.message, true, ERR_LAUNCH);
        return;
      }
      const plan = r.plan;
      for (const w of plan.warnings) this.output(`${w}\n`, 'important');
      const built = this.build(plan);
      if (!built.ok) {
        this.fail(response, built.message, true, ERR_LAUNCH);
        return;
      }
      this.adopt(plan, built.session, built.diagnostics);
      // Run Without Debugging: nothing stops it, not even the default exception filters.
      if (plan.noDebug) built.session.setExceptionFilters([]);
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  /** Makes a freshly built session the current one (launch, restart). */
  private adopt(plan: LaunchPlan, session: DebugSession, diagnostics: readonly Diagnostic[]): void {
    this.plan = plan;
    this.s = session;
    this.paths = new SourcePaths(this.host, new Set([...session.sourceFiles(), ...session.build.sources]));
    this.reportDiagnostics(diagnostics, this.paths);
    this.table.reset();
    this.started = false;
    this.terminatedSent = false;
    this.lastScreen = '';
    this.snapshots = {};
    this.logText = '';
    this.log?.close();
    this.log = undefined;
    if (plan.logFile !== undefined) {
      const sink = this.host.openLog(plan.logFile);
      if (typeof sink === 'string') this.output(`${sink}\n`, 'important');
      else this.log = sink;
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, () => {
      this.configured = true;
      this.sendResponse(response);
      this.startMachine();
    });
  }

  private startMachine(): void {
    const s = this.s;
    const plan = this.plan;
    if (!s || !plan || this.started || !this.configured) return;
    this.started = true;
    const what = `${plan.kernelLabel}${plan.command ? ` with command ${plan.command}` : ''}`;
    this.output(`WeensyScope: booting ${what}. Debug console: C expressions, or .help for the commands.\n`);
    this.deliver(s.start());
    this.schedule();
  }

  // --------------------------------------------------------------- running

  private schedule(): void {
    if (this.pumpScheduled || this.disposed) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  /** Runs slices for up to SLICE_MS, delivers what happened, and comes back later while the machine runs. */
  private pump(): void {
    this.pumpScheduled = false;
    const s = this.s;
    if (!s || !s.running || this.disposed) return;
    const until = performance.now() + SLICE_MS;
    const events: SessionEvent[] = [];
    try {
      do events.push(...s.runSlice(SLICE_INSTRUCTIONS));
      while (s.running && performance.now() < until);
    } catch (e) {
      events.push({ kind: 'output', category: 'important', text: `WeensyScope internal error while running the machine: ${errorText(e)}\n` });
      try {
        events.push(...s.pause());
      } catch {
        events.push(...s.terminate());
      }
    }
    this.deliver(events);
    if (s.running && this.s === s) this.schedule();
  }

  /** Sends a session's events as DAP events. */
  private deliver(events: readonly SessionEvent[]): void {
    let pending: { category: string; text: string } | undefined;
    const flush = (): void => {
      if (pending) this.output(pending.text, pending.category as 'console');
      pending = undefined;
    };
    for (const e of events) {
      if (e.kind === 'output') {
        if (e.category === 'stdout') this.onLog(e.text);
        if (pending && pending.category === e.category) pending.text += e.text;
        else {
          flush();
          pending = { category: e.category, text: e.text };
        }
        continue;
      }
      flush();
      switch (e.kind) {
        case 'stopped':
          this.onStopped(e);
          break;
        case 'continued':
          // The client knows: every run starts with one of its requests.
          break;
        case 'exited':
          this.showScreen('at exit');
          this.sendEvent(new Event('exited', { exitCode: e.exitCode }));
          break;
        case 'terminated':
          if (!this.terminatedSent) {
            this.terminatedSent = true;
            this.log?.close();
            this.log = undefined;
            this.sendEvent(new Event('terminated'));
          }
          break;
        case 'invalidated':
          this.table.reset();
          if (this.client.supportsInvalidatedEvent) this.sendEvent(new Event('invalidated', { areas: [...e.areas] }));
          break;
        case 'thread':
          this.sendEvent(new Event('thread', { reason: e.reason, threadId: e.threadId }));
          break;
        case 'breakpoint': {
          const id = this.ids.adapterId(e.breakpoint.id);
          if (id !== undefined) this.sendEvent(new Event('breakpoint', { reason: e.reason, breakpoint: this.toDapBreakpoint(e.breakpoint, id) }));
          break;
        }
      }
    }
    flush();
  }

  private onLog(text: string): void {
    this.log?.write(text);
    this.logText += text;
    if (this.logText.length > LOG_KEEP) this.logText = this.logText.slice(this.logText.length - LOG_KEEP / 2);
  }

  private onStopped(e: StopEvent): void {
    this.table.reset();
    // Not after each step: stepping would fill the console with screens.
    if (e.reason !== 'step') this.showScreen(`at instruction ${e.icount}`);
    if (this.keepSnapshots && this.s) {
      this.snapshots = { ...(this.snapshots.last ? { previous: this.snapshots.last } : {}), last: takeSnapshot(this.s.machine, this.s.build) };
    }
    const hit = e.hitBreakpointIds.map((id) => this.ids.adapterId(id)).filter((id): id is number => id !== undefined);
    this.sendEvent(new Event('stopped', {
      reason: e.reason, description: e.description, threadId: e.threadId, allThreadsStopped: true,
      ...(e.text !== undefined ? { text: e.text } : {}),
      ...(hit.length > 0 ? { hitBreakpointIds: hit } : {}),
    }));
    if (this.client.supportsMemoryEvent) {
      for (const [memoryReference, r] of this.memoryWatch) this.sendEvent(new Event('memory', { memoryReference, offset: r.offset, count: r.count }));
    }
  }

  /** The CGA console's text as a collapsed group in the Debug Console, when it changed. */
  private showScreen(when: string): void {
    if (!this.s) return;
    let text: string;
    try {
      text = consoleText(readConsole(this.s.machine.memory)).map((l) => l.trimEnd()).join('\n').trimEnd();
    } catch {
      return;
    }
    if (text === this.lastScreen || text === '') return;
    this.lastScreen = text;
    this.output(`WeensyOS screen ${when}\n`, 'console', { group: 'startCollapsed' });
    this.output(`${text}\n`, 'console');
    this.output('', 'console', { group: 'end' });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.guard(response, () => {
      const events = this.session().continue();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      this.deliver(events);
      this.schedule();
    });
  }

  private step(response: DebugProtocol.Response, kind: 'next' | 'stepIn' | 'stepOut', threadId: number, granularity: DebugProtocol.SteppingGranularity | undefined): void {
    this.guard(response, () => {
      const s = this.stoppedSession();
      const g: StepGranularity = granularity === 'instruction' ? 'instruction' : 'line';
      const events = kind === 'next' ? s.next(threadId, g) : kind === 'stepIn' ? s.stepIn(threadId, g) : s.stepOut(threadId, g);
      this.sendResponse(response);
      this.deliver(events);
      this.schedule();
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.step(response, 'next', args.threadId, args.granularity);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.step(response, 'stepIn', args.threadId, args.granularity);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.step(response, 'stepOut', args.threadId, args.granularity);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, () => {
      const events = this.session().pause();
      this.sendResponse(response);
      this.deliver(events);
    });
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.guard(response, () => {
      if (!this.s || !this.plan) throw new DebugError('There is nothing to restart: the kernel was not launched.');
      let plan = this.plan;
      if (args.arguments !== undefined) {
        const r = planLaunch(args.arguments, this.host);
        if (!r.ok) {
          this.fail(response, r.message, true, ERR_LAUNCH);
          return;
        }
        plan = r.plan;
      }
      // Rebuild, so that an edited kernel.c is what restarts.
      const built = this.build(plan);
      if (!built.ok) {
        this.fail(response, `${built.message} The previous build keeps running.`, true, ERR_LAUNCH);
        return;
      }
      const old = this.s;
      if (!old.terminated) old.terminate();
      this.adopt(plan, built.session, built.diagnostics);
      this.reapplyBreakpoints();
      if (plan.noDebug) built.session.setExceptionFilters([]);
      if (this.client.supportsInvalidatedEvent) this.sendEvent(new Event('invalidated', { areas: ['all'] }));
      this.sendResponse(response);
      this.startMachine();
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.guard(response, () => {
      const events = this.s ? this.s.terminate() : [];
      this.sendResponse(response);
      this.deliver(events);
      if (!this.s && !this.terminatedSent) {
        this.terminatedSent = true;
        this.sendEvent(new Event('terminated'));
      }
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.disposed = true;
    try {
      if (this.s && !this.s.terminated) this.s.terminate();
    } catch {
      // ending anyway
    }
    this.log?.close();
    this.log = undefined;
    super.disconnectRequest(response, args, request);
  }

  // ----------------------------------------------------------- breakpoints

  private toDapBreakpoint(r: BreakpointResult, id: number): DebugProtocol.Breakpoint {
    return {
      id, verified: r.verified,
      ...(r.message !== undefined ? { message: r.message } : {}),
      ...(r.source !== undefined && this.paths ? { source: this.paths.toClient(r.source) } : {}),
      ...(r.line !== undefined ? { line: this.toClientLine(r.line) } : {}),
      ...(r.column !== undefined && r.column > 0 ? { column: this.toClientColumn(r.column) } : {}),
      ...(r.instructionReference !== undefined ? { instructionReference: r.instructionReference } : {}),
    };
  }

  private reapplyBreakpoints(): void {
    const s = this.session();
    const changed: DebugProtocol.Breakpoint[] = [];
    const again = (results: readonly BreakpointResult[], stored: StoredSet<unknown>): void => {
      const ids = this.ids.assign(results, stored.ids);
      stored.ids = ids;
      results.forEach((r, i) => changed.push(this.toDapBreakpoint(r, ids[i]!)));
    };
    for (const [path, stored] of this.sourceBps) again(s.setBreakpoints(path, stored.specs), stored);
    again(s.setFunctionBreakpoints(this.functionBps.specs), this.functionBps);
    again(s.setInstructionBreakpoints(this.instructionBps.specs), this.instructionBps);
    if (this.filters) s.setExceptionFilters(this.filters);
    const data = this.dataBreakpointResults(this.dataBps.specs, this.dataBps.ids);
    this.dataBps.ids = data.map((b) => b.id!);
    changed.push(...data);
    for (const bp of changed) this.sendEvent(new Event('breakpoint', { reason: 'changed', breakpoint: bp }));
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      const s = this.session();
      const path = this.paths?.toBuild(args.source);
      const list: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      if (path === undefined) {
        response.body = { breakpoints: list.map(() => ({ id: this.ids.fresh(), verified: false, message: 'This source is not part of the WeensyOS build.' })) };
        this.sendResponse(response);
        return;
      }
      const specs: SourceBreakpointSpec[] = list.map((b) => ({
        line: this.convertClientLineToDebugger(b.line),
        ...(b.column !== undefined ? { column: this.convertClientColumnToDebugger(b.column) } : {}),
        ...(b.condition ? { condition: b.condition } : {}),
        ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
        ...(b.logMessage !== undefined ? { logMessage: b.logMessage.replace(/\n$/, '') } : {}),
      }));
      const results = s.setBreakpoints(path, specs);
      const ids = this.ids.assign(results);
      if (specs.length === 0) this.sourceBps.delete(path);
      else this.sourceBps.set(path, { specs, ids });
      response.body = { breakpoints: results.map((r, i) => this.toDapBreakpoint(r, ids[i]!)) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      const specs: FunctionBreakpointSpec[] = (args.breakpoints ?? []).map((b) => ({
        name: String(b.name),
        ...(b.condition ? { condition: b.condition } : {}),
        ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
      }));
      const results = this.session().setFunctionBreakpoints(specs);
      const ids = this.ids.assign(results);
      this.functionBps = { specs, ids };
      response.body = { breakpoints: results.map((r, i) => this.toDapBreakpoint(r, ids[i]!)) };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      const specs: InstructionBreakpointSpec[] = (args.breakpoints ?? []).map((b) => ({
        instructionReference: String(b.instructionReference),
        ...(b.offset !== undefined ? { offset: b.offset } : {}),
        ...(b.condition ? { condition: b.condition } : {}),
        ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
      }));
      const results = this.session().setInstructionBreakpoints(specs);
      const ids = this.ids.assign(results);
      this.instructionBps = { specs, ids };
      response.body = { breakpoints: results.map((r, i) => this.toDapBreakpoint(r, ids[i]!)) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      const s = this.session();
      const known = new Set<string>(DebugSession.exceptionFilters().map((f) => f.filter));
      const chosen = new Map<ExceptionFilterId, ExceptionFilterSpec>();
      const answers: DebugProtocol.Breakpoint[] = [];
      const take = (filterId: string, condition: string | undefined): void => {
        if (!known.has(filterId)) {
          answers.push({ verified: false, message: `No exception filter ${filterId}: the filters are ${[...known].join(', ')}.` });
          return;
        }
        const id = filterId as ExceptionFilterId;
        chosen.set(id, { filterId: id, ...(condition !== undefined && condition.trim() !== '' ? { condition } : {}) });
        answers.push({ verified: true });
      };
      for (const f of args.filters ?? []) take(String(f), undefined);
      for (const o of args.filterOptions ?? []) take(String(o.filterId), o.condition);
      const specs = [...chosen.values()];
      if (!this.plan?.noDebug) s.setExceptionFilters(specs);
      this.filters = specs;
      response.body = { breakpoints: answers };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      const s = this.stoppedSession();
      const none = (description: string): void => {
        response.body = { dataId: null, description };
        this.sendResponse(response);
      };
      let target: DataTarget;
      let what: string;
      if (args.asAddress) {
        const size = args.bytes ?? 1;
        if (!Number.isInteger(size) || size < 1 || size > 4096) return none(`Cannot watch ${size} bytes: watch 1 to 4096.`);
        const ref = args.name.trim();
        const pm = /^p:(0x[0-9a-fA-F]+|\d+)$/.exec(ref);
        const vm = /^v:(0x[0-9a-fA-F]+|\d+):(0x[0-9a-fA-F]+|\d+)$/.exec(ref);
        const address = pm ? Number(pm[1]) : vm ? Number(vm[2]) : parseAddress(ref);
        if (address === undefined) return none(`'${args.name}' is not an address (use 0x2ff000, a decimal number, p:0x... or v:0xCR3:0xVA).`);
        if (pm || args.mode === 'physical') {
          target = { space: 'physical', address, size };
        } else {
          const ctx = args.frameId !== undefined ? this.frameContext(args.frameId) : s.topContext();
          const cr3 = vm ? Number(vm[1]) : ctx.cr3;
          target = ctx.paging || vm ? { space: 'virtual', cr3, address, size } : { space: 'physical', address, size };
        }
        what = target.space === 'physical' ? `physical ${hexOf(address)}` : `virtual ${hexOf(address)} (page table ${hexOf(target.cr3)})`;
        what = `${size} byte${size > 1 ? 's' : ''} at ${what}`;
      } else if (args.variablesReference !== undefined && args.variablesReference !== 0) {
        const r = this.table.dataLocation(args.variablesReference, args.name);
        if (!r.ok) return none(`No data breakpoint: ${r.error}.`);
        const loc = r.location;
        const size = args.bytes ?? loc.size;
        target = asTarget(loc.space, loc.address, size);
        what = `${loc.description} (${size} byte${size > 1 ? 's' : ''} at ${loc.space.kind === 'physical' ? 'physical' : 'virtual'} ${hexOf(loc.address)})`;
      } else {
        // An expression: its address and size, in the frame's address space.
        const ctx = args.frameId !== undefined ? this.frameContext(args.frameId) : s.topContext();
        const addr = evaluate(ctx, `&(${args.name})`);
        const size = evaluate(ctx, `sizeof(${args.name})`);
        if (!addr.ok || addr.scalar === undefined) return none(`No data breakpoint: ${addr.ok ? 'no address' : addr.error}.`);
        const n = args.bytes ?? (size.ok && size.scalar !== undefined ? Number(size.scalar) : 1);
        const space: AddressSpace = ctx.paging ? { kind: 'virtual', cr3: ctx.cr3, label: '' } : { kind: 'physical' };
        target = asTarget(space, Number(BigInt.asUintN(64, addr.scalar)), n);
        what = `${args.name} (${n} bytes at ${hexOf(target.address)})`;
      }
      if (target.size < 1 || target.size > 4096) return none(`Cannot watch ${target.size} bytes: watch 1 to 4096.`);
      response.body = { dataId: encodeDataId(target), description: `Writes to ${what}`, accessTypes: ['write'], canPersist: false };
      this.sendResponse(response);
    });
  }

  /** Resolves stored data breakpoints into session specs, sets them, and answers one DAP breakpoint per request entry. */
  private dataBreakpointResults(list: readonly DebugProtocol.DataBreakpoint[], previous?: readonly number[]): DebugProtocol.Breakpoint[] {
    const s = this.session();
    const specs: DataBreakpointSpec[] = [];
    const slots: ({ spec: number } | { message: string })[] = [];
    for (const b of list) {
      const t = decodeDataId(String(b.dataId));
      const access = b.accessType ?? 'write';
      const options = { ...(b.condition ? { condition: b.condition } : {}), ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}) };
      if (!t) {
        slots.push({ message: `'${b.dataId}' is not a WeensyScope data breakpoint id.` });
        continue;
      }
      if (t.space === 'physical') {
        specs.push({ address: t.address, size: t.size, space: 'physical', accessType: access, ...options });
        slots.push({ spec: specs.length - 1 });
        continue;
      }
      const resolved = this.virtualSpec(s, t, access);
      if (typeof resolved === 'string') slots.push({ message: resolved });
      else {
        specs.push({ ...resolved, ...options });
        slots.push({ spec: specs.length - 1 });
      }
    }
    const results = s.setDataBreakpoints(specs);
    const ids = this.ids.assign(results, previous ? slots.map((x, i) => ('spec' in x ? previous[i] : undefined)).filter((x): x is number => x !== undefined) : undefined);
    return slots.map((x, i) => {
      if ('message' in x) return { id: previous?.[i] ?? this.ids.fresh(), verified: false, message: x.message };
      return this.toDapBreakpoint(results[x.spec]!, ids[x.spec]!);
    });
  }

  /** A virtual data breakpoint: in the space of the process using that page table, or at the physical bytes it maps to now. */
  private virtualSpec(s: DebugSession, t: Extract<DataTarget, { space: 'virtual' }>, accessType: DataBreakpointSpec['accessType']): DataBreakpointSpec | string {
    const m = s.machine;
    const base = { address: t.address, size: t.size, space: 'virtual' as const, accessType };
    const currentCr3 = m.cpu.cr3 - (m.cpu.cr3 % 4096);
    if ((m.cpu.cr0 & 0x80000000) !== 0 && currentCr3 === t.cr3) return base;
    const procs = kernelView(m, s.build).state.processes ?? [];
    const p = procs.find((q) => q.slot !== 0 && q.state !== 0 && q.pagetable === t.cr3);
    if (p) return { ...base, pid: p.pid };
    const first = translate(m, s.build, t.address, { cr3: t.cr3 });
    const last = translate(m, s.build, t.address + t.size - 1, { cr3: t.cr3 });
    if (!first.ok || !first.translation.ok || first.translation.pa === undefined) return `Virtual ${hexOf(t.address)} is not mapped by the page table at ${hexOf(t.cr3)}.`;
    if (!last.ok || !last.translation.ok || last.translation.pa !== first.translation.pa + t.size - 1) return `The range crosses a page boundary in a page table no process uses (${hexOf(t.cr3)}); use a physical data breakpoint.`;
    return { address: first.translation.pa, size: t.size, space: 'physical', accessType };
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      const list = args.breakpoints ?? [];
      const breakpoints = this.dataBreakpointResults(list);
      this.dataBps = { specs: [...list], ids: breakpoints.map((b) => b.id!) };
      response.body = { breakpoints };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.guard(response, () => {
      const info = this.session().exceptionInfo(args.threadId);
      const d = info.details;
      const lines = [
        ...(d.cr2 !== undefined ? [`CR2 = ${hexOf(d.cr2)}`] : []),
        ...(d.errorCode !== undefined ? [`error code = ${hexOf(d.errorCode)}${d.errorBits && d.errorBits.length > 0 ? ` (${d.errorBits.join(', ')})` : ''}`] : []),
        ...(d.walkStep !== undefined ? [`failing walk step: ${d.walkStep}`] : []),
        `rip = ${hexOf(d.rip)} (${d.user ? 'user' : 'kernel'} mode${d.pid !== undefined ? `, pid ${d.pid}` : ''})`,
      ];
      // VS Code titles the exception widget "Exception has occurred: <exceptionId>": the
      // filter's label reads better there than its id (which details.fullTypeName still names).
      const label = DebugSession.exceptionFilters().find((f) => f.filter === info.exceptionId)?.label ?? info.exceptionId;
      response.body = {
        exceptionId: label,
        description: info.description,
        breakMode: info.breakMode,
        details: { message: d.message, typeName: d.name, fullTypeName: `${d.name} (vector ${d.vector}; filter ${info.exceptionId})`, stackTrace: lines.join('\n') },
      };
      this.sendResponse(response);
    });
  }

  // ------------------------------------------------------------ inspection

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.guard(response, () => {
      const s = this.s;
      response.body = { threads: s && !s.terminated ? s.threads().map((t) => ({ id: t.id, name: t.name })) : [] };
      this.sendResponse(response);
    });
  }

  private toDapFrame(f: StackFrameRecord): DebugProtocol.StackFrame {
    const source = f.source !== undefined && this.paths ? this.paths.toClient(f.source) : undefined;
    return {
      id: f.id, name: f.name,
      ...(source ? { source } : {}),
      line: f.line > 0 ? this.toClientLine(f.line) : 0,
      column: f.column > 0 ? this.toClientColumn(f.column) : 0,
      instructionPointerReference: f.instructionPointerReference,
      presentationHint: f.presentationHint,
      ...(f.moduleName !== undefined ? { moduleId: f.moduleName } : {}),
    };
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      const r = this.stoppedSession().stackTrace(args.threadId, args.startFrame ?? 0, args.levels ?? 0);
      response.body = { stackFrames: r.frames.map((f) => this.toDapFrame(f)), totalFrames: r.totalFrames };
      this.sendResponse(response);
    });
  }

  private frameContext(frameId: number): FrameContext {
    const f = this.stoppedSession().frame(frameId);
    if (!f.context) throw new DebugError(`Frame ${frameId} marks a trap boundary (${f.name}); it has no variables.`);
    return f.context;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      const f = this.stoppedSession().frame(args.frameId);
      response.body = { scopes: f.context ? this.table.scopes(f.context, f.id).map((sc) => ({ ...sc })) : [] };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      const s = this.stoppedSession();
      // A frame's scope asked for before this stop's scopes request (the client kept the
      // previous stop's reference: scope references are stable per frame id): make them now.
      const frameId = frameOfScopeReference(args.variablesReference);
      if (frameId !== undefined && !this.table.has(args.variablesReference)) {
        const f = s.hasFrame(frameId) ? s.frame(frameId) : undefined;
        if (f?.context) this.table.scopes(f.context, f.id);
      }
      const r = this.table.variables(args.variablesReference, {
        ...(args.filter !== undefined ? { filter: args.filter } : {}),
        ...(args.start !== undefined ? { start: args.start } : {}),
        ...(args.count !== undefined && args.count > 0 ? { count: args.count } : {}),
      });
      if (!r.ok) throw new DebugError(capitalize(r.error));
      response.body = { variables: r.variables.map((v) => toDapVariable(v)) };
      this.sendResponse(response);
    }, false);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      this.stoppedSession();
      const r = this.table.setVariable(args.variablesReference, args.name, args.value);
      if (!r.ok) throw new DebugError(capitalize(r.error));
      const v = r.variable;
      response.body = {
        value: v.value, variablesReference: v.variablesReference,
        ...(v.type !== undefined ? { type: v.type } : {}),
        ...(v.namedVariables !== undefined ? { namedVariables: v.namedVariables } : {}),
        ...(v.indexedVariables !== undefined ? { indexedVariables: v.indexedVariables } : {}),
        ...(v.memoryReference !== undefined ? { memoryReference: v.memoryReference } : {}),
      };
      this.sendResponse(response);
      this.afterWrite();
    });
  }

  /** After memory changed under the client: refresh memory views and variables. */
  private afterWrite(written?: { memoryReference: string; offset: number; count: number }): void {
    if (this.client.supportsMemoryEvent) {
      if (written) this.sendEvent(new Event('memory', written));
      for (const [memoryReference, r] of this.memoryWatch) {
        if (memoryReference !== written?.memoryReference) this.sendEvent(new Event('memory', { memoryReference, offset: r.offset, count: r.count }));
      }
    }
    if (this.client.supportsInvalidatedEvent) this.sendEvent(new Event('invalidated', { areas: ['variables'] }));
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const s = this.session();
      const expression = String(args.expression ?? '');
      if (isConsoleCommand(expression)) {
        if (args.context === 'hover') throw new DebugError('Console commands run in the Debug Console.');
        const r = runConsoleCommand(s.machine, s.build, expression, { log: this.logText });
        if (!r.ok) throw new DebugError(r.error);
        response.body = { result: r.output, variablesReference: 0 };
        this.sendResponse(response);
        return;
      }
      if (expression.trim() === '') throw new DebugError('Type a C expression (current->p_pid, pageinfo[PAGENUMBER(0x100000)].owner), or .help for the commands.');
      if (s.running) throw new DebugError('The machine is running: pause it to evaluate C expressions (console commands such as .screen work while it runs).');
      const ctx = args.frameId !== undefined ? this.frameContext(args.frameId) : this.stoppedSession().topContext();
      const r = evaluate(ctx, expression, {}, this.table);
      if (!r.ok) throw new DebugError(r.error);
      response.body = {
        result: r.result, type: r.type, variablesReference: r.variablesReference,
        ...(r.namedVariables !== undefined ? { namedVariables: r.namedVariables } : {}),
        ...(r.indexedVariables !== undefined ? { indexedVariables: r.indexedVariables } : {}),
        ...(r.memoryReference !== undefined ? { memoryReference: r.memoryReference } : {}),
      };
      this.sendResponse(response);
    }, false);
  }

  /** The address space a bare address ("0x2ff000") is read in: the stopped CPU's. */
  private currentSpace(s: DebugSession): AddressSpace {
    const m = s.machine;
    if ((m.cpu.cr0 & 0x80000000) === 0) return { kind: 'physical' };
    return { kind: 'virtual', cr3: m.cpu.cr3 - (m.cpu.cr3 % 4096), label: 'the current address space' };
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      const s = this.session();
      const offset = args.offset ?? 0;
      const r = readMemory(s.machine, s.build, args.memoryReference, offset, args.count, this.currentSpace(s));
      if (!r.ok) throw new DebugError(capitalize(r.error));
      this.memoryWatch.delete(args.memoryReference);
      this.memoryWatch.set(args.memoryReference, { offset, count: args.count });
      if (this.memoryWatch.size > MEMORY_WATCH) this.memoryWatch.delete(this.memoryWatch.keys().next().value!);
      response.body = {
        address: r.address,
        ...(r.data.length > 0 ? { data: Buffer.from(r.data).toString('base64') } : { data: '' }),
        ...(r.unreadableBytes > 0 ? { unreadableBytes: r.unreadableBytes } : {}),
      };
      this.sendResponse(response);
    }, false);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, () => {
      const s = this.stoppedSession();
      const offset = args.offset ?? 0;
      if (typeof args.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(args.data)) throw new DebugError('writeMemory: data must be base64.');
      const bytes = new Uint8Array(Buffer.from(args.data, 'base64'));
      const r = writeMemory(s.machine, s.build, args.memoryReference, offset, bytes, args.allowPartial ?? false, this.currentSpace(s));
      if (!r.ok) throw new DebugError(capitalize(r.error));
      response.body = { offset: r.offset, bytesWritten: r.bytesWritten };
      this.sendResponse(response);
      this.table.reset();
      this.afterWrite({ memoryReference: args.memoryReference, offset, count: r.bytesWritten });
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, () => {
      const s = this.session();
      const r = disassembleAround(s.machine, s.build, args.memoryReference, args.offset ?? 0, args.instructionOffset ?? 0, args.instructionCount, this.currentSpace(s));
      if (!r.ok) throw new DebugError(capitalize(r.error));
      response.body = {
        instructions: r.instructions.map((d) => ({
          address: d.address, instruction: d.instruction,
          ...(d.instructionBytes !== undefined ? { instructionBytes: d.instructionBytes } : {}),
          ...(d.symbol !== undefined ? { symbol: d.symbol } : {}),
          ...(d.file !== undefined && this.paths ? { location: this.paths.toClient(d.file) } : {}),
          ...(d.line !== undefined ? { line: this.toClientLine(d.line) } : {}),
          ...(d.column !== undefined ? { column: this.toClientColumn(d.column) } : {}),
          ...(d.endLine !== undefined ? { endLine: this.toClientLine(d.endLine) } : {}),
          ...(d.endColumn !== undefined ? { endColumn: this.toClientColumn(d.endColumn) } : {}),
          ...(d.presentationHint !== undefined ? { presentationHint: d.presentationHint } : {}),
        })),
      };
      this.sendResponse(response);
    }, false);
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.guard(response, () => {
      const ref = args.source?.sourceReference ?? args.sourceReference;
      const text = ref > 0 && this.paths ? this.paths.text(ref) : undefined;
      if (text === undefined) {
        const p = args.source?.path !== undefined ? this.host.readFile(args.source.path) : undefined;
        if (p === undefined) throw new DebugError(`No source ${ref}.`);
        response.body = { content: p, mimeType: 'text/x-c' };
      } else {
        response.body = { content: text, mimeType: 'text/x-c' };
      }
      this.sendResponse(response);
    });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.guard(response, () => {
      response.body = { sources: this.paths ? this.paths.all() : [] };
      this.sendResponse(response);
    });
  }

  // ------------------------------------------------------- custom requests

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, () => {
      if (!isCustomCommand(command)) {
        this.fail(response, `Unknown request '${command}'.`, false, 1014);
        return;
      }
      response.body = this.custom(command, (args ?? {}) as never);
      this.sendResponse(response);
    });
  }

  private custom<C extends CustomCommand>(command: C, args: CustomArguments<C>): CustomResponseBody<C> {
    const handlers: { [K in CustomCommand]: (a: CustomArguments<K>) => CustomResponseBody<K> } = {
      'weensy/snapshot': () => {
        const s = this.session();
        this.keepSnapshots = true;
        return { snapshot: takeSnapshot(s.machine, s.build) };
      },
      'weensy/diff': () => {
        const s = this.session();
        if (!this.keepSnapshots || !this.snapshots.last) {
          this.keepSnapshots = true;
          this.snapshots = { last: takeSnapshot(s.machine, s.build) };
        }
        const { previous, last } = this.snapshots;
        return { diff: previous && last ? diffSnapshots(previous, last) : null, snapshot: last! };
      },
      'weensy/translate': (a) => {
        const s = this.session();
        const va = parseAddress(a.va);
        if (va === undefined) throw new DebugError(`'${String(a.va)}' is not an address.`);
        let target: TranslateTarget | undefined;
        if (a.pid !== undefined) target = { pid: Number(a.pid) };
        else if (a.cr3 !== undefined) target = { cr3: Number(a.cr3) };
        const access = a.access && (a.access.kind === 'read' || a.access.kind === 'write' || a.access.kind === 'fetch') ? { kind: a.access.kind, user: Boolean(a.access.user) } : undefined;
        const r = translate(s.machine, s.build, va, target, access);
        if (!r.ok) throw new DebugError(capitalize(r.error));
        return { translation: r.translation };
      },
      'weensy/sendKeys': (a) => {
        const s = this.session();
        const keys = a.keys;
        if (typeof keys !== 'string' || keys.length === 0 || keys.length > 64 || /[^\x20-\x7e\n]/.test(keys)) throw new DebugError('sendKeys: keys must be 1 to 64 printable characters (a, f, e, q...).');
        if (s.terminated) throw new DebugError('The WeensyOS session has ended.');
        s.sendKeys(keys);
        return { sent: keys.length };
      },
    };
    return handlers[command](args);
  }
}

function d0(list: readonly Diagnostic[]): Diagnostic | undefined {
  return list.find((d) => d.severity === 'error') ?? list[0];
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function asTarget(space: AddressSpace, address: number, size: number): DataTarget {
  return space.kind === 'physical' ? { space: 'physical', address, size } : { space: 'virtual', cr3: space.cr3, address, size };
}

function toDapVariable(v: import('../emulator/index').DebugVariable): DebugProtocol.Variable {
  return {
    name: v.name, value: v.value, variablesReference: v.variablesReference,
    ...(v.type !== undefined ? { type: v.type } : {}),
    ...(v.namedVariables !== undefined ? { namedVariables: v.namedVariables } : {}),
    ...(v.indexedVariables !== undefined ? { indexedVariables: v.indexedVariables } : {}),
    ...(v.memoryReference !== undefined ? { memoryReference: v.memoryReference } : {}),
    ...(v.evaluateName !== undefined ? { evaluateName: v.evaluateName } : {}),
    ...(v.presentationHint ? { presentationHint: { ...(v.presentationHint.kind !== undefined ? { kind: v.presentationHint.kind } : {}), ...(v.presentationHint.attributes ? { attributes: [...v.presentationHint.attributes] } : {}) } } : {}),
  };
}
