// "WeensyScope: Translate Address": asks for a virtual address (and, in the
// same box, an optional process: "0x2ff000 pid 3"), and walks it in the
// stopped machine of the active `weensy` session with the custom request
// weensy/translate, writing the walk level by level to the WeensyScope
// output channel. Without a session it says what to do instead.

import * as vscode from 'vscode';
import { sendCustomRequest } from '../debug-adapter/custom-requests';
import { weensyOutput } from './output';

const INPUT = /^\s*(0x[0-9a-f]+|\d+)\s*(?:(?:pid\s*)?(\d+))?\s*$/i;

/** Parses "0x2ff000", "0x2ff000 3" or "0x2ff000 pid 3". */
export function parseTranslateInput(text: string): { va: string; pid?: number } | undefined {
  const m = INPUT.exec(text);
  if (!m) return undefined;
  return { va: m[1]!, ...(m[2] !== undefined ? { pid: Number(m[2]) } : {}) };
}

export async function translateAddress(input?: string): Promise<string | undefined> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== 'weensy') {
    const choice = await vscode.window.showInformationMessage(
      'WeensyScope: Translate Address walks an address in a running WeensyOS: start debugging (F5) and stop somewhere first. The memory-map panel\'s translator also works on a saved snapshot.',
      'Start Debugging', 'Open Snapshot File...',
    );
    if (choice === 'Start Debugging') await vscode.commands.executeCommand('workbench.action.debug.start');
    if (choice === 'Open Snapshot File...') await vscode.commands.executeCommand('weensyscope.openSnapshotFile');
    return undefined;
  }
  const text = input ?? await vscode.window.showInputBox({
    title: 'WeensyScope: translate a virtual address',
    prompt: 'A virtual address, optionally followed by a process id (default: the current address space)',
    placeHolder: '0x2ff000   or   0x100000 pid 3',
    validateInput: (t) => (parseTranslateInput(t) ? undefined : 'An address in hex (0x...) or decimal, then optionally a pid'),
  });
  if (text === undefined) return undefined;
  const parsed = parseTranslateInput(text);
  if (!parsed) return undefined;
  const out = weensyOutput();
  try {
    const { translation: t } = await sendCustomRequest((c, a) => session.customRequest(c, a), 'weensy/translate', parsed);
    out.appendLine(`Translate ${parsed.va} in ${t.space} (${t.access.user ? 'user' : 'kernel'} ${t.access.kind}):`);
    for (const s of t.steps) out.appendLine(`  ${s.levelName}[${s.index}]  ${s.raw}  ${s.flagsText}  ${s.text}`);
    out.appendLine(`  ${t.message}`);
    out.show(true);
    void vscode.window.showInformationMessage(`WeensyScope: ${t.message}`);
    return t.message;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`WeensyScope: ${message}`);
    return undefined;
  }
}
