// Where things are in the user's files. Every token, AST node, diagnostic and
// line-table row points back here, through macro expansions.

/** A C source file as the compiler sees it: a path (for messages) and its text. */
export interface SourceFile {
  /** The path used in messages and debug information, e.g. "kernel.c" or "<built-in>/kernel.h". */
  readonly path: string;
  readonly text: string;
}

/** A position in a source file. Lines and columns are 1-based (as gcc prints them); offset is 0-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open range [start, end) within one file. */
export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/**
 * Supplies files to the preprocessor. The compiler does no I/O itself
 * (ARCHITECTURE.md, invariant 1): the CLI, the language server and the tests
 * each provide their own host.
 */
export interface SourceHost {
  /** The text of the file at `path`, or undefined if there is no such file. */
  readFile(path: string): string | undefined;
}

/** Precomputes line starts so offsets turn into line/column quickly. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(readonly file: SourceFile) {
    const t = file.text;
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file.path, line: lo + 1, column: offset - this.starts[lo]! + 1, offset };
  }
  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }
  /** The text of 1-based line `line`, without its newline (for caret displays). */
  lineText(line: number): string {
    const s = this.starts[line - 1];
    if (s === undefined) return '';
    const e = this.starts[line] ?? this.file.text.length + 1;
    return this.file.text.slice(s, e - 1).replace(/\r$/, '');
  }
}
