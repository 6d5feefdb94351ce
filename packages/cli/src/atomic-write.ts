import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MatryoshkaError } from '@matryoshka/core/lite';
import { pendingTempFiles as pending } from './temp-files.js';

export interface FileToWrite {
  path: string;
  bytes: Uint8Array;
}

/** Hidden, in the target's own folder (rename is only atomic within one file system), unique per call. */
export function tempPathFor(target: string): string {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${suffix}.tmp`);
}

async function writeTemp(file: FileToWrite): Promise<string> {
  await mkdir(path.dirname(file.path), { recursive: true });
  const temp = tempPathFor(file.path);
  const handle = await open(temp, 'wx');
  pending.add(temp);
  try {
    await handle.writeFile(file.bytes);
    // Flushed before the rename, or a crash could leave a complete-looking name over empty data.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/**
 * Writes every file to a temp name first and renames them into place only when all are written:
 * a reader never sees a half-written image, and a failure or abort leaves no file behind.
 */
export async function writeFilesAtomically(
  files: readonly FileToWrite[],
  signal?: AbortSignal,
): Promise<void> {
  const temps: string[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const file of files) {
      current = file.path;
      temps.push(await writeTemp(file));
    }
    if (signal?.aborted) throw new MatryoshkaError('ABORTED', 'aborted before the files were written');
    for (const [k, file] of files.entries()) {
      current = file.path;
      await rename(temps[k] as string, file.path);
      pending.delete(temps[k] as string);
    }
  } catch (error) {
    await Promise.all(
      temps.map(async (temp) => {
        if (!pending.has(temp)) return;
        pending.delete(temp);
        await unlink(temp).catch(() => undefined);
      }),
    );
    if (MatryoshkaError.isInstance(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MatryoshkaError('IO_ERROR', `cannot write ${current}: ${reason}`, { cause: error });
  }
}
