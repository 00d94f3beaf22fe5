// Bundles every entry point into dist/ with esbuild. One bundle per program, so
// each can be shipped and started on its own (the CLI today; the extension,
// debug adapter, language server and webview as they arrive).
import { build } from 'esbuild';

const entries = [
  { in: 'cli/weensy.ts', out: 'weensy' },
  { in: 'bench/bench.ts', out: 'bench' },
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
      logLevel: 'warning',
    }),
  ),
);
