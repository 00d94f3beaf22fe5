// The WebAssembly writer (emulator/machine/jit/wasm-module.ts) on its own:
// LEB128 constants at their edges, locals, loads and stores with offsets,
// calls to imports, and branches by label through nested blocks, a loop and
// a br_table, checked by running the modules it writes.

import { describe, expect, it } from 'vitest';
import { encodeModule, I32, I64, W, WasmBody, type FuncType } from '../../emulator/machine/jit/wasm-module';

const RUN: FuncType = { params: [I32], results: [I32] };

function instantiate(body: WasmBody, imports: Record<string, unknown> = {}, importTypes: { name: string; type: FuncType }[] = []): { run: (x: number) => number; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const mod = new WebAssembly.Module(encodeModule(1, importTypes, RUN, body));
  const inst = new WebAssembly.Instance(mod, { env: { mem: memory, ...imports } });
  return { run: inst.exports.run as (x: number) => number, memory };
}

describe('wasm-module: the WebAssembly writer', () => {
  it('encodes i64 and i32 constants exactly at the LEB128 edges', () => {
    const i64s = [0n, 1n, -1n, 63n, 64n, -64n, -65n, 127n, 128n, 0x7fffffffn, 0x80000000n, -0x80000000n, 0xffffffffn, 1n << 53n, (1n << 63n) - 1n, -(1n << 63n)];
    const i32s = [0, 1, -1, 63, 64, -64, -65, 0x7fffffff, -0x80000000, 8191, -8192];
    const body = new WasmBody(1);
    i64s.forEach((c, i) => body.i32(0).i64(c).mem(W.i64Store, 3, 8 * i));
    i32s.forEach((c, i) => body.i32(0).i32(c).mem(W.i32Store, 2, 1024 + 4 * i));
    body.i32(0);
    const { run, memory } = instantiate(body);
    expect(run(0)).toBe(0);
    expect([...new BigInt64Array(memory.buffer, 0, i64s.length)]).toEqual(i64s);
    expect([...new Int32Array(memory.buffer, 1024, i32s.length)]).toEqual(i32s);
  });

  it('resolves branch depths by label through a loop, nested blocks and a br_table', () => {
    // sum = 0; for (i = x; i != 0; i--) sum += [10, 20, 30][i % 3] (br_table); return sum
    const f = new WasmBody(1);
    const sum = f.local(I32);
    const i = f.local(I32);
    const wide = f.local(I64); // a local of another type between runs of I32
    const j = f.local(I32);
    f.get(0).set(i);
    const done = f.begin(W.block);
    const loop = f.begin(W.loop);
    f.get(i).op(W.i32Eqz).brIf(done);
    const after = f.begin(W.block);
    const c2 = f.begin(W.block);
    const c1 = f.begin(W.block);
    const c0 = f.begin(W.block);
    f.get(i).i32(3).op(W.i32RemU).brTable([c0, c1, c2], c2);
    f.end(c0);
    f.get(sum).i32(10).op(W.i32Add).set(sum).br(after);
    f.end(c1);
    f.get(sum).i32(20).op(W.i32Add).set(sum).br(after);
    f.end(c2);
    f.get(sum).i32(30).op(W.i32Add).set(sum);
    f.end(after);
    f.get(i).i32(1).op(W.i32Sub).set(i);
    f.i64(5n).set(wide);
    f.get(wide).op(W.i32WrapI64).set(j);
    f.br(loop);
    f.end(loop);
    f.end(done);
    f.get(sum).get(j).op(W.i32Add);
    const { run } = instantiate(f);
    const expected = (x: number): number => {
      let s = 0;
      for (let k = x; k !== 0; k--) s += [10, 20, 30][k % 3]!;
      return s + (x > 0 ? 5 : 0);
    };
    for (const x of [0, 1, 2, 3, 7, 100]) expect(run(x)).toBe(expected(x));
  });

  it('calls imports by index and passes their results on', () => {
    const f = new WasmBody(1);
    f.get(0).call(0).i32(1).call(1).op(W.i32Add);
    const { run } = instantiate(f, { twice: (x: number) => 2 * x, plus: (x: number) => x + 100 }, [
      { name: 'twice', type: { params: [I32], results: [I32] } },
      { name: 'plus', type: { params: [I32], results: [I32] } },
    ]);
    expect(run(21)).toBe(42 + 101);
  });

  it('refuses a branch to a closed label and a body left open', () => {
    const f = new WasmBody(0);
    const b = f.begin(W.block);
    f.end(b);
    expect(() => f.br(b)).toThrow(/not open/);
    const g = new WasmBody(0);
    g.begin(W.block);
    expect(() => g.encode()).toThrow(/still open/);
    const h = new WasmBody(0);
    const outer = h.begin(W.block);
    h.begin(W.block);
    expect(() => h.end(outer)).toThrow(/out of order/);
  });
});

describe('JIT: a WebAssembly module the engine refuses', () => {
  it('leaves the machine on JavaScript regions with the same results', async () => {
    const { Machine } = await import('../../emulator/machine/machine');
    const { assemble } = await import('../../emulator/machine/isa/assembler');
    const program = assemble(`
      movi rax, 0
      movi rcx, 1000
    loop:
      add rax, rcx
      addi rcx, -1
      bnz rcx, loop
      hlt
    `);
    // Another memory size each time: modules are cached by layout, and this one must be compiled anew.
    const run = (memorySize: number): { m: InstanceType<typeof Machine> } => {
      const m = new Machine({ memorySize, jit: true, jitThreshold: 1, jitBackend: 'wasm' });
      m.memory.writeBytes(0, program.bytes);
      m.run(100_000);
      return { m };
    };
    const good = run(0x10000).m;
    const real = WebAssembly.Module;
    let refused = 0;
    (WebAssembly as { Module: unknown }).Module = function (): never {
      refused++;
      throw new Error('refused for the test');
    };
    let bad;
    try {
      bad = run(0x13000).m;
    } finally {
      (WebAssembly as { Module: unknown }).Module = real;
    }
    expect(refused).toBeGreaterThan(0);
    expect(bad.jit!.ctx.wasmFailed).toBe('refused for the test');
    expect(bad.jit!.retired).toBeGreaterThan(1000); // JavaScript regions ran it
    expect(bad.status).toBe('halted');
    expect([...bad.cpu.regs]).toEqual([...good.cpu.regs]);
    expect(bad.icount).toBe(good.icount);
    expect(good.jit!.ctx.wasmFailed).toBeUndefined();
  });

  it('a machine whose WebAssembly memory cannot be made runs JavaScript regions', async () => {
    const { Machine } = await import('../../emulator/machine/machine');
    const real = WebAssembly.Memory;
    (WebAssembly as { Memory: unknown }).Memory = function (): never {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    };
    let m;
    try {
      m = new Machine({ memorySize: 0x10000, jit: true, jitBackend: 'wasm' });
    } finally {
      (WebAssembly as { Memory: unknown }).Memory = real;
    }
    expect(m.jit!.ctx.wasm).toBeUndefined();
    const { assemble } = await import('../../emulator/machine/isa/assembler');
    m.memory.writeBytes(0, assemble('movi rcx, 1000\nloop:\naddi rcx, -1\nbnz rcx, loop\nhlt').bytes);
    m.run(100_000);
    expect(m.status).toBe('halted');
    expect(m.jit!.retired).toBeGreaterThan(1000);
  });
});
