import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { GeneratedImage, GenerateResult } from '@matryoshka/core';
import { insertPngText, isPng, readPngText, suggestedFileName, writeFileAtomic } from '@matryoshka/core/lite';
import { type DocumentContext, resolveOutputPath } from '../paths/output-path.js';
import {
  type GenerationRecord,
  RECORD_KEYWORD,
  recordFromPngText,
  recordToJson,
} from '../png/generation-record.js';

export interface SavedImage {
  path: string;
  record: GenerationRecord;
  image: GeneratedImage;
}

/**
 * Writes every image of `result` where the output pattern says, never overwriting a file, with the
 * generation record embedded in PNGs so the gallery and "Regenerate" can read the prompt back.
 */
export async function saveImages(
  result: Pick<GenerateResult, 'images' | 'model' | 'request'>,
  outputPattern: string,
  context: DocumentContext,
): Promise<SavedImage[]> {
  const saved: SavedImage[] = [];
  for (const image of result.images) {
    const request = result.request;
    const record: GenerationRecord = {
      prompt: request.prompt,
      ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
      model: result.model,
      seed: image.seed,
      width: image.width,
      height: image.height,
      steps: request.steps,
      guidance: request.guidance,
      sampler: request.sampler,
    };
    const { extension } = image;
    const target = await freePath(
      resolveOutputPath(outputPattern, context, suggestedFileName(request.prompt, image.seed, extension)),
    );
    // The engine normally embeds its parameters already; the record is added only where it did not.
    const needsRecord =
      isPng(image.bytes) && recordFromPngText(readPngText(image.bytes, { lenient: true })) === undefined;
    const bytes = needsRecord
      ? insertPngText(image.bytes, { [RECORD_KEYWORD]: recordToJson(record) })
      : image.bytes;
    // Atomic and never over an existing file (a name taken since freePath looked is refused).
    await writeFileAtomic(target, bytes);
    saved.push({ path: target, record, image });
  }
  return saved;
}

async function freePath(target: string): Promise<string> {
  const ext = path.extname(target);
  const stem = target.slice(0, target.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? target : `${stem}-${i}${ext}`;
    if (!(await exists(candidate))) return candidate;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
