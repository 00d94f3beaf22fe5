// Source files between the client and the build. The build names workspace
// files by their paths and the built-in files `<weensyos>/k-hardware.c`
// (C files) or `<built-in>/kernel.h` (headers). The client sees a real path
// for each: a workspace file's own, or the shipped copy of a built-in file
// in the host's builtinDir; without one, a built-in file is served by
// reference (DAP's `source` request).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { weensyosSourceText } from '../emulator/index';
import type { AdapterHost } from './adapter-host';

const BUILTIN_PREFIXES = ['<weensyos>/', '<built-in>/'];

function builtinName(buildPath: string): string | undefined {
  for (const p of BUILTIN_PREFIXES) if (buildPath.startsWith(p)) return buildPath.slice(p.length);
  return undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export class SourcePaths {
  private readonly known: Set<string>;
  private readonly references: string[] = [];

  constructor(
    private readonly host: AdapterHost,
    /** Every source file of the build, as the build names them. */
    sources: Iterable<string>,
  ) {
    this.known = new Set(sources);
  }

  /** The file the editor opens for a build path, when there is one. */
  clientPath(buildPath: string): string | undefined {
    const name = builtinName(buildPath);
    if (name === undefined) return buildPath;
    const dir = this.host.builtinDir;
    if (dir !== undefined && this.host.stat(`${dir}/${name}`) === 'file') return `${dir}/${name}`;
    return undefined;
  }

  /** The DAP Source for a build path. */
  toClient(buildPath: string): DebugProtocol.Source {
    const name = builtinName(buildPath);
    const path = this.clientPath(buildPath);
    if (name === undefined) return { name: baseName(buildPath), path: buildPath };
    if (path !== undefined) return { name, path, origin: 'WeensyOS (built in)' };
    let ref = this.references.indexOf(buildPath);
    if (ref < 0) ref = this.references.push(buildPath) - 1;
    return { name, sourceReference: ref + 1, origin: 'WeensyOS (built in)', presentationHint: 'normal' };
  }

  /** The build path for a client Source (undefined when it names nothing we know). */
  toBuild(source: DebugProtocol.Source | undefined): string | undefined {
    if (!source) return undefined;
    if (source.sourceReference !== undefined && source.sourceReference > 0) {
      const p = this.references[source.sourceReference - 1];
      if (p !== undefined) return p;
    }
    if (source.path === undefined) return undefined;
    const path = source.path.replace(/\\/g, '/');
    if (this.known.has(path)) return path;
    if (builtinName(path) !== undefined) return path;
    const dir = this.host.builtinDir;
    if (dir !== undefined && path.startsWith(`${dir}/`)) {
      const name = path.slice(dir.length + 1);
      for (const p of BUILTIN_PREFIXES) if (this.known.has(p + name)) return p + name;
      return `${name.endsWith('.h') ? '<built-in>/' : '<weensyos>/'}${name}`;
    }
    return path;
  }

  /** The text of a source served by reference. */
  text(sourceReference: number): string | undefined {
    const p = this.references[sourceReference - 1];
    if (p === undefined) return undefined;
    return weensyosSourceText(p) ?? this.host.readFile(p);
  }

  /** Every source as the client sees it. */
  all(): DebugProtocol.Source[] {
    return [...this.known].sort().map((p) => this.toClient(p));
  }
}
