// A small program image built by hand, as the linker would produce it for a
// process at 0x100000: 5 bytes of code and read-only data, 3 bytes of data
// and 0x15 bytes of bss at 0x101000, symbols from two modules (with the same
// static name in each), a line table and one debug unit.

import type { ImageDebugInfo, ImageLineRow, ImageSourceRange } from '../../emulator/machine/image/image-debug-info';
import { elfSymbolOrder, symbolMap, type ImageSymbol, type ProgramImage } from '../../emulator/machine/image/program-image';

export const range = (file: string, line: number): ImageSourceRange => ({ start: { file, line, column: 2, offset: line * 40 }, end: { file, line, column: 9, offset: line * 40 + 7 } });

export function sampleImage(): ProgramImage {
  const symbols: ImageSymbol[] = [
    { name: 'process_main', address: 0x100000, size: 3, kind: 'function', binding: 'global', module: 'p.c', section: 'text' },
    { name: 'seed', address: 0x101003, size: 4, kind: 'object', binding: 'local', module: 'p.c', section: 'bss' },
    { name: 'msg', address: 0x100003, size: 2, kind: 'object', binding: 'global', module: 'lib.c', section: 'rodata' },
    { name: 'seed', address: 0x101008, size: 8, kind: 'object', binding: 'local', module: 'lib.c', section: 'bss' },
    { name: 'table', address: 0x101000, size: 3, kind: 'object', binding: 'global', module: 'lib.c', section: 'data' },
    { name: 'end', address: 0x101018, size: 0, kind: 'notype', binding: 'global', module: null, section: 'bss' },
    { name: 'console', address: 0xb8000, size: 0, kind: 'notype', binding: 'global', module: null, section: 'absolute' },
  ];
  const lines: ImageLineRow[] = [
    { address: 0x100000, range: range('p.c', 4), isStatement: true },
    { address: 0x100001, range: range('p.c', 4), isStatement: false },
    { address: 0x100002, range: range('<built-in>/lib.h', 9), isStatement: true },
  ];
  const debug: ImageDebugInfo = {
    units: [
      {
        path: 'p.c',
        types: [
          { kind: 'void' },
          { kind: 'int', name: 'int', size: 4, signed: true },
          { kind: 'function', returns: 0, params: [], variadic: false },
          { kind: 'struct', name: 'pair', size: 8, align: 4, complete: true, fields: [{ name: 'a', type: 1, offset: 0 }, { name: 'b', type: 1, offset: 4, bitWidth: 3, bitOffset: 0 }] },
        ],
        functions: [
          {
            name: 'process_main',
            linkName: 'process_main',
            start: 0x100000,
            end: 0x100003,
            type: 2,
            range: range('p.c', 3),
            frameSize: 16,
            params: [],
            locals: [{ name: 'x', type: 1, location: { kind: 'frame', rbpOffset: -4 }, range: range('p.c', 4), scopeStart: 0x100001, scopeEnd: 0x100003 }],
          },
        ],
        globals: [
          { name: 'seed', type: 1, location: { kind: 'static', symbol: 'seed', address: 0x101003 }, range: range('p.c', 1) },
          { name: 'ghost', type: 1, location: { kind: 'static', symbol: 'ghost', address: null }, range: range('p.c', 2) },
        ],
        typedefs: [{ name: 'pair_t', type: 3 }],
      },
    ],
  };
  const symbolList = elfSymbolOrder(symbols);
  return {
    entry: 0x100000,
    segments: [
      { va: 0x100000, pa: 0x100000, fileSize: 5, memSize: 5, flags: 5, bytes: new Uint8Array([0x01, 0x01, 0x02, 0x68, 0x69]) },
      { va: 0x101000, pa: 0x101000, fileSize: 3, memSize: 0x18, flags: 6, bytes: new Uint8Array([7, 8, 9]) },
    ],
    sections: [
      { name: 'text', va: 0x100000, size: 3 },
      { name: 'rodata', va: 0x100003, size: 2 },
      { name: 'data', va: 0x101000, size: 3 },
      { name: 'bss', va: 0x101003, size: 0x15 },
    ],
    symbolList,
    symbols: symbolMap(symbolList),
    lines,
    debug,
  };
}
