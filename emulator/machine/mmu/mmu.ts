// The paging unit with its side effects: the one place where a walk's result
// becomes A/D bits, a TLB fill or a page fault (Intel SDM Vol. 3A, 4.8, 4.10).
// The walk itself (walk.ts) stays pure so that debuggers can use it freely.

import { CR4_PGE, CR4_SMEP, PFERR_PRESENT, PFERR_USER, PFERR_WRITE, PTE_A, PTE_D, INT_GPF, INT_PAGEFAULT, INT_STACK, CR0_WP } from '../constants';
import { CpuFault } from '../fault';
import { PhysicalMemory, WATCH_PAGING } from '../physical-memory';
import type { Access, PagingRegisters } from './access';
import { DEFAULT_TLB_SIZE, Tlb, TLB_DIRTY, TLB_GLOBAL, TLB_LARGE, TLB_USER, TLB_WRITE, TLB_XD, type TlbArrays } from './tlb';
import { fetchBit, isCanonical, walk, type WalkResult } from './walk';
import { describeWalkFailure } from './describe';

const TWO32 = 4294967296;

/** The last hit on a stale TLB entry, kept for the debugger. */
export interface StaleUse {
  readonly va: number;
  readonly cachedPa: number;
  readonly walk: WalkResult;
}

export class Mmu {
  readonly tlb: Tlb;
  lastStaleUse: StaleUse | undefined;
  private readonly read64: (pa: number) => number;

  constructor(
    readonly memory: PhysicalMemory,
    /** Live view of the control registers (the CPU's own object). */
    readonly regs: PagingRegisters,
    tlbSize = DEFAULT_TLB_SIZE,
    tlbArrays?: TlbArrays,
  ) {
    this.tlb = new Tlb(tlbSize, tlbArrays);
    this.read64 = (pa) => memory.peek64(pa);
  }

  /**
   * Translates for an access the CPU makes; returns the physical address or
   * throws the fault. `stack` selects #SS instead of #GP for a non-canonical
   * stack access (SDM 6.15, interrupt 12).
   */
  translate(lo: number, hi: number, access: Access, stack = false): number {
    const top = hi >> 15;
    if (top !== 0 && top !== -1) {
      const va = hi * TWO32 + (lo >>> 0);
      throw new CpuFault(stack ? INT_STACK : INT_GPF, 0, `non-canonical address 0x${BigInt.asUintN(64, BigInt(va)).toString(16)}`, va, undefined, access);
    }
    const vpn = hi * 1048576 + (lo >>> 12);
    const tlb = this.tlb;
    const i = vpn & (tlb.size - 1);
    if (tlb.valid[i] && tlb.tag[i] === vpn) {
      const f = tlb.flags[i]!;
      const kind = access.kind;
      let denied = access.user && !(f & TLB_USER);
      if (!denied && kind === 'write' && !(f & TLB_WRITE) && (access.user || this.regs.cr0 & CR0_WP)) denied = true;
      if (!denied && kind === 'fetch' && f & TLB_XD) denied = true;
      // SMEP is checked against the cached U right on every fetch, like W and XD
      // (SDM 4.6.1, 4.10.2.2): a user page cached by a user access must not
      // become executable for the kernel just because the translation is in the TLB.
      if (!denied && kind === 'fetch' && !access.user && f & TLB_USER && this.regs.cr4 & CR4_SMEP) denied = true;
      if (denied) {
        // A fault on a cached translation drops it (SDM 4.10.4.1), so a retry re-walks;
        // for a piece of a 2 MiB page, every piece of that page goes (SDM 4.10.2.3).
        tlb.dropPage(vpn);
        throw this.pageFaultFromTlb(lo, hi, access);
      }
      if (tlb.suspect[i]) this.checkStale(i, lo, hi, access);
      if (kind === 'write' && !(f & TLB_DIRTY)) return this.miss(lo, hi, access); // the walk sets D
      tlb.counters.hits++;
      return tlb.frame[i]! + (lo & 0xfff);
    }
    return this.miss(lo, hi, access);
  }

  /** Translation without side effects, for debuggers: no A/D bits, no TLB, no fault. */
  probe(lo: number, hi: number, access: Access, regs: PagingRegisters = this.regs): WalkResult | undefined {
    if (!isCanonical(lo, hi)) return undefined;
    return walk(this.read64, regs, lo, hi, access);
  }

  /** A CR3 load. */
  flush(): void {
    this.tlb.flush((this.regs.cr4 & CR4_PGE) !== 0);
  }

  private miss(lo: number, hi: number, access: Access): number {
    const result = walk(this.read64, this.regs, lo, hi, access);
    // With paging off there is no TLB to miss: counting here would make the
    // counters depend on derived caches (the fetch shortcut), which a restored
    // machine does not have.
    if (result.steps.length > 0) this.tlb.counters.misses++;
    this.applySideEffects(result);
    if (!result.ok) throw pageFault(result);
    if (result.steps.length > 0) {
      const vpn = hi * 1048576 + (lo >>> 12);
      const flags =
        (result.write ? TLB_WRITE : 0) | (result.user ? TLB_USER : 0) | (result.executeDisable ? TLB_XD : 0) |
        (access.kind === 'write' || (result.steps[result.steps.length - 1]!.entryLo & PTE_D) ? TLB_DIRTY : 0) |
        (result.global ? TLB_GLOBAL : 0) | (result.pageSize > 4096 ? TLB_LARGE : 0);
      const pagePa = result.pa - (lo & 0xfff);
      this.tlb.fillFromSteps(vpn, pagePa, flags, result.steps);
    }
    return result.pa;
  }

  /**
   * A is set in every entry the walk used (present, no reserved bit), even if
   * the access then fails its rights check; D is set in the leaf of a
   * successful write (SDM 4.8). Entries are marked watched so that later
   * writes to them can flag stale TLB entries.
   */
  private applySideEffects(result: WalkResult): void {
    const mem = this.memory;
    for (const step of result.steps) {
      if (step.decision === 'not-present' || step.decision === 'reserved-bit') break;
      mem.addWatch(Math.floor(step.entryAddress / 4096), WATCH_PAGING);
      let set = PTE_A;
      if (result.ok && result.access.kind === 'write' && (step.decision === 'page' || step.decision === 'large-page')) set |= PTE_D;
      if ((step.entryLo & set) !== set) mem.write8(step.entryAddress, (step.entryLo | set) & 0xff);
    }
  }

  /**
   * The fault for an access the cached translation denies. The error code
   * describes the translation the CPU used, the TLB entry: it was present, so
   * P is set (SDM 4.7), and I/D is set for a fetch when NXE or SMEP is on,
   * whatever the page tables say now. The current walk explains the fault to
   * the student; when it disagrees with the TLB, the fault is marked stale.
   */
  private pageFaultFromTlb(lo: number, hi: number, access: Access): CpuFault {
    const result = walk(this.read64, this.regs, lo, hi, access);
    const code = PFERR_PRESENT | (access.kind === 'write' ? PFERR_WRITE : 0) | (access.user ? PFERR_USER : 0) | fetchBit(access, this.regs);
    if (!result.ok && result.errorCode === code) return pageFault(result);
    const now = result.ok ? 'the page tables now allow it' : `the page tables now say: ${describeWalkFailure(result)}`;
    const who = `${access.user ? 'user' : 'kernel'} ${access.kind === 'fetch' ? 'instruction fetch' : access.kind}`;
    return new CpuFault(
      INT_PAGEFAULT, code,
      `${who} at 0x${BigInt.asUintN(64, BigInt(result.va)).toString(16)} denied by a stale TLB entry (${now}; a missing invlpg?)`,
      result.va, result, access, undefined, true,
    );
  }

  private checkStale(i: number, lo: number, hi: number, access: Access): void {
    const tlb = this.tlb;
    const now = walk(this.read64, this.regs, lo, hi, access);
    const cachedPa = tlb.frame[i]!;
    const f = tlb.flags[i]!;
    const same = now.ok && now.pa - (lo & 0xfff) === cachedPa && now.write === !!(f & TLB_WRITE) && now.user === !!(f & TLB_USER);
    if (same) {
      tlb.suspect[i] = 0;
      return;
    }
    tlb.counters.staleHits++;
    this.lastStaleUse = { va: now.va, cachedPa, walk: now };
  }
}

export function pageFault(result: WalkResult): CpuFault {
  return new CpuFault(INT_PAGEFAULT, result.errorCode, describeWalkFailure(result), result.va, result, result.access);
}

