import { randomBytes } from 'node:crypto';
import type { Manifest } from './manifest.js';
import type { NormalizedImageRequest, ParsedClipRequest, ParsedImageRequest } from './schema.js';

export type SharedDefaults<F> = Omit<NormalizedImageRequest, 'kind' | 'format'> & { format: F };

/**
 * The fields an image and a clip request resolve the same way: what the request says, else what the
 * bundle's manifest recommends. A missing side follows the given one, so `width: 128` stays square.
 */
export function sharedDefaults<P extends ParsedImageRequest | ParsedClipRequest>(
  parsed: P,
  modelId: string,
  manifest: Manifest,
): SharedDefaults<P['format']> {
  const native = manifest.levels[0]?.resolution as number;
  return {
    prompt: parsed.prompt,
    negativePrompt: parsed.negativePrompt ?? '',
    model: modelId,
    width: parsed.width ?? parsed.height ?? native,
    height: parsed.height ?? parsed.width ?? native,
    steps: parsed.steps ?? manifest.sampling.steps,
    guidance: parsed.guidance ?? manifest.sampling.guidance,
    seed: parsed.seed ?? randomBytes(4).readUInt32LE(0),
    sampler: parsed.sampler ?? manifest.sampling.sampler,
    count: parsed.count,
    format: parsed.format,
    preview: parsed.preview,
    background: parsed.background,
  };
}
