// docs/ISA.md is generated from the opcode table by renderIsaDoc(); this test
// keeps the committed file current. After changing the table, regenerate it:
//   UPDATE_GOLDEN=1 npx vitest run test/machine/isa-doc.test.ts

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderIsaDoc } from '../../emulator/machine/isa/isa-doc';
import { FORMAT_LENGTH, OPCODES } from '../../emulator/machine/isa/opcodes';

const DOC = fileURLToPath(new URL('../../docs/ISA.md', import.meta.url));

describe('docs/ISA.md', () => {
  const doc = renderIsaDoc();

  it('is current (UPDATE_GOLDEN=1 regenerates it)', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(DOC, doc);
    expect(readFileSync(DOC, 'utf8'), 'docs/ISA.md is stale: run UPDATE_GOLDEN=1 npx vitest run test/machine/isa-doc.test.ts').toBe(doc);
  });

  it('lists every instruction form with its opcode, length and summary', () => {
    const rows = doc.split('\n').filter((l) => /^\| 0x[0-9a-f]{2}/.test(l));
    expect(rows.length).toBe(OPCODES.length);
    OPCODES.forEach((o, k) => {
      const cells = rows[k]!.split(/(?<!\\)\|/).map((c) => c.trim());
      expect(cells[1]!.startsWith(`0x${o.opcode.toString(16).padStart(2, '0')}`), o.mnemonic).toBe(true);
      expect(cells[2]).toBe(`\`${o.mnemonic}\``);
      expect(cells[4]).toBe(String(FORMAT_LENGTH[o.format]));
      expect(cells[6]!.replace(/\\\|/g, '|')).toBe(o.summary);
    });
  });

  it('states the trap frame, gate and TSS layout WeensyOS relies on', () => {
    for (const [field, offset] of [['reg_rax', 0], ['reg_intno', 136], ['reg_err', 144], ['reg_rip', 152], ['reg_cs', 160], ['reg_rflags', 168], ['reg_rsp', 176], ['reg_ss', 184]] as const) {
      expect(doc).toContain(`| ${offset} | \`${field}\` |`);
    }
    expect(doc).toContain('192 bytes');
    expect(doc).toContain('P (bit 7) \\| DPL (bits 6:5) \\| type (bits 3:0): 0xE interrupt gate, 0xF trap gate');
    expect(doc).toContain('offset 4 of the TSS');
    expect(doc).toMatch(/\| 8 \| `efer` \|/);
    expect(doc).toContain('`ld64 rax, [rbp-0x8]` is `96 05 f8`');
  });

  it('describes the newer formats with real encodings, the sign-extension convention and strict decoding', () => {
    for (const example of [
      '`ld64 rax, [rbx+rcx*8]` is `e6 03 13`', '`st8 [rdi+rcx], rax` is `e7 07 10`', '`ld64 rax, [0x52dc0]` is `d6 00 c0 2d 05 00`',
      '`st32 [0xffffffff80001000], rcx` is `d9 10 00 10 00 80`', '`blti rcx, 0xa, 0x3fffd` is `c2 10 0a f9`',
    ]) expect(doc).toContain(example);
    expect(doc).toContain('| `mem-idx` | `op` `a:4 b:4` `c:4 s:4` | 3 |');
    expect(doc).toContain('| `r-imm8-rel32` | `op` `a:4 0:4` `imm8` `rel32` | 7 |');
    expect(doc).toMatch(/\*\*Sign extension\.\*\* Every immediate, displacement, absolute address/);
    expect(doc).toMatch(/\*\*Strict decoding\.\*\* A nibble a format leaves unused/);
    expect(doc).toContain('(mask 0x7fd5)'); // popf at CPL 0: the iret mask
    expect(doc).not.toMatch(/\bregister 16\b|\br16\b/);
  });

  it('is well-formed Markdown: every table row has its header\'s number of cells', () => {
    const lines = doc.split('\n');
    let width = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = 0;
        continue;
      }
      const n = line.split(/(?<!\\)\|/).length;
      if (width === 0) width = n;
      expect(n, line).toBe(width);
    }
    expect(doc).not.toMatch(/undefined|NaN|\[object/);
  });
});
