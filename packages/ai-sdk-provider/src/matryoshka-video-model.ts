import type {
  SharedV4Warning,
  Experimental_VideoModelV4 as VideoModelV4,
  Experimental_VideoModelV4CallOptions as VideoModelV4CallOptions,
  Experimental_VideoModelV4Result as VideoModelV4Result,
} from '@ai-sdk/provider';
import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { type GenerateResult, MAX_COUNT } from '@matryoshka/core';
import { dimensions, matryoshkaOptions, sdkWarnings, VIDEO_OPTION_KEYS } from './call-options.js';
import type { EngineSource } from './engine-source.js';
import { translateError } from './errors.js';
import { resultMetadata } from './result-metadata.js';

/** Clip model ids of the shipped bundles; any installed clip bundle's id works. */
export type MatryoshkaVideoModelId = 'emoji-clip-64' | (string & {});

/**
 * Short looping clips (animated WebP by default, GIF with `format: 'gif'`) in the AI SDK's video-model
 * specification (v4). A clip model draws a fixed number of frames: `duration` sets how fast they play.
 */
export class MatryoshkaVideoModel implements VideoModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'matryoshka.video';
  readonly maxVideosPerCall = MAX_COUNT;

  constructor(
    /** The clip bundle to run; "default" lets core choose (emoji-clip-64 when installed). */
    readonly modelId: MatryoshkaVideoModelId,
    private readonly source: EngineSource,
  ) {}

  async doGenerate(options: VideoModelV4CallOptions): Promise<VideoModelV4Result> {
    if (options.image || options.frameImages?.length || options.inputReferences?.length) {
      throw new UnsupportedFunctionalityError({
        functionality: 'image inputs',
        message:
          'Matryoshka clip models animate from text only: leave out image, frameImages and inputReferences',
      });
    }
    const model = this.modelId === 'default' ? undefined : this.modelId;
    const warnings: SharedV4Warning[] = [];
    if (options.generateAudio) {
      warnings.push({ type: 'unsupported', feature: 'generateAudio', details: 'clips are silent' });
    }
    let result: GenerateResult;
    try {
      const info = await this.source.engine.resolveModel({ kind: 'clip', ...(model ? { model } : {}) });
      const ratio = options.aspectRatio === 'adaptive' ? undefined : options.aspectRatio;
      result = await this.source.engine.generate(
        {
          ...matryoshkaOptions(options.providerOptions, VIDEO_OPTION_KEYS),
          kind: 'clip',
          prompt: options.prompt ?? '',
          ...(model ? { model } : {}),
          ...dimensions(options.resolution, ratio, info.nativeResolution, warnings, 'resolution'),
          ...this.fps(options, info.clip?.frames, warnings),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          count: options.n,
        },
        options.abortSignal ? { signal: options.abortSignal } : {},
      );
    } catch (error) {
      throw translateError(error, this.modelId, 'videoModel', options.abortSignal);
    }
    return {
      videos: result.images.map((clip) => ({ type: 'binary', data: clip.bytes, mediaType: clip.mimeType })),
      warnings: [...warnings, ...sdkWarnings(result.warnings)],
      providerMetadata: { matryoshka: resultMetadata(result) },
      response: { timestamp: new Date(), modelId: result.model, headers: undefined },
    };
  }

  /** `fps` as given; else `duration` sets it from the model's frame count (the nearest whole fps, 1–60). */
  private fps(
    options: VideoModelV4CallOptions,
    frames: number | undefined,
    warnings: SharedV4Warning[],
  ): { fps?: number } {
    if (options.duration === undefined || frames === undefined) {
      return options.fps === undefined ? {} : { fps: options.fps };
    }
    if (options.fps !== undefined) {
      warnings.push({
        type: 'unsupported',
        feature: 'duration',
        details: `the model draws ${frames} frames, so fps ${options.fps} fixes the duration; duration ${options.duration} s is not used`,
      });
      return { fps: options.fps };
    }
    const fps = Math.min(60, Math.max(1, Math.round(frames / options.duration)));
    const actual = frames / fps;
    if (Math.abs(actual - options.duration) > 1e-9) {
      warnings.push({
        type: 'compatibility',
        feature: 'duration',
        details: `the model draws ${frames} frames; at ${fps} fps the clip lasts ${actual.toFixed(2)} s, not ${options.duration} s`,
      });
    }
    return { fps };
  }
}
