// "WeensyScope: Open Reference Workspace": writes the files `weensy init`
// writes (the same function: cli/init-command.ts's workspaceFiles, the
// reference kernel.c from the runtime facade and .vscode/launch.json) into a
// folder the user picks, then opens it. Existing files are never
// overwritten: a folder that already holds a kernel.c gets a fresh
// subfolder instead.

import * as vscode from 'vscode';
import { workspaceFiles } from '../cli/init-command';

const FOLDER_NAME = 'weensyos-lab';

/** Whether `uri` names a file or folder (extension.ts asks this too). */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A folder under `parent` that holds none of the workspace's files: `parent` itself if it is empty of them, else weensyos-lab, weensyos-lab-2... */
async function freshFolder(parent: vscode.Uri, files: readonly string[]): Promise<vscode.Uri> {
  const clash = async (dir: vscode.Uri): Promise<boolean> => {
    for (const f of files) if (await exists(vscode.Uri.joinPath(dir, f))) return true;
    return false;
  };
  for (let n = 1; ; n++) {
    const dir = vscode.Uri.joinPath(parent, n === 1 ? FOLDER_NAME : `${FOLDER_NAME}-${n}`);
    if (!(await clash(dir))) return dir;
  }
}

/** Writes the reference workspace into `target` (or a folder the user picks) and opens it. Returns the folder written. */
export async function openReferenceWorkspace(target?: vscode.Uri, options: { open?: boolean } = {}): Promise<vscode.Uri | undefined> {
  const files = workspaceFiles();
  let folder = target;
  if (folder === undefined) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false, canSelectFolders: true, canSelectMany: false,
      title: 'WeensyScope: where to create the reference workspace (a weensyos-lab folder is made inside)',
      openLabel: 'Create Here',
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    if (!picked?.[0]) return undefined;
    folder = await freshFolder(picked[0], [...files.keys()]);
  } else if (await exists(vscode.Uri.joinPath(folder, 'kernel.c'))) {
    folder = await freshFolder(folder, [...files.keys()]);
  }
  for (const [path, text] of files) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, path), new TextEncoder().encode(text));
  }
  if (options.open !== false) {
    // In the current window when it has no folder, else a new one.
    const forceNewWindow = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
    await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow });
  }
  return folder;
}
