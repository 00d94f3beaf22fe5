import { describe, expect, it } from 'vitest';
import { getReg, machineWith } from './helpers';

describe('machine smoke', () => {
  it('runs a loop that sums 1..100', () => {
    const { m } = machineWith(`
      .org 0x1000
      start:
        movi rax, 0
        movi rcx, 1
        movi rdx, 100
      loop:
        add rax, rcx
        addi rcx, 1
        bge rdx, rcx, loop
        hlt
    `);
    const stop = m.run(10000);
    expect(stop.kind).toBe('halt');
    expect(getReg(m, 'rax')).toBe(5050n);
  });
});
