import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, runInProcess } from '../run-in-process.test-support.js';

// In-process runs against the real engine, ONNX Runtime and sharp with the random-weight fixture.
let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-icons-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const icons = (...argv: string[]) =>
  runInProcess(['icons', ...argv, '--models-dir', FIXTURES_DIR, '--model', 'tiny-bundle', '--steps', '2'], {
    cwd,
  });

const SET = [
  'apple-touch-icon.png',
  'favicon.ico',
  'icon-128.png',
  'icon-16.png',
  'icon-192.png',
  'icon-256.png',
  'icon-32.png',
  'icon-512.png',
  'icon-64.png',
  'sheet.png',
  'site.webmanifest',
];

describe('matryoshka icons', () => {
  it('writes the whole set into the folder and says which files the levels drew', async () => {
    const result = await icons('a rocket', '-o', 'icons/', '--seed', '4');
    expect(result.code).toBe(0);
    expect((await readdir(path.join(cwd, 'icons'))).sort()).toEqual(SET);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(SET.length);
    expect(result.stderr).toMatch(
      /drawn by the model's levels at their own size: icon-16.png, icon-32.png, icon-64.png/,
    );
    expect(result.stderr).toMatch(/resized: icon-128.png \(from 64 px\)/);
    const icon16 = await sharp(await readFile(path.join(cwd, 'icons', 'icon-16.png'))).metadata();
    expect([icon16.width, icon16.hasAlpha]).toEqual([16, true]);
  });

  it('never replaces an existing file without --force, and writes nothing then', async () => {
    await writeFile(path.join(cwd, 'favicon.ico'), 'mine');
    const refused = await icons('a rocket', '-o', '.', '--seed', '4');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/favicon.ico.*already exists/s);
    expect(await readFile(path.join(cwd, 'favicon.ico'), 'utf8')).toBe('mine');
    expect(await readdir(cwd)).toEqual(['favicon.ico']);

    const forced = await icons('a rocket', '-o', '.', '--seed', '4', '--force', '--json');
    expect(forced.code).toBe(0);
    const summary = JSON.parse(forced.stdout);
    expect(summary.files.find((f: { path: string }) => f.path.endsWith('icon-32.png'))).toMatchObject({
      width: 32,
      source: 'level',
      drawnAt: 32,
    });
    expect((await readFile(path.join(cwd, 'favicon.ico'))).readUInt16LE(2)).toBe(1);
  });
});
