import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type OutputPlanInput, planOutput } from './output-plan.js';

const cwd = path.resolve('/work/here');
const plan = (overrides: Partial<OutputPlanInput>) =>
  planOutput({
    output: undefined,
    outputIsDirectory: false,
    format: undefined,
    count: 1,
    prompt: 'A red apple',
    seed: 41,
    cwd,
    ...overrides,
  });

describe('planOutput', () => {
  it('takes the format from the extension', () => {
    expect(plan({ output: 'apple.png' })).toEqual({
      format: 'png',
      toStdout: false,
      paths: [path.join(cwd, 'apple.png')],
    });
    expect(plan({ output: 'a.JPEG' }).format).toBe('jpeg');
    expect(plan({ output: 'a.jpg' }).format).toBe('jpeg');
    expect(plan({ output: 'a.webp' }).format).toBe('webp');
    expect(plan({ output: 'a.avif' }).format).toBe('avif');
  });

  it('numbers files from 1 when --count > 1', () => {
    expect(plan({ output: 'out/cat.webp', count: 3 }).paths).toEqual(
      ['cat-1.webp', 'cat-2.webp', 'cat-3.webp'].map((f) => path.join(cwd, 'out', f)),
    );
  });

  it('names files after prompt and per-image seed without -o or into a folder', () => {
    expect(plan({ count: 2 }).paths).toEqual([
      path.join(cwd, 'a-red-apple-41.png'),
      path.join(cwd, 'a-red-apple-42.png'),
    ]);
    expect(plan({ output: 'shots/', format: 'jpeg' }).paths).toEqual([
      path.join(cwd, 'shots', 'a-red-apple-41.jpg'),
    ]);
    expect(plan({ output: 'existing', outputIsDirectory: true }).paths).toEqual([
      path.join(cwd, 'existing', 'a-red-apple-41.png'),
    ]);
  });

  it('wraps seeds past 2^32 - 1 like the engine does', () => {
    expect(plan({ seed: 2 ** 32 - 1, count: 2 }).paths.map((p) => path.basename(p))).toEqual([
      'a-red-apple-4294967295.png',
      'a-red-apple-0.png',
    ]);
  });

  it('adds the extension when -o has none', () => {
    expect(plan({ output: 'apple' }).paths).toEqual([path.join(cwd, 'apple.png')]);
    expect(plan({ output: 'apple', format: 'avif' }).paths).toEqual([path.join(cwd, 'apple.avif')]);
  });

  it('refuses a --format that contradicts the extension, and unknown extensions', () => {
    expect(() => plan({ output: 'apple.png', format: 'webp' })).toThrow(/--format webp does not match/);
    expect(() => plan({ output: 'apple.bmp' })).toThrow(/cannot tell the image format from "\.bmp"/);
    expect(plan({ output: 'apple.img', format: 'png', count: 2 }).paths).toEqual([
      path.join(cwd, 'apple-1.img'),
      path.join(cwd, 'apple-2.img'),
    ]);
  });

  it('writes to stdout for -o -, one image only', () => {
    expect(plan({ output: '-', format: 'webp' })).toEqual({ format: 'webp', toStdout: true, paths: [] });
    expect(() => plan({ output: '-', count: 2 })).toThrow(/stdout can take one image only/);
  });
});
