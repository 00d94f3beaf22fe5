// Hovers, completion, signature help and go to definition through a real LSP
// client over stdio, on the reference kernel with a few lines added.

import { describe, expect, it } from 'vitest';
import type { Hover, Location } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf, repoRoot, uriOf } from './lsp-client';
import { kernelWith, languageServerFor, TempWorkspace } from './workspace';

const ADDED = [
  '    uintptr_t hv_stack = 0x2ff000;',
  '    uintptr_t hv_data = PROC_START_ADDR + PAGESIZE;',
  '    int hv_perm = PTE_P | PTE_W | PTE_U;',
  '    virtual_memory_map(kernel_pagetable, 0x2ff000, 0xb8000, PAGESIZE, PTE_P | PTE_W, NULL);',
  '    pageinfo[3].owner = PO_KERNEL;',
  '    // a comment about 0x2ff000',
  '    if (current->p_pagetable != kernel_pagetable && (current->p_registers.reg_err & PFERR_WRITE)) {',
  '        (void) hv_stack; (void) hv_data; (void) hv_perm;',
  '    }',
].join('\n');

const TEXT = kernelWith(ADDED);
let client: LspTestClient;
let ws: TempWorkspace;
let uri: string;

languageServerFor({ 'kernel.c': TEXT }, async (c, w) => {
  client = c;
  ws = w;
  uri = await client.open(ws.path('kernel.c'), TEXT);
  expect((await client.diagnostics(uri)).diagnostics).toEqual([]);
});

function markdown(h: Hover | null): string {
  expect(h).not.toBeNull();
  const c = h!.contents;
  return typeof c === 'object' && 'value' in c ? c.value : JSON.stringify(c);
}

/** The position `delta` characters into the first `needle` after kernel()'s opening line. */
function at(needle: string, delta = 0, occurrence = 1): { line: number; character: number } {
  const base = TEXT.indexOf(ADDED);
  const local = positionOf(TEXT.slice(base), needle, delta, occurrence);
  return { line: local.line + positionOf(TEXT, ADDED).line, character: local.character };
}

describe('hovers', () => {
  it('0x2ff000: page, L1-L4 indices, offset, and the stack page of every process', async () => {
    const md = markdown(await client.hover(uri, at('0x2ff000', 3)));
    expect(md).toContain('`0x2ff000` = 3141632');
    expect(md).toContain('       page  L1  L2  L3   L4  offset\n0x2ff (767)   0   0   1  255   0x000');
    expect(md).toMatch(/As a virtual address:\*\* the stack page of every process from step 4 on/);
    expect(md).toMatch(/As a physical address:\*\* past physical memory/);
  });

  it('PROC_START_ADDR + PAGESIZE is evaluated with the macros: the data page of the first program', async () => {
    const h = await client.hover(uri, at('PROC_START_ADDR + PAGESIZE', 'PROC_START_ADDR + '.length + 2));
    const md = markdown(h);
    expect(md).toContain('`PROC_START_ADDR + PAGESIZE` = `0x101000` (1052672)');
    expect(md).toContain('       page  L1  L2  L3   L4  offset\n0x101 (257)   0   0   0  257   0x000');
    expect(md).toContain('the data page of the program loaded at 0x100000');
    // The name under the cursor is documented too: PAGESIZE's #define in x86-64.h.
    expect(md).toContain('#define PAGESIZE (1 << PAGEOFFBITS)');
    // The hover's range is the whole expression.
    const start = at('PROC_START_ADDR + PAGESIZE');
    expect(h!.range).toEqual({ start, end: { line: start.line, character: start.character + 'PROC_START_ADDR + PAGESIZE'.length } });
  });

  it('PTE_P | PTE_W | PTE_U: the flags decoded', async () => {
    const md = markdown(await client.hover(uri, at('PTE_P | PTE_W | PTE_U', 9)));
    expect(md).toContain('`PTE_P | PTE_W | PTE_U` = `0x7` (7)');
    expect(md).toContain('**Page-table entry flags:** `PTE_P` | `PTE_W` | `PTE_U`');
    expect(md).toContain('user code and the kernel can read and write the page');
    expect(md).not.toContain('offset');
  });

  it('virtual_memory_map: the prototype and the paragraph from kernel.h', async () => {
    const md = markdown(await client.hover(uri, at('virtual_memory_map', 4)));
    expect(md).toContain('int virtual_memory_map(x86_64_pagetable* pagetable, uintptr_t va,');
    expect(md).toContain('Maps virtual addresses [va, va+sz) in `pagetable`');
    expect(md).toContain('Declared at WeensyOS kernel.h:');
  });

  it('arguments by position: va is virtual, pa physical (the console), perm decoded without PTE_U', async () => {
    const va = markdown(await client.hover(uri, at('0x2ff000', 2, 2)));
    expect(va).toContain('As a virtual address');
    expect(va).not.toContain('As a physical address');
    const pa = markdown(await client.hover(uri, at('0xb8000', 2)));
    expect(pa).toContain('**As a physical address:** the console page: `console[0]`, row 0 column 0');
    expect(pa).not.toContain('As a virtual address');
    const size = markdown(await client.hover(uri, at('PAGESIZE, PTE_P', 2)));
    expect(size).toContain('1 page');
    const perm = markdown(await client.hover(uri, at('PTE_P | PTE_W, NULL', 2)));
    expect(perm).toContain('only the kernel can read and write the page');
  });

  it('constants, members and page-fault bits', async () => {
    const po = markdown(await client.hover(uri, at('PO_KERNEL', 3)));
    expect(po).toContain('PO_KERNEL = -2');
    expect(po).toContain('this page is used by the kernel');
    const member = markdown(await client.hover(uri, at('p_pagetable', 3)));
    expect(member).toContain('x86_64_pagetable * p_pagetable');
    expect(member).toContain('member of struct proc at offset 208');
    expect(member).toContain("the process's page table");
    const owner = markdown(await client.hover(uri, at('owner = PO_KERNEL', 2)));
    expect(owner).toContain('member of struct physical_pageinfo at offset 0');
    const pferr = markdown(await client.hover(uri, at('PFERR_WRITE', 3)));
    expect(pferr).toContain('**Page-fault error code:** `PFERR_WRITE`');
  });

  it('nothing inside a comment, nor on a small decimal index', async () => {
    expect(await client.hover(uri, at('about 0x2ff000', 8))).toBeNull();
    expect(await client.hover(uri, at('pageinfo[3]', 9))).toBeNull();
  });
});

describe('completion', () => {
  async function labels(text: string, needle: string, delta: number): Promise<{ label: string; sortText?: string }[]> {
    const path = ws.write('kernel-completion.c', text);
    const u = await client.open(path, text);
    try {
      return await client.completion(u, positionOf(text, needle, delta));
    } finally {
      await client.close(u);
    }
  }

  it('inside virtual_memory_map\'s perm argument, PTE_* come first', async () => {
    const text = kernelWith('    virtual_memory_map(kernel_pagetable, 0, 0, PAGESIZE, PTE_');
    const items = await labels(text, 'PAGESIZE, PTE_', 'PAGESIZE, PTE_'.length);
    const names = items.map((i) => i.label);
    expect(names).toEqual(expect.arrayContaining(['PTE_P', 'PTE_W', 'PTE_U', 'PTE_A', 'PTE_D', 'PTE_PS', 'virtual_memory_map', 'PO_KERNEL', 'INT_PAGEFAULT', 'PFERR_WRITE']));
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    expect(sorted.slice(0, 6).every((i) => i.label.startsWith('PTE_'))).toBe(true);
  });

  it('members after pageinfo[i]. and p->, and a partial member name', async () => {
    const dot = await labels(kernelWith('    int i = 0;\n    pageinfo[i].'), 'pageinfo[i].', 'pageinfo[i].'.length);
    expect(dot.map((i) => i.label)).toEqual(['owner', 'refcount']);
    const arrow = await labels(kernelWith('    proc* p = current;\n    p->'), 'p->', 3);
    expect(arrow.map((i) => i.label)).toEqual(['p_pid', 'p_registers', 'p_state', 'p_pagetable']);
    const nested = await labels(kernelWith('    current->p_registers.reg_r'), 'p_registers.reg_r', 'p_registers.reg_r'.length);
    expect(nested.map((i) => i.label)).toContain('reg_rip');
  });

  it('resolving an item brings its documentation', async () => {
    const text = kernelWith('    virtual_memory_');
    const path = ws.write('kernel-resolve.c', text);
    const u = await client.open(path, text);
    const items = await client.completion(u, positionOf(text, '{\n    virtual_memory_', '{\n    virtual_memory_'.length));
    const vmm = items.find((i) => i.label === 'virtual_memory_map')!;
    const resolved = await client.resolve(vmm);
    expect(JSON.stringify(resolved.documentation)).toContain('Maps virtual addresses');
    await client.close(u);
  });

  it('header names after #include', async () => {
    const items = await labels('#include "', '#include "', 10);
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['kernel.h', 'lib.h', 'x86-64.h', 'process.h', 'elf.h']));
  });
});

describe('signature help', () => {
  it('marks the argument being typed', async () => {
    const text = kernelWith('    virtual_memory_map(kernel_pagetable, 0, ');
    const path = ws.write('kernel-signature.c', text);
    const u = await client.open(path, text);
    const help = await client.signatureHelp(u, positionOf(text, 'kernel_pagetable, 0, ', 'kernel_pagetable, 0, '.length));
    await client.close(u);
    expect(help?.activeParameter).toBe(2);
    const sig = help!.signatures[0]!;
    const [s, e] = sig.parameters![2]!.label as [number, number];
    expect(sig.label.slice(s, e)).toBe('uintptr_t pa');
    expect(sig.parameters).toHaveLength(6);
  });
});

describe('go to definition', () => {
  const builtin = (name: string): string => uriOf(`${repoRoot().replace(/\\/g, '/').replace(/\/$/, '')}/runtime/weensyos/${name}`);

  async function definition(needle: string, delta: number, occurrence = 1): Promise<Location> {
    const d = await client.definition(uri, at(needle, delta, occurrence));
    expect(d).not.toBeNull();
    return (Array.isArray(d) ? d[0] : d) as Location;
  }

  it('virtual_memory_map goes to its prototype in the shipped kernel.h', async () => {
    const d = await definition('virtual_memory_map', 3);
    expect(d.uri).toBe(builtin('kernel.h'));
    const { readFileSync } = await import('node:fs');
    const header = readFileSync(new URL(d.uri), 'utf8');
    expect(header.split('\n')[d.range.start.line]).toMatch(/^int virtual_memory_map\(/);
    expect(d.range.start.character).toBe(4);
  });

  it('PTE_P goes to x86-64.h; PO_KERNEL and a kernel.c function stay in kernel.c; a member goes to its struct', async () => {
    expect((await definition('PTE_P', 2)).uri).toBe(builtin('x86-64.h'));
    const po = await definition('PO_KERNEL', 2);
    expect(po.uri).toBe(uri);
    expect(TEXT.split('\n')[po.range.start.line]).toMatch(/^\s*PO_KERNEL = -2/);
    const member = await definition('p_pagetable', 2);
    expect(member.uri).toBe(builtin('kernel.h'));
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(new URL(member.uri), 'utf8').split('\n')[member.range.start.line]).toContain('x86_64_pagetable* p_pagetable;');
  });

  it('an #include line goes to the header: the workspace copy when there is one', async () => {
    const line = positionOf(TEXT, '#include "kernel.h"', 12);
    const d = (await client.definition(uri, line)) as Location;
    expect(d.uri).toBe(builtin('kernel.h'));
    const w = new TempWorkspace({ 'kernel.c': TEXT, 'kernel.h': '#include "x86-64.h"\n' });
    const c = await LspTestClient.start({ root: w.root });
    try {
      const u = await c.open(w.path('kernel.c'), TEXT);
      expect(((await c.definition(u, line)) as Location).uri).toBe(uriOf(w.path('kernel.h')));
    } finally {
      await c.stop();
      w.dispose();
    }
  });
});
