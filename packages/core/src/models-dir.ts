import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where this module lives, in the ESM build, the CJS build and the sources alike. */
export function moduleDir(): string | undefined {
  if (typeof __dirname === 'string') return __dirname;
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    // Bundled into a host (e.g. a VS Code extension) that empties import.meta.
    return undefined;
  }
}

function hasBundles(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'manifest.json')),
    );
  } catch {
    return false;
  }
}

export function* ancestors(start: string, stopAt?: string): Generator<string> {
  let dir = resolve(start);
  const last = stopAt === undefined ? undefined : resolve(stopAt);
  while (true) {
    yield dir;
    const parent = dirname(dir);
    if (parent === dir || dir === last) return;
    dir = parent;
  }
}

/**
 * The models folder used when none is configured: $MATRYOSHKA_MODELS, else the first `models/`
 * holding bundles on the way up from this package (a clone or an installed package), else from the
 * working directory; failing that, the nearest empty `models/`. Undefined when there is none.
 */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.MATRYOSHKA_MODELS;
  if (fromEnv) return resolve(fromEnv);
  return findModelsDir([moduleDir(), process.cwd()].filter((d): d is string => d !== undefined));
}

/** Walks up from each start in turn (no higher than `stopAt`) to the first `models/` that holds a bundle. */
export function findModelsDir(starts: readonly string[], stopAt?: string): string | undefined {
  let firstEmpty: string | undefined;
  for (const start of starts) {
    for (const dir of ancestors(start, stopAt)) {
      const candidate = join(dir, 'models');
      if (hasBundles(candidate)) return candidate;
      // Kept so that "no model in <dir>" can name the folder a user should fill.
      if (firstEmpty === undefined && existsSync(candidate)) firstEmpty = candidate;
    }
  }
  return firstEmpty;
}
