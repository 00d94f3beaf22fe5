// Data breakpoints (write watchpoints) on physical byte ranges, exact to the
// instruction, built on what the machine already offers: PhysicalMemory
// reports writes to pages whose `watch` bits are set to its `watcher`, the
// JIT takes its slow path on such pages, and a machine's whole state can be
// saved and restored (snapshot.ts) and replays deterministically.
//
// A write is noticed in the middle of an instruction (or of a translated
// block), where the machine cannot stop. So while data breakpoints exist,
// every `run` starts from a snapshot; when a watched range is written, the
// run is finished, the machine is restored to the snapshot and replayed:
// at full speed up to the instruction count the write was noticed at (a
// lower bound: a translated block updates the count when it exits), then
// one instruction at a time until the write happens again. The session
// stops after the writing instruction, as hardware watchpoints do. Whatever
// the discarded run printed is taken back by the caller's `rollback`.
//
// The hardware's own updates of page-table entries (setting PTE_A or
// PTE_D with a one-byte write) are not stops: a data breakpoint on a PTE
// fires when software writes it.

import { PTE_A, PTE_D } from '../machine/constants';
import type { Machine, RunOptions, StopReason } from '../machine/machine';
import type { WriteWatcher } from '../machine/physical-memory';
import { restoreMachine, saveMachine } from '../machine/snapshot';

/** The watch bit of data breakpoints (the machine's own bits are 1 and 2; it ignores others). */
export const WATCH_DATA = 0x80;

export interface WatchRange {
  readonly pa: number;
  readonly size: number;
  /** The breakpoint this range belongs to. */
  readonly id: number;
}

export interface WatchHit {
  /** The write: physical address and size. */
  readonly pa: number;
  readonly size: number;
  /** The ranges it touched, with their bytes before and after. */
  readonly touched: readonly { readonly range: WatchRange; readonly before: Uint8Array; readonly after: Uint8Array }[];
}

export type WatchedStop = StopReason | { readonly kind: 'watch'; readonly hit: WatchHit };

/** How many single steps a replay may take to find the write again (a translated region's length is far less). */
const MAX_REPLAY_STEPS = 1_000_000;

export class DataWatch {
  private ranges: WatchRange[] = [];
  /** The bytes of every watched range as last seen. */
  private shadow = new Map<WatchRange, Uint8Array>();
  private armed = false;
  private noticed: { icount: number; hit: WatchHit } | undefined;
  private machine: Machine | undefined;

  get active(): boolean {
    return this.ranges.length > 0;
  }

  /** Starts watching writes to `m`'s memory (a new machine after a restart). */
  attach(m: Machine): void {
    this.machine = m;
    const inner: WriteWatcher | undefined = m.memory.watcher;
    m.memory.watcher = {
      onWatchedWrite: (pa, size, bits) => {
        inner?.onWatchedWrite(pa, size, bits & ~WATCH_DATA);
        if (bits & WATCH_DATA) this.onWrite(pa, size);
      },
    };
    this.applyBits();
    this.refresh();
  }

  /** Replaces the watched ranges. */
  set(ranges: readonly WatchRange[]): void {
    const m = this.machine;
    if (m) for (const r of this.ranges) for (const ppn of pages(r)) m.memory.watch[ppn]! &= ~WATCH_DATA;
    this.ranges = [...ranges];
    this.applyBits();
    this.refresh();
  }

  private applyBits(): void {
    const m = this.machine;
    if (!m) return;
    for (const r of this.ranges) for (const ppn of pages(r)) if (ppn < m.memory.watch.length) m.memory.addWatch(ppn, WATCH_DATA);
  }

  /** Takes the current bytes of every range as the "before" of the next write (memory may have been written while stopped). */
  refresh(): void {
    const m = this.machine;
    if (!m) return;
    this.shadow = new Map(this.ranges.map((r) => [r, m.memory.readBytes(r.pa, r.size)]));
  }

  private onWrite(pa: number, size: number): void {
    const m = this.machine;
    if (!this.armed || this.noticed || !m) return;
    const touched: { range: WatchRange; before: Uint8Array; after: Uint8Array }[] = [];
    for (const r of this.ranges) {
      if (pa + size <= r.pa || pa >= r.pa + r.size) continue;
      const before = this.shadow.get(r)!;
      const after = m.memory.readBytes(r.pa, r.size);
      if (size === 1 && pa % 8 === 0 && hardwareAccessedDirty(before, after, pa - r.pa)) {
        this.shadow.set(r, after);
        continue;
      }
      touched.push({ range: r, before, after });
    }
    if (touched.length === 0) return;
    this.noticed = { icount: m.icount, hit: { pa, size, touched } };
  }

  /**
   * `m.run(budget, options)`, stopping right after the first instruction
   * that writes a watched range ({kind: 'watch'}); `mark` and `rollback`
   * let the caller take back what a discarded run emitted.
   */
  run<T>(m: Machine, budget: number, options: RunOptions, mark: () => T, rollback: (mark: T) => void): WatchedStop {
    if (!this.active) return m.run(budget, options);
    this.noticed = undefined;
    this.armed = true;
    try {
      if (budget <= 1) {
        // One instruction: a write it makes is already complete.
        const r = m.run(budget, options);
        return this.seen() ? this.hitStop() : r;
      }
      const snapshot = saveMachine(m);
      const startRip = m.cpu.rip;
      const at = mark();
      const r = m.run(budget, options);
      const first = this.seen();
      if (!first) return r;
      const target = first.icount;
      restoreMachine(m, snapshot);
      this.applyBits();
      rollback(at);
      this.noticed = undefined;
      this.armed = false;
      const startIcount = m.icount;
      // The run may have resumed from a breakpoint at its start: the restored machine stops there once more.
      const again = (n: number): StopReason => {
        const r2 = m.run(n, options);
        if (r2.kind === 'breakpoint' && r2.rip === startRip && m.icount === startIcount) return m.run(n, options);
        return r2;
      };
      while (m.icount < target) {
        const r2 = again(target - m.icount);
        if (r2.kind !== 'budget') return r2;
      }
      this.armed = true;
      for (let i = 0; i < MAX_REPLAY_STEPS && !this.seen(); i++) {
        const step = again(1);
        if (step.kind !== 'budget' && !this.seen()) return step;
      }
      return this.seen() ? this.hitStop() : { kind: 'budget' };
    } finally {
      this.armed = false;
    }
  }

  /** What the watcher noticed (a method, so that TypeScript does not narrow it across runs). */
  private seen(): { icount: number; hit: WatchHit } | undefined {
    return this.noticed;
  }

  private hitStop(): WatchedStop {
    const hit = this.noticed!.hit;
    this.noticed = undefined;
    for (const t of hit.touched) this.shadow.set(t.range, t.after);
    return { kind: 'watch', hit };
  }
}

function pages(r: WatchRange): number[] {
  const out: number[] = [];
  for (let p = Math.floor(r.pa / 4096); p <= Math.floor((r.pa + r.size - 1) / 4096); p++) out.push(p);
  return out;
}

/** The MMU setting A and/or D in the low byte of an entry: nothing else changed. */
function hardwareAccessedDirty(before: Uint8Array, after: Uint8Array, offset: number): boolean {
  for (let i = 0; i < before.length; i++) {
    if (i === offset) {
      const changed = before[i]! ^ after[i]!;
      // The MMU writes only to set a bit it lacks: an unchanged byte is software's.
      if (changed === 0 || (changed & ~(PTE_A | PTE_D)) !== 0 || (after[i]! & changed) !== changed) return false;
    } else if (before[i] !== after[i]) {
      return false;
    }
  }
  return true;
}
