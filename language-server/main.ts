// `node dist/language-server.js --stdio`: the WeensyScope language server
// as a program (the extension starts it this way too; `--node-ipc` and
// `--socket=N` also work, as vscode-languageserver reads the transport
// from the command line). Files come from Node's file system; the shipped
// built-in WeensyOS files are looked for beside the bundle.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LAUNCH_WORKER_MARK, type LaunchWorkerPort, type LaunchWorkerResponse } from './launch-messages';
import { runLaunchWorker } from './launch-worker';
import { WeensyLanguageServer, type ServerHost } from './server';

/** Files above this size are not read at all (the analysis skips them anyway). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

function readFile(path: string): string | undefined {
  try {
    const s = statSync(path);
    if (!s.isFile() || s.size > MAX_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** runtime/weensyos beside the bundle (dist/../runtime/weensyos), as the extension ships it. */
function findBuiltinDir(): string | undefined {
  for (const candidate of [join(__dirname, '..', 'runtime', 'weensyos'), join(__dirname, 'runtime', 'weensyos')]) {
    if (existsSync(join(candidate, 'kernel.h'))) return resolve(candidate).replace(/\\/g, '/');
  }
  return undefined;
}

/** The launch check runs in a worker thread started from this same bundle. */
function startLaunchWorker(server: () => WeensyLanguageServer): LaunchWorkerPort {
  const worker = new Worker(__filename, { workerData: LAUNCH_WORKER_MARK, stdout: true, stderr: true });
  const listeners: ((r: LaunchWorkerResponse) => void)[] = [];
  worker.on('message', (r: LaunchWorkerResponse) => listeners.forEach((l) => l(r)));
  worker.on('error', (e) => server().launchWorkerFailed(e.message));
  worker.on('exit', (code) => {
    if (code !== 0) server().launchWorkerFailed(`the worker exited with code ${code}`);
  });
  // The worker holds no state worth waiting for at exit.
  worker.unref();
  return {
    post: (request) => worker.postMessage(request),
    onResponse: (listener) => void listeners.push(listener),
    terminate: () => void worker.terminate(),
  };
}

function startServer(): void {
  const builtinDir = findBuiltinDir();
  const host: ServerHost = {
    disk: { readFile },
    ...(builtinDir !== undefined ? { defaultBuiltinDir: builtinDir } : {}),
    listHeaders(folder: string): string[] {
      try {
        return readdirSync(folder).filter((n) => n.endsWith('.h'));
      } catch {
        return [];
      }
    },
    // Called only after `server` below exists (at the first launch check).
    startLaunchWorker: () => startLaunchWorker(() => server),
  };
  const connection = createConnection(ProposedFeatures.all);
  // A bug must not take the server down: log it, answer the next request.
  process.on('uncaughtException', (e) => connection.console.error(`WeensyScope: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => connection.console.error(`WeensyScope: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  const server = new WeensyLanguageServer(connection, host);
  server.listen();
}

if (!isMainThread && workerData === LAUNCH_WORKER_MARK && parentPort) runLaunchWorker(parentPort);
else startServer();
