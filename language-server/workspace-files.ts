// The files the server compiles: the editor's open documents (their text as
// typed, not as saved) over the disk, and the built-in WeensyOS files. Also
// the one place that turns compiler paths into URIs and back: the compiler
// names files by '/'-separated paths, built-in ones under `<built-in>/`
// (headers) and `<weensyos>/` (C files), which live on disk in the shipped
// runtime/weensyos folder when the server knows where that is.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { weensyosSourceText, type SourceHost } from '../emulator/index';

/** What the server needs of a file system (Node's in the server; a map in unit tests). */
export interface FileReader {
  /** The text of a regular file, or undefined. */
  readFile(path: string): string | undefined;
}

export interface OpenDocument {
  readonly uri: string;
  readonly path: string;
  readonly version: number;
  readonly text: string;
}

const BUILTIN_PREFIXES = ['<built-in>/', '<weensyos>/'];

export class WorkspaceFiles {
  private readonly open = new Map<string, OpenDocument>();

  constructor(
    private readonly disk: FileReader,
    /** The shipped built-in files' folder ('/' separators), if known. */
    readonly builtinDir: string | undefined,
  ) {}

  /** The compiler path of a `file:` URI ('/' separators), or undefined for other schemes. */
  static pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri).replace(/\\/g, '/');
    } catch {
      return undefined;
    }
  }

  setDocument(uri: string, version: number, text: string): OpenDocument | undefined {
    const path = WorkspaceFiles.pathOf(uri);
    if (path === undefined) return undefined;
    const doc = { uri, path, version, text };
    this.open.set(path, doc);
    return doc;
  }

  closeDocument(uri: string): void {
    const path = WorkspaceFiles.pathOf(uri);
    if (path !== undefined && this.open.get(path)?.uri === uri) this.open.delete(path);
  }

  document(path: string): OpenDocument | undefined {
    return this.open.get(path);
  }

  documents(): OpenDocument[] {
    return [...this.open.values()];
  }

  /** A file's text: the open document's, a built-in file's, or the disk's. */
  read(path: string): string | undefined {
    const doc = this.open.get(path);
    if (doc) return doc.text;
    if (BUILTIN_PREFIXES.some((p) => path.startsWith(p))) return weensyosSourceText(path);
    return this.disk.readFile(path);
  }

  /**
   * A host for one compilation: reads through `read`, each file once, and
   * remembers every text it served (the hovers quote their comments).
   */
  host(texts: Map<string, string>): SourceHost {
    return {
      readFile: (path: string): string | undefined => {
        if (texts.has(path)) return texts.get(path);
        const text = this.read(path);
        if (text !== undefined) texts.set(path, text);
        return text;
      },
    };
  }

  /** The URI of a compiler path: the open document's own URI, a built-in file in the shipped folder, or a file URI. */
  uriOf(path: string): string | undefined {
    const doc = this.open.get(path);
    if (doc) return doc.uri;
    const builtin = BUILTIN_PREFIXES.find((p) => path.startsWith(p));
    if (builtin) {
      if (this.builtinDir === undefined) return undefined;
      return pathToFileURL(`${this.builtinDir}/${path.slice(builtin.length)}`).href;
    }
    if (!path.startsWith('/') && !/^[A-Za-z]:\//.test(path)) return undefined;
    return pathToFileURL(path).href;
  }
}

/** The folder of a '/'-separated path. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** The file name of a '/'-separated path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
