import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { FIXTURES_DIR, failure } from '../fixtures.test-support.js';
import type { ProgressPreview } from '../schema.js';

const engine = createEngine({ modelsDir: FIXTURES_DIR, defaultModel: 'tiny-bundle', threads: 1 });
afterAll(() => engine.close());

const raw = async (png: Uint8Array) => sharp(png).removeAlpha().raw().toBuffer();

describe('icon sets', () => {
  it("writes each nested level's own drawing at its own size, and marks every other size as resized", async () => {
    const result = await engine.generate({ kind: 'icons', prompt: 'a rocket', steps: 3, seed: 5 });
    const byName = new Map(result.images.map((f) => [f.name, f]));
    expect([...byName.keys()]).toEqual([
      'icon-16.png',
      'icon-32.png',
      'icon-64.png',
      'icon-128.png',
      'icon-192.png',
      'icon-256.png',
      'icon-512.png',
      'favicon.ico',
      'apple-touch-icon.png',
      'site.webmanifest',
      'sheet.png',
    ]);
    for (const side of [16, 32, 64]) {
      const f = byName.get(`icon-${side}.png`);
      expect([f?.source, f?.drawnAt, f?.width]).toEqual(['level', side, side]);
      const meta = await sharp(f?.bytes).metadata();
      expect([meta.width, meta.hasAlpha]).toEqual([side, true]); // transparent by default
    }
    for (const side of [128, 192, 256, 512]) {
      const f = byName.get(`icon-${side}.png`);
      expect([f?.source, f?.drawnAt]).toEqual(['resized', 64]);
      expect((await sharp(f?.bytes).metadata()).width).toBe(side);
    }
    const touch = await sharp(byName.get('apple-touch-icon.png')?.bytes).metadata();
    expect([touch.width, touch.hasAlpha]).toEqual([180, false]); // iOS would show transparency as black
    const manifest = JSON.parse(new TextDecoder().decode(byName.get('site.webmanifest')?.bytes));
    expect(manifest.icons.map((i: { src: string }) => i.src)).toEqual([
      'icon-64.png',
      'icon-128.png',
      'icon-192.png',
      'icon-256.png',
      'icon-512.png',
    ]);
    expect(result.request).toMatchObject({ kind: 'icons', width: 64, height: 64, format: 'png' });
  });

  it('holds 16, 32 and 48 px PNGs in favicon.ico, the first two the levels’ own', async () => {
    const result = await engine.generate({ kind: 'icons', prompt: 'a star', steps: 2, seed: 9 });
    const ico = Buffer.from(result.images.find((f) => f.name === 'favicon.ico')?.bytes ?? []);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 3]);
    const entries = [0, 1, 2].map((k) => ({
      size: ico[6 + 16 * k],
      png: ico.subarray(
        ico.readUInt32LE(6 + 16 * k + 12),
        ico.readUInt32LE(6 + 16 * k + 12) + ico.readUInt32LE(6 + 16 * k + 8),
      ),
    }));
    expect(entries.map((e) => e.size)).toEqual([16, 32, 48]);
    const level16 = result.images.find((f) => f.name === 'icon-16.png')?.bytes as Uint8Array;
    expect((await raw(entries[0]?.png as Uint8Array)).equals(await raw(level16))).toBe(true);
    expect((await sharp(entries[2]?.png).metadata()).width).toBe(48);
  });

  it('the 16 px icon is the innermost level’s final drawing, not a downscale of the 64 px one', async () => {
    let last: ProgressPreview | undefined;
    const request = {
      kind: 'icons',
      prompt: 'a tree',
      steps: 4,
      seed: 3,
      background: 'white',
      preview: true,
    } as const;
    const result = await engine.generate(request, {
      onProgress: (p) => {
        last = p.preview ?? last;
      },
    });
    const icon16 = result.images.find((f) => f.name === 'icon-16.png')?.bytes as Uint8Array;
    // The last progress preview is the innermost level's x0 after the final step.
    expect((await raw(icon16)).equals(await raw(last?.png as Uint8Array))).toBe(true);
    const icon64 = result.images.find((f) => f.name === 'icon-64.png')?.bytes as Uint8Array;
    const downscaled = await sharp(icon64).resize(16, 16).removeAlpha().raw().toBuffer();
    expect(downscaled.equals(await raw(icon16))).toBe(false);
  });

  it('refuses a clip model and fields that have no meaning for a set', async () => {
    expect(
      (await failure(engine.generate({ kind: 'icons', prompt: 'x', model: 'tiny-clip-bundle' }))).code,
    ).toBe('MODEL_UNSUPPORTED');
    const bad = await failure(engine.generate({ kind: 'icons', prompt: 'x', width: 64 } as never));
    expect(bad.message).toMatch(/width: unknown field/);
  });
});
