// Macro expansion and rescanning (C11 6.10.3.1, 6.10.3.4).
//
// The expander reads from a base source (the files, a directive line, or one
// macro argument) through a stack of contexts, one per expansion being
// rescanned, as gcc's libcpp does. A macro is disabled while its context is
// on the stack; an identifier naming a disabled macro is painted blue
// (marked noExpand) and stays unexpandable forever. A context is popped only
// when a read goes past its end, so a function-like macro whose arguments
// end exactly at the end of an expansion is still expanded with that macro
// disabled: this is what gives the standard's results for C11 6.10.3.5's
// examples and 6.10.3.4p4's `f(2)(9)`.

import type { Expansion } from '../token';
import type { Macro } from './macro';
import { AVOID_PASTE, isPunct, padding, spanRange, type Item, type Padding, type PPToken } from './pp-token';
import { substitute, type MacroArg } from './substitute';
import type { ExpansionHost } from './expansion-host';

/** Where an expander's tokens come from when no context is left. */
export interface TokenSource {
  /** The next item; an 'eof' token when the source is used up (again on every later call). */
  next(): Item;
  /** The next item without consuming it. A directive's `#` counts as a token, so it is never taken for a '('. */
  peek(): Item;
}

/** A list of items as a source, ending in `eof`: a directive line or a macro argument. */
export class ArraySource implements TokenSource {
  private pos = 0;
  constructor(private readonly items: readonly Item[], private readonly eof: PPToken) {}
  next(): Item {
    return this.items[this.pos++] ?? this.eof;
  }
  peek(): Item {
    return this.items[this.pos] ?? this.eof;
  }
}

interface Context {
  readonly items: readonly Item[];
  pos: number;
  /** The macro this context is (part of) the expansion of, disabled while it is on the stack. */
  readonly macro: string | undefined;
}

interface Invocation {
  readonly args: MacroArg[];
  readonly rparen: PPToken;
}

export class Expander {
  /** While positive, macros are not expanded (operands of `defined`, arguments being collected). */
  preventExpansion = 0;
  private readonly contexts: Context[] = [];

  constructor(private readonly host: ExpansionHost, private readonly base: TokenSource, private readonly depth = 0) {}

  /** The next token or padding, fully macro-expanded. */
  next(): Item {
    if (this.host.halted) return this.base.next();
    const ctx = this.contexts[this.contexts.length - 1];
    let item: Item;
    if (ctx === undefined) item = this.base.next();
    else if (ctx.pos < ctx.items.length) item = ctx.items[ctx.pos++]!;
    else {
      // Leaving an expansion re-enables its macro, and leaves a separator so its last token cannot run into the next.
      this.pop();
      return AVOID_PASTE;
    }
    if (item.kind !== 'identifier' || item.noExpand) return item;
    const macro = this.host.macros.get(item.text);
    if (macro === undefined) return item;
    if (this.host.disabled.has(macro.name)) return { ...item, noExpand: true };
    if (this.preventExpansion > 0) return item;
    // An expansion starts with a padding that carries the whitespace before the macro's name.
    return this.enter(macro, item) ? padding(item) : item;
  }

  /** The next real token, skipping paddings. */
  nextToken(): PPToken {
    for (;;) {
      const item = this.next();
      if (item.kind !== 'padding') return item;
    }
  }

  /** Expands a macro argument completely, as if it were the rest of the file (C11 6.10.3.1p1). */
  expandList(items: readonly Item[], eof: PPToken): Item[] {
    if (items.length === 0) return [];
    if (this.depth >= this.host.maxNesting) {
      const first = items.find((t): t is PPToken => t.kind !== 'padding') ?? eof;
      if (this.host.reportNesting()) this.host.error(`macro arguments nested more than ${this.host.maxNesting} deep`, first);
      return [...items];
    }
    const sub = new Expander(this.host, new ArraySource(items, eof), this.depth + 1);
    const out: Item[] = [];
    for (;;) {
      const item = sub.next();
      if (item.kind === 'eof') return out;
      out.push(item);
    }
  }

  /**
   * Abandons whatever is left to read, re-enabling the macros being
   * rescanned: for a directive line whose reader stopped early (after an
   * error in #if, say), so that no macro stays disabled after it.
   */
  close(): void {
    while (this.contexts.length > 0) this.pop();
  }

  /** Pushes items to be read next, as part of the expansion currently being rescanned. */
  pushItems(items: readonly Item[]): void {
    this.contexts.push({ items, pos: 0, macro: this.contexts[this.contexts.length - 1]?.macro });
  }

  private pop(): void {
    const ctx = this.contexts.pop()!;
    if (ctx.macro !== undefined && this.contexts[this.contexts.length - 1]?.macro !== ctx.macro) this.host.disabled.delete(ctx.macro);
  }

  /** Starts expanding `macro` named by `name`; false if it is not invoked after all (no '(' or bad arguments). */
  private enter(macro: Macro, name: PPToken): boolean {
    if (macro.builtin) {
      const result = this.host.expandBuiltin(name, macro, this);
      if (result === undefined) return false;
      this.pushItems(result);
      return true;
    }
    let invocation: Invocation | undefined;
    if (macro.params !== undefined) {
      if (!this.peekLParen()) return false;
      invocation = this.collectArgs(macro, name);
      if (invocation === undefined) return false;
    }
    const expansion: Expansion = {
      macro: macro.name,
      invocation: invocation ? spanRange(name, invocation.rparen) : name.range,
      ...(name.expansion ? { parent: name.expansion } : {}),
    };
    const items = substitute(macro, invocation?.args ?? [], expansion, this, this.host);
    if (!this.host.spend(items.length + 1, name)) return false;
    this.host.disabled.add(macro.name);
    this.contexts.push({ items, pos: 0, macro: macro.name });
    return true;
  }

  /**
   * True (consuming it) if the next real token is '(': a function-like
   * macro's name is an invocation only then (C11 6.10.3p10). Otherwise
   * nothing is consumed but paddings, and the one that matters (the first,
   * unless a plain separator follows it, as in gcc) is put back.
   */
  private peekLParen(): boolean {
    let pad: Padding | undefined;
    for (;;) {
      const ctx = this.contexts[this.contexts.length - 1];
      let item: Item;
      if (ctx === undefined) item = this.base.peek();
      else if (ctx.pos < ctx.items.length) item = ctx.items[ctx.pos]!;
      else {
        this.pop();
        pad = AVOID_PASTE;
        continue;
      }
      if (item.kind === 'padding') {
        if (ctx) ctx.pos++;
        else this.base.next();
        if (pad === undefined || item.source === null) pad = item;
        continue;
      }
      if (isPunct(item, '(')) {
        if (ctx) ctx.pos++;
        else this.base.next();
        return true;
      }
      if (pad !== undefined) this.pushItems([pad]);
      return false;
    }
  }

  /** Collects the arguments after the '(' up to the matching ')' (C11 6.10.3p11), unexpanded. */
  private collectArgs(macro: Macro, name: PPToken): Invocation | undefined {
    const params = macro.params!;
    const raw: Item[][] = [[]];
    let depth = 0;
    let rparen: PPToken | undefined;
    this.preventExpansion++;
    for (;;) {
      const item = this.next();
      const current = raw[raw.length - 1]!;
      if (item.kind === 'padding') {
        if (current.length > 0) current.push(item);
        continue;
      }
      if (item.kind === 'eof') break;
      if (isPunct(item, '(')) depth++;
      else if (isPunct(item, ')')) {
        if (depth === 0) {
          rparen = item;
          break;
        }
        depth--;
      } else if (isPunct(item, ',') && depth === 0 && !(macro.variadic && raw.length === params.length)) {
        raw.push([]);
        continue;
      }
      current.push(item);
    }
    this.preventExpansion--;
    for (const arg of raw) while (arg.length > 0 && arg[arg.length - 1]!.kind === 'padding') arg.pop();
    if (rparen === undefined) {
      this.host.error(`unterminated argument list invoking macro "${macro.name}"`, name);
      return undefined;
    }
    return this.checkArgCount(macro, raw, rparen);
  }

  private checkArgCount(macro: Macro, raw: Item[][], rparen: PPToken): Invocation | undefined {
    const paramc = macro.params!.length;
    let argc = raw.length;
    // A single empty argument is no argument, for a macro without parameters.
    if (argc === 1 && paramc === 0 && raw[0]!.length === 0) argc = 0;
    const note = { message: `macro "${macro.name}" defined here`, range: macro.range };
    if (argc > paramc) {
      this.host.error(`macro "${macro.name}" passed ${argc} arguments, but takes just ${paramc}`, rparen, note);
      return undefined;
    }
    // The variadic argument may be left out entirely (C2x; a GNU extension in C11).
    if (argc < paramc && !(macro.variadic && argc + 1 === paramc)) {
      this.host.error(`macro "${macro.name}" requires ${paramc} arguments, but only ${argc} given`, rparen, note);
      return undefined;
    }
    const args: MacroArg[] = [];
    for (let i = 0; i < paramc; i++) args.push({ tokens: raw[i] ?? [], absent: false });
    // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments were left out, or
    // (in the GNU modes) when a macro taking only `...` got one empty argument.
    if (macro.variadic && (argc < paramc || (argc === 1 && raw[0]!.length === 0))) {
      args[paramc - 1] = { tokens: [], absent: true };
    }
    return { args, rparen };
  }
}
