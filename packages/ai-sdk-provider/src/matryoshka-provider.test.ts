import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import { experimental_generateVideo, generateImage } from 'ai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatryoshka } from './matryoshka-provider.js';

// The repository's random-weight fixtures: the real engine and ONNX Runtime, pictures that are noise.
const FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const provider = createMatryoshka({ modelsDir: FIXTURES_DIR, threads: 1 });
const model = provider.image('tiny-bundle');
const fast = { matryoshka: { steps: 2 } };

beforeAll(() => {
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
});
afterAll(() => provider.close());

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('generateImage with matryoshka.image()', () => {
  it('returns n PNGs, each with the seed that replays it, and typed warnings', async () => {
    const result = await generateImage({
      model,
      prompt: 'a red apple',
      n: 3,
      seed: 41,
      providerOptions: fast,
    });
    expect(result.images).toHaveLength(3);
    for (const image of result.images) {
      expect(image.mediaType).toBe('image/png');
      expect((await sharp(image.uint8Array).metadata()).width).toBe(64);
    }
    const perImage = result.images.map(
      (image) => image.providerMetadata?.matryoshka as { seed: number; model: string },
    );
    expect(perImage.map((m) => m.seed)).toEqual([41, 42, 43]);
    expect(perImage.every((m) => m.model === 'tiny-bundle')).toBe(true);
    const call = result.calls[0]?.providerMetadata?.matryoshka as unknown as {
      interpretation: { text: string };
      request: { steps: number };
    };
    expect(call.request.steps).toBe(2);
    expect(call.interpretation.text).toContain('apple');
    // The fixture's own warning arrives in the SDK's typed form.
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        type: 'other',
        message: expect.stringContaining('random-weight test fixture'),
      }),
    );

    const again = await generateImage({ model, prompt: 'a red apple', seed: 42, providerOptions: fast });
    expect(Buffer.from(again.image.uint8Array).equals(Buffer.from(result.images[1]?.uint8Array ?? []))).toBe(
      true,
    );
  });

  it('maps size and aspect ratio onto the picture, and says which one it ignored', async () => {
    const sized = await generateImage({ model, prompt: 'a cat', size: '128x96', providerOptions: fast });
    const sizedMeta = await sharp(sized.image.uint8Array).metadata();
    expect([sizedMeta.width, sizedMeta.height]).toEqual([128, 96]);
    // The model draws 64 px: a larger size works, with less detail, and says so.
    expect(sized.warnings).toContainEqual(
      expect.objectContaining({ type: 'compatibility', feature: 'size' }),
    );

    const ratio = await generateImage({ model, prompt: 'a cat', aspectRatio: '16:9', providerOptions: fast });
    const ratioMeta = await sharp(ratio.image.uint8Array).metadata();
    expect([ratioMeta.width, ratioMeta.height]).toEqual([64, 36]);

    const both = await generateImage({
      model,
      prompt: 'a cat',
      size: '64x64',
      aspectRatio: '16:9',
      providerOptions: fast,
    });
    expect(both.warnings).toContainEqual(
      expect.objectContaining({ type: 'unsupported', feature: 'aspectRatio' }),
    );
  });

  it('passes providerOptions.matryoshka to core: a transparent WebP', async () => {
    const result = await generateImage({
      model,
      prompt: 'a star',
      providerOptions: { matryoshka: { steps: 2, background: 'transparent', format: 'webp' } },
    });
    expect(result.image.mediaType).toBe('image/webp');
    const call = result.calls[0]?.providerMetadata?.matryoshka as unknown as {
      request: { background: string };
    };
    expect(call.request.background).toBe('transparent');
  });

  it('refuses bad options with InvalidArgumentError naming the argument', async () => {
    const unknown = await failure(
      generateImage({ model, prompt: 'x', providerOptions: { matryoshka: { stpes: 3 } } }),
    );
    expect(InvalidArgumentError.isInstance(unknown)).toBe(true);
    expect((unknown as Error).message).toMatch(/unknown option "stpes"/);

    const steps = await failure(
      generateImage({ model, prompt: 'x', providerOptions: { matryoshka: { steps: 0 } } }),
    );
    expect(InvalidArgumentError.isInstance(steps)).toBe(true);
    expect((steps as InvalidArgumentError).argument).toBe('providerOptions.matryoshka.steps');

    const size = await failure(
      generateImage({ model, prompt: 'x', size: '64xbig' as `${number}x${number}` }),
    );
    expect((size as InvalidArgumentError).argument).toBe('size');
  });

  it('names an unknown model with NoSuchModelError', async () => {
    const error = await failure(generateImage({ model: provider.image('no-such-model'), prompt: 'x' }));
    expect(NoSuchModelError.isInstance(error)).toBe(true);
  });

  it('stops when the abort signal fires, rejecting with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 150);
    const started = Date.now();
    const error = await failure(
      generateImage({
        model,
        prompt: 'a slow one',
        n: 16,
        abortSignal: controller.signal,
        providerOptions: { matryoshka: { steps: 200 } },
      }),
    );
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(5000);
    // The engine is free again for the next call.
    const next = await generateImage({ model, prompt: 'after', providerOptions: fast });
    expect(next.images).toHaveLength(1);
  });

  it('makes variations of prompt.images at providerOptions.matryoshka.strength, and repaints prompt.mask', async () => {
    const png = (await generateImage({ model, prompt: 'x', seed: 1, providerOptions: fast })).image
      .uint8Array;
    const result = await generateImage({
      model,
      prompt: { text: 'a red apple', images: [png] },
      n: 2,
      providerOptions: { matryoshka: { steps: 5, strength: 0.4 } },
    });
    expect(result.images).toHaveLength(2);
    const call = result.calls[0]?.providerMetadata?.matryoshka as unknown as {
      request: { strength: number; imageSha256: string };
    };
    expect(call.request.strength).toBe(0.4);
    expect(call.request.imageSha256).toMatch(/^[0-9a-f]{64}$/);

    // The AI SDK's mask convention: transparent where to repaint (here the right half).
    const sharp = (await import('sharp')).default;
    const mask = await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="32" height="64"/></svg>',
      ),
    )
      .png()
      .toBuffer();
    const masked = await generateImage({
      model,
      prompt: { text: 'a cat', images: [png], mask },
      providerOptions: fast,
    });
    const metadata = masked.calls[0]?.providerMetadata?.matryoshka as unknown as
      | { request: Record<string, unknown> }
      | undefined;
    const request = metadata?.request;
    expect(request).toMatchObject({ strength: 1, maskSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const kept = await sharp(masked.image.uint8Array)
      .extract({ left: 0, top: 0, width: 30, height: 64 })
      .raw()
      .toBuffer();
    const given = await sharp(png).extract({ left: 0, top: 0, width: 30, height: 64 }).raw().toBuffer();
    expect(kept.equals(given)).toBe(true);
    const far = await failure(
      generateImage({
        model,
        prompt: { text: 'x', images: [png], mask: 'https://example.com/mask.png' },
        providerOptions: fast,
      }),
    );
    expect((far as Error).message).toMatch(/prompt.mask: .*does not download/);
    const two = await failure(
      generateImage({ model, prompt: { text: 'x', images: [png, png] }, providerOptions: fast }),
    );
    expect(InvalidArgumentError.isInstance(two)).toBe(true);
  });

  it('has no language or embedding models', () => {
    expect(() => provider.languageModel('x')).toThrow(NoSuchModelError);
  });
});

describe('experimental_generateVideo with matryoshka.video()', () => {
  it('returns an animated WebP whose duration sets the fps', async () => {
    const result = await experimental_generateVideo({
      model: provider.video('tiny-clip-bundle'),
      prompt: 'a spinning star',
      duration: 1,
      providerOptions: fast,
    });
    expect(result.video.mediaType).toBe('image/webp');
    const meta = await sharp(result.video.uint8Array, { animated: true }).metadata();
    expect(meta.pages).toBe(4);
    const clipMeta = result.providerMetadata?.matryoshka as unknown as
      | { request: { fps: number } }
      | undefined;
    const request = clipMeta?.request;
    expect(request?.fps).toBe(4);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ type: 'other', message: expect.stringContaining('test fixture') }),
    );
  });
});
