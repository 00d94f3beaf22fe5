// A real VS Code for end-to-end tests: code-server 4.99.3 (VS Code 1.99.3),
// installed from the npm registry by ../shared/tools/install-code-server.sh,
// run hermetically (a temporary HOME, loopback only, no auth) with the
// extension installed from a .vsix we package, and driven by Debian's
// Chromium through playwright-core. Nothing here downloads a browser or an
// editor build; if a piece is missing the set-up fails and says which.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The shared tools folder (install-code-server.sh): $WEENSY_SHARED_TOOLS, else ../shared/tools beside the repository. */
const TOOLS = process.env.WEENSY_SHARED_TOOLS ?? resolve(REPO, '../shared/tools');
/** Where code-server is installed; reruns reuse it (the script is idempotent). */
const CODE_SERVER_DIR = process.env.WEENSY_CODE_SERVER_DIR ?? join(REPO, 'node_modules/.cache/code-server');
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Chromium's flags on this closed network (shared/tools/README.md): all of them. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function fail(message: string): never {
  throw new Error(`e2e set-up: ${message}`);
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
}

/** Runs a program to completion without blocking the event loop (a cold install takes minutes). */
function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number }): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let error: Error | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      error = new Error(`timed out after ${options.timeout / 1000} s`);
      child.kill('SIGKILL');
    }, options.timeout);
    child.once('error', (e) => (error = e));
    child.once('close', (status) => {
      clearTimeout(timer);
      res({ status, stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}

/**
 * Runs `body` holding a lock shared by every test process (a directory,
 * created atomically): the end-to-end files run in parallel workers, and two
 * installs into one folder at once break each other (npm rebuild fails).
 * A lock older than `staleMs` is taken to be left over from a killed run.
 */
async function withSetupLock<T>(body: () => Promise<T>, staleMs = 15 * 60_000): Promise<T> {
  const lock = join(CODE_SERVER_DIR, '..', 'e2e-setup.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since === undefined) continue; // released between the two calls
      const age = Date.now() - since;
      if (age > staleMs || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs code-server (minutes cold, instant when installed) and returns its entry script. */
export async function installCodeServer(): Promise<string> {
  const script = join(TOOLS, 'install-code-server.sh');
  if (!existsSync(script)) fail(`${script} is missing (set WEENSY_SHARED_TOOLS to the folder holding install-code-server.sh)`);
  mkdirSync(join(CODE_SERVER_DIR, '..'), { recursive: true });
  const r = await withSetupLock(() => run('bash', [script, CODE_SERVER_DIR], { timeout: 9 * 60_000 }));
  const entry = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !existsSync(entry)) {
    fail(`install-code-server.sh failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stderr}${r.stdout}`);
  }
  return entry;
}

/**
 * Packages the built extension (dist/) as weensyscope-<version>.vsix in `dir`
 * with scripts/package.mjs, what `npm run package` runs after its build: the
 * project's own @vscode/vsce, offline, the same contents and budget.
 */
export async function packageExtension(dir: string): Promise<string> {
  if (!existsSync(join(REPO, 'dist/extension.js'))) fail('dist/extension.js is missing: run `npm run build` first');
  if (!existsSync(join(REPO, 'node_modules/.bin/vsce'))) fail('node_modules/.bin/vsce is missing: run `npm install`');
  const { name, version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
  const out = join(dir, `${name}-${version}.vsix`);
  const r = await run('node', [join(REPO, 'scripts/package.mjs'), '--out', out], { cwd: REPO, timeout: 3 * 60_000 });
  if (r.status !== 0 || !existsSync(out)) fail(`npm run package failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stderr}${r.stdout}`);
  return out;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

export interface CodeServer {
  readonly url: string;
  /** Its temporary HOME: the user data (and the extension host's logs) under data/. */
  readonly home: string;
  /** code-server's output so far (for failure messages). */
  output(): string;
  /** Kills code-server's process group and removes its temporary HOME. */
  stop(): Promise<void>;
}

/**
 * Starts code-server on a free loopback port with a fresh HOME, the .vsix
 * installed, workspace trust off, and user settings that keep the
 * workbench quiet (no welcome page, no update checks).
 */
export async function startCodeServer(entry: string, vsix: string): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'weensy-e2e-home-'));
  const env = {
    ...process.env,
    HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), XDG_CACHE_HOME: join(home, '.cache'),
  };
  const port = await freePort();
  const config = join(home, 'cs.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const dirs = ['--config', config, '--user-data-dir', join(home, 'data'), '--extensions-dir', join(home, 'ext')];
  mkdirSync(join(home, 'data/User'), { recursive: true });
  writeFileSync(join(home, 'data/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'editor.minimap.enabled': false,
  }, null, 2));

  const install = await run('node', [entry, ...dirs, '--install-extension', vsix], { env, timeout: 120_000 });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    rmSync(home, { recursive: true, force: true });
    fail(`code-server --install-extension failed (status ${install.status}):\n${install.stderr}${install.stdout}`);
  }

  let log = '';
  const child: ChildProcess = spawn('node', [entry, ...dirs, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'], {
    env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  const done = new Promise<void>((res) => child.once('exit', () => { exited = true; res(); }));

  const stop = async (): Promise<void> => {
    if (!exited && child.pid !== undefined) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
      await done;
      clearTimeout(timer);
      // Anything code-server started that outlived it (the group is ours alone).
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
    }
    rmSync(home, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      fail(`code-server exited early:\n${log}`);
    }
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      fail(`code-server did not answer on ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, home, output: () => log, stop };
}

/** Debian's Chromium, headless, with the flags this network needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it), or set CHROME_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
