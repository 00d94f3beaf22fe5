// The memory-map panel's render time for `npm run bench`, in Debian's
// Chromium (playwright-core; the same flags as the browser tests): the
// standalone page dist/webview/panel.html is sent a snapshot of 16 processes
// with full page tables (bench/synthetic-snapshot.ts: more than WeensyOS
// makes) as the extension would send it, and draws it.
//
// - render: what the panel measures itself, from the message's arrival to a
//   laid-out page: validating the snapshot, indexing it, building every
//   section's DOM (the page-table tree only around its view) and one layout.
// - message to drawn: from postMessage to the page drawn, as seen from the
//   page, so it includes the browser copying the 5 MB message.
//
// - stop to drawn, reference kernel: the reference kernel stopped at
//   exception() (four processes) as the debugger stops it; the adapter's
//   side (takeSnapshot and diffSnapshots against the previous stop, and the
//   JSON the message is sent as), then the page's (parsing that JSON, as a
//   webview receives a message, and drawing). VS Code's own message passing
//   between the two is not in it.
//
// Medians of 10 runs after 2 warm-ups, the slowest in the note. Without
// Chromium the rows are left out (with a warning), not failed.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bodyStart, bootWeensyOS, buildWeensyOS, diffSnapshots, takeSnapshot, type PanelSnapshot } from '../emulator/index';
import { syntheticSnapshot } from './synthetic-snapshot';

interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WARMUP = 2;
const RUNS = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The reference kernel at two consecutive stops at exception()'s first line, past tick 3; the adapter-side time of each picture. */
function referenceStops(): { text: string; adapterMs: number[] } {
  const build = buildWeensyOS({ host: { readFile: () => undefined } });
  const kernel = build.kernel!;
  const inspect = { kernel, programs: build.programs, macros: build.macros };
  const m = bootWeensyOS(kernel);
  m.run(20_000_000);
  const fn = kernel.debug.units.flatMap((u) => u.functions).find((f) => f.name === 'exception')!;
  m.breakpoints.add(bodyStart(kernel, fn));
  let previous: PanelSnapshot | undefined;
  let text = '';
  const adapterMs: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    if (m.run(50_000_000).kind !== 'breakpoint') break;
    const t0 = performance.now();
    const snapshot = takeSnapshot(m, inspect);
    const diff = previous ? diffSnapshots(previous, snapshot) : null;
    text = JSON.stringify({ type: 'show', snapshot, diff, origin: { kind: 'session', sessionName: 'bench' } });
    if (i >= WARMUP) adapterMs.push(performance.now() - t0);
    previous = snapshot;
  }
  return { text, adapterMs };
}

export async function benchPanel(): Promise<{ rows: Row[]; problems: string[] }> {
  const page = join(__dirname, 'webview', 'panel.html');
  if (!existsSync(CHROMIUM) || !existsSync(page)) {
    process.stderr.write(`bench: no panel figures (${!existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : `${page} is missing`})\n`);
    return { rows: [], problems: [] };
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const rows: Row[] = [];
  const problems: string[] = [];
  try {
    for (const processes of [16, 4]) {
      const snapshot = syntheticSnapshot(processes);
      const text = JSON.stringify(snapshot);
      const entries = snapshot.addressSpaces.reduce((n, s) => n + s.tables.reduce((m, t) => m + t.entries.length, 0), 0);
      const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await tab.goto(pathToFileURL(page).href);
      await tab.evaluate((t) => {
        (globalThis as unknown as { snapshot: unknown }).snapshot = JSON.parse(t);
      }, text);
      const render: number[] = [];
      const roundTrip: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        // Runs inside the page: post the picture as the extension does, wait until it is drawn.
        const [rt, ms, state] = await tab.evaluate(async () => {
          const g = globalThis as unknown as {
            snapshot: unknown; document: { body: { dataset: Record<string, string | undefined> } };
            postMessage(m: unknown, o: string): void; setTimeout(f: () => void, ms: number): void;
          };
          const body = g.document.body;
          delete body.dataset.state;
          const t0 = performance.now();
          g.postMessage({ type: 'show', snapshot: g.snapshot, diff: null, origin: { kind: 'session', sessionName: 'bench' } }, '*');
          while (body.dataset.state === undefined) await new Promise<void>((r) => g.setTimeout(r, 0));
          return [performance.now() - t0, Number(body.dataset.renderMs), body.dataset.state] as const;
        });
        if (state !== 'shown') problems.push(`panel bench: the ${processes}-process snapshot was not shown (${state})`);
        if (i >= WARMUP) {
          render.push(ms);
          roundTrip.push(rt);
        }
      }
      const size = `${(text.length / 1e6).toFixed(1)} MB JSON, ${entries.toLocaleString('en-US')} entries`;
      rows.push({ name: `panel render, ${processes} processes, full tables`, value: median(render), unit: 'ms', note: `${size}; slowest ${Math.max(...render).toFixed(0)} ms` });
      if (processes === 16) rows.push({ name: `panel message to drawn, ${processes} processes`, value: median(roundTrip), unit: 'ms', note: `includes copying the message; slowest ${Math.max(...roundTrip).toFixed(0)} ms` });
      await tab.close();
    }
    const stops = referenceStops();
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await tab.goto(pathToFileURL(page).href);
    const pageMs: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const ms = await tab.evaluate(async (t) => {
        const g = globalThis as unknown as {
          document: { body: { dataset: Record<string, string | undefined> } }; postMessage(m: unknown, o: string): void; setTimeout(f: () => void, ms: number): void;
        };
        const body = g.document.body;
        delete body.dataset.state;
        const t0 = performance.now();
        g.postMessage(JSON.parse(t), '*');
        while (body.dataset.state === undefined) await new Promise<void>((r) => g.setTimeout(r, 0));
        return performance.now() - t0;
      }, stops.text);
      if (i >= WARMUP) pageMs.push(ms);
    }
    await tab.close();
    if (stops.adapterMs.length > 0) {
      const adapter = median(stops.adapterMs);
      const drawn = median(pageMs);
      rows.push({
        name: 'panel stop to drawn, reference kernel', value: adapter + drawn, unit: 'ms',
        note: `snapshot + diff + JSON ${adapter.toFixed(0)} ms, parse + draw ${drawn.toFixed(0)} ms; ${(stops.text.length / 1e6).toFixed(2)} MB`,
      });
    } else {
      problems.push('panel bench: the reference kernel never stopped at exception()');
    }
  } finally {
    await browser.close();
  }
  return { rows, problems };
}
