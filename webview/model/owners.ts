// WeensyOS's own picture of memory (FACTS.md section 7; kernel.c's
// memstate_colors, page_cell, darken_if_shared and memshow_virtual): which
// character and CGA colour a physical or virtual page gets, so the panel
// looks like the screen the student already knows.
//
// A cell is char | attribute << 8; the attribute's low nibble is the
// foreground colour, the high nibble the background.

export const PO_FREE = 0;
export const PO_RESERVED = -1;
export const PO_KERNEL = -2;
export const PTE_P = 1;
export const PTE_W = 2;
export const PTE_U = 4;

/** The 16 CGA text colours, as the VGA palette draws them. */
export const CGA_PALETTE: readonly string[] = [
  '#000000', '#0000aa', '#00aa00', '#00aaaa', '#aa0000', '#aa00aa', '#aa5500', '#aaaaaa',
  '#555555', '#5555ff', '#55ff55', '#55ffff', '#ff5555', '#ff55ff', '#ffff55', '#ffffff',
];

/** Colours of processes 1, 2, 3, 4, 5; pid p uses entry (p - 1) % 5 (memstate_colors). */
const PROCESS_COLOURS = [0x0c, 0x0a, 0x09, 0x0e, 0x0f];

/** A memshow cell: its character and attribute byte. */
export interface Cell {
  readonly ch: string;
  readonly attr: number;
}

/** The cell of an owner as memstate_colors has it; owners it has no colour for show '?' on red. */
export function ownerCell(owner: number): Cell {
  if (owner === PO_KERNEL) return { ch: 'K', attr: 0x0d };
  if (owner === PO_RESERVED) return { ch: 'R', attr: 0x07 };
  if (owner === PO_FREE) return { ch: '.', attr: 0x07 };
  if (owner >= 1 && owner <= 15) return { ch: owner.toString(16).toUpperCase(), attr: PROCESS_COLOURS[(owner - 1) % 5]! };
  return { ch: '?', attr: 0x4f };
}

/** page_cell + darken_if_shared: the physical page's cell on the WeensyOS screen. */
export function physicalCell(owner: number, refcount: number): Cell {
  const c = ownerCell(refcount === 0 ? PO_FREE : owner);
  return refcount > 1 ? { ch: c.ch, attr: c.attr & 0x77 } : c;
}

/** memshow_virtual's cell for a mapped virtual page: the physical page's, reversed if user-accessible, then darkened if shared. */
export function virtualCell(owner: number, refcount: number, perm: number): Cell {
  const base = ownerCell(refcount === 0 ? PO_FREE : owner);
  let attr = base.attr;
  if (perm & PTE_U) attr = ((attr & 0x0f) << 4) | ((attr & 0xf0) >> 4);
  if (refcount > 1) attr &= 0x77;
  return { ch: base.ch, attr };
}

/** An unmapped virtual page: memshow_virtual writes ' ' with attribute 0 (black on black). */
export const UNMAPPED_CELL: Cell = { ch: ' ', attr: 0x00 };

/** The owner in words: "the kernel", "reserved", "free", "process 3". */
export function ownerName(owner: number | null | undefined): string {
  if (owner === null || owner === undefined) return 'unknown';
  if (owner === PO_KERNEL) return 'the kernel';
  if (owner === PO_RESERVED) return 'reserved';
  if (owner === PO_FREE) return 'free';
  return owner > 0 ? `process ${owner}` : `owner ${owner}`;
}

/** "P|W|U" from PTE_P|PTE_W|PTE_U bits, or "none". */
export function permText(perm: number): string {
  const names = [[PTE_P, 'P'], [PTE_W, 'W'], [PTE_U, 'U']] as const;
  return names.filter(([bit]) => perm & bit).map(([, n]) => n).join('|') || 'none';
}
