// Language-server latency through the real server process over stdio
// (dist/language-server.js --stdio, driven by the tests' LSP client), on a
// kernel.c of about 2,000 lines: the reference kernel plus generated
// functions that use the WeensyOS API the way lab code does.
//
// - change to diagnostics: from a didChange to the publishDiagnostics of
//   that version (the server's 250 ms debounce set to 0, so this is the
//   check itself plus the round trip);
// - change to the launch check: to the second publish of the version,
//   after the whole folder was built and linked in the worker (it starts
//   600 ms after the check);
// - hover on `PROC_START_ADDR + PAGESIZE` and completion after `p->`.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weensyosFile } from '../emulator/index';
import { LspTestClient, positionOf } from '../test/language-server/lsp-client';

export interface LspBenchResult {
  readonly rows: { name: string; value: number; unit: string; note?: string }[];
  readonly problems: string[];
}

const SERVER = join(__dirname, 'language-server.js');
const CHANGE_RUNS = 30;
const LAUNCH_RUNS = 5;
const QUERY_RUNS = 40;
const TARGET_LINES = 2000;

/** One generated function: a page-table walk over a range, like a student's copy or free loop. */
function generated(i: number): string {
  return `
// bench_copy_${i}(pt, owner)
//    Copies the user mappings of pt in [0x${(0x100000 + i * 0x1000).toString(16)}, MEMSIZE_VIRTUAL).
static int bench_copy_${i}(x86_64_pagetable* pt, int8_t owner) {
    int copied = 0;
    for (uintptr_t va = PROC_START_ADDR + ${i} * PAGESIZE; va < MEMSIZE_VIRTUAL; va += PAGESIZE) {
        vamapping vam = virtual_memory_lookup(pt, va);
        if (vam.pn < 0 || !(vam.perm & PTE_U)) {
            continue;
        }
        if (pageinfo[vam.pn].owner == PO_KERNEL || pageinfo[vam.pn].refcount <= 0) {
            continue;
        }
        int r = virtual_memory_map(pt, va, vam.pa & ~PAGEOFFMASK, PAGESIZE, (vam.perm & ~PTE_W) | PTE_P, NULL);
        if (r < 0) {
            return -1;
        }
        ++pageinfo[vam.pn].refcount;
        (void) owner;
        ++copied;
    }
    return copied;
}
`;
}

/** The reference kernel.c with generated functions appended up to about `lines` lines. */
export function syntheticKernel(lines = TARGET_LINES): string {
  let text = weensyosFile('kernel.c')!;
  let i = 0;
  while (text.split('\n').length < lines) text += generated(i++);
  // Use them, so that the kernel links as the reference one does.
  text += `\nvoid bench_use_all(void) {\n${Array.from({ length: i }, (_, k) => `    (void) bench_copy_${k}(kernel_pagetable, PO_KERNEL);`).join('\n')}\n}\n`;
  return text;
}

function summary(samples: readonly number[]): { median: number; note: string } {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const p90 = s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)]!;
  return { median, note: `median of ${s.length}, p90 ${p90.toFixed(1)} ms, min ${s[0]!.toFixed(1)}, max ${s[s.length - 1]!.toFixed(1)}` };
}

export async function benchLanguageServer(): Promise<LspBenchResult> {
  const rows: LspBenchResult['rows'] = [];
  const problems: string[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'weensy-lsp-bench-')).replace(/\\/g, '/');
  const text = syntheticKernel();
  const lines = text.split('\n').length;
  writeFileSync(join(folder, 'kernel.c'), text);
  const client = await LspTestClient.start({ server: SERVER, root: folder, initializationOptions: { debounceMs: 0 } });
  try {
    const uri = await client.open(`${folder}/kernel.c`, text);
    const first = await client.diagnostics(uri, 1, 60_000);
    if (first.diagnostics.length > 0) problems.push(`lsp bench: the synthetic kernel has diagnostics: ${first.diagnostics[0]!.message}`);

    // didChange to publishDiagnostics: each change edits the comment above a generated function, so the text is new each time.
    const changes: number[] = [];
    for (let run = 0; run < CHANGE_RUNS; run++) {
      const edited = text.replace('bench_copy_0(pt, owner)', `bench_copy_0(pt, owner) run ${run}`);
      const since = client.published.length;
      const t0 = performance.now();
      const version = await client.change(uri, edited);
      await client.diagnostics(uri, version, 60_000, since);
      changes.push(performance.now() - t0);
    }
    const c = summary(changes);
    rows.push({ name: `lsp: change to diagnostics (${lines}-line kernel.c)`, value: c.median, unit: 'ms', note: c.note });

    // The launch check: the second publish of a version (after the worker's build and link).
    const launches: number[] = [];
    for (let run = 0; run < LAUNCH_RUNS; run++) {
      const edited = text.replace('bench_copy_1(pt, owner)', `bench_copy_1(pt, owner) launch ${run}`);
      const since = client.published.length;
      const t0 = performance.now();
      const version = await client.change(uri, edited);
      const deadline = Date.now() + 60_000;
      while (client.published.slice(since).filter((p) => p.uri === uri && p.version === version).length < 2) {
        if (Date.now() > deadline) throw new Error('no launch-check publish within 60 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      launches.push(performance.now() - t0);
    }
    const l = summary(launches);
    rows.push({ name: 'lsp: change to launch check (build + link)', value: l.median, unit: 'ms', note: `${l.note}; includes the 600 ms wait` });

    // Hover and completion on the current text.
    const current = text.replace('bench_copy_1(pt, owner)', `bench_copy_1(pt, owner) launch ${LAUNCH_RUNS - 1}`);
    const hoverAt = positionOf(current, 'PROC_START_ADDR + 0 * PAGESIZE', 2);
    const hovers: number[] = [];
    for (let run = 0; run < QUERY_RUNS; run++) {
      const t0 = performance.now();
      const h = await client.hover(uri, hoverAt);
      hovers.push(performance.now() - t0);
      if (!h) problems.push('lsp bench: no hover on PROC_START_ADDR');
    }
    const h = summary(hovers);
    rows.push({ name: 'lsp: hover on PROC_START_ADDR + ...', value: h.median, unit: 'ms', note: h.note });
    const withArrow = current.replace('void bench_use_all(void) {', 'void bench_use_all(void) {\n    proc* p = current;\n    p->');
    const version = await client.change(uri, withArrow);
    await client.diagnostics(uri, version, 60_000);
    const completionAt = positionOf(withArrow, '    p->', 7);
    const completions: number[] = [];
    for (let run = 0; run < QUERY_RUNS; run++) {
      const t0 = performance.now();
      const items = await client.completion(uri, completionAt);
      completions.push(performance.now() - t0);
      if (!items.some((i) => i.label === 'p_pagetable')) problems.push('lsp bench: no p_pagetable after p->');
    }
    const k = summary(completions);
    rows.push({ name: 'lsp: completion after p->', value: k.median, unit: 'ms', note: k.note });
    if (!(await client.alive())) problems.push('lsp bench: the server died');
  } finally {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return { rows, problems: [...new Set(problems)] };
}
