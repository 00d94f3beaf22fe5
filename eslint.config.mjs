// ESLint flat config. Besides the usual TypeScript checks it enforces the
// architecture invariants of ARCHITECTURE.md that a tool can check: which
// layer may import which, and which globals a layer may touch.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node modules that perform I/O. The emulator gets sources, files and output
// sinks injected through small interfaces instead (invariant 1).
const NODE_IO = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'dgram', 'worker_threads', 'readline', 'tty', 'cluster', 'os', 'process'];
const nodeIoPatterns = NODE_IO.flatMap((m) => [m, `node:${m}`]);

// Browser and DOM globals the emulator must not use (invariant 1).
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element', 'Node', 'fetch', 'XMLHttpRequest', 'acquireVsCodeApi'];
// Node globals that reach the outside world.
const NODE_IO_GLOBALS = ['process', 'require', '__dirname', '__filename', 'Buffer'];

const restrictedGlobals = [...DOM_GLOBALS, ...NODE_IO_GLOBALS].map((name) => ({
  name,
  message: 'emulator/ is pure: inject I/O through an interface (ARCHITECTURE.md, invariant 1).',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/__output__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['emulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeIoPatterns.map((name) => ({ name, message: 'emulator/ does no Node I/O (invariant 1).' })),
          patterns: [
            { group: ['vscode', '@vscode/*'], message: 'emulator/ never imports VS Code or its protocol packages (invariant 1).' },
            { group: ['vscode-languageserver*', 'vscode-languageclient*'], message: 'emulator/ never imports the language server protocol (invariant 1).' },
            { group: ['**/debug-adapter/**', '**/extension/**', '**/webview/**', '**/language-server/**', '**/cli/**'], message: 'emulator/ is the bottom layer; nothing above it may be imported (invariant 1).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...restrictedGlobals],
    },
  },
  {
    // The hardware knows nothing of C (invariant 2).
    files: ['emulator/machine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeIoPatterns.map((name) => ({ name, message: 'emulator/ does no Node I/O (invariant 1).' })),
          patterns: [
            { group: ['vscode', '@vscode/*'], message: 'emulator/ never imports VS Code or its protocol packages (invariant 1).' },
            { group: ['**/cc/**', '../cc', '../../cc'], message: 'the machine knows nothing of C (invariant 2).' },
            { group: ['**/debug-adapter/**', '**/extension/**', '**/webview/**', '**/language-server/**', '**/cli/**'], message: 'emulator/ is the bottom layer (invariant 1).' },
          ],
        },
      ],
    },
  },
  {
    // The compiler sees only the instruction set and image format of the machine (invariant 2).
    files: ['emulator/cc/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeIoPatterns.map((name) => ({ name, message: 'emulator/ does no Node I/O (invariant 1).' })),
          patterns: [
            { group: ['vscode', '@vscode/*'], message: 'emulator/ never imports VS Code (invariant 1).' },
            {
              regex: 'machine/(?!isa/|image/|constants)',
              message: 'the compiler may use only machine/isa, machine/image and machine/constants (invariant 2).',
            },
          ],
        },
      ],
    },
  },
  {
    // Everything outside emulator/ sees the machine through the runtime facade only (invariant 6),
    // and only extension/ imports the editor's API.
    files: ['cli/**/*.ts', 'debug-adapter/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)emulator/(?!index$)',
              message: 'use the runtime facade (emulator/index.ts), not emulator internals (invariant 6).',
            },
            { group: ['vscode'], message: 'only extension/ imports vscode: the debug adapter also runs as a plain Node program (ARCHITECTURE.md, layout).' },
            { group: ['**/extension/**', '../extension', '../extension/*'], message: 'extension/ sits above the debug adapter and the CLI; nothing imports it.' },
          ],
        },
      ],
    },
  },
  {
    // The language server: the compiler through the runtime facade only (invariant 6), the LSP
    // server library and Node; never the editor's API or the client library (it runs as a plain
    // Node program, `node dist/language-server.js --stdio`), nor the other tools.
    files: ['language-server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)emulator/(?!index$)',
              message: 'the language server sees the compiler through the runtime facade (emulator/index.ts) only (invariant 6).',
            },
            { group: ['vscode', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'the language server is a plain Node program: no editor API, no client library (only extension/ imports vscode).' },
            { group: ['**/extension/**', '**/debug-adapter/**', '**/cli/**', '**/webview/**'], message: 'the language server depends on the emulator facade and its own files only (invariant 6).' },
          ],
        },
      ],
    },
  },
  {
    // The extension: the editor's API, the debug adapter, and the emulator through its facade (invariant 6).
    files: ['extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)emulator/(?!index$)',
              message: 'use the runtime facade (emulator/index.ts), not emulator internals (invariant 6).',
            },
            {
              regex: '(^|/)webview/(?!panel-messages$)',
              message: 'the extension talks to the panel through its messages (webview/panel-messages.ts) only (invariant 7).',
            },
          ],
        },
      ],
    },
  },
  {
    // The memory-map panel runs in a browser: it receives plain JSON snapshots and imports only
    // their types, through the facade (invariant 6); no editor API, no Node.
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeIoPatterns.map((name) => ({ name, message: 'the webview runs in a browser: no Node I/O (invariant 6).' })),
          patterns: [
            { regex: '(^|/)emulator/(?!index$)', message: 'the webview imports only types, from the runtime facade (invariant 6).' },
            { regex: '(^|/)emulator/index$', allowTypeImports: true, message: 'the webview imports only types from the emulator: it renders plain JSON snapshots (invariant 6).' },
            { group: ['vscode', '@vscode/*'], message: 'the webview is a web page: it talks to the extension through webview/panel-messages.ts (invariant 7).' },
            { group: ['**/debug-adapter/**', '**/extension/**', '**/cli/**', '**/language-server/**'], message: 'the webview sees only snapshots and its messages (invariant 6).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NODE_IO_GLOBALS.map((name) => ({ name, message: 'the webview runs in a browser (invariant 6).' }))],
    },
  },
);
