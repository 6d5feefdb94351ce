import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readBundle } from '../bundle.js';
import { createEngine } from '../engine.js';
import {
  decodeTensor,
  type EncodedTensor,
  FIXTURES_DIR,
  failure,
  readFixture,
} from '../fixtures.test-support.js';
import { readPngText } from '../png/chunks.js';
import { GenerateResultSchema } from '../schema.js';
import { ModelSession } from '../session.js';

const CLIP_DIR = `${FIXTURES_DIR}tiny-clip-bundle`;
const engine = createEngine({ modelsDir: FIXTURES_DIR, threads: 1 });
afterAll(() => engine.close());

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const clip = {
  kind: 'clip',
  model: 'tiny-clip-bundle',
  prompt: 'a red apple bouncing',
  steps: 3,
  seed: 7,
} as const;

/** A private copy of the clip fixture whose manifest `edit` changes, to test manifest validation. */
type EditableManifest = {
  formatVersion: number;
  task: string;
  levels: Array<{ frames?: number }>;
  clip?: { frames: number };
};

function editedBundle(edit: (manifest: EditableManifest) => void): string {
  const modelsDir = mkdtempSync(join(tmpdir(), 'matryoshka-clip-'));
  temps.push(modelsDir);
  const dir = join(modelsDir, 'tiny-clip-bundle');
  cpSync(CLIP_DIR, dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  edit(manifest);
  writeFileSync(path, JSON.stringify(manifest));
  return modelsDir;
}

describe('clip bundle (format version 2)', () => {
  it('runs one step in ONNX Runtime like PyTorch does ([B, C, F, r, r] levels)', async () => {
    const fixture = readFixture<{
      tolerance: number;
      inputs: Record<string, EncodedTensor>;
      outputs: Record<string, EncodedTensor>;
    }>('parity/clip-step.json');
    expect(fixture).toBeDefined();
    if (!fixture) return;
    const bundle = await readBundle(CLIP_DIR, 'tiny-clip-bundle');
    const session = await ModelSession.open(bundle, 1);
    try {
      const { levels } = bundle.manifest;
      const t = decodeTensor(fixture.inputs.t as EncodedTensor) as Float32Array;
      const outputs = await session.forward({
        batch: t.length,
        levels: levels.map((l) => decodeTensor(fixture.inputs[l.input] as EncodedTensor) as Float32Array),
        t,
        tokens: decodeTensor(fixture.inputs.tokens as EncodedTensor) as BigInt64Array,
        ngrams: decodeTensor(fixture.inputs.ngrams as EncodedTensor) as BigInt64Array,
      });
      levels.forEach((level, i) => {
        const expected = decodeTensor(fixture.outputs[level.output] as EncodedTensor) as Float32Array;
        const actual = outputs[i] as Float32Array;
        expect(actual.length).toBe(expected.length);
        let worst = 0;
        for (let k = 0; k < expected.length; k++)
          worst = Math.max(worst, Math.abs((actual[k] as number) - (expected[k] as number)));
        expect(worst).toBeLessThanOrEqual(fixture.tolerance);
      });
    } finally {
      await session.release();
    }
  });

  it.each([
    [
      'a level without frames',
      (m: EditableManifest) => delete m.levels[1]?.frames,
      /levels\.1\.frames: is required/,
    ],
    [
      'frames that do not nest',
      (m: EditableManifest) => Object.assign(m.levels[2] ?? {}, { frames: 3 }),
      /levels\.2\.frames: must divide/,
    ],
    [
      'more frames inside',
      (m: EditableManifest) => Object.assign(m.levels[2] ?? {}, { frames: 8 }),
      /levels\.2\.frames: must divide/,
    ],
    ['no clip section', (m: EditableManifest) => delete m.clip, /clip: is required/],
    [
      'clip.frames off the outer level',
      (m: EditableManifest) => Object.assign(m.clip ?? {}, { frames: 8 }),
      /clip\.frames: must equal/,
    ],
    [
      'version 1 claiming a clip',
      (m: EditableManifest) => (m.formatVersion = 1),
      /task: must be "image" in format version 1/,
    ],
    [
      'version 2 claiming an image',
      (m: EditableManifest) => (m.task = 'image'),
      /task: must be "clip" in format version 2/,
    ],
  ])('refuses a manifest with %s as MODEL_CORRUPT', async (_, edit, message) => {
    const modelsDir = editedBundle(edit);
    const error = await failure(createEngine({ modelsDir }).generate({ ...clip }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(message);
  });
});

describe('engine.generate({ kind: "clip" })', () => {
  it('writes an animated WebP by default: one page per frame, the per-frame delay from fps, looping', async () => {
    const result = await engine.generate({ ...clip, fps: 5 });
    GenerateResultSchema.parse(result);
    expect(result.images).toHaveLength(1);
    const [file] = result.images;
    expect(file).toMatchObject({
      mimeType: 'image/webp',
      format: 'webp',
      width: 64,
      height: 64,
      frames: 4,
      seed: 7,
    });
    const meta = await sharp(file?.bytes, { animated: true }).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.pages).toBe(4);
    expect(meta.pageHeight).toBe(64);
    expect(meta.height).toBe(64 * 4);
    expect(meta.delay).toEqual([200, 200, 200, 200]);
    expect(meta.loop).toBe(0);
    expect(result.request).toMatchObject({
      kind: 'clip',
      frames: 4,
      fps: 5,
      loop: true,
      format: 'webp',
      steps: 3,
    });
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(/test fixture/);
  });

  it('writes a GIF on request, played once when loop is false', async () => {
    const result = await engine.generate({ ...clip, format: 'gif', loop: false });
    const meta = await sharp(result.images[0]?.bytes, { animated: true }).metadata();
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBe(4);
    expect(meta.pageHeight).toBe(64);
    // The bundle's 8 fps is 125 ms; GIF stores delays in hundredths of a second.
    expect(meta.delay).toEqual([120, 120, 120, 120]);
    expect(meta.loop).toBe(1);
  });

  it('returns one PNG per frame for png-frames, the frames differing as the clip moves', async () => {
    const result = await engine.generate({ ...clip, format: 'png-frames' });
    expect(result.images.map((i) => i.frameIndex)).toEqual([0, 1, 2, 3]);
    const pixels = await Promise.all(
      result.images.map(async (image) => {
        const { data, info } = await sharp(image.bytes).raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
        return data;
      }),
    );
    expect(pixels[0]?.equals(pixels[1] as Buffer)).toBe(false);
    const text = readPngText(result.images[2]?.bytes as Uint8Array);
    expect(text['matryoshka:frame']).toBe('3/4');
    expect(JSON.parse(text.parameters as string)).toMatchObject({ kind: 'clip', seed: 7, frames: 4, fps: 8 });
  });

  it('is deterministic by seed, and clip k of a count uses seed + k', async () => {
    const a = await engine.generate({ ...clip, format: 'png-frames' });
    const b = await engine.generate({ ...clip, format: 'png-frames' });
    expect(b.images.map((i) => Buffer.from(i.bytes).toString('base64'))).toEqual(
      a.images.map((i) => Buffer.from(i.bytes).toString('base64')),
    );
    const other = await engine.generate({ ...clip, seed: 8, format: 'png-frames' });
    expect(
      Buffer.from(other.images[0]?.bytes as Uint8Array).equals(Buffer.from(a.images[0]?.bytes as Uint8Array)),
    ).toBe(false);
    const two = await engine.generate({ ...clip, seed: 7, count: 2, format: 'png-frames' });
    expect(two.images.map((i) => i.seed)).toEqual([7, 7, 7, 7, 8, 8, 8, 8]);
    expect(
      Buffer.from(two.images[4]?.bytes as Uint8Array).equals(
        Buffer.from(other.images[0]?.bytes as Uint8Array),
      ),
    ).toBe(true);
  });

  it('reports progress per step and aborts mid-clip with ABORTED', async () => {
    const steps: number[] = [];
    const previews: number[] = [];
    await engine.generate(
      { ...clip, preview: true },
      {
        onProgress: (p) => {
          steps.push(p.step);
          if (p.preview) previews.push(p.preview.width);
        },
      },
    );
    expect(steps).toEqual([1, 2, 3]);
    expect(previews).toEqual([16, 16, 16]);

    const controller = new AbortController();
    const error = await failure(
      engine.generate(
        { ...clip, steps: 6 },
        { signal: controller.signal, onProgress: (p) => p.step === 2 && controller.abort() },
      ),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.details).toMatchObject({ stepsDone: 2, total: 6 });
  });

  it('refuses a frame count the model does not draw, and mixes of clip and image models', async () => {
    const frames = await failure(engine.generate({ ...clip, frames: 16 }));
    expect(frames.code).toBe('INVALID_REQUEST');
    expect(frames.message).toMatch(/exactly 4 frames/);
    const imageModel = await failure(engine.generate({ ...clip, model: 'tiny-bundle' }));
    expect(imageModel.code).toBe('MODEL_UNSUPPORTED');
    const clipModel = await failure(engine.generate({ prompt: 'x', steps: 2, model: 'tiny-clip-bundle' }));
    expect(clipModel.code).toBe('MODEL_UNSUPPORTED');
    expect(clipModel.message).toMatch(/clip model/);
  });

  it('lists a clip model with its frames', async () => {
    const info = (await engine.listModels()).find((m) => m.id === 'tiny-clip-bundle');
    expect(info).toMatchObject({
      task: 'clip',
      fixture: true,
      clip: { frames: 4, fps: 8, levelFrames: [4, 4, 2] },
    });
    const image = (await engine.listModels()).find((m) => m.id === 'tiny-bundle');
    expect(image).not.toHaveProperty('clip');
  });

  it('never picks a test fixture as the implicit clip model', async () => {
    const error = await failure(engine.generate({ kind: 'clip', prompt: 'a spinning star' }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toMatch(/No clip model.*emoji-clip-64/s);
    expect(error.message).toMatch(/tiny-clip-bundle is a test fixture/);
  });
});
