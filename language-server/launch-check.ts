// The launch check: after a document of a WeensyOS folder compiles
// cleanly, the whole folder is built as a launch would build it, in a
// worker thread (launch-worker.ts), so that what only linking finds (an
// undefined function, a program that outgrows its page) is in the editor
// too. One build per folder at a time; a request made while one runs is
// sent when it ends, with the texts of that moment. A result remembers the
// texts it was built from, so a document edited since is not shown errors
// for text that is gone.

import type { Diagnostic } from '../emulator/index';
import type { LaunchSettings } from './launch-settings';
import type { LaunchWorkerPort, LaunchWorkerResponse } from './launch-messages';

export interface LaunchResult {
  readonly folder: string;
  /** The open documents' texts the build used, by path. */
  readonly texts: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
  readonly ms: number;
}

interface Request {
  readonly folder: string;
  readonly overlays: ReadonlyMap<string, string>;
  readonly launch: LaunchSettings | undefined;
}

export class LaunchChecker {
  private worker: LaunchWorkerPort | undefined;
  private nextId = 1;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Folders with a build in the worker, by request id. */
  private readonly running = new Map<number, Request>();
  /** The latest request for a folder that waits for its running build to end. */
  private readonly waiting = new Map<string, Request>();
  readonly results = new Map<string, LaunchResult>();

  constructor(
    private readonly startWorker: () => LaunchWorkerPort | undefined,
    private readonly onResult: (result: LaunchResult) => void,
    private readonly log: (message: string) => void,
    private readonly delayMs = 600,
  ) {}

  /** Asks for a build of `folder` in `delayMs`, unless asked again before. */
  request(folder: string, overlays: () => ReadonlyMap<string, string>, launch: LaunchSettings | undefined): void {
    const old = this.timers.get(folder);
    if (old) clearTimeout(old);
    this.timers.set(folder, setTimeout(() => {
      this.timers.delete(folder);
      this.send({ folder, overlays: overlays(), launch });
    }, this.delayMs));
  }

  private send(request: Request): void {
    if ([...this.running.values()].some((r) => r.folder === request.folder)) {
      this.waiting.set(request.folder, request);
      return;
    }
    const worker = this.ensureWorker();
    if (!worker) return;
    const id = this.nextId++;
    this.running.set(id, request);
    worker.post({
      type: 'build',
      id,
      workspace: request.folder,
      overlays: [...request.overlays],
      defines: [...(request.launch?.defines ?? [])],
      ...(request.launch?.variant ? { variant: request.launch.variant } : {}),
    });
  }

  private ensureWorker(): LaunchWorkerPort | undefined {
    if (this.worker) return this.worker;
    try {
      this.worker = this.startWorker();
    } catch (e) {
      this.log(`WeensyScope: the launch check cannot start: ${e instanceof Error ? e.message : String(e)}`);
      this.worker = undefined;
    }
    this.worker?.onResponse((r) => this.received(r));
    return this.worker;
  }

  /** The worker died: forget its builds; the next request starts a new one. */
  workerFailed(message: string): void {
    this.log(`WeensyScope: the launch check stopped: ${message}`);
    this.worker = undefined;
    this.running.clear();
  }

  private received(response: LaunchWorkerResponse): void {
    const request = this.running.get(response.id);
    if (!request) return;
    this.running.delete(response.id);
    if (response.type === 'failed') this.log(`WeensyScope: the launch check failed: ${response.message}`);
    else {
      const result: LaunchResult = { folder: request.folder, texts: request.overlays, diagnostics: response.diagnostics, ms: response.ms };
      this.results.set(request.folder, result);
      this.onResult(result);
    }
    const next = this.waiting.get(request.folder);
    if (next) {
      this.waiting.delete(request.folder);
      this.send(next);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.worker?.terminate();
    this.worker = undefined;
  }
}
