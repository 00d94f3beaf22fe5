// The packaged extension: scripts/package.mjs (what `npm run package` runs
// after the build) makes weensyscope-<version>.vsix with the project's own
// @vscode/vsce, offline; the files in it are exactly the allow-list below
// (bundles, the panel's page, the built-in WeensyOS sources, the icon and
// walkthrough, the docs), and it is within the budget README.md states.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './code-server';

/** The entries of a zip file, from its central directory, with a reader for each. */
function zipEntries(zip: Buffer): Map<string, () => Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, () => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? data : inflateRawSync(data);
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; icon: string };
const builtins = readdirSync(join(REPO, 'runtime/weensyos')).map((f) => `extension/runtime/weensyos/${f}`);
const walkthrough = readdirSync(join(REPO, 'media/walkthrough')).map((f) => `extension/media/walkthrough/${f}`);
const ALLOWED = new Set([
  '[Content_Types].xml', 'extension.vsixmanifest',
  'extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt',
  'extension/dist/extension.js', 'extension/dist/language-server.js', 'extension/dist/weensy.js',
  'extension/dist/webview/panel.js', 'extension/dist/webview/panel.css', 'extension/dist/webview/panel.html',
  `extension/${manifest.icon}`, ...walkthrough, ...builtins,
]);

/** The budget README.md states ("at most N MB") and the one the package script enforces. */
function budgets(): { readme: number; script: number } {
  const readme = /The `\.vsix` is about [\d.]+ MB; its budget is ([\d.]+) MB/.exec(readFileSync(join(REPO, 'README.md'), 'utf8'));
  const script = /const VSIX_BUDGET = ([\d_]+);/.exec(readFileSync(join(REPO, 'scripts/package.mjs'), 'utf8'));
  expect(readme, 'README.md states the budget').not.toBeNull();
  expect(script).not.toBeNull();
  return { readme: Number(readme![1]) * 1e6, script: Number(script![1]!.replace(/_/g, '')) };
}

const tmp = mkdtempSync(join(tmpdir(), 'weensy-package-'));

describe('npm run package', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('makes weensyscope-<version>.vsix holding only the allow-list, within the README\'s budget', () => {
    const out = join(tmp, `${manifest.name}-${manifest.version}.vsix`);
    const r = spawnSync('node', [join(REPO, 'scripts/package.mjs'), '--out', out], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const zip = readFileSync(out);
    const entries = zipEntries(zip);
    const names = [...entries.keys()].sort();
    expect(names.filter((n) => !ALLOWED.has(n)), 'files outside the allow-list').toEqual([]);
    expect([...ALLOWED].filter((n) => !entries.has(n)).sort(), 'allowed files missing').toEqual([]);
    // No source maps, TypeScript, tests or node_modules crept in.
    expect(names.filter((n) => /\.(map|ts)$|node_modules|\/test\//.test(n))).toEqual([]);

    const { readme, script } = budgets();
    expect(script).toBe(readme);
    expect(statSync(out).size).toBeLessThanOrEqual(readme);

    // The manifest inside is the one here, with its icon; the icon is a 128x128 PNG.
    const packed = JSON.parse(entries.get('extension/package.json')!().toString('utf8')) as { name: string; version: string; icon: string };
    expect(packed).toMatchObject({ name: manifest.name, version: manifest.version, icon: 'media/icon.png' });
    const icon = entries.get('extension/media/icon.png')!();
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
  }, 180_000);
});
