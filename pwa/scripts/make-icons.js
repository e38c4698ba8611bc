// Draws the app icons (a Z ticket on the theme colour) and writes real PNGs with zlib only:
// public/icons/icon-192.png, icon-512.png, icon-maskable-512.png, apple-touch-icon.png (180), favicon-32.png.
// Run: npm run icons (the PNGs are committed; the build does not need this script).
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const THEME = [0x0b, 0x5d, 0x4b]; // #0b5d4b
const PAPER = [0xff, 0xff, 0xff];
const INK = [0x0b, 0x5d, 0x4b];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Colour at (u, v) in [0, 1]² — or null for transparent. `scale` shrinks the glyph (maskable safe zone). */
function shade(u, v, { rounded, scale }) {
  if (rounded && !inRoundRect(u, v, 0, 0, 1, 1, 0.2)) return null;
  const s = (t) => 0.5 + (t - 0.5) / scale;
  const x = s(u);
  const y = s(v);
  // The ticket: a paper strip with a zigzag tear at the bottom and printed lines.
  const tear = 0.82 - Math.abs(((x * 10) % 1) - 0.5) * 0.06;
  if (x > 0.27 && x < 0.73 && y > 0.16 && y < tear) {
    const lines = [[0.27, 0.36, 0.64], [0.38, 0.36, 0.56], [0.49, 0.36, 0.64], [0.6, 0.36, 0.5]];
    for (const [ly, lx0, lx1] of lines) if (Math.abs(y - ly) < 0.025 && x > lx0 && x < lx1) return INK;
    if (y > 0.67 && y < 0.73 && x > 0.52 && x < 0.64) return INK; // the Z total
    return PAPER;
  }
  return THEME;
}

function draw(size, opts) {
  const ss = 4; // supersampling for smooth edges
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy += 1) {
        for (let sx = 0; sx < ss; sx += 1) {
          const c = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, opts);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a) out.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / (ss * ss))], i);
    }
  }
  return encodePng(size, size, out);
}

const ICONS = [
  ['icon-192.png', 192, { rounded: true, scale: 1 }],
  ['icon-512.png', 512, { rounded: true, scale: 1 }],
  ['icon-maskable-512.png', 512, { rounded: false, scale: 0.72 }],
  ['apple-touch-icon.png', 180, { rounded: false, scale: 0.85 }],
  ['favicon-32.png', 32, { rounded: true, scale: 1 }],
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(OUT, { recursive: true });
  for (const [name, size, opts] of ICONS) {
    writeFileSync(join(OUT, name), draw(size, opts));
    console.log(`icons/${name} ${size}×${size}`);
  }
}
