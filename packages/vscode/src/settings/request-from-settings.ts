import type { ImageRequest } from '@matryoshka/core';
import type { MatryoshkaSettings } from './settings.js';

/**
 * The engine request for `prompt` under the user's settings. Settings left at their "model default"
 * value are omitted so the engine applies the bundle's own defaults.
 */
export function requestFromSettings(
  prompt: string,
  settings: MatryoshkaSettings,
  extra: { seed?: number; negativePrompt?: string; model?: string } = {},
): ImageRequest {
  const request: ImageRequest = { kind: 'image', prompt, format: 'png' };
  const model = extra.model ?? (settings.model.trim() || undefined);
  if (model) request.model = model;
  if (settings.size > 0) {
    request.width = settings.size;
    request.height = settings.size;
  }
  if (settings.steps > 0) request.steps = settings.steps;
  if (settings.guidance !== null && Number.isFinite(settings.guidance)) request.guidance = settings.guidance;
  if (settings.sampler === 'ddpm' || settings.sampler === 'ddim' || settings.sampler === 'dpmpp-2m') {
    request.sampler = settings.sampler;
  }
  if (settings.background === 'white' || settings.background === 'transparent') {
    request.background = settings.background;
  }
  if (extra.seed !== undefined) request.seed = extra.seed;
  if (extra.negativePrompt) request.negativePrompt = extra.negativePrompt;
  return request;
}

/** A fresh uint32 seed, so "Regenerate" never repeats the picture it replaces. */
export function newSeed(previous?: number, random: () => number = Math.random): number {
  for (;;) {
    const seed = Math.floor(random() * 0x1_0000_0000) >>> 0;
    if (seed !== previous) return seed;
  }
}
