import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from './engine.js';
import { MatryoshkaError } from './errors.js';
import { FIXTURES_DIR, failure, TINY_BUNDLE_DIR } from './fixtures.test-support.js';
import { readPngText } from './png/chunks.js';
import { GenerateResultSchema } from './schema.js';

// The factory's type hides the class behind it; its prototype's run() is what every session calls.
const sessionPrototype = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;

const engine = createEngine({ modelsDir: FIXTURES_DIR, defaultModel: 'tiny-bundle', threads: 1 });
afterAll(() => engine.close());

const temps: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A private copy of the tiny bundle (optionally renamed), so a test may damage it. */
function copyBundle(id = 'tiny-bundle', fixture = true): { modelsDir: string; dir: string } {
  const modelsDir = mkdtempSync(join(tmpdir(), 'matryoshka-models-'));
  temps.push(modelsDir);
  const dir = join(modelsDir, id);
  cpSync(TINY_BUNDLE_DIR, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  writeFileSync(
    manifestPath,
    JSON.stringify({ ...manifest, id, training: { ...manifest.training, fixture } }),
  );
  return { modelsDir, dir };
}

const base = { prompt: 'a red apple', steps: 4, seed: 1234 } as const;

describe('generate', () => {
  it("reads the prompt onto the model's words, draws that reading and says how it read it", async () => {
    const typed = await engine.generate({ ...base, prompt: 'two red aples for lunch' });
    expect(typed.interpretation).toEqual({
      text: 'two red apple',
      changes: [
        { from: 'for lunch', to: '', reason: 'purpose' },
        { from: 'aples', to: 'apple', reason: 'spelling' },
      ],
    });
    const meant = await engine.generate({ ...base, prompt: 'two red apple' });
    expect(Buffer.from(typed.images[0]?.bytes ?? []).equals(Buffer.from(meant.images[0]?.bytes ?? []))).toBe(
      false, // the PNG records the prompt as typed, so the files differ there…
    );
    expect(meant.interpretation.changes).toEqual([]);
    // …while the pixels are the reading's.
    const sharp = (await import('sharp')).default;
    const pixels = async (b: Uint8Array | undefined) =>
      sharp(Buffer.from(b ?? []))
        .raw()
        .toBuffer();
    expect((await pixels(typed.images[0]?.bytes)).equals(await pixels(meant.images[0]?.bytes))).toBe(true);
    expect(typed.warnings.map((w) => w.message).join('\n')).not.toMatch(/aples/);
  });

  it('returns a valid result with every default resolved from the manifest', async () => {
    const result = await engine.generate({ prompt: 'a red apple', seed: 9 });
    expect(GenerateResultSchema.safeParse(result).success).toBe(true);
    expect(result.request).toMatchObject({
      model: 'tiny-bundle',
      width: 64,
      height: 64,
      steps: 8,
      guidance: 3,
      sampler: 'dpmpp-2m',
      negativePrompt: '',
      count: 1,
      format: 'png',
    });
    expect(result.images[0]).toMatchObject({
      width: 64,
      height: 64,
      seed: 9,
      mimeType: 'image/png',
      format: 'png',
    });
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(/random-weight test fixture/);
    const meta = await sharp(result.images[0]?.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 64, 64, 3]);
  });

  it('gives byte-identical PNGs for the same request and seed, and different ones for another seed', async () => {
    const other = createEngine({ modelsDir: FIXTURES_DIR, defaultModel: 'tiny-bundle', threads: 1 });
    try {
      const a = await engine.generate(base);
      const b = await other.generate(base);
      const c = await engine.generate({ ...base, seed: 1235 });
      expect(
        Buffer.from(a.images[0]?.bytes as Uint8Array).equals(Buffer.from(b.images[0]?.bytes as Uint8Array)),
      ).toBe(true);
      expect(
        Buffer.from(a.images[0]?.bytes as Uint8Array).equals(Buffer.from(c.images[0]?.bytes as Uint8Array)),
      ).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('is deterministic in every output format', async () => {
    for (const format of ['webp', 'jpeg', 'avif'] as const) {
      const a = await engine.generate({ ...base, format });
      const b = await engine.generate({ ...base, format });
      expect(a.images[0]?.mimeType).toBe(`image/${format}`);
      const meta = await sharp(a.images[0]?.bytes).metadata();
      expect(meta.format).toBe(format === 'avif' ? 'heif' : format);
      // The replay parameters travel as EXIF ImageDescription outside PNG.
      expect(Buffer.from(meta.exif ?? []).toString('latin1')).toContain('"seed":1234');
      expect(
        Buffer.from(a.images[0]?.bytes as Uint8Array).equals(Buffer.from(b.images[0]?.bytes as Uint8Array)),
      ).toBe(true);
    }
  });

  it('tells each file its sample index and extension, so front ends need not work them out', async () => {
    const result = await engine.generate({ ...base, count: 2, format: 'jpeg' });
    expect(result.images.map((i) => [i.index, i.extension, i.seed])).toEqual([
      [0, 'jpg', 1234],
      [1, 'jpg', 1235],
    ]);
    expect(GenerateResultSchema.safeParse(result).success).toBe(true);
  });

  it('resolves the model a request would run without running it', async () => {
    const named = await engine.resolveModel({ kind: 'image', model: 'tiny-bundle' });
    expect([named.id, named.nativeResolution]).toEqual(['tiny-bundle', 64]);
    expect((await engine.resolveModel()).id).toBe('tiny-bundle'); // the engine's defaultModel
    expect((await failure(engine.resolveModel({ model: 'no-such-model' }))).code).toBe('MODEL_NOT_FOUND');
  });

  it('gives an alpha channel for background: "transparent" in every format that has one, and refuses jpeg', async () => {
    for (const format of ['png', 'webp', 'avif'] as const) {
      const cut = await engine.generate({ ...base, format, background: 'transparent' });
      expect((await sharp(cut.images[0]?.bytes).metadata()).hasAlpha).toBe(true);
      const opaque = await engine.generate({ ...base, format });
      expect((await sharp(opaque.images[0]?.bytes).metadata()).hasAlpha).toBe(false);
    }
    const jpeg = await failure(engine.generate({ ...base, format: 'jpeg', background: 'transparent' }));
    expect(jpeg.code).toBe('INVALID_REQUEST');
    expect(jpeg.message).toMatch(/alpha channel/);
  });

  it('writes the replay parameters into PNG text chunks, Unicode included', async () => {
    const request = {
      prompt: 'a red 🍎 café',
      negativePrompt: 'blurry',
      steps: 3,
      seed: 77,
      guidance: 2.5,
      sampler: 'ddim',
    } as const;
    const result = await engine.generate(request);
    const text = readPngText(result.images[0]?.bytes as Uint8Array);
    expect(text).toMatchObject({
      'matryoshka:prompt': request.prompt,
      'matryoshka:negative_prompt': 'blurry',
      'matryoshka:seed': '77',
      'matryoshka:steps': '3',
      'matryoshka:guidance': '2.5',
      'matryoshka:sampler': 'ddim',
      'matryoshka:model': 'tiny-bundle',
    });
    const parameters = JSON.parse(text.parameters as string);
    expect(parameters).toMatchObject({ ...request, model: 'tiny-bundle', width: 64, height: 64 });
    // Replaying the stored parameters alone reproduces the file.
    const replay = await engine.generate(parameters);
    expect(
      Buffer.from(replay.images[0]?.bytes as Uint8Array).equals(
        Buffer.from(result.images[0]?.bytes as Uint8Array),
      ),
    ).toBe(true);
  });

  it('gives image k of a batch the seed seed + k, identical to generating it alone', async () => {
    const batch = await engine.generate({ ...base, seed: 4294967295, count: 3 });
    expect(batch.images.map((i) => i.seed)).toEqual([4294967295, 0, 1]);
    const alone = await engine.generate({ ...base, seed: 0 });
    expect(
      Buffer.from(alone.images[0]?.bytes as Uint8Array).equals(
        Buffer.from(batch.images[1]?.bytes as Uint8Array),
      ),
    ).toBe(true);
  });

  it('draws a random uint32 seed when none is given and reports it', async () => {
    const a = await engine.generate({ prompt: 'sun', steps: 1 });
    const b = await engine.generate({ prompt: 'sun', steps: 1 });
    for (const r of [a, b]) {
      expect(Number.isInteger(r.request.seed) && r.request.seed >= 0 && r.request.seed <= 0xffffffff).toBe(
        true,
      );
      expect(r.images[0]?.seed).toBe(r.request.seed);
    }
    expect(a.request.seed).not.toBe(b.request.seed);
  });

  it('resizes a non-native size with sharp and says so in a warning', async () => {
    const result = await engine.generate({ ...base, width: 96, height: 48 });
    const meta = await sharp(result.images[0]?.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([96, 48]);
    expect(result.warnings.find((w) => w.code === 'resized')?.message).toMatch(/64×64.*96×48.*cropped/);
    const square = await engine.generate({ ...base, width: 128 });
    expect(square.request.height).toBe(128);
  });

  it('warns about words the model never saw', async () => {
    const result = await engine.generate({ ...base, prompt: 'a red zzyzx apple' });
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(/never saw.*zzyzx/);
  });

  it('reports progress after every step, with a 16 px preview of the innermost level when asked', async () => {
    const seen: Array<{ step: number; total: number; imageIndex: number; preview: boolean }> = [];
    const overall: string[] = [];
    let preview: Uint8Array | undefined;
    await engine.generate(
      { ...base, count: 2, preview: true },
      {
        onProgress: (p) => {
          seen.push({
            step: p.step,
            total: p.total,
            imageIndex: p.imageIndex,
            preview: p.preview !== undefined,
          });
          overall.push(`${p.overall.completed}/${p.overall.total}`);
          expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
          preview = p.preview?.png;
        },
      },
    );
    expect(seen.map((s) => `${s.imageIndex}:${s.step}/${s.total}`)).toEqual([
      '0:1/4',
      '0:2/4',
      '0:3/4',
      '0:4/4',
      '1:1/4',
      '1:2/4',
      '1:3/4',
      '1:4/4',
    ]);
    expect(overall).toEqual(['1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);
    expect(seen.every((s) => s.preview)).toBe(true);
    const meta = await sharp(preview).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 16, 16]);
    const without: boolean[] = [];
    await engine.generate(base, { onProgress: (p) => without.push(p.preview !== undefined) });
    expect(without).toEqual([false, false, false, false]);
  });

  it('rejects bad requests with INVALID_REQUEST and clips with MODEL_UNSUPPORTED', async () => {
    const bad = await failure(engine.generate({ prompt: 'x', steps: -3 }));
    expect(bad.code).toBe('INVALID_REQUEST');
    expect(bad.message).toBe('steps: must be an integer from 1 to 1000 (got -3)');
    // The engine's default (an image model) is not used for a clip; core's own choice never takes a fixture.
    const clip = await failure(engine.generate({ kind: 'clip', prompt: 'x' }));
    expect([clip.code, clip.message]).toEqual([
      'MODEL_NOT_FOUND',
      expect.stringMatching(/tiny-clip-bundle is a test fixture/),
    ]);
    const named = await failure(engine.generate({ kind: 'clip', prompt: 'x', model: 'tiny-bundle' }));
    expect(named.code).toBe('MODEL_UNSUPPORTED');
  });
});

describe('abort', () => {
  it('stops within one step: no model call starts after the signal fires', async () => {
    const run = vi.spyOn(sessionPrototype, 'run');
    const controller = new AbortController();
    let callsAtAbort = -1;
    const error = await failure(
      engine.generate(
        { ...base, steps: 8 },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.step === 3) {
              callsAtAbort = run.mock.calls.length;
              controller.abort();
            }
          },
        },
      ),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.message).toMatch(/after 3 of 8 steps/);
    expect(callsAtAbort).toBe(3);
    expect(run.mock.calls.length).toBe(callsAtAbort);
  });

  it('stops within one step when aborted from outside while a step runs', async () => {
    const original = sessionPrototype.run;
    const controller = new AbortController();
    let calls = 0;
    let callsAtAbort = -1;
    vi.spyOn(sessionPrototype, 'run').mockImplementation(function (
      this: ort.InferenceSession,
      ...args: Parameters<ort.InferenceSession['run']>
    ) {
      calls++;
      if (calls === 2) {
        // Fires while this model call is still in flight.
        setImmediate(() => {
          callsAtAbort = calls;
          controller.abort(new Error('user pressed stop'));
        });
      }
      return original.apply(this, args);
    } as ort.InferenceSession['run']);
    const error = await failure(engine.generate({ ...base, steps: 50 }, { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
    expect(callsAtAbort).toBe(2);
    expect(calls).toBe(callsAtAbort);
    expect((error.details as { stepsDone: number }).stepsDone).toBeLessThanOrEqual(2);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const run = vi.spyOn(sessionPrototype, 'run');
    const error = await failure(engine.generate(base, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(run).not.toHaveBeenCalled();
  });
});

describe('bundles', () => {
  it('lists bundles with their native size, levels, license and size on disk', async () => {
    const [tiny] = await engine.listModels();
    expect(tiny).toMatchObject({
      id: 'tiny-bundle',
      task: 'image',
      nativeResolution: 64,
      levels: [64, 32, 16],
      fixture: true,
    });
    expect(tiny?.bytesOnDisk).toBeGreaterThan(readFileSync(join(TINY_BUNDLE_DIR, 'model.onnx')).length);
  });

  it('lists the good bundles and names each broken one with its reason', async () => {
    const { modelsDir } = copyBundle();
    const manifest = JSON.parse(readFileSync(join(TINY_BUNDLE_DIR, 'manifest.json'), 'utf8'));
    const writeManifest = (id: string, text: string) => {
      mkdirSync(join(modelsDir, id));
      writeFileSync(join(modelsDir, id, 'manifest.json'), text);
    };
    writeManifest('half-downloaded', JSON.stringify(manifest).slice(0, 40));
    writeManifest(
      'from-the-future',
      JSON.stringify({ ...manifest, id: 'from-the-future', formatVersion: 9 }),
    );
    // A folder without a manifest is not a bundle at all, so it is neither listed nor skipped.
    mkdirSync(join(modelsDir, 'notes'));

    const local = createEngine({ modelsDir });
    const scan = await local.scanModels();
    expect(scan.models.map((m) => m.id)).toEqual(['tiny-bundle']);
    expect(scan.skipped).toEqual([
      {
        id: 'from-the-future',
        dir: join(modelsDir, 'from-the-future'),
        code: 'MODEL_UNSUPPORTED',
        reason: expect.stringMatching(/format version 9/),
      },
      {
        id: 'half-downloaded',
        dir: join(modelsDir, 'half-downloaded'),
        code: 'MODEL_CORRUPT',
        reason: expect.stringMatching(/manifest\.json is not valid JSON/),
      },
    ]);
    expect((await local.listModels()).map((m) => m.id)).toEqual(['tiny-bundle']);
  });

  it('names a file whose bytes were altered (sha256 mismatch)', async () => {
    const { modelsDir, dir } = copyBundle();
    const path = join(dir, 'model.onnx');
    const bytes = readFileSync(path);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const error = await failure(createEngine({ modelsDir }).generate({ ...base, model: 'tiny-bundle' }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(/model\.onnx fails its checksum/);
    expect(error.details).toMatchObject({ model: 'tiny-bundle', file: 'model.onnx' });
  });

  it('names a truncated file and a missing file', async () => {
    const { modelsDir, dir } = copyBundle();
    truncateSync(join(dir, 'model.onnx'), 1000);
    const local = createEngine({ modelsDir });
    expect((await failure(local.generate({ ...base, model: 'tiny-bundle' }))).message).toMatch(
      /model\.onnx has 1000 bytes/,
    );
    cpSync(join(TINY_BUNDLE_DIR, 'model.onnx'), join(dir, 'model.onnx'));
    unlinkSync(join(dir, 'tokenizer.json'));
    const missing = await failure(local.generate({ ...base, model: 'tiny-bundle' }));
    expect(missing.code).toBe('MODEL_CORRUPT');
    expect(missing.message).toMatch(/tokenizer\.json is missing/);
  });

  it('refuses an unknown bundle format version with MODEL_UNSUPPORTED', async () => {
    const { modelsDir, dir } = copyBundle();
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 3 }));
    const error = await failure(createEngine({ modelsDir }).generate({ ...base, model: 'tiny-bundle' }));
    expect(error.code).toBe('MODEL_UNSUPPORTED');
    expect(error.message).toMatch(/format version 3/);
  });

  it('explains an invalid manifest field by field', async () => {
    const { modelsDir, dir } = copyBundle();
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ ...manifest, prediction: 'score', channels: 0 }),
    );
    const error = await failure(createEngine({ modelsDir }).generate({ ...base, model: 'tiny-bundle' }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(/manifest\.json is invalid/);
    expect(error.message).toMatch(/prediction/);
    expect(error.message).toMatch(/channels/);
  });

  it('names a tokenizer that is intact on disk but not a tokenizer', async () => {
    const { modelsDir, dir } = copyBundle();
    const body = JSON.stringify({ type: 'sentencepiece', vocab: [] });
    writeFileSync(join(dir, 'tokenizer.json'), body);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.files['tokenizer.json'] = {
      bytes: Buffer.byteLength(body),
      sha256: createHash('sha256').update(body).digest('hex'),
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = await failure(createEngine({ modelsDir }).generate({ ...base, model: 'tiny-bundle' }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(/tokenizer\.json is not a matryoshka-word-ngram tokenizer/);
  });

  it('names graph inputs the manifest promises but model.onnx lacks', async () => {
    const { modelsDir, dir } = copyBundle();
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.levels[0].input = 'x_sixty_four';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = await failure(createEngine({ modelsDir }).generate({ ...base, model: 'tiny-bundle' }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(/model\.onnx lacks input "x_sixty_four"/);
  });

  it('answers MODEL_NOT_FOUND with the models that exist', async () => {
    const error = await failure(engine.generate({ ...base, model: 'emoji-9000' }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toMatch(/"emoji-9000" not found .*available: tiny-bundle/);
  });

  it('never picks a test fixture as the implicit default, but uses a real bundle', async () => {
    const { modelsDir } = copyBundle();
    const error = await failure(createEngine({ modelsDir }).generate(base));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toMatch(/tiny-bundle is a test fixture/);
    const real = copyBundle('pretend-real', false);
    const result = await createEngine({ modelsDir: real.modelsDir }).generate(base);
    expect(result.model).toBe('pretend-real');
    expect(result.warnings.map((w) => w.message).join('\n')).not.toMatch(/fixture/);
  });

  it('reloads a bundle after close()', async () => {
    const { modelsDir, dir } = copyBundle();
    const local = createEngine({ modelsDir, defaultModel: 'tiny-bundle' });
    const first = await local.generate(base);
    await local.close();
    renameSync(join(dir, 'model.onnx'), join(dir, 'model.moved'));
    // The session is gone, so the next call re-verifies the files and notices.
    expect((await failure(local.generate(base))).message).toMatch(/model\.onnx is missing/);
    renameSync(join(dir, 'model.moved'), join(dir, 'model.onnx'));
    const again = await local.generate(base);
    expect(
      Buffer.from(again.images[0]?.bytes as Uint8Array).equals(
        Buffer.from(first.images[0]?.bytes as Uint8Array),
      ),
    ).toBe(true);
    await local.close();
  });
});

describe('concurrency', () => {
  it('runs generations one at a time and answers BUSY beyond the queue limit', async () => {
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => engine.generate({ ...base, steps: 1, seed: i })),
    );
    const busy = settled.filter(
      (s) => s.status === 'rejected' && MatryoshkaError.isInstance(s.reason) && s.reason.code === 'BUSY',
    );
    expect(busy).toHaveLength(2);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(8);
  });
});
