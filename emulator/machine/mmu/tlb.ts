// A modelled TLB (Intel SDM Vol. 3A, 4.10 "Caching Translation Information").
//
// Direct-mapped, DEFAULT_TLB_SIZE entries by default, caching successful 4 KiB translations
// (a 2 MiB page is cached one 4 KiB piece at a time, which the SDM allows as
// long as invlpg and page faults drop every piece: see dropPage).
// Each entry keeps the rights combined over all four levels, so a hit needs
// no memory access at all; and that is exactly why a page-table change
// without `invlpg` or a CR3 load goes unnoticed, as on real hardware.
//
// To make staleness observable the TLB also remembers the physical address of
// every paging entry a translation used. A write to one of those addresses
// marks the translation "suspect"; the MMU re-walks a suspect entry on its
// next hit (without side effects) and counts it as a stale hit if the page
// tables now say something else. The stale translation is still used.

export const TLB_WRITE = 1;
export const TLB_USER = 2;
export const TLB_XD = 4;
export const TLB_DIRTY = 8;
export const TLB_GLOBAL = 16;
/** The translation is a 4 KiB piece of a 2 MiB page (SDM 4.10.2.3). */
export const TLB_LARGE = 32;

/** One cached translation, as the debugger lists it. */
export interface TlbEntry {
  /** Virtual page number (linear address >> 12, signed for high-half addresses). */
  readonly vpn: number;
  /** Physical address of the 4 KiB page. */
  readonly pa: number;
  readonly write: boolean;
  readonly user: boolean;
  readonly executeDisable: boolean;
  readonly dirty: boolean;
  readonly global: boolean;
  /** A 4 KiB piece of a 2 MiB page: invlpg or a fault anywhere in that page drops it. */
  readonly large: boolean;
  /** The paging entries (physical addresses, L1 first) the translation came from. */
  readonly entryAddresses: readonly number[];
  /** True if one of those entries was written since the fill. */
  readonly suspect: boolean;
}

export interface TlbCounters {
  hits: number;
  misses: number;
  /** Hits on an entry the page tables no longer agree with. */
  staleHits: number;
  flushes: number;
  invlpgs: number;
}

/**
 * Entries of a machine's TLB unless configured. Real x86-64 cores keep well
 * over a thousand 4 KiB translations (a 64-entry first-level data TLB backed
 * by a 1024-2048-entry second level, SDM Vol. 3A 4.10.3 leaves the sizes to
 * the implementation). A direct-mapped 64-entry model thrashed on WeensyOS's
 * own kernel: code page 0x41 and page-table page 0x1 share slot 1, so every
 * page-table walk memshow makes evicted the code it ran from (1.4 million
 * misses in a 300-tick run, 40 thousand with 256 entries). Staleness stays as
 * observable as before: a missing invlpg is caught by the suspect marks, not
 * by luck of eviction.
 */
export const DEFAULT_TLB_SIZE = 256;

/** Where a TLB keeps its entries (one element per slot). */
export interface TlbArrays {
  readonly valid: Uint8Array;
  readonly tag: Float64Array;
  readonly frame: Float64Array;
  readonly flags: Uint8Array;
  readonly suspect: Uint8Array;
}

export class Tlb {
  readonly size: number;
  private readonly mask: number;
  readonly valid: Uint8Array;
  readonly tag: Float64Array;
  readonly frame: Float64Array;
  readonly flags: Uint8Array;
  readonly suspect: Uint8Array;
  readonly entryAddrs: Float64Array;
  readonly counters: TlbCounters = { hits: 0, misses: 0, staleHits: 0, flushes: 0, invlpgs: 0 };
  /** Bumped whenever any entry is dropped or replaced, so derived caches (the fetch shortcut) know to re-check. */
  generation = 0;

  /** `arrays`: zeroed storage for the entries (the machine's WebAssembly memory lends it, for the JIT); default new arrays. */
  constructor(size = DEFAULT_TLB_SIZE, arrays?: TlbArrays) {
    if (size < 1 || (size & (size - 1)) !== 0) throw new RangeError(`TLB size ${size} must be a power of two`);
    this.size = size;
    this.mask = size - 1;
    this.valid = arrays?.valid ?? new Uint8Array(size);
    this.tag = arrays?.tag ?? new Float64Array(size);
    this.frame = arrays?.frame ?? new Float64Array(size);
    this.flags = arrays?.flags ?? new Uint8Array(size);
    this.suspect = arrays?.suspect ?? new Uint8Array(size);
    for (const a of [this.valid, this.tag, this.frame, this.flags, this.suspect]) if (a.length !== size) throw new RangeError('a TLB array must have the TLB size');
    this.entryAddrs = new Float64Array(size * 4);
  }

  slot(vpn: number): number {
    return vpn & this.mask;
  }

  /** The slot holding `vpn`, or -1. */
  find(vpn: number): number {
    const i = vpn & this.mask;
    return this.valid[i] && this.tag[i] === vpn ? i : -1;
  }

  fill(vpn: number, pa: number, flags: number, entryAddresses: readonly number[]): void {
    this.fillFromSteps(vpn, pa, flags, entryAddresses.map((entryAddress) => ({ entryAddress })));
  }

  /** As fill, with the paging entries' addresses read from a walk's steps (no array made per fill). */
  fillFromSteps(vpn: number, pa: number, flags: number, steps: readonly { readonly entryAddress: number }[]): void {
    const i = vpn & this.mask;
    this.valid[i] = 1;
    this.tag[i] = vpn;
    this.frame[i] = pa;
    this.flags[i] = flags;
    this.suspect[i] = 0;
    const n = steps.length;
    for (let k = 0; k < 4; k++) this.entryAddrs[i * 4 + k] = k < n ? steps[k]!.entryAddress : -1;
    this.generation++;
  }

  invalidateSlot(i: number): void {
    this.valid[i] = 0;
    this.generation++;
  }

  /** invlpg: drops the translation for one page, global or not. */
  invalidatePage(vpn: number): void {
    this.counters.invlpgs++;
    this.dropPage(vpn);
  }

  /**
   * Drops every translation for the page holding `vpn` (invlpg, or a page
   * fault on a cached translation). SDM Vol. 3A, 4.10.2.3: a processor that
   * caches a 2 MiB page as several 4 KiB entries must still have INVLPG and
   * page faults "invalidate all TLB entries corresponding to the translation
   * specified by the paging structures", so the other pieces of the same
   * 2 MiB page go too.
   */
  dropPage(vpn: number): void {
    const i = this.find(vpn);
    if (i >= 0) this.invalidateSlot(i);
    const region = Math.floor(vpn / 512);
    for (let k = 0; k < this.size; k++) {
      if (this.valid[k] && this.flags[k]! & TLB_LARGE && Math.floor(this.tag[k]! / 512) === region) this.invalidateSlot(k);
    }
  }

  /** A CR3 load: drops every entry except global ones (which survive only when CR4.PGE is set; fill decides). */
  flush(keepGlobal: boolean): void {
    this.counters.flushes++;
    for (let i = 0; i < this.size; i++) if (!(keepGlobal && this.flags[i]! & TLB_GLOBAL)) this.valid[i] = 0;
    this.generation++;
  }

  /** A paging entry at [pa, pa+size) was written: mark translations that used it. */
  markSuspect(pa: number, size: number): void {
    for (let i = 0; i < this.size; i++) {
      if (!this.valid[i]) continue;
      for (let k = 0; k < 4; k++) {
        const e = this.entryAddrs[i * 4 + k]!;
        if (e >= 0 && e + 8 > pa && e < pa + size) {
          this.suspect[i] = 1;
          this.generation++;
        }
      }
    }
  }

  entries(): TlbEntry[] {
    const out: TlbEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      if (!this.valid[i]) continue;
      const f = this.flags[i]!;
      const addrs: number[] = [];
      for (let k = 0; k < 4; k++) if (this.entryAddrs[i * 4 + k]! >= 0) addrs.push(this.entryAddrs[i * 4 + k]!);
      out.push({
        vpn: this.tag[i]!, pa: this.frame[i]!, write: !!(f & TLB_WRITE), user: !!(f & TLB_USER), executeDisable: !!(f & TLB_XD),
        dirty: !!(f & TLB_DIRTY), global: !!(f & TLB_GLOBAL), large: !!(f & TLB_LARGE), entryAddresses: addrs, suspect: !!this.suspect[i],
      });
    }
    return out.sort((x, y) => x.vpn - y.vpn);
  }
}
