import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, runInProcess } from '../run-in-process.test-support.js';

// In-process runs against the real engine, ONNX Runtime and sharp with the random-weight clip fixture.
let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-clip-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const clip = (...argv: string[]) =>
  runInProcess(
    ['clip', ...argv, '--models-dir', FIXTURES_DIR, '--model', 'tiny-clip-bundle', '--steps', '2'],
    {
      cwd,
    },
  );

describe('matryoshka clip', () => {
  it('writes an animated WebP with one page per frame and prints its path', async () => {
    const result = await clip('a bouncing basketball', '-o', 'ball.webp', '--seed', '3', '--fps', '10');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ball.webp\n');
    expect(result.stderr).toMatch(/warning: .*test fixture/);
    expect(result.stderr).toMatch(/tiny-clip-bundle · 64×64 webp · 4 frames @ 10 fps · seed 3/);
    const meta = await sharp(await readFile(path.join(cwd, 'ball.webp')), { animated: true }).metadata();
    expect([meta.format, meta.pages, meta.pageHeight]).toEqual(['webp', 4, 64]);
    expect(meta.delay).toEqual([100, 100, 100, 100]);
  });

  it('follows the extension: .gif gives a GIF, .png one numbered PNG per frame', async () => {
    expect((await clip('a spinning star', '-o', 'star.gif', '--seed', '1', '--no-loop')).code).toBe(0);
    const gif = await sharp(await readFile(path.join(cwd, 'star.gif')), { animated: true }).metadata();
    expect([gif.format, gif.pages, gif.loop]).toEqual(['gif', 4, 1]);

    const frames = await clip('a spinning star', '-o', 'frames/star.png', '--seed', '1', '--json');
    expect(frames.code).toBe(0);
    expect((await readdir(path.join(cwd, 'frames'))).sort()).toEqual([
      'star-01.png',
      'star-02.png',
      'star-03.png',
      'star-04.png',
    ]);
    const summary = JSON.parse(frames.stdout);
    expect(summary.files.map((f: { frameIndex: number }) => f.frameIndex)).toEqual([0, 1, 2, 3]);
    expect(summary.request).toMatchObject({ kind: 'clip', format: 'png-frames', frames: 4 });
  });

  it('gives identical files for the same seed', async () => {
    await clip('a red apple bouncing', '-o', 'a.webp', '--seed', '9', '-q');
    await clip('a red apple bouncing', '-o', 'b.webp', '--seed', '9', '-q');
    const [a, b] = await Promise.all(['a.webp', 'b.webp'].map((f) => readFile(path.join(cwd, f))));
    expect(a?.equals(b as Buffer)).toBe(true);
  });

  it('explains a frame count the model cannot draw and a format that contradicts -o', async () => {
    const frames = await clip('a star', '--frames', '16', '-o', 'x.webp');
    expect(frames.code).toBe(2);
    expect(frames.stderr).toMatch(/exactly 4 frames/);
    const mismatch = await clip('a star', '-o', 'x.webp', '--format', 'gif');
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/ends in \.webp but --format is gif/);
  });
});
