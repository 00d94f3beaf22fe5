// The launch-check worker: builds WeensyOS with buildWeensyOS exactly as a
// launch does (the same compiler, include path and defines, the programs
// and the kernel linked), with the editor's open texts in place of the
// files on disk, and answers with every diagnostic. This is what finds the
// errors only linking reveals: an undefined function (our compiler accepts
// an implicit declaration with a warning, as gcc does), a program whose
// code outgrows its page, a kernel image that reaches its stack page.

import { readFileSync, statSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { buildWeensyOS } from '../emulator/index';
import type { LaunchWorkerRequest, LaunchWorkerResponse } from './launch-messages';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

function readDisk(path: string): string | undefined {
  try {
    const s = statSync(path);
    return s.isFile() && s.size <= MAX_FILE_BYTES ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export function runLaunchWorker(port: MessagePort): void {
  port.on('message', (request: LaunchWorkerRequest) => {
    let response: LaunchWorkerResponse;
    const started = performance.now();
    try {
      const overlays = new Map(request.overlays);
      const cache = new Map<string, string | undefined>();
      const host = {
        readFile(path: string): string | undefined {
          if (overlays.has(path)) return overlays.get(path);
          if (!cache.has(path)) cache.set(path, readDisk(path));
          return cache.get(path);
        },
      };
      const build = buildWeensyOS({ host, workspace: request.workspace, defines: new Map(request.defines), ...(request.variant ? { variant: request.variant } : {}) });
      response = { type: 'built', id: request.id, diagnostics: build.diagnostics, ms: performance.now() - started };
    } catch (e) {
      response = { type: 'failed', id: request.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(response);
  });
}
