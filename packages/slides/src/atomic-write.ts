import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';

/**
 * Writes a file so that readers see either the old content or the whole new one, never a torn
 * file: write a temporary sibling, flush it to disk, rename it over the target.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new MatryoshkaError('IO_ERROR', `cannot write ${target}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
