// `npm run package` (after `npm run build`): the extension as one file,
// weensyscope-<version>.vsix, made by the project's own @vscode/vsce,
// offline (--no-dependencies: everything the extension runs is bundled into
// dist/). .vscodeignore chooses the contents; test/e2e/package.test.ts
// checks them against an allow-list and the size budget below, which the
// README states.
//
//   node scripts/package.mjs            writes weensyscope-<version>.vsix here
//   node scripts/package.mjs --out F    writes F instead

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The budget for the .vsix, in bytes (README.md, "Installing"). */
const VSIX_BUDGET = 1_500_000;

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(ROOT, `${manifest.name}-${manifest.version}.vsix`);

for (const f of ['dist/extension.js', 'dist/language-server.js', 'dist/webview/panel.js']) {
  if (!existsSync(join(ROOT, f))) {
    console.error(`package: ${f} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
}
const vsce = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], {
  cwd: ROOT, stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
const size = statSync(out).size;
console.log(`${out}: ${(size / 1e6).toFixed(2)} MB (budget ${(VSIX_BUDGET / 1e6).toFixed(1)} MB)`);
if (size > VSIX_BUDGET) {
  console.error(`package: the .vsix is over its budget of ${VSIX_BUDGET} bytes`);
  process.exit(1);
}
