import { deflateSync } from 'node:zlib';
import { encodeChunk } from './chunks.js';

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A minimal synchronous RGB PNG writer for progress previews: a 16 px preview costs a few
 * microseconds here, against a round trip through sharp's thread pool.
 */
export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  // Filter type 0 (none) on every row: a preview is tiny, so choosing filters would not pay.
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  }
  return rgbPngFile(width, height, deflateSync(raw));
}

/** An 8-bit RGB PNG file around `idat`: the deflated scanlines, each led by its filter byte. */
export function rgbPngFile(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, adaptive filtering, no interlace
  const parts = [
    SIGNATURE,
    encodeChunk('IHDR', ihdr),
    encodeChunk('IDAT', idat),
    encodeChunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
