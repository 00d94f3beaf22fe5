// The AdapterHost over Node's file system, for `node dist/debug-adapter.js`
// and for the extension's inline adapter (the extension host is Node too).

import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { AdapterHost, LogSink, PathKind } from './adapter-host';

/** A path with '/' separators, as the compiler names files. */
export function slashes(path: string): string {
  return path.replace(/\\/g, '/');
}

/** The shipped built-in sources beside the bundle (dist/../runtime/weensyos), if there. */
export function defaultBuiltinDir(bundleDir: string): string | undefined {
  for (const candidate of [join(bundleDir, '..', 'runtime', 'weensyos'), join(bundleDir, 'runtime', 'weensyos')]) {
    if (existsSync(join(candidate, 'kernel.c')) && existsSync(join(candidate, 'k-hardware.c'))) return slashes(resolve(candidate));
  }
  return undefined;
}

export function nodeHost(options: { readonly builtinDir?: string } = {}): AdapterHost {
  return {
    ...(options.builtinDir !== undefined ? { builtinDir: slashes(options.builtinDir) } : {}),
    readFile(path: string): string | undefined {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    stat(path: string): PathKind | undefined {
      try {
        const s = statSync(path);
        return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : undefined;
      } catch {
        return undefined;
      }
    },
    absolute(path: string, base?: string): string {
      const p = slashes(path);
      if (isAbsolute(path) || /^[A-Za-z]:\//.test(p)) return slashes(resolve(path));
      return slashes(resolve(base ?? process.cwd(), path));
    },
    openLog(path: string): LogSink | string {
      let fd: number;
      try {
        fd = openSync(path, 'w');
      } catch (e) {
        return `cannot write the log file ${path}: ${(e as Error).message}`;
      }
      let open = true;
      return {
        write(text: string): void {
          if (!open) return;
          try {
            writeSync(fd, text);
          } catch {
            open = false;
          }
        },
        close(): void {
          if (!open) return;
          open = false;
          try {
            closeSync(fd);
          } catch {
            // already closed
          }
        },
      };
    },
  };
}
