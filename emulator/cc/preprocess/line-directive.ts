// #line (C11 6.10.4) and gcc's line markers (`# 33 "file"`, as gcc -E
// writes them): renumber the lines and rename the file, for __LINE__ and
// __FILE__. Token positions stay physical, so the editor still finds them.

import type { IncludeFrame } from './file-reader';
import type { PPToken } from './pp-token';
import type { Preprocessor } from './preprocessor';

/** `directive` is the `line` name token, or the number of a line marker (then `line` holds what follows it). */
export function lineDirective(pp: Preprocessor, frame: IncludeFrame, directive: PPToken, line: readonly PPToken[]): void {
  const marker = directive.kind === 'number';
  const name = marker ? '#' : '#line';
  const tokens: PPToken[] = marker ? [directive, ...line] : [];
  if (!marker) {
    // The line is macro-expanded first (C11 6.10.4p5).
    const ex = pp.lineExpander(line, directive);
    for (let t = ex.nextToken(); t.kind !== 'eof'; t = ex.nextToken()) tokens.push(t);
  }
  const number = tokens[0];
  if (number === undefined) {
    pp.error(`unexpected end of file after ${name}`, directive);
    return;
  }
  if (number.kind !== 'number' || !/^[0-9]+$/.test(number.text)) {
    pp.error(`"${number.text}" after ${name} is not a positive integer`, number);
    return;
  }
  let file = pp.presumedFile();
  const nameToken = tokens[1];
  if (nameToken !== undefined) {
    if (nameToken.kind !== 'string' || !nameToken.text.startsWith('"')) {
      pp.error(`invalid filename "${nameToken.text}"`, nameToken);
      return;
    }
    file = nameToken.text.slice(1, -1).replace(/\\(.)/g, '$1');
    // A line marker may end with flags (1 2 3 4); #line may not.
    if (!marker && tokens[2] !== undefined) pp.warning('extra tokens at end of #line directive', tokens[2]);
  }
  const last = line[line.length - 1] ?? directive;
  frame.lineDirectives.push({ physicalLine: last.range.end.line + 1, line: Number(number.text), file });
}
