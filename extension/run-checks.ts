// "WeensyScope: Run Checks": the lab's grading, exactly as `weensy check`
// does it (it is the CLI bundle, dist/weensy.js, shipped in the .vsix), on
// the WeensyOS folder's kernel.c, in a child process so the editor stays
// responsive through the two billion instructions; the report goes to the
// WeensyScope output channel, and a notification gives the verdict.

import { fork } from 'node:child_process';
import * as vscode from 'vscode';
import { weensyOutput } from './output';

let running = false;

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const active = vscode.window.activeTextEditor?.document.uri;
  const own = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (own) return own;
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder whose kernel.c to check' });
}

export async function runChecks(context: vscode.ExtensionContext): Promise<number | undefined> {
  if (running) {
    void vscode.window.showInformationMessage('WeensyScope: the checks are already running (see the WeensyScope output).');
    return undefined;
  }
  const folder = await pickFolder();
  const args = ['check'];
  if (folder) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'kernel.c'));
      args.push('--kernel', folder.uri.fsPath);
    } catch {
      void vscode.window.showWarningMessage(`WeensyScope: ${folder.name} has no kernel.c, so the checks run on the bundled reference kernel.`);
    }
  }
  const variant = vscode.workspace.getConfiguration('weensyscope', folder?.uri).get<string>('debug.variant', 'nyu');
  args.push('--variant', variant === 'cs61' ? 'cs61' : 'nyu');
  // Unsaved edits are what the student means to check.
  await vscode.workspace.saveAll(false);

  const out = weensyOutput();
  out.clear();
  out.show(true);
  out.appendLine(`$ weensy ${args.join(' ')}`);
  running = true;
  try {
    const status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'WeensyScope: running the lab\'s checks (steps 1-5)', cancellable: true },
      (_progress, token) => new Promise<number>((resolve) => {
        const child = fork(context.asAbsolutePath('dist/weensy.js'), args, {
          cwd: folder?.uri.fsPath, silent: true,
          // In VS Code's Electron extension host, run the bundle as plain Node (as language clients do).
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        });
        child.stdout?.on('data', (d: Buffer) => out.append(d.toString()));
        child.stderr?.on('data', (d: Buffer) => out.append(d.toString()));
        token.onCancellationRequested(() => child.kill());
        child.once('error', (e) => {
          out.appendLine(`weensy check could not start: ${e.message}`);
          resolve(2);
        });
        child.once('exit', (code, signal) => resolve(code ?? (signal ? 130 : 2)));
      }),
    );
    if (status === 0) void vscode.window.showInformationMessage('WeensyScope: all five steps pass.');
    else if (status === 130) out.appendLine('(cancelled)');
    else {
      void vscode.window.showWarningMessage('WeensyScope: some checks fail; the WeensyScope output says which and why.', 'Show Output')
        .then((choice) => { if (choice) out.show(); });
    }
    return status;
  } finally {
    running = false;
  }
}
