// Differential conformance: every program in test/cc/c (a `name.c`, or a
// folder `name/` of several files linked together) is self-checking (test.h's
// ASSERT) and runs on our machine; where gcc is installed the same sources
// are compiled natively (`gcc -std=gnu11 -O0 -w`) and must print the same
// bytes and exit with the same status. Without gcc the programs are compared
// with golden files (`name.expected`), which UPDATE_GOLDEN=1 regenerates
// from gcc, so the differential part never silently does nothing. A seeded
// program of random integer expressions is compared the same way.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { C_DIR, diskHost, hostGcc, runGcc, runOurs, runSource, type RunResult } from './compile-helpers';
import { randomExpressionProgram } from './random-expressions';

interface Program {
  readonly name: string;
  readonly files: readonly string[];
}

function programs(): Program[] {
  const out: Program[] = [];
  for (const entry of readdirSync(C_DIR).sort()) {
    const path = join(C_DIR, entry);
    if (entry.endsWith('.c')) out.push({ name: entry.slice(0, -2), files: [path] });
    else if (statSync(path).isDirectory()) {
      const files = readdirSync(path).filter((f) => f.endsWith('.c')).sort().map((f) => join(path, f));
      out.push({ name: entry, files });
    }
  }
  return out;
}

/** What gcc's build prints and returns, as the golden file holds it: stdout, then a final "exit N" line. */
function goldenText(r: RunResult): string {
  return `${r.stdout}<exit ${r.status ?? 'none'}>\n`;
}

const gcc = hostGcc();
const update = process.env.UPDATE_GOLDEN === '1';
const all = programs();
// Start every native build at once: they run in child processes while our compiler and machine run here.
const native = new Map<string, Promise<RunResult>>();
if (gcc) {
  // A few native builds at a time, in the background; the machine has two cores.
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (running >= 3) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  for (const p of all) native.set(p.name, slot().then(() => runGcc(p.files, [C_DIR])).finally(release));
}
for (const p of native.values()) p.catch(() => undefined); // reported by the test that awaits it

describe('C conformance programs', () => {
  it('has the suite the compiler issue asks for', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    const assertions = all.flatMap((p) => p.files).reduce((n, f) => n + (readFileSync(f, 'utf8').match(/\bASSERT\(/g) ?? []).length, 0);
    expect(assertions).toBeGreaterThanOrEqual(600);
  });

  it('compares against gcc or, without it, against golden files', () => {
    if (update) expect(gcc, 'UPDATE_GOLDEN=1 needs gcc').toBeDefined();
    if (!gcc) for (const p of all) expect(existsSync(join(C_DIR, `${p.name}.expected`)), `${p.name}.expected`).toBe(true);
  });

  it('evaluates random integer expressions as gcc does', async () => {
    // 400 seeded expressions over every integer type (see random-expressions.ts).
    const program = randomExpressionProgram(20240612, 400);
    const ours = runSource(program);
    expect(ours.stop).toBe('exit 0');
    expect(ours.stdout.split('\n').length).toBeGreaterThan(400);
    const golden = join(C_DIR, 'random_expressions.golden');
    if (gcc) {
      const theirs = await runGcc([], [C_DIR], { name: 'inline.c', text: program });
      if (update) writeFileSync(golden, theirs.stdout);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(existsSync(golden) ? readFileSync(golden, 'latin1') : '(missing)', 'random_expressions.golden is stale: UPDATE_GOLDEN=1').toBe(theirs.stdout);
    } else expect(ours.stdout).toBe(readFileSync(golden, 'latin1'));
  }, 60_000);

  for (const p of all) {
    it.concurrent(p.name, async ({ expect }) => {
      const ours = runOurs(p.files.map((f) => ({ path: f, text: readFileSync(f, 'utf8') })), diskHost, [C_DIR]);
      // Self-check first: a failing ASSERT names its line.
      expect(ours.stdout).toMatch(/: \d+ checks, 0 failed\n$/);
      expect(ours.stop).toBe('exit 0');
      const goldenPath = join(C_DIR, `${p.name}.expected`);
      if (gcc) {
        const theirs = await native.get(p.name)!;
        if (update) writeFileSync(goldenPath, goldenText(theirs));
        expect(ours.stdout).toBe(theirs.stdout);
        expect(ours.status).toBe(theirs.status);
        // The golden file must stay what gcc prints, so runs without gcc test the same thing.
        expect(existsSync(goldenPath) ? readFileSync(goldenPath, 'latin1') : '(missing)', `${p.name}.expected is stale: UPDATE_GOLDEN=1`).toBe(goldenText(theirs));
      } else {
        expect(goldenText(ours)).toBe(readFileSync(goldenPath, 'latin1'));
      }
    }, 60_000);
  }
});
