import type { ImageRequest } from '@matryoshka/core';

/** Answers of "Generate Image with Options…" for one run; each one left undefined keeps the settings'. */
export interface RunOptions {
  count?: number;
  /** Side in pixels; 0 = the model's native resolution. */
  size?: number;
  negativePrompt?: string;
}

export const COUNT_CHOICES = [1, 2, 4, 8] as const;
export const SIZE_CHOICES = [0, 64, 128, 256, 512] as const;

/** The request with one run's options applied (the settings' request is not changed). */
export function withRunOptions(request: ImageRequest, options: RunOptions): ImageRequest {
  const out: ImageRequest = { ...request };
  if (options.count !== undefined && options.count > 1) out.count = options.count;
  if (options.size !== undefined) {
    if (options.size > 0) {
      out.width = options.size;
      out.height = options.size;
    } else {
      delete out.width;
      delete out.height;
    }
  }
  const negative = options.negativePrompt?.trim();
  if (negative) out.negativePrompt = negative;
  return out;
}
