import { PAGESIZE } from './constants';
import { R } from './int64';

/** Bits of `PhysicalMemory.watch`: why a write to a page must be reported. */
export const WATCH_CODE = 1;
export const WATCH_PAGING = 2;

/** Told when a watched physical page is written (decoded-code cache, TLB staleness tracking). */
export interface WriteWatcher {
  onWatchedWrite(pa: number, size: number, bits: number): void;
}

/**
 * Physical RAM: a flat little-endian byte array. Reads past the end of RAM
 * return all ones and writes there are dropped, as on a PC bus with nothing
 * behind the address; both are counted so the debugger can point them out.
 * The CGA console at 0xB8000 is plain RAM here, as FACTS.md requires.
 */
export class PhysicalMemory {
  readonly bytes: Uint8Array;
  readonly size: number;
  private readonly view: DataView;
  /** One byte a physical page: WATCH_* bits. Writes to a page with bits set are reported. */
  readonly watch: Uint8Array;
  /**
   * Bumped whenever a page gains a watch bit (use `addWatch`), so derived
   * caches that skip the watch check for unwatched pages (the JIT's fast
   * path) know to look again. Not state: nothing observable depends on it.
   */
  watchGen = 0;
  watcher: WriteWatcher | undefined;
  /** Accesses that hit no RAM (counted, not faulted: a PC does not fault either). */
  unbackedReads = 0;
  unbackedWrites = 0;

  /** `backing`: `size` zeroed bytes to hold RAM (the machine's WebAssembly memory lends them); default new ones. */
  constructor(size: number, backing?: Uint8Array) {
    if (size <= 0 || size % PAGESIZE !== 0) throw new RangeError(`physical memory size ${size} must be a positive multiple of ${PAGESIZE}`);
    if (backing && backing.length !== size) throw new RangeError('the backing store must have the memory size');
    this.size = size;
    this.bytes = backing ?? new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, size);
    this.watch = new Uint8Array(size / PAGESIZE);
  }

  /** Sets watch bits on physical page `ppn`. */
  addWatch(ppn: number, bits: number): void {
    const w = this.watch[ppn]!;
    if ((w & bits) !== bits) {
      this.watch[ppn] = w | bits;
      this.watchGen++;
    }
  }

  private inRange(pa: number, n: number): boolean {
    return pa >= 0 && pa + n <= this.size;
  }

  read8(pa: number): number {
    if (!this.inRange(pa, 1)) return this.unbacked(0xff);
    return this.bytes[pa]!;
  }
  read16(pa: number): number {
    if (!this.inRange(pa, 2)) return this.unbacked(0xffff);
    return this.view.getUint16(pa, true);
  }
  read32(pa: number): number {
    if (!this.inRange(pa, 4)) return this.unbacked(-1);
    return this.view.getInt32(pa, true);
  }
  /** Returns the low half; the high half is left in R.hi. */
  read64(pa: number): number {
    if (!this.inRange(pa, 8)) {
      R.hi = -1;
      return this.unbacked(-1);
    }
    R.hi = this.view.getInt32(pa + 4, true);
    return this.view.getInt32(pa, true);
  }

  write8(pa: number, v: number): void {
    if (!this.inRange(pa, 1)) return void this.unbackedWrites++;
    this.bytes[pa] = v;
    if (this.watch[pa >>> 12]) this.watcher?.onWatchedWrite(pa, 1, this.watch[pa >>> 12]!);
  }
  write16(pa: number, v: number): void {
    if (!this.inRange(pa, 2)) return void this.unbackedWrites++;
    this.view.setUint16(pa, v & 0xffff, true);
    if (this.watch[pa >>> 12]) this.watcher?.onWatchedWrite(pa, 2, this.watch[pa >>> 12]!);
  }
  write32(pa: number, v: number): void {
    if (!this.inRange(pa, 4)) return void this.unbackedWrites++;
    this.view.setInt32(pa, v, true);
    if (this.watch[pa >>> 12]) this.watcher?.onWatchedWrite(pa, 4, this.watch[pa >>> 12]!);
  }
  write64(pa: number, lo: number, hi: number): void {
    if (!this.inRange(pa, 8)) return void this.unbackedWrites++;
    this.view.setInt32(pa, lo, true);
    this.view.setInt32(pa + 4, hi, true);
    if (this.watch[pa >>> 12]) this.watcher?.onWatchedWrite(pa, 8, this.watch[pa >>> 12]!);
  }

  /** read64 for inspection: no counters touched. Returns lo, leaves hi in R.hi. */
  peek64(pa: number): number {
    if (!this.inRange(pa, 8)) {
      R.hi = -1;
      return -1;
    }
    R.hi = this.view.getInt32(pa + 4, true);
    return this.view.getInt32(pa, true);
  }

  /** Copies bytes in (loader, debugger writeMemory); reports watched pages like any write. */
  writeBytes(pa: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.write8(pa + i, data[i]!);
  }

  /** Copies bytes out without side effects; unbacked bytes read as 0xff. */
  readBytes(pa: number, length: number): Uint8Array {
    const out = new Uint8Array(length).fill(0xff);
    const start = Math.max(0, pa);
    const end = Math.min(this.size, pa + length);
    if (end > start) out.set(this.bytes.subarray(start, end), start - pa);
    return out;
  }

  private unbacked(v: number): number {
    this.unbackedReads++;
    return v;
  }
}
