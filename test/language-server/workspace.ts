// Temporary WeensyOS workspaces for the language-server tests: a folder with
// the reference kernel.c (and any other files given), removed afterwards;
// and a language server on one, for all of a test file's tests.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { weensyosFile } from '../../emulator/index';
import { LspTestClient } from './lsp-client';

export const REFERENCE_KERNEL = weensyosFile('kernel.c')!;

/** The reference kernel.c with `code` inserted as the first lines of kernel()'s body. */
export function kernelWith(code: string, before = ''): string {
  const head = 'void kernel(const char* command) {';
  if (!REFERENCE_KERNEL.includes(head)) throw new Error('kernel() not found in the reference kernel');
  return (before ? REFERENCE_KERNEL.replace('#include "kernel.h"', `#include "kernel.h"\n${before}`) : REFERENCE_KERNEL).replace(head, `${head}\n${code}`);
}

export class TempWorkspace {
  readonly root: string;
  constructor(files: Record<string, string> = {}) {
    this.root = mkdtempSync(join(tmpdir(), 'weensy-lsp-')).replace(/\\/g, '/');
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }
  path(name: string): string {
    return `${this.root}/${name}`;
  }
  write(name: string, text: string): string {
    const p = this.path(name);
    mkdirSync(p.slice(0, p.lastIndexOf('/')), { recursive: true });
    writeFileSync(p, text);
    return p;
  }
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Before the file's tests, a workspace of `files` and a language server on
 * it, handed to `started` (which may do more set-up); after them, the server
 * stopped and the workspace removed.
 */
export function languageServerFor(files: Record<string, string>, started: (client: LspTestClient, ws: TempWorkspace) => void | Promise<void>): void {
  let client: LspTestClient | undefined;
  let ws: TempWorkspace | undefined;
  beforeAll(async () => {
    ws = new TempWorkspace(files);
    client = await LspTestClient.start({ root: ws.root });
    await started(client, ws);
  });
  afterAll(async () => {
    await client?.stop();
    ws?.dispose();
  });
}
