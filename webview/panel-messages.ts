// The messages between the extension and the memory-map panel, declared once
// (ARCHITECTURE.md, invariant 7). The extension imports this file, and so
// does the webview; nothing else names a panel message. It also declares the
// saved-snapshot file format, which the standalone page reads too.
//
// This file is free of the DOM and of `vscode`: both sides compile it.

import type { PanelSnapshot, SnapshotDiff } from '../emulator/index';

/** Where the snapshot on show came from. */
export type SnapshotOrigin =
  | { readonly kind: 'session'; readonly sessionName: string }
  | { readonly kind: 'file'; readonly fileName: string };

/** What the panel shows besides the picture: whether the machine is stopped, running, or gone. */
export type SessionState = 'stopped' | 'running' | 'ended' | 'none';

/** Extension → panel. */
export type ToPanelMessage =
  /**
   * A new picture: the snapshot of a stop (or of a file) and what changed
   * since the previous stop (null for the first stop or a file without one).
   * The panel validates `snapshot` before using it: it crossed a boundary.
   */
  | { readonly type: 'show'; readonly snapshot: PanelSnapshot; readonly diff: SnapshotDiff | null; readonly origin: SnapshotOrigin }
  /** A saved-snapshot file's text, for the panel to parse and show (or explain why it cannot). */
  | { readonly type: 'showFile'; readonly fileName: string; readonly text: string }
  /** The session's state changed (running, ended); the panel keeps the last picture and says it is stale. */
  | { readonly type: 'session'; readonly state: SessionState; readonly message?: string }
  /** Something the extension could not do for the panel (a snapshot request failed, a file would not open). */
  | { readonly type: 'error'; readonly message: string };

/** Panel → extension. */
export type FromPanelMessage =
  /** The panel's script is running: send the last picture (after a hide/show or a reload). */
  | { readonly type: 'ready' }
  /** Open a source location in the editor. `file` is the debug path ('<weensyos>/kernel.c' or a workspace file); lines and columns are 1-based. */
  | { readonly type: 'openSource'; readonly file: string; readonly line: number; readonly column: number }
  /** Take a fresh snapshot of the stopped session. */
  | { readonly type: 'refresh' }
  /** Save the picture on show to a file the user picks. */
  | { readonly type: 'saveSnapshot' }
  /** Pick a saved snapshot file and show it. */
  | { readonly type: 'openSnapshotFile' };

export type ToPanelType = ToPanelMessage['type'];
export type FromPanelType = FromPanelMessage['type'];

/** The saved-snapshot file: what "Save snapshot" writes and the standalone page and "Open Snapshot File" read. */
export interface SavedSnapshot {
  readonly format: typeof SAVED_SNAPSHOT_FORMAT;
  readonly snapshot: PanelSnapshot;
  readonly diff: SnapshotDiff | null;
  /** Where it was taken ("WeensyOS", the session's name), for the reader. */
  readonly title?: string;
}

export const SAVED_SNAPSHOT_FORMAT = 'weensyscope-snapshot';

/** The webview panel's view type (also the serializer's). */
export const MEMORY_MAP_VIEW_TYPE = 'weensyscope.memoryMap';

/** True if `m` looks like a message the extension accepts from the panel (it came from a web page). */
export function isFromPanelMessage(m: unknown): m is FromPanelMessage {
  if (typeof m !== 'object' || m === null) return false;
  const x = m as Record<string, unknown>;
  switch (x.type) {
    case 'ready':
    case 'refresh':
    case 'saveSnapshot':
    case 'openSnapshotFile':
      return true;
    case 'openSource':
      return typeof x.file === 'string' && Number.isInteger(x.line) && Number.isInteger(x.column);
    default:
      return false;
  }
}
