// The translation of one virtual address in one address space, drawn
// level by level for the panel's translator and the console's .walk: the
// index used at each level, the entry read, its flags, what the walk did
// with it, the effective rights, and where and why it stops. Pure walk.

import { hex } from '../../machine/hex';
import type { Machine } from '../../machine/machine';
import type { AccessKind } from '../../machine/mmu/access';
import { LEVEL_NAMES, pageIndices, type StepDecision } from '../../machine/mmu/walk';
import { describeWalkFailure } from '../../machine/mmu/describe';
import { walkIn, walkFailureReason } from './address-space';
import type { InspectBuild } from './frame-context';
import { kernelView, spaceLabel, spaceOfPid, type KernelView } from './kernel-view';
import { decodeEntry, ownerText, type PteFlags } from './page-entries';

export interface TranslationStep {
  readonly level: number;
  readonly levelName: string;
  readonly tableAddress: number;
  readonly index: number;
  readonly entryAddress: number;
  readonly raw: string;
  readonly flags: PteFlags;
  readonly flagsText: string;
  readonly decision: StepDecision;
  /** The physical address the entry holds (the next table or the page). */
  readonly pa: number;
  /** pageinfo's owner of that page, when known. */
  readonly owner?: number;
  /** One line: what this level did. */
  readonly text: string;
}

export interface Translation {
  readonly va: number;
  readonly cr3: number;
  /** "process 3", "the kernel page table"... */
  readonly space: string;
  readonly access: { readonly kind: AccessKind; readonly user: boolean };
  /** L1..L4 indices and the page offset. */
  readonly indices: readonly number[];
  readonly offset: number;
  readonly ok: boolean;
  readonly pa?: number;
  readonly pageSize?: number;
  /** Effective rights over the levels walked. */
  readonly user: boolean;
  readonly write: boolean;
  readonly executeDisable: boolean;
  readonly steps: readonly TranslationStep[];
  readonly failedLevel?: number;
  /** not-present, reserved-bit, user, write, execute-disable, smep */
  readonly failure?: string;
  /** One sentence: the result, or where and why the walk fails. */
  readonly message: string;
}

export type TranslateTarget = { readonly pid: number } | { readonly cr3: number };

/** Resolves a target to a CR3 and a label. */
export function targetTable(view: KernelView, machine: Machine, target?: TranslateTarget): { cr3: number; label: string } | string {
  if (!target) return { cr3: machine.cpu.cr3 - (machine.cpu.cr3 % 4096), label: spaceLabel(view, machine.cpu.cr3 - (machine.cpu.cr3 % 4096)) };
  if ('pid' in target) {
    const s = spaceOfPid(view, target.pid);
    if (typeof s === 'string') return s;
    return s.kind === 'virtual' ? { cr3: s.cr3, label: s.label } : 'no page table';
  }
  return { cr3: target.cr3 - (target.cr3 % 4096), label: spaceLabel(view, target.cr3 - (target.cr3 % 4096)) };
}

/** Translates `va` in the space of `target` (default: the current CR3) for an access (default: kernel read). */
export function translate(
  machine: Machine, build: InspectBuild, va: number, target?: TranslateTarget,
  access: { readonly kind: AccessKind; readonly user: boolean } = { kind: 'read', user: false }, view: KernelView = kernelView(machine, build),
): { readonly ok: true; readonly translation: Translation } | { readonly ok: false; readonly error: string } {
  const t = targetTable(view, machine, target);
  if (typeof t === 'string') return { ok: false, error: t };
  if (!Number.isSafeInteger(va)) return { ok: false, error: `${va} is not an address` };
  const w = walkIn(machine, t.cr3, va, access);
  if (!w) return { ok: false, error: `${hex(va)} is not a canonical address: bits 63-47 must all be equal` };
  const lo = va | 0;
  const hi = Math.floor(va / 2 ** 32) | 0;
  const indices = pageIndices(lo, hi);
  const pageinfo = view.state.pageinfo;
  const steps = w.steps.map((s): TranslationStep => {
    const e = decodeEntry(s.level, s.index, s.tableAddress, s.entryLo | 0, s.entryHi | 0, 0, pageinfo);
    const next = s.decision === 'table' ? `→ ${LEVEL_NAMES[s.level + 1]} table ${hex(e.pa)}` : s.decision === 'page' ? `→ page ${hex(e.pa)}` : s.decision === 'large-page' ? `→ 2 MiB page ${hex(e.pa)}` : s.decision === 'not-present' ? 'not present: the walk stops here' : `reserved bits set (${s.reservedBits?.join(', ')}): the walk stops here`;
    const owner = e.owner !== undefined && s.decision !== 'not-present' ? ` (${ownerText(e.owner)})` : '';
    return {
      level: s.level, levelName: LEVEL_NAMES[s.level]!, tableAddress: s.tableAddress, index: s.index, entryAddress: s.entryAddress,
      raw: e.raw, flags: e.flags, flagsText: e.flagsText, decision: s.decision, pa: e.pa,
      ...(e.owner !== undefined ? { owner: e.owner } : {}),
      text: `${LEVEL_NAMES[s.level]}[${s.index}] at ${hex(s.entryAddress)} = ${e.raw} [${e.flagsText}] ${next}${owner}`,
    };
  });
  let message: string;
  if (w.ok) {
    const pn = Math.floor(w.pa / 4096);
    const info = pageinfo?.[pn];
    message = `${hex(va)} in ${t.label} → physical ${hex(w.pa)}${info ? ` (page ${hex(pn * 4096)}, ${ownerText(info.owner)}, refcount ${info.refcount})` : ''}; ${w.user ? 'user-accessible' : 'kernel-only'}, ${w.write ? 'writable' : 'read-only'}`;
  } else if (w.failure === 'not-present' || w.failure === 'reserved-bit') {
    message = `${hex(va)} is not mapped in ${t.label}: ${walkFailureReason(w)}`;
  } else {
    message = `${describeWalkFailure(w)} (in ${t.label})`;
  }
  return {
    ok: true,
    translation: {
      va, cr3: t.cr3, space: t.label, access: { kind: access.kind, user: access.user }, indices, offset: ((va % 4096) + 4096) % 4096,
      ok: w.ok, ...(w.ok ? { pa: w.pa, pageSize: w.pageSize } : {}), user: w.user, write: w.write, executeDisable: w.executeDisable, steps,
      ...(w.failedLevel !== undefined ? { failedLevel: w.failedLevel } : {}), ...(w.failure ? { failure: w.failure } : {}), message,
    },
  };
}
