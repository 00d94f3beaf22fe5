// The names GNU ld gives a file linked with `-b binary`: every character of
// the file name that is not a letter or digit becomes '_', so
// obj/p-allocator is found through _binary_obj_p_allocator_start and
// _binary_obj_p_allocator_end (FACTS.md section 9).

/** The common stem of an embed's symbols, e.g. "_binary_obj_p_allocator". */
export function embedSymbolName(name: string): string {
  return '_binary_' + name.replace(/[^A-Za-z0-9]/g, '_');
}
