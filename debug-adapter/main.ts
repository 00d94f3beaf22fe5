// `node dist/debug-adapter.js`: the WeensyScope debug adapter speaking DAP
// on stdin/stdout, for tests and any DAP client. The built-in WeensyOS
// sources are looked for beside the bundle (runtime/weensyos), so stack
// frames in the support files open as real files.

import { defaultBuiltinDir, nodeHost } from './node-host';
import { WeensyDebugSession } from './weensy-debug-session';

const builtinDir = process.env.WEENSY_BUILTIN_DIR ?? defaultBuiltinDir(__dirname);
const session = new WeensyDebugSession(nodeHost(builtinDir !== undefined ? { builtinDir } : {}));
// stdout carries the protocol: anything else printed there would corrupt it.
console.log = console.info = console.warn = (...args: unknown[]): void => {
  process.stderr.write(`${args.map(String).join(' ')}\n`);
};
process.on('uncaughtException', (e) => {
  process.stderr.write(`weensy debug adapter: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
});
session.setRunAsServer(false);
session.start(process.stdin, process.stdout);
