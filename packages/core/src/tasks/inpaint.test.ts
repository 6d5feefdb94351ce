import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { FIXTURES_DIR, failure } from '../fixtures.test-support.js';
import { readPngText } from '../png/chunks.js';

const engine = createEngine({ modelsDir: FIXTURES_DIR, defaultModel: 'tiny-bundle', threads: 1 });
afterAll(() => engine.close());

const SIDE = 64; // the fixture's outermost level
const svg = (body: string) =>
  sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}">${body}</svg>`),
  );
/** Left half green, right half blue: a picture whose halves are easy to tell apart. */
const picture = async () =>
  new Uint8Array(
    await svg('<rect width="32" height="64" fill="#2a2"/><rect x="32" width="32" height="64" fill="#22a"/>')
      .png()
      .toBuffer(),
  );
/** Opaque: white (repaint) on the right half, black (keep) on the left. */
const whiteRight = async () =>
  new Uint8Array(
    await svg('<rect width="64" height="64" fill="#000"/><rect x="32" width="32" height="64" fill="#fff"/>')
      .png()
      .toBuffer(),
  );
/** With transparency: transparent (repaint) on the right half, opaque on the left. */
const clearRight = async () =>
  new Uint8Array(await svg('<rect width="32" height="64" fill="#888"/>').png().toBuffer());

const rgb = async (png: Uint8Array) => sharp(png).removeAlpha().raw().toBuffer();
/** Mean absolute difference over the columns [x0, x1) of two 64 px RGB buffers. */
const columns = (a: Buffer, b: Buffer, x0: number, x1: number) => {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = x0; x < x1; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * SIDE + x) * 3 + c;
        sum += Math.abs((a[i] as number) - (b[i] as number));
        n++;
      }
    }
  }
  return sum / n;
};

describe('inpainting', () => {
  it('keeps the unmasked half exactly, draws the masked half anew, with either mask convention', async () => {
    const image = await picture();
    const input = await rgb(image);
    for (const mask of [await whiteRight(), await clearRight()]) {
      const result = await engine.generate({ prompt: 'a red ball', image, mask, steps: 6, seed: 3 });
      const out = await rgb(result.images[0]?.bytes as Uint8Array);
      expect(columns(out, input, 0, 30)).toBeLessThan(1); // kept: the input, up to rounding
      expect(columns(out, input, 34, 64)).toBeGreaterThan(20); // repainted (random weights: noise)
    }
  });

  it('runs every step by default, records the mask by its hash, and replays byte for byte', async () => {
    const [image, mask] = [await picture(), await whiteRight()];
    const totals = new Set<number>();
    const result = await engine.generate(
      { prompt: 'a red ball', image, mask, steps: 5, seed: 9 },
      { onProgress: (p) => totals.add(p.total) },
    );
    expect(totals).toEqual(new Set([5]));
    const sha = createHash('sha256').update(mask).digest('hex');
    expect(result.request).toMatchObject({ strength: 1, maskSha256: sha });
    const stored = JSON.parse(readPngText(result.images[0]?.bytes as Uint8Array).parameters ?? '{}');
    expect(stored).toMatchObject({ maskSha256: sha, strength: 1 });
    const again = await engine.generate({ prompt: 'a red ball', image, mask, steps: 5, seed: 9 });
    expect(Buffer.from(again.images[0]?.bytes as Uint8Array)).toEqual(
      Buffer.from(result.images[0]?.bytes as Uint8Array),
    );
  });

  it('refuses a mask without a picture, a mask that marks nothing, and bytes that are no picture', async () => {
    const mask = await whiteRight();
    const lone = await failure(engine.generate({ prompt: 'x', mask }));
    expect([lone.code, lone.message]).toEqual([
      'INVALID_REQUEST',
      'mask: needs the picture it masks (image)',
    ]);
    const black = new Uint8Array(await svg('<rect width="64" height="64" fill="#000"/>').png().toBuffer());
    const nothing = await failure(engine.generate({ prompt: 'x', image: await picture(), mask: black }));
    expect(nothing.code).toBe('INVALID_REQUEST');
    expect(nothing.message).toMatch(/^mask: marks nothing to repaint/);
    const junk = await failure(
      engine.generate({ prompt: 'x', image: await picture(), mask: new Uint8Array([7]) }),
    );
    expect(junk.message).toMatch(/^mask: could not read the picture/);
  });
});
