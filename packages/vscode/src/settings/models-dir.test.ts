import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveModelsDir } from './models-dir.js';

describe('resolveModelsDir', () => {
  const base = { workspaceFolder: '/ws', bundledModelsDir: '/ext/models', env: {} };

  it('resolves a relative setting against the workspace folder', () => {
    expect(resolveModelsDir({ ...base, setting: 'test/fixtures' })).toBe('/ws/test/fixtures');
  });

  it('expands ${workspaceFolder} and ~', () => {
    expect(resolveModelsDir({ ...base, setting: '${workspaceFolder}/m' })).toBe('/ws/m');
    expect(resolveModelsDir({ ...base, setting: '~/models' })).toBe(`${os.homedir()}/models`);
  });

  it('lets $MATRYOSHKA_MODELS win over the bundled models when the setting is empty', () => {
    expect(resolveModelsDir({ ...base, setting: '', env: { MATRYOSHKA_MODELS: '/m' } })).toBeUndefined();
  });

  it('falls back to the models shipped in the extension', () => {
    expect(resolveModelsDir({ ...base, setting: ' ' })).toBe('/ext/models');
    expect(resolveModelsDir({ setting: '', env: {} })).toBeUndefined();
  });
});
