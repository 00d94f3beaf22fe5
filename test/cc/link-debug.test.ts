// The linker turns each module's section-relative line table and debug
// records into absolute ones, and the ELF file carries them so that
// readImage gives the debugger back exactly what the linker produced.

import { describe, expect, it } from 'vitest';
import { link } from '../../emulator/cc/link/link';
import type { ModuleDebugInfo } from '../../emulator/cc/object';
import { readImage } from '../../emulator/machine/image/read-image';
import { writeImage } from '../../emulator/machine/image/write-image';
import { fn, lineRange, obj, objectModule } from './object-module-builder';

/** Debug records of a module with one function `name` at .text 0..8 and a static `count`. */
function debugFor(path: string, name: string): ModuleDebugInfo {
  return {
    types: [{ kind: 'int', name: 'int', size: 4, signed: true }, { kind: 'function', returns: 0, params: [0], variadic: false }],
    functions: [
      {
        name,
        linkName: name,
        start: 0,
        end: 8,
        type: 1,
        range: lineRange(path, 10),
        frameSize: 16,
        params: [{ name: 'n', type: 0, location: { kind: 'frame', rbpOffset: -4 }, range: lineRange(path, 10, 12), scopeStart: 0, scopeEnd: 8 }],
        locals: [{ name: 'calls', type: 0, location: { kind: 'static', symbol: `calls.${name}` }, range: lineRange(path, 11), scopeStart: 2, scopeEnd: 6 }],
      },
    ],
    globals: [
      { name: 'count', type: 0, location: { kind: 'static', symbol: 'count' }, range: lineRange(path, 2) },
      { name: 'shared', type: 0, location: { kind: 'static', symbol: 'shared' }, range: lineRange(path, 3) },
      { name: 'elsewhere', type: 0, location: { kind: 'static', symbol: 'nowhere' }, range: lineRange(path, 4) },
    ],
    typedefs: [{ name: 'counter_t', type: 0 }],
  };
}

function module(path: string, name: string, extra: ReturnType<typeof obj>[] = []) {
  return objectModule({
    path,
    text: new Uint8Array(8).fill(0x01),
    bssSize: 8,
    align: { text: 16, bss: 4 },
    symbols: [fn(name, 0, 8), obj('count', 'bss', 0, 4, 'local'), obj(`calls.${name}`, 'bss', 4, 4, 'local'), ...extra],
    lines: [
      { offset: 0, range: lineRange(path, 10), isStatement: true },
      { offset: 2, range: lineRange(path, 11), isStatement: true },
      { offset: 5, range: lineRange(path, 11, 9), isStatement: false },
    ],
    debug: debugFor(path, name),
  });
}

const a = module('a.c', 'start', [obj('shared', 'bss', 0, 4)]);
const b = module('b.c', 'helper');
const { image, diagnostics } = link({ modules: [a, b], base: 0x40000, entry: 'start' });

describe('linked debug information', () => {
  it('links without diagnostics, although a debug record names an undefined symbol', () => {
    expect(diagnostics).toEqual([]);
  });

  it('makes line rows absolute and sorts them by address', () => {
    expect(image!.lines.map((r) => [r.address, r.range.start.file, r.range.start.line, r.isStatement])).toEqual([
      [0x40000, 'a.c', 10, true],
      [0x40002, 'a.c', 11, true],
      [0x40005, 'a.c', 11, false],
      [0x40010, 'b.c', 10, true],
      [0x40012, 'b.c', 11, true],
      [0x40015, 'b.c', 11, false],
    ]);
  });

  it('makes function bounds and variable scopes absolute', () => {
    const helper = image!.debug.units[1]!.functions[0]!;
    expect([helper.start, helper.end]).toEqual([0x40010, 0x40018]);
    expect(helper.params[0]).toMatchObject({ location: { kind: 'frame', rbpOffset: -4 }, scopeStart: 0x40010, scopeEnd: 0x40018 });
    expect(helper.locals[0]).toMatchObject({ scopeStart: 0x40012, scopeEnd: 0x40016 });
  });

  it('resolves each static location as its own module sees the name', () => {
    const [ua, ub] = image!.debug.units;
    const sym = (key: string): number => image!.symbols.get(key)!.address;
    expect(ua!.globals[0]!.location).toEqual({ kind: 'static', symbol: 'count', address: sym('a.c::count') });
    expect(ub!.globals[0]!.location).toEqual({ kind: 'static', symbol: 'count', address: sym('b.c::count') });
    expect(sym('a.c::count')).not.toBe(sym('b.c::count'));
    expect(ub!.globals[1]!.location).toEqual({ kind: 'static', symbol: 'shared', address: sym('shared') });
    expect(ub!.functions[0]!.locals[0]!.location).toEqual({ kind: 'static', symbol: 'calls.helper', address: sym('calls.helper') });
    expect(ua!.globals[2]!.location).toEqual({ kind: 'static', symbol: 'nowhere', address: null });
  });

  it('keeps each unit’s types and typedefs as the compiler wrote them', () => {
    expect(image!.debug.units.map((u) => u.path)).toEqual(['a.c', 'b.c']);
    expect(image!.debug.units[0]!.types).toEqual(a.debug.types);
    expect(image!.debug.units[1]!.typedefs).toEqual([{ name: 'counter_t', type: 0 }]);
  });
});

describe('the linked ELF file', () => {
  it('reads back as the image the linker returned', () => {
    const { image: read, errors } = readImage(image!.elf);
    expect(errors).toEqual([]);
    const { elf: _elf, ...linked } = image!;
    expect(read).toEqual(linked);
  });

  it('writes the same bytes again from what was read', () => {
    const { image: read } = readImage(image!.elf);
    expect(writeImage(read!)).toEqual(image!.elf);
  });
});
