// The machine: RAM, MMU with TLB, CPU, devices and the run loop.
// Its whole state is data (see snapshot.ts): no guest state lives in JS
// closures or on the JS stack, so a run can be saved, restored, forked and
// replayed bit for bit.

import { CR0_PG, CR4_SMEP, FL_IF, INT_INVALIDOP, INT_TIMER, MEMSIZE_PHYSICAL, PAGESIZE } from './constants';
import { CpuState } from './cpu-state';
import { DecodeCache } from './decode-cache';
import { Devices, type DeviceOutput } from './devices';
import { execute } from './execute';
import { CpuFault } from './fault';
import { R } from './int64';
import { decode, instructionLength } from './isa/decoder';
import type { Insn } from './isa/insn';
import { MAX_INSN_LENGTH } from './isa/opcodes';
import { FETCH, READ, USER_FETCH, USER_READ, USER_WRITE, WRITE, type Access } from './mmu/access';
import { Mmu } from './mmu/mmu';
import { DEFAULT_TLB_SIZE, TLB_USER, TLB_XD } from './mmu/tlb';
import { PhysicalMemory, WATCH_CODE, WATCH_PAGING, type WriteWatcher } from './physical-memory';
import { deliverEvent, raiseFault } from './traps';
import type { ShutdownDiagnosis } from './diagnosis';
import type { BlockPage } from './jit/block';
import { Jit, JIT_SLICE, jitDefaults, type JitBackend } from './jit/jit';
import { mirrorSize } from './jit/context';
import { tlbArrays, wasmAvailable, wasmMemory, type WasmMemory } from './jit/wasm-layout';
import { BLOCK_END } from './jit/codegen';
import { BreakpointSet } from './breakpoint-set';

/** Entries of the machine's code-page cache (fetchKnownPage): enough for a WeensyOS kernel's ~30 text pages. */
const CODE_PAGES = 64;

export interface MachineConfig {
  /** Bytes of RAM; default MEMSIZE_PHYSICAL (0x200000). */
  memorySize?: number;
  /** The timer fires after this many user-mode instructions; default 10000. */
  instructionsPerTick?: number;
  /** TLB entries (a power of two); default DEFAULT_TLB_SIZE (256). */
  tlbSize?: number;
  output?: DeviceOutput;
  /**
   * Run hot straight-line code as translated blocks (jit/), with results
   * identical to the interpreter's. Default true (jitDefaults.enabled).
   */
  jit?: boolean;
  /** How many times a block start is reached before it is translated (1-255); default jitDefaults.threshold. */
  jitThreshold?: number;
  /** What translated regions compile to ('wasm' or 'js'); default jitDefaults.backend. Same results either way. */
  jitBackend?: JitBackend;
}

/** Why `run` returned. */
export type StopReason =
  | { readonly kind: 'budget' }
  | { readonly kind: 'breakpoint'; readonly rip: number }
  | { readonly kind: 'fault'; readonly fault: CpuFault }
  | { readonly kind: 'halt' }
  | { readonly kind: 'poweroff' }
  /** A hosted program wrote its exit status to port 0xF4. */
  | { readonly kind: 'exit'; readonly status: number }
  | { readonly kind: 'shutdown'; readonly diagnosis: ShutdownDiagnosis };

/** running: executing; halted: hlt with nothing to wake it; poweroff; exited: a hosted program's exit; shutdown: after a triple fault. */
export type MachineStatus = 'running' | 'halted' | 'poweroff' | 'exited' | 'shutdown';

export interface RunOptions {
  /**
   * Consulted for every fault before it is delivered. Returning true stops
   * the machine *at* the faulting instruction, nothing delivered yet; the next
   * `run` delivers it (or `discardPendingFault` lets the instruction retry).
   */
  stopOnFault?: (fault: CpuFault) => boolean;
}

/**
 * The WebAssembly memory for a machine, or undefined if the engine cannot
 * make one (each reserves address space; some ten thousand alive at once
 * exhaust it): that machine runs JavaScript regions, with the same results.
 */
function tryWasmMemory(memorySize: number, tlbSize: number): WasmMemory | undefined {
  try {
    return wasmMemory(memorySize, mirrorSize(tlbSize), tlbSize);
  } catch {
    return undefined;
  }
}

export class Machine implements WriteWatcher {
  readonly memory: PhysicalMemory;
  readonly cpu: CpuState;
  readonly mmu: Mmu;
  readonly devices: Devices;
  readonly decodeCache: DecodeCache;
  readonly instructionsPerTick: number;

  status: MachineStatus = 'running';
  /** Instructions retired, in any mode. */
  icount = 0;
  /** Instructions retired in user mode; the timer counts these. */
  userIcount = 0;
  /** userIcount at which the next timer interrupt is due. */
  nextTick: number;
  /** A fault the machine stopped on and will deliver when resumed. */
  pendingFault: CpuFault | undefined;
  shutdownDiagnosis: ShutdownDiagnosis | undefined;
  /** The last fault raised (delivered or not), for the debugger's "last fault" view. */
  lastFault: CpuFault | undefined;
  /** Linear addresses of instruction breakpoints. */
  readonly breakpoints = new BreakpointSet();

  // Access records for the current privilege level (no allocation per access).
  accRead: Access = READ;
  accWrite: Access = WRITE;
  accFetch: Access = FETCH;

  // The fetch shortcut: the code page last fetched from, valid while the TLB
  // and decode-cache generations and the privilege level are unchanged.
  private fBase = NaN;
  private fPa = 0;
  private fPage: (Insn | undefined)[] | undefined;
  private fTlbGen = -1;
  private fCodeGen = -1;
  private fCpl = -1;
  /** 1 when the shortcut stands for a TLB entry (paging on), so each use counts as the TLB hit it replaces. */
  private fHit = 0;
  private readonly tlbCounters;
  private resumeAt = NaN;
  /**
   * False while the interpreter runs the rest of a translated block that could
   * not run whole (budget, timer, breakpoint): visits count towards
   * translation only where a block may start. Derived state, like the rest.
   */
  private warming = true;
  /** The translated blocks of the shortcut's code page (with the JIT on). */
  private fBlocks: BlockPage | undefined;
  // Code pages fetched from with paging on, by linear page number (direct-mapped,
  // CODE_PAGES entries): their physical page, decoded instructions and blocks,
  // valid while the decode cache's generation is cGen. Derived state: a use is
  // re-checked against the TLB entry (fetchKnownPage).
  private readonly cVpn = new Float64Array(CODE_PAGES).fill(NaN);
  private readonly cPa = new Float64Array(CODE_PAGES);
  private readonly cInsns: ((Insn | undefined)[] | undefined)[] = new Array<undefined>(CODE_PAGES).fill(undefined);
  private readonly cBlocks: (BlockPage | undefined)[] = new Array<undefined>(CODE_PAGES).fill(undefined);
  private cGen = -1;
  /** The block translator, when on. Derived state only: blocks are rebuilt from memory on demand. */
  readonly jit: Jit | undefined;

  constructor(config: MachineConfig = {}) {
    const memorySize = config.memorySize ?? MEMSIZE_PHYSICAL;
    const tlbSize = config.tlbSize ?? DEFAULT_TLB_SIZE;
    const jitOn = config.jit ?? jitDefaults.enabled;
    // With WebAssembly regions, RAM and the register file live in the WebAssembly memory.
    const backend = config.jitBackend ?? jitDefaults.backend;
    const wasm = jitOn && backend === 'wasm' && wasmAvailable() && memorySize % PAGESIZE === 0 && memorySize > 0 ? tryWasmMemory(memorySize, tlbSize) : undefined;
    const buf = wasm?.memory.buffer;
    this.memory = new PhysicalMemory(memorySize, buf && new Uint8Array(buf, 0, memorySize));
    this.cpu = new CpuState(buf && new Int32Array(buf, wasm!.layout.regs, 34));
    this.memory.watcher = this;
    this.mmu = new Mmu(this.memory, this.cpu, tlbSize, wasm && tlbArrays(wasm));
    this.devices = new Devices(config.output);
    this.decodeCache = new DecodeCache(this.memory);
    this.tlbCounters = this.mmu.tlb.counters;
    this.instructionsPerTick = config.instructionsPerTick ?? 10000;
    if (!(this.instructionsPerTick >= 1)) throw new RangeError('instructionsPerTick must be at least 1');
    this.nextTick = this.instructionsPerTick;
    this.jit = jitOn ? new Jit(this, config.jitThreshold ?? jitDefaults.threshold, wasm) : undefined;
  }

  onWatchedWrite(pa: number, size: number, bits: number): void {
    if (bits & WATCH_CODE) this.decodeCache.invalidate(Math.floor(pa / 4096));
    if (bits & WATCH_PAGING) this.mmu.tlb.markSuspect(pa, size);
  }

  /** Call after anything changes cs (trap delivery, iret, restore). */
  privilegeChanged(): void {
    const user = (this.cpu.cs & 3) === 3;
    this.accRead = user ? USER_READ : READ;
    this.accWrite = user ? USER_WRITE : WRITE;
    this.accFetch = user ? USER_FETCH : FETCH;
  }

  /** Forgets every derived cache; used after restore and by tests that poke state directly. */
  invalidateCaches(): void {
    this.decodeCache.clear();
    this.fBase = NaN;
    this.forgetCodePages();
    this.privilegeChanged();
  }

  discardPendingFault(): void {
    this.pendingFault = undefined;
  }

  /**
   * Runs at most `maxInstructions` instructions (retired or faulting) and
   * says why it stopped.
   */
  run(maxInstructions: number, options: RunOptions = {}): StopReason {
    if (this.status === 'shutdown') return { kind: 'shutdown', diagnosis: this.shutdownDiagnosis! };
    if (this.status === 'poweroff' || this.devices.state.poweredOff) return this.powerOff();
    if (this.status === 'halted' || this.status === 'exited') return this.statusStop();
    if (this.pendingFault) {
      const f = this.pendingFault;
      this.pendingFault = undefined;
      const stop = this.deliverFault(f);
      if (stop) return stop;
    }
    const cpu = this.cpu;
    const stopOnFault = options.stopOnFault;
    const bps = this.breakpoints;
    const jit = this.jit;
    let budget = maxInstructions;
    while (budget > 0) {
      try {
        while (budget > 0) {
          budget--;
          if (this.userIcount >= this.nextTick && (cpu.cs & 3) === 3) {
            if (cpu.rflags & FL_IF && this.devices.timerEnabled()) {
              this.nextTick = this.userIcount + this.instructionsPerTick;
              deliverEvent(this, INT_TIMER, undefined, cpu.rip, false);
            }
          }
          if (bps.size > 0 && bps.has(cpu.rip)) {
            if (cpu.rip !== this.resumeAt) {
              this.resumeAt = cpu.rip;
              return { kind: 'breakpoint', rip: cpu.rip };
            }
          }
          this.resumeAt = NaN;
          const insn = this.fetch();
          if (jit !== undefined) {
            // A translated block starting here runs only if it can run whole as the
            // interpreter would: within the budget, before the timer is due, and
            // with no breakpoint on any of its instructions. Its first fetch was
            // just made; the translated code counts the others, and goes on to
            // further blocks of its region only while no breakpoint is set
            // (jit/codegen.ts). A fault leaves rip, the registers and the counts
            // as the interpreter would, and is delivered below.
            const d = cpu.rip - this.fBase;
            const page = this.fBlocks!;
            let block = page.blocks[d];
            if (block === undefined && this.warming) block = jit.warm(page, d, this.fPa + d);
            if (block) {
              // At most JIT_SLICE instructions per call, so that V8 sees the function's
              // exit path often (and optimizes it with the rest) even in a long loop.
              let max = budget < JIT_SLICE ? budget + 1 : JIT_SLICE;
              if ((cpu.cs & 3) === 3 && cpu.rflags & FL_IF && this.devices.timerEnabled()) {
                const left = this.nextTick - this.userIcount;
                if (left < max) max = left;
              }
              if (block.length <= max && (bps.size === 0 || !block.hasBreakpoint(bps, cpu.rip))) {
                const before = this.icount;
                jit.blockRuns++;
                jit.ctx.cpa = this.fPa;
                let n: number;
                // Block after block inside the function only if no breakpoint is on any of its
                // instructions at this linear page (the run loop checks each block start otherwise).
                const chain = bps.size === 0 || !block.region.hasBreakpoint(bps, this.fBase);
                jit.ctx.hops = 0;
                try {
                  n = block.run(jit.ctx, max, this.fHit, block.start, chain);
                } catch (e) {
                  // The instructions it retired, besides the faulting one already counted.
                  budget -= this.icount - before;
                  throw e;
                }
                jit.retired += n;
                budget -= n - 1;
                // WebAssembly regions may have gone on to others (jit/wasm-dispatch.ts): each counts as a run.
                const hops = jit.ctx.hops;
                jit.blockRuns += hops;
                jit.hops += hops;
                // Left for another region's block in the same page: see Jit.sideExit.
                const to = cpu.rip - this.fBase;
                if (hops === 0 && to >= 0 && to < 4096 && this.fCodeGen === this.decodeCache.generation) {
                  const next = page.blocks[to];
                  if (next && next.run !== block.run) jit.sideExit(page, block, this.fPa + d, to);
                }
                continue;
              }
              // The rest of this block is interpreted: its instructions are not block starts,
              // so their visits must not make them hot (each would start a region of its own).
              this.warming = false;
            }
          }
          const user = (cpu.cs & 3) === 3;
          if (!this.warming && BLOCK_END[insn.op] === 1) this.warming = true;
          execute(this, insn);
          this.icount++;
          if (user) this.userIcount++;
          if (this.status !== 'running') return this.statusStop();
        }
      } catch (e) {
        if (!(e instanceof CpuFault)) throw e;
        this.resumeAt = NaN;
        this.warming = true;
        if (stopOnFault?.(e)) {
          this.pendingFault = e;
          return { kind: 'fault', fault: e };
        }
        const stop = this.deliverFault(e);
        if (stop) return stop;
      }
    }
    return { kind: 'budget' };
  }

  private deliverFault(fault: CpuFault): StopReason | undefined {
    raiseFault(this, fault);
    if (this.status !== 'running') return this.statusStop();
    return undefined;
  }

  private statusStop(): StopReason {
    switch (this.status) {
      case 'shutdown':
        return { kind: 'shutdown', diagnosis: this.shutdownDiagnosis! };
      case 'poweroff':
        return { kind: 'poweroff' };
      case 'halted':
        return { kind: 'halt' };
      case 'exited':
        return { kind: 'exit', status: this.devices.state.exitStatus ?? 0 };
      default:
        return { kind: 'budget' };
    }
  }

  private powerOff(): StopReason {
    this.status = 'poweroff';
    return { kind: 'poweroff' };
  }

  /** Fetches and decodes the instruction at rip, through the MMU with execute rights. */
  private fetch(): Insn {
    const cpu = this.cpu;
    const rip = cpu.rip;
    const d = rip - this.fBase;
    if (
      d >= 0 && d < 4096 && this.fTlbGen === this.mmu.tlb.generation &&
      this.fCodeGen === this.decodeCache.generation && this.fCpl === (cpu.cs & 3)
    ) {
      // The shortcut stands for the TLB hit the translation would be, whether or not the
      // instruction is decoded yet, so that nothing observable depends on the decode cache.
      // Counted so that the TLB counters do not depend on this derived cache either (a
      // restored machine starts without it).
      let insn = this.fPage![d];
      if (!insn) insn = this.decodeCache.at(this.fPa + d);
      if (insn) {
        this.tlbCounters.hits += this.fHit;
        return insn;
      }
    }
    return this.fetchSlow(rip);
  }

  private fetchSlow(rip: number): Insn {
    if (this.cpu.cr0 & CR0_PG) {
      const insn = this.fetchKnownPage(rip);
      if (insn) return insn;
    }
    const lo = rip | 0;
    const hi = Math.floor(rip / 4294967296) | 0;
    const pa = this.mmu.translate(lo, hi, this.accFetch);
    const offset = rip & 0xfff;
    let insn = this.decodeCache.at(pa);
    if (!insn) insn = this.decodeAcrossPages(rip, pa, offset);
    // Remember this page for the fast path (only instructions wholly inside it are cached).
    this.fBase = rip - offset;
    this.fPa = pa - offset;
    this.fPage = this.decodeCache.pageArray(Math.floor(this.fPa / 4096));
    if (this.jit) this.fBlocks = this.decodeCache.blockPage(Math.floor(this.fPa / 4096));
    this.fTlbGen = this.mmu.tlb.generation;
    this.fCodeGen = this.decodeCache.generation;
    this.fCpl = this.cpu.cs & 3;
    this.fHit = this.cpu.cr0 & CR0_PG ? 1 : 0;
    if (this.fHit === 1) {
      const c = Math.floor(rip / 4096) & (CODE_PAGES - 1);
      if (this.cGen !== this.decodeCache.generation) this.forgetCodePages();
      this.cVpn[c] = Math.floor(rip / 4096);
      this.cPa[c] = this.fPa;
      this.cInsns[c] = this.fPage;
      this.cBlocks[c] = this.fBlocks;
    }
    return insn;
  }

  private forgetCodePages(): void {
    this.cVpn.fill(NaN);
    this.cInsns.fill(undefined);
    this.cBlocks.fill(undefined);
    this.cGen = this.decodeCache.generation;
  }

  /**
   * With paging on, a fetch from a code page fetched from before (calls and
   * returns between pages): if Mmu.translate would take its TLB-hit path with
   * no side effect but the hit's count (entry valid, not suspect, fetch
   * allowed: U for user mode, no XD, SMEP), counts the hit and points the
   * fetch shortcut at the page without the translation and the decode cache's
   * lookups. Undefined when anything else applies (the slow path decides, and
   * counts, as the interpreter's fetch always did).
   */
  private fetchKnownPage(rip: number): Insn | undefined {
    const vpn = Math.floor(rip / 4096);
    const c = vpn & (CODE_PAGES - 1);
    if (this.cVpn[c] !== vpn || this.cGen !== this.decodeCache.generation) return undefined;
    const tlb = this.mmu.tlb;
    const i = vpn & (tlb.size - 1);
    const pa = this.cPa[c]!;
    if (tlb.valid[i] !== 1 || tlb.tag[i] !== vpn || tlb.frame[i] !== pa || tlb.suspect[i] !== 0) return undefined;
    const f = tlb.flags[i]!;
    const user = this.accFetch.user;
    if ((user && !(f & TLB_USER)) || f & TLB_XD || (!user && f & TLB_USER && this.cpu.cr4 & CR4_SMEP)) return undefined;
    const d = rip - vpn * 4096;
    const page = this.cInsns[c]!;
    const insn = page[d] ?? this.decodeCache.at(pa + d);
    if (!insn) return undefined;
    this.tlbCounters.hits++;
    this.fBase = vpn * 4096;
    this.fPa = pa;
    this.fPage = page;
    this.fBlocks = this.cBlocks[c];
    this.fTlbGen = tlb.generation;
    this.fCodeGen = this.decodeCache.generation;
    this.fCpl = this.cpu.cs & 3;
    this.fHit = 1;
    return insn;
  }

  /** An instruction that is invalid, or that straddles a page boundary and must be fetched in two parts. */
  private decodeAcrossPages(rip: number, pa: number, offset: number): Insn {
    const inPage = 4096 - offset;
    const bytes = new Uint8Array(MAX_INSN_LENGTH);
    bytes.set(this.memory.readBytes(pa, Math.min(inPage, MAX_INSN_LENGTH)));
    // The opcode byte says how long the instruction is. If it continues on the
    // next page, that page is fetched (and may fault) before anything is
    // decoded: fetch faults outrank decode faults (SDM Vol. 3A, Table 6-2).
    const length = instructionLength(bytes[0]!);
    if (length > inPage) {
      const next = rip + inPage;
      const pa2 = this.mmu.translate(next | 0, Math.floor(next / 4294967296) | 0, this.accFetch);
      bytes.set(this.memory.readBytes(pa2, MAX_INSN_LENGTH - inPage), inPage);
    }
    const insn = length > 0 ? decode(bytes.subarray(0, length), 0) : undefined;
    if (!insn) throw new CpuFault(INT_INVALIDOP, undefined, `invalid instruction (opcode 0x${bytes[0]!.toString(16).padStart(2, '0')}) at 0x${rip.toString(16)}`);
    return insn;
  }

  // ---- Memory access through the MMU, as instructions perform it. ----
  // Each returns the low half of the value (R.hi holds the high half of 64-bit reads).

  read(lo: number, hi: number, size: number, stack: boolean): number {
    if ((lo & 0xfff) + size > 4096) return this.readSplit(lo, hi, size, stack);
    const pa = this.mmu.translate(lo, hi, this.accRead, stack);
    const mem = this.memory;
    switch (size) {
      case 1:
        return mem.read8(pa);
      case 2:
        return mem.read16(pa);
      case 4:
        return mem.read32(pa);
      default:
        return mem.read64(pa);
    }
  }

  write(lo: number, hi: number, size: number, vlo: number, vhi: number, stack: boolean): void {
    if ((lo & 0xfff) + size > 4096) return this.writeSplit(lo, hi, size, vlo, vhi, stack);
    const pa = this.mmu.translate(lo, hi, this.accWrite, stack);
    const mem = this.memory;
    switch (size) {
      case 1:
        return mem.write8(pa, vlo);
      case 2:
        return mem.write16(pa, vlo);
      case 4:
        return mem.write32(pa, vlo);
      default:
        return mem.write64(pa, vlo, vhi);
    }
  }

  /** Reads and writes with explicit access rights (trap delivery uses supervisor accesses). */
  readAs(lo: number, hi: number, size: number, access: Access): number {
    const saved = this.accRead;
    this.accRead = access;
    try {
      return this.read(lo, hi, size, false);
    } finally {
      this.accRead = saved;
    }
  }

  writeAs(lo: number, hi: number, size: number, vlo: number, vhi: number, access: Access): void {
    const saved = this.accWrite;
    this.accWrite = access;
    try {
      this.write(lo, hi, size, vlo, vhi, false);
    } finally {
      this.accWrite = saved;
    }
  }

  /** An access that straddles two pages: both pages are translated before any byte moves. */
  private readSplit(lo: number, hi: number, size: number, stack: boolean): number {
    const pas = this.splitAddresses(lo, hi, size, this.accRead, stack);
    let vlo = 0;
    let vhi = 0;
    for (let i = 0; i < size; i++) {
      const b = this.memory.read8(pas[i]!);
      if (i < 4) vlo |= b << (8 * i);
      else vhi |= b << (8 * (i - 4));
    }
    R.hi = vhi;
    if (size === 2) return vlo & 0xffff;
    return vlo;
  }

  private writeSplit(lo: number, hi: number, size: number, vlo: number, vhi: number, stack: boolean): void {
    const pas = this.splitAddresses(lo, hi, size, this.accWrite, stack);
    for (let i = 0; i < size; i++) this.memory.write8(pas[i]!, i < 4 ? vlo >>> (8 * i) : vhi >>> (8 * (i - 4)));
  }

  private splitAddresses(lo: number, hi: number, size: number, access: Access, stack: boolean): number[] {
    const first = this.mmu.translate(lo, hi, access, stack);
    const inFirst = 4096 - (lo & 0xfff);
    const nextLo = (lo + inFirst) | 0;
    const nextHi = ((lo >>> 0) + inFirst > 0xffffffff ? hi + 1 : hi) | 0;
    const second = this.mmu.translate(nextLo, nextHi, access, stack);
    const pas: number[] = [];
    for (let i = 0; i < size; i++) pas.push(i < inFirst ? first + i : second + (i - inFirst));
    return pas;
  }
}
