// Macro expansion for debugger expressions: the expression is run through
// our own preprocessor after a synthetic preamble that re-defines the
// current file's macros (each MacroDefinition's name, parameters and body),
// so PAGENUMBER(0x100000), PTE_ADDR(e) and HZ mean what they meant to the
// compiler. Results are cached per macro table: breakpoint conditions are
// expanded once, not at every hit.

import { preprocess } from '../../cc/preprocess/preprocess';
import type { MacroDefinition } from '../../cc/preprocess/macro';
import type { Token } from '../../cc/token';
import { EvalError } from './c-value';

const EXPRESSION_FILE = '<expression>';
const NO_MACROS: ReadonlyMap<string, MacroDefinition> = new Map();

interface Prepared {
  readonly preamble: string;
  readonly lines: number;
  readonly cache: Map<string, Token[] | string>;
}

const prepared = new WeakMap<ReadonlyMap<string, MacroDefinition>, Prepared>();

function definitionLine(m: MacroDefinition): string {
  let head = m.name;
  if (m.params) {
    const params = m.params.map((p, i) => (m.variadic && i === m.params!.length - 1 ? (p === '__VA_ARGS__' ? '...' : `${p}...`) : p));
    head += `(${params.join(', ')})`;
  }
  return `#define ${head} ${m.body.replace(/[\r\n]+/g, ' ')}\n`;
}

function prepare(macros: ReadonlyMap<string, MacroDefinition>): Prepared {
  let p = prepared.get(macros);
  if (!p) {
    const defs = [...macros.values()].filter((m) => !m.builtin && m.range.start.file !== '<built-in>');
    p = { preamble: defs.map(definitionLine).join(''), lines: defs.length, cache: new Map() };
    prepared.set(macros, p);
  }
  return p;
}

/** The expression's tokens after macro expansion; throws EvalError on a preprocessing error. */
export function expandExpression(text: string, macros: ReadonlyMap<string, MacroDefinition> = NO_MACROS): Token[] {
  const p = prepare(macros);
  const hit = p.cache.get(text);
  if (hit !== undefined) {
    if (typeof hit === 'string') throw new EvalError(hit);
    return hit;
  }
  const result = expand(text, p);
  if (p.cache.size >= 512) p.cache.delete(p.cache.keys().next().value!);
  p.cache.set(text, result);
  if (typeof result === 'string') throw new EvalError(result);
  return result;
}

function expand(text: string, p: Prepared): Token[] | string {
  const line = text.replace(/[\r\n]+/g, ' ');
  if (/^\s*#/.test(line)) return 'an expression cannot start with #';
  const r = preprocess(
    { path: EXPRESSION_FILE, text: `${p.preamble}${line}\n` },
    { host: { readFile: () => undefined }, includePaths: [], builtinHeaders: new Map(), defines: new Map(), undefines: [] },
  );
  const exprLine = p.lines + 1;
  const errors = r.diagnostics.filter((d) => d.severity === 'error' && d.range.start.file === EXPRESSION_FILE && d.range.start.line >= exprLine);
  if (errors.length > 0) return errors[0]!.message;
  return r.tokens;
}
