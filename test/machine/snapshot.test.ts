// The machine's state as data: save/restore round trips, determinism of
// replays fed the same key events, and a hash that does tell states apart.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../emulator/machine/machine';
import { hashMachine, restoreMachine, saveMachine } from '../../emulator/machine/snapshot';
import { getReg, machineWith, read64, setReg } from './helpers';
import { KSTACK_PAGE, REC_PICMASK, UDATA, weensyWorld } from './weensy-env';

const TICK = 37;

/**
 * A process with port I/O (IOPL 3) that mixes a running value, makes a system
 * call every 64 iterations, takes timer interrupts, and polls the keyboard;
 * each key is folded into the mix and logged at UDATA with the poll count.
 */
const PROGRAM = `
  start:  movi r12, ${UDATA}
          movi rbx, 0x12345
          movi r13, 0
  again:  addi r13, 1
          muli rbx, 1103515245
          addi rbx, 12345
          movi rdx, 0x64
          in8 rax, rdx
          bz rax, nokey
          movi rdx, 0x60
          in8 rax, rdx
          xor rbx, rax
          st64 [r12], rax
          st64 [r12+8], r13
          addi r12, 16
  nokey:  mov rcx, r13
          andi rcx, 63
          bnz rcx, again
          int 48
          jmp again
`;

function world() {
  const w = weensyWorld({ instructionsPerTick: TICK, user: PROGRAM });
  w.setRec(REC_PICMASK, 0xfe);
  w.startBoot(0x3202);
  return w;
}

describe('saveMachine / restoreMachine', () => {
  it('restoring a snapshot reproduces the hash, and the same future', () => {
    const { m } = world();
    m.run(3000);
    const snap = saveMachine(m);
    const h0 = hashMachine(m);
    m.run(5000);
    const h1 = hashMachine(m);
    expect(h1).not.toBe(h0);
    restoreMachine(m, snap);
    expect(hashMachine(m)).toBe(h0);
    m.run(5000);
    expect(hashMachine(m)).toBe(h1);
    // Into a machine that never ran: same state, same future.
    const fresh = new Machine({ instructionsPerTick: TICK });
    restoreMachine(fresh, snap);
    expect(hashMachine(fresh)).toBe(h0);
    fresh.run(5000);
    expect(hashMachine(fresh)).toBe(h1);
    expect([fresh.cpu.rip, fresh.icount, fresh.userIcount]).toEqual([m.cpu.rip, m.icount, m.userIcount]);
  });

  it('a snapshot is a copy: running on does not change it', () => {
    const { m } = world();
    m.run(1000);
    const snap = saveMachine(m);
    const h0 = hashMachine(m);
    m.run(4000);
    m.devices.pressKey(0x41, m.icount);
    m.run(100);
    const fresh = new Machine({ instructionsPerTick: TICK });
    restoreMachine(fresh, snap);
    expect(hashMachine(fresh)).toBe(h0);
    expect(snap.devices.keys).toEqual([]);
  });

  it('restore drops decoded instructions: the snapshot\'s code runs, not the cached one', () => {
    // hlt in user mode is a #GP, so the handler halts with the user's rbx in the frame.
    const a = weensyWorld({ user: 'start: movi rbx, 1\nhlt\n' });
    a.startUser();
    expect(a.m.run(100).kind).toBe('halt');
    expect(a.frame('rbx')).toBe(1n);
    const b = weensyWorld({ user: 'start: movi rbx, 2\nhlt\n' });
    b.startUser();
    restoreMachine(a.m, saveMachine(b.m));
    expect(a.m.run(100).kind).toBe('halt');
    expect(a.frame('rbx')).toBe(2n);
  });

  it('TLB counters do not depend on derived caches: a restored run counts what the original counted', () => {
    // Machine.fetch's fast path (the cached code page) serves fetches without
    // mmu.translate; unless it counts them as TLB hits, a restored machine,
    // which starts without that shortcut, counts more hits than the original.
    const { m } = world();
    m.run(3000);
    const snap = saveMachine(m);
    m.run(5000);
    const fresh = new Machine({ instructionsPerTick: TICK });
    restoreMachine(fresh, snap);
    fresh.run(5000);
    expect(fresh.mmu.tlb.counters).toEqual(m.mmu.tlb.counters);
    expect(hashMachine(fresh)).toBe(hashMachine(m));
  });

  it('refuses a snapshot of a machine with a different memory size or TLB', () => {
    const snap = saveMachine(new Machine());
    expect(() => restoreMachine(new Machine({ memorySize: 0x100000 }), snap)).toThrow(RangeError);
    expect(() => restoreMachine(new Machine({ tlbSize: 32 }), snap)).toThrow(RangeError);
  });

  it('keeps a fault stopped on: the restored machine delivers it, as the original does', () => {
    const make = () => {
      const w = weensyWorld({ user: 'start: movi r8, 0x300000\nbad: ld64 rax, [r8]\n' });
      w.startUser();
      return w;
    };
    const w = make();
    const always = (): boolean => true;
    const stop = w.m.run(100, { stopOnFault: always });
    expect(stop.kind).toBe('fault');
    const snap = saveMachine(w.m);
    const fresh = make();
    restoreMachine(fresh.m, snap);
    expect(hashMachine(fresh.m)).toBe(hashMachine(w.m));
    expect(w.m.run(100, { stopOnFault: always }).kind).toBe('halt');
    expect(fresh.m.run(100, { stopOnFault: always }).kind).toBe('halt');
    expect(hashMachine(fresh.m)).toBe(hashMachine(w.m));
    expect(fresh.frame('rip')).toBe(BigInt(fresh.u('bad')));
    expect(fresh.m.lastFault?.vector).toBe(14);
  });

  it('keeps the shutdown diagnosis', () => {
    const w = weensyWorld({ user: 'start: int 48\n' });
    w.ppt.map(KSTACK_PAGE, 0, 0);
    w.startUser();
    const stop = w.m.run(100);
    expect(stop.kind).toBe('shutdown');
    const fresh = new Machine();
    restoreMachine(fresh, saveMachine(w.m));
    const again = fresh.run(100);
    expect(again.kind).toBe('shutdown');
    expect(again.kind === 'shutdown' && again.diagnosis).toEqual(stop.kind === 'shutdown' && stop.diagnosis);
    expect(again.kind === 'shutdown' && again.diagnosis?.text).toContain('0x7fff8');
  });
});

describe('determinism and the hash', () => {
  /** Restores `snap` into a new machine, queues `keys` (stamps relative to the snapshot) and runs `n` instructions. */
  const replay = (snap: ReturnType<typeof saveMachine>, keys: [number, number][], n: number) => {
    const m = new Machine({ instructionsPerTick: TICK });
    restoreMachine(m, snap);
    for (const [key, after] of keys) m.devices.pressKey(key, snap.icount + after);
    expect(m.run(n).kind).toBe('budget');
    return m;
  };

  it('two machines from one snapshot fed the same keys end in the same state', () => {
    const { m } = world();
    m.run(2000);
    const snap = saveMachine(m);
    const keys: [number, number][] = [[0x61, 300], [0x66, 1200], [0x71, 1201]];
    const a = replay(snap, keys, 6000);
    const b = replay(snap, keys, 6000);
    expect(hashMachine(a)).toBe(hashMachine(b));
    expect([a.cpu.rip, a.icount, getReg(a, 'rbx')]).toEqual([b.cpu.rip, b.icount, getReg(b, 'rbx')]);
    // The keys did arrive, and the timer and system calls ran meanwhile.
    expect([0, 16, 32].map((o) => read64(a, UDATA + o))).toEqual([0x61n, 0x66n, 0x71n]);
    expect(a.userIcount - snap.userIcount).toBeGreaterThan(6000 / 2);
    expect(a.nextTick).toBeGreaterThan(snap.nextTick + 10 * TICK);
  });

  it('a key stamped later gives a different state and a different hash', () => {
    const { m } = world();
    m.run(2000);
    const snap = saveMachine(m);
    const a = replay(snap, [[0x61, 300]], 6000);
    const b = replay(snap, [[0x61, 400]], 6000);
    // The key was read on a later poll, so the log and the mixed value differ ...
    expect(read64(a, UDATA + 8)).toBeLessThan(read64(b, UDATA + 8));
    expect(getReg(a, 'rbx')).not.toBe(getReg(b, 'rbx'));
    // ... and the hash says so.
    expect(hashMachine(a)).not.toBe(hashMachine(b));
    const c = replay(snap, [[0x62, 300]], 6000);
    expect(hashMachine(c)).not.toBe(hashMachine(a));
  });

  it('the hash notices one register bit, one RAM byte, a queued key and the instruction count', () => {
    const { m } = world();
    m.run(500);
    const base = hashMachine(m);
    const snap = saveMachine(m);
    const pokes: ((x: Machine) => void)[] = [
      (x) => setReg(x, 'r15', getReg(x, 'r15') ^ (1n << 40n)),
      (x) => x.memory.write8(0x1ff000, x.memory.read8(0x1ff000) ^ 1),
      (x) => x.devices.pressKey(0x20, 1_000_000),
      (x) => (x.icount += 1),
      (x) => (x.cpu.cr2 = 0x1000),
    ];
    const hashes = pokes.map((poke) => {
      restoreMachine(m, snap);
      poke(m);
      return hashMachine(m);
    });
    expect(hashes).not.toContain(base);
    expect(new Set(hashes).size).toBe(pokes.length);
    restoreMachine(m, snap);
    expect(hashMachine(m)).toBe(base);
  });
});

describe('paging off: no TLB, so no TLB counters move', () => {
  it('a restored machine continues exactly as the original (the fetch shortcut is derived state)', () => {
    const src = `
      .org 0x1000
      start:  movi rcx, 0
      loop:   addi rcx, 1
              st64 [rsp-8], rcx
              blti rcx, 100, loop
              hlt
    `;
    const { m } = machineWith(src);
    m.cpu.regs[8] = 0x8000; // rsp
    m.run(37);
    const snap = saveMachine(m);
    const copy = new Machine();
    restoreMachine(copy, snap);
    const a = m.run(1000);
    const b = copy.run(1000);
    expect(b).toEqual(a);
    expect(m.mmu.tlb.counters).toEqual({ hits: 0, misses: 0, staleHits: 0, flushes: 0, invlpgs: 0 });
    expect(hashMachine(copy)).toBe(hashMachine(m));
  });
});
