// First run in a lab folder: when a workspace folder looks like the WeensyOS
// lab (its kernel.c includes kernel.h) and has no `weensy` launch
// configuration, offer once (a notification, not a modal dialog; the
// answer, or having asked, is remembered per folder in workspaceState) to
// add one to .vscode/launch.json. "WeensyScope: Create Launch
// Configuration" does the same on demand.

import * as vscode from 'vscode';
import { LAUNCH_JSON } from '../cli/init-command';
import { isWeensyFolder } from './language-client';

const OFFERED = 'weensyscope.offeredLaunchConfiguration';

function hasWeensyConfiguration(folder: vscode.WorkspaceFolder): boolean {
  const configurations = vscode.workspace.getConfiguration('launch', folder.uri).get<unknown[]>('configurations') ?? [];
  return configurations.some((c) => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'weensy');
}

/** Adds `weensy init`'s configuration to the folder's launch.json (created if missing, other configurations kept). */
export async function createLaunchConfiguration(folder?: vscode.WorkspaceFolder): Promise<boolean> {
  const target = folder ?? (vscode.workspace.workspaceFolders?.length === 1
    ? vscode.workspace.workspaceFolders[0]
    : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder to debug with WeensyScope' }));
  if (!target) return false;
  if (hasWeensyConfiguration(target)) {
    void vscode.window.showInformationMessage(`WeensyScope: ${target.name}'s launch.json already has a weensy configuration.`);
    return false;
  }
  const launch = vscode.workspace.getConfiguration('launch', target.uri);
  const existing = launch.get<unknown[]>('configurations') ?? [];
  await launch.update('configurations', [...existing, ...LAUNCH_JSON.configurations], vscode.ConfigurationTarget.WorkspaceFolder);
  void vscode.window.setStatusBarMessage('WeensyScope: added the "WeensyOS" configuration to .vscode/launch.json; press F5 to debug', 8000);
  return true;
}

/** Looks at each folder once (now and when folders are added) and offers the launch configuration where it fits. */
export function offerLaunchConfigurations(context: vscode.ExtensionContext): vscode.Disposable {
  const offer = async (folder: vscode.WorkspaceFolder): Promise<void> => {
    const asked = context.workspaceState.get<string[]>(OFFERED, []);
    if (asked.includes(folder.uri.toString())) return;
    if (!(await isWeensyFolder(folder)) || hasWeensyConfiguration(folder)) return;
    await context.workspaceState.update(OFFERED, [...asked, folder.uri.toString()]);
    const choice = await vscode.window.showInformationMessage(
      `${folder.name} looks like the WeensyOS lab. Create .vscode/launch.json to debug it with WeensyScope (F5)?`,
      'Create launch.json', 'Not Now',
    );
    if (choice === 'Create launch.json') await createLaunchConfiguration(folder);
  };
  const all = (folders: readonly vscode.WorkspaceFolder[]): void => {
    for (const f of folders) offer(f).catch((e: unknown) => console.error('WeensyScope first run:', e));
  };
  try {
    all(vscode.workspace.workspaceFolders ?? []);
    return vscode.workspace.onDidChangeWorkspaceFolders((e) => all(e.added));
  } catch (e) {
    // Never stops activation: the debugger works without the offer.
    console.error('WeensyScope first run:', e);
    return { dispose: () => undefined };
  }
}
