// Temporary WeensyOS workspaces for the language-server tests: a folder with
// the reference kernel.c (and any other files given), removed afterwards.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weensyosFile } from '../../emulator/index';

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
