import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_DIR, REPO_ROOT } from './fixtures.js';

const run = promisify(execFile);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale(packageDir: string, entry: string): boolean {
  const built = join(packageDir, 'dist', entry);
  return !existsSync(built) || statSync(built).mtimeMs < newestMtime(join(packageDir, 'src'));
}

/**
 * The stdio and Inspector tests spawn the real executable, which runs the built code: rebuild the
 * core, the slides package and this one when their sources are newer than their dist (as `npm test` would).
 */
export async function ensureBuilt(): Promise<void> {
  const sibling = (name: string) => join(REPO_ROOT, 'packages', name);
  for (const [dir, entry] of [
    [sibling('core'), 'index.js'],
    [sibling('slides'), 'index.js'],
    [PACKAGE_DIR, 'cli.js'],
  ] as const) {
    if (stale(dir, entry)) await run('npx', ['tsup'], { cwd: dir, timeout: 240_000 });
  }
}
