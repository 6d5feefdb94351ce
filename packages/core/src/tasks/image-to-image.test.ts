import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { FIXTURES_DIR, failure } from '../fixtures.test-support.js';
import { readPngText } from '../png/chunks.js';

const engine = createEngine({ modelsDir: FIXTURES_DIR, defaultModel: 'tiny-bundle', threads: 1 });
afterAll(() => engine.close());

/** A red disc on white, 96 px (not the model's size, so the input is resized). */
const disc = async () =>
  new Uint8Array(
    await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#fff"/><circle cx="48" cy="48" r="30" fill="#d22"/></svg>',
      ),
    )
      .png()
      .toBuffer(),
  );

const rgb = async (png: Uint8Array) => sharp(png).resize(64, 64).removeAlpha().raw().toBuffer();
const distance = (a: Buffer, b: Buffer) =>
  a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] as number)), 0) / a.length;

describe('image-to-image', () => {
  it('starts every level from the input: the lower the strength, the closer the result stays to it', async () => {
    const image = await disc();
    const target = await rgb(image);
    const near = await engine.generate({ prompt: 'a red ball', image, strength: 0.1, steps: 10, seed: 1 });
    const far = await engine.generate({ prompt: 'a red ball', image, strength: 0.9, steps: 10, seed: 1 });
    const dNear = distance(await rgb(near.images[0]?.bytes as Uint8Array), target);
    const dFar = distance(await rgb(far.images[0]?.bytes as Uint8Array), target);
    const plain = await engine.generate({ prompt: 'a red ball', steps: 10, seed: 1 });
    const dPlain = distance(await rgb(plain.images[0]?.bytes as Uint8Array), target);
    // Random weights: the order is what holds, not how close (a trained model keeps far more).
    expect(dNear).toBeLessThan(dFar);
    expect(dNear).toBeLessThan(dPlain);
  });

  it('runs only the steps after the strength, records the input by its hash, and varies with the seed', async () => {
    const image = await disc();
    const totals: number[] = [];
    const result = await engine.generate(
      { prompt: 'a red ball', image, strength: 0.3, steps: 10, seed: 5, count: 2 },
      { onProgress: (p) => totals.push(p.total) },
    );
    expect(new Set(totals)).toEqual(new Set([3]));
    const sha = createHash('sha256').update(image).digest('hex');
    expect(result.request).toMatchObject({ strength: 0.3, imageSha256: sha, steps: 10 });
    expect(JSON.parse(readPngText(result.images[0]?.bytes as Uint8Array).parameters ?? '{}')).toMatchObject({
      imageSha256: sha,
      strength: 0.3,
    });
    const [a, b] = result.images.map((i) => Buffer.from(i.bytes));
    expect(a?.equals(b as Buffer)).toBe(false);
    const again = await engine.generate({ prompt: 'a red ball', image, strength: 0.3, steps: 10, seed: 5 });
    expect(Buffer.from(again.images[0]?.bytes as Uint8Array).equals(a as Buffer)).toBe(true);
  });

  it('defaults the strength to 0.6 and refuses a strength without an image or bytes that are no picture', async () => {
    const result = await engine.generate({ prompt: 'x', image: await disc(), steps: 2 });
    expect(result.request.strength).toBe(0.6);
    const lone = await failure(engine.generate({ prompt: 'x', strength: 0.5 }));
    expect([lone.code, lone.message]).toEqual([
      'INVALID_REQUEST',
      'strength: needs an image to start from (image)',
    ]);
    const junk = await failure(engine.generate({ prompt: 'x', image: new Uint8Array([1, 2, 3]) }));
    expect(junk.code).toBe('INVALID_REQUEST');
    expect(junk.message).toMatch(/^image: could not read the picture/);
    const zero = await failure(engine.generate({ prompt: 'x', image: await disc(), strength: 0 }));
    expect(zero.message).toMatch(/^strength: must be a number above 0 and at most 1/);
  });
});
