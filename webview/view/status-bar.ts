// The panel's top line: where the picture comes from, where the machine
// stopped (with a link to the source line), the current process and CR3,
// the counters, what changed since the previous stop, and the actions.

import type { SnapshotEntryChange } from '../../emulator/index';
import { count, hex, LEVEL_NAMES, plural } from '../model/format';
import { entryHalves, entryPa } from '../model/snapshot-walk';
import { spaceKey, type PanelContext } from './context';
import { button, h } from './dom';
import { sourceLink } from './diagnosis';

/** Changes listed by name in the status line; the rest are counted. */
const LISTED_CHANGES = 5;

/** One change as a link: "added: process 2's L4[322], 0x142000 → 0x1c000". */
function changeLink(ctx: PanelContext, c: SnapshotEntryChange): HTMLElement {
  const space = ctx.model.snapshot.addressSpaces.find((a) => a.l1 === c.l1);
  const raw = c.after ?? c.before;
  const target = raw ? entryPa(entryHalves(raw).lo, entryHalves(raw).hi) : 0;
  const what = c.change === 'changed' && c.newlySet.length && c.before && c.after ? `${c.newlySet.join(' and ')} set` : c.change;
  const text = `${what}: ${space?.label ?? hex(c.l1)}'s ${LEVEL_NAMES[c.level]}[${c.index}], ${hex(c.va)} → ${hex(target)}`;
  return h('li', { class: `change-item diff-${c.change}` }, space
    ? button(text, () => ctx.actions.translate(c.va, spaceKey(space), 'kernel-read'), { class: 'link', title: 'Translate this address in that address space' })
    : text);
}

export function statusBar(ctx: PanelContext): HTMLElement {
  const s = ctx.model.snapshot;
  const origin = ctx.model.origin.kind === 'file' ? `Saved snapshot ${ctx.model.origin.fileName}` : `Session “${ctx.model.origin.sessionName}”`;
  const cr3Space = s.addressSpaces.find((a) => a.l1 === s.cpu.cr3 - (s.cpu.cr3 % 4096));
  const where = h('span', null,
    s.cpu.source ? h('span', null, 'Stopped in ', sourceLink(ctx, s.cpu.source)) : `Stopped at rip ${hex(s.cpu.rip)}`,
    ` (${s.cpu.cpl === 3 ? 'user mode' : 'kernel mode'})`);
  const facts = [
    s.currentPid !== null ? `current process ${s.currentPid}` : 'no current process',
    s.cpu.paging ? `CR3 ${hex(s.cpu.cr3)}${cr3Space ? ` (${cr3Space.label})` : ''}` : 'paging off',
    s.counters.ticks !== null ? `${plural(s.counters.ticks, 'tick')}` : null,
    `${count(s.counters.instructions)} instructions`,
  ].filter(Boolean).join(' · ');
  const d = ctx.model.diff;
  const changes = d
    ? `Since the previous stop: ${plural(d.entries.length, 'page-table entry', 'page-table entries')} and ${plural(d.pageinfo.length, 'pageinfo slot')} changed` +
      (d.spacesAdded.length ? `, ${plural(d.spacesAdded.length, 'new address space')}` : '') + (d.spacesRemoved.length ? `, ${plural(d.spacesRemoved.length, 'address space')} gone` : '') + '.'
    : ctx.model.origin.kind === 'session' ? 'The first stop seen: changes are highlighted from the next stop on.' : null;
  const tlb = s.tlb.counters;
  const live = ctx.model.origin.kind === 'session';
  const stale = !live ? null : ctx.session === 'running' ? 'The machine is running: this is the picture at the last stop.'
    : ctx.session === 'ended' ? 'The session has ended: this is the picture at its last stop.' : null;
  return h('div', { class: 'status' },
    stale ? h('p', { class: 'stale', role: 'status' }, stale) : null,
    h('div', { class: 'status-main' }, h('strong', null, origin), ' — ', where),
    h('div', { class: 'status-facts' }, facts),
    h('div', { class: 'status-facts muted' }, `TLB: ${s.tlb.entries.length} entries cached; ${count(tlb.hits)} hits, ${count(tlb.misses)} misses, ${count(tlb.staleHits)} stale hits, ${count(tlb.flushes)} flushes`),
    changes ? h('div', { class: 'status-facts changes' }, changes) : null,
    d && d.entries.length ? h('ul', { class: 'change-list', 'aria-label': 'Page-table entries changed since the previous stop' },
      ...d.entries.slice(0, LISTED_CHANGES).map((c) => changeLink(ctx, c)),
      d.entries.length > LISTED_CHANGES ? h('li', { class: 'muted' }, `and ${d.entries.length - LISTED_CHANGES} more (highlighted in the page tables)`) : null) : null,
    ...ctx.model.warnings.map((w) => h('p', { class: 'note' }, w)),
  );
}
