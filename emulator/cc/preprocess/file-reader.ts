// The include stack. Reads raw tokens file by file, hands each directive
// line to the preprocessor, and drops the tokens of groups that conditional
// inclusion skips (C11 6.10.1p6). Each file ends with its own 'eof' token,
// so macro arguments never run from one file into another, as in gcc.

import type { Lexer } from '../lex/lexer';
import type { SourceFile } from '../source';
import type { TokenSource } from './expander';
import type { PPToken } from './pp-token';

/** One #if ... #endif being read. */
export interface Conditional {
  /** The #if, #ifdef or #ifndef's name token, where "unterminated" errors point. */
  readonly directive: PPToken;
  /**
   * taking: the current group is live; seeking: no group taken yet;
   * done: an earlier group was taken; dead: the whole conditional sits in a
   * skipped group.
   */
  state: 'taking' | 'seeking' | 'done' | 'dead';
  /** The name of the latest directive of the chain (if, elif, else...), for messages. */
  last: string;
  /** The #else, once seen. */
  sawElse?: PPToken;
}

/** A #line directive: from `physicalLine` on, lines are numbered from `line` and the file is called `file`. */
export interface LineDirective {
  readonly physicalLine: number;
  readonly line: number;
  readonly file: string;
}

export interface IncludeFrame {
  readonly file: SourceFile;
  readonly lexer: Lexer;
  readonly conditionals: Conditional[];
  readonly lineDirectives: LineDirective[];
  /**
   * Where the file was found, for #include_next: -1 for the main file or
   * the includer's folder, i for includePaths[i], includePaths.length for
   * a built-in header.
   */
  readonly searchIndex: number;
  /** True for a built-in header (its includes search no folder of its own). */
  readonly builtin: boolean;
  /** True for the `<built-in>` and `<command-line>` pseudo-files of predefined macros. */
  readonly pseudo: boolean;
}

export interface DirectiveHandler {
  /** Handles the directive starting with `hash`, reading its line from frame's lexer. */
  directive(hash: PPToken, frame: IncludeFrame): void;
  /** Called as a file ends, before it is popped. */
  endOfFile(frame: IncludeFrame): void;
}

export interface ReaderHost {
  readonly halted: boolean;
  spend(n: number, at: PPToken): boolean;
}

export function isSkipping(frame: IncludeFrame): boolean {
  const c = frame.conditionals[frame.conditionals.length - 1];
  return c !== undefined && c.state !== 'taking';
}

export class FileReader implements TokenSource {
  private readonly frames: IncludeFrame[] = [];
  private lookahead: PPToken | undefined;
  private finished = false;
  private realFiles = 0;

  constructor(private readonly handler: DirectiveHandler, private readonly host: ReaderHost, private readonly finalEof: PPToken) {}

  push(frame: IncludeFrame): void {
    this.frames.push(frame);
    if (!frame.pseudo) this.realFiles++;
  }

  get top(): IncludeFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** How many real files are open: 1 while reading the main file. */
  get depth(): number {
    return this.realFiles;
  }

  /** True once the main file has ended. */
  get done(): boolean {
    return this.finished;
  }

  next(): PPToken {
    for (;;) {
      const frame = this.top;
      if (frame === undefined || this.host.halted) {
        this.finished = true;
        return this.finalEof;
      }
      const t = this.lookahead ?? this.lex(frame);
      this.lookahead = undefined;
      if (t.kind === 'eof') {
        this.handler.endOfFile(frame);
        this.frames.pop();
        if (!frame.pseudo) this.realFiles--;
        if (this.frames.length === 0) this.finished = true;
        return this.frames.length === 0 ? this.finalEof : t;
      }
      if (t.lineStart && t.kind === 'punct' && t.text === '#') {
        this.handler.directive(t, frame);
        continue;
      }
      if (!isSkipping(frame)) return t;
    }
  }

  peek(): PPToken {
    const frame = this.top;
    if (frame === undefined || this.host.halted) return this.finalEof;
    this.lookahead ??= this.lex(frame);
    return this.lookahead;
  }

  private lex(frame: IncludeFrame): PPToken {
    frame.lexer.skipping = isSkipping(frame);
    const t = frame.lexer.next();
    this.host.spend(1, t);
    return t;
  }
}
