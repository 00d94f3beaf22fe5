// Broken-kernel fixtures: each a small edit of the reference kernel.c, the
// kind of mistake students make, and how the machine and our own page audit
// report it. The edits are applied to the built-in kernel.c text; a missing
// anchor fails the test, so the fixtures follow the reference kernel.

import { describe, expect, it } from 'vitest';
import {
  auditPages, bootWeensyOS, buildWeensyOS, consoleText, formatDiagnostic, readConsole, readKernelState,
  type Machine, type StopReason, type WeensyBuild,
} from '../../emulator/index';
import { editedKernel } from './kernel-edits';


function build(kernelText: string, defines: Record<string, string> = {}): WeensyBuild {
  const files = new Map([['/lab/kernel.c', kernelText]]);
  const b = buildWeensyOS({ host: { readFile: (p) => files.get(p) }, workspace: '/lab', defines: new Map(Object.entries(defines)) });
  expect(b.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  return b;
}

interface Outcome {
  readonly m: Machine;
  readonly stop: StopReason;
  readonly screen: string[];
  readonly log: string;
}

function boot(b: WeensyBuild, instructions: number, command?: string): Outcome {
  const log: number[] = [];
  const m = bootWeensyOS(b.kernel!, { command, output: { log: (x) => log.push(x) } });
  let stop = m.run(instructions);
  // A panicking kernel without TICK_LIMIT waits on the keyboard forever: that is a budget stop.
  if (stop.kind === 'budget') stop = m.run(0);
  return { m, stop, screen: consoleText(readConsole(m.memory)), log: String.fromCharCode(...log) };
}

// Each runs a kernel for millions of instructions: seconds each, more on a loaded machine.
describe('broken kernels', { timeout: 120_000 }, () => {
  it('kernel stack missing from the process page tables: triple fault, diagnosed', () => {
    const b = build(editedKernel([['        if (vam.pn < 0) {\n            continue;', '        if (vam.pn < 0 || va == KERNEL_STACK_TOP - PAGESIZE) {\n            continue;']]));
    const r = boot(b, 20_000_000);
    expect(r.stop.kind).toBe('shutdown');
    if (r.stop.kind !== 'shutdown') return;
    const text = r.stop.diagnosis.text;
    // The push onto the kernel stack (0x7f000-0x7ffff) fails in the process's page table: its leaf table has no entry 127.
    expect(text).toMatch(/triple fault/i);
    expect(text).toMatch(/0x7f[0-9a-f]{3}/);
    expect(text).toMatch(/L4 entry 127/);
    expect(text).toMatch(/not present/);
  });

  it('console page without PTE_U: the first program that touches the screen page faults', () => {
    const b = build(editedKernel([['    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W | PTE_U, NULL);', '    r = virtual_memory_map(kernel_pagetable, console_page, console_page, PAGESIZE,\n                           PTE_P | PTE_W, NULL);']]));
    // p-forkexit's children read the console's last row once they have a heap page.
    const m = bootWeensyOS(b.kernel!, { command: 'forkexit', output: { log: () => {} } });
    let row24 = '';
    for (let i = 0; i < 500 && !row24.startsWith('Process'); i++) {
      if (m.run(200_000).kind !== 'budget') break;
      row24 = consoleText(readConsole(m.memory))[24]!;
    }
    const r = { m };
    expect(row24).toMatch(/^Process \d+ page fault for 0xb8f[0-9a-f]{2} \(read protection problem, rip=0x1[0-9a-f]{5}\)!/);
    const audit = auditPages(r.m.memory, readKernelState(r.m.memory, b.kernel!));
    const console = audit.findings.filter((f) => f.kind === 'console-not-user');
    expect(console.length).toBeGreaterThan(0);
    expect(console[0]!.message).toMatch(/does not map the console page 0xb8000 with PTE_U/);
  });

  it('fork sharing writable pages: the audit names a page two processes can write', () => {
    const b = build(editedKernel([['    if (perm & PTE_W) {\n#if COPY_ON_WRITE', '    if ((perm & PTE_W) && 0) {\n#if COPY_ON_WRITE']]), { FORCE_FORK: '1', NO_SLOWDOWN: '1' });
    const log: number[] = [];
    const m = bootWeensyOS(b.kernel!, { output: { log: (x) => log.push(x) } });
    // Run until the first fork has happened (two live processes), then look.
    let shared: string | undefined;
    for (let i = 0; i < 400 && shared === undefined; i++) {
      const stop = m.run(100_000);
      const audit = auditPages(m.memory, readKernelState(m.memory, b.kernel!));
      shared = audit.findings.find((f) => f.kind === 'shared-writable')?.message;
      if (stop.kind !== 'budget') break;
    }
    expect(shared).toMatch(/^page 0x[0-9a-f]+ is writable by more than one process: process 1 at 0x[0-9a-f]+ \(PTE_P\|PTE_W\|PTE_U\), process 2 at/);
  });

  it('exit that frees nothing: the audit finds the pages of exited processes leaked', () => {
    const b = build(editedKernel([['    p->p_state = P_FREE;\n    free_process_memory(p);', '    p->p_state = P_FREE;']]), { NO_SLOWDOWN: '1' });
    const m = bootWeensyOS(b.kernel!, { command: 'forkexit', output: { log: () => {} } });
    let leak: string | undefined;
    for (let i = 0; i < 400 && leak === undefined; i++) {
      if (m.run(200_000).kind !== 'budget') break;
      leak = auditPages(m.memory, readKernelState(m.memory, b.kernel!)).findings.find((f) => f.kind === 'leak')?.message;
    }
    expect(leak).toMatch(/^page 0x[0-9a-f]+ is leaked: pageinfo says owner \d+, refcount 1, but no page table maps it \(it belongs to process \d+, whose slot is free: it exited, or is not set up yet\)$/);
  });

  it('a page-table page owned by the wrong process: the kernel\'s own ownership check panics, and the audit says which page', () => {
    const b = build(editedKernel([['    pagetable_owner = owner;\n    x86_64_pagetable* copy = allocate_pagetable_page();', '    pagetable_owner = owner == 2 ? 3 : owner;\n    x86_64_pagetable* copy = allocate_pagetable_page();']]));
    const r = boot(b, 30_000_000);
    // The message is longer than a row: it continues on row 24.
    expect(r.screen[23]! + r.screen[24]!).toMatch(/^PANIC: kernel\.c:\d+: assertion 'pageinfo\[PAGENUMBER\(pt\)\]\.owner == owner' failed/);
    expect(r.log).toContain("assertion 'pageinfo[PAGENUMBER(pt)].owner == owner' failed");
    const audit = auditPages(r.m.memory, readKernelState(r.m.memory, b.kernel!));
    const wrong = audit.findings.find((f) => f.kind === 'table-owner');
    expect(wrong?.message).toMatch(/^page 0x[0-9a-f]+ is an L1 page table of process 2, but pageinfo says owner 3, refcount 1 \(expected owner 2, refcount 1\)$/);
  });
});
