// The selected (or hovered) physical page: its pageinfo, what changed since
// the previous stop, the audit's findings about it, and every use of it in
// the page tables: (address space, virtual address, level) for each mapping,
// and the tables it serves as when it is a page-table page.

import { hex, LEVEL_NAMES, PAGESIZE, plural, range, LEVEL_SPAN } from '../model/format';
import { ownerName, permText } from '../model/owners';
import type { PageUse } from '../model/page-index';
import { spaceKey, type PanelContext } from './context';
import { button, h } from './dom';

/** Uses listed before "show all". */
const SHOWN_USES = 24;

function useRow(ctx: PanelContext, u: PageUse): HTMLElement {
  const space = ctx.model.snapshot.addressSpaces[u.space]!;
  const key = spaceKey(space);
  let what: string;
  let va: number | undefined;
  if (u.as === 'root') what = `its L1 page table (what CR3 holds while it runs)`;
  else if (u.as === 'table') {
    what = `${LEVEL_NAMES[u.level]} entry for ${range(u.va, u.va + LEVEL_SPAN[u.level]! - 1)} points here: it is an ${LEVEL_NAMES[u.level + 1]} page table`;
  } else {
    va = u.va;
    what = `maps virtual ${hex(u.va)} (${LEVEL_NAMES[u.level]} entry${u.as === 'large-page' ? ', part of a 2 MiB page' : ''}), ${permText(u.perm)}`;
  }
  return h('li', { class: u.perm & 4 && u.as !== 'table' && u.as !== 'root' ? 'use user' : 'use' },
    h('span', { class: 'use-space' }, space.label), ': ', what, ' ',
    va !== undefined ? button('Translate', () => ctx.actions.translate(va!, key), { class: 'link', 'aria-label': `Translate ${hex(va)} in ${space.label}` }) : null,
    button('Page tables', () => ctx.actions.selectSpace(key), { class: 'link', 'aria-label': `Show the page tables of ${space.label}` }),
  );
}

export function pageDetails(ctx: PanelContext, pn: number | null, preview: boolean): HTMLElement {
  const pages = ctx.model.snapshot.pageinfo.pages;
  if (pn === null || pn < 0 || pn >= pages.length) {
    return h('div', { class: 'details empty' }, h('p', null, 'Select a page (click it, or Tab into the map and use the arrow keys) to see its owner, refcount and every mapping of it.'));
  }
  const info = pages[pn]!;
  const uses = ctx.model.index.uses.get(pn) ?? [];
  const mappings = uses.filter((u) => u.as === 'page' || u.as === 'large-page');
  const findings = ctx.model.index.findings.get(pn) ?? [];
  const change = ctx.model.diffIndex.pageinfo(pn);
  const listId = `uses-${pn}`;
  const shown = uses.slice(0, SHOWN_USES);
  const list = h('ul', { class: 'uses', id: listId }, ...shown.map((u) => useRow(ctx, u)));
  const more = uses.length > SHOWN_USES
    ? button(`Show all ${uses.length}`, () => { list.replaceChildren(...uses.map((u) => useRow(ctx, u))); more!.remove(); }, { class: 'link', 'aria-controls': listId })
    : null;
  const userMaps = mappings.filter((u) => u.perm & 4).length;
  const mapped = mappings.length === 0 ? 'by no page table'
    : `${plural(mappings.length, 'time')}: ${userMaps} user-accessible, ${mappings.length - userMaps} kernel-only`;
  return h('div', { class: 'details', 'aria-live': preview ? 'off' : 'polite' },
    h('h3', null, `Physical page ${hex(pn * PAGESIZE)}`, preview ? h('span', { class: 'muted' }, ' (under the pointer)') : null),
    h('dl', null,
      h('dt', null, 'Owner'), h('dd', null, ownerName(info.owner), info.refcount === 0 && info.owner !== 0 ? ' (but refcount 0: drawn as free)' : ''),
      h('dt', null, 'Refcount'), h('dd', null, String(info.refcount), info.refcount > 1 ? ' (shared)' : ''),
      h('dt', null, 'Mapped'), h('dd', null, mapped),
      change ? h('dt', null, 'Since the previous stop') : null,
      change ? h('dd', { class: 'changed-text' }, `${change.before ? `${ownerName(change.before.owner)}, refcount ${change.before.refcount}` : 'nothing'} → ${change.after ? `${ownerName(change.after.owner)}, refcount ${change.after.refcount}` : 'nothing'}`) : null,
    ),
    findings.length ? h('ul', { class: 'findings-here', 'aria-label': 'Problems with this page' }, ...findings.map((f) => h('li', { class: 'problem' }, f.message))) : null,
    uses.length ? h('h4', null, 'In the page tables') : null,
    uses.length ? list : null,
    more,
  );
}
