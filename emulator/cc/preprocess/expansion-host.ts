// What the expander needs from the preprocessor around it.

import type { DiagnosticSink } from '../diagnostic';
import type { SourceRange } from '../source';
import type { Expansion } from '../token';
import type { Expander } from './expander';
import type { Macro } from './macro';
import type { Item, PPToken } from './pp-token';

export interface ExpansionHost {
  readonly macros: ReadonlyMap<string, Macro>;
  /** The macros being rescanned (C11 6.10.3.4p2), shared by every expander of one run. */
  readonly disabled: Set<string>;
  readonly sink: DiagnosticSink;
  /** Set once the work limit is exceeded: every source then reports its end. */
  readonly halted: boolean;
  /** How deeply macro arguments may nest inside macro arguments. */
  readonly maxNesting: number;
  /** True the first time nesting is exceeded, so that it is reported once. */
  reportNesting(): boolean;
  /** Spends `n` steps of the work limit; false (after reporting it at `at`) once it is used up. */
  spend(n: number, at: PPToken): boolean;
  /** The items a built-in macro (__LINE__, __has_include...) named by `name` expands to, or undefined to leave the name alone. */
  expandBuiltin(name: PPToken, macro: Macro, expander: Expander): Item[] | undefined;
  /**
   * Reports an error at `at` as the user sees it, with "in expansion of
   * macro" notes for `via` (by default, the expansions `at` came through).
   */
  error(message: string, at: PPToken, note?: { readonly message: string; readonly range: SourceRange }, via?: Expansion): void;
  warning(message: string, at: PPToken): void;
}
