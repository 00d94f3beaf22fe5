// Parses the rest of a #define line into a Macro (C11 6.10.3), checking the
// constraints gcc checks and with gcc's messages. A definition with an error
// is dropped, as gcc drops it.

import type { DiagnosticSink } from '../diagnostic';
import type { SourceRange } from '../source';
import { isPunct, spanRange, type PPToken } from './pp-token';
import type { BodyToken, Macro, VaOptRole } from './macro';

/** Names that may not be defined: `defined` (C11 6.10.8p2) and the names the preprocessor itself gives meaning to. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['defined', '__has_include', '__has_include_next']);

interface Params {
  readonly names: string[];
  readonly variadic: boolean;
  /** Index of the first token of the replacement list. */
  readonly next: number;
}

type MutableBody = { -readonly [K in keyof BodyToken]: BodyToken[K] };

/** `line` is the directive's tokens after `define`; `directive` is the `define` token, for messages. */
export function parseDefine(line: readonly PPToken[], directive: PPToken, sink: DiagnosticSink): Macro | undefined {
  const name = line[0];
  if (name === undefined) return fail(sink, 'no macro name given in #define directive', directive.range);
  if (name.kind !== 'identifier') return fail(sink, 'macro names must be identifiers', name.range);
  if (RESERVED_NAMES.has(name.text)) return fail(sink, `"${name.text}" cannot be used as a macro name`, name.range);
  if (name.text === '__VA_ARGS__') sink.warning('__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', name.range);
  let params: Params | undefined;
  const after = line[1];
  // A '(' right after the name, with no space, makes a function-like macro (C11 6.10.3p3, p10).
  if (after !== undefined && isPunct(after, '(') && !after.spaceBefore) {
    params = parseParams(line, sink);
    if (params === undefined) return undefined;
  } else if (after !== undefined && !after.spaceBefore) {
    sink.warning('ISO C99 requires whitespace after the macro name', name.range);
  }
  const body = line.slice(params ? params.next : 1);
  const bodyTokens = parseBody(body, params, sink);
  if (bodyTokens === undefined) return undefined;
  return {
    name: name.text,
    ...(params ? { params: params.names } : {}),
    variadic: params?.variadic ?? false,
    body: body.map((t, i) => (i > 0 && t.spaceBefore ? ' ' : '') + t.text).join(''),
    range: name.range,
    builtin: false,
    bodyTokens,
  };
}

function fail(sink: DiagnosticSink, message: string, range: SourceRange): undefined {
  sink.error(message, range);
  return undefined;
}

/** The parameter list, from the '(' at line[1]. */
function parseParams(line: readonly PPToken[], sink: DiagnosticSink): Params | undefined {
  const names: string[] = [];
  let i = 2;
  const endOfLine = line[line.length - 1]!.range;
  if (isPunct(line[i], ')')) return { names, variadic: false, next: i + 1 };
  for (;;) {
    const t = line[i];
    if (t === undefined) return fail(sink, 'expected parameter name before end of line', endOfLine);
    if (isPunct(t, '...')) {
      names.push('__VA_ARGS__');
      return closeVariadic(line, i + 1, names, sink);
    }
    if (t.kind !== 'identifier') return fail(sink, `expected parameter name, found "${t.text}"`, t.range);
    if (t.text === '__VA_ARGS__' || t.text === '__VA_OPT__') return fail(sink, `"${t.text}" cannot be used as a parameter name`, t.range);
    if (names.includes(t.text)) return fail(sink, `duplicate macro parameter "${t.text}"`, t.range);
    names.push(t.text);
    const sep = line[i + 1];
    if (sep === undefined) return fail(sink, "expected ')' before end of line", endOfLine);
    // GNU named variadic parameter: `args...`.
    if (isPunct(sep, '...')) return closeVariadic(line, i + 2, names, sink);
    if (isPunct(sep, ')')) return { names, variadic: false, next: i + 2 };
    if (!isPunct(sep, ',')) return fail(sink, `expected ',' or ')', found "${sep.text}"`, sep.range);
    i += 2;
  }
}

function closeVariadic(line: readonly PPToken[], i: number, names: string[], sink: DiagnosticSink): Params | undefined {
  const t = line[i];
  if (t === undefined) return fail(sink, "expected ')' before end of line", line[i - 1]!.range);
  if (!isPunct(t, ')')) return fail(sink, `expected ')' after "..."`, t.range);
  return { names, variadic: true, next: i + 1 };
}

/**
 * Folds # and ## into their operands and marks __VA_OPT__'s parts,
 * checking C11 6.10.3.2p1 (# needs a parameter), 6.10.3.3p1 (## not at
 * either end) and gcc's rules for __VA_OPT__.
 */
function parseBody(body: readonly PPToken[], params: Params | undefined, sink: DiagnosticSink): BodyToken[] | undefined {
  const out: MutableBody[] = [];
  const vaopt = new VaOptTracker(params?.variadic ?? false, sink);
  const paramIndex = (t: PPToken | undefined): number => (t?.kind === 'identifier' && params ? params.names.indexOf(t.text) : -1);
  for (let k = 0; k < body.length; k++) {
    const t = body[k]!;
    if (isPunct(t, '##')) {
      if (out.length === 0 || k === body.length - 1) return fail(sink, "'##' cannot appear at either end of a macro expansion", t.range);
      if (!vaopt.paste(t)) return undefined;
      out[out.length - 1]!.pasteLeft = true;
      continue;
    }
    let token = t;
    let stringify = false;
    if (params && isPunct(t, '#')) {
      const operand = body[k + 1];
      const isVaOpt = params.variadic && operand?.kind === 'identifier' && operand.text === '__VA_OPT__';
      if (operand === undefined || (paramIndex(operand) < 0 && !isVaOpt)) return fail(sink, "'#' is not followed by a macro parameter", t.range);
      token = operand;
      stringify = true;
      k++;
    }
    const role = vaopt.update(token);
    if (role === undefined) return undefined;
    const param = paramIndex(token);
    if (param < 0 && token.kind === 'identifier' && token.text === '__VA_ARGS__') {
      sink.warning('__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', token.range);
    }
    out.push({
      token,
      param,
      stringify,
      pasteLeft: false,
      vaopt: role,
      spaceBefore: out.length > 0 && (stringify ? t.spaceBefore : token.spaceBefore),
      lineStart: false,
      range: stringify ? spanRange(t, token) : token.range,
    });
  }
  return vaopt.finish() ? out : undefined;
}

/** Follows __VA_OPT__ ( ... ) through a replacement list, as gcc's vaopt_state does at definition time. */
class VaOptTracker {
  /** 0: outside; 1: after __VA_OPT__; 2: after its '('; 3 and up: inside, 2 + the parenthesis depth. */
  private state = 0;
  private lastWasPaste = false;
  private start: PPToken | undefined;

  constructor(private readonly variadic: boolean, private readonly sink: DiagnosticSink) {}

  /** Notes a ##; false (after a diagnostic) if it is the first thing inside __VA_OPT__. */
  paste(t: PPToken): boolean {
    if (!this.variadic || this.state < 2) return true;
    if (this.state === 2) return fail(this.sink, "'##' cannot appear at either end of __VA_OPT__", t.range) ?? false;
    this.lastWasPaste = true;
    return true;
  }

  /** The role of `t`, or undefined after a diagnostic. */
  update(t: PPToken): VaOptRole | undefined {
    if (!this.variadic) return 'none';
    if (t.kind === 'identifier' && t.text === '__VA_OPT__') {
      if (this.state > 0) return fail(this.sink, '__VA_OPT__ may not appear in a __VA_OPT__', t.range);
      this.state = 1;
      this.start = t;
      return 'begin';
    }
    if (this.state === 1) {
      if (!isPunct(t, '(')) return fail(this.sink, '__VA_OPT__ must be followed by an open parenthesis', this.start!.range);
      this.state = 2;
      return 'open';
    }
    if (this.state < 2) return 'none';
    if (this.state === 2) this.state = 3;
    const wasPaste = this.lastWasPaste;
    this.lastWasPaste = false;
    if (isPunct(t, '(')) this.state++;
    else if (isPunct(t, ')')) {
      this.state--;
      if (this.state === 2) {
        this.state = 0;
        if (wasPaste) return fail(this.sink, "'##' cannot appear at either end of __VA_OPT__", t.range);
        return 'end';
      }
    }
    return 'inner';
  }

  finish(): boolean {
    if (this.state === 0) return true;
    this.sink.error('unterminated __VA_OPT__', this.start!.range);
    return false;
  }
}
