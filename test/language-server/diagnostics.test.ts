// Diagnostics through a real LSP client over stdio: broken kernels,
// programs and headers, each error at its exact range (through macro
// expansions too), source "weensyscope", the scope setting, launch.json
// defines, and updates on change.

import { describe, expect, it } from 'vitest';
import { weensyosFile } from '../../emulator/index';
import { LspTestClient, positionOf, uriOf } from './lsp-client';
import { kernelWith, languageServerFor, REFERENCE_KERNEL, TempWorkspace } from './workspace';

let client: LspTestClient;
let ws: TempWorkspace;

languageServerFor({ 'kernel.c': REFERENCE_KERNEL }, (c, w) => {
  client = c;
  ws = w;
});

/** Opens `text` as a new file of the workspace and returns its diagnostics. */
async function diagnose(name: string, text: string) {
  const path = ws.write(name, text);
  const since = client.published.length;
  const uri = await client.open(path, text);
  const published = await client.diagnostics(uri, 1, 20_000, since);
  await client.close(uri);
  return { uri, diagnostics: published.diagnostics, published };
}

describe('diagnostics', () => {
  it('the reference kernel and programs have none', async () => {
    for (const name of ['kernel.c', 'p-allocator.c', 'p-fork.c', 'p-forkexit.c']) {
      const { diagnostics } = await diagnose(name === 'kernel.c' ? 'kernel.c' : name, weensyosFile(name)!);
      expect(diagnostics, name).toEqual([]);
    }
  });

  it.each([
    ['an undeclared name', '    frob_count++;', 'frob_count', 'frob_count', "'frob_count' undeclared"],
    ['a missing member', '    current->p_bogus = 1;', 'current->p_bogus', '->', "has no member named 'p_bogus'"],
    ['too few arguments', '    virtual_memory_map(kernel_pagetable, 0, 0);', 'virtual_memory_map(kernel_pagetable, 0, 0)', 'virtual_memory_map(kernel_pagetable, 0, 0)', 'too few arguments'],
    ['inline assembly', '    asm("cli");', 'asm("cli")', 'asm("cli")', 'use cli() from x86-64.h'],
    ['floating point', '    unsigned n = 3 * 1.5;', '1.5', '1.5', 'floating-point'],
  ])('%s: the error and its exact range', async (_what, code, anchor, underlined, message) => {
    const text = kernelWith(code);
    const { diagnostics } = await diagnose('kernel.c', text);
    const d = diagnostics.find((x) => String(x.message).includes(message));
    expect(d, JSON.stringify(diagnostics)).toBeDefined();
    expect(d!.source).toBe('weensyscope');
    expect(d!.severity).toBe(1);
    const at = text.indexOf(anchor, text.indexOf('void kernel(const char* command) {')) + anchor.indexOf(underlined);
    const start = positionOf(text.slice(0, at) + '\u0000' + text.slice(at), '\u0000');
    expect(d!.range.start).toEqual(start);
    expect(d!.range.end).toEqual({ line: start.line, character: start.character + underlined.length });
  });

  it('an error inside a macro expansion is reported at the invocation, with the macro named', async () => {
    const text = kernelWith('    uintptr_t q = BAD_SUM;', '#define BAD_SUM (PROC_START_ADDR +)');
    const { diagnostics, uri } = await diagnose('kernel.c', text);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(d.message).toBe("expected expression before ')' token");
    const start = positionOf(text, 'BAD_SUM;');
    expect(d.range).toEqual({ start, end: { line: start.line, character: start.character + 'BAD_SUM'.length } });
    expect(d.relatedInformation?.[0]).toMatchObject({ message: "in expansion of macro 'BAD_SUM'", location: { uri } });
  });

  it('a syntax error: expected ; at the next token', async () => {
    const text = kernelWith('    int x = 3\n    x++;');
    const { diagnostics } = await diagnose('kernel.c', text);
    expect(diagnostics.map((d) => d.message)).toEqual(["expected ',' or ';' before 'x'"]);
    const start = positionOf(text, 'x++;');
    expect(diagnostics[0]!.range).toEqual({ start, end: { line: start.line, character: start.character + 1 } });
  });

  it('programs get the process defines and their own errors', async () => {
    const text = weensyosFile('p-allocator.c')!.replace('sys_yield();', 'sys_yeld();');
    const { diagnostics } = await diagnose('p-allocator.c', text);
    // An implicit declaration is a warning; our compiler accepts it and the launch fails at link time.
    expect(diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const broken = weensyosFile('p-fork.c')!.replace('pid_t p1 = sys_fork();', 'pid_t p1 = sys_fork()');
    const r = await diagnose('p-fork.c', broken);
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^expected ',' or ';' before/)]);
    // Process code sees WEENSYOS_PROCESS, not WEENSYOS_KERNEL.
    const probe = await diagnose('p-probe.c', '#include "process.h"\n#ifdef WEENSYOS_KERNEL\n#error kernel defines in a program\n#endif\n#ifndef WEENSYOS_PROCESS\n#error no process define\n#endif\n');
    expect(probe.diagnostics).toEqual([]);
  });

  it('diagnostics follow changes, and are cleared when fixed', async () => {
    const good = REFERENCE_KERNEL;
    const path = ws.write('kernel-live.c', good);
    const uri = await client.open(path, good);
    expect((await client.diagnostics(uri, 1)).diagnostics).toEqual([]);
    const v2 = await client.change(uri, kernelWith('    frob_count++;'));
    expect((await client.diagnostics(uri, v2)).diagnostics[0]?.message).toMatch(/frob_count/);
    const v3 = await client.change(uri, good);
    expect((await client.diagnostics(uri, v3)).diagnostics).toEqual([]);
  });

  it('the scope setting: errors at launch by default, warnings too with "all"', async () => {
    const text = kernelWith('    int unused_thing;\n    frobnicate(3);');
    const path = ws.write('kernel-scope.c', text);
    const c2 = await LspTestClient.start({ root: ws.root, configuration: { diagnostics: { scope: 'errors-at-launch' } } });
    try {
      const uri = await c2.open(path, text);
      expect((await c2.diagnostics(uri)).diagnostics).toEqual([]);
      const before = c2.published.length;
      await c2.changeConfiguration({ diagnostics: { scope: 'all' } });
      const all = await c2.diagnostics(uri, 1, 10_000, before);
      expect(all.diagnostics.map((d) => [d.message, d.severity])).toContainEqual(["implicit declaration of function 'frobnicate'", 2]);
    } finally {
      await c2.stop();
    }
    const c3 = await LspTestClient.start({ root: ws.root, initializationOptions: { settings: { diagnostics: { scope: 'all' } } } });
    try {
      const uri = await c3.open(path, text);
      expect((await c3.diagnostics(uri)).diagnostics.some((d) => d.severity === 2)).toBe(true);
    } finally {
      await c3.stop();
    }
  });

  it('an error in the workspace kernel.h: on its #include line in kernel.c, and in kernel.h itself', async () => {
    const w = new TempWorkspace();
    const header = weensyosFile('kernel.h')!.replace('#define NPROC 16', '#define NPROC 16\nint broken_decl(;');
    w.write('kernel.h', header);
    w.write('kernel.c', REFERENCE_KERNEL);
    const c = await LspTestClient.start({ root: w.root });
    try {
      const uri = await c.open(w.path('kernel.c'), REFERENCE_KERNEL);
      const d = (await c.diagnostics(uri)).diagnostics;
      expect(d.length).toBeGreaterThan(0);
      expect(d[0]!.message).toMatch(/^kernel\.h:\d+:\d+: /);
      expect(d[0]!.range.start).toEqual(positionOf(REFERENCE_KERNEL, '#include "kernel.h"'));
      expect(d[0]!.relatedInformation?.[0]?.location.uri).toBe(uriOf(w.path('kernel.h')));
      const hUri = await c.open(w.path('kernel.h'), header);
      const hd = (await c.diagnostics(hUri)).diagnostics;
      expect(hd.length).toBeGreaterThan(0);
      expect(hd[0]!.range.start.line).toBe(positionOf(header, 'int broken_decl(;').line);
    } finally {
      await c.stop();
      w.dispose();
    }
  });

  it('defines come from the weensy launch configuration in .vscode/launch.json (JSON with comments)', async () => {
    const w = new TempWorkspace();
    const text = '#include "kernel.h"\n#if TICK_LIMIT != 1000\n#error TICK_LIMIT is not from launch.json\n#endif\n#ifndef NO_SLOWDOWN\n#error NO_SLOWDOWN missing\n#endif\n';
    w.write('kernel.c', text);
    w.write(
      '.vscode/launch.json',
      '{\n  // our launch configurations\n  "version": "0.2.0",\n  "configurations": [\n    { "type": "node", "request": "launch", "name": "other", "defines": { "TICK_LIMIT": 5 } },\n    /* the WeensyOS one */\n    { "type": "weensy", "request": "launch", "name": "WeensyOS (grading run)",\n      "kernel": "${workspaceFolder}/kernel.c", "defines": { "TICK_LIMIT": 1000, "NO_SLOWDOWN": 1, }, },\n  ],\n}\n',
    );
    const c = await LspTestClient.start({ root: w.root });
    try {
      const uri = await c.open(w.path('kernel.c'), text);
      expect((await c.diagnostics(uri)).diagnostics).toEqual([]);
      // The hover says where the define came from.
      const hover = await c.hover(uri, positionOf(text, 'TICK_LIMIT', 2));
      expect(JSON.stringify(hover?.contents)).toContain('WeensyOS (grading run)');
    } finally {
      await c.stop();
      w.dispose();
    }
    // Without the launch configuration the same file fails as the build would.
    const w2 = new TempWorkspace({ 'kernel.c': text });
    const c2 = await LspTestClient.start({ root: w2.root });
    try {
      const uri = await c2.open(w2.path('kernel.c'), text);
      expect((await c2.diagnostics(uri)).diagnostics.map((d) => d.message)).toEqual(['#error TICK_LIMIT is not from launch.json']);
    } finally {
      await c2.stop();
      w2.dispose();
    }
  });

  it('the launch check: errors only linking finds, in open and closed files, cleared when fixed', async () => {
    const w = new TempWorkspace();
    const text = kernelWith('    frobnicate(3);');
    w.write('kernel.c', text);
    const c = await LspTestClient.start({ root: w.root });
    try {
      const uri = await c.open(w.path('kernel.c'), text);
      // The fast check: an implicit declaration is only a warning, so no error yet...
      expect((await c.diagnostics(uri)).diagnostics).toEqual([]);
      // ...then the whole folder is built as a launch would, and the linker's errors come.
      const linked = await waitFor(c, uri, (d) => d.some((x) => String(x.message).startsWith("undefined reference to 'frobnicate'")));
      const d = linked.find((x) => String(x.message).startsWith("undefined reference to 'frobnicate'"))!;
      const start = positionOf(text, 'frobnicate(3)');
      expect(d.range.start).toEqual(start);
      expect(d.severity).toBe(1);
      expect(d.source).toBe('weensyscope');
      // Fixed in the editor: cleared.
      let since = c.published.length;
      const v2 = await c.change(uri, REFERENCE_KERNEL);
      expect((await c.diagnostics(uri, v2, 20_000, since)).diagnostics).toEqual([]);
      // A program that is not open, broken on disk: it gets its own diagnostics (the build stops there, as a launch does).
      w.write('p-allocator.c', weensyosFile('p-allocator.c')!.replace('sys_yield();', 'sys_yeld();'));
      since = c.published.length;
      await c.change(uri, `${REFERENCE_KERNEL}\n`);
      const programUri = uriOf(w.path('p-allocator.c'));
      const program = await waitFor(c, programUri, (x) => x.some((y) => String(y.message).includes("undefined reference to 'sys_yeld'")), since);
      expect(program[0]!.range.start.line).toBe(positionOf(weensyosFile('p-allocator.c')!, 'sys_yield();').line);
      // Fixed on disk: cleared at the next check.
      w.write('p-allocator.c', weensyosFile('p-allocator.c')!);
      since = c.published.length;
      await c.change(uri, REFERENCE_KERNEL);
      await waitFor(c, programUri, (x) => x.length === 0, since);
    } finally {
      await c.stop();
      w.dispose();
    }
  });
});

/** Waits until a publish for `uri` (after `since`) satisfies `test`; returns its diagnostics. */
async function waitFor(c: LspTestClient, uri: string, test: (d: import('vscode-languageserver-protocol').Diagnostic[]) => boolean, since = 0) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const hit = c.published.slice(since).find((p) => p.uri === uri && test(p.diagnostics));
    if (hit) return hit.diagnostics;
    if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(c.published.filter((p) => p.uri === uri).map((p) => p.diagnostics.map((d) => d.message)))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
