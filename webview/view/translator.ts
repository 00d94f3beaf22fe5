// The translator: a virtual address, an address space and an access; the
// walk drawn level by level (the 9|9|9|9|12 split of the address, the index
// used at each level, each entry read and its flags, what the walk did with
// it), the rights over the levels, and exactly where and why it fails. The
// walk runs on the snapshot's tables (model/snapshot-walk.ts), so it works on
// a saved snapshot too; it is redone at every stop.

import { hex, LEVEL_NAMES, parseAddress } from '../model/format';
import { ownerName } from '../model/owners';
import { walkSnapshot, type SnapshotWalk, type SnapshotWalkStep } from '../model/snapshot-walk';
import { resolveSpace, type AccessChoice, type PanelContext } from './context';
import { button, h, replace } from './dom';
import { spacePicker } from './address-space';

const ACCESSES: readonly [AccessChoice, string][] = [
  ['user-read', 'user read'], ['user-write', 'user write'], ['user-fetch', 'user instruction fetch'],
  ['kernel-read', 'kernel read'], ['kernel-write', 'kernel write'], ['kernel-fetch', 'kernel instruction fetch'],
];
const BITS = ['47–39', '38–30', '29–21', '20–12'];
/** What the blamed entry lacks, for the rights a walk can miss. */
const MISSING: Partial<Record<string, string>> = { user: 'lacks PTE_U', write: 'lacks PTE_W', 'execute-disable': 'has NX set', smep: 'user page (SMEP)' };

function decisionText(s: SnapshotWalkStep): string {
  switch (s.decision) {
    case 'table': return `present → ${LEVEL_NAMES[s.level + 1]} table at ${hex(s.pa)} (${ownerName(s.owner)})`;
    case 'page': return `present → page ${hex(s.pa)} (${ownerName(s.owner)})`;
    case 'large-page': return `present, PS → 2 MiB page ${hex(s.pa)}`;
    case 'not-present': return 'not present: the walk stops here';
    case 'reserved-bit': return `reserved bits set (${s.reservedBits?.join(', ')}): the walk stops here`;
  }
}

function splitDiagram(w: SnapshotWalk): HTMLElement {
  const parts = w.indices.map((idx, l) => h('div', { class: 'split-part' },
    h('div', { class: 'split-name' }, `${LEVEL_NAMES[l]} index`), h('div', { class: 'split-value' }, String(idx)),
    h('div', { class: 'split-bits' }, idx.toString(2).padStart(9, '0')), h('div', { class: 'split-range muted' }, `bits ${BITS[l]}`)));
  parts.push(h('div', { class: 'split-part' }, h('div', { class: 'split-name' }, 'offset'), h('div', { class: 'split-value' }, hex(w.offset)),
    h('div', { class: 'split-bits' }, w.offset.toString(2).padStart(12, '0')), h('div', { class: 'split-range muted' }, 'bits 11–0')));
  return h('div', { class: 'split', 'aria-label': `${hex(w.va)} splits into L1 index ${w.indices[0]}, L2 index ${w.indices[1]}, L3 index ${w.indices[2]}, L4 index ${w.indices[3]}, offset ${hex(w.offset)}` }, ...parts);
}

function stepsTable(w: SnapshotWalk): HTMLElement {
  const rows: HTMLElement[] = [];
  for (let l = 0; l < 4; l++) {
    const s = w.steps[l];
    if (!s) {
      rows.push(h('tr', { class: 'not-reached' }, h('th', { scope: 'row' }, LEVEL_NAMES[l]), h('td', { colspan: 6, class: 'muted' }, 'not reached')));
      continue;
    }
    const failed = w.failedLevel === l;
    const flags = (['P', 'W', 'U', 'A', 'D', 'PS', 'NX'] as const).map((f) => h('span', { class: s.flags[f] ? 'set' : 'clear' }, s.flags[f] ? f : '·'));
    rows.push(h('tr', { class: failed ? 'step failed' : 'step', 'data-level': l },
      h('th', { scope: 'row' }, LEVEL_NAMES[l]), h('td', null, hex(s.tableAddress)), h('td', null, String(s.index)), h('td', null, hex(s.entryAddress)),
      h('td', { class: 'raw' }, s.raw), h('td', { class: 'flags' }, ...flags), h('td', null, decisionText(s), failed && w.failure !== undefined && MISSING[w.failure] ? h('strong', null, ` ← ${MISSING[w.failure]}`) : null)));
  }
  return h('table', { class: 'steps', 'aria-label': 'The walk, level by level' },
    h('thead', null, h('tr', null, ...['Level', 'Table at', 'Index', 'Entry at', 'Entry', 'Flags', 'What the walk does'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, ...rows));
}

function result(ctx: PanelContext, w: SnapshotWalk): HTMLElement {
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  return h('div', { class: 'walk' },
    w.indices.length ? splitDiagram(w) : null,
    w.indices.length ? stepsTable(w) : null,
    w.ok || (w.failure !== undefined && w.failure !== 'not-present' && w.failure !== 'reserved-bit' && w.failure !== 'not-canonical') ? h('p', { class: 'rights' }, `Rights over the levels walked: user ${yes(w.user)}, write ${yes(w.write)}, execute ${yes(!w.executeDisable)}.`) : null,
    h('p', { class: w.ok ? 'verdict ok' : 'verdict fail', role: 'status' }, w.message),
    w.ok && w.pa !== undefined ? button('Show the physical page', () => ctx.actions.selectPage(Math.floor(w.pa! / 4096), true), { class: 'link' }) : null,
  );
}

export function translator(ctx: PanelContext): HTMLElement {
  const t = ctx.ui.translate;
  const out = h('div', { class: 'translate-out', 'aria-live': 'polite' });
  const input = h('input', { id: 'translate-va', type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: 'e.g. 0x2ff000', value: t.va, 'aria-describedby': 'translate-help' });
  // Until the student picks one, the translator follows the address space on show above it.
  const spaceOf = (): string | null => t.space ?? ctx.ui.space;
  const si = resolveSpace(ctx.model.snapshot, spaceOf());
  const picker = spacePicker(ctx, si, 'translate-space', (k) => { t.space = k; ctx.actions.saveState(); run(); }, 'in');
  const access = h('select', { id: 'translate-access', onchange: () => { t.access = access.value as AccessChoice; ctx.actions.saveState(); run(); } },
    ...ACCESSES.map(([v, text]) => h('option', { value: v, selected: v === t.access }, text)));
  const run = (): void => {
    t.va = input.value;
    ctx.actions.saveState();
    if (input.value.trim() === '') return replace(out, h('p', { id: 'translate-help', class: 'muted' }, 'Type a virtual address (hex like 0x2ff000, or decimal), or click a page in the virtual map.'));
    const va = parseAddress(input.value);
    if (va === undefined) return replace(out, h('p', { class: 'verdict fail', role: 'status' }, `“${input.value.trim()}” is not an address: write it in hex (0x2ff000) or decimal.`));
    const i = resolveSpace(ctx.model.snapshot, spaceOf());
    if (i < 0) return replace(out, h('p', { class: 'verdict fail', role: 'status' }, 'This snapshot has no page tables (paging is off).'));
    const [who, kind] = t.access.split('-') as ['kernel' | 'user', 'read' | 'write' | 'fetch'];
    replace(out, result(ctx, walkSnapshot(ctx.model.snapshot, ctx.model.tables[i]!, va, { kind, user: who === 'user' })));
  };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } });
  const form = h('div', { class: 'translate-form' },
    h('label', { for: 'translate-va' }, 'Virtual address '), input, ' ', picker, ' ',
    h('label', { for: 'translate-access' }, 'as a '), access, ' ', button('Translate', run, { class: 'primary' }));
  run();
  return h('div', { class: 'translator' }, form, out);
}
