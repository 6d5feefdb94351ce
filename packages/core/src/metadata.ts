import type { NormalizedImageRequest } from './schema.js';

/** JSON with every non-ASCII character escaped: valid in Latin-1 PNG tEXt and in EXIF ASCII alike. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The replayable parameters of ONE image (its own seed, count 1) as stored in the file. */
export function imageParameters(request: NormalizedImageRequest, seed: number): Record<string, unknown> {
  return {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    model: request.model,
    width: request.width,
    height: request.height,
    steps: request.steps,
    guidance: request.guidance,
    seed,
    sampler: request.sampler,
    // Only when set, so white pictures keep the bytes they always had.
    ...(request.background === 'transparent' ? { background: 'transparent' } : {}),
    // A variation replays only with the same input picture, named by its hash.
    ...(request.imageSha256 === undefined
      ? {}
      : { imageSha256: request.imageSha256, strength: request.strength }),
    ...(request.maskSha256 === undefined ? {} : { maskSha256: request.maskSha256 }),
  };
}

/** PNG text entries: one key per setting for humans and tools, plus `parameters` JSON for replay. */
export function imageMetadata(request: NormalizedImageRequest, seed: number): Record<string, string> {
  const entries: Record<string, string> = {
    'matryoshka:prompt': request.prompt,
    'matryoshka:seed': String(seed),
    'matryoshka:steps': String(request.steps),
    'matryoshka:guidance': String(request.guidance),
    'matryoshka:sampler': request.sampler,
    'matryoshka:model': request.model,
    parameters: asciiJson(imageParameters(request, seed)),
    Software: 'Matryoshka (@matryoshka/core)',
  };
  if (request.negativePrompt) entries['matryoshka:negative_prompt'] = request.negativePrompt;
  return entries;
}
