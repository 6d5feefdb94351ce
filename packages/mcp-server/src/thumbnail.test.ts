import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeThumbnail } from './thumbnail.js';

const noise = (width: number, height: number) => {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
};

describe('makeThumbnail', () => {
  it('fits a large picture inside the cap, keeping its aspect ratio', async () => {
    const bytes = new Uint8Array(await noise(1024, 512).png().toBuffer());
    const thumb = await makeThumbnail(
      { bytes, mimeType: 'image/png', width: 1024, height: 512 },
      256,
      'webp',
    );
    expect(thumb.mimeType).toBe('image/webp');
    expect([thumb.width, thumb.height]).toEqual([256, 128]);
    const meta = await sharp(thumb.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 128]);
    expect(thumb.data.byteLength).toBeLessThan(bytes.byteLength);
  });

  it('passes a small picture of the wanted format through untouched, and never enlarges', async () => {
    const png = new Uint8Array(await noise(64, 64).png().toBuffer());
    const same = await makeThumbnail(
      { bytes: png, mimeType: 'image/png', width: 64, height: 64 },
      256,
      'png',
    );
    expect(same.data).toBe(png);
    const jpeg = new Uint8Array(await noise(64, 64).jpeg().toBuffer());
    const converted = await makeThumbnail(
      { bytes: jpeg, mimeType: 'image/jpeg', width: 64, height: 64 },
      256,
      'png',
    );
    expect(converted.mimeType).toBe('image/png');
    expect([converted.width, converted.height]).toEqual([64, 64]);
  });

  it('shows the first frame of an animation as a still', async () => {
    const frames = await Promise.all(
      [0, 80, 160, 240].map((red) =>
        sharp({ create: { width: 32, height: 32, channels: 3, background: { r: red, g: 0, b: 0 } } })
          .png()
          .toBuffer(),
      ),
    );
    const animated = await sharp(frames, { join: { animated: true } })
      .webp({ loop: 0, delay: [100, 100, 100, 100] })
      .toBuffer();
    expect((await sharp(animated, { pages: -1 }).metadata()).pages).toBe(4);
    const thumb = await makeThumbnail(
      { bytes: new Uint8Array(animated), mimeType: 'image/webp', width: 32, height: 32 },
      256,
      'webp',
    );
    const meta = await sharp(thumb.data, { pages: -1 }).metadata();
    expect(meta.pages ?? 1).toBe(1);
    expect([meta.width, meta.height]).toEqual([32, 32]);
  });
});
