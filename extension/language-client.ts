// Starts the WeensyScope language server (dist/language-server.js, over IPC)
// for the C files of WeensyOS folders: a workspace folder whose kernel.c
// includes kernel.h, or one marked with the `weensyscope.weensyosFolder`
// setting. Other C folders are left to clangd or C/C++ alone, and in a
// WeensyOS folder our diagnostics carry their own source ("weensyscope"),
// so they sit beside theirs without repeating them. The shipped built-in
// headers that go to definition opens are served too, and made read-only.

import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../language-server/protocol';

type FolderSetting = 'auto' | 'yes' | 'no';

const INCLUDES_KERNEL_H = /^\s*#\s*include\s*["<]kernel\.h[">]/m;

/** True if `folder` is a WeensyOS folder: marked so in settings, or (auto) its kernel.c includes kernel.h. */
export async function isWeensyFolder(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const setting = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<FolderSetting>('weensyosFolder', 'auto');
  if (setting === 'yes') return true;
  if (setting === 'no') return false;
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'kernel.c'));
    return INCLUDES_KERNEL_H.test(new TextDecoder().decode(bytes.subarray(0, 256 * 1024)));
  } catch {
    return false;
  }
}

export class WeensyLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private folders: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private pending: Promise<void> = Promise.resolve();
  private readonly builtinDir: string;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.builtinDir = context.asAbsolutePath('runtime/weensyos');
  }

  /**
   * Starts the client if there is a WeensyOS folder, and follows folder,
   * kernel.c and setting changes. Never throws: the debugger and the panel
   * work without the language server.
   */
  start(): vscode.Disposable {
    const refresh = (): void => {
      this.pending = this.pending.then(() => this.update()).catch((e: unknown) => console.error('WeensyScope language client:', e));
    };
    try {
      const kernels = vscode.workspace.createFileSystemWatcher('**/kernel.c');
      this.disposables.push(
        kernels,
        kernels.onDidCreate(refresh),
        kernels.onDidChange(refresh),
        kernels.onDidDelete(refresh),
        vscode.workspace.onDidChangeWorkspaceFolders(refresh),
        vscode.workspace.onDidChangeConfiguration((e) => {
          if (e.affectsConfiguration(`${SETTINGS_SECTION}.weensyosFolder`)) refresh();
        }),
        // The shipped built-in files are ours: opened from go to definition, they are read-only.
        vscode.window.onDidChangeActiveTextEditor((editor) => {
          if (editor && this.isBuiltin(editor.document.uri)) void vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
        }),
      );
      refresh();
    } catch (e) {
      console.error('WeensyScope: the language client could not start:', e);
    }
    return this;
  }

  private isBuiltin(uri: vscode.Uri): boolean {
    return uri.scheme === 'file' && uri.fsPath.startsWith(this.builtinDir);
  }

  private async update(): Promise<void> {
    const wanted: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (await isWeensyFolder(folder)) wanted.push(folder.uri.toString());
    }
    if (wanted.join('\n') === this.folders.join('\n') && (wanted.length === 0) === (this.client === undefined)) return;
    await this.stopClient();
    this.folders = wanted;
    if (wanted.length === 0) return;
    // Loaded when first needed: the extension activates (and the debugger works) without it.
    const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
    const module = this.context.asAbsolutePath('dist/language-server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const scope = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('diagnostics.scope');
    const initializationOptions: InitializationOptions = {
      builtinDir: this.builtinDir,
      settings: { diagnostics: { scope: scope === 'all' ? 'all' : 'errors-at-launch' } },
    };
    const watchers = [vscode.workspace.createFileSystemWatcher('**/.vscode/launch.json'), vscode.workspace.createFileSystemWatcher('**/*.{c,h}')];
    this.watchers = watchers;
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...wanted.map((uri) => ({ scheme: 'file', pattern: { baseUri: uri, pattern: '**/*.{c,h}' } })),
        { scheme: 'file', pattern: { baseUri: vscode.Uri.file(this.builtinDir).toString(), pattern: '*.{c,h}' } },
      ],
      diagnosticCollectionName: 'weensyscope-language-server',
      outputChannelName: 'WeensyScope Language Server',
      initializationOptions,
      synchronize: {
        // launch.json's defines, and C files changed on disk (not in an editor), make the server check again.
        fileEvents: watchers,
      },
    };
    this.client = new LanguageClient('weensyscope', 'WeensyScope Language Server', serverOptions, clientOptions);
    await this.client.start();
  }

  private async stopClient(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    for (const w of this.watchers.splice(0)) w.dispose();
    if (c) await c.stop().catch(() => undefined);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.stopClient();
  }
}
