import type { BundleRef } from '../bundle.js';
import { encodeClip } from '../encode/clip.js';
import { MatryoshkaError } from '../errors.js';
import type { SampleEncoder } from '../generate-samples.js';
import { matteWhite } from '../matte.js';
import { asciiJson, imageMetadata, imageParameters } from '../metadata.js';
import { frameOf, toRgb8 } from '../pixels.js';
import { sharedDefaults } from '../request-defaults.js';
import type { NormalizedClipRequest, NormalizedImageRequest, ParsedClipRequest } from '../schema.js';

/** The frame count, fps and loop a request may use with this clip bundle, or INVALID_REQUEST. */
export function normalizeClipRequest(
  parsed: ParsedClipRequest,
  modelId: string,
  bundle: BundleRef,
): NormalizedClipRequest {
  const { manifest } = bundle;
  const clip = manifest.clip;
  const frames = manifest.levels[0]?.frames;
  if (manifest.task !== 'clip' || !clip || frames === undefined) {
    throw new MatryoshkaError(
      'MODEL_UNSUPPORTED',
      `Model "${modelId}" is an ${manifest.task} model; a clip needs a clip model (bundle format version 2)`,
      { details: { model: modelId, task: manifest.task } },
    );
  }
  if (parsed.frames !== undefined && parsed.frames !== frames) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `frames: model "${modelId}" draws clips of exactly ${frames} frames (got ${parsed.frames}); leave frames out or ask for ${frames}`,
      { details: { issues: [`frames: must be ${frames} for model "${modelId}"`] } },
    );
  }
  return {
    kind: 'clip',
    ...sharedDefaults(parsed, modelId, manifest),
    frames,
    fps: parsed.fps ?? clip.fps,
    loop: parsed.loop,
  };
}

/** Metadata of one clip: the image keys plus frames/fps/loop, and replayable `parameters`. */
export function clipMetadata(request: NormalizedClipRequest, seed: number): Record<string, string> {
  const asImage: NormalizedImageRequest = { ...request, kind: 'image', format: 'png' };
  return {
    ...imageMetadata(asImage, seed),
    'matryoshka:frames': String(request.frames),
    'matryoshka:fps': String(request.fps),
    parameters: asciiJson({
      kind: 'clip',
      ...imageParameters(asImage, seed),
      frames: request.frames,
      fps: request.fps,
      loop: request.loop,
    }),
  };
}

/**
 * Encodes each clip (one animated file, or one PNG per frame) with its replayable metadata. Every
 * level of a clip is one flat NCFHW array, so the samplers, guidance and x0 policy apply unchanged.
 */
export function clipEncoder(request: NormalizedClipRequest): SampleEncoder {
  return async ([outer], seed, { channels, native }) => {
    const transparent = request.background === 'transparent';
    const frames = Array.from({ length: request.frames }, (_, f) => {
      const rgb = toRgb8(
        frameOf(outer as Float32Array, channels, request.frames, f, native * native),
        channels,
        native,
        native,
      );
      return transparent ? matteWhite(rgb, native, native) : rgb;
    });
    const files = await encodeClip(
      frames,
      native,
      {
        format: request.format,
        fps: request.fps,
        loop: request.loop,
        width: request.width,
        height: request.height,
        metadata: clipMetadata(request, seed),
      },
      transparent ? 4 : 3,
    );
    return files.map((file) => ({
      bytes: file.bytes,
      mimeType: file.mimeType,
      width: request.width,
      height: request.height,
      seed,
      format: request.format,
      frames: file.frames,
      ...(file.frameIndex === undefined ? {} : { frameIndex: file.frameIndex }),
    }));
  };
}
