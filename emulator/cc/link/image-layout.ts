// Where everything goes. As the handout's linker scripts do:
//
//   base ──▶ .text of each module, in order         ┐
//            .rodata of each module, in order        │ text segment, R E
//            each embedded file (8-aligned)          ┘
//   next page boundary = start_data
//            .data of each module, in order          ┐ data segment, R W
//            .bss of each module, in order = end     ┘ (file bytes end after .data)
//
// Each module's section starts at a multiple of that section's alignment.

import type { ObjectModule, SectionName } from '../object';
import { embedSymbolName } from './embed-symbol-name';

export const PAGE = 4096;
/** Embedded files start at a multiple of this, so a loader may read their 64-bit header fields in place. */
export const EMBED_ALIGN = 8;

export interface ModulePlacement {
  /** The address of each section of the module. */
  readonly text: number;
  readonly rodata: number;
  readonly data: number;
  readonly bss: number;
}

export interface EmbedPlacement {
  readonly name: string;
  /** "_binary_obj_p_allocator": the stem of the _start and _end symbols. */
  readonly symbol: string;
  readonly start: number;
  readonly bytes: Uint8Array;
}

export interface ImageLayout {
  readonly base: number;
  readonly modules: readonly ModulePlacement[];
  readonly embeds: readonly EmbedPlacement[];
  /** End of the code (the .text section). */
  readonly textEnd: number;
  /** End of the read-only data and embeds: the end of the text segment. */
  readonly rodataEnd: number;
  /** Start of the data segment (the `start_data` symbol). */
  readonly startData: number;
  /** End of the initialized data: where the data segment's file bytes stop. */
  readonly dataEnd: number;
  /** End of .bss (the `end` symbol). */
  readonly end: number;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** The byte size of a module's section. */
export function sectionSize(m: ObjectModule, section: SectionName): number {
  return section === 'bss' ? m.bssSize : m[section].length;
}

export function layoutImage(modules: readonly ObjectModule[], embeds: readonly { name: string; bytes: Uint8Array }[], base: number): ImageLayout {
  const at: Record<SectionName, number[]> = { text: [], rodata: [], data: [], bss: [] };
  let pc = base;
  const place = (section: SectionName): void => {
    for (const m of modules) {
      pc = alignUp(pc, Math.max(1, m.align[section]));
      at[section].push(pc);
      pc += sectionSize(m, section);
    }
  };
  place('text');
  const textEnd = pc;
  place('rodata');
  const placedEmbeds = embeds.map((e) => {
    pc = alignUp(pc, EMBED_ALIGN);
    const start = pc;
    pc += e.bytes.length;
    return { name: e.name, symbol: embedSymbolName(e.name), start, bytes: e.bytes };
  });
  const rodataEnd = pc;
  const startData = alignUp(rodataEnd, PAGE);
  pc = startData;
  place('data');
  const dataEnd = pc;
  place('bss');
  const placements = modules.map((_, i) => ({ text: at.text[i]!, rodata: at.rodata[i]!, data: at.data[i]!, bss: at.bss[i]! }));
  return { base, modules: placements, embeds: placedEmbeds, textEnd, rodataEnd, startData, dataEnd, end: pc };
}
