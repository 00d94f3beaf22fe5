// What every section of the panel draws from: the snapshot on show and the
// indexes built from it once per picture (the model), the student's choices
// (the UI state, kept across hide/show and reloads through the host's
// setState), and the actions a section can ask for.

import type { PanelSnapshot, SnapshotAddressSpace, SnapshotDiff, SnapshotSource } from '../../emulator/index';
import type { SessionState, SnapshotOrigin } from '../panel-messages';
import { buildDiffIndex, type DiffIndex } from '../model/diff-index';
import { buildPageIndex, type PageIndex } from '../model/page-index';
import { SpaceTables, type AccessKind } from '../model/snapshot-walk';

export interface PanelModel {
  readonly snapshot: PanelSnapshot;
  readonly diff: SnapshotDiff | null;
  readonly origin: SnapshotOrigin;
  readonly warnings: readonly string[];
  readonly index: PageIndex;
  readonly diffIndex: DiffIndex;
  /** Lookups into each address space's tables (same order as snapshot.addressSpaces). */
  readonly tables: readonly SpaceTables[];
}

export function buildModel(snapshot: PanelSnapshot, diff: SnapshotDiff | null, origin: SnapshotOrigin, warnings: readonly string[]): PanelModel {
  return {
    snapshot, diff, origin, warnings,
    index: buildPageIndex(snapshot),
    diffIndex: buildDiffIndex(diff),
    tables: snapshot.addressSpaces.map((s) => new SpaceTables(s)),
  };
}

/** An access the translator checks: who and what. */
export type AccessChoice = `${'kernel' | 'user'}-${AccessKind}`;

/**
 * The student's choices. Address spaces are named by a key that survives
 * the next stop: 'pid:3' (the space process 3 uses), 'kernel', or 'l1:4096'.
 */
export interface UiState {
  readonly v: 1;
  space: string | null;
  page: number | null;
  cellMode: 'owner' | 'refcount';
  /** Tree rows opened or closed by the student, by row key; others follow the default. */
  toggles: Record<string, boolean>;
  translate: { va: string; space: string | null; access: AccessChoice };
  /** Sections the student folded. */
  closed: string[];
}

export function initialUiState(): UiState {
  return { v: 1, space: null, page: null, cellMode: 'owner', toggles: {}, translate: { va: '', space: null, access: 'user-read' }, closed: [] };
}

/** A state read back from the host: used if it has the right shape, else a fresh one. */
export function restoreUiState(saved: unknown): UiState {
  const fresh = initialUiState();
  if (typeof saved !== 'object' || saved === null || (saved as { v?: unknown }).v !== 1) return fresh;
  const s = saved as Partial<UiState>;
  const t = s.translate;
  return {
    v: 1,
    space: typeof s.space === 'string' ? s.space : null,
    page: typeof s.page === 'number' ? s.page : null,
    cellMode: s.cellMode === 'refcount' ? 'refcount' : 'owner',
    toggles: typeof s.toggles === 'object' && s.toggles !== null ? { ...s.toggles } : {},
    translate: t && typeof t.va === 'string' ? { va: t.va, space: typeof t.space === 'string' ? t.space : null, access: /^(kernel|user)-(read|write|fetch)$/.test(t.access) ? t.access : 'user-read' } : fresh.translate,
    closed: Array.isArray(s.closed) ? s.closed.filter((x): x is string => typeof x === 'string') : [],
  };
}

export function spaceKey(space: SnapshotAddressSpace): string {
  if (space.kernel) return 'kernel';
  if (space.pids.length > 0) return `pid:${space.pids[0]}`;
  return `l1:${space.l1}`;
}

/** The index in snapshot.addressSpaces a key names, or the default: the current process's space, else CR3's, else the first. */
export function resolveSpace(s: PanelSnapshot, key: string | null): number {
  if (s.addressSpaces.length === 0) return -1;
  if (key !== null) {
    const m = /^(pid|l1):(-?\d+)$/.exec(key);
    const i = key === 'kernel' ? s.addressSpaces.findIndex((a) => a.kernel)
      : m?.[1] === 'pid' ? s.addressSpaces.findIndex((a) => a.pids.includes(Number(m[2])) && !a.kernel)
      : m?.[1] === 'l1' ? s.addressSpaces.findIndex((a) => a.l1 === Number(m[2])) : -1;
    if (i >= 0) return i;
  }
  const cur = s.currentPid !== null ? s.addressSpaces.findIndex((a) => a.pids.includes(s.currentPid!) && !a.kernel) : -1;
  if (cur >= 0) return cur;
  const cr3 = s.addressSpaces.findIndex((a) => a.l1 === s.cpu.cr3 - (s.cpu.cr3 % 4096));
  return cr3 >= 0 ? cr3 : 0;
}

export interface PanelActions {
  /** Select a physical page (null: none); `focus` moves keyboard focus to its cell. */
  selectPage(pn: number | null, focus?: boolean): void;
  /** Show a page number's details without selecting it (hover). null: back to the selection. */
  previewPage(pn: number | null): void;
  selectSpace(key: string): void;
  /** Fill the translator and run it; scrolls it into view. */
  translate(va: number, space?: string, access?: AccessChoice): void;
  openSource(source: SnapshotSource): void;
  /** Open or close a tree row (by key). */
  toggle(key: string, open: boolean): void;
  setCellMode(mode: 'owner' | 'refcount'): void;
  /** The state changed in place (translator input...): save it. */
  saveState(): void;
}

export interface PanelContext {
  readonly model: PanelModel;
  readonly ui: UiState;
  readonly actions: PanelActions;
  readonly host: { readonly kind: 'vscode' | 'standalone' };
  readonly session: SessionState;
}
