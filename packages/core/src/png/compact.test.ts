import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeRgbPngCompact } from './compact.js';
import { filterScanlines } from './filter.js';

const EMOJI = fileURLToPath(
  new URL('../../../../node_modules/emoji-datasource-google/img/google/64/', import.meta.url),
);

async function decode(png: Uint8Array) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), ...info };
}

/** Real emoji art, flattened to RGB: what the model is trained to draw. */
async function emojiRgb(count: number): Promise<Array<{ rgb: Uint8Array; width: number; height: number }>> {
  const files = readdirSync(EMOJI)
    .filter((f) => f.endsWith('.png'))
    .filter((_, i) => i % 97 === 0)
    .slice(0, count);
  return Promise.all(
    files.map(async (file) => {
      const { data, info } = await sharp(readFileSync(`${EMOJI}${file}`))
        .flatten({ background: '#ffffff' })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { rgb: new Uint8Array(data), width: info.width, height: info.height };
    }),
  );
}

describe('encodeRgbPngCompact', () => {
  it('round-trips exactly through an independent decoder (libvips), for art, noise and odd sizes', async () => {
    const noise = (w: number, h: number) => ({
      rgb: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 2654435761) >>> 24),
      width: w,
      height: h,
    });
    const cases = [...(await emojiRgb(6)), noise(64, 64), noise(1, 1), noise(7, 3), noise(3, 17)];
    for (const { rgb, width, height } of cases) {
      const decoded = await decode(encodeRgbPngCompact(rgb, width, height));
      expect([decoded.width, decoded.height, decoded.channels]).toEqual([width, height, 3]);
      expect(Buffer.from(decoded.pixels).equals(Buffer.from(rgb))).toBe(true);
    }
  });

  it('is deterministic and no bigger than sharp at its strongest PNG settings (within 5%) on emoji art', async () => {
    let ours = 0;
    let theirs = 0;
    for (const { rgb, width, height } of await emojiRgb(12)) {
      const a = encodeRgbPngCompact(rgb, width, height);
      expect(Buffer.from(a).equals(Buffer.from(encodeRgbPngCompact(rgb, width, height)))).toBe(true);
      ours += a.length;
      theirs += (
        await sharp(rgb, { raw: { width, height, channels: 3 } })
          .png({ compressionLevel: 9, adaptiveFiltering: true })
          .toBuffer()
      ).length;
    }
    expect(ours).toBeLessThan(theirs * 1.05);
  });
});

describe('filterScanlines', () => {
  it('uses every filter type where it pays, and each row starts with its type byte', () => {
    const width = 16;
    const rows = [
      Array.from({ length: width * 3 }, () => 200), // flat: None or Sub/Up all give zeros
      Array.from({ length: width * 3 }, (_, x) => Math.floor(x / 3) * 9), // horizontal ramp: Sub
      Array.from({ length: width * 3 }, (_, x) => Math.floor(x / 3) * 9), // same as above: Up
      Array.from({ length: width * 3 }, (_, x) => (Math.floor(x / 3) * 9 + 40) & 0xff), // ramp + offset: Sub or Paeth
    ];
    const pixels = Uint8Array.from(rows.flat());
    const filtered = filterScanlines(pixels, width, rows.length, 3);
    expect(filtered.length).toBe(rows.length * (1 + width * 3));
    const types = rows.map((_, y) => filtered[y * (1 + width * 3)]);
    for (const t of types) expect(t).toBeGreaterThanOrEqual(0);
    for (const t of types) expect(t).toBeLessThanOrEqual(4);
    // Row 2 repeats row 1 exactly: Up turns it into zeros, which nothing beats.
    expect(types[2]).toBe(2);
    expect(filtered.subarray(2 * (1 + width * 3) + 1, 3 * (1 + width * 3)).every((v) => v === 0)).toBe(true);
    // Row 1 is a ramp: Sub leaves a constant small step.
    expect(types[1]).toBe(1);
  });
});
