import { deflateSync } from 'node:zlib';

/** A real PNG made in code: a home blood-pressure monitor's display reading `text` (digits and '/'). */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** 3x5 glyphs, rows top to bottom, bits left to right. */
const GLYPHS: Record<string, readonly number[]> = {
  '0': [0b111, 0b101, 0b101, 0b101, 0b111],
  '1': [0b010, 0b110, 0b010, 0b010, 0b111],
  '2': [0b111, 0b001, 0b111, 0b100, 0b111],
  '3': [0b111, 0b001, 0b111, 0b001, 0b111],
  '4': [0b101, 0b101, 0b111, 0b001, 0b001],
  '5': [0b111, 0b100, 0b111, 0b001, 0b111],
  '6': [0b111, 0b100, 0b111, 0b101, 0b111],
  '7': [0b111, 0b001, 0b010, 0b010, 0b010],
  '8': [0b111, 0b101, 0b111, 0b101, 0b111],
  '9': [0b111, 0b101, 0b111, 0b001, 0b111],
  '/': [0b001, 0b001, 0b010, 0b100, 0b100],
};

export function monitorDisplayPng(text: string, scale = 4): Buffer {
  const glyphW = 3 * scale;
  const gap = scale;
  const margin = 3 * scale;
  const width = margin * 2 + text.length * (glyphW + gap) - gap;
  const height = margin * 2 + 5 * scale;
  const pixels = Buffer.alloc(height * (1 + width * 3));
  const set = (x: number, y: number, rgb: readonly [number, number, number]) => {
    const at = y * (1 + width * 3) + 1 + x * 3;
    pixels[at] = rgb[0];
    pixels[at + 1] = rgb[1];
    pixels[at + 2] = rgb[2];
  };
  // LCD green background, dark segments.
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) set(x, y, [166, 190, 150]);
  [...text].forEach((ch, i) => {
    const glyph = GLYPHS[ch] ?? [0, 0, 0, 0, 0];
    glyph.forEach((row, gy) => {
      for (let gx = 0; gx < 3; gx++) {
        if (!(row & (0b100 >> gx))) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) set(margin + i * (glyphW + gap) + gx * scale + dx, margin + gy * scale + dy, [28, 36, 30]);
        }
      }
    });
  });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
