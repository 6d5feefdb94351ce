import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { insertPngText, readPngText } from '@matryoshka/core/lite';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordFromPngText } from '../png/generation-record.js';
import { saveImages } from './save-images.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matryoshka-save-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function result(seeds: number[]) {
  const bytes = new Uint8Array(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer(),
  );
  return {
    model: 'tiny-bundle',
    images: seeds.map((seed, index) => ({
      bytes,
      mimeType: 'image/png',
      index,
      extension: 'png',
      width: 8,
      height: 8,
      seed,
      format: 'png',
    })),
    request: {
      kind: 'image' as const,
      prompt: 'A green square',
      negativePrompt: '',
      model: 'tiny-bundle',
      width: 8,
      height: 8,
      steps: 4,
      guidance: 2,
      seed: seeds[0] ?? 0,
      sampler: 'ddim' as const,
      count: seeds.length,
      format: 'png' as const,
      preview: false,
      background: 'white' as const,
    },
  };
}

describe('saveImages', () => {
  it('writes each image under the output pattern with its generation record embedded', async () => {
    const doc = { documentPath: path.join(dir, 'notes', 'a.md'), workspaceFolder: dir };
    const saved = await saveImages(
      await result([5, 6]),
      '${documentWorkspaceFolder}/img/${documentBaseName}/',
      doc,
    );
    expect(saved.map((s) => path.relative(dir, s.path))).toEqual([
      path.join('img', 'a', 'a-green-square-5.png'),
      path.join('img', 'a', 'a-green-square-6.png'),
    ]);
    const record = recordFromPngText(readPngText(await readFile(saved[1]?.path ?? '')));
    expect(record).toEqual({
      prompt: 'A green square',
      model: 'tiny-bundle',
      seed: 6,
      width: 8,
      height: 8,
      steps: 4,
      guidance: 2,
      sampler: 'ddim',
    });
    const { info } = await sharp(saved[0]?.path).toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(8);
  });

  it('leaves the engine’s own metadata alone instead of adding a second record', async () => {
    const plain = await result([3]);
    const parameters = JSON.stringify({ prompt: 'A green square', seed: 3 });
    const tagged = {
      ...plain,
      images: plain.images.map((i) => ({ ...i, bytes: insertPngText(i.bytes, { parameters }) })),
    };
    const [saved] = await saveImages(tagged, 'out/', { documentPath: path.join(dir, 'a.md') });
    const text = readPngText(await readFile(saved?.path ?? ''));
    expect(Object.keys(text)).toEqual(['parameters']);
  });

  it('never overwrites an existing file', async () => {
    const doc = { documentPath: path.join(dir, 'a.md') };
    await saveImages(await result([1]), 'out/', doc);
    const again = await saveImages(await result([1]), 'out/', doc);
    expect(path.basename(again[0]?.path ?? '')).toBe('a-green-square-1-1.png');
    expect((await readdir(path.join(dir, 'out'))).sort()).toEqual([
      'a-green-square-1-1.png',
      'a-green-square-1.png',
    ]);
  });
});
