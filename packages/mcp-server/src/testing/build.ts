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
 * The stdio and Inspector tests spawn the real executable, which runs built code. This package is
 * rebuilt when its sources are newer than its dist; the core and slides packages only when their
 * dist is missing, since rebuilding them (tsup cleans dist first) could pull the floor from under
 * other packages' tests running at the same time. `npm test` builds everything first anyway.
 */
export async function ensureBuilt(): Promise<void> {
  const sibling = (name: string) => join(REPO_ROOT, 'packages', name);
  for (const dir of [sibling('core'), sibling('slides')]) {
    if (!existsSync(join(dir, 'dist', 'index.js')))
      await run('npx', ['tsup'], { cwd: dir, timeout: 240_000 });
  }
  if (stale(PACKAGE_DIR, 'cli.js')) await run('npx', ['tsup'], { cwd: PACKAGE_DIR, timeout: 240_000 });
}
