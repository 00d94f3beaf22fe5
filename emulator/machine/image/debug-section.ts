// The `.weensy.debug` section: the line table, the debug units and the
// defining module of each global symbol, as UTF-8 JSON. Line rows are
// packed as number tuples over a file table, since a kernel has thousands.
// decodeDebugSection checks the shape of everything it returns, so a
// damaged section gives an error message rather than a crash later on.

import { IMAGE_DEBUG_TYPE_KINDS, type ImageDebugInfo, type ImageLineRow, type ImageSourceRange } from './image-debug-info';

export const DEBUG_FORMAT = 'weensy-debug';
export const DEBUG_VERSION = 1;

export interface DebugSectionContents {
  readonly lines: readonly ImageLineRow[];
  readonly debug: ImageDebugInfo;
  /** Global symbol name -> path of the module that defines it (ELF's symbol table cannot say). */
  readonly globalModules: Readonly<Record<string, string>>;
}

/** [address, file index, line, column, offset, end line, end column, end offset, 1 if a statement start]. */
type PackedRow = [number, number, number, number, number, number, number, number, number];

export function encodeDebugSection(contents: DebugSectionContents): Uint8Array {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const rows: PackedRow[] = contents.lines.map((r) => {
    const f = r.range.start.file;
    if (!fileIndex.has(f)) {
      fileIndex.set(f, files.length);
      files.push(f);
    }
    const { start: s, end: e } = r.range;
    return [r.address, fileIndex.get(f)!, s.line, s.column, s.offset, e.line, e.column, e.offset, r.isStatement ? 1 : 0];
  });
  const json = { format: DEBUG_FORMAT, version: DEBUG_VERSION, files, lines: rows, units: contents.debug.units, globalModules: contents.globalModules };
  return new TextEncoder().encode(JSON.stringify(json));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function isPosition(v: unknown): boolean {
  return isObj(v) && isStr(v.file) && isNum(v.line) && isNum(v.column) && isNum(v.offset);
}
function isRange(v: unknown): v is ImageSourceRange {
  return isObj(v) && isPosition(v.start) && isPosition(v.end);
}

function variableProblem(v: unknown): string | undefined {
  if (!isObj(v) || !isStr(v.name) || !isNum(v.type) || !isRange(v.range)) return 'a variable needs a name, a type and a range';
  const loc = v.location;
  const okLoc = isObj(loc) && ((loc.kind === 'frame' && isNum(loc.rbpOffset)) || (loc.kind === 'register' && isNum(loc.reg) && loc.reg >= 0 && loc.reg <= 15) || (loc.kind === 'static' && isStr(loc.symbol) && (loc.address === null || isNum(loc.address))));
  if (!okLoc) return `variable '${v.name}' has a malformed location`;
  if ((v.scopeStart !== undefined && !isNum(v.scopeStart)) || (v.scopeEnd !== undefined && !isNum(v.scopeEnd))) return `variable '${v.name}' has a malformed scope`;
  return undefined;
}

function functionProblem(f: unknown): string | undefined {
  if (!isObj(f) || !isStr(f.name) || !isStr(f.linkName)) return 'a function needs a name and a link name';
  if (![f.start, f.end, f.type, f.frameSize].every(isNum) || !isRange(f.range)) return `function '${f.name}' has malformed fields`;
  if (!Array.isArray(f.params) || !Array.isArray(f.locals)) return `function '${f.name}' needs params and locals lists`;
  for (const v of [...(f.params as unknown[]), ...(f.locals as unknown[])]) {
    const p = variableProblem(v);
    if (p) return `in function '${f.name}': ${p}`;
  }
  return undefined;
}

function unitProblem(u: unknown): string | undefined {
  if (!isObj(u) || !isStr(u.path)) return 'a unit needs a path';
  const { types, functions, globals, typedefs } = u;
  if (![types, functions, globals, typedefs].every(Array.isArray)) return `unit '${u.path}' needs types, functions, globals and typedefs lists`;
  const kinds: readonly unknown[] = IMAGE_DEBUG_TYPE_KINDS;
  const badType = (types as unknown[]).findIndex((t) => !isObj(t) || !kinds.includes(t.kind));
  if (badType >= 0) return `unit '${u.path}': type ${badType} has no known kind`;
  for (const f of functions as unknown[]) {
    const p = functionProblem(f);
    if (p) return `unit '${u.path}': ${p}`;
  }
  for (const g of globals as unknown[]) {
    const p = variableProblem(g);
    if (p) return `unit '${u.path}': ${p}`;
  }
  if (!(typedefs as unknown[]).every((t) => isObj(t) && isStr(t.name) && isNum(t.type))) return `unit '${u.path}': malformed typedef`;
  return undefined;
}

/** Decodes and checks the section; returns a message saying what is wrong instead of throwing. */
export function decodeDebugSection(bytes: Uint8Array): DebugSectionContents | string {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return `not valid UTF-8 JSON (${(e as Error).message})`;
  }
  if (!isObj(json) || json.format !== DEBUG_FORMAT) return `not a ${DEBUG_FORMAT} section`;
  if (json.version !== DEBUG_VERSION) return `version ${String(json.version)} is not the supported version ${DEBUG_VERSION}`;
  const { files, lines, units, globalModules } = json;
  if (!Array.isArray(files) || !files.every(isStr)) return 'the file table is malformed';
  if (!Array.isArray(lines) || !Array.isArray(units) || !isObj(globalModules)) return 'lines, units or globalModules are missing';
  if (!Object.values(globalModules).every(isStr)) return 'globalModules maps a name to something other than a path';
  const rows: ImageLineRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const r: unknown = lines[i];
    if (!Array.isArray(r) || r.length !== 9 || !r.every(isNum) || !isStr(files[r[1] as number])) return `line row ${i} is malformed`;
    const [address, fi, line, column, offset, endLine, endColumn, endOffset, stmt] = r as PackedRow;
    const file = files[fi] as string;
    rows.push({ address, range: { start: { file, line, column, offset }, end: { file, line: endLine, column: endColumn, offset: endOffset } }, isStatement: stmt === 1 });
  }
  for (const u of units as unknown[]) {
    const p = unitProblem(u);
    if (p) return p;
  }
  return { lines: rows, debug: { units: units as ImageDebugInfo['units'] }, globalModules: globalModules as Record<string, string> };
}
