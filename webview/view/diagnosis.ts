// What went wrong: the last fault (vector, CR2, the error code decoded bit
// by bit, rip with its source line as a link, the failing walk step), and the
// invariant violations the debugger's own page audit found, each a sentence,
// each with a way to the page it names.

import type { SnapshotFault, SnapshotFinding, SnapshotSource } from '../../emulator/index';
import { hex, LEVEL_NAMES, plural } from '../model/format';
import type { PanelContext } from './context';
import { button, h } from './dom';

const ERROR_BITS: readonly [number, string, string][] = [
  [0x1, 'the page was present (a protection violation)', 'the page was not present'],
  [0x2, 'the access was a write', 'the access was a read'],
  [0x4, 'in user mode (CPL 3)', 'in kernel mode'],
  [0x8, 'a reserved bit was set in a paging entry', ''],
  [0x10, 'the access was an instruction fetch', ''],
];

const FINDING_TITLES: Record<string, string> = {
  'table-owner': 'Page-table page with the wrong owner',
  'kernel-user': 'Kernel page open to user code',
  'console-not-user': 'Console not user-accessible',
  refcount: 'Refcount mismatch',
  leak: 'Leaked page',
  'free-mapped': 'Free page still mapped',
  'shared-writable': 'Writable page shared between processes',
};

export function sourceText(s: SnapshotSource): string {
  const file = s.file.slice(s.file.lastIndexOf('/') + 1);
  return `${file}:${s.line}${s.function ? ` in ${s.function}()` : ''}`;
}

export function sourceLink(ctx: PanelContext, s: SnapshotSource): HTMLElement {
  const text = sourceText(s);
  if (ctx.host.kind === 'standalone') return h('span', { class: 'source', title: `${s.file}:${s.line}:${s.column} (source links open in VS Code)` }, text);
  return button(text, () => ctx.actions.openSource(s), { class: 'link source', title: `Open ${s.file}:${s.line}`, 'aria-label': `Open ${text} in the editor` });
}

function errorCode(f: SnapshotFault): HTMLElement | null {
  if (f.errorCode === null) return null;
  const code = f.errorCode;
  const items = f.vector === 14
    ? ERROR_BITS.map(([bit, on, off]) => (code & bit ? on : off)).filter(Boolean)
    : [];
  return h('div', null, h('dt', null, 'Error code'), h('dd', null, `${hex(code)}${f.errorBits.length ? ` (${f.errorBits.join(', ')})` : ''}`,
    items.length ? h('ul', { class: 'bits' }, ...items.map((t) => h('li', null, t))) : null));
}

function faultView(ctx: PanelContext, f: SnapshotFault): HTMLElement {
  const cr2 = f.vector === 14 && f.va !== null ? f.va : null;
  const walk = f.walk.length
    ? h('table', { class: 'steps fault-walk', 'aria-label': 'The failing walk' },
      h('thead', null, h('tr', null, ...['Level', 'Index', 'Entry at', 'Entry', 'Decision'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, ...f.walk.map((s) => h('tr', { class: f.failedLevel === s.level ? 'step failed' : 'step' },
        h('th', { scope: 'row' }, LEVEL_NAMES[s.level] ?? String(s.level)), h('td', null, String(s.index)), h('td', null, hex(s.entryAddress)), h('td', { class: 'raw' }, s.raw),
        h('td', null, s.decision, f.failedLevel === s.level ? h('strong', null, ' ← the walk fails here') : null)))))
    : null;
  return h('div', { class: 'fault' },
    h('p', { class: 'fault-message', role: 'alert' }, f.message),
    h('dl', { class: 'facts' },
      h('div', null, h('dt', null, 'Exception'), h('dd', null, `${f.name} (vector ${f.vector})`)),
      cr2 !== null ? h('div', null, h('dt', null, 'CR2'), h('dd', null, hex(cr2))) : null,
      errorCode(f),
      f.rip !== null ? h('div', null, h('dt', null, 'rip'), h('dd', null, hex(f.rip), f.source ? ' — ' : '', f.source ? sourceLink(ctx, f.source) : null,
        h('span', { class: 'muted' }, ' (stopped at the faulting instruction, before the trap is delivered)'))) : h('div', null, h('dt', null, 'rip'), h('dd', { class: 'muted' }, 'delivered: the kernel\'s exception handler has it in its trap frame')),
      f.failedLevel !== null ? h('div', null, h('dt', null, 'Failing step'), h('dd', null, `${LEVEL_NAMES[f.failedLevel]} (level ${f.failedLevel + 1} of 4)`)) : null,
    ),
    walk,
    cr2 !== null ? button(`Translate ${hex(cr2)} here`, () => ctx.actions.translate(cr2, undefined, `${(f.errorCode ?? 0) & 4 ? 'user' : 'kernel'}-${(f.errorCode ?? 0) & 0x10 ? 'fetch' : (f.errorCode ?? 0) & 2 ? 'write' : 'read'}`)) : null,
  );
}

function findingView(ctx: PanelContext, f: SnapshotFinding): HTMLElement {
  const pn = Math.floor(f.page / 4096);
  return h('li', { class: 'finding', 'data-kind': f.kind },
    h('span', { class: 'finding-kind' }, FINDING_TITLES[f.kind] ?? f.kind), ' ',
    h('span', { class: 'finding-text' }, f.message), ' ',
    button(`Show page ${hex(f.page)}`, () => ctx.actions.selectPage(pn, true), { class: 'link' }),
    f.va !== null && f.pid !== null ? button(`Translate ${hex(f.va)}`, () => ctx.actions.translate(f.va!, `pid:${f.pid}`)) : null);
}

/** The fault and the findings; returns null when there is nothing to report (the caller says so in one line). */
export function diagnosis(ctx: PanelContext): HTMLElement {
  const s = ctx.model.snapshot;
  const findings = s.findings;
  if (!s.lastFault && findings.length === 0) {
    return h('p', { class: 'ok-text' }, 'No fault so far, and no invariant violations: pageinfo agrees with every page table (owners, refcounts), no kernel page is user-accessible, no page is leaked.');
  }
  return h('div', { class: 'diagnosis' },
    s.lastFault ? h('section', { class: 'subsection', 'aria-label': 'Last fault' }, h('h3', null, 'Last fault'), faultView(ctx, s.lastFault)) : h('p', { class: 'muted' }, 'No fault so far.'),
    h('section', { class: 'subsection', 'aria-label': 'Invariant violations' },
      h('h3', null, findings.length ? `Invariant violations: ${plural(findings.length, 'finding')}` : 'Invariant violations'),
      findings.length && s.cpu.cpl === 0
        ? h('p', { class: 'note' }, 'Stopped in the kernel: it may be halfway through updating pageinfo and the page tables, so a finding here can be transient. One that is still there at a stop in user mode is real.')
        : null,
      findings.length
        ? h('ul', { class: 'findings' }, ...findings.map((f) => findingView(ctx, f)))
        : h('p', { class: 'ok-text' }, 'None: pageinfo agrees with every page table (owners, refcounts), no kernel page is user-accessible, no page is leaked.')),
  );
}
