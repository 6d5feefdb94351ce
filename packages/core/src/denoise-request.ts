import type { BundleRef } from './bundle.js';
import type { SamplerName } from './constants.js';
import { denoise, type InitSpec } from './denoise.js';
import { frameOf, toRgb8 } from './pixels.js';
import { encodeRgbPng } from './png/encode.js';
import type { NestedSchedule } from './schedule.js';
import type { GenerateOptions } from './schema.js';
import type { ModelSession } from './session.js';
import type { EncodedText } from './tokenizer.js';

export interface SampleModel {
  bundle: BundleRef;
  session: ModelSession;
  schedule: NestedSchedule;
}

export interface SampleRequest {
  sampler: SamplerName;
  steps: number;
  guidance: number;
  preview: boolean;
  count: number;
}

export interface SampleRun extends GenerateOptions {
  cond: EncodedText;
  uncond: EncodedText;
  /** Image-to-image: the input as each level sees it, and how far to move from it. */
  init?: InitSpec;
  /** performance.now() at the start of generate(): progress reports time since then. */
  started: number;
}

/**
 * Denoises sample `index` (seed = request seed + index) of an image or clip request, mapping each
 * sampler step onto the caller's onProgress. Images and clips share it so progress and the preview
 * (the innermost level's x0 estimate, first frame for clips) mean the same thing for both.
 */
export function denoiseSample(
  model: SampleModel,
  request: SampleRequest,
  run: SampleRun,
  seed: number,
  index: number,
): Promise<Float32Array[]> {
  const { manifest } = model.bundle;
  const channels = manifest.channels;
  const innermost = manifest.levels.at(-1)?.resolution as number;
  const frames = manifest.levels.some((l) => l.frames !== undefined)
    ? manifest.levels.map((l) => l.frames ?? 1)
    : undefined;
  const innerFrames = frames?.at(-1) ?? 1;
  const { onProgress } = run;
  const preview = (estimate: readonly Float32Array[]) => {
    const level = estimate.at(-1) as Float32Array;
    const plane = innerFrames > 1 ? frameOf(level, channels, innerFrames, 0, innermost * innermost) : level;
    return {
      width: innermost,
      height: innermost,
      png: encodeRgbPng(toRgb8(plane, channels, innermost, innermost), innermost, innermost),
    };
  };
  return denoise(
    {
      channels,
      resolutions: manifest.levels.map((l) => l.resolution),
      ...(frames ? { frames } : {}),
      schedule: model.schedule,
      prediction: manifest.prediction,
      x0: manifest.sampling.x0,
      sampler: request.sampler,
      steps: request.steps,
      guidance: request.guidance,
      seed,
      cond: run.cond,
      uncond: run.uncond,
      ...(run.init ? { init: run.init } : {}),
    },
    {
      forward: model.session.forward,
      signal: run.signal,
      onStep: onProgress
        ? (step, total, estimate) =>
            onProgress({
              step,
              total,
              elapsedMs: performance.now() - run.started,
              imageIndex: index,
              overall: { completed: index * total + step, total: request.count * total },
              ...(request.preview ? { preview: preview(estimate) } : {}),
            })
        : undefined,
    },
  );
}
