import type { ImageFormat, ImageRequest, SamplerName } from '@matryoshka/core';
import { parseSize } from './size.js';
import { usageError } from './usage-error.js';

export interface GenerateFlags {
  negative?: string;
  model?: string;
  size?: string;
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  seed?: number;
  sampler?: string;
  count?: number;
  format?: string;
}

/**
 * Maps flags onto the engine's request, leaving out what the user did not say so the model's own
 * defaults (steps, guidance, sampler, size) apply. Values are passed through unchecked: the engine's
 * schema owns the limits and names the field in its error.
 */
export function requestFromFlags(
  prompt: string,
  flags: GenerateFlags,
  seed: number,
  format: ImageFormat,
): ImageRequest {
  if (flags.size !== undefined && (flags.width !== undefined || flags.height !== undefined)) {
    throw usageError(
      '--size cannot be combined with --width or --height',
      'use either --size WxH or --width and --height',
    );
  }
  const size = flags.size === undefined ? {} : parseSize(flags.size);
  const request: ImageRequest = { kind: 'image', prompt, seed, format, ...size };
  if (flags.negative !== undefined) request.negativePrompt = flags.negative;
  if (flags.model !== undefined) request.model = flags.model;
  if (flags.width !== undefined) request.width = flags.width;
  if (flags.height !== undefined) request.height = flags.height;
  if (flags.steps !== undefined) request.steps = flags.steps;
  if (flags.guidance !== undefined) request.guidance = flags.guidance;
  if (flags.sampler !== undefined) request.sampler = flags.sampler as SamplerName;
  if (flags.count !== undefined) request.count = flags.count;
  return request;
}
