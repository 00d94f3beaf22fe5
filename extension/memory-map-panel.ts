// The memory-map panel's extension side: one webview panel (a singleton,
// restored after a reload by its serializer), opened by the command
// "WeensyScope: Show Memory Map", by the debug toolbar's button, and
// automatically when a `weensy` session starts (setting
// weensyscope.memoryMap.openOnDebug). At every stop it asks the adapter for
// the snapshot and the diff since the previous stop (custom request
// weensy/diff) and posts them to the panel; it tells the panel when the
// machine runs or the session ends; it opens source links, saves the picture
// to a file and opens saved files.
//
// The webview is not kept alive while hidden (retainContextWhenHidden is
// false: a hidden panel would hold a DOM of thousands of cells and the
// snapshot): the panel keeps the student's choices with setState, and on
// its `ready` message after a show or a reload this side sends the last
// picture again.

import * as vscode from 'vscode';
import type { PanelSnapshot, SnapshotDiff } from '../emulator/index';
import { sendCustomRequest } from '../debug-adapter/custom-requests';
import {
  isFromPanelMessage, MEMORY_MAP_VIEW_TYPE, SAVED_SNAPSHOT_FORMAT,
  type FromPanelMessage, type SavedSnapshot, type SessionState, type SnapshotOrigin, type ToPanelMessage,
} from '../webview/panel-messages';

const DEBUG_TYPE = 'weensy';
export const SHOW_MEMORY_MAP = 'weensyscope.showMemoryMap';
export const OPEN_SNAPSHOT_FILE = 'weensyscope.openSnapshotFile';
const OPEN_ON_DEBUG = 'memoryMap.openOnDebug';
/** DAP requests after which the machine runs. */
const RUN_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restart']);
const BUILTIN_PREFIXES = ['<weensyos>/', '<built-in>/'];

interface Picture {
  readonly snapshot: PanelSnapshot;
  readonly diff: SnapshotDiff | null;
  readonly origin: SnapshotOrigin;
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

export class MemoryMapPanel {
  private panel: vscode.WebviewPanel | undefined;
  private picture: Picture | undefined;
  /** A saved file on show instead of the session's picture (until the next stop). */
  private file: { readonly fileName: string; readonly text: string } | undefined;
  private state: SessionState = 'none';
  private session: vscode.DebugSession | undefined;
  private fetching = false;
  private fetchAgain = false;
  /** Stops seen in the session, and the stop the picture is of (a panel closed at a stop has an old picture). */
  private stops = 0;
  private pictureStop = -1;

  constructor(private readonly context: vscode.ExtensionContext, private readonly builtinDir: string | undefined) {}

  /** Everything the panel registers; the caller adds them to the extension's subscriptions. */
  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(SHOW_MEMORY_MAP, () => this.show(false)),
      vscode.commands.registerCommand(OPEN_SNAPSHOT_FILE, () => this.openSnapshotFile()),
      vscode.window.registerWebviewPanelSerializer(MEMORY_MAP_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => this.adopt(panel),
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
        this.session = s;
        this.setState('running');
        if (vscode.workspace.getConfiguration('weensyscope').get<boolean>(OPEN_ON_DEBUG, true)) this.show(true);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s !== this.session) return;
        this.session = undefined;
        this.setState('ended');
      }),
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onWillReceiveMessage: (m: { type?: string; command?: string }) => {
            if (m.type === 'request' && m.command !== undefined && RUN_REQUESTS.has(m.command) && session === this.session) this.setState('running');
          },
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type !== 'event' || session !== this.session) return;
            if (m.event === 'stopped') {
              this.state = 'stopped';
              this.stops++;
              void this.fetch();
            } else if (m.event === 'continued') this.setState('running');
          },
        }),
      }),
      { dispose: () => this.panel?.dispose() },
    ];
  }

  /** Opens the panel (or brings it forward). */
  show(auto: boolean): void {
    if (this.panel) {
      this.panel.reveal(undefined, auto);
      return;
    }
    const panel = vscode.window.createWebviewPanel(MEMORY_MAP_VIEW_TYPE, 'WeensyOS Memory Map',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: auto }, this.options());
    this.adopt(panel);
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    };
  }

  /** Takes charge of a panel: a new one, or one VS Code restores after a reload. */
  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (isFromPanelMessage(m)) void this.receive(m);
    });
  }

  private html(webview: vscode.Webview): string {
    const n = nonce();
    const root = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.css'));
    const csp = `default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${n}';`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WeensyOS Memory Map</title>
<link rel="stylesheet" href="${style}">
</head>
<body>
<div id="root"></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  private post(m: ToPanelMessage): void {
    void this.panel?.webview.postMessage(m);
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.post({ type: 'session', state });
  }

  private async receive(m: FromPanelMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (this.file) this.post({ type: 'showFile', ...this.file });
        else if (this.picture) this.post({ type: 'show', ...this.picture });
        this.post({ type: 'session', state: this.state });
        if (this.state === 'stopped' && this.pictureStop !== this.stops) await this.fetch();
        return;
      case 'refresh':
        return this.fetch('weensy/snapshot');
      case 'openSource':
        return this.openSource(m.file, m.line, m.column);
      case 'saveSnapshot':
        return this.save();
      case 'openSnapshotFile':
        return this.openSnapshotFile();
    }
  }

  /** Asks the adapter for the picture of this stop and posts it; stops that arrive meanwhile are fetched once, after. */
  private async fetch(command: 'weensy/diff' | 'weensy/snapshot' = 'weensy/diff'): Promise<void> {
    const session = this.session;
    if (!this.panel || !session) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    const stop = this.stops;
    try {
      const send = (c: string, a: unknown): Thenable<unknown> => session.customRequest(c, a);
      const origin: SnapshotOrigin = { kind: 'session', sessionName: session.name };
      if (command === 'weensy/diff') {
        const body = await sendCustomRequest(send, 'weensy/diff', {});
        this.picture = { snapshot: body.snapshot, diff: body.diff, origin };
      } else {
        const body = await sendCustomRequest(send, 'weensy/snapshot', {});
        this.picture = { snapshot: body.snapshot, diff: this.picture?.origin.kind === 'session' ? this.picture.diff : null, origin };
      }
      this.file = undefined;
      this.pictureStop = stop;
      this.post({ type: 'show', ...this.picture });
    } catch (e) {
      this.post({ type: 'error', message: `WeensyScope could not take a snapshot: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.fetching = false;
      if (this.fetchAgain) {
        this.fetchAgain = false;
        void this.fetch();
      }
    }
  }

  /** The file the editor opens for a debug path: a built-in file's shipped copy, or the path itself. */
  private sourceUri(file: string): vscode.Uri | undefined {
    for (const p of BUILTIN_PREFIXES) {
      if (file.startsWith(p)) return this.builtinDir !== undefined ? vscode.Uri.file(`${this.builtinDir}/${file.slice(p.length)}`) : undefined;
    }
    return vscode.Uri.file(file);
  }

  private async openSource(file: string, line: number, column: number): Promise<void> {
    const uri = this.sourceUri(file);
    if (!uri) {
      void vscode.window.showErrorMessage(`WeensyScope: the built-in file ${file} is not shipped as a file here.`);
      return;
    }
    try {
      const at = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One });
    } catch (e) {
      void vscode.window.showErrorMessage(`WeensyScope: cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async save(): Promise<void> {
    const p = this.picture;
    if (!p) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `weensy-snapshot${p.snapshot.currentPid !== null ? `-pid${p.snapshot.currentPid}` : ''}${p.snapshot.counters.ticks !== null ? `-tick${p.snapshot.counters.ticks}` : ''}.json`;
    const uri = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      filters: { 'WeensyScope snapshot': ['json'] },
      title: 'Save the memory map as a snapshot file',
    });
    if (!uri) return;
    const saved: SavedSnapshot = {
      format: SAVED_SNAPSHOT_FORMAT, snapshot: p.snapshot, diff: p.diff,
      title: p.origin.kind === 'session' ? p.origin.sessionName : p.origin.fileName,
    };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(saved)));
    void vscode.window.setStatusBarMessage(`WeensyScope: snapshot saved to ${uri.fsPath}`, 4000);
  }

  private async openSnapshotFile(): Promise<void> {
    const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'WeensyScope snapshot': ['json'] }, title: 'Open a WeensyScope snapshot' })) ?? [];
    if (!uri) return;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    this.file = { fileName: uri.path.slice(uri.path.lastIndexOf('/') + 1), text };
    // The panel parses and validates the file (the same code as the standalone page) and says what is wrong with a bad one.
    // A new panel gets it when its script says `ready`.
    if (this.panel) this.post({ type: 'showFile', ...this.file });
    this.show(false);
  }
}
