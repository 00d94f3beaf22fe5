// The WeensyScope language server: wires the LSP connection to the checks
// (analysis.ts, diagnostics.ts) and the features (hover, completion,
// signature help, definition). Documents are checked when opened and
// again a moment after the last change (debounced); a check is synchronous
// and takes tens of milliseconds on a lab kernel.c. Every handler catches
// its own failures: a bug answers "nothing" and is logged, the server lives on.

import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CompletionItem,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../emulator/index';
import { Analyzer, type Analysis } from './analysis';
import { completionsAt, type CompletionData } from './completion';
import { definitionAt } from './definition';
import { documentDiagnostics, fileDiagnostics } from './diagnostics';
import { describeName } from './hover-names';
import { hoverAt } from './hover';
import { LaunchChecker, type LaunchResult } from './launch-check';
import type { LaunchWorkerPort } from './launch-messages';
import { launchSettings, type LaunchSettings } from './launch-settings';
import { lookupGlobalName } from './name-lookup';
import { DEFAULT_SETTINGS, parseSettings, SETTINGS_SECTION, type InitializationOptions, type ServerSettings } from './protocol';
import { signatureHelpAt } from './signature-help';
import { tokenizeText, type TextToken } from './text-tokens';
import { folderOf, WorkspaceFiles, type FileReader } from './workspace-files';

/** What the server needs from its process: the file system, and where the shipped built-in files are. */
export interface ServerHost {
  readonly disk: FileReader;
  /** The shipped runtime/weensyos folder found beside the server, if any. */
  readonly defaultBuiltinDir?: string;
  /** The .h files of a folder (for #include completion). */
  listHeaders(folder: string): string[];
  /** Starts the launch-check worker (launch-worker.ts); without it, there is no launch check. */
  startLaunchWorker?(): LaunchWorkerPort;
}

const DEFAULT_DEBOUNCE_MS = 250;
/** Other open documents that read a changed one are checked again after this. */
const DEPENDENT_DELAY_MS = 400;

export class WeensyLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private files!: WorkspaceFiles;
  private analyzer!: Analyzer;
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly tokenCache = new Map<string, { version: number; tokens: TextToken[] }>();
  private readonly launchCache = new Map<string, LaunchSettings | undefined>();
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private debounceMs = DEFAULT_DEBOUNCE_MS;
  private roots: string[] = [];
  private configurationCapable = false;
  private readonly launchChecker: LaunchChecker;
  /** Files that are not open but got diagnostics from a folder's launch check, by folder. */
  private readonly closedWithDiagnostics = new Map<string, Set<string>>();

  constructor(
    private readonly connection: Connection,
    private readonly host: ServerHost,
  ) {
    this.launchChecker = new LaunchChecker(
      () => host.startLaunchWorker?.(),
      (result) => this.guard('launch check', () => this.launchChecked(result)),
      (message) => connection.console.log(message),
    );
  }

  /** The launch-check worker stopped (it crashed or was killed): later requests start a new one. */
  launchWorkerFailed(message: string): void {
    this.launchChecker.workerFailed(message);
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => {
      if (this.configurationCapable) {
        void c.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
        void this.refreshSettings();
      }
    });
    c.onDidChangeConfiguration((change) => {
      if (this.configurationCapable) void this.refreshSettings();
      else {
        this.settings = parseSettings((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION], this.settings);
        this.republishAll();
      }
    });
    c.onDidChangeWatchedFiles(() => {
      // launch.json or a file on disk changed: forget cached settings and check the open documents again.
      this.launchCache.clear();
      for (const d of this.documents.all()) this.schedule(d.uri, DEPENDENT_DELAY_MS);
    });
    this.documents.onDidChangeContent((e) => this.guard('change', () => this.schedule(e.document.uri, this.analyses.has(e.document.uri) ? this.debounceMs : 0)));
    this.documents.onDidClose((e) => this.guard('close', () => this.close(e.document.uri)));
    c.onHover((p) => this.guard('hover', () => this.withDocument(p.textDocument.uri, (a, text, tokens, offset, doc) =>
      hoverAt({ analysis: a, text, tokens, offset: offset(p.position), read: (path) => this.read(a, path), positionAt: (o) => doc.positionAt(o) }),
    )) ?? null);
    c.onCompletion((p) => this.guard('completion', () => this.withDocument(p.textDocument.uri, (a, text, tokens, offset) =>
      completionsAt({ analysis: a, text, tokens, offset: offset(p.position), folderHeaders: () => this.host.listHeaders(folderOf(a.document.path)) }),
    )) ?? []);
    c.onCompletionResolve((item) => this.guard('resolve', () => this.resolve(item)) ?? item);
    c.onSignatureHelp((p) => this.guard('signature help', () => this.withDocument(p.textDocument.uri, (a, text, tokens, offset) =>
      signatureHelpAt(a, text, tokens, offset(p.position), (path) => this.read(a, path)),
    )) ?? null);
    c.onDefinition((p) => this.guard('definition', () => this.withDocument(p.textDocument.uri, (a, text, tokens, offset) =>
      definitionAt(a, text, tokens, offset(p.position), this.files),
    )) ?? null);
    c.onShutdown(() => {
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
      this.launchChecker.dispose();
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const builtinDir = typeof options.builtinDir === 'string' ? options.builtinDir.replace(/\\/g, '/') : this.host.defaultBuiltinDir;
    this.files = new WorkspaceFiles(this.host.disk, builtinDir);
    this.analyzer = new Analyzer(this.files, (folder) => this.launchFor(folder));
    this.settings = parseSettings(options.settings, DEFAULT_SETTINGS);
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) this.debounceMs = options.debounceMs;
    this.configurationCapable = params.capabilities.workspace?.configuration === true;
    const folders = params.workspaceFolders ?? [];
    this.roots = folders.map((f) => WorkspaceFiles.pathOf(f.uri)).filter((p): p is string => p !== undefined);
    const root = params.rootUri ? WorkspaceFiles.pathOf(params.rootUri) : undefined;
    if (root !== undefined && !this.roots.includes(root)) this.roots.push(root);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', '>', '"', '<'], resolveProvider: true },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [')'] },
        definitionProvider: true,
      },
      serverInfo: { name: 'WeensyScope' },
    };
  }

  private async refreshSettings(): Promise<void> {
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration(SETTINGS_SECTION);
      const next = parseSettings(raw, this.settings);
      if (next.diagnostics.scope !== this.settings.diagnostics.scope) {
        this.settings = next;
        this.republishAll();
      }
    } catch {
      // A client that cannot answer keeps the settings it gave at initialization.
    }
  }

  /** The weensy launch configuration's settings for a folder: .vscode/launch.json here or in a folder above, up to a workspace root. */
  private launchFor(folder: string): LaunchSettings | undefined {
    if (this.launchCache.has(folder)) return this.launchCache.get(folder);
    let found: LaunchSettings | undefined;
    let dir = folder;
    for (let depth = 0; depth < 8; depth++) {
      const text = this.host.disk.readFile(`${dir}/.vscode/launch.json`);
      if (text !== undefined) {
        found = launchSettings(text, folder, dir);
        if (found) break;
      }
      if (this.roots.includes(dir) || dir === '/' || !dir.includes('/')) break;
      dir = folderOf(dir);
    }
    this.launchCache.set(folder, found);
    return found;
  }

  // ---- checking ----

  private schedule(uri: string, delay: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.guard('check', () => this.check(uri));
    }, delay));
  }

  /** Checks a document now (if its text changed since the last check) and publishes its diagnostics. */
  private check(uri: string): Analysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const previous = this.analyses.get(uri);
    if (previous && previous.document.version === doc.version && previous.document.text === doc.getText()) return previous;
    const timer = this.timers.get(uri);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(uri);
    }
    const open = this.files.setDocument(uri, doc.version, doc.getText());
    if (!open) return undefined;
    const analysis = this.analyzer.analyze(open);
    this.analyses.set(uri, analysis);
    this.publish(analysis);
    this.requestLaunchCheck(analysis);
    // Open documents that read this one (kernel.c reading an open kernel.h) are stale now.
    for (const other of this.analyses.values()) {
      if (other.document.uri !== uri && other.texts.has(open.path) && other.texts.get(open.path) !== open.text) this.schedule(other.document.uri, DEPENDENT_DELAY_MS);
    }
    return analysis;
  }

  private publish(analysis: Analysis): void {
    const diagnostics = documentDiagnostics(analysis, this.settings.diagnostics.scope, this.files, this.launchDiagnosticsFor(analysis));
    void this.connection.sendDiagnostics({ uri: analysis.document.uri, version: analysis.document.version, diagnostics });
  }

  private republishAll(): void {
    for (const a of this.analyses.values()) this.publish(a);
    for (const r of this.launchChecker.results.values()) this.publishClosed(r);
  }

  // ---- the launch check ----

  /** A document that compiles cleanly: build its whole folder as a launch would (if it is a WeensyOS folder). */
  private requestLaunchCheck(analysis: Analysis): void {
    if (!analysis.check || analysis.check.diagnostics.some((d) => d.severity === 'error')) return;
    const folder = folderOf(analysis.document.path);
    if (this.files.read(`${folder}/kernel.c`) === undefined) return;
    this.launchChecker.request(folder, () => this.overlays(folder), analysis.launch);
  }

  /** The open documents' texts in a folder. */
  private overlays(folder: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const d of this.files.documents()) if (folderOf(d.path) === folder) out.set(d.path, d.text);
    return out;
  }

  /**
   * The launch check's diagnostics for a document, if its build saw the
   * document's current text: those in the document itself, and for the
   * folder's kernel.c those in built-in files (shown on its #include line).
   */
  private launchDiagnosticsFor(analysis: Analysis): Diagnostic[] {
    const path = analysis.document.path;
    const folder = folderOf(path);
    const result = this.launchChecker.results.get(folder);
    if (!result || result.texts.get(path) !== analysis.document.text) return [];
    const isKernel = path === `${folder}/kernel.c` && analysis.mainPath === path;
    return result.diagnostics.filter((d) => d.range.start.file === path || (isKernel && d.range.start.file.startsWith('<')));
  }

  private launchChecked(result: LaunchResult): void {
    for (const a of this.analyses.values()) if (folderOf(a.document.path) === result.folder) this.publish(a);
    this.publishClosed(result);
  }

  /** Publishes the launch check's diagnostics for the folder's files that are not open, and clears those fixed. */
  private publishClosed(result: LaunchResult): void {
    const before = this.closedWithDiagnostics.get(result.folder) ?? new Set<string>();
    const now = new Set<string>();
    for (const d of result.diagnostics) {
      const file = d.range.start.file;
      if (folderOf(file) === result.folder && !this.files.document(file)) now.add(file);
    }
    for (const file of new Set([...before, ...now])) {
      const uri = this.files.uriOf(file);
      if (!uri) continue;
      const diagnostics = now.has(file) ? fileDiagnostics(file, result.diagnostics, this.settings.diagnostics.scope, this.files) : [];
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
    this.closedWithDiagnostics.set(result.folder, now);
  }

  private close(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.analyses.delete(uri);
    this.tokenCache.delete(uri);
    this.files.closeDocument(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  // ---- features ----

  /** Runs a feature on a document's fresh check and current tokens. */
  private withDocument<T>(
    uri: string,
    run: (analysis: Analysis, text: string, tokens: readonly TextToken[], offset: (p: { line: number; character: number }) => number, doc: TextDocument) => T,
  ): T | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const analysis = this.check(uri);
    if (!analysis) return undefined;
    const text = doc.getText();
    let cached = this.tokenCache.get(uri);
    if (!cached || cached.version !== doc.version) {
      cached = { version: doc.version, tokens: tokenizeText(text) };
      this.tokenCache.set(uri, cached);
    }
    return run(analysis, text, cached.tokens, (p) => doc.offsetAt(p), doc);
  }

  private resolve(item: CompletionItem): CompletionItem {
    const data = item.data as CompletionData | undefined;
    if (!data || typeof data.uri !== 'string') return item;
    const analysis = this.analyses.get(data.uri);
    if (!analysis?.symbols) return item;
    const info = lookupGlobalName(analysis.symbols, data.name, data.record);
    const md = info ? describeName(analysis.symbols, info, (path) => this.read(analysis, path), analysis.launch?.name) : undefined;
    return md ? { ...item, documentation: { kind: 'markdown', value: md } } : item;
  }

  private read(analysis: Analysis, path: string): string | undefined {
    return analysis.texts.get(path) ?? this.files.read(path);
  }

  private guard<T>(what: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      this.connection.console.error(`WeensyScope: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }
}
