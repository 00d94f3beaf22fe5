import { PTE_A, PTE_D, PTE_G, PTE_P, PTE_PCD, PTE_PS, PTE_PWT, PTE_U, PTE_W } from '../constants';
import { hex, hex64 } from '../hex';
import { LEVEL_NAMES, type WalkResult, type WalkStep } from './walk';

const FLAG_NAMES: [number, string][] = [
  [PTE_P, 'P'], [PTE_W, 'W'], [PTE_U, 'U'], [PTE_PWT, 'PWT'], [PTE_PCD, 'PCD'],
  [PTE_A, 'A'], [PTE_D, 'D'], [PTE_PS, 'PS'], [PTE_G, 'G'],
];

/** The flags of an entry spelled as in x86-64.h, e.g. "P|W|U|A". */
export function describeFlags(lo: number, hi = 0): string {
  const names = FLAG_NAMES.filter(([bit]) => lo & bit).map(([, n]) => n);
  if (hi & 0x80000000) names.push('XD');
  return names.length ? names.join('|') : '0';
}

/** "L4 entry 255 (0x...067 P|W|U|A|D) of table 0x5000" */
export function describeStep(step: WalkStep): string {
  const value = step.entryLo === 0 && step.entryHi === 0 ? 'empty' : `${hex64(step.entryLo, step.entryHi)} ${describeFlags(step.entryLo, step.entryHi)}`;
  return `${LEVEL_NAMES[step.level]} entry ${step.index} (${value}) of the table at ${hex(step.tableAddress)}`;
}

/** One sentence saying why a translation failed, naming the level and entry to blame. */
export function describeWalkFailure(result: WalkResult): string {
  const who = `${result.access.user ? 'user-mode' : 'kernel-mode'} ${result.access.kind === 'fetch' ? 'instruction fetch' : result.access.kind}`;
  const at = `${who} at ${hex(result.va)}`;
  if (result.ok) return `${at} succeeds: physical address ${hex(result.pa)}`;
  const step = result.failedLevel !== undefined ? result.steps[result.failedLevel] : undefined;
  const where = step ? describeStep(step) : 'the walk';
  switch (result.failure) {
    case 'not-present':
      return `${at}: page ${hex(Math.floor(result.va / 4096) * 4096)} is not mapped: ${where} is not present`;
    case 'reserved-bit':
      return `${at}: ${where} has reserved bits set (${step?.reservedBits?.join(', ') ?? 'unknown'})`;
    case 'user':
      return `${at}: ${where} lacks PTE_U, so the page is kernel-only`;
    case 'write':
      return `${at}: ${where} lacks PTE_W, so the page is read-only${result.access.user ? '' : ' (and CR0.WP makes that bind the kernel too)'}`;
    case 'execute-disable':
      return `${at}: ${where} has XD set, so the page is not executable`;
    case 'smep':
      return `${at}: the kernel may not execute a user page while CR4.SMEP is set`;
    default:
      return `${at} failed`;
  }
}
