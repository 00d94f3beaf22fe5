// #pragma (C11 6.10.6) and the _Pragma operator's text. The preprocessor
// carries out the pragmas about preprocessing and drops the rest: the parser
// gets no pragma tokens (unknown pragmas are ignored, as C11 6.10.6p1 allows).

import type { PPToken } from './pp-token';
import type { Preprocessor } from './preprocessor';

export function pragmaDirective(pp: Preprocessor, directive: PPToken, line: readonly PPToken[]): void {
  const [first, second, third] = line;
  if (first?.text === 'once') {
    pp.pragmaOnce(directive);
    if (second !== undefined) pp.warning('extra tokens at end of #pragma once directive', second);
    return;
  }
  if (first?.text === 'GCC' && (second?.text === 'warning' || second?.text === 'error')) {
    // #pragma GCC warning "message": a diagnostic of the user's own.
    if (third?.kind !== 'string') {
      pp.error(`invalid "#pragma GCC ${second.text}" directive`, second);
      return;
    }
    const message = third.text.slice(third.text.indexOf('"') + 1, -1);
    if (second.text === 'warning') pp.warning(message, directive);
    else pp.error(message, directive);
    return;
  }
  if (first?.text === 'push_macro' || first?.text === 'pop_macro') {
    const name = line[2];
    if (second?.text !== '(' || name?.kind !== 'string' || line[3]?.text !== ')') {
      pp.error(`invalid #pragma ${first.text} directive`, first);
      return;
    }
    if (first.text === 'push_macro') pp.pushMacro(name.text.slice(1, -1));
    else pp.popMacro(name.text.slice(1, -1));
  }
}
