// The messages between the server and its launch-check worker thread,
// declared once (ARCHITECTURE.md, invariant 7). The worker builds the
// whole of WeensyOS as a launch would (every program and the kernel,
// linked), which takes most of a second, so it runs off the thread that
// answers hovers and completion.

import type { Diagnostic, WeensyVariant } from '../emulator/index';

/** The worker's `workerData`: how the bundle knows it was started as the worker. */
export const LAUNCH_WORKER_MARK = 'weensyscope-launch-check';

export type LaunchWorkerRequest = {
  readonly type: 'build';
  readonly id: number;
  /** The WeensyOS folder ('/' separators). */
  readonly workspace: string;
  /** The editor's texts of open files, which replace the disk's. */
  readonly overlays: readonly (readonly [string, string])[];
  readonly defines: readonly (readonly [string, string])[];
  readonly variant?: WeensyVariant;
};

export type LaunchWorkerResponse =
  | { readonly type: 'built'; readonly id: number; readonly diagnostics: readonly Diagnostic[]; readonly ms: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** What the server needs of a worker (a worker thread in the server, a stand-in in tests). */
export interface LaunchWorkerPort {
  post(request: LaunchWorkerRequest): void;
  onResponse(listener: (response: LaunchWorkerResponse) => void): void;
  terminate(): void;
}
