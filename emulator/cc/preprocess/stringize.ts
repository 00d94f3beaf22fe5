// The # operator (C11 6.10.3.2): spells a macro argument as a string
// literal. Whitespace between tokens becomes one space, decided by the same
// padding rule as the output so that the result matches gcc's; quotes and
// backslashes inside string and character literals are escaped.

import { SpaceTracker, type Item } from './pp-token';

export interface Stringized {
  /** The string literal, quotes included. */
  readonly text: string;
  /** True if a final lone backslash had to be dropped (gcc warns "invalid string literal"). */
  readonly droppedBackslash: boolean;
}

export function stringize(items: readonly Item[]): Stringized {
  let body = '';
  const spacing = new SpaceTracker();
  for (const item of items) {
    if (item.kind === 'padding') {
      spacing.padding(item);
      continue;
    }
    const source = spacing.take(item);
    if (body.length > 0 && (source.spaceBefore || source.lineStart)) body += ' ';
    body += item.kind === 'string' || item.kind === 'char' ? escape(item.text) : item.text;
  }
  // A lone backslash at the end would escape the closing quote (gcc drops it).
  let trailing = 0;
  while (trailing < body.length && body[body.length - 1 - trailing] === '\\') trailing++;
  const droppedBackslash = trailing % 2 === 1;
  if (droppedBackslash) body = body.slice(0, -1);
  return { text: `"${body}"`, droppedBackslash };
}

function escape(text: string): string {
  return text.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
