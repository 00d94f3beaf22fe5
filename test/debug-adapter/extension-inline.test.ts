// The extension bundle (dist/extension.js) loaded against a stand-in for
// the `vscode` module: activate() registers the weensy debugger, its
// configuration provider, the diagnostics tracker and the send-key command;
// the descriptor factory's inline adapter answers DAP messages in process
// (the way VS Code's extension host runs it) and stops on entry.

import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { describe, expect, it } from 'vitest';
import { ROOT, SLOW } from './dap-harness';

const EXTENSION = join(ROOT, 'dist', 'extension.js');

interface Registered {
  descriptorFactories: Map<string, { createDebugAdapterDescriptor(session: unknown): { implementation: InlineAdapter } }>;
  providers: { type: string; provider: { resolveDebugConfiguration?(folder: unknown, config: Record<string, unknown>): Promise<Record<string, unknown>>; provideDebugConfigurations?(folder: unknown): Promise<Record<string, unknown>[]> }; trigger?: number }[];
  trackers: Map<string, unknown>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  diagnostics: Map<string, unknown[]>;
}

interface InlineAdapter {
  handleMessage(message: DebugProtocol.ProtocolMessage): void;
  onDidSendMessage(listener: (m: DebugProtocol.ProtocolMessage) => void): unknown;
}

/** A minimal `vscode` module: what activate() and the configuration provider touch. */
function fakeVscode(reg: Registered, files: Set<string>): unknown {
  const disposable = { dispose: () => undefined };
  class Uri {
    constructor(readonly fsPath: string) {}
    static file(p: string): Uri {
      return new Uri(p);
    }
    static joinPath(u: Uri, ...parts: string[]): Uri {
      return new Uri([u.fsPath, ...parts].join('/'));
    }
  }
  return {
    Uri,
    Range: class { constructor(...a: number[]) { Object.assign(this, { a }); } },
    Diagnostic: class { constructor(readonly range: unknown, readonly message: string, readonly severity: number) {} },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2 },
    DebugConfigurationProviderTriggerKind: { Initial: 1, Dynamic: 2 },
    DebugAdapterInlineImplementation: class { constructor(readonly implementation: InlineAdapter) {} },
    languages: {
      createDiagnosticCollection: () => ({
        clear: () => reg.diagnostics.clear(),
        set: (uri: Uri, list: unknown[]) => reg.diagnostics.set(uri.fsPath, list),
        dispose: () => undefined,
      }),
    },
    debug: {
      registerDebugAdapterDescriptorFactory: (type: string, f: never) => (reg.descriptorFactories.set(type, f), disposable),
      registerDebugConfigurationProvider: (type: string, provider: never, trigger?: number) => (reg.providers.push({ type, provider, ...(trigger !== undefined ? { trigger } : {}) }), disposable),
      registerDebugAdapterTrackerFactory: (type: string, f: unknown) => (reg.trackers.set(type, f), disposable),
      onDidStartDebugSession: () => disposable,
      onDidTerminateDebugSession: () => disposable,
      activeDebugSession: undefined,
    },
    commands: { registerCommand: (id: string, f: never) => (reg.commands.set(id, f), disposable) },
    window: { registerWebviewPanelSerializer: () => disposable, activeTextEditor: undefined, showInformationMessage: () => undefined, showErrorMessage: () => undefined, showQuickPick: async () => undefined, setStatusBarMessage: () => undefined },
    workspace: {
      // The user's settings: weensyscope.debug.* fill what launch.json leaves out.
      getConfiguration: () => ({ get: (key: string) => ({ 'debug.instructionsPerTick': 30, 'debug.variant': 'cs61' } as Record<string, unknown>)[key] }),
      fs: {
        stat: async (u: Uri) => {
          if (!files.has(u.fsPath)) throw new Error('ENOENT');
          return {};
        },
      },
    },
  };
}

/** Loads dist/extension.js with `vscode` resolved to the stand-in. */
function loadExtension(vscode: unknown): { activate(context: unknown): void } {
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  const fakePath = join(ROOT, 'node_modules', '.fake-vscode.js');
  const req = createRequire(EXTENSION);
  req.cache[fakePath] = { id: fakePath, filename: fakePath, loaded: true, exports: vscode } as unknown as NodeJS.Module;
  M._resolveFilename = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakePath : original.call(Module, request, ...rest));
  try {
    delete req.cache[EXTENSION];
    return req(EXTENSION);
  } finally {
    M._resolveFilename = original;
  }
}

describe('the extension bundle', SLOW, () => {
  it('registers the weensy debugger and runs the adapter inline', async () => {
    if (!existsSync(EXTENSION)) throw new Error(`${EXTENSION} is missing: run \`npm run build\` first (npm test does).`);
    const reg: Registered = { descriptorFactories: new Map(), providers: [], trackers: new Map(), commands: new Map(), diagnostics: new Map() };
    const files = new Set(['/lab/kernel.c']);
    const ext = loadExtension(fakeVscode(reg, files));
    const subscriptions: unknown[] = [];
    ext.activate({ subscriptions, asAbsolutePath: (p: string) => join(ROOT, p) });
    expect([...reg.descriptorFactories.keys()]).toEqual(['weensy']);
    expect(reg.providers.map((p) => p.type)).toEqual(['weensy', 'weensy']);
    expect([...reg.trackers.keys()]).toEqual(['weensy']);
    // Every command the extension registers is contributed (with a title under the WeensyScope category), and the other way round.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string; category: string }[] } };
    expect([...reg.commands.keys()].sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
    expect(new Set(manifest.contributes.commands.map((c) => c.category))).toEqual(new Set(['WeensyScope']));
    expect(subscriptions.length).toBeGreaterThanOrEqual(6);

    // F5 in a folder with a kernel.c and no launch.json.
    const provider = reg.providers[0]!.provider;
    const folder = { uri: { fsPath: '/lab' }, name: 'lab', index: 0 };
    const resolved = await provider.resolveDebugConfiguration!(folder, {});
    expect(resolved).toMatchObject({ type: 'weensy', request: 'launch', name: 'WeensyOS', kernel: '/lab/kernel.c', cwd: '/lab', instructionsPerTick: 30, variant: 'cs61' });
    // launch.json's own values win over the settings.
    expect(await provider.resolveDebugConfiguration!(folder, { type: 'weensy', request: 'launch', name: 'x', instructionsPerTick: 7, variant: 'nyu' }))
      .toMatchObject({ instructionsPerTick: 7, variant: 'nyu' });
    expect(await provider.provideDebugConfigurations!(folder)).toEqual([{ type: 'weensy', request: 'launch', name: 'WeensyOS', kernel: '${workspaceFolder}/kernel.c', stopOnEntry: false }]);
    expect(await provider.resolveDebugConfiguration!({ uri: { fsPath: '/empty' } }, {})).not.toHaveProperty('kernel');

    // The inline adapter: initialize, launch the reference kernel, stop on entry.
    const adapter = reg.descriptorFactories.get('weensy')!.createDebugAdapterDescriptor({}).implementation;
    const sent: DebugProtocol.ProtocolMessage[] = [];
    const waiters: { test: (m: DebugProtocol.ProtocolMessage) => boolean; resolve: (m: DebugProtocol.ProtocolMessage) => void }[] = [];
    adapter.onDidSendMessage((m) => {
      sent.push(m);
      for (const w of waiters.splice(0)) if (w.test(m)) w.resolve(m); else waiters.push(w);
    });
    const next = (test: (m: DebugProtocol.ProtocolMessage) => boolean): Promise<DebugProtocol.ProtocolMessage> => {
      const found = sent.find(test);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ test, resolve }));
    };
    let seq = 1;
    const request = (command: string, args: unknown): Promise<DebugProtocol.Response> => {
      const s = seq++;
      adapter.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
      return next((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === s) as Promise<DebugProtocol.Response>;
    };
    const init = await request('initialize', { adapterID: 'weensy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    expect(init.success).toBe(true);
    expect((init.body as DebugProtocol.Capabilities).supportsDataBreakpointBytes).toBe(true);
    const launched = await request('launch', { type: 'weensy', request: 'launch', name: 'x', stopOnEntry: true });
    expect(launched.success).toBe(true);
    await next((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'initialized');
    expect((await request('configurationDone', {})).success).toBe(true);
    const stopped = (await next((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped')) as DebugProtocol.StoppedEvent;
    expect(stopped.body.reason).toBe('entry');
    const trace = await request('stackTrace', { threadId: stopped.body.threadId });
    expect((trace.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0]!.name).toBe('kernel');
    const done = await request('disconnect', {});
    expect(done.success).toBe(true);
  });
});
