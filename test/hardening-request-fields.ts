import { ClipRequestSchema, ImageRequestSchema } from '@matryoshka/core';

/**
 * Every field an image or clip request may carry, read from the engine's schemas so that a field
 * added there is fuzzed by the hardening tests without anyone remembering to list it.
 */
export const REQUEST_FIELDS: readonly string[] = [
  ...new Set([...Object.keys(ImageRequestSchema.shape), ...Object.keys(ClipRequestSchema.shape)]),
];
