import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MatryoshkaError } from '@matryoshka/core';
import type { ClientSession } from './client-session.js';
import { OUTPUT_URI_PREFIX } from './output-store.js';

/** Pictures larger than this are refused before reading: the models draw 64 px, nothing needs more. */
const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * The bytes of an image-to-image input (or its inpainting mask, named by `field` in errors): a
 * `matryoshka://output/…` URI of an earlier result, or a path (or file:// URL) that the session's
 * file-access policy lets it read.
 */
export async function readInputImage(
  session: ClientSession,
  reference: string,
  field: 'image' | 'mask' = 'image',
): Promise<Uint8Array> {
  if (reference.startsWith(OUTPUT_URI_PREFIX)) {
    let name: string;
    try {
      name = decodeURIComponent(reference.slice(OUTPUT_URI_PREFIX.length));
    } catch {
      throw new MatryoshkaError('INVALID_REQUEST', `${field}: ${reference} is not valid percent-encoding`);
    }
    return (await (await session.folder.store()).read(name)).bytes;
  }
  const path = reference.startsWith('file://') ? fileURLToPath(reference) : reference;
  const real = await session.access.resolve(path, 'read');
  const info = await stat(real).catch((error: NodeJS.ErrnoException) => {
    throw new MatryoshkaError(
      'IO_ERROR',
      `${field}: cannot read ${reference}: ${error.code ?? error.message}`,
    );
  });
  if (!info.isFile()) throw new MatryoshkaError('INVALID_REQUEST', `${field}: ${reference} is not a file`);
  if (info.size > MAX_INPUT_BYTES) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${field}: ${reference} is ${info.size} bytes; the limit is ${MAX_INPUT_BYTES} (give a smaller picture)`,
    );
  }
  return new Uint8Array(await readFile(real));
}
