// Malformed and unsupported programs: each file in test/cc/diagnostics
// starts with the diagnostic it must produce,
//   // expect error 4:3: expected ',' or ';' before 'return'
// (severity, line:column in the file, and a fragment of the message, worded
// as gcc words it where gcc has the same diagnostic). The expected one must
// be the first diagnostic of that severity: no cascade of errors before it.
// Errors come from the preprocessor, the parser's checks, the code generator
// or the linker, whichever finds them. Where gcc is installed, every error
// case is also compiled by gcc, which must reject it too, except the cases
// marked [gcc accepts]: what gcc takes but our target does not (floating
// point, inline assembly, variable-length arrays).

import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, compileFile } from '../../emulator/cc/compile';
import { formatDiagnostic, type Diagnostic } from '../../emulator/cc/diagnostic';
import { hostGcc, hostOf } from './compile-helpers';

const DIR = join(__dirname, 'diagnostics');

interface Case {
  readonly file: string;
  readonly text: string;
  readonly severity: 'error' | 'warning';
  readonly line: number;
  readonly column: number;
  readonly fragment: string;
  readonly gccAccepts: boolean;
}

function cases(): Case[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const m = /^\/\/ expect (error|warning) (\d+):(\d+): (.*?)( \[gcc accepts\])?\n/.exec(text);
      if (!m) throw new Error(`${file}: the first line must be "// expect <severity> <line>:<column>: <message>"`);
      return { file, text, severity: m[1] as Case['severity'], line: Number(m[2]), column: Number(m[3]), fragment: m[4]!, gccAccepts: !!m[5] };
    });
}

/** Front end and code generator; the linker too when those pass (for undefined references). */
function diagnose(c: Case): Diagnostic[] {
  const host = hostOf({ [c.file]: c.text });
  const compiled = compileFile({ path: c.file, text: c.text }, { host });
  if (compiled.diagnostics.some((d) => d.severity === 'error') || c.severity === 'warning') return compiled.diagnostics;
  return buildProgram({ files: [{ path: c.file, text: c.text }], host, base: 0x100000, entry: 'main' }).diagnostics;
}

function gccRejects(c: Case): Promise<boolean> {
  return new Promise((resolve) => {
    const child = execFile(hostGcc()!, ['-std=gnu11', '-x', 'c', '-c', '-o', '/dev/null', '-'], (err) => resolve(err !== null));
    child.stdin!.end(c.text);
  });
}

const all = cases();

describe('diagnostics for malformed and unsupported programs', () => {
  it('has the cases the compiler issue asks for', () => {
    expect(all.length).toBeGreaterThanOrEqual(50);
  });

  for (const c of all) {
    it(c.file, async () => {
      const ds = diagnose(c);
      const first = ds.find((d) => d.severity === c.severity);
      const shown = ds.map(formatDiagnostic).join('\n');
      expect(first, `no ${c.severity} in:\n${shown}`).toBeDefined();
      expect(`${first!.range.start.line}:${first!.range.start.column}`, shown).toBe(`${c.line}:${c.column}`);
      expect(first!.message, shown).toContain(c.fragment);
      expect(first!.range.start.file).toBe(c.file);
      if (c.severity === 'error' && hostGcc()) expect(await gccRejects(c), c.gccAccepts ? 'gcc accepts this, as marked' : 'gcc rejects this too').toBe(!c.gccAccepts);
    });
  }
});

describe('no cascade after an undeclared name', () => {
  it('reports the name once, and nothing about the uses that follow (as gcc)', () => {
    const text = 'int main(void) {\n  frob++;\n  frob = 2;\n  return frob + 1;\n}\n';
    const { diagnostics } = compileFile({ path: '/t/u.c', text }, { host: hostOf({ '/t/u.c': text }) });
    expect(diagnostics.map((d) => `${d.severity} ${d.range.start.line}:${d.range.start.column}: ${d.message}`)).toEqual([
      "error 2:3: 'frob' undeclared (first use in this function)",
    ]);
  });
});
