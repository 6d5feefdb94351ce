import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ancestors } from './models-dir.js';

/** npm scope whose `model-*` packages each hold one bundle at their root. */
export const MODEL_PACKAGE_SCOPE = '@matryoshka';
const PREFIX = 'model-';

/** A model bundle installed as an npm package, e.g. @matryoshka/model-emoji-256. */
export interface ModelPackage {
  /** The bundle id the package declares in `matryoshka.bundle` (its manifest must agree). */
  id: string;
  /** The package folder, which is the bundle folder. */
  dir: string;
  name: string;
  version: string;
}

/**
 * Model packages reachable from each start, the way Node resolves packages: every
 * `node_modules/@matryoshka/model-*` on the way up. Nearer installs win over farther ones with the
 * same id, and one package seen through two links is listed once.
 */
export function findModelPackages(starts: readonly string[]): ModelPackage[] {
  const found = new Map<string, ModelPackage>();
  const seenDirs = new Set<string>();
  for (const start of starts) {
    for (const dir of ancestors(start)) {
      const scope = join(dir, 'node_modules', MODEL_PACKAGE_SCOPE);
      let names: string[];
      try {
        names = readdirSync(scope)
          .filter((n) => n.startsWith(PREFIX))
          .sort();
      } catch {
        continue;
      }
      for (const name of names) {
        const pkg = readModelPackage(join(scope, name));
        if (!pkg || seenDirs.has(pkg.real)) continue;
        seenDirs.add(pkg.real);
        if (!found.has(pkg.info.id)) found.set(pkg.info.id, pkg.info);
      }
    }
  }
  return [...found.values()];
}

function readModelPackage(dir: string): { info: ModelPackage; real: string } | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
      matryoshka?: { bundle?: unknown };
    };
    const id = json.matryoshka?.bundle;
    // A package without the field is some other @matryoshka package that happens to start with model-.
    if (typeof id !== 'string' || id === '' || typeof json.name !== 'string') return undefined;
    const version = typeof json.version === 'string' ? json.version : '0.0.0';
    return { info: { id, dir, name: json.name, version }, real: realpathSync(dir) };
  } catch {
    return undefined;
  }
}

/** Where this process's packages are resolved from: core itself, the program being run, the working directory. */
export function packageSearchStarts(moduleDir: string | undefined): string[] {
  const starts: string[] = [];
  if (moduleDir) starts.push(moduleDir);
  const main = process.argv[1];
  if (main) {
    try {
      // Through the link, so that pnpm's layout (deps beside the package in .pnpm) is found too.
      starts.push(dirname(realpathSync(main)));
    } catch {
      // Not a file (e.g. `node -e`): nothing to add.
    }
  }
  starts.push(process.cwd());
  return starts;
}
