import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures at the repository root: holds tiny-bundle, a random-weight model for tests. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));
export const TINY_MODEL = 'tiny-bundle';
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(PACKAGE_DIR, 'bin', 'matryoshka-mcp.js');

/** The built server's command line (after `node`) on the tiny fixture, writing into `outputDir`. */
export function fixtureServerArgs(outputDir: string): string[] {
  return [
    BIN,
    '--models-dir',
    FIXTURES_DIR,
    '--model',
    TINY_MODEL,
    '--output-dir',
    outputDir,
    '--threads',
    '1',
  ];
}

/** A fresh temporary folder, removed by the returned function. */
export async function temporaryDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
