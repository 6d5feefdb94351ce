import { randomBytes } from 'node:crypto';
import type { BundleRef } from './bundle.js';
import { encodeClip } from './clip-encode.js';
import { denoiseSample } from './denoise-request.js';
import { MatryoshkaError } from './errors.js';
import { asciiJson, imageMetadata, imageParameters } from './metadata.js';
import { frameOf, toRgb8 } from './pixels.js';
import type { NestedSchedule } from './schedule.js';
import type {
  GeneratedImage,
  GenerateOptions,
  GenerateResult,
  NormalizedClipRequest,
  NormalizedImageRequest,
  ParsedClipRequest,
} from './schema.js';
import type { ModelSession } from './session.js';
import type { Tokenizer } from './tokenizer.js';

export interface ClipModelHandle {
  bundle: BundleRef;
  tokenizer: Tokenizer;
  session: ModelSession;
  schedule: NestedSchedule;
}

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
  const native = manifest.levels[0]?.resolution as number;
  return {
    kind: 'clip',
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
 * Draws `count` clips (clip k with seed + k) with the same sampler loop as images: every level of the
 * clip is one flat NCFHW array, so the samplers, guidance and x0 policy apply unchanged.
 */
export async function generateClips(
  model: ClipModelHandle,
  request: NormalizedClipRequest,
  { signal, onProgress }: GenerateOptions,
  started: number,
  loadMs: number,
  warnings: string[],
): Promise<GenerateResult> {
  const { manifest } = model.bundle;
  const channels = manifest.channels;
  const native = manifest.levels[0]?.resolution as number;
  const cond = model.tokenizer.encode(request.prompt);
  const uncond = model.tokenizer.encode(request.negativePrompt);
  if (cond.unknownWords.length) {
    warnings.push(
      `Words the model never saw in training, understood only through their spelling: ${[...new Set(cond.unknownWords)].join(', ')}`,
    );
  }
  if (request.width !== native || request.height !== native) {
    warnings.push(
      `The model draws ${native}×${native} frames; they were resized to ${request.width}×${request.height} with sharp (lanczos3), which adds no detail`,
    );
  }
  const images: GeneratedImage[] = [];
  let denoiseMs = 0;
  let encodeMs = 0;
  for (let clipIndex = 0; clipIndex < request.count; clipIndex++) {
    const seed = (request.seed + clipIndex) >>> 0;
    const denoiseStart = performance.now();
    const x0 = await denoiseSample(
      model,
      request,
      { signal, onProgress, started, cond, uncond },
      seed,
      clipIndex,
    );
    denoiseMs += performance.now() - denoiseStart;
    const encodeStart = performance.now();
    const outer = x0[0] as Float32Array;
    const frames = Array.from({ length: request.frames }, (_, f) =>
      toRgb8(frameOf(outer, channels, request.frames, f, native * native), channels, native, native),
    );
    const files = await encodeClip(frames, native, {
      format: request.format,
      fps: request.fps,
      loop: request.loop,
      width: request.width,
      height: request.height,
      metadata: clipMetadata(request, seed),
    });
    encodeMs += performance.now() - encodeStart;
    for (const file of files) {
      images.push({
        bytes: file.bytes,
        mimeType: file.mimeType,
        width: request.width,
        height: request.height,
        seed,
        format: request.format,
        frames: file.frames,
        ...(file.frameIndex === undefined ? {} : { frameIndex: file.frameIndex }),
      });
    }
  }
  return {
    images,
    model: request.model,
    request,
    timings: { loadMs, denoiseMs, encodeMs, totalMs: performance.now() - started },
    warnings,
  };
}
