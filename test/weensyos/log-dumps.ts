// Synthetic WeensyOS grading logs: memory states written out as the
// reference kernel's memdump functions write them (PM_DUMP/VM_DUMP), for
// the log parser's and the grader's tests.

export interface Page {
  owner: number;
  refcount: number;
}
export interface VPage extends Page {
  perm: number;
}
export interface MemState {
  ticks: number;
  /** 512 physical pages. */
  physical: Page[];
  /** Per pid: 768 virtual pages. */
  virtual: Map<number, VPage[]>;
}

export const P = 1;
export const W = 2;
export const U = 4;
export const KERNEL = 254;
export const RESERVED = 255;

const UNMAPPED: VPage = { owner: 0, refcount: 0, perm: 0 };

/** "PM_DUMP <ticks>\n" + 512 pairs, 64 a line, as memdump_physical writes them. */
export function pmDump(ticks: number, pages: readonly Page[], perLine = 64): string {
  let s = `PM_DUMP ${ticks}\n`;
  pages.forEach((p, i) => {
    s += `${p.owner} ${p.refcount} `;
    if (i % perLine === perLine - 1) s += '\n';
  });
  return s;
}

/** "VM_DUMP <pid>  <ticks>\n" (the name is "%d ") + 768 triples, 64 a line. */
export function vmDump(pid: number, ticks: number, pages: readonly VPage[], perLine = 64): string {
  let s = `VM_DUMP ${pid}  ${ticks}\n`;
  pages.forEach((p, i) => {
    s += `${p.owner} ${p.refcount} ${p.perm} `;
    if (i % perLine === perLine - 1) s += '\n';
  });
  return s;
}

export function stateLog(states: readonly MemState[]): string {
  let s = '';
  for (const st of states) {
    s += pmDump(st.ticks, st.physical);
    for (const [pid, pages] of [...st.virtual].sort((a, b) => a[0] - b[0])) s += vmDump(pid, st.ticks, pages);
  }
  return s;
}

/**
 * A state of a correct kernel at `ticks` (steps 1-4): processes 1-4 with
 * page tables on pages 1-16, the kernel at 0x40000-0x5ffff, each process's
 * code and data at its slot, a stack at 0x2ff000, and `heap` pages each
 * taken from free physical memory from 0x60000 on (mapped from 0x102000 up
 * in process 1; 0 for the others).
 */
export function goodState(ticks: number, heap = 70): MemState {
  const physical: Page[] = Array.from({ length: 512 }, () => ({ owner: 0, refcount: 0 }));
  physical[0] = { owner: RESERVED, refcount: 1 };
  for (let pn = 0xa0; pn < 0x100; pn++) physical[pn] = { owner: RESERVED, refcount: 1 };
  for (let pn = 0x40; pn < 0x60; pn++) physical[pn] = { owner: KERNEL, refcount: 1 };
  physical[0x7f] = { owner: KERNEL, refcount: 1 };
  for (let pid = 1; pid <= 4; pid++) {
    for (let k = 0; k < 4; k++) physical[1 + (pid - 1) * 4 + k] = { owner: pid, refcount: 1 };
    const base = 0x100 + (pid - 1) * 0x40;
    physical[base] = { owner: pid, refcount: 1 };
    physical[base + 1] = { owner: pid, refcount: 1 };
    physical[base + 0x3f] = { owner: pid, refcount: 1 }; // the stack page, wherever mapped
  }
  const heapPages: number[] = [];
  for (let pn = 0x60; heapPages.length < heap && pn < 0xa0; pn++) if (pn !== 0x7f) heapPages.push(pn);
  for (let pn = 0x20; heapPages.length < heap && pn < 0x40; pn++) heapPages.push(pn);
  for (const pn of heapPages) physical[pn] = { owner: 1, refcount: 1 };

  const virtual = new Map<number, VPage[]>();
  for (let pid = 1; pid <= 4; pid++) {
    const v: VPage[] = Array.from({ length: 768 }, () => UNMAPPED);
    // Kernel memory, identity, without U; the console with U.
    for (let pn = 0; pn < 0x100; pn++) if (physical[pn]!.refcount > 0 || pn === 0xb8) v[pn] = { ...physical[pn]!, perm: P | W };
    v[0xb8] = { owner: RESERVED, refcount: 1, perm: P | W | U };
    const base = 0x100 + (pid - 1) * 0x40;
    v[base] = { owner: pid, refcount: 1, perm: P | W | U };
    v[base + 1] = { owner: pid, refcount: 1, perm: P | W | U };
    v[0x2ff] = { owner: pid, refcount: 1, perm: P | W | U };
    if (pid === 1) heapPages.forEach((_, i) => (v[0x102 + i] = { owner: 1, refcount: 1, perm: P | W | U }));
    virtual.set(pid, v);
  }
  return { ticks, physical, virtual };
}

/** Correct states at ticks 0, 100, ..., 900 (the heap growing). */
export function goodRun(change?: (s: MemState) => void): MemState[] {
  const states: MemState[] = [];
  for (let t = 0; t <= 900; t += 100) {
    const s = goodState(t, t === 0 ? 0 : Math.min(90, 10 + t / 10));
    change?.(s);
    states.push(s);
  }
  return states;
}
