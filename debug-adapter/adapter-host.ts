// What the adapter needs from the world outside the emulator: files to read
// (the kernel and its workspace), a log file to write, and where the
// built-in WeensyOS sources live as real files for the editor to open.
// main.ts and the extension pass the Node implementation (node-host.ts);
// the emulator itself sees only a SourceHost built from it (invariant 1).

export type PathKind = 'file' | 'directory';

/** A sink for the WeensyOS log (logFile). */
export interface LogSink {
  write(text: string): void;
  close(): void;
}

export interface AdapterHost {
  /** The text of a file, or undefined when there is none (or it cannot be read). */
  readFile(path: string): string | undefined;
  /** What is at `path`, if anything. */
  stat(path: string): PathKind | undefined;
  /** An absolute path in the compiler's form ('/' separators), `path` taken relative to `base` (default: the current folder). */
  absolute(path: string, base?: string): string;
  /** Creates (or truncates) a log file; a message when it cannot. */
  openLog(path: string): LogSink | string;
  /**
   * The folder holding the built-in WeensyOS files (kernel.c, k-hardware.c,
   * p-allocator.c, kernel.h...) as real files, when they are shipped beside
   * the adapter: stack frames and breakpoints then use real paths. Without
   * one the adapter serves their text through `source` requests.
   */
  readonly builtinDir?: string;
}
