// Where each name of a translation unit is declared: the index the language
// server uses for go to definition, hovers and member documentation. The
// parser records every declaration of a typedef, tag, member, enumeration
// constant, function and file-scope object as it meets it, with the range
// of the name in the file the user wrote (through macro expansions, the
// outermost invocation).

import type { SourceRange } from './source';
import type { Tag } from './types';

export type DeclaredKind = 'typedef' | 'tag' | 'field' | 'enumerator' | 'function' | 'object';

export interface DeclaredName {
  readonly kind: DeclaredKind;
  readonly name: string;
  readonly range: SourceRange;
  /** A field's struct or union, an enumerator's enum, a tag's own record. */
  readonly tag?: Tag;
  /** True for a definition: a tag with its body, a function with its body, an object that is not `extern`. */
  readonly definition: boolean;
  /** False for names declared inside a function body. */
  readonly fileScope: boolean;
}
