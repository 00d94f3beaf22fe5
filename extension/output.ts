// The extension's one output channel, "WeensyScope", made when first used:
// Run Checks writes the grader's report there, Translate Address the walk.

import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

export function weensyOutput(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('WeensyScope');
  return channel;
}

export function disposeWeensyOutput(): void {
  channel?.dispose();
  channel = undefined;
}
