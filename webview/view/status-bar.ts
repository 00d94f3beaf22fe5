// The panel's top line: where the picture comes from, where the machine
// stopped (with a link to the source line), the current process and CR3,
// the counters, what changed since the previous stop, and the actions.

import { count, hex, plural } from '../model/format';
import type { PanelContext } from './context';
import { h } from './dom';
import { sourceLink } from './diagnosis';

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
    ...ctx.model.warnings.map((w) => h('p', { class: 'note' }, w)),
  );
}
