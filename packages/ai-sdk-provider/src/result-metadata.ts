import type { GenerateResult } from '@matryoshka/core';

/**
 * `providerMetadata.matryoshka`: per image (the SDK hands `images[i]` to `image.providerMetadata`) its
 * seed, which replays it exactly, its model and size; for the call (`result.calls[i].providerMetadata`)
 * how the prompt was read, the request as run and the timings — all plain JSON.
 */
export function resultMetadata(result: GenerateResult) {
  return {
    images: result.images.map((image) => ({
      seed: image.seed,
      model: result.model,
      width: image.width,
      height: image.height,
      mediaType: image.mimeType,
      ...(image.frames === undefined ? {} : { frames: image.frames }),
    })),
    model: result.model,
    interpretation: {
      text: result.interpretation.text,
      changes: result.interpretation.changes.map((c) => ({ from: c.from, to: c.to, reason: c.reason })),
    },
    request: { ...result.request },
    timings: { ...result.timings },
  };
}
