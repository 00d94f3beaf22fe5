// Instruction fetch across a page boundary: the second page is fetched (and
// can fault) before the instruction is decoded, because fetch faults outrank
// decode faults (SDM Vol. 3A, Table 6-2).

import { describe, expect, it } from 'vitest';
import { Machine } from '../../emulator/machine/machine';
import { PTE_P, PTE_W } from '../../emulator/machine/constants';
import { enablePaging, PageTables } from './helpers';

function straddling(secondPageMapped: boolean, bytes: number[]): Machine {
  const m = new Machine();
  const pt = new PageTables(m, 0x100000);
  pt.map(0x40000, 0x40000, PTE_P | PTE_W);
  if (secondPageMapped) pt.map(0x41000, 0x41000, PTE_P | PTE_W);
  // The instruction starts two bytes before the end of page 0x40000.
  m.memory.writeBytes(0x40ffe, Uint8Array.from(bytes));
  enablePaging(m, pt.root);
  m.cpu.rip = 0x40ffe;
  return m;
}

describe('fetching an instruction that straddles two pages', () => {
  // movi rax, imm32 (0x79, register byte 0x00, then four bytes): two bytes on the first page, four on the second.
  it('runs when both pages are mapped', () => {
    const m = straddling(true, [0x79, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x02]);
    expect(m.run(1).kind).toBe('budget');
    expect(m.cpu.regs[0]).toBe(42);
    expect(m.cpu.rip).toBe(0x41004);
  });

  it('page-faults at the second page when it is not mapped, with CR2 at that page', () => {
    const m = straddling(false, [0x79, 0x00]);
    const stop = m.run(1, { stopOnFault: () => true });
    expect(stop.kind).toBe('fault');
    if (stop.kind !== 'fault') return;
    expect(stop.fault.vector).toBe(14);
    expect(stop.fault.va).toBe(0x41000);
  });

  it('page-faults rather than raising #UD when the first page holds an invalid register byte', () => {
    // 0x79 with a nonzero unused low nibble (0x01) is an invalid encoding, but the fetch fault comes first.
    const m = straddling(false, [0x79, 0x01]);
    const stop = m.run(1, { stopOnFault: () => true });
    expect(stop.kind === 'fault' && stop.fault.vector).toBe(14);
  });

  it('raises #UD for the same bytes once the second page is mapped', () => {
    const m = straddling(true, [0x79, 0x01, 0, 0, 0, 0]);
    const stop = m.run(1, { stopOnFault: () => true });
    expect(stop.kind === 'fault' && stop.fault.vector).toBe(6);
  });
});
