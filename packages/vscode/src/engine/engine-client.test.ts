import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from './engine-client.js';

// The real worker bundle in a real child process, running the real engine on the tiny test bundle.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const workerPath = `${packageDir}dist/worker.mjs`;
const modelsDir = fileURLToPath(new URL('../../../../test/fixtures', import.meta.url));

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: packageDir, stdio: 'pipe' });
});

function client(options: Partial<ConstructorParameters<typeof EngineClient>[0]> = {}) {
  return new EngineClient({
    workerPath,
    engine: { modelsDir, threads: 1, defaultModel: 'tiny-bundle' },
    ...options,
  });
}

describe('EngineClient', () => {
  it('lists the models of the configured folder', async () => {
    const engine = client();
    try {
      const models = await engine.listModels();
      expect(models.map((m) => m.id)).toContain('tiny-bundle');
      expect(models.find((m) => m.id === 'tiny-bundle')?.fixture).toBe(true);
    } finally {
      engine.dispose();
    }
  });

  it('asks core which model a kind would use: the image default, and no fixture for clips', async () => {
    const engine = client();
    try {
      expect((await engine.resolveModel('image')).id).toBe('tiny-bundle');
      await expect(engine.resolveModel('clip')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    } finally {
      engine.dispose();
    }
  });

  it('generates a PNG in the worker process, reporting progress on the way', async () => {
    const engine = client();
    const steps: number[] = [];
    try {
      const result = await engine.generate(
        { prompt: 'a red apple', model: 'tiny-bundle', steps: 3, seed: 1 },
        { onProgress: (p) => steps.push(p.step) },
      );
      const image = result.images[0];
      expect(image?.seed).toBe(1);
      expect(image?.bytes).toBeInstanceOf(Uint8Array);
      const { info } = await sharp(image?.bytes).toBuffer({ resolveWithObject: true });
      expect([info.format, info.width, info.height]).toEqual(['png', 64, 64]);
      expect(steps.at(-1)).toBe(3);
    } finally {
      engine.dispose();
    }
  });

  it('passes engine errors through with their code and message', async () => {
    const engine = client();
    try {
      await expect(engine.generate({ prompt: 'x', model: 'no-such-model' })).rejects.toMatchObject({
        code: 'MODEL_NOT_FOUND',
      });
      await expect(engine.generate({ prompt: 'x', steps: 0 })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
    } finally {
      engine.dispose();
    }
  });

  it('stops promptly when the signal aborts, and keeps working afterwards', async () => {
    const engine = client({ abortGraceMs: 1000 });
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = engine.generate(
        { prompt: 'a slow apple', model: 'tiny-bundle', steps: 1000, seed: 2 },
        { signal: controller.signal, onProgress: (p) => p.step === 2 && controller.abort() },
      );
      await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
      expect(Date.now() - started).toBeLessThan(30_000);
      const after = await engine.generate({ prompt: 'x', model: 'tiny-bundle', steps: 1 });
      expect(after.images).toHaveLength(1);
    } finally {
      engine.dispose();
    }
  });

  it('illustrates a Marp deck in the worker, writing a copy and leaving the deck alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'matryoshka-deck-'));
    const deck = path.join(dir, 'talk.md');
    const text =
      '---\nmarp: true\n---\n\n# Apples\n\nRed apples grow on trees.\n\n---\n\n# Stars\n\nStars shine in a clear sky.\n';
    writeFileSync(deck, text);
    const engine = client();
    const slides = new Set<number>();
    try {
      const report = await engine.illustrateDeck(
        deck,
        { request: { model: 'tiny-bundle', steps: 2 } },
        { onProgress: (p) => slides.add(p.slide) },
      );
      expect(report.illustrated).toBe(2);
      expect([...slides].sort()).toEqual([1, 2]);
      expect(readFileSync(deck, 'utf8')).toBe(text);
      const illustrated = readFileSync(report.output ?? '', 'utf8');
      expect(illustrated).toContain('![bg right:40%](images/talk-slide-1.png)');
      expect(readFileSync(path.join(dir, 'images/talk-slide-2.png')).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      engine.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retire() lets the request in flight finish, then stops the worker', async () => {
    const engine = client();
    const pending = engine.generate({ prompt: 'a pear', model: 'tiny-bundle', steps: 3, seed: 5 });
    engine.retire();
    expect(engine.running).toBe(true);
    const result = await pending;
    expect(result.images[0]?.seed).toBe(5);
    expect(engine.running).toBe(false);
    expect(engine.busy).toBe(false);
  });

  it('reports a worker that dies as a runtime error instead of hanging', async () => {
    const engine = client({ workerPath: `${packageDir}scripts/no-such-worker.mjs` });
    await expect(engine.listModels()).rejects.toMatchObject({ code: 'RUNTIME_ERROR' });
    expect(engine.running).toBe(false);
  });
});
