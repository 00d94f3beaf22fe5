// The language server's pure parts, without a server: constant expressions
// with C's types, the address layout, flag decoding, documentation
// comments, launch.json reading and the editor-text tokenizer.

import { describe, expect, it } from 'vitest';
import { weensyosFile } from '../../emulator/index';
import { DEFAULT_LAYOUT, describePhysical, describeVirtual, layoutFromMacros, splitAddress } from '../../language-server/address-layout';
import { evaluateConstant, type ConstantScope } from '../../language-server/constant-value';
import { declarationDoc } from '../../language-server/doc-comments';
import { candidateSpans, callAt, enclosingExpression, spanText } from '../../language-server/expression-context';
import { decodeBits, describeFaultCode, PTE_BITS } from '../../language-server/flag-bits';
import { launchSettings, parseJsonc } from '../../language-server/launch-settings';
import { inCommentOrLiteral, tokenAt, tokenizeText } from '../../language-server/text-tokens';

const scope: ConstantScope = {
  enumerator: (n) => (n === 'PO_KERNEL' ? -2n : undefined),
  typedef: (n) => (n === 'uintptr_t' ? { shape: { bits: 64, signed: false }, size: 8 } : n === 'int8_t' ? { shape: { bits: 8, signed: true }, size: 1 } : n === 'proc' ? { size: 216 } : undefined),
  tagSize: (k, n) => (k === 'struct' && n === 'proc' ? 216 : undefined),
};

function value(text: string): bigint | string {
  const r = evaluateConstant(tokenizeText(text).map((t) => ({ kind: t.kind, text: t.text })), scope);
  return r.ok ? r.value : r.reason;
}

describe('constant expressions', () => {
  it.each([
    ['0x100000 + (1 << 12)', 0x101000n],
    ['-1', -1n],
    ['(uintptr_t) -1', 0xffffffffffffffffn],
    ['-1U', 0xffffffffn],
    ['0xFFFFFFFF + 1', 0n], // a hex constant that does not fit int is unsigned int, and wraps
    ['2147483647 + 1', -2147483648n],
    ['1UL << 63', 0x8000000000000000n],
    ['(int8_t) 200', -56n],
    ['PO_KERNEL + 0', -2n],
    ['sizeof(proc) * 16', 3456n],
    ['sizeof(struct proc)', 216n],
    ['3 > 2 ? 0x10 : 0x20', 16n],
    ["'A' + 1", 66n],
    ['010', 8n],
    ['~0xFFFUL', 0xfffffffffffff000n],
  ])('%s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('says why an expression is not constant', () => {
    expect(value('va + 1')).toMatch(/'va' is not a constant/);
    expect(value('1 / 0')).toMatch(/division by zero/);
    expect(value('1 << 64')).toMatch(/shift count/);
    expect(value('(1 + ')).toMatch(/ends too soon/);
  });
});

describe('the address layout', () => {
  it('splits an address into page, L1-L4 and offset (L1 the top)', () => {
    expect(splitAddress(0x2ff123n)).toEqual({ page: 0x2ffn, offset: 0x123n, indices: [0, 0, 1, 255], canonical: true });
    expect(splitAddress(0x7fffffffffffn).indices).toEqual([255, 511, 511, 511]);
    expect(splitAddress(0x800000000000n).canonical).toBe(false);
    expect(splitAddress(0xffff800000000000n).canonical).toBe(true);
  });

  it('names what lives where, physically and virtually', () => {
    const l = DEFAULT_LAYOUT;
    expect(describePhysical(0n, l)).toMatch(/page 0: reserved/);
    expect(describePhysical(0x41000n, l)).toMatch(/kernel image/);
    expect(describePhysical(0x7f000n, l)).toMatch(/kernel stack page/);
    expect(describePhysical(0xb8000n + 2n * 81n, l)).toMatch(/console\[81\]`, row 1 column 1/);
    expect(describePhysical(0xb8ffcn, l)).toMatch(/cursorpos/);
    expect(describePhysical(0xc0000n, l)).toMatch(/I\/O hole/);
    expect(describePhysical(0x140000n, l)).toMatch(/p-allocator2 \(pid 2\) is loaded at 0x140000, so this is its code page/);
    expect(describePhysical(0x17f000n, l)).toMatch(/its stack page before step 4/);
    expect(describePhysical(0x200000n, l)).toMatch(/past physical memory/);
    expect(describeVirtual(0x2ff000n, l)).toMatch(/stack page of every process/);
    expect(describeVirtual(0x101000n, l)).toMatch(/the data page of the program loaded at 0x100000/);
    expect(describeVirtual(0x103000n, l)).toMatch(/heap page 1/);
    expect(describeVirtual(0x141000n, l)).toMatch(/the data page of p-allocator2/);
    expect(describeVirtual(0x300000n, l)).toMatch(/past MEMSIZE_VIRTUAL/);
    expect(describeVirtual(0x800000000000n, l)).toMatch(/not canonical/);
    expect(describeVirtual(0xb8000n, l)).toMatch(/console page stays user-accessible/);
  });

  it("takes the file's own constants", () => {
    const l = layoutFromMacros((n) => (n === 'MEMSIZE_VIRTUAL' ? 0x400000n : undefined));
    expect(describeVirtual(0x3ff000n, l)).toMatch(/stack page/);
  });
});

describe('flags', () => {
  it('decodes PTE bits, named and unnamed, and fault codes', () => {
    const d = decodeBits(0x267n, PTE_BITS, [{ name: 'PTE_COW', value: 0x200n, meaning: 'yours' }]);
    expect(d.set.map((b) => b.name)).toEqual(['PTE_P', 'PTE_W', 'PTE_U', 'PTE_A', 'PTE_D', 'PTE_COW']);
    expect(d.unnamed).toBe(0n);
    expect(decodeBits(0x1001n, PTE_BITS).unnamed).toBe(0x1000n);
    expect(describeFaultCode(7n)).toBe('a user write: protection problem (the page is present).');
    expect(describeFaultCode(4n)).toBe('a user read: missing page.');
  });
});

describe('documentation comments', () => {
  const kernelH = weensyosFile('kernel.h')!;
  const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

  it('a function: the comment that starts with its name, even above a typedef', () => {
    const d = declarationDoc(kernelH, lineOf(kernelH, 'vamapping virtual_memory_lookup('), 'virtual_memory_lookup');
    expect(d.declaration).toBe('vamapping virtual_memory_lookup(x86_64_pagetable* pagetable, uintptr_t va);');
    expect(d.doc).toMatch(/^virtual_memory_lookup\(pagetable, va\)\nSays how `pagetable` translates va/);
    const p = declarationDoc(kernelH, lineOf(kernelH, 'void process_init('), 'process_init');
    expect(p.doc).toMatch(/^process_init\(p, flags\): clears p's registers/);
  });

  it('a constant: its line comment; a record: its whole body', () => {
    const x86 = weensyosFile('x86-64.h')!;
    expect(declarationDoc(x86, lineOf(x86, '#define PTE_U'), 'PTE_U')).toEqual({ declaration: '#define PTE_U 4', doc: 'user-accessible (needed at every level for user mode)' });
    const proc = declarationDoc(kernelH, lineOf(kernelH, 'typedef struct proc {'), 'proc');
    expect(proc.declaration.split('\n')).toHaveLength(6);
    expect(proc.doc).toBe('A process descriptor.');
  });

  it("kernel.c's // comments", () => {
    const k = weensyosFile('kernel.c')!;
    const d = declarationDoc(k, lineOf(k, 'int assign_physical_page(uintptr_t addr, int8_t owner) {'), 'assign_physical_page');
    expect(d.declaration).toBe('int assign_physical_page(uintptr_t addr, int8_t owner)');
    expect(d.doc).toMatch(/^assign_physical_page\(addr, owner\)\nHands the free physical page/);
  });
});

describe('launch.json', () => {
  it('reads JSON with comments and trailing commas, and picks the weensy configuration', () => {
    expect(parseJsonc('{ // c\n "a": [1, 2, ], /* x */ "b": "//not a comment", }')).toEqual({ a: [1, 2], b: '//not a comment' });
    expect(parseJsonc('{ "a": ')).toBeUndefined();
    const json = '{"configurations": [{"type": "weensy", "name": "A", "kernel": "${workspaceFolder}/other/kernel.c", "defines": ["X=2"]}, {"type": "weensy", "name": "B", "kernel": "${workspaceFolder}/kernel.c", "defines": ["TICK_LIMIT=1000", "NO_SLOWDOWN", 5], "variant": "cs61"}]}';
    const s = launchSettings(json, '/ws', '/ws')!;
    expect(s.name).toBe('B');
    expect([...s.defines]).toEqual([['TICK_LIMIT', '1000'], ['NO_SLOWDOWN', '1']]);
    expect(s.variant).toBe('cs61');
    expect(launchSettings('{"configurations": [{"type": "node"}]}', '/ws', '/ws')).toBeUndefined();
    expect(launchSettings('not json', '/ws', '/ws')).toBeUndefined();
  });
});

describe('the text at the cursor', () => {
  it('tokens skip comments and know directives; positions in comments and strings are recognized', () => {
    const text = '#define A (1 << 2) // c\nint x = A; /* x */ char* s = "a b";\n';
    const tokens = tokenizeText(text);
    expect(tokens.map((t) => t.text)).toEqual(['#', 'define', 'A', '(', '1', '<<', '2', ')', 'int', 'x', '=', 'A', ';', 'char', '*', 's', '=', '"a b"', ';']);
    expect(tokens[2]!.directive).toBe(0);
    expect(tokens[8]!.directive).toBe(-1);
    expect(inCommentOrLiteral(text, tokens, text.indexOf('// c') + 3)).toBe(true);
    expect(inCommentOrLiteral(text, tokens, text.indexOf('x */'))).toBe(true);
    expect(inCommentOrLiteral(text, tokens, text.indexOf('a b') + 1)).toBe(true);
    expect(inCommentOrLiteral(text, tokens, text.indexOf('int x') + 1)).toBe(false);
  });

  it('expressions around the cursor, and the call an argument belongs to', () => {
    const text = 'r = virtual_memory_map(pt, va + (PROC_START_ADDR + PAGESIZE), pa, PAGESIZE, PTE_P | PTE_W, NULL);';
    const tokens = tokenizeText(text);
    const i = tokenAt(tokens, text.indexOf('PAGESIZE') + 1);
    // Inside parentheses, the group is the expression (what `va +` adds is not constant anyway).
    expect(spanText(text, tokens, enclosingExpression(tokens, i))).toBe('PROC_START_ADDR + PAGESIZE');
    expect(candidateSpans(tokens, i).map((s) => spanText(text, tokens, s))).toEqual(['PROC_START_ADDR + PAGESIZE', 'PAGESIZE']);
    const va = tokenAt(tokens, text.indexOf('va +'));
    expect(candidateSpans(tokens, va).map((s) => spanText(text, tokens, s))).toEqual(['va + (PROC_START_ADDR + PAGESIZE)', 'va']);
    const cmp = 'if (x == PTE_P + 1 && y) {';
    const ct = tokenizeText(cmp);
    expect(candidateSpans(ct, tokenAt(ct, cmp.indexOf('PTE_P'))).map((s) => spanText(cmp, ct, s))).toEqual(['x == PTE_P + 1 && y', 'PTE_P + 1', 'PTE_P']);
    const perm = tokenAt(tokens, text.indexOf('PTE_W'));
    expect(callAt(tokens, perm)).toMatchObject({ callee: 'virtual_memory_map', argument: 4 });
    const d = '#define MASK (PTE_P | PTE_W)';
    const dt = tokenizeText(d);
    expect(spanText(d, dt, enclosingExpression(dt, tokenAt(dt, d.indexOf('PTE_W'))))).toBe('PTE_P | PTE_W');
  });
});
