import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TINY_BUNDLE_DIR } from './fixtures.test-support.js';
import { defaultModelsDir, findModelsDir } from './models-dir.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('defaultModelsDir', () => {
  it('prefers $MATRYOSHKA_MODELS', () => {
    expect(defaultModelsDir({ MATRYOSHKA_MODELS: 'some/where' })).toBe(resolve('some/where'));
  });

  it('walks up to the nearest models/ folder that holds a bundle, else names the nearest empty one', () => {
    const root = mkdtempSync(join(tmpdir(), 'matryoshka-walk-'));
    temps.push(root);
    const deep = join(root, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    // The walk stops at root, so another program's /tmp/models cannot leak into the test.
    expect(findModelsDir([deep], root)).toBeUndefined();
    mkdirSync(join(root, 'a', 'models'));
    expect(findModelsDir([deep], root)).toBe(join(root, 'a', 'models'));
    cpSync(TINY_BUNDLE_DIR, join(root, 'models', 'tiny-bundle'), { recursive: true });
    expect(findModelsDir([deep], root)).toBe(join(root, 'models'));
    expect(findModelsDir([join(root, 'elsewhere'), deep], root)).toBe(join(root, 'models'));
  });
});
