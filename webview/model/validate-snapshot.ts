// Checks that data claiming to be a PanelSnapshot (or a SnapshotDiff, or a
// saved-snapshot file) has the shape the panel reads, before anything is
// drawn: a snapshot crosses a process boundary, and a saved file may be
// truncated, hand-edited or from another version. The result is either the
// typed value or a short list of problems, each naming the path
// ("addressSpaces[2].tables[0].entries[5].flags.U: expected a boolean").
//
// A small schema walker rather than a validation library: the schema is a
// few dozen lines, the bundle stays dependency-free, and the messages say
// exactly where a file went wrong.

import type { PanelSnapshot, SnapshotDiff } from '../../emulator/index';
import { SAVED_SNAPSHOT_FORMAT } from '../panel-messages';

type Schema =
  | 'number' | 'integer' | 'string' | 'boolean' | 'any'
  | { readonly nullable: Schema }
  | { readonly array: Schema }
  | { readonly object: Readonly<Record<string, Schema>>; readonly optional?: readonly string[] }
  | { readonly record: Schema }
  | { readonly oneOf: readonly (string | number)[] };

const int: Schema = 'integer';
const nullableInt: Schema = { nullable: int };
const flags: Schema = { object: Object.fromEntries(['P', 'W', 'U', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'NX'].map((f) => [f, 'boolean' as Schema])) };
const source: Schema = { nullable: { object: { file: 'string', line: int, column: int, function: { nullable: 'string' } } } };
const pageInfo: Schema = { object: { owner: int, refcount: int } };
const process: Schema = {
  object: { slot: int, pid: int, state: 'string', stateValue: int, program: { nullable: 'string' }, pagetable: int, current: 'boolean' },
};
const entry: Schema = {
  object: {
    index: int, entryAddress: int, va: int, vaLast: int, raw: 'string', pa: int, flags,
    kind: { oneOf: ['table', 'page', 'large-page', 'not-present'] }, owner: nullableInt,
  },
};
const table: Schema = { object: { pa: int, level: { oneOf: [0, 1, 2, 3] }, va: int, owner: nullableInt, entries: { array: entry } } };
const space: Schema = {
  object: {
    l1: int, pids: { array: int }, kernel: 'boolean', label: 'string', tables: { array: table },
    pages: { array: { object: { va: int, pa: int, perm: int } } },
  },
};
const walkStep: Schema = { object: { level: int, index: int, tableAddress: int, entryAddress: int, raw: 'string', decision: 'string' } };

const SNAPSHOT: Schema = {
  object: {
    version: { oneOf: [1] },
    cpu: { object: { rip: int, cpl: int, cr0: int, cr2: int, cr3: int, cr4: int, efer: int, paging: 'boolean', source } },
    currentPid: nullableInt,
    kernelPagetable: nullableInt,
    processes: { array: process },
    pageinfo: { object: { source: { oneOf: ['debug-info', 'derived'] }, pages: { array: pageInfo } } },
    mappedBy: { record: { array: { object: { pid: int, va: int, perm: int } } } },
    addressSpaces: { array: space },
    tlb: { object: { entries: { array: 'any' }, counters: { object: { hits: int, misses: int, staleHits: int, flushes: int, invlpgs: int } } } },
    console: { object: { columns: int, rows: int, cells: { array: int }, cursorpos: int } },
    lastFault: {
      nullable: {
        object: {
          vector: int, name: 'string', errorCode: nullableInt, errorBits: { array: 'string' }, va: nullableInt, message: 'string',
          walk: { array: walkStep }, failedLevel: nullableInt, rip: nullableInt, source,
        },
      },
    },
    counters: { object: { instructions: int, userInstructions: int, ticks: nullableInt, unbackedReads: int, unbackedWrites: int } },
    findings: { array: { object: { kind: 'string', page: int, pid: nullableInt, va: nullableInt, message: 'string' } } },
  },
};

const DIFF: Schema = {
  object: {
    entries: {
      array: {
        object: {
          l1: int, level: int, va: int, index: int, change: { oneOf: ['added', 'changed', 'removed'] },
          before: { nullable: 'string' }, after: { nullable: 'string' }, newlySet: { array: { oneOf: ['A', 'D'] } },
        },
      },
    },
    pageinfo: { array: { object: { page: int, before: { nullable: pageInfo }, after: { nullable: pageInfo } } } },
    processes: { array: { object: { slot: int, before: { nullable: process }, after: { nullable: process } } } },
    spacesAdded: { array: int },
    spacesRemoved: { array: int },
    consoleChanged: 'boolean',
  },
};

/** At most this many problems are reported: the first few say what is wrong. */
const MAX_PROBLEMS = 6;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v);
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'nothing';
  return String(v);
}

/**
 * Where a value is, spelled only when a problem is reported: a snapshot has
 * tens of thousands of values, and building each one's path string up front
 * cost more than checking them.
 */
interface Where {
  readonly parent: Where | null;
  readonly key: string | number;
}

function spell(w: Where | null): string {
  if (!w) return '';
  const up = spell(w.parent);
  if (typeof w.key === 'number') return `${up}[${w.key}]`;
  if (!/^[A-Za-z_$][\w$]*$/.test(w.key)) return `${up}[${JSON.stringify(w.key)}]`;
  return up ? `${up}.${w.key}` : w.key;
}

const fieldLists = new WeakMap<object, readonly [string, Schema][]>();
function fields(s: { readonly object: Readonly<Record<string, Schema>> }): readonly [string, Schema][] {
  let f = fieldLists.get(s);
  if (!f) fieldLists.set(s, (f = Object.entries(s.object)));
  return f;
}

function check(v: unknown, s: Schema, at: Where | null, out: string[]): void {
  if (out.length >= MAX_PROBLEMS) return;
  let expected: string | undefined;
  if (typeof s === 'string') {
    switch (s) {
      case 'any': return;
      case 'number': if (typeof v !== 'number' || !Number.isFinite(v)) expected = 'a number'; break;
      case 'integer': if (typeof v !== 'number' || !Number.isSafeInteger(v)) expected = 'an integer'; break;
      case 'string': if (typeof v !== 'string') expected = 'a string'; break;
      case 'boolean': if (typeof v !== 'boolean') expected = 'true or false'; break;
    }
  } else if ('nullable' in s) {
    if (v !== null) check(v, s.nullable, at, out);
  } else if ('oneOf' in s) {
    if (!s.oneOf.includes(v as string | number)) expected = `one of ${s.oneOf.map((x) => JSON.stringify(x)).join(', ')}`;
  } else if ('array' in s) {
    if (!Array.isArray(v)) expected = 'an array';
    else for (let i = 0; i < v.length && out.length < MAX_PROBLEMS; i++) check(v[i], s.array, { parent: at, key: i }, out);
  } else if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    expected = 'an object';
  } else if ('record' in s) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) check(o[k], s.record, { parent: at, key: k }, out);
  } else {
    const o = v as Record<string, unknown>;
    for (const [k, sub] of fields(s)) {
      if (k in o) check(o[k], sub, { parent: at, key: k }, out);
      else if (!s.optional?.includes(k)) out.push(`${spell({ parent: at, key: k })} is missing`);
    }
  }
  if (expected !== undefined) out.push(`${spell(at) || 'the snapshot'}: expected ${expected}, found ${describe(v)}`);
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

/** Checks a snapshot's shape and the few facts the panel relies on across fields. */
export function validateSnapshot(v: unknown): Checked<PanelSnapshot> {
  const out: string[] = [];
  if (typeof v === 'object' && v !== null && 'version' in v && (v as { version: unknown }).version !== 1) {
    return { ok: false, problems: [`version ${describe((v as { version: unknown }).version)}: this panel reads snapshot version 1`] };
  }
  check(v, SNAPSHOT, null, out);
  if (out.length === 0) {
    const s = v as PanelSnapshot;
    if (s.console.cells.length !== s.console.columns * s.console.rows) out.push(`console.cells: ${s.console.cells.length} cells for a ${s.console.columns}x${s.console.rows} screen (truncated?)`);
    if (s.pageinfo.pages.length === 0) out.push('pageinfo.pages is empty');
    if (s.pageinfo.pages.length > 1 << 20) out.push(`pageinfo.pages: ${s.pageinfo.pages.length} pages is more physical memory than this panel draws`);
  }
  return out.length ? { ok: false, problems: out } : { ok: true, value: v as PanelSnapshot };
}

export function validateDiff(v: unknown): Checked<SnapshotDiff> {
  const out: string[] = [];
  check(v, DIFF, { parent: null, key: 'diff' }, out);
  return out.length ? { ok: false, problems: out } : { ok: true, value: v as SnapshotDiff };
}

/** A snapshot read from a file or a message: the snapshot, its diff if any (dropped with a warning if malformed), and where it came from. */
export interface LoadedSnapshot {
  readonly snapshot: PanelSnapshot;
  readonly diff: SnapshotDiff | null;
  readonly warnings: readonly string[];
  readonly title?: string;
}

/** Reads a snapshot and an optional diff, as sent by the extension or found in a saved file. */
export function loadSnapshot(snapshot: unknown, diff: unknown): Checked<LoadedSnapshot> {
  const s = validateSnapshot(snapshot);
  if (!s.ok) return s;
  if (diff === null || diff === undefined) return { ok: true, value: { snapshot: s.value, diff: null, warnings: [] } };
  const d = validateDiff(diff);
  if (!d.ok) return { ok: true, value: { snapshot: s.value, diff: null, warnings: [`The changes since the previous stop are not shown: ${d.problems[0]}`] } };
  return { ok: true, value: { snapshot: s.value, diff: d.value, warnings: [] } };
}

/** Parses a saved-snapshot file's text: the saved format, or a bare snapshot. */
export function parseSnapshotFile(text: string): Checked<LoadedSnapshot> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    // A file cut short fails at its very end, or does not end as a JSON object does.
    const at = /position (\d+)/.exec(why);
    const cut = /end of (JSON )?input|Unterminated/i.test(why) || (at !== null && Number(at[1]) >= text.length - 1) || !/[}\]]\s*$/.test(text);
    const truncated = cut ? ' The file looks truncated.' : '';
    return { ok: false, problems: [`The file is not valid JSON: ${why}.${truncated}`] };
  }
  if (typeof data === 'object' && data !== null && (data as { format?: unknown }).format === SAVED_SNAPSHOT_FORMAT) {
    const f = data as { snapshot?: unknown; diff?: unknown; title?: unknown };
    const r = loadSnapshot(f.snapshot, f.diff);
    if (!r.ok) return { ok: false, problems: r.problems.map((p) => (p.startsWith('the snapshot') ? p : `snapshot.${p}`)) };
    return typeof f.title === 'string' ? { ok: true, value: { ...r.value, title: f.title } } : r;
  }
  return loadSnapshot(data, null);
}
