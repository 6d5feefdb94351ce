import { deflateSync } from 'node:zlib';
import { encodeChunk } from './png-chunks.js';
import { filterScanlines } from './png-filter.js';

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The final PNG of an image at the model's native size, without sharp: adaptive filtering and
 * maximum deflate give files as small as sharp's `png({ compressionLevel: 9, adaptiveFiltering })`
 * (2,940 against 2,968 bytes on average over 40 Noto emoji at 64 px), and a cold `generate` need not
 * load libvips (135 ms of CPU and 30 MB of RSS measured on the bench machine). Deterministic: the
 * same pixels always give the same bytes.
 */
export function encodeRgbPngCompact(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, adaptive filtering, no interlace
  const parts = [
    SIGNATURE,
    encodeChunk('IHDR', ihdr),
    encodeChunk('IDAT', deflateSync(filterScanlines(rgb, width, height, 3), { level: 9 })),
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
