import type { BundleRef } from './bundle.js';
import { encodeImage } from './encode.js';
import { MatryoshkaError } from './errors.js';
import type { SampleEncoder } from './generate-samples.js';
import { matteWhite } from './matte.js';
import { imageMetadata } from './metadata.js';
import { toRgb8 } from './pixels.js';
import { sharedDefaults } from './request-defaults.js';
import type { NormalizedImageRequest, ParsedImageRequest } from './schema.js';

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
  if (parsed.background === 'transparent' && parsed.format === 'jpeg') {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      'background: "transparent" needs a format with an alpha channel (png, webp or avif), not jpeg',
      { details: { issues: ['background: transparent needs png, webp or avif'] } },
    );
  }
  return { kind: 'image', ...sharedDefaults(parsed, modelId, manifest) };
}

/** Encodes each image at the requested size and format, with its replayable metadata. */
export function imageEncoder(request: NormalizedImageRequest): SampleEncoder {
  return async ([outer], seed, { channels, native }) => {
    const rgb = toRgb8(outer as Float32Array, channels, native, native);
    const transparent = request.background === 'transparent';
    const pixels = transparent ? matteWhite(rgb, native, native) : rgb;
    const encoded = await encodeImage(
      pixels,
      native,
      native,
      {
        format: request.format,
        width: request.width,
        height: request.height,
        metadata: imageMetadata(request, seed),
      },
      transparent ? 4 : 3,
    );
    return [{ ...encoded, width: request.width, height: request.height, seed, format: request.format }];
  };
}
