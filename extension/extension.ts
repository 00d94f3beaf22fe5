// The WeensyScope VS Code extension: registers the `weensy` debugger (the
// debug adapter runs inline, in the extension host, as the same class
// `node dist/debug-adapter.js` runs), gives it a configuration when the
// user presses F5 in a WeensyOS folder without a launch.json, shows the
// compiler's diagnostics of a launch in the Problems panel, sends keys
// to the running WeensyOS, and shows the memory-map panel
// (memory-map-panel.ts); the commands Open Reference Workspace, Run Checks,
// Translate Address and Create Launch Configuration, and the first-run offer
// of a launch configuration, live in their own files. The only code that
// imports `vscode`.

import * as vscode from 'vscode';
import { customEventBody, sendCustomRequest, type LaunchDiagnostic } from '../debug-adapter/custom-requests';
import type { WeensyLaunchArguments } from '../debug-adapter/launch-config';
import { defaultBuiltinDir, nodeHost } from '../debug-adapter/node-host';
import { WeensyDebugSession } from '../debug-adapter/weensy-debug-session';
import { createLaunchConfiguration, offerLaunchConfigurations } from './first-run';
import { MemoryMapPanel } from './memory-map-panel';
import { WeensyLanguageClient } from './language-client';
import { disposeWeensyOutput } from './output';
import { exists, openReferenceWorkspace } from './reference-workspace';
import { runChecks } from './run-checks';
import { translateAddress } from './translate-address';

const DEBUG_TYPE = 'weensy';

/** The keys WeensyOS's check_keyboard understands. */
const KEYS: readonly { readonly key: string; readonly description: string }[] = [
  { key: 'a', description: 'Reboot into the four allocator processes' },
  { key: 'f', description: 'Reboot into p-fork' },
  { key: 'e', description: 'Reboot into p-forkexit' },
  { key: 'q', description: 'Power off' },
];

/** The configuration F5 uses in a folder without a launch.json, and the one "Add Configuration" writes first. */
function initialConfiguration(hasKernel: boolean): WeensyLaunchArguments & vscode.DebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'WeensyOS',
    ...(hasKernel ? { kernel: '${workspaceFolder}/kernel.c' } : {}),
    stopOnEntry: false,
  };
}

class WeensyConfigurationProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const hasKernel = folder !== undefined && (await exists(vscode.Uri.joinPath(folder.uri, 'kernel.c')));
    return [initialConfiguration(hasKernel)];
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const kernelInFolder = folder !== undefined && (await exists(vscode.Uri.joinPath(folder.uri, 'kernel.c')));
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: debug this folder's kernel.c, else the bundled reference kernel.
      const editor = vscode.window.activeTextEditor;
      if (!kernelInFolder && editor?.document.languageId !== 'c') {
        void vscode.window.showInformationMessage('WeensyScope: no kernel.c in this folder, so the bundled reference kernel runs. `weensy init` writes a workspace.');
      }
      config = { ...initialConfiguration(false), ...(kernelInFolder && folder ? { kernel: vscode.Uri.joinPath(folder.uri, 'kernel.c').fsPath } : {}) };
    }
    if (folder !== undefined && config.cwd === undefined) config.cwd = folder.uri.fsPath;
    // What launch.json leaves out comes from the settings.
    const settings = vscode.workspace.getConfiguration('weensyscope', folder?.uri);
    if (config.instructionsPerTick === undefined) {
      const n = settings.get<number>('debug.instructionsPerTick');
      if (typeof n === 'number' && Number.isInteger(n) && n >= 1) config.instructionsPerTick = n;
    }
    if (config.variant === undefined) {
      const v = settings.get<string>('debug.variant');
      if (v === 'nyu' || v === 'cs61') config.variant = v;
    }
    return config;
  }
}

/** The Problems panel entries of the last launch. */
class LaunchProblems {
  readonly collection = vscode.languages.createDiagnosticCollection('weensyscope');

  show(list: readonly LaunchDiagnostic[]): void {
    this.collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const d of list) {
      if (d.path === undefined) continue;
      const range = new vscode.Range(d.line - 1, Math.max(0, d.column - 1), Math.max(d.line, d.endLine) - 1, Math.max(0, d.endColumn - 1));
      const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const diagnostic = new vscode.Diagnostic(range, d.message, severity);
      diagnostic.source = 'weensy cc';
      const group = byFile.get(d.path) ?? [];
      group.push(diagnostic);
      byFile.set(d.path, group);
    }
    for (const [path, diagnostics] of byFile) this.collection.set(vscode.Uri.file(path), diagnostics);
  }
}

async function sendKey(key?: string): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) {
    void vscode.window.showErrorMessage('WeensyScope: start a WeensyOS debug session first.');
    return;
  }
  let keys = typeof key === 'string' ? key : undefined;
  if (keys === undefined) {
    const pick = await vscode.window.showQuickPick(
      KEYS.map((k) => ({ label: k.key, description: k.description })),
      { title: 'WeensyScope: send a key to WeensyOS', placeHolder: 'The key arrives at the machine\'s current instruction' },
    );
    if (!pick) return;
    keys = pick.label;
  }
  try {
    const body = await sendCustomRequest((c, a) => session.customRequest(c, a), 'weensy/sendKeys', { keys });
    void vscode.window.setStatusBarMessage(`WeensyScope: sent ${JSON.stringify(keys)} (${body.sent} key${body.sent === 1 ? '' : 's'})`, 3000);
  } catch (e) {
    void vscode.window.showErrorMessage(`WeensyScope: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function activate(context: vscode.ExtensionContext): void {
  const shipped = context.asAbsolutePath('runtime/weensyos');
  const builtinDir = defaultBuiltinDir(context.asAbsolutePath('dist')) ?? shipped;
  const problems = new LaunchProblems();

  context.subscriptions.push(
    problems.collection,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new WeensyDebugSession(nodeHost({ builtinDir }))),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new WeensyConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      provideDebugConfigurations: async (folder) => new WeensyConfigurationProvider().provideDebugConfigurations(folder),
    }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: unknown) => {
          const body = customEventBody(message, 'weensy/diagnostics');
          if (body) problems.show(body.diagnostics);
        },
      }),
    }),
    vscode.commands.registerCommand('weensyscope.sendKey', (key?: string) => sendKey(key)),
    vscode.commands.registerCommand('weensyscope.openReferenceWorkspace', (target?: vscode.Uri, options?: { open?: boolean }) => openReferenceWorkspace(target, options)),
    vscode.commands.registerCommand('weensyscope.runChecks', () => runChecks(context)),
    vscode.commands.registerCommand('weensyscope.translateAddress', (input?: string) => translateAddress(input)),
    vscode.commands.registerCommand('weensyscope.createLaunchConfiguration', () => createLaunchConfiguration()),
    { dispose: disposeWeensyOutput },
    ...new MemoryMapPanel(context, defaultBuiltinDir(context.asAbsolutePath('dist'))).register(),
  );
  // The language server, for the C files of WeensyOS folders (language-client.ts).
  context.subscriptions.push(new WeensyLanguageClient(context).start());
  // First run in a lab folder without a weensy launch configuration: offer one (first-run.ts).
  context.subscriptions.push(offerLaunchConfigurations(context));
}

export function deactivate(): void {
  // Everything registered is disposed through context.subscriptions.
}
