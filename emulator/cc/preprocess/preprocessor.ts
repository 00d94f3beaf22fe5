// One preprocessing run: the macro table, the include stack, the directives
// (C11 6.10), and the loop that turns the files into the parser's tokens.

import { DiagnosticSink, type Diagnostic } from '../diagnostic';
import { Lexer } from '../lex/lexer';
import type { SourceFile, SourcePosition, SourceRange } from '../source';
import { LineMap } from '../source';
import { userRange, type Expansion, type Token } from '../token';
import { BUILTIN_MACRO_NAMES, builtinMacro, expandBuiltin, type BuiltinContext } from './builtin-macros';
import { CONDITIONAL_DIRECTIVES, closeConditionals, conditionalDirective } from './conditional-directive';
import { ArraySource, Expander } from './expander';
import type { ExpansionHost } from './expansion-host';
import { FileReader, isSkipping, type DirectiveHandler, type IncludeFrame } from './file-reader';
import { includeDirective, resolveInclude, type IncludeSearch, type ResolvedInclude } from './include-directive';
import { lineDirective } from './line-directive';
import { sameDefinition, type Macro } from './macro';
import { parseDefine, RESERVED_NAMES } from './parse-define';
import { pragmaDirective } from './pragma-directive';
import { predefinedMacroText } from './predefined-macros';
import { eofAt, isPunct, SpaceTracker, type Item, type PPToken } from './pp-token';

export interface PreprocessorSettings extends IncludeSearch {
  readonly defines: ReadonlyMap<string, string>;
  readonly undefines: readonly string[];
  readonly hosted: boolean;
  readonly maxIncludeDepth: number;
  readonly maxSteps: number;
  readonly maxNesting: number;
  /** How __FILE__ spells a file's path (default: the path itself). */
  readonly fileMacroPath?: (path: string) => string;
}

type Note = { readonly message: string; readonly range: SourceRange };

export class Preprocessor implements ExpansionHost, DirectiveHandler, BuiltinContext {
  readonly sink = new DiagnosticSink();
  readonly macros = new Map<string, Macro>();
  readonly disabled = new Set<string>();
  readonly reader: FileReader;
  readonly includedFiles: string[] = [];
  readonly maxIncludeDepth: number;
  readonly maxNesting: number;
  halted = false;
  private readonly onceFiles = new Set<string>();
  private readonly pushedMacros = new Map<string, (Macro | undefined)[]>();
  private readonly expander: Expander;
  /** The expanders over the current directive's line, closed when it ends. */
  private readonly lineExpanders: Expander[] = [];
  private steps = 0;
  private counter = 0;
  private directiveDepth = 0;
  private nestingReported = false;

  constructor(private readonly main: SourceFile, readonly options: PreprocessorSettings) {
    this.maxIncludeDepth = options.maxIncludeDepth;
    this.maxNesting = options.maxNesting;
    const builtinStart: SourcePosition = { file: '<built-in>', line: 1, column: 1, offset: 0 };
    for (const name of BUILTIN_MACRO_NAMES) this.macros.set(name, builtinMacro(name, builtinStart));
    const mainMap = new LineMap(main);
    this.reader = new FileReader(this, this, eofAt(mainMap.range(main.text.length, main.text.length)));
    this.pushFrame(main, -1, false, false, mainMap);
    // Pseudo-files are read first, last pushed first: the predefined macros, then the command line's -D and -U.
    const commandLine = [...options.defines].map(([name, value]) => `#define ${name} ${value.replace(/\r?\n/g, ' ')}\n`);
    commandLine.push(...options.undefines.map((name) => `#undef ${name}\n`));
    if (commandLine.length > 0) this.pushFrame({ path: '<command-line>', text: commandLine.join('') }, -1, false, true);
    this.pushFrame({ path: '<built-in>', text: predefinedMacroText(options.hosted) }, -1, false, true);
    this.expander = new Expander(this, this.reader);
  }

  get mainPath(): string {
    return this.main.path;
  }

  get inDirective(): boolean {
    return this.directiveDepth > 0;
  }

  /** The output so far. */
  readonly output: Token[] = [];

  /** Preprocesses everything: the tokens for the parser, ending with one 'eof' token. */
  run(): Token[] {
    const out = this.output;
    const spacing = new SpaceTracker();
    for (;;) {
      const item = this.expander.next();
      if (item.kind === 'padding') {
        spacing.padding(item);
        continue;
      }
      if (item.kind === 'eof') {
        if (!this.reader.done) continue;
        out.push({ kind: 'eof', text: '', range: item.range, spaceBefore: false, lineStart: true });
        return out;
      }
      const s = spacing.take(item);
      const { kind, text, range, expansion } = item;
      const spaceBefore = s.spaceBefore;
      const lineStart = item.lineStart || (s !== item && s.lineStart);
      // Two literal shapes rather than a spread: this loop runs once per output token.
      out.push(expansion ? { kind, text, range, expansion, spaceBefore, lineStart } : { kind, text, range, spaceBefore, lineStart });
    }
  }

  // ---- Directives ----

  directive(hash: PPToken, frame: IncludeFrame): void {
    const lexer = frame.lexer;
    lexer.inDirective = true;
    this.directiveDepth++;
    try {
      if (lexer.atLineEnd()) return; // The null directive (C11 6.10.7).
      const name = lexer.next();
      if (isSkipping(frame)) {
        const line = this.readLine(lexer, name.text, hash);
        if (name.kind === 'identifier' && CONDITIONAL_DIRECTIVES.has(name.text)) conditionalDirective(this, frame, name, line);
        return;
      }
      const line = this.readLine(lexer, name.kind === 'identifier' ? name.text : '', hash);
      if (name.kind === 'number') lineDirective(this, frame, name, line);
      else if (name.kind !== 'identifier') this.error(`invalid preprocessing directive #${name.text}`, name);
      else this.namedDirective(frame, name, line);
    } finally {
      for (const ex of this.lineExpanders.splice(0)) ex.close();
      this.directiveDepth--;
      lexer.inDirective = false;
    }
  }

  private namedDirective(frame: IncludeFrame, name: PPToken, line: readonly PPToken[]): void {
    switch (name.text) {
      case 'define':
        return this.define(line, name);
      case 'undef':
        return this.undef(line, name);
      case 'include':
      case 'include_next':
      case 'import':
        return includeDirective(this, frame, name, line);
      case 'line':
        return lineDirective(this, frame, name, line);
      case 'error':
        return this.sink.error(`#error ${lineText(line)}`, name.range);
      case 'warning':
        return this.sink.warning(`#warning ${lineText(line)}`, name.range);
      case 'pragma':
        return pragmaDirective(this, name, line);
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return; // gcc extensions with no effect on the program.
      default:
        if (CONDITIONAL_DIRECTIVES.has(name.text)) return conditionalDirective(this, frame, name, line);
        this.error(`invalid preprocessing directive #${name.text}`, name);
    }
  }

  /**
   * The rest of a directive line. Header names are lexed where they may
   * appear: first on an #include line, and after `__has_include (` in #if.
   */
  private readLine(lexer: Lexer, directive: string, hash: PPToken): PPToken[] {
    const tokens: PPToken[] = [];
    const include = directive === 'include' || directive === 'include_next' || directive === 'import';
    const condition = directive === 'if' || directive === 'elif';
    while (!lexer.atLineEnd()) {
      const n = tokens.length;
      const wantsHeader =
        (include && n === 0) || (condition && n >= 2 && isPunct(tokens[n - 1], '(') && /^__has_include(_next)?$/.test(tokens[n - 2]!.text));
      tokens.push((wantsHeader ? lexer.headerName() : undefined) ?? lexer.next());
    }
    this.spend(tokens.length, hash);
    return tokens;
  }

  private define(line: readonly PPToken[], directive: PPToken): void {
    const macro = parseDefine(line, directive, this.sink);
    if (macro === undefined) return;
    const old = this.macros.get(macro.name);
    if (old !== undefined && !sameDefinition(old, macro)) {
      const notes = old.builtin ? undefined : [{ message: 'this is the location of the previous definition', range: old.range }];
      this.sink.warning(`"${macro.name}" redefined`, macro.range, notes);
    }
    this.macros.set(macro.name, macro);
  }

  private undef(line: readonly PPToken[], directive: PPToken): void {
    const name = line[0];
    if (name === undefined) return this.error('no macro name given in #undef directive', directive);
    if (name.kind !== 'identifier') return this.error('macro names must be identifiers', name);
    if (RESERVED_NAMES.has(name.text)) return this.error(`"${name.text}" cannot be used as a macro name`, name);
    if (line[1] !== undefined) this.warning('extra tokens at end of #undef directive', line[1]);
    if (this.macros.get(name.text)?.builtin) this.warning(`undefining "${name.text}"`, name);
    this.macros.delete(name.text);
  }

  endOfFile(frame: IncludeFrame): void {
    closeConditionals(this, frame);
  }

  /** An expander over one directive line, for #if, #include and #line. */
  lineExpander(line: readonly PPToken[], directive: PPToken): Expander {
    const last = line[line.length - 1] ?? directive;
    const ex = new Expander(this, new ArraySource(line, eofAt(last.range)));
    this.lineExpanders.push(ex);
    return ex;
  }

  // ---- Files ----

  private pushFrame(file: SourceFile, searchIndex: number, builtin: boolean, pseudo: boolean, lineMap?: LineMap): void {
    const lexer = new Lexer(file, this.sink, lineMap);
    this.reader.push({ file, lexer, conditionals: [], lineDirectives: [], searchIndex, builtin, pseudo });
  }

  /** Enters an included file, unless #pragma once (or #import) says it has been read already. */
  enterFile(found: ResolvedInclude, once: boolean): void {
    if (!this.includedFiles.includes(found.path)) this.includedFiles.push(found.path);
    if (this.onceFiles.has(found.path)) return;
    if (once) this.onceFiles.add(found.path);
    this.pushFrame({ path: found.path, text: found.text }, found.searchIndex, found.builtin, false);
  }

  pragmaOnce(at: PPToken): void {
    const frame = this.reader.top;
    if (frame === undefined) return;
    if (frame.file === this.main) this.sink.warning('#pragma once in main file', at.range);
    this.onceFiles.add(frame.file.path);
  }

  pushMacro(name: string): void {
    const stack = this.pushedMacros.get(name) ?? [];
    stack.push(this.macros.get(name));
    this.pushedMacros.set(name, stack);
  }

  popMacro(name: string): void {
    const stack = this.pushedMacros.get(name);
    if (stack === undefined || stack.length === 0) return;
    const macro = stack.pop();
    if (macro === undefined) this.macros.delete(name);
    else this.macros.set(name, macro);
  }

  // ---- ExpansionHost and BuiltinContext ----

  spend(n: number, at: PPToken): boolean {
    if (this.halted) return false;
    this.steps += n;
    if (this.steps <= this.options.maxSteps) return true;
    this.halted = true;
    this.sink.error(
      `preprocessing stopped after ${this.options.maxSteps} steps: runaway macro expansion or #include recursion?`,
      userRange(at),
      expansionNotes(at.expansion),
    );
    return false;
  }

  reportNesting(): boolean {
    const first = !this.nestingReported;
    this.nestingReported = true;
    return first;
  }

  expandBuiltin(name: PPToken, _macro: Macro, expander: Expander): Item[] | undefined {
    return expandBuiltin(name, expander, this);
  }

  error(message: string, at: PPToken, note?: Note, via?: Expansion): void {
    this.sink.error(message, userRange(at), withNotes(note, via ?? at.expansion));
  }

  warning(message: string, at: PPToken): void {
    this.sink.warning(message, userRange(at), withNotes(undefined, at.expansion));
  }

  presumedLine(pos: SourcePosition): number {
    const frame = this.reader.top;
    const d = frame && pos.file === frame.file.path ? lastDirective(frame, pos.line) : undefined;
    return d ? d.line + pos.line - d.physicalLine : pos.line;
  }

  presumedFile(): string {
    const frame = this.reader.top;
    if (frame === undefined) return this.main.path;
    const named = frame.lineDirectives[frame.lineDirectives.length - 1]?.file;
    if (named !== undefined) return named;
    return this.options.fileMacroPath ? this.options.fileMacroPath(frame.file.path) : frame.file.path;
  }

  includeLevel(): number {
    return Math.max(0, this.reader.depth - 1);
  }

  nextCounter(): number {
    return this.counter++;
  }

  hasInclude(name: string, angled: boolean, next: boolean): boolean {
    return resolveInclude(name, angled, this.reader.top, next, this.options) !== undefined;
  }

  pragma(text: string, at: PPToken): void {
    const sink = new DiagnosticSink();
    const lexer = new Lexer({ path: '<_Pragma>', text }, sink);
    const line: PPToken[] = [];
    for (let t = lexer.next(); t.kind !== 'eof'; t = lexer.next()) line.push({ ...t, range: at.range, ...(at.expansion ? { expansion: at.expansion } : {}) });
    pragmaDirective(this, at, line);
  }
}

/** A directive's tokens as text, single spaces where there was whitespace: the message of #error and #warning. */
function lineText(line: readonly PPToken[]): string {
  return line.map((t, i) => (i > 0 && t.spaceBefore ? ' ' : '') + t.text).join('');
}

/** "in expansion of macro" notes for an expansion chain, innermost first. */
function expansionNotes(chain: Expansion | undefined): Note[] {
  const notes: Note[] = [];
  for (let e = chain; e !== undefined; e = e.parent) notes.push({ message: `in expansion of macro '${e.macro}'`, range: e.invocation });
  return notes;
}

function withNotes(note: Note | undefined, chain: Expansion | undefined): Diagnostic['notes'] {
  const notes = [...(note ? [note] : []), ...expansionNotes(chain)];
  return notes.length > 0 ? notes : undefined;
}

function lastDirective(frame: IncludeFrame, line: number): { line: number; physicalLine: number } | undefined {
  let found: { line: number; physicalLine: number } | undefined;
  for (const d of frame.lineDirectives) if (d.physicalLine <= line) found = d;
  return found;
}
