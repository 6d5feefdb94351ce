import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BundleRef, discoverBundles, readBundle } from './bundle.js';
import { MatryoshkaError } from './errors.js';
import { findModelPackages, type ModelPackage, packageSearchStarts } from './model-packages.js';
import { findModelsDir, moduleDir } from './models-dir.js';

/**
 * Where an engine finds its bundles. A folder the user names (modelsDir, $MATRYOSHKA_MODELS) is the
 * only place looked in; otherwise the nearest `models/` folder, then installed model packages.
 */
export interface ModelCatalog {
  folder: string | undefined;
  packages: ModelPackage[];
}

export function modelCatalog(modelsDir?: string, env: NodeJS.ProcessEnv = process.env): ModelCatalog {
  const named = modelsDir || env.MATRYOSHKA_MODELS || undefined;
  if (named !== undefined) return { folder: resolve(named), packages: [] };
  const here = moduleDir();
  return {
    folder: findModelsDir([here, process.cwd()].filter((d): d is string => d !== undefined)),
    packages: findModelPackages(packageSearchStarts(here)),
  };
}

/** The places looked in, for messages a user can act on. */
export function describeCatalog(catalog: ModelCatalog): string {
  const places = [
    ...(catalog.folder ? [catalog.folder] : []),
    ...catalog.packages.map((p) => `${p.name}@${p.version}`),
  ];
  return places.length ? places.join(', ') : 'no models folder and no installed @matryoshka/model-* package';
}

/** Every bundle the catalog holds (a folder's bundle shadows a package with the same id). */
export async function discoverCatalog(
  catalog: ModelCatalog,
): Promise<{ bundles: BundleRef[]; broken: Array<{ id: string; dir: string; error: MatryoshkaError }> }> {
  const { bundles, broken } = catalog.folder
    ? await discoverBundles(catalog.folder)
    : { bundles: [], broken: [] };
  const folder = catalog.folder;
  const all = {
    bundles: [...bundles],
    broken: broken.map((b) => ({ ...b, dir: join(folder as string, b.id) })),
  };
  const taken = new Set([...bundles.map((b) => b.id), ...broken.map((b) => b.id)]);
  for (const pkg of catalog.packages) {
    if (taken.has(pkg.id)) continue;
    taken.add(pkg.id);
    try {
      all.bundles.push(await readBundle(pkg.dir, pkg.id));
    } catch (error) {
      if (!MatryoshkaError.isInstance(error)) throw error;
      all.broken.push({ id: pkg.id, dir: pkg.dir, error });
    }
  }
  return all;
}

/** One bundle by id: from the folder if it has it, else from an installed package. */
export async function readCatalogBundle(catalog: ModelCatalog, id: string): Promise<BundleRef> {
  const inFolder = catalog.folder === undefined ? undefined : join(catalog.folder, id);
  const pkg = catalog.packages.find((p) => p.id === id);
  const dir =
    inFolder !== undefined && (existsSync(join(inFolder, 'manifest.json')) || !pkg) ? inFolder : pkg?.dir;
  try {
    if (dir === undefined) throw new MatryoshkaError('MODEL_NOT_FOUND', `Model "${id}" not found`);
    return await readBundle(dir, id);
  } catch (error) {
    if (MatryoshkaError.isInstance(error) && error.code === 'MODEL_NOT_FOUND') {
      const { bundles } = await discoverCatalog(catalog);
      const available = bundles.map((b) => b.id);
      throw new MatryoshkaError(
        'MODEL_NOT_FOUND',
        `Model "${id}" not found in ${describeCatalog(catalog)} (available: ${available.join(', ') || 'none'})`,
        {
          details: {
            model: id,
            ...(catalog.folder ? { modelsDir: catalog.folder } : {}),
            packages: catalog.packages.map((p) => p.name),
            available,
          },
        },
      );
    }
    throw error;
  }
}
