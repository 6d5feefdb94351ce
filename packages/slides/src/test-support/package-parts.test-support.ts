import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';

/** Every part of a zip package, uncompressed, by name. */
export async function readParts(file: string): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const parts = new Map<string, Uint8Array>();
  for (const entry of Object.values(zip.files)) {
    if (!entry.dir) parts.set(entry.name, await entry.async('uint8array'));
  }
  return parts;
}

export const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a !== undefined && b !== undefined && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
