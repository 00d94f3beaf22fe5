// Variables in registers: the code generator keeps scalar locals and
// parameters whose address is never taken in registers, and its debug
// records must say where, so that a debugger shows the right values. The
// program stops at __builtin_trap (#UD) inside a leaf function called from
// main; each variable's location is then read from the machine and compared
// with the value the C code gives it at that point.

import { describe, expect, it } from 'vitest';
import { buildHosted, runHosted } from '../../emulator/index';
import type { ImageDebugFunction, ImageDebugLocation } from '../../emulator/machine/image/image-debug-info';
import { readImage } from '../../emulator/machine/image/read-image';

const SOURCE = `
static long sum_to(long n, int step) {
  long total = 0;
  for (long i = 1; i <= n; i += step) total += i;
  __builtin_trap();
  return total;
}

int main(void) {
  int kept = 7;
  int *p = &kept;
  volatile int v = 3;
  struct { int a, b; } pair = {1, 2};
  long r = sum_to(10, 1);
  r += sum_to(r, 2);
  return (int)r + *p + v + pair.a;
}
`;

const host = { readFile: (): string | undefined => undefined };

function build(): NonNullable<ReturnType<typeof buildHosted>['image']> {
  const built = buildHosted([{ path: '/regs.c', text: SOURCE }], { host });
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.image!;
}

function fnNamed(image: ReturnType<typeof build>, name: string): ImageDebugFunction {
  const f = image.debug.units.flatMap((u) => u.functions).find((x) => x.name === name);
  expect(f, name).toBeDefined();
  return f!;
}

function location(f: ImageDebugFunction, name: string): ImageDebugLocation {
  const v = [...f.params, ...f.locals].find((x) => x.name === name);
  expect(v, `${f.name}: ${name}`).toBeDefined();
  return v!.location;
}

describe('variables in registers', () => {
  const image = build();

  it('gives scalars whose address is never taken a register location, and the others a frame slot', () => {
    const sum = fnNamed(image, 'sum_to');
    for (const name of ['n', 'step', 'total', 'i']) expect(location(sum, name).kind, name).toBe('register');
    const main = fnNamed(image, 'main');
    // kept has its address taken, v is volatile, pair is a struct: all stay in memory.
    for (const name of ['kept', 'v', 'pair']) expect(location(main, name).kind, name).toBe('frame');
    for (const name of ['p', 'r']) expect(location(main, name).kind, name).toBe('register');
  });

  it('describes registers that hold the variables’ values', () => {
    const run = runHosted(image, { maxInstructions: 1_000_000 });
    expect(run.stop.kind).toBe('fault');
    const regs = run.machine.cpu.regs;
    const reg = (n: number): bigint => (BigInt(regs[2 * n + 1]!) << 32n) | BigInt(regs[2 * n]! >>> 0);
    const sum = fnNamed(image, 'sum_to');
    const value = (name: string): bigint => {
      const loc = location(sum, name);
      if (loc.kind !== 'register') throw new Error(`${name} is not in a register`);
      return BigInt.asIntN(64, reg(loc.reg));
    };
    // The first call stops at the trap: sum_to(10, 1).
    expect(value('n')).toBe(10n);
    expect(value('step')).toBe(1n);
    expect(value('total')).toBe(55n);
    expect(value('i')).toBe(11n);
  });

  it('keeps register locations through the ELF file', () => {
    const { image: read, errors } = readImage(image.elf);
    expect(errors).toEqual([]);
    const f = read!.debug!.units.flatMap((u) => u.functions).find((x) => x.name === 'sum_to')!;
    expect(f.params.map((p) => p.location)).toEqual(fnNamed(image, 'sum_to').params.map((p) => p.location));
    expect(f.params[0]!.location).toMatchObject({ kind: 'register' });
  });
});
