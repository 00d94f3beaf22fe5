// Macros the preprocessor computes at each use (C11 6.10.8.1 and gcc's
// extensions): __FILE__, __LINE__, __COUNTER__, the __has_* operators and
// the _Pragma operator (C11 6.10.9). __DATE__ and __TIME__ are fixed
// strings, because a compile must give the same result every time
// (ARCHITECTURE.md, determinism). __func__ is not a macro: the parser
// handles it (C11 6.4.2.2).

import type { SourcePosition } from '../source';
import { userRange } from '../token';
import type { Expander } from './expander';
import type { Macro } from './macro';
import { isPunct, spanRange, SpaceTracker, type Item, type PPToken } from './pp-token';

export const BUILTIN_MACRO_NAMES: readonly string[] = [
  '__FILE__', '__LINE__', '__COUNTER__', '__DATE__', '__TIME__', '__TIMESTAMP__', '__BASE_FILE__', '__FILE_NAME__',
  '__INCLUDE_LEVEL__', '__has_include', '__has_include_next', '__has_attribute', '__has_cpp_attribute', '__has_builtin', '_Pragma',
];

/** Attributes the compiler accepts (DESIGN.md section 6): `__has_attribute(x)` is 1 for these, in either spelling (`packed`, `__packed__`). */
export const SUPPORTED_ATTRIBUTES: ReadonlySet<string> = new Set(['aligned', 'packed', 'noreturn', 'unused']);

/** Built-in functions the compiler provides: `__has_builtin(x)` is 1 for these. */
export const SUPPORTED_BUILTINS: ReadonlySet<string> = new Set([
  '__builtin_va_start', '__builtin_va_end', '__builtin_va_arg', '__builtin_va_copy', '__builtin_offsetof',
]);

const DATE = '"Jan  1 1970"';
const TIME = '"00:00:00"';
const TIMESTAMP = '"Thu Jan  1 00:00:00 1970"';

/** What the built-ins need to know about the run. */
export interface BuiltinContext {
  /** The line number of `pos` as #line directives have renumbered it. */
  presumedLine(pos: SourcePosition): number;
  /** The current file's name as #line directives have renamed it. */
  presumedFile(): string;
  readonly mainPath: string;
  /** 0 in the main file, 1 in a file it includes, and so on. */
  includeLevel(): number;
  nextCounter(): number;
  readonly inDirective: boolean;
  hasInclude(name: string, angled: boolean, next: boolean): boolean;
  /** Carries out the pragma whose text (after destringizing) is `text`. */
  pragma(text: string, at: PPToken): void;
  error(message: string, at: PPToken): void;
}

export function builtinMacro(name: string, position: SourcePosition): Macro {
  return { name, variadic: false, body: '', range: { start: position, end: position }, builtin: true, bodyTokens: [] };
}

/** C string literal text for `s`. */
export function quoteString(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}

/** The items `name` expands to, or undefined to leave it as it is (after a diagnostic, for _Pragma misuse). */
export function expandBuiltin(name: PPToken, ex: Expander, ctx: BuiltinContext): Item[] | undefined {
  const result = (kind: 'number' | 'string', text: string, last: PPToken = name): PPToken[] => [
    {
      kind,
      text,
      range: name.range,
      expansion: { macro: name.text, invocation: spanRange(name, last), ...(name.expansion ? { parent: name.expansion } : {}) },
      spaceBefore: false,
      lineStart: false,
    },
  ];
  switch (name.text) {
    case '__LINE__':
      // The line of the outermost macro invocation the name came from, as in gcc.
      return result('number', String(ctx.presumedLine(userRange(name).start)));
    case '__FILE__':
      return result('string', quoteString(ctx.presumedFile()));
    case '__FILE_NAME__':
      return result('string', quoteString(ctx.presumedFile().replace(/^.*\//, '')));
    case '__BASE_FILE__':
      return result('string', quoteString(ctx.mainPath));
    case '__INCLUDE_LEVEL__':
      return result('number', String(ctx.includeLevel()));
    case '__COUNTER__':
      return result('number', String(ctx.nextCounter()));
    case '__DATE__':
      return result('string', DATE);
    case '__TIME__':
      return result('string', TIME);
    case '__TIMESTAMP__':
      return result('string', TIMESTAMP);
    case '__has_include':
    case '__has_include_next':
      return hasInclude(name, ex, ctx, result);
    case '__has_attribute':
    case '__has_cpp_attribute':
    case '__has_builtin':
      return hasFeature(name, ex, ctx, result);
    case '_Pragma':
      return pragmaOperator(name, ex, ctx);
    default:
      return undefined;
  }
}

type Result = (kind: 'number' | 'string', text: string, last?: PPToken) => PPToken[];

/** `__has_include("file")` or `__has_include(<file>)`: 1 if an #include of it would find a file. */
function hasInclude(name: PPToken, ex: Expander, ctx: BuiltinContext, result: Result): PPToken[] {
  let t = ex.nextToken();
  const paren = isPunct(t, '(');
  if (paren) t = ex.nextToken();
  else ctx.error(`missing '(' before "${name.text}" operand`, name);
  let file: string | undefined;
  let angled = false;
  if (t.kind === 'string' && t.text.startsWith('"')) file = t.text.slice(1, -1);
  else if (t.kind === 'other' && t.text.startsWith('<') && t.text.endsWith('>') && t.text.length > 1) {
    file = t.text.slice(1, -1);
    angled = true;
  } else if (isPunct(t, '<')) {
    file = readBracketedName(ex, t, ctx);
    angled = true;
  } else ctx.error(`operator "${name.text}" requires a header-name`, t.kind === 'eof' ? name : t);
  let last = t;
  if (paren) {
    const close = ex.nextToken();
    if (isPunct(close, ')')) last = close;
    else ctx.error(`missing ')' after "${name.text}" operand`, close.kind === 'eof' ? t : close);
  }
  if (!ctx.inDirective) ctx.error(`"${name.text}" used outside of preprocessing directive`, name);
  const found = file !== undefined && file !== '' && ctx.hasInclude(file, angled, name.text === '__has_include_next');
  return result('number', found ? '1' : '0', last);
}

/**
 * Reads the tokens of a header name written as `<` tokens `>` after macro
 * expansion (C11 6.10.2p4), spelling them with single spaces where there was
 * whitespace. Undefined, after a diagnostic, if no `>` follows.
 */
export function readBracketedName(ex: Expander, open: PPToken, ctx: { error(message: string, at: PPToken): void }): string | undefined {
  let name = '';
  const spacing = new SpaceTracker();
  for (;;) {
    const item = ex.next();
    if (item.kind === 'padding') {
      spacing.padding(item);
      continue;
    }
    if (item.kind === 'eof') {
      ctx.error('missing terminating > character', open);
      return undefined;
    }
    if (isPunct(item, '>')) return name;
    const space = spacing.take(item).spaceBefore;
    name += (name !== '' && space ? ' ' : '') + item.text;
  }
}

/** `__has_attribute(name)` and `__has_builtin(name)`. */
function hasFeature(name: PPToken, ex: Expander, ctx: BuiltinContext, result: Result): PPToken[] {
  const open = ex.nextToken();
  if (!isPunct(open, '(')) {
    ctx.error(`missing '(' after "${name.text}"`, name);
    return result('number', '0');
  }
  const operand = ex.nextToken();
  if (operand.kind !== 'identifier') {
    ctx.error(`macro "${name.text}" requires an identifier`, operand.kind === 'eof' ? name : operand);
    return result('number', '0', operand);
  }
  const close = ex.nextToken();
  if (!isPunct(close, ')')) ctx.error(`missing ')' after "${name.text}" operand`, close.kind === 'eof' ? operand : close);
  const supported =
    name.text === '__has_builtin' ? SUPPORTED_BUILTINS.has(operand.text) : SUPPORTED_ATTRIBUTES.has(operand.text.replace(/^__(.+)__$/, '$1'));
  return result('number', supported ? '1' : '0', isPunct(close, ')') ? close : operand);
}

/** `_Pragma("text")` does what `#pragma text` does (C11 6.10.9) and expands to nothing. */
function pragmaOperator(name: PPToken, ex: Expander, ctx: BuiltinContext): Item[] | undefined {
  const open = ex.nextToken();
  const literal = isPunct(open, '(') ? ex.nextToken() : open;
  const close = isPunct(open, '(') && literal.kind === 'string' ? ex.nextToken() : literal;
  if (!isPunct(open, '(') || literal.kind !== 'string' || !/^L?"/.test(literal.text) || !isPunct(close, ')')) {
    ctx.error('_Pragma takes a parenthesized string literal', name);
    return undefined;
  }
  const body = literal.text.slice(literal.text.indexOf('"') + 1, -1).replace(/\\(["\\])/g, '$1');
  ctx.pragma(body, name);
  return [];
}
