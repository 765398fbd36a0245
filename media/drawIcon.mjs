// Draws media/icon.png, the extension's icon: a plan's task graph, one planner node fanning out to three tasks
// that run at once and join into the answer. Run `node media/drawIcon.mjs` after changing it.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 256;
const SAMPLES = 4; // per axis, for anti-aliased edges

const background = [31, 36, 48];
const edge = [201, 209, 224];
const nodes = [
  { x: 128, y: 50, r: 24, color: [79, 157, 255] },
  { x: 58, y: 128, r: 22, color: [63, 201, 122] },
  { x: 128, y: 128, r: 22, color: [63, 201, 122] },
  { x: 198, y: 128, r: 22, color: [63, 201, 122] },
  { x: 128, y: 206, r: 24, color: [255, 179, 71] },
];
const edges = [[0, 1], [0, 2], [0, 3], [1, 4], [2, 4], [3, 4]];

/** Distance from (px, py) to the segment a–b. */
function segmentDistance(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/** Inside the rounded square that is the icon's tile. */
function inTile(px, py) {
  const radius = 48;
  const cx = Math.max(radius, Math.min(SIZE - radius, px));
  const cy = Math.max(radius, Math.min(SIZE - radius, py));
  return Math.hypot(px - cx, py - cy) <= radius;
}

/** The colour at one sample point, or null outside the tile. */
function sample(px, py) {
  if (!inTile(px, py)) return null;
  for (const n of nodes) if (Math.hypot(px - n.x, py - n.y) <= n.r) return n.color;
  for (const n of nodes) if (Math.hypot(px - n.x, py - n.y) <= n.r + 5) return background; // a gap around each node
  for (const [a, b] of edges) if (segmentDistance(px, py, nodes[a], nodes[b]) <= 4.5) return edge;
  return background;
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const color = sample(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!color) continue;
        for (let i = 0; i < 3; i++) sum[i] += color[i];
        sum[3]++;
      }
    }
    const covered = sum[3];
    const at = 1 + x * 4;
    if (covered > 0) for (let i = 0; i < 3; i++) row[at + i] = Math.round(sum[i] / covered);
    row[at + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
  }
  rows.push(row);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
