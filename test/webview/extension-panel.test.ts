// The memory-map panel's extension side, in the extension bundle
// (dist/extension.js) against a stand-in for the `vscode` module: the
// command and the serializer are registered; a weensy session opens the
// panel (unless the setting says not to); the webview gets a strict CSP with
// a nonce and only local resources; a stop makes the extension ask the
// adapter for weensy/diff and post the picture; running and ending are
// posted; source links open the shipped built-in file at the line; the
// picture is saved as a snapshot file and saved files are shown.

import Module, { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './browser';

const EXTENSION = join(ROOT, 'dist', 'extension.js');

class Uri {
  constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri(p);
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri([u.fsPath, ...parts].join('/'));
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

interface FakePanel {
  viewType: string;
  showOptions: { viewColumn: number; preserveFocus: boolean };
  options: Record<string, unknown>;
  webview: { html: string; options: Record<string, unknown>; posted: unknown[]; receive?: (m: unknown) => void };
  revealed: number;
}

interface World {
  commands: Map<string, (...a: unknown[]) => unknown>;
  serializers: Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>;
  trackers: { type: string; factory: { createDebugAdapterTracker(s: unknown): { onDidSendMessage?(m: unknown): void; onWillReceiveMessage?(m: unknown): void } } }[];
  started: ((s: unknown) => void)[];
  terminated: ((s: unknown) => void)[];
  panels: FakePanel[];
  opened: { uri: string; selection: unknown }[];
  written: Map<string, string>;
  files: Map<string, string>;
  config: Record<string, unknown>;
}

function fakePanel(viewType: string, showOptions: FakePanel['showOptions'], options: Record<string, unknown>): FakePanel & Record<string, unknown> {
  const panel: FakePanel & Record<string, unknown> = {
    viewType, showOptions, options, revealed: 0,
    webview: {
      html: '', options: {}, posted: [],
      cspSource: 'vscode-webview://fake',
      asWebviewUri: (u: Uri) => ({ toString: () => `vscode-webview-resource://fake${u.fsPath}` }),
      postMessage(m: unknown) { (this as FakePanel['webview']).posted.push(m); return Promise.resolve(true); },
      onDidReceiveMessage(cb: (m: unknown) => void) { panel.webview.receive = cb; return { dispose() {} }; },
    } as FakePanel['webview'],
    reveal() { panel.revealed++; },
    onDidDispose() { return { dispose() {} }; },
    dispose() {},
  };
  return panel;
}

function fakeVscode(w: World): unknown {
  const disposable = { dispose: () => undefined };
  return {
    Uri,
    ViewColumn: { One: 1, Beside: -2 },
    Position: class { constructor(readonly line: number, readonly character: number) {} },
    Range: class { constructor(readonly start: unknown, readonly end: unknown) {} },
    Diagnostic: class {},
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2 },
    DebugConfigurationProviderTriggerKind: { Initial: 1, Dynamic: 2 },
    DebugAdapterInlineImplementation: class {},
    languages: { createDiagnosticCollection: () => ({ clear() {}, set() {}, dispose() {} }) },
    debug: {
      registerDebugAdapterDescriptorFactory: () => disposable,
      registerDebugConfigurationProvider: () => disposable,
      registerDebugAdapterTrackerFactory: (type: string, factory: World['trackers'][0]['factory']) => (w.trackers.push({ type, factory }), disposable),
      onDidStartDebugSession: (cb: (s: unknown) => void) => (w.started.push(cb), disposable),
      onDidTerminateDebugSession: (cb: (s: unknown) => void) => (w.terminated.push(cb), disposable),
    },
    commands: { registerCommand: (id: string, f: (...a: unknown[]) => unknown) => (w.commands.set(id, f), disposable) },
    window: {
      createWebviewPanel: (viewType: string, _title: string, show: FakePanel['showOptions'], options: Record<string, unknown>) => {
        const p = fakePanel(viewType, show, options);
        w.panels.push(p);
        return p;
      },
      registerWebviewPanelSerializer: (type: string, s: World['serializers'] extends Map<string, infer S> ? S : never) => (w.serializers.set(type, s), disposable),
      showTextDocument: async (uri: Uri, opts: { selection: unknown }) => void w.opened.push({ uri: uri.fsPath, selection: opts.selection }),
      showErrorMessage: () => undefined,
      showInformationMessage: () => undefined,
      setStatusBarMessage: () => disposable,
      showSaveDialog: async () => Uri.file('/lab/saved.json'),
      showOpenDialog: async () => [Uri.file('/lab/shared.json')],
      onDidChangeActiveTextEditor: () => disposable,
    },
    workspace: {
      workspaceFolders: [{ uri: Uri.file('/lab') }],
      // What the language client and the first-run offer follow (no kernel.c here: neither acts).
      createFileSystemWatcher: () => ({ onDidCreate: () => disposable, onDidChange: () => disposable, onDidDelete: () => disposable, dispose: () => undefined }),
      onDidChangeWorkspaceFolders: () => disposable,
      onDidChangeConfiguration: () => disposable,
      getConfiguration: () => ({ get: (k: string, d: unknown) => (k in w.config ? w.config[k] : d) }),
      fs: {
        stat: async () => ({}),
        writeFile: async (u: Uri, bytes: Uint8Array) => void w.written.set(u.fsPath, new TextDecoder().decode(bytes)),
        readFile: async (u: Uri) => new TextEncoder().encode(w.files.get(u.fsPath) ?? ''),
      },
    },
  };
}

function activate(config: Record<string, unknown> = {}): World {
  if (!existsSync(EXTENSION)) throw new Error(`${EXTENSION} is missing: run \`npm run build\` first (npm test does).`);
  const w: World = { commands: new Map(), serializers: new Map(), trackers: [], started: [], terminated: [], panels: [], opened: [], written: new Map(), files: new Map(), config };
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  const fakePath = join(ROOT, 'node_modules', '.fake-vscode-panel.js');
  const req = createRequire(EXTENSION);
  req.cache[fakePath] = { id: fakePath, filename: fakePath, loaded: true, exports: fakeVscode(w) } as unknown as NodeJS.Module;
  M._resolveFilename = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakePath : original.call(Module, request, ...rest));
  try {
    delete req.cache[EXTENSION];
    const ext = req(EXTENSION) as { activate(context: unknown): void };
    const memento = { get: <T>(_k: string, d?: T): T | undefined => d, update: async (): Promise<void> => undefined };
    ext.activate({ subscriptions: [], extensionUri: Uri.file(ROOT), asAbsolutePath: (p: string) => join(ROOT, p), workspaceState: memento, globalState: memento });
  } finally {
    M._resolveFilename = original;
  }
  return w;
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function fakeSession(requests: { command: string; args: unknown }[]): Record<string, unknown> {
  return {
    type: 'weensy', name: 'WeensyOS',
    customRequest: async (command: string, args: unknown) => {
      requests.push({ command, args });
      return { snapshot: { picture: requests.length, currentPid: 2, counters: { ticks: 7 } }, diff: command === 'weensy/diff' ? { entries: [] } : undefined };
    },
  };
}

describe('the memory-map panel in the extension', () => {
  it('package.json contributes the command, the debug toolbar button, the setting and the activation events', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.contributes.commands).toContainEqual({ command: 'weensyscope.showMemoryMap', title: 'Show Memory Map', category: 'WeensyScope', icon: '$(symbol-structure)' });
    // VS Code's menu id is debug/toolBar (capital B); another spelling is ignored without a word.
    expect(pkg.contributes.menus['debug/toolBar']).toEqual([{ command: 'weensyscope.showMemoryMap', when: 'debugType == weensy', group: 'navigation@100' }]);
    expect(pkg.contributes.configuration.properties['weensyscope.memoryMap.openOnDebug']).toMatchObject({ type: 'boolean', default: true });
    expect(pkg.activationEvents).toEqual(expect.arrayContaining(['onCommand:weensyscope.showMemoryMap', 'onWebviewPanel:weensyscope.memoryMap']));
  });

  it('registers the command and the serializer; a weensy session opens the panel with a strict CSP', () => {
    const w = activate();
    expect([...w.commands.keys()]).toEqual(expect.arrayContaining(['weensyscope.showMemoryMap', 'weensyscope.openSnapshotFile']));
    expect([...w.serializers.keys()]).toEqual(['weensyscope.memoryMap']);
    w.started.forEach((cb) => cb({ type: 'other', name: 'node' }));
    expect(w.panels).toHaveLength(0);
    w.started.forEach((cb) => cb(fakeSession([])));
    expect(w.panels).toHaveLength(1);
    const p = w.panels[0]!;
    expect(p).toMatchObject({ viewType: 'weensyscope.memoryMap', showOptions: { viewColumn: -2, preserveFocus: true } });
    expect(p.options).toMatchObject({ enableScripts: true, retainContextWhenHidden: false });
    expect((p.options.localResourceRoots as Uri[]).map((u) => u.fsPath)).toEqual([join(ROOT, 'dist/webview')]);
    const html = p.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const nonce = /script-src 'nonce-([A-Za-z0-9]{32})'/.exec(csp)![1];
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(html).toContain(`<script nonce="${nonce}" src="vscode-webview-resource://fake${join(ROOT, 'dist/webview/panel.js')}"></script>`);
    expect(html.match(/(src|href)="[^"]+"/g)!.every((a) => a.includes('vscode-webview-resource://fake'))).toBe(true);
    // The command brings the same panel forward.
    void w.commands.get('weensyscope.showMemoryMap')!();
    expect(w.panels).toHaveLength(1);
    expect(p.revealed).toBe(1);
  });

  it('the setting weensyscope.memoryMap.openOnDebug = false keeps it closed; opened later at a stop, it fetches that stop', async () => {
    const w = activate({ 'memoryMap.openOnDebug': false });
    const requests: { command: string; args: unknown }[] = [];
    const session = fakeSession(requests);
    w.started.forEach((cb) => cb(session));
    expect(w.panels).toHaveLength(0);
    const trackers = w.trackers.filter((t) => t.type === 'weensy').map((t) => t.factory.createDebugAdapterTracker(session));
    trackers.forEach((t) => t.onDidSendMessage?.({ type: 'event', event: 'stopped', body: { reason: 'breakpoint' } }));
    await tick();
    expect(requests).toEqual([]);
    await w.commands.get('weensyscope.showMemoryMap')!();
    w.panels[0]!.webview.receive!({ type: 'ready' });
    await tick();
    expect(requests).toEqual([{ command: 'weensy/diff', args: {} }]);
    expect(w.panels[0]!.webview.posted.at(-1)).toMatchObject({ type: 'show', snapshot: { picture: 1 } });
    // Hidden and shown again at the same stop: the picture it has is current, nothing is asked.
    w.panels[0]!.webview.receive!({ type: 'ready' });
    await tick();
    expect(requests).toHaveLength(1);
  });

  it('posts the picture at each stop, says when the machine runs or the session ends, opens sources, saves and opens snapshot files', async () => {
    const w = activate();
    const requests: { command: string; args: unknown }[] = [];
    const session = fakeSession(requests);
    w.started.forEach((cb) => cb(session));
    const p = w.panels[0]!;
    const trackers = w.trackers.filter((t) => t.type === 'weensy').map((t) => t.factory.createDebugAdapterTracker(session));
    const send = (m: unknown): void => trackers.forEach((t) => t.onDidSendMessage?.(m));
    p.webview.receive!({ type: 'ready' });
    expect(p.webview.posted).toEqual([{ type: 'session', state: 'running' }]);
    send({ type: 'event', event: 'stopped', body: { reason: 'breakpoint' } });
    await tick();
    expect(requests).toEqual([{ command: 'weensy/diff', args: {} }]);
    expect(p.webview.posted.at(-1)).toEqual({ type: 'show', snapshot: { picture: 1, currentPid: 2, counters: { ticks: 7 } }, diff: { entries: [] }, origin: { kind: 'session', sessionName: 'WeensyOS' } });
    trackers.forEach((t) => t.onWillReceiveMessage?.({ type: 'request', command: 'next', arguments: { threadId: 1 } }));
    expect(p.webview.posted.at(-1)).toEqual({ type: 'session', state: 'running' });
    send({ type: 'event', event: 'stopped', body: { reason: 'step' } });
    await tick();
    // Refresh: a new snapshot of the same stop, with that stop's diff.
    p.webview.receive!({ type: 'refresh' });
    await tick();
    expect(requests.map((r) => r.command)).toEqual(['weensy/diff', 'weensy/diff', 'weensy/snapshot']);
    // Source links: the built-in kernel.c is the shipped copy.
    p.webview.receive!({ type: 'openSource', file: '<weensyos>/kernel.c', line: 542, column: 5 });
    p.webview.receive!({ type: 'openSource', file: '/lab/kernel.c', line: 10, column: 1 });
    p.webview.receive!({ type: 'openSource', file: 42 });
    await tick();
    expect(w.opened).toEqual([
      { uri: join(ROOT, 'runtime/weensyos/kernel.c'), selection: { start: { line: 541, character: 4 }, end: { line: 541, character: 4 } } },
      { uri: '/lab/kernel.c', selection: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } } },
    ]);
    // Save: the saved-snapshot format, with the stop's diff.
    p.webview.receive!({ type: 'saveSnapshot' });
    await tick();
    await tick();
    expect(JSON.parse(w.written.get('/lab/saved.json')!)).toEqual({ format: 'weensyscope-snapshot', snapshot: { picture: 3, currentPid: 2, counters: { ticks: 7 } }, diff: { entries: [] }, title: 'WeensyOS' });
    // Open a saved file: the panel parses it.
    w.files.set('/lab/shared.json', '{"format":"weensyscope-snapshot"}');
    await w.commands.get('weensyscope.openSnapshotFile')!();
    expect(p.webview.posted.at(-1)).toEqual({ type: 'showFile', fileName: 'shared.json', text: '{"format":"weensyscope-snapshot"}' });
    // The end of the session.
    w.terminated.forEach((cb) => cb(session));
    expect(p.webview.posted.at(-1)).toEqual({ type: 'session', state: 'ended' });
  });

  it('a panel restored after a reload is adopted: same page, messages handled', async () => {
    const w = activate();
    const p = fakePanel('weensyscope.memoryMap', { viewColumn: 1, preserveFocus: false }, {});
    await w.serializers.get('weensyscope.memoryMap')!.deserializeWebviewPanel(p, { v: 1 });
    expect(p.webview.html).toContain('<div id="root"></div>');
    expect(p.webview.options).toMatchObject({ enableScripts: true });
    p.webview.receive!({ type: 'ready' });
    expect(p.webview.posted).toEqual([{ type: 'session', state: 'none' }]);
  });
});
