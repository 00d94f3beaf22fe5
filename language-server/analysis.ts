// Checking one open document as a launch would compile it: a C file with
// the kernel's or the programs' defines (by its name), a header through
// the folder's kernel.c when kernel.c includes it (else on its own), with
// the defines of the workspace's launch configuration. The result keeps
// the compiler's diagnostics, the texts it read, and the names it knows.

import { checkWeensyFile, type Diagnostic, type WeensyCheck } from '../emulator/index';
import type { LaunchSettings } from './launch-settings';
import { SymbolTable } from './symbols';
import { folderOf, type OpenDocument, type WorkspaceFiles } from './workspace-files';

/** Files larger than this are not checked (a C file of the lab is some 60 KB). */
export const MAX_CHECKED_CHARS = 2_000_000;

export interface Analysis {
  readonly document: OpenDocument;
  /** The C file compiled: the document itself, or the kernel.c that includes a header document. */
  readonly mainPath: string;
  /** Undefined when the document was not checked (see `skipped`). */
  readonly check?: WeensyCheck;
  readonly symbols?: SymbolTable;
  /** Why the document was not checked: it looks binary, or is too large. */
  readonly skipped?: string;
  /** Every text the compiler read, by compiler path. */
  readonly texts: ReadonlyMap<string, string>;
  readonly launch?: LaunchSettings;
  /** How long the check took, in milliseconds. */
  readonly ms: number;
}

export class Analyzer {
  constructor(
    private readonly files: WorkspaceFiles,
    /** The launch settings for a folder, if its workspace has a weensy launch configuration. */
    private readonly launchFor: (folder: string) => LaunchSettings | undefined,
  ) {}

  analyze(document: OpenDocument): Analysis {
    const started = performance.now();
    const texts = new Map<string, string>();
    const skipped = skipReason(document.text);
    if (skipped !== undefined) return { document, mainPath: document.path, skipped, texts, ms: 0 };
    const folder = folderOf(document.path);
    const launch = this.launchFor(folder);
    const setup = {
      host: this.files.host(texts),
      workspace: folder,
      ...(launch ? { defines: launch.defines } : {}),
      ...(launch?.variant ? { variant: launch.variant } : {}),
    };
    let mainPath = document.path;
    let check: WeensyCheck | undefined;
    if (document.path.endsWith('.h')) {
      const kernel = `${folder}/kernel.c`;
      const kernelText = kernel !== document.path ? this.files.read(kernel) : undefined;
      if (kernelText !== undefined && skipReason(kernelText) === undefined) {
        const viaKernel = safeCheck({ path: kernel, text: kernelText }, setup);
        if (viaKernel.front.includedFiles.includes(document.path)) {
          mainPath = kernel;
          check = viaKernel;
        } else texts.clear();
      }
    }
    check ??= safeCheck({ path: document.path, text: document.text }, setup);
    texts.set(document.path, document.text);
    return { document, mainPath, check, symbols: new SymbolTable(check.front), texts, ...(launch ? { launch } : {}), ms: performance.now() - started };
  }
}

/** Why a text is not worth compiling: binary content or a huge size. Undefined if it is. */
export function skipReason(text: string): string | undefined {
  if (text.length > MAX_CHECKED_CHARS) return `the file has ${text.length} characters; WeensyScope checks files up to ${MAX_CHECKED_CHARS}`;
  const sample = text.slice(0, 8192);
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return 'the file looks binary (it holds NUL characters)';
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) odd++;
  }
  return sample.length > 0 && odd / sample.length > 0.1 ? 'the file looks binary' : undefined;
}

/** checkWeensyFile, with a bug of ours turned into a diagnostic instead of a crash (invariant 8 is the compiler's promise; this is the server's). */
function safeCheck(file: { path: string; text: string }, setup: Parameters<typeof checkWeensyFile>[1]): WeensyCheck {
  try {
    return checkWeensyFile(file, setup);
  } catch (e) {
    const at = { file: file.path, line: 1, column: 1, offset: 0 };
    const diagnostic: Diagnostic = { severity: 'error', message: `internal error in the compiler: ${e instanceof Error ? e.message : String(e)}`, range: { start: at, end: at } };
    return {
      diagnostics: [diagnostic],
      role: 'kernel',
      front: { unit: { path: file.path, functions: [], objects: [], strings: [], typedefs: new Map() }, diagnostics: [diagnostic], macros: new Map(), includedFiles: [], declarations: [] },
    };
  }
}

