// What the extension's client and the language server agree on, declared
// once (ARCHITECTURE.md, invariant 7): the initialization options, the
// settings the server reads, and the diagnostics' source name. The server
// defines no custom LSP requests or notifications; if it ever does, they
// go here as a discriminated union, as debug-adapter/custom-requests.ts does.

/** The `source` of every diagnostic the server publishes, so they never mix with clangd's or C/C++'s. */
export const DIAGNOSTIC_SOURCE = 'weensyscope';

/**
 * Which diagnostics to show: only the errors that would stop a WeensyOS launch
 * (what our compiler rejects), or those and its warnings too.
 */
export type DiagnosticsScope = 'errors-at-launch' | 'all';

/** The settings the server reads (the extension's `weensyscope.diagnostics.*`). */
export interface ServerSettings {
  readonly diagnostics: { readonly scope: DiagnosticsScope };
}

export const DEFAULT_SETTINGS: ServerSettings = { diagnostics: { scope: 'errors-at-launch' } };

/** `initializationOptions` of the initialize request. Everything is optional: the server also runs bare. */
export interface InitializationOptions {
  /**
   * The folder holding the shipped built-in WeensyOS files (runtime/weensyos),
   * where go to definition into kernel.h lands. Default: beside the server's
   * bundle (dist/../runtime/weensyos).
   */
  readonly builtinDir?: string;
  /** Settings to use when the client does not answer workspace/configuration. */
  readonly settings?: { readonly diagnostics?: { readonly scope?: DiagnosticsScope } };
  /** Milliseconds between the last change and the check (default 250). */
  readonly debounceMs?: number;
}

/** The configuration section the server asks the client for. */
export const SETTINGS_SECTION = 'weensyscope';

/** Reads a settings object from the client tolerantly: anything unexpected falls back to the default. */
export function parseSettings(raw: unknown, fallback: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const scope = (raw as { diagnostics?: { scope?: unknown } } | undefined)?.diagnostics?.scope;
  return { diagnostics: { scope: scope === 'all' || scope === 'errors-at-launch' ? scope : fallback.diagnostics.scope } };
}
