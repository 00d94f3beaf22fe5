// Linked programs run: the machine's loader puts an image in RAM, and code
// that calls across modules (rel32), reads globals (abs32, abs32u) and
// follows pointers in data (abs64) computes what it should. A loader
// written in WS64 the way k-loader.c is written then loads a program image
// embedded in a kernel, using only the elf_header and elf_program fields.

import { describe, expect, it } from 'vitest';
import { link } from '../../emulator/cc/link/link';
import { loadImage } from '../../emulator/machine/image/load-image';
import { readImage } from '../../emulator/machine/image/read-image';
import { Machine } from '../../emulator/machine/machine';
import { getReg } from '../machine/helpers';
import { asmText, fn, obj, objectModule, reloc, undef } from './object-module-builder';

/** Boots a machine on an ELF file with the built-in loader and runs it to hlt. */
function run(elf: Uint8Array, prepare?: (m: Machine) => void): Machine {
  const { image, errors } = readImage(elf);
  expect(errors).toEqual([]);
  const m = new Machine();
  prepare?.(m);
  expect(loadImage(m.memory, image!)).toEqual([]);
  m.cpu.rip = image!.entry;
  expect(m.run(100000).kind).toBe('halt');
  return m;
}

describe('a linked two-module program', () => {
  const main = asmText(`
start:  movi rsp, 0x80000
call1:  call 0
table1: movu rcx, 0x12345678
        ld64 rdx, [rcx+0]
        ld32s rdx, [rdx+0]
own1:   movi rbx, 0
own2:   ld32s r8, [rbx+0x7fffffff]
        hlt`);
  const lib = asmText(`
add_global:
        movi rbx, 0
get1:   ld32s rax, [rbx+0x7fffffff]
        addi rax, 2
        ret`);
  const L = (code: { labels: ReadonlyMap<string, number> }, name: string): number => code.labels.get(name)!;
  const modules = [
    objectModule({
      path: 'main.c',
      text: main.bytes,
      data: new Uint8Array([99, 0, 0, 0]),
      align: { data: 4 },
      symbols: [fn('start', 0, main.bytes.length), obj('value', 'data', 0, 4, 'local'), undef('add_global'), undef('table')],
      relocations: [reloc('text', L(main, 'call1') + 1, 'rel32', 'add_global'), reloc('text', L(main, 'table1') + 2, 'abs32u', 'table'), reloc('text', L(main, 'own2') + 2, 'abs32', 'value')],
    }),
    objectModule({
      path: 'lib.c',
      text: lib.bytes,
      data: new Uint8Array([40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      align: { text: 16, data: 8 },
      symbols: [fn('add_global', 0, lib.bytes.length), obj('value', 'data', 0, 4), obj('table', 'data', 8, 8)],
      relocations: [reloc('text', L(lib, 'get1') + 2, 'abs32', 'value'), reloc('data', 8, 'abs64', 'value')],
    }),
  ];

  it('links, loads and runs to hlt with the values its relocations lead to', () => {
    const { image, diagnostics } = link({ modules, base: 0x40000, entry: 'start' });
    expect(diagnostics).toEqual([]);
    const m = run(image!.elf);
    expect(getReg(m, 'rax')).toBe(42n);
    expect(getReg(m, 'rdx')).toBe(40n);
    // main.c reads its own static `value`, not lib.c's global of the same name.
    expect(getReg(m, 'r8')).toBe(99n);
  });
});

describe('a kernel that loads an embedded program as k-loader.c does', () => {
  // The program adds a data word and a bss word (which the loader must have
  // zeroed) and stores the sum in bss.
  const prog = asmText(`
process_main:
        movi rbx, 0
p1:     ld64 rax, [rbx+0x7fffffff]
p2:     ld64 rcx, [rbx+0x7fffffff]
        add rax, rcx
p3:     st64 [rbx+0x7fffffff], rax
        ret`);
  const program = link({
    modules: [
      objectModule({
        path: 'p-test.c',
        text: prog.bytes,
        data: new Uint8Array([0x34, 0x12, 0, 0, 0, 0, 0, 0]),
        bssSize: 16,
        align: { text: 16, data: 8, bss: 8 },
        symbols: [fn('process_main', 0, prog.bytes.length), obj('magic', 'data', 0, 8), obj('counter', 'bss', 0, 8, 'local'), obj('result', 'bss', 8, 8)],
        relocations: [reloc('text', prog.labels.get('p1')! + 2, 'abs32', 'magic'), reloc('text', prog.labels.get('p2')! + 2, 'abs32', 'counter'), reloc('text', prog.labels.get('p3')! + 2, 'abs32', 'result')],
      }),
    ],
    base: 0x100000,
    entry: 'process_main',
  }).image!;

  // program_load: check e_magic, then for each PT_LOAD program header copy
  // p_filesz bytes from the image to p_va and zero the rest up to p_memsz;
  // finally call e_entry.
  const loader = asmText(`
kernel: movi rsp, 0x80000
img:    movi rbx, 0x12345678
        ld32u rax, [rbx+0]
        movu rcx, 0x464c457f
        bne rax, rcx, bad
        ld64 r12, [rbx+0x20]
        add r12, rbx
        ld16u r13, [rbx+0x38]
next:   bz r13, done
        ld32u rax, [r12+0]
        movi rcx, 1
        bne rax, rcx, skip
        ld64 rsi, [r12+8]
        add rsi, rbx
        ld64 rdi, [r12+0x10]
        ld64 rdx, [r12+0x20]
        ld64 r8, [r12+0x28]
copy:   bz rdx, zero
        ld8u rax, [rsi+0]
        st8 [rdi+0], rax
        addi rsi, 1
        addi rdi, 1
        addi rdx, -1
        addi r8, -1
        jmp copy
zero:   bz r8, skip
        movi rax, 0
        st8 [rdi+0], rax
        addi rdi, 1
        addi r8, -1
        jmp zero
skip:   addi r12, 56
        addi r13, -1
        jmp next
done:   ld64 rax, [rbx+0x18]
        call rax
        hlt
bad:    ud2`);

  it('finds the image through _binary_obj_p_test_start and runs the program it loaded', () => {
    const kernelModule = objectModule({
      path: 'k-loader.c',
      text: loader.bytes,
      symbols: [fn('kernel', 0, loader.bytes.length), undef('_binary_obj_p_test_start')],
      relocations: [reloc('text', loader.labels.get('img')! + 2, 'abs32', '_binary_obj_p_test_start')],
    });
    const kernel = link({ modules: [kernelModule], base: 0x40000, entry: 'kernel', embeds: [{ name: 'obj/p-test', bytes: program.elf }], limit: 0x7f000 });
    expect(kernel.diagnostics).toEqual([]);
    const m = run(kernel.image!.elf, (machine) => machine.memory.bytes.fill(0xff, 0x100000, 0x102000));
    const at = (name: string): number => program.symbols.get(name)!.address;
    expect(getReg(m, 'rax')).toBe(0x1234n);
    expect(m.memory.readBytes(at('result'), 8)).toEqual(new Uint8Array([0x34, 0x12, 0, 0, 0, 0, 0, 0]));
    expect(m.memory.readBytes(at('p-test.c::counter'), 8)).toEqual(new Uint8Array(8));
    expect(m.memory.readBytes(0x100000, prog.bytes.length)).toEqual(program.segments[0]!.bytes.subarray(0, prog.bytes.length));
  });
});
