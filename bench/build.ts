import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * The bench runs the BUILT core and CLI (what users run). Rebuild a package whose sources are newer
 * than its dist, so a before/after measurement of a core change never times the old build.
 */
export function ensureBuilt(log: (line: string) => void): void {
  for (const [name, entry] of [
    ['core', 'index.js'],
    ['slides', 'index.js'],
    ['cli', 'main.js'],
  ] as const) {
    const dir = join(REPO_ROOT, 'packages', name);
    const built = join(dir, 'dist', entry);
    if (existsSync(built) && statSync(built).mtimeMs >= newest(join(dir, 'src'))) continue;
    log(`building packages/${name} (dist older than src)…`);
    execFileSync('npx', ['tsup'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
