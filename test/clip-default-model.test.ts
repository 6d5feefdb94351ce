import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The clip issue's acceptance check, run as a user runs it: the built CLI, the shipped clip model
// found without being told where, an animated WebP out. Whether the frames show the star turning is
// measured the way training/mdm/turning.py does (without the corpus, which a clone may not have packed):
// the corpus spins a picture about its vertical axis, |cos(pi f / F)| as wide in frame f, so each
// frame's spread across over its spread down, against frame 0's, must follow that curve.
const BIN = fileURLToPath(new URL('../packages/cli/bin/matryoshka.js', import.meta.url));
const MODEL = fileURLToPath(new URL('../models/emoji-clip-64/manifest.json', import.meta.url));
const FRAMES = 8;
const SIZE = 64;

interface Frame {
  aspect: number; // std of x over std of y of the drawn pixels, weighted by how dark they are
  rgb: [number, number, number]; // mean colour of the drawn pixels
}

// Pixels at least this far from white (out of 765) are drawn, as turning.silhouette counts them.
const THRESHOLD = 120;

function measure(rgba: Buffer, frame: number): Frame {
  let w = 0;
  let mx = 0;
  let my = 0;
  let mxx = 0;
  let myy = 0;
  let [r, g, b, drawn] = [0, 0, 0, 0];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = ((frame * SIZE + y) * SIZE + x) * 4;
      const deficit = 765 - (rgba[i] as number) - (rgba[i + 1] as number) - (rgba[i + 2] as number);
      if (deficit <= THRESHOLD) continue;
      w += deficit;
      mx += deficit * x;
      my += deficit * y;
      mxx += deficit * x * x;
      myy += deficit * y * y;
      r += rgba[i] as number;
      g += rgba[i + 1] as number;
      b += rgba[i + 2] as number;
      drawn++;
    }
  }
  if (w === 0) return { aspect: 0, rgb: [255, 255, 255] };
  const sx = Math.sqrt(Math.max(0, mxx / w - (mx / w) ** 2));
  const sy = Math.sqrt(Math.max(0, myy / w - (my / w) ** 2));
  return { aspect: sy > 0 ? sx / sy : 0, rgb: [r / drawn, g / drawn, b / drawn] };
}

const expectedWidth = (f: number) => Math.max(Math.abs(Math.cos((Math.PI * f) / FRAMES)), 0.06);

/** Each frame's width relative to frame 0's, and the mean distance from the corpus's turn. */
function widths(frames: Frame[]): { widths: number[]; error: number } {
  const first = frames[0]?.aspect ?? 0;
  const out = frames.map((f) => (first > 0 ? f.aspect / first : 0));
  const error = out.reduce((sum, w, f) => sum + Math.abs(w - expectedWidth(f)), 0) / out.length;
  return { widths: out, error };
}

async function framesOf(file: string): Promise<Frame[]> {
  const image = sharp(file, { pages: -1 });
  const meta = await image.metadata();
  expect(meta).toMatchObject({ format: 'webp', pages: FRAMES, pageHeight: SIZE, width: SIZE });
  const rgba = await image.ensureAlpha().raw().toBuffer();
  return Array.from({ length: FRAMES }, (_, f) => measure(rgba, f));
}

describe.skipIf(!existsSync(MODEL))(
  '"a spinning star" with the shipped clip model (models/emoji-clip-64)',
  () => {
    let cwd: string;
    beforeAll(async () => {
      cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-star-'));
    });
    afterAll(async () => {
      await rm(cwd, { recursive: true, force: true });
    });

    it('writes animated WebPs whose frames show a yellow star turning about its vertical axis', async () => {
      // Two seeds in one run (clip k uses seed + k); the default seed is random, so any seed must turn.
      const run = spawnSync(
        process.execPath,
        [BIN, 'clip', 'a spinning star', '-o', 'star.webp', '--seed', '3', '--count', '2'],
        { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      for (const name of ['star-1.webp', 'star-2.webp']) {
        const frames = await framesOf(path.join(cwd, name));
        const turn = widths(frames);
        // Face on, then edge on half a loop later, then back. Measured: error 0.02-0.07 over seeds 1-12;
        // the fifth model, which never drew a turn, 0.34-0.61 over seeds 1-4.
        expect(turn.error, `${name}: widths ${turn.widths.map((w) => w.toFixed(2)).join(' ')}`).toBeLessThan(
          0.15,
        );
        expect(turn.widths[4]).toBeLessThan(0.25);
        expect(turn.widths[7]).toBeGreaterThan(0.8);
        // The same frame held still scores far worse: the measure tells a turn from no turn.
        expect(widths(frames.map(() => frames[0] as Frame)).error).toBeGreaterThan(0.3);
        // What turns is yellow (a star), not the grey or brown of an undertrained model's blobs.
        const [r, g, b] = frames[0]?.rgb ?? [0, 0, 0];
        expect(r).toBeGreaterThan(200);
        expect(g).toBeGreaterThan(150);
        expect(b).toBeLessThan(110);
      }
    }, 300_000);
  },
);
