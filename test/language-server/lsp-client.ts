// A real LSP client for the tests and the benchmark: spawns
// `node dist/language-server.js --stdio` and talks JSON-RPC to it through
// vscode-languageserver-protocol, as an editor would. It records every
// publishDiagnostics and the server's log, and can tell whether the server
// process is still alive and answering.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  CompletionResolveRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  SignatureHelpRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type Definition,
  type Hover,
  type LocationLink,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type SignatureHelp,
} from 'vscode-languageserver-protocol/node';

/** The repository (tests run from its sources; the benchmark passes `server` instead). */
export function repoRoot(): string {
  return resolve(__dirname, '..', '..');
}

export interface StartOptions {
  /** The server bundle (default: the repository's dist/language-server.js). */
  readonly server?: string;
  /** initializationOptions, as the extension sends them. */
  readonly initializationOptions?: Record<string, unknown>;
  /** The workspace folder (its .vscode/launch.json is read). */
  readonly root?: string;
  /** Answer workspace/configuration with this (else the client says it cannot). */
  readonly configuration?: Record<string, unknown>;
}

export const uriOf = (path: string): string => pathToFileURL(path).href;

export class LspTestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly log: string[] = [];
  private readonly versions = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  private exited = false;
  configuration: Record<string, unknown> | undefined;

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    process.once('exit', () => (this.exited = true));
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const server = options.server ?? resolve(repoRoot(), 'dist/language-server.js');
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection);
    client.configuration = options.configuration;
    child.stderr!.on('data', (d: Buffer) => client.log.push(d.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.published.push(p);
      for (const w of client.waiters.splice(0)) w();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => void client.log.push(p.message));
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => client.configuration ?? null));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.listen();
    const root = options.root;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: root ? uriOf(root) : null,
      workspaceFolders: root ? [{ uri: uriOf(root), name: 'workspace' }] : null,
      capabilities: {
        workspace: { configuration: options.configuration !== undefined },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, completion: { completionItem: { snippetSupport: false } } },
      },
      initializationOptions: { debounceMs: 50, ...(options.initializationOptions ?? {}) },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a document (languageId c) and returns its URI. */
  async open(path: string, text: string): Promise<string> {
    const uri = uriOf(path);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
    return uri;
  }

  /** Replaces a document's whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.configuration = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { weensyscope: settings } });
  }

  /** The first diagnostics published for `uri` at version >= `version` (published after `since`, an index into `published`). */
  async diagnostics(uri: string, version = 1, timeoutMs = 20_000, since = 0): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.published.slice(since).find((p) => p.uri === uri && (p.version ?? 0) >= version);
      if (hit) return hit;
      if (this.exited) throw new Error(`the server exited while waiting for diagnostics of ${uri}\n${this.log.join('')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} (version ${version}) within ${timeoutMs} ms`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  resolve(item: CompletionItem): Promise<CompletionItem> {
    return this.connection.sendRequest(CompletionResolveRequest.type, item);
  }

  signatureHelp(uri: string, position: Position): Promise<SignatureHelp | null> {
    return this.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Definition | LocationLink[] | null> {
    return this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
  }

  /** True if the process is running and answers a request within `timeoutMs`. */
  async alive(timeoutMs = 10_000): Promise<boolean> {
    if (this.exited || this.process.exitCode !== null) return false;
    const answer = this.hover('file:///nonexistent/probe.c', { line: 0, character: 0 }).then(() => true, () => false);
    const late = new Promise<boolean>((res) => setTimeout(() => res(false), timeoutMs));
    return Promise.race([answer, late]);
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((res) => setTimeout(res, 3000))]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      await new Promise((res) => setTimeout(res, 100));
      if (!this.exited) this.process.kill();
    }
    this.connection.dispose();
  }
}

/** The LSP position of the `occurrence`-th `needle` in `text`, `delta` characters into it. */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 1): Position {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the text`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
