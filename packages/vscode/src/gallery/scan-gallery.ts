import { readFile, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { type GenerationRecord, recordFromPngText } from '../png/generation-record.js';
import { readPngText } from '../png/png-text.js';
import type { GenerationHistory } from '../state/history.js';

export interface FoundImage {
  path: string;
  record: GenerationRecord;
  modifiedMs: number;
}

const MAX_FILES = 2000;
const MAX_BYTES = 8 * 1024 * 1024;

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
          if (info.size > MAX_BYTES) return;
          const record = recordFromPngText(readPngText(await readFile(uri.fsPath)));
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
