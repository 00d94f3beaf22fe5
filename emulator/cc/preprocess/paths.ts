// Path arithmetic for include search. The compiler does no I/O and must also
// run in a browser, so it does not use node:path; paths use '/' throughout
// (hosts translate their own).

/** The folder part of `path` ('' for a bare file name). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : path.slice(0, i);
}

/** Joins `name` to folder `dir` and removes `.` and `..` steps where it can; an absolute `name` stands alone. */
export function joinPath(dir: string, name: string): string {
  const full = name.startsWith('/') || dir === '' ? name : `${dir.replace(/\/+$/, '')}/${name}`;
  const absolute = full.startsWith('/');
  const parts: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  return (absolute ? '/' : '') + parts.join('/');
}
