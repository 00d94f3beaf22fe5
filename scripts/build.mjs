// Bundles every entry point into dist/ with esbuild. One bundle per program, so
// each can be shipped and started on its own: the CLI, the benchmarks, the
// debug adapter (DAP on stdin/stdout) and the VS Code extension (which runs
// the same adapter inline; `vscode` is provided by the editor).
import { build } from 'esbuild';

const entries = [
  { in: 'cli/weensy.ts', out: 'weensy' },
  { in: 'bench/bench.ts', out: 'bench' },
  { in: 'debug-adapter/main.ts', out: 'debug-adapter' },
  { in: 'extension/extension.ts', out: 'extension', external: ['vscode'] },
];

await Promise.all(
  entries.map((e) =>
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
);
