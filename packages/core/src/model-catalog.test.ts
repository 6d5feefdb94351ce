import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, failure, TINY_BUNDLE_DIR } from './fixtures.test-support.js';
import { discoverCatalog, modelCatalog, readCatalogBundle } from './model-catalog.js';
import { findModelPackages } from './model-packages.js';

const TINY_CLIP_BUNDLE_DIR = `${FIXTURES_DIR}tiny-clip-bundle`;
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'matryoshka-catalog-'));
  temps.push(root);
  return root;
}

/** Installs a bundle as node_modules/@matryoshka/<name> declaring `bundle` as its id. */
function installPackage(root: string, name: string, bundleDir: string, bundle: string | undefined): string {
  const dir = join(root, 'node_modules', '@matryoshka', name);
  cpSync(bundleDir, dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `@matryoshka/${name}`,
      version: '1.2.3',
      ...(bundle === undefined ? {} : { matryoshka: { bundle } }),
    }),
  );
  return dir;
}

describe('findModelPackages', () => {
  it('finds installed model packages on the way up, ignoring other @matryoshka packages', () => {
    const root = project();
    const dir = installPackage(root, 'model-tiny-bundle', TINY_BUNDLE_DIR, 'tiny-bundle');
    installPackage(root, 'model-not-a-model', TINY_BUNDLE_DIR, undefined);
    installPackage(root, 'core', TINY_BUNDLE_DIR, 'tiny-bundle');
    const deep = join(root, 'src', 'deep');
    mkdirSync(deep, { recursive: true });
    expect(findModelPackages([deep])).toEqual([
      { id: 'tiny-bundle', dir, name: '@matryoshka/model-tiny-bundle', version: '1.2.3' },
    ]);
  });

  it('lists a package seen through two links once, and a nearer install before a farther one', () => {
    const root = project();
    const far = installPackage(root, 'model-tiny-bundle', TINY_BUNDLE_DIR, 'tiny-bundle');
    const app = join(root, 'app');
    mkdirSync(join(app, 'node_modules', '@matryoshka'), { recursive: true });
    // Two names for one folder (a workspace link): counted once.
    symlinkSync(far, join(app, 'node_modules', '@matryoshka', 'model-link'));
    expect(findModelPackages([app, root]).map((p) => p.dir)).toEqual([
      join(app, 'node_modules', '@matryoshka', 'model-link'),
    ]);
    rmSync(join(app, 'node_modules', '@matryoshka', 'model-link'));
    const near = installPackage(app, 'model-near', TINY_BUNDLE_DIR, 'tiny-bundle');
    expect(findModelPackages([join(app, 'src')]).map((p) => p.dir)).toEqual([near]);
  });
});

describe('model catalog', () => {
  it('reads bundles from installed packages when no folder has them', async () => {
    const root = project();
    const image = installPackage(root, 'model-tiny-bundle', TINY_BUNDLE_DIR, 'tiny-bundle');
    const clip = installPackage(root, 'model-tiny-clip-bundle', TINY_CLIP_BUNDLE_DIR, 'tiny-clip-bundle');
    const catalog = { folder: undefined, packages: findModelPackages([root]) };
    const { bundles, broken } = await discoverCatalog(catalog);
    expect(bundles.map((b) => [b.id, b.dir])).toEqual([
      ['tiny-bundle', image],
      ['tiny-clip-bundle', clip],
    ]);
    expect(broken).toEqual([]);
    expect((await readCatalogBundle(catalog, 'tiny-clip-bundle')).manifest.task).toBe('clip');
  });

  it('lets a bundle folder shadow a package of the same id, and names every place when a model is missing', async () => {
    const root = project();
    installPackage(root, 'model-tiny-bundle', TINY_BUNDLE_DIR, 'tiny-bundle');
    const folder = join(root, 'models');
    cpSync(TINY_BUNDLE_DIR, join(folder, 'tiny-bundle'), { recursive: true });
    const catalog = { folder, packages: findModelPackages([root]) };
    expect((await readCatalogBundle(catalog, 'tiny-bundle')).dir).toBe(join(folder, 'tiny-bundle'));
    expect((await discoverCatalog(catalog)).bundles).toHaveLength(1);
    const error = await failure(readCatalogBundle(catalog, 'nope'));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(folder);
    expect(error.message).toContain('@matryoshka/model-tiny-bundle@1.2.3');
    expect(error.message).toContain('available: tiny-bundle');
  });

  it('reports a package whose manifest disagrees with the id it declares as broken, not as a model', async () => {
    const root = project();
    const dir = installPackage(root, 'model-wrong', TINY_BUNDLE_DIR, 'something-else');
    const { bundles, broken } = await discoverCatalog({
      folder: undefined,
      packages: findModelPackages([root]),
    });
    expect(bundles).toEqual([]);
    expect(broken.map((b) => [b.id, b.dir, b.error.code])).toEqual([
      ['something-else', dir, 'MODEL_CORRUPT'],
    ]);
  });

  it('looks only in a folder the user names', () => {
    expect(modelCatalog('/some/where', {})).toEqual({ folder: '/some/where', packages: [] });
    expect(modelCatalog(undefined, { MATRYOSHKA_MODELS: '/else/where' })).toEqual({
      folder: '/else/where',
      packages: [],
    });
  });

  it('finds the shipped models as installed packages (the workspace links them) from the default catalog', () => {
    const ids = modelCatalog(undefined, {}).packages.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['emoji-256', 'emoji-clip-64']));
  });
});

describe('shipped model packages', () => {
  for (const id of ['emoji-256', 'emoji-clip-64']) {
    it(`models/${id} publishes exactly its manifest's files under the id it declares`, () => {
      const dir = join(FIXTURES_DIR, '..', '..', 'models', id);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(pkg.name).toBe(`@matryoshka/model-${id}`);
      expect(pkg.matryoshka).toEqual({ bundle: manifest.id });
      expect(pkg.license).toBe(manifest.license);
      expect([...pkg.files].sort()).toEqual(['manifest.json', ...Object.keys(manifest.files)].sort());
    });
  }
});
