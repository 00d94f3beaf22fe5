// The memory-map panel: receives pictures (snapshot + diff) as typed
// messages, validates them, builds the model once per picture and draws the
// sections from it; keeps the student's choices (selected page, address
// space, open tree rows, translator input, folded sections) in the host's
// state so they survive hide/show and reloads. Never blank: before the first
// picture it says how to get one, and a bad picture gets an error page that
// says what is wrong with it.

import type { FromPanelMessage, SessionState, SnapshotOrigin, ToPanelMessage } from './panel-messages';
import type { PanelHost } from './host';
import { hex } from './model/format';
import { loadSnapshot, parseSnapshotFile, type LoadedSnapshot } from './model/validate-snapshot';
import { addressSpaceView } from './view/address-space';
import { consoleView } from './view/console-view';
import { buildModel, resolveSpace, restoreUiState, type PanelActions, type PanelContext, type PanelModel, type UiState } from './view/context';
import { diagnosis } from './view/diagnosis';
import { button, h, replace, safely } from './view/dom';
import { markSelected } from './view/memory-grid';
import { pageDetails } from './view/page-details';
import { pageTableTree } from './view/page-table-tree';
import { physicalMap } from './view/physical-map';
import { statusBar } from './view/status-bar';
import { translator } from './view/translator';

type SectionId = 'diagnosis' | 'physical' | 'space' | 'translate' | 'console';
const SECTIONS: readonly [SectionId, string][] = [
  ['diagnosis', 'Fault and invariant violations'], ['physical', 'Physical memory'], ['space', 'Address space and page tables'],
  ['translate', 'Translate a virtual address'], ['console', 'Console'],
];
/** Tree toggles remembered (the oldest are forgotten first). */
const MAX_TOGGLES = 400;

export class PanelApp {
  private readonly ui: UiState;
  private model: PanelModel | null = null;
  private session: SessionState = 'none';
  private readonly bodies = new Map<SectionId, HTMLElement>();
  private physGrid: HTMLElement | null = null;
  private details: HTMLElement | null = null;
  private preview: number | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly fileInput: HTMLInputElement;

  constructor(private readonly root: HTMLElement, private readonly host: PanelHost) {
    this.ui = restoreUiState(host.getState());
    this.fileInput = h('input', { type: 'file', accept: '.json,application/json', class: 'sr-only', tabindex: -1, 'aria-hidden': 'true', onchange: () => void this.readFile() });
    document.body.appendChild(this.fileInput);
    if (host.kind === 'standalone') this.acceptDrops();
    this.renderEmpty();
  }

  /** A message from the extension (or, standalone, from the embedding page or a test). */
  receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const m = data as ToPanelMessage;
    switch (m.type) {
      case 'show': {
        const loaded = loadSnapshot(m.snapshot, m.diff);
        if (m.origin?.kind === 'session') this.session = 'stopped';
        const origin: SnapshotOrigin = m.origin && (m.origin.kind === 'session' || m.origin.kind === 'file') ? m.origin : { kind: 'file', fileName: 'a snapshot' };
        if (loaded.ok) this.show(loaded.value, origin);
        else this.renderError(loaded.problems, origin.kind === 'file' ? origin.fileName : `the session “${origin.sessionName}”`);
        return;
      }
      case 'showFile':
        if (typeof m.text === 'string') this.loadFileText(m.text, String(m.fileName));
        return;
      case 'session':
        this.session = m.state;
        if (this.model) this.renderStatus();
        else this.renderEmpty(m.message);
        return;
      case 'error':
        this.flash(m.message);
        return;
    }
  }

  show(loaded: LoadedSnapshot, origin: SnapshotOrigin): void {
    const t0 = performance.now();
    this.model = buildModel(loaded.snapshot, loaded.diff, origin, loaded.warnings);
    if (this.ui.page !== null && this.ui.page >= loaded.snapshot.pageinfo.pages.length) this.ui.page = null;
    this.renderAll();
    void this.root.offsetHeight;
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(2);
    document.body.dataset.state = 'shown';
  }

  private post(m: FromPanelMessage): void {
    if (m.type === 'openSnapshotFile' && this.host.kind === 'standalone') this.fileInput.click();
    else this.host.post(m);
  }

  private saveState(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.host.setState(this.ui), 100);
  }

  private readonly actions: PanelActions = {
    selectPage: (pn, focus) => {
      this.ui.page = pn;
      this.preview = null;
      if (this.physGrid) markSelected(this.physGrid, pn);
      this.renderDetails();
      if (focus && pn !== null) {
        this.openSection('physical');
        const cell = this.physGrid?.querySelector<HTMLElement>(`[data-i="${pn}"]`);
        cell?.focus();
        cell?.scrollIntoView({ block: 'nearest' });
      }
      this.saveState();
    },
    previewPage: (pn) => {
      if (pn === this.preview) return;
      this.preview = pn;
      this.renderDetails();
    },
    selectSpace: (key) => {
      this.ui.space = key;
      this.renderSection('space');
      if (this.ui.translate.space === null) this.renderSection('translate');
      this.openSection('space');
      this.bodies.get('space')?.parentElement?.scrollIntoView({ block: 'start' });
      this.saveState();
    },
    translate: (va, space, access) => {
      this.ui.translate = { va: hex(va), space: space ?? this.ui.translate.space, access: access ?? this.ui.translate.access };
      this.renderSection('translate');
      this.openSection('translate');
      this.bodies.get('translate')?.parentElement?.scrollIntoView({ block: 'nearest' });
      this.saveState();
    },
    openSource: (s) => this.post({ type: 'openSource', file: s.file, line: s.line, column: s.column }),
    toggle: (key, open) => {
      delete this.ui.toggles[key];
      this.ui.toggles[key] = open;
      const keys = Object.keys(this.ui.toggles);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_TOGGLES))) delete this.ui.toggles[k];
      this.saveState();
    },
    setCellMode: (mode) => {
      this.ui.cellMode = mode;
      this.renderSection('physical');
      this.saveState();
    },
    saveState: () => this.saveState(),
  };

  private context(): PanelContext {
    return { model: this.model!, ui: this.ui, actions: this.actions, host: { kind: this.host.kind }, session: this.session };
  }

  private header(): HTMLElement {
    const vscode = this.host.kind === 'vscode';
    return h('header', { class: 'bar' },
      h('h1', null, 'WeensyOS memory map'),
      h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Panel actions' },
        vscode && this.model?.origin.kind === 'session' && this.session === 'stopped' ? button('Refresh', () => this.post({ type: 'refresh' }), { title: 'Take a new snapshot of the stopped machine' }) : null,
        vscode && this.model?.origin.kind === 'session' ? button('Save snapshot…', () => this.post({ type: 'saveSnapshot' }), { title: 'Save this picture as a JSON file (to attach to a question)' }) : null,
        button('Open snapshot file…', () => this.post({ type: 'openSnapshotFile' }), { title: 'Show a saved snapshot' })),
      h('div', { class: 'flash', role: 'status', 'aria-live': 'polite' }));
  }

  private renderAll(): void {
    const status = h('div', { class: 'status-host' });
    const main = h('main', null);
    this.bodies.clear();
    for (const [id, title] of SECTIONS) {
      const closed = this.ui.closed.includes(id);
      const body = h('div', { class: 'section-body', id: `body-${id}`, hidden: closed });
      const toggle = button(title, () => this.setSectionOpen(id, body.hidden), { class: 'section-toggle', 'aria-expanded': String(!closed), 'aria-controls': `body-${id}` });
      main.appendChild(h('section', { id: `sec-${id}`, 'aria-labelledby': `head-${id}` }, h('h2', { id: `head-${id}` }, toggle), body));
      this.bodies.set(id, body);
    }
    replace(this.root, this.header(), status, main);
    this.renderStatus();
    for (const [id] of SECTIONS) this.renderSection(id);
  }

  private renderStatus(): void {
    const host = this.root.querySelector('.status-host');
    if (host && this.model) safely(host, 'status line', () => statusBar(this.context()));
    const bar = this.root.querySelector('header.bar');
    if (bar && this.model) bar.replaceWith(this.header());
  }

  private setSectionOpen(id: SectionId, open: boolean): void {
    const body = this.bodies.get(id);
    if (!body) return;
    body.hidden = !open;
    this.root.querySelector(`#head-${id} button`)?.setAttribute('aria-expanded', String(open));
    this.ui.closed = open ? this.ui.closed.filter((x) => x !== id) : [...new Set([...this.ui.closed, id])];
    this.saveState();
  }

  private openSection(id: SectionId): void {
    if (this.bodies.get(id)?.hidden) this.setSectionOpen(id, true);
  }

  private renderSection(id: SectionId): void {
    const body = this.bodies.get(id);
    if (!body || !this.model) return;
    const ctx = this.context();
    const s = this.model.snapshot;
    switch (id) {
      case 'diagnosis': {
        const n = s.findings.length + (s.lastFault ? 1 : 0);
        body.parentElement?.classList.toggle('alert', n > 0);
        const head = this.root.querySelector(`#head-${id} button`);
        if (head) head.textContent = `Fault and invariant violations${n ? ` (${[s.lastFault ? '1 fault' : '', s.findings.length ? `${s.findings.length} finding${s.findings.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')})` : ': none'}`;
        return safely(body, 'diagnosis', () => diagnosis(ctx));
      }
      case 'physical': {
        safely(body, 'physical memory map', () => {
          const { element, grid } = physicalMap(ctx);
          this.physGrid = grid;
          this.details = h('aside', { class: 'details-host', 'aria-label': 'Selected page' });
          return h('div', { class: 'phys-layout' }, element, this.details);
        });
        return this.renderDetails();
      }
      case 'space': {
        const si = resolveSpace(s, this.ui.space);
        if (si < 0) return replace(body, h('p', { class: 'muted' }, 'No page tables in this snapshot: paging is off.'));
        return safely(body, 'address space', () => h('div', null, addressSpaceView(ctx, si), h('h3', null, 'Page tables'), pageTableTree(ctx, si)));
      }
      case 'translate':
        return safely(body, 'translator', () => translator(ctx));
      case 'console':
        return safely(body, 'console', () => consoleView(s));
    }
  }

  private renderDetails(): void {
    if (!this.details || !this.model) return;
    const ctx = this.context();
    const pn = this.preview ?? this.ui.page;
    safely(this.details, 'page details', () => pageDetails(ctx, pn, this.preview !== null && this.preview !== this.ui.page));
  }

  private renderEmpty(message?: string): void {
    const vscode = this.host.kind === 'vscode';
    replace(this.root, this.header(), h('div', { class: 'empty-state', role: 'status' },
      h('h2', null, vscode ? 'No picture yet' : 'Open a saved snapshot'),
      h('p', null, message ?? (vscode
        ? 'Start debugging a WeensyOS kernel (F5, or Run ▸ Start Debugging): the memory map appears at the first stop and updates at every stop.'
        : 'Choose a snapshot file saved from WeensyScope (“Save snapshot…” in the panel), or drop it here.')),
      button('Open snapshot file…', () => this.post({ type: 'openSnapshotFile' }), { class: 'primary' })));
    document.body.dataset.state = 'empty';
  }

  private renderError(problems: readonly string[], from: string): void {
    this.model = null;
    replace(this.root, this.header(), h('div', { class: 'error-state', role: 'alert' },
      h('h2', null, 'This snapshot cannot be shown'),
      h('p', null, `The picture from ${from} is not a complete WeensyScope snapshot:`),
      h('ul', null, ...problems.map((p) => h('li', { class: 'problem' }, p))),
      h('p', { class: 'muted' }, 'A saved file may be truncated or from another version of WeensyScope: save it again from the panel. If this came from a debug session, please report it with the file.'),
      button('Open another snapshot file…', () => this.post({ type: 'openSnapshotFile' }))));
    document.body.dataset.state = 'error';
  }

  private flash(message: string): void {
    const f = this.root.querySelector('.flash');
    if (f) f.textContent = message;
  }

  private async readFile(): Promise<void> {
    const file = this.fileInput.files?.[0];
    if (file) this.loadFileText(await file.text(), file.name);
    this.fileInput.value = '';
  }

  private loadFileText(text: string, fileName: string): void {
    const r = parseSnapshotFile(text);
    if (r.ok) this.show(r.value, { kind: 'file', fileName: r.value.title ? `${fileName} (${r.value.title})` : fileName });
    else this.renderError(r.problems, `the file ${fileName}`);
  }

  private acceptDrops(): void {
    document.addEventListener('dragover', (e) => e.preventDefault());
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) void file.text().then((t) => this.loadFileText(t, file.name));
    });
  }
}
