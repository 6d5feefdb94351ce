import { readFile } from 'node:fs/promises';
import { readPngText } from '@matryoshka/core/lite';
import { type GenerationRecord, recordFromPngText } from '../png/generation-record.js';
import type { GenerationHistory } from '../state/history.js';

/** The record a picture file carries (its PNG text), else the one the history kept for it (clips). */
export async function pictureRecord(
  history: GenerationHistory,
  file: string,
): Promise<GenerationRecord | undefined> {
  try {
    const fromFile = recordFromPngText(readPngText(await readFile(file), { lenient: true }));
    if (fromFile) return fromFile;
  } catch {
    // Unreadable or not a PNG: the history may still know it.
  }
  return history.entries().find((e) => e.path === file)?.record;
}
