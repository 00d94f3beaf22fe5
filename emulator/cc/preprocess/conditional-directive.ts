// Conditional inclusion (C11 6.10.1): #if, #ifdef, #ifndef, #elif, #else,
// #endif, and gcc 12's #elifdef and #elifndef. Each file has its own stack,
// so a conditional cannot span files (6.10.1p6 with 6.10p2).

import { evaluateIf } from './if-expression';
import type { Conditional, IncludeFrame } from './file-reader';
import type { PPToken } from './pp-token';
import type { Preprocessor } from './preprocessor';

export const CONDITIONAL_DIRECTIVES: ReadonlySet<string> = new Set(['if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif']);

/** Handles a conditional directive, whether or not the group it appears in is skipped. */
export function conditionalDirective(pp: Preprocessor, frame: IncludeFrame, directive: PPToken, line: readonly PPToken[]): void {
  const stack = frame.conditionals;
  const top = stack[stack.length - 1];
  const name = directive.text;
  switch (name) {
    case 'if':
    case 'ifdef':
    case 'ifndef': {
      // Inside a skipped group nothing is evaluated, not even for errors (6.10.1p6).
      const live = top === undefined || top.state === 'taking';
      stack.push({ directive, state: live ? (test(pp, directive, line) ? 'taking' : 'seeking') : 'dead', last: name });
      return;
    }
    case 'elif':
    case 'elifdef':
    case 'elifndef':
      if (top === undefined) return pp.error(`#${name} without #if`, directive);
      afterElse(pp, top, directive);
      top.last = name;
      // Only the first group whose condition holds is taken; later conditions are not evaluated (DR 412).
      if (top.state === 'taking') top.state = 'done';
      else if (top.state === 'seeking' && test(pp, directive, line)) top.state = 'taking';
      return;
    case 'else':
      if (top === undefined) return pp.error('#else without #if', directive);
      afterElse(pp, top, directive);
      if (top.state !== 'dead') extraTokens(pp, directive, line);
      top.sawElse = directive;
      top.last = name;
      if (top.state === 'taking') top.state = 'done';
      else if (top.state === 'seeking') top.state = 'taking';
      return;
    default:
      if (top === undefined) return pp.error('#endif without #if', directive);
      if (top.state !== 'dead') extraTokens(pp, directive, line);
      stack.pop();
  }
}

/** Reports the conditionals a file leaves open, innermost first, and closes them. */
export function closeConditionals(pp: Preprocessor, frame: IncludeFrame): void {
  for (let c = frame.conditionals.pop(); c !== undefined; c = frame.conditionals.pop()) pp.error(`unterminated #${c.last}`, c.directive);
}

function afterElse(pp: Preprocessor, top: Conditional, directive: PPToken): void {
  if (top.sawElse === undefined) return;
  pp.error(`#${directive.text} after #else`, directive, { message: 'the conditional began here', range: top.directive.range });
}

function extraTokens(pp: Preprocessor, directive: PPToken, line: readonly PPToken[]): void {
  if (line.length > 0) pp.warning(`extra tokens at end of #${directive.text} directive`, line[0]!);
}

/** The condition of an #if-like directive. */
function test(pp: Preprocessor, directive: PPToken, line: readonly PPToken[]): boolean {
  const name = directive.text;
  if (name === 'if' || name === 'elif') return evaluateIf(pp, pp.lineExpander(line, directive), directive);
  const macro = line[0];
  if (macro === undefined) {
    pp.error(`no macro name given in #${name} directive`, directive);
    return false;
  }
  if (macro.kind !== 'identifier') {
    pp.error('macro names must be identifiers', macro);
    return false;
  }
  extraTokens(pp, directive, line.slice(1));
  const defined = pp.macros.has(macro.text);
  return name.endsWith('ndef') ? !defined : defined;
}
