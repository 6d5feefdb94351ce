import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { SamplerName } from './constants.js';
import { createEngine } from './engine.js';
import { decodeTensor, type EncodedTensor, FIXTURES_DIR, readFixture } from './fixtures.test-support.js';

interface SamplesFixture {
  bundle: string;
  tolerance: number;
  cases: Array<{
    prompt: string;
    negativePrompt?: string;
    seed: number;
    sampler: SamplerName;
    steps: number;
    guidance: number;
    width: number;
    height: number;
    pixels: EncodedTensor;
    innermost: EncodedTensor;
  }>;
}

const samples = readFixture<SamplesFixture>('parity/samples.json');

async function rawRgb(png: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(png).removeAlpha().raw().toBuffer());
}

function worstDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe.skipIf(!samples)(
  'engine against the Python reference sampler (test/fixtures/parity/samples.json)',
  () => {
    const fixture = samples as SamplesFixture;
    const engine = createEngine({ modelsDir: FIXTURES_DIR, threads: 1 });
    afterAll(() => engine.close());

    it.each(fixture?.cases ?? [])(
      '$sampler, $steps steps, guidance $guidance, seed $seed: "$prompt"',
      async (c) => {
        let lastPreview: Uint8Array | undefined;
        const result = await engine.generate(
          {
            prompt: c.prompt,
            ...(c.negativePrompt ? { negativePrompt: c.negativePrompt } : {}),
            model: fixture.bundle,
            seed: c.seed,
            sampler: c.sampler,
            steps: c.steps,
            guidance: c.guidance,
            width: c.width,
            height: c.height,
            preview: true,
          },
          { onProgress: (p) => (lastPreview = p.preview?.png) },
        );
        const image = result.images[0];
        expect(image?.seed).toBe(c.seed);
        const tolerance = Math.min(fixture.tolerance, 1);
        expect(
          worstDiff(await rawRgb(image?.bytes as Uint8Array), decodeTensor(c.pixels) as Uint8Array),
        ).toBeLessThanOrEqual(tolerance);
        // The last preview is the innermost level's final x0: the free 16 px copy.
        expect(
          worstDiff(await rawRgb(lastPreview as Uint8Array), decodeTensor(c.innermost) as Uint8Array),
        ).toBeLessThanOrEqual(tolerance);
      },
    );
  },
);
