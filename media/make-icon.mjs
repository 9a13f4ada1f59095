// Regenerate icon.png: node media/make-icon.mjs media/icon.png
// Renders media/verdict.svg's shapes to a 128×128 PNG (4×4 supersampling), written with zlib.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const N = 128,
  S = 4;
const hex = [
  [64, 18],
  [102, 39],
  [102, 85],
  [64, 106],
  [26, 85],
  [26, 39],
  [64, 18],
];
const check = [
  [45, 64],
  [58, 77],
  [84, 49],
];
function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
function polyDist(px, py, pts) {
  let d = Infinity;
  for (let i = 0; i + 1 < pts.length; i++) d = Math.min(d, segDist(px, py, pts[i], pts[i + 1]));
  return d;
}
function inRoundRect(px, py, x, y, w, h, r) {
  const cx = Math.max(x + r, Math.min(x + w - r, px)),
    cy = Math.max(y + r, Math.min(y + h - r, py));
  return Math.hypot(px - cx, py - cy) <= r;
}
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const top = [0x2b, 0x4a, 0x6f],
  bottom = [0x1e, 0x2a, 0x3a],
  white = [0xe8, 0xee, 0xf5],
  green = [0x4e, 0xc9, 0x7b];
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    let acc = [0, 0, 0, 0];
    for (let sy = 0; sy < S; sy++)
      for (let sx = 0; sx < S; sx++) {
        const px = x + (sx + 0.5) / S,
          py = y + (sy + 0.5) / S;
        if (!inRoundRect(px, py, 4, 4, 120, 120, 24)) continue;
        let c = mix(top, bottom, (py - 4) / 120);
        if (polyDist(px, py, hex) <= 4) c = white;
        if (polyDist(px, py, check) <= 5) c = green;
        acc = [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2], acc[3] + 255];
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    const a = acc[3] / (S * S);
    // Colour averaged over covered samples (straight alpha).
    const cov = acc[3] / 255 || 1;
    raw[o] = Math.round(acc[0] / cov);
    raw[o + 1] = Math.round(acc[1] / cov);
    raw[o + 2] = Math.round(acc[2] / cov);
    raw[o + 3] = Math.round(a);
  }
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6;
ihdr[10] = 0;
ihdr[11] = 0;
ihdr[12] = 0;
writeFileSync(
  process.argv[2],
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
