import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The clip path as a user runs it: the built CLI, the shipped clip model found without being told
// where, animated WebPs out. Plumbing only: whether the frames show a star turning is the model's
// quality, scored by `npm run eval` (training/mdm/clip_eval.py), not by the unit suite.
const BIN = fileURLToPath(new URL('../packages/cli/bin/matryoshka.js', import.meta.url));
const MODEL = fileURLToPath(new URL('../models/emoji-clip-64/manifest.json', import.meta.url));

describe.skipIf(!existsSync(MODEL))(
  'matryoshka clip with the shipped clip model (models/emoji-clip-64)',
  () => {
    let cwd: string;
    beforeAll(async () => {
      cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-clip-'));
    });
    afterAll(async () => {
      await rm(cwd, { recursive: true, force: true });
    });

    it('picks the clip model by itself and writes one looping animated WebP per seed', async () => {
      const manifest = JSON.parse(readFileSync(MODEL, 'utf8'));
      const { frames } = manifest.clip as { frames: number };
      const size = manifest.levels[0].resolution as number;
      const run = spawnSync(
        process.execPath,
        [BIN, 'clip', 'a spinning star', '-o', 'star.webp', '--seed', '3', '--count', '2', '--steps', '8'],
        { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/emoji-clip-64/);
      const files = ['star-1.webp', 'star-2.webp'].map((name) => path.join(cwd, name));
      for (const file of files) {
        const meta = await sharp(file, { pages: -1 }).metadata();
        expect(meta).toMatchObject({ format: 'webp', pages: frames, pageHeight: size, width: size, loop: 0 });
      }
      // Clip k is drawn with seed + k: two different clips.
      expect(readFileSync(files[0] as string).equals(readFileSync(files[1] as string))).toBe(false);
    }, 300_000);
  },
);
