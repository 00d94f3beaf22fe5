// Bundles every entry point into dist/ with esbuild. One bundle per program, so
// each can be shipped and started on its own: the CLI, the benchmarks, the
// debug adapter (DAP on stdin/stdout) and the VS Code extension (which runs
// the same adapter inline; `vscode` is provided by the editor). The
// memory-map panel is a browser bundle: dist/webview/panel.js and panel.css,
// and panel.html, the standalone page that shows a saved snapshot.
import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

const entries = [
  { in: 'cli/weensy.ts', out: 'weensy' },
  // playwright-core (the panel's render benchmark) is loaded from node_modules, not bundled.
  { in: 'bench/bench.ts', out: 'bench', external: ['playwright-core'] },
  { in: 'debug-adapter/main.ts', out: 'debug-adapter' },
  // The language server (LSP on stdin/stdout): `node dist/language-server.js --stdio`.
  { in: 'language-server/main.ts', out: 'language-server' },
  { in: 'extension/extension.ts', out: 'extension', external: ['vscode'] },
];

async function buildWebview() {
  await build({
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/panel.js',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
  });
  await mkdir('dist/webview', { recursive: true });
  await copyFile('webview/standalone.html', 'dist/webview/panel.html');
}

await Promise.all([
  buildWebview(),
  ...entries.map((e) =>
    build({
      entryPoints: [e.in],
      outfile: `dist/${e.out}.js`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      banner: e.out === 'weensy' ? { js: '#!/usr/bin/env node' } : undefined,
      external: e.external ?? [],
      logLevel: 'warning',
    }),
  ),
]);
