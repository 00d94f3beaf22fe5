// The WeensyScope messages beyond the Debug Adapter Protocol, declared once
// (ARCHITECTURE.md, invariant 7): the custom requests the panel and the
// extension send to the adapter, and the custom events the adapter sends.
// Both sides import these types; nothing else names a custom command.

import type { PanelSnapshot, SnapshotDiff, Translation } from '../emulator/index';

/** Each custom request: its command, its arguments and its response body. */
export interface CustomRequestMap {
  /** The panel's snapshot of the machine as it is now (between slices when running). */
  'weensy/snapshot': { readonly arguments: Record<string, never>; readonly body: { readonly snapshot: PanelSnapshot } };
  /**
   * The translation of a virtual address, level by level, in the address
   * space of a process (`pid`), of a page table (`cr3`), or the current one.
   */
  'weensy/translate': {
    readonly arguments: {
      /** A number, or a string in hex (0x2ff000) or decimal. */
      readonly va: number | string;
      readonly pid?: number;
      readonly cr3?: number;
      /** The access to check rights for (default: a kernel read). */
      readonly access?: { readonly kind: 'read' | 'write' | 'fetch'; readonly user: boolean };
    };
    readonly body: { readonly translation: Translation };
  };
  /**
   * What changed between the previous stop and this one. The adapter keeps a
   * snapshot of each stop once the panel has asked for one; `diff` is null
   * until two stops have been recorded.
   */
  'weensy/diff': { readonly arguments: Record<string, never>; readonly body: { readonly diff: SnapshotDiff | null; readonly snapshot: PanelSnapshot } };
  /** Keys for the WeensyOS keyboard ('a', 'f', 'e', 'q' reboot into a program or power off). */
  'weensy/sendKeys': { readonly arguments: { readonly keys: string }; readonly body: { readonly sent: number } };
}

export type CustomCommand = keyof CustomRequestMap;
export type CustomArguments<C extends CustomCommand> = CustomRequestMap[C]['arguments'];
export type CustomResponseBody<C extends CustomCommand> = CustomRequestMap[C]['body'];

/** The custom requests as one discriminated union (on `command`). */
export type CustomRequest = { [C in CustomCommand]: { readonly command: C; readonly arguments: CustomArguments<C> } }[CustomCommand];

export const CUSTOM_COMMANDS: readonly CustomCommand[] = ['weensy/snapshot', 'weensy/translate', 'weensy/diff', 'weensy/sendKeys'];

export function isCustomCommand(command: string): command is CustomCommand {
  return (CUSTOM_COMMANDS as readonly string[]).includes(command);
}

/** A compiler diagnostic as the extension shows it in the Problems panel (lines and columns 1-based). */
export interface LaunchDiagnostic {
  /** The file as the editor opens it (a workspace path, or the shipped copy of a built-in file); undefined for a built-in file not shipped as a file. */
  readonly path?: string;
  /** The file as the compiler names it ("<weensyos>/k-hardware.c" for a built-in file). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning' | 'note';
  readonly message: string;
}

/** Each custom event: its name and body. */
export interface CustomEventMap {
  /** The compiler's diagnostics of the last build (empty after a clean build): the extension puts them in the Problems panel. */
  'weensy/diagnostics': { readonly diagnostics: readonly LaunchDiagnostic[] };
}

export type CustomEventName = keyof CustomEventMap;

/** The custom events as one discriminated union (on `event`). */
export type CustomEvent = { [E in CustomEventName]: { readonly event: E; readonly body: CustomEventMap[E] } }[CustomEventName];

/**
 * Sends a custom request through a client's untyped `customRequest`
 * (vscode.DebugSession's, or a test's DebugClient's), typed by the map.
 */
export async function sendCustomRequest<C extends CustomCommand>(
  send: (command: string, args: unknown) => PromiseLike<unknown>, command: C, args: CustomArguments<C>,
): Promise<CustomResponseBody<C>> {
  return (await send(command, args)) as CustomResponseBody<C>;
}

/** The body of a DAP message if it is custom event `name`. */
export function customEventBody<E extends CustomEventName>(message: unknown, name: E): CustomEventMap[E] | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as { type?: unknown; event?: unknown; body?: unknown };
  return m.type === 'event' && m.event === name ? (m.body as CustomEventMap[E]) : undefined;
}
