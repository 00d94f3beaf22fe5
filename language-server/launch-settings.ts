// The build settings a launch would use, read from the workspace's
// .vscode/launch.json: the `defines` and `variant` of its `weensy`
// configuration, so the editor checks the code the debugger will build
// (`#if TICK_LIMIT`, `STEP=3`). launch.json is JSON with comments and
// trailing commas, and is often half-written: anything unreadable counts
// as absent, never as an error.

export interface LaunchSettings {
  readonly defines: ReadonlyMap<string, string>;
  readonly variant?: 'nyu' | 'cs61';
  /** The configuration's name, for hovers that say where defines came from. */
  readonly name?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** JSON with comments (// and /* *\/) and trailing commas, as VS Code writes launch.json. Undefined if unreadable. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The `weensy` launch configuration's settings. With several, the one whose
 * `kernel` names a file in `folder` (after ${workspaceFolder} is replaced by
 * `workspaceFolder`) wins, else the first.
 */
export function launchSettings(launchJson: string, folder: string, workspaceFolder: string): LaunchSettings | undefined {
  const parsed = parseJsonc(launchJson) as { configurations?: unknown } | undefined;
  const list = Array.isArray(parsed?.configurations) ? (parsed.configurations as unknown[]) : [];
  const weensy = list.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'weensy');
  if (weensy.length === 0) return undefined;
  const inFolder = (c: Record<string, unknown>): boolean => {
    if (typeof c.kernel !== 'string') return false;
    const kernel = c.kernel.replace(/\$\{workspaceFolder\}/g, workspaceFolder).replace(/\\/g, '/');
    return kernel === folder || kernel.slice(0, kernel.lastIndexOf('/')) === folder;
  };
  const chosen = weensy.find(inFolder) ?? weensy[0]!;
  return {
    defines: readDefines(chosen.defines),
    ...(chosen.variant === 'nyu' || chosen.variant === 'cs61' ? { variant: chosen.variant } : {}),
    ...(typeof chosen.name === 'string' ? { name: chosen.name } : {}),
  };
}

/** `defines` as the debug adapter reads it: { "TICK_LIMIT": 1000 } or ["TICK_LIMIT=1000", "NO_SLOWDOWN"]; bad entries are skipped. */
function readDefines(d: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(d)) {
    for (const item of d) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      const name = (eq < 0 ? item : item.slice(0, eq)).trim();
      if (IDENT.test(name)) out.set(name, eq < 0 ? '1' : item.slice(eq + 1));
    }
  } else if (typeof d === 'object' && d !== null) {
    for (const [name, value] of Object.entries(d as Record<string, unknown>)) {
      if (!IDENT.test(name)) continue;
      if (typeof value === 'string') out.set(name, value);
      else if (typeof value === 'number' && Number.isFinite(value)) out.set(name, String(value));
      else if (typeof value === 'boolean') out.set(name, value ? '1' : '0');
    }
  }
  return out;
}
