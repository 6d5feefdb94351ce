import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPngText } from '@matryoshka/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixtureArgs, runInProcess } from './run-in-process.test-support.js';

// In-process runs against the real engine, ONNX Runtime and sharp with the tiny random-weight bundle.
let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-gen-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const generate = (...argv: string[]) => runInProcess(['generate', ...argv, ...fixtureArgs], { cwd });
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('matryoshka generate', () => {
  it('writes a PNG whose metadata holds the prompt and seed, and prints its path', async () => {
    const result = await generate('a red apple', '-o', 'apple.png', '--seed', '42', '--steps', '3');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('apple.png\n');
    const bytes = await readFile(path.join(cwd, 'apple.png'));
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const text = readPngText(bytes);
    expect(text['matryoshka:prompt']).toBe('a red apple');
    expect(text['matryoshka:seed']).toBe('42');
    expect(text['matryoshka:steps']).toBe('3');
    expect(text['matryoshka:model']).toBe('tiny-bundle');
    expect(result.stderr).toMatch(/^warning: .*tiny-bundle.*test fixture/m);
    expect(result.stderr).toMatch(/tiny-bundle · 64×64 png · seed 42 · dpmpp-2m 3 steps/);
  });

  it('makes variations of --image at --strength, and names an unreadable --image', async () => {
    expect(
      (await generate('a red apple', '-o', 'apple.png', '--seed', '1', '--steps', '2', '--quiet')).code,
    ).toBe(0);
    const result = await generate(
      'a red apple',
      '--image',
      'apple.png',
      '--strength',
      '0.6',
      '-n',
      '2',
      '-o',
      'var/apple.png',
      '--steps',
      '5',
    );
    expect(result.code).toBe(0);
    expect((await readdir(path.join(cwd, 'var'))).sort()).toEqual(['apple-1.png', 'apple-2.png']);
    expect(result.stderr).toMatch(/from --image at strength 0.6/);
    const parameters = JSON.parse(
      readPngText(await readFile(path.join(cwd, 'var', 'apple-1.png'))).parameters ?? '',
    );
    expect(parameters).toMatchObject({ strength: 0.6, imageSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const missing = await generate('a red apple', '--image', 'nope.png', '-o', 'x.png');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--image: cannot read .*nope.png \(ENOENT\)/);
    expect(await readdir(cwd)).not.toContain('x.png');
  });

  it('repaints only the --mask part of --image, and refuses a --mask without --image', async () => {
    expect(
      (await generate('a red apple', '-o', 'apple.png', '--seed', '1', '--steps', '2', '--quiet')).code,
    ).toBe(0);
    const sharp = (await import('sharp')).default;
    const half =
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/><rect x="32" width="32" height="64" fill="#fff"/></svg>';
    await writeFile(path.join(cwd, 'mask.png'), await sharp(Buffer.from(half)).png().toBuffer());
    const result = await generate(
      'a cat',
      '--image',
      'apple.png',
      '--mask',
      'mask.png',
      '-o',
      'cat.png',
      '--steps',
      '4',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/--image repainted where --mask says, strength 1/);
    const raw = (f: string) => sharp(path.join(cwd, f)).removeAlpha().raw().toBuffer();
    const [before, after] = [await raw('apple.png'), await raw('cat.png')];
    const diff = (x0: number, x1: number) => {
      let sum = 0;
      for (let y = 0; y < 64; y++)
        for (let x = x0; x < x1; x++)
          for (let c = 0; c < 3; c++)
            sum += Math.abs(
              (before[(y * 64 + x) * 3 + c] as number) - (after[(y * 64 + x) * 3 + c] as number),
            );
      return sum / (64 * (x1 - x0) * 3);
    };
    expect(diff(0, 30)).toBeLessThan(1);
    expect(diff(34, 64)).toBeGreaterThan(5);

    const lone = await generate('a cat', '--mask', 'mask.png', '-o', 'y.png');
    expect(lone.code).not.toBe(0);
    expect(lone.stderr).toMatch(/mask: needs the picture it masks/);
    expect(await readdir(cwd)).not.toContain('y.png');
  });

  it('gives identical bytes for the same seed and different bytes for another', async () => {
    const args = ['a red apple', '--steps', '2', '--quiet'];
    await generate(...args, '--seed', '7', '-o', 'a.png');
    await generate(...args, '--seed', '7', '-o', 'b.png');
    await generate(...args, '--seed', '8', '-o', 'c.png');
    const [a, b, c] = await Promise.all(['a.png', 'b.png', 'c.png'].map((f) => readFile(path.join(cwd, f))));
    expect(a?.equals(b as Buffer)).toBe(true);
    expect(a?.equals(c as Buffer)).toBe(false);
  });

  it('--json reports paths, seeds, settings and timings; --count numbers files from 1', async () => {
    const result = await generate(
      'a cat',
      '-n',
      '2',
      '-o',
      'out/cat.webp',
      '--seed',
      '4294967295',
      '--steps',
      '2',
      '--json',
    );
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.ok).toBe(true);
    expect(body.model).toBe('tiny-bundle');
    expect(body.images.map((i: { path: string }) => path.relative(cwd, i.path))).toEqual([
      path.join('out', 'cat-1.webp'),
      path.join('out', 'cat-2.webp'),
    ]);
    expect(body.images.map((i: { seed: number }) => i.seed)).toEqual([4294967295, 0]);
    expect(body.images[0]).toMatchObject({ format: 'webp', mimeType: 'image/webp', width: 64, height: 64 });
    expect(body.request).toMatchObject({
      prompt: 'a cat',
      steps: 2,
      count: 2,
      format: 'webp',
      sampler: 'dpmpp-2m',
    });
    expect(body.timings.totalMs).toBeGreaterThan(0);
    expect(body.warnings).toContainEqual({
      code: 'fixture-model',
      message: expect.stringContaining('test fixture'),
    });
    const files = await readdir(path.join(cwd, 'out'));
    expect(files.sort()).toEqual(['cat-1.webp', 'cat-2.webp']);
    for (const image of body.images) expect((await readFile(image.path)).byteLength).toBe(image.bytes);
  });

  it('names files after the prompt and seed when -o is left out', async () => {
    const result = await generate('A Red Apple!', '--seed', '5', '--steps', '1', '-f', 'jpeg');
    expect(result.code).toBe(0);
    expect(await readdir(cwd)).toEqual(['a-red-apple-5.jpg']);
  });

  it('writes the image to stdout with -o -', async () => {
    const result = await generate('x', '-o', '-', '--steps', '1', '--seed', '1', '-q');
    expect(result.code).toBe(0);
    expect([...result.stdoutBytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(result.stderr).toBe('');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('warns when resizing away from the native size', async () => {
    const result = await generate('x', '--size', '96x48', '--steps', '1', '--json');
    const body = JSON.parse(result.stdout);
    expect(body.images[0]).toMatchObject({ width: 96, height: 48 });
    expect(body.warnings.map((w: { message: string }) => w.message).join(' ')).toMatch(/64/);
  });

  it('stops at an abort and leaves no file, temp or final', async () => {
    const controller = new AbortController();
    const pending = runInProcess(
      ['generate', 'x', '--steps', '200', '-o', 'x.png', '--progress', 'lines', ...fixtureArgs],
      {
        cwd,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 300);
    const result = await pending;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('aborted');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('reports a missing model as a runtime failure (exit 1) with a hint', async () => {
    const result = await runInProcess(
      ['generate', 'x', '--models-dir', FIXTURES_DIR, '--model', 'no-such-model'],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: .*no-such-model.*\nhint: models are read from --models-dir.*"matryoshka models" lists them\n$/s,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('matryoshka models', () => {
  it('lists the fixture bundle as a table and as JSON', async () => {
    const table = await runInProcess(['models', '--models-dir', FIXTURES_DIR], { cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+TASK\s+NATIVE\s+LEVELS\s+SIZE\s+LICENSE/);
    expect(table.stdout).toMatch(
      /tiny-bundle\s+image\s+64×64\s+64\/32\/16\s+[\d.]+ KiB\s+Apache-2.0.*test fixture/,
    );
    const json = await runInProcess(['models', '--models-dir', FIXTURES_DIR, '--json'], { cwd });
    const models = JSON.parse(json.stdout);
    expect(models.find((m: { id: string }) => m.id === 'tiny-bundle')).toMatchObject({
      fixture: true,
      nativeResolution: 64,
    });
  });

  it('says so when a folder has no bundles, or does not exist', async () => {
    for (const dir of [cwd, path.join(cwd, 'missing')]) {
      const result = await runInProcess(['models', '--models-dir', dir], { cwd });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('No model bundles found');
      expect((await runInProcess(['models', '--models-dir', dir, '--json'], { cwd })).stdout).toBe('[]\n');
    }
  });

  it('lists the good bundles and says which folder it skipped and why', async () => {
    await cp(path.join(FIXTURES_DIR, 'tiny-bundle'), path.join(cwd, 'models', 'tiny-bundle'), {
      recursive: true,
    });
    await mkdir(path.join(cwd, 'models', 'broken'));
    await writeFile(path.join(cwd, 'models', 'broken', 'manifest.json'), '{"format": "matryo');
    const table = await runInProcess(['models', '--models-dir', 'models'], { cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^tiny-bundle\s+image/m);
    expect(table.stdout).not.toMatch(/broken/);
    expect(table.stderr).toMatch(/^skipped models\/broken: .*manifest\.json is not valid JSON/m);
    const json = await runInProcess(['models', '--models-dir', 'models', '--json'], { cwd });
    expect(JSON.parse(json.stdout).map((m: { id: string }) => m.id)).toEqual(['tiny-bundle']);
    expect(json.stderr).toMatch(/^skipped models\/broken: /m);
  });
});

describe('matryoshka generate with a clip bundle', () => {
  it('explains that the model makes clips, without a misleading hint (exit 1)', async () => {
    const result = await runInProcess(
      ['generate', 'x', '--models-dir', FIXTURES_DIR, '--model', 'tiny-clip-bundle', '-o', 'x.png'],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*tiny-clip-bundle.*clip[^\n]*\n$/);
    expect(await readdir(cwd)).toEqual([]);
  });
});
