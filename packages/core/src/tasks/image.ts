import { createHash } from 'node:crypto';
import type { BundleRef } from '../bundle.js';
import { DEFAULT_STRENGTH } from '../constants.js';
import { encodeImage } from '../encode/image.js';
import { MatryoshkaError } from '../errors.js';
import type { SampleEncoder } from '../generate-samples.js';
import { matteWhite } from '../matte.js';
import { imageMetadata } from '../metadata.js';
import { toRgb8 } from '../pixels.js';
import { sharedDefaults } from '../request-defaults.js';
import type { NormalizedImageRequest, ParsedImageRequest } from '../schema.js';

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
  if (parsed.strength !== undefined && parsed.image === undefined) {
    throw new MatryoshkaError('INVALID_REQUEST', 'strength: needs an image to start from (image)', {
      details: { issues: ['strength: needs image'] },
    });
  }
  if (parsed.mask !== undefined && parsed.image === undefined) {
    throw new MatryoshkaError('INVALID_REQUEST', 'mask: needs the picture it masks (image)', {
      details: { issues: ['mask: needs image'] },
    });
  }
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const fromImage =
    parsed.image === undefined
      ? {}
      : {
          // A masked repaint starts the masked part from noise unless asked otherwise.
          strength: parsed.strength ?? (parsed.mask ? 1 : DEFAULT_STRENGTH),
          imageSha256: sha256(parsed.image),
          ...(parsed.mask === undefined ? {} : { maskSha256: sha256(parsed.mask) }),
        };
  return { kind: 'image', ...sharedDefaults(parsed, modelId, manifest), ...fromImage };
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
