// Draws the extension's icon, media/icon.png (128x128, RGBA), from code: a
// page-table walk as WeensyScope draws it. Four tables (L1-L4) from left to
// right, each a column of entries, one entry per level lit and linked to the
// next table, the last pointing at a physical page coloured like a process
// in memshow. No downloaded art; run it again after changing the drawing:
//
//   node scripts/make-icon.mjs        writes media/icon.png

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { deflateSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ICON = join(ROOT, 'media', 'icon.png');
const SIZE = 128;

const BACKGROUND = [0x1e, 0x23, 0x30, 255];
const ENTRY = [0x3a, 0x44, 0x5c, 255];
const LIT = [0x4f, 0xc3, 0xf7, 255]; // the entry the walk uses
const LINK = [0x9a, 0xd8, 0xf5, 255];
const PAGE = [0xff, 0xb7, 0x4d, 255]; // the physical page: process 1's colour family

const pixels = new Uint8Array(SIZE * SIZE * 4);

function fill(x0, y0, w, h, colour) {
  for (let y = Math.max(0, y0); y < Math.min(SIZE, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(SIZE, x0 + w); x++) pixels.set(colour, (y * SIZE + x) * 4);
  }
}

/** A rounded square background: the corners are left transparent. */
function background() {
  const r = 18;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = Math.max(r - x, x - (SIZE - 1 - r), 0);
      const dy = Math.max(r - y, y - (SIZE - 1 - r), 0);
      if (dx * dx + dy * dy <= r * r) pixels.set(BACKGROUND, (y * SIZE + x) * 4);
    }
  }
}

background();
// Four tables of eight entries; the walk lights entry `lit[i]` of table i.
const lit = [1, 5, 2, 6];
const columnX = [12, 38, 64, 90];
const top = 22;
const entryH = 8;
const gap = 3;
for (let t = 0; t < 4; t++) {
  for (let e = 0; e < 8; e++) fill(columnX[t], top + e * (entryH + gap), 18, entryH, e === lit[t] ? LIT : ENTRY);
}
// Links: from the lit entry's right edge to the next table's lit entry (a step down or up, then across).
for (let t = 0; t < 3; t++) {
  const y0 = top + lit[t] * (entryH + gap) + 3;
  const y1 = top + lit[t + 1] * (entryH + gap) + 3;
  const xMid = columnX[t] + 18 + 2;
  fill(columnX[t] + 18, y0, 3, 2, LINK);
  fill(xMid, Math.min(y0, y1), 2, Math.abs(y1 - y0) + 2, LINK);
  fill(xMid, y1, columnX[t + 1] - xMid, 2, LINK);
}
// The leaf points at the physical page, bottom right.
const leafY = top + lit[3] * (entryH + gap) + 3;
fill(108, leafY, 4, 2, LINK);
fill(110, leafY, 2, 104 - leafY, LINK);
fill(100, 104, 18, 14, PAGE);

/** A PNG file of the RGBA pixels: signature, IHDR, one IDAT, IEND. */
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) {
    rows[y * (SIZE * 4 + 1)] = 0; // filter: none
    Buffer.from(pixels.buffer, y * SIZE * 4, SIZE * 4).copy(rows, y * (SIZE * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(dirname(ICON), { recursive: true });
writeFileSync(ICON, png());
console.log(`wrote ${ICON}`);
