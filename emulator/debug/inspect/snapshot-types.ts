// The panel's snapshot: plain JSON (numbers, strings, booleans, arrays,
// objects; no bigints, no typed arrays), so it crosses the webview boundary
// as is and can be saved to a file. The webview imports these types only.
// Addresses are JS numbers (exact: below 2^53; high-half virtual addresses
// negative, as rip is); 64-bit entry values are hex strings.

import type { TlbEntry } from '../../machine/mmu/tlb';
import type { DecodedEntry, PteFlags } from './page-entries';

export const SNAPSHOT_VERSION = 1;

export type ProcessStateName = 'free' | 'runnable' | 'blocked' | 'broken' | 'unknown';

export interface SnapshotProcess {
  /** Slot in processes[] (1..NPROC-1). */
  readonly slot: number;
  readonly pid: number;
  readonly state: ProcessStateName;
  /** The raw p_state value. */
  readonly stateValue: number;
  /** The program its address space runs ('p-allocator', 'p-fork'...), or null if none is recognized. */
  readonly program: string | null;
  /** Physical address of its L1 page table. */
  readonly pagetable: number;
  readonly current: boolean;
}

export interface SnapshotPageInfo {
  /** PO_FREE 0, PO_RESERVED -1, PO_KERNEL -2, or a pid. */
  readonly owner: number;
  readonly refcount: number;
}

/** The ten flags of a paging entry, as page-entries.ts decodes them. */
export type SnapshotPageFlags = PteFlags;

/** An entry of a table, as page-entries.ts decodes it (the level is its table's). */
export type SnapshotEntry = Omit<DecodedEntry, 'level' | 'flagsText' | 'owner' | 'refcount'> & {
  /** pageinfo owner of the page it points to, or null when unknown or not present. */
  readonly owner: number | null;
};

export interface SnapshotTable {
  /** Physical address of the table page. */
  readonly pa: number;
  /** 0 = L1 ... 3 = L4. */
  readonly level: number;
  /** The first virtual address the table covers. */
  readonly va: number;
  /** pageinfo owner of the table page, or null. */
  readonly owner: number | null;
  /** Nonzero entries only, in index order. */
  readonly entries: readonly SnapshotEntry[];
}

export interface SnapshotAddressSpace {
  /** Physical address of the L1 table. */
  readonly l1: number;
  /** The live processes using it (several share kernel_pagetable early in the lab). */
  readonly pids: readonly number[];
  /** True for kernel_pagetable. */
  readonly kernel: boolean;
  /** "process 3", "the kernel page table". */
  readonly label: string;
  /** Every table reachable through present entries, L1 first, depth first. */
  readonly tables: readonly SnapshotTable[];
  /** Per virtual page below MEMSIZE_VIRTUAL: the physical page mapped and the rights over all levels (memshow_virtual). */
  readonly pages: readonly SnapshotVirtualPage[];
}

export interface SnapshotVirtualPage {
  readonly va: number;
  readonly pa: number;
  /** PTE_P|PTE_W|PTE_U ANDed over the four levels. */
  readonly perm: number;
}

/** A cached translation, as the TLB lists it (without the paging entries it came from). */
export type SnapshotTlbEntry = Omit<TlbEntry, 'entryAddresses'>;

export interface SnapshotFault {
  readonly vector: number;
  readonly name: string;
  readonly errorCode: number | null;
  /** "not-present, write, user" */
  readonly errorBits: readonly string[];
  /** CR2 for a page fault. */
  readonly va: number | null;
  readonly message: string;
  /** The walk that failed, level by level (page faults). */
  readonly walk: readonly SnapshotWalkStep[];
  readonly failedLevel: number | null;
  /** The faulting instruction, when it is the one at rip. */
  readonly rip: number | null;
  readonly source: SnapshotSource | null;
}

export interface SnapshotWalkStep {
  readonly level: number;
  readonly index: number;
  readonly tableAddress: number;
  readonly entryAddress: number;
  readonly raw: string;
  readonly decision: 'table' | 'page' | 'large-page' | 'not-present' | 'reserved-bit';
}

export interface SnapshotSource {
  /** The debug path: '<weensyos>/kernel.c', or the workspace file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly function: string | null;
}

export interface SnapshotFinding {
  readonly kind: string;
  /** The physical page (address). */
  readonly page: number;
  readonly pid: number | null;
  readonly va: number | null;
  readonly message: string;
}

export interface PanelSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly cpu: {
    readonly rip: number;
    readonly cpl: number;
    readonly cr0: number;
    readonly cr2: number;
    readonly cr3: number;
    readonly cr4: number;
    readonly efer: number;
    readonly paging: boolean;
    readonly source: SnapshotSource | null;
  };
  /** current->p_pid, or null. */
  readonly currentPid: number | null;
  readonly kernelPagetable: number | null;
  readonly processes: readonly SnapshotProcess[];
  readonly pageinfo: {
    /** 'debug-info': read from the kernel's pageinfo; 'derived': rebuilt from the page tables (the kernel has no readable pageinfo). */
    readonly source: 'debug-info' | 'derived';
    readonly pages: readonly SnapshotPageInfo[];
  };
  /** For each physical page number (as a string key), every mapping of it in a live process. */
  readonly mappedBy: Readonly<Record<string, readonly { readonly pid: number; readonly va: number; readonly perm: number }[]>>;
  /** The kernel's page table first, then each distinct live process page table. */
  readonly addressSpaces: readonly SnapshotAddressSpace[];
  readonly tlb: {
    readonly entries: readonly SnapshotTlbEntry[];
    readonly counters: { readonly hits: number; readonly misses: number; readonly staleHits: number; readonly flushes: number; readonly invlpgs: number };
  };
  readonly console: { readonly columns: number; readonly rows: number; readonly cells: readonly number[]; readonly cursorpos: number };
  readonly lastFault: SnapshotFault | null;
  readonly counters: {
    readonly instructions: number;
    readonly userInstructions: number;
    readonly ticks: number | null;
    readonly unbackedReads: number;
    readonly unbackedWrites: number;
  };
  readonly findings: readonly SnapshotFinding[];
}

export interface SnapshotEntryChange {
  /** The address space (its L1 table) and the entry, keyed by level and first virtual address. */
  readonly l1: number;
  readonly level: number;
  readonly va: number;
  readonly index: number;
  readonly change: 'added' | 'changed' | 'removed';
  readonly before: string | null;
  readonly after: string | null;
  /** Accessed/dirty bits the hardware (or the kernel) set since the previous stop. */
  readonly newlySet: readonly ('A' | 'D')[];
}

export interface SnapshotDiff {
  readonly entries: readonly SnapshotEntryChange[];
  readonly pageinfo: readonly { readonly page: number; readonly before: SnapshotPageInfo | null; readonly after: SnapshotPageInfo | null }[];
  readonly processes: readonly { readonly slot: number; readonly before: SnapshotProcess | null; readonly after: SnapshotProcess | null }[];
  /** Address spaces that appeared or went away (by L1). */
  readonly spacesAdded: readonly number[];
  readonly spacesRemoved: readonly number[];
  readonly consoleChanged: boolean;
}
