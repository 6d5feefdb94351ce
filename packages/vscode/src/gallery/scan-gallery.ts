import { open, stat } from 'node:fs/promises';
import { readPngText } from '@matryoshka/core/lite';
import * as vscode from 'vscode';
import { type GenerationRecord, recordFromPngText } from '../png/generation-record.js';
import type { GenerationHistory } from '../state/history.js';

export interface FoundImage {
  path: string;
  record: GenerationRecord;
  modifiedMs: number;
}

/** Every format the gallery shows: pictures (PNG records) and clips (animated WebP/GIF, from the history). */
export const GALLERY_GLOB = '**/*.{png,webp,gif}';

const MAX_FILES = 2000;
// Generation records sit right after IHDR (both the engine and the extension put them there), so the
// head of a file is enough; other writers' files are read whole only when small.
const HEAD_BYTES = 64 * 1024;
const MAX_WHOLE_BYTES = 2 * 1024 * 1024;

/**
 * The generated images of this workspace, newest first: every PNG whose metadata holds a prompt, plus
 * the history's non-PNG files (clips), whose prompt only the history knows.
 */
export async function scanGallery(history: GenerationHistory): Promise<FoundImage[]> {
  const uris = await vscode.workspace.findFiles('**/*.png', '{**/node_modules/**,**/.git/**}', MAX_FILES);
  const found = new Map<string, FoundImage>();
  await Promise.all(
    uris
      .filter((uri) => uri.scheme === 'file')
      .map(async (uri) => {
        try {
          const info = await stat(uri.fsPath);
          let record = recordFromPngText(
            readPngText(await readBytes(uri.fsPath, HEAD_BYTES), { lenient: true }),
          );
          if (!record && info.size > HEAD_BYTES && info.size <= MAX_WHOLE_BYTES) {
            record = recordFromPngText(
              readPngText(await readBytes(uri.fsPath, info.size), { lenient: true }),
            );
          }
          if (record) found.set(uri.fsPath, { path: uri.fsPath, record, modifiedMs: info.mtimeMs });
        } catch {
          // Deleted or unreadable meanwhile: not part of the gallery.
        }
      }),
  );
  for (const entry of history.entries()) {
    if (found.has(entry.path)) continue;
    try {
      const info = await stat(entry.path);
      found.set(entry.path, { path: entry.path, record: entry.record, modifiedMs: info.mtimeMs });
    } catch {
      // The file is gone.
    }
  }
  return [...found.values()].sort((a, b) => b.modifiedMs - a.modifiedMs);
}

async function readBytes(file: string, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
