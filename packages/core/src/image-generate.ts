import type { BundleRef } from './bundle.js';
import { encodeImage } from './encode.js';
import { MatryoshkaError } from './errors.js';
import { type GenerateTiming, generateSamples, type LoadedModel } from './generate-samples.js';
import { imageMetadata } from './metadata.js';
import { toRgb8 } from './pixels.js';
import { sharedDefaults } from './request-defaults.js';
import type {
  GenerateOptions,
  GenerateResult,
  NormalizedImageRequest,
  ParsedImageRequest,
} from './schema.js';

/** The request with every default filled in from this image bundle, or MODEL_UNSUPPORTED. */
export function normalizeImageRequest(
  parsed: ParsedImageRequest,
  modelId: string,
  bundle: BundleRef,
): NormalizedImageRequest {
  const { manifest } = bundle;
  if (manifest.task !== 'image') {
    throw new MatryoshkaError(
      'MODEL_UNSUPPORTED',
      `Model "${modelId}" is a ${manifest.task} model; ask it for a clip ({ kind: 'clip' }) or name an image model`,
      { details: { model: modelId, task: manifest.task } },
    );
  }
  return { kind: 'image', ...sharedDefaults(parsed, modelId, manifest) };
}

/** Draws `count` images (image k with seed + k), each encoded with its replayable metadata. */
export function generateImages(
  model: LoadedModel,
  request: NormalizedImageRequest,
  options: GenerateOptions,
  timing: GenerateTiming,
): Promise<GenerateResult> {
  const { manifest } = model.bundle;
  const channels = manifest.channels;
  const native = manifest.levels[0]?.resolution as number;
  return generateSamples(model, request, options, timing, async (x0, seed) => {
    const rgb = toRgb8(x0[0] as Float32Array, channels, native, native);
    const encoded = await encodeImage(rgb, native, native, {
      format: request.format,
      width: request.width,
      height: request.height,
      metadata: imageMetadata(request, seed),
    });
    return [{ ...encoded, width: request.width, height: request.height, seed, format: request.format }];
  });
}
