import type {
  ImageModelV4,
  ImageModelV4CallOptions,
  ImageModelV4Result,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { type GenerateResult, MAX_COUNT } from '@matryoshka/core';
import { dimensions, IMAGE_OPTION_KEYS, matryoshkaOptions, sdkWarnings } from './call-options.js';
import type { EngineSource } from './engine-source.js';
import { translateError } from './errors.js';
import { resultMetadata } from './result-metadata.js';

/** Image model ids of the shipped bundles; any installed bundle's id works. */
export type MatryoshkaImageModelId = 'emoji-64' | (string & {});

/** An in-process Matryoshka image model in the AI SDK's image-model specification (v4). */
export class MatryoshkaImageModel implements ImageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'matryoshka.image';
  readonly maxImagesPerCall = MAX_COUNT;
  readonly supportsFileInputs = false;
  readonly supportsMaskInputs = false;

  constructor(
    /** The bundle to run; "default" lets core choose (emoji-64 when installed). */
    readonly modelId: MatryoshkaImageModelId,
    private readonly source: EngineSource,
  ) {}

  async doGenerate(options: ImageModelV4CallOptions): Promise<ImageModelV4Result> {
    if (options.files?.length || options.mask) {
      throw new UnsupportedFunctionalityError({
        functionality: options.mask ? 'mask inputs' : 'image file inputs',
        message: 'Matryoshka image models draw from text only: leave out prompt.images and prompt.mask',
      });
    }
    const model = this.modelId === 'default' ? undefined : this.modelId;
    const warnings: SharedV4Warning[] = [];
    let result: GenerateResult;
    try {
      const size =
        options.size === undefined && options.aspectRatio !== undefined
          ? (await this.source.engine.resolveModel({ kind: 'image', ...(model ? { model } : {}) }))
              .nativeResolution
          : 0;
      result = await this.source.engine.generate(
        {
          ...matryoshkaOptions(options.providerOptions, IMAGE_OPTION_KEYS),
          kind: 'image',
          prompt: options.prompt ?? '',
          ...(model ? { model } : {}),
          ...dimensions(options.size, options.aspectRatio, size, warnings),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          count: options.n,
        },
        options.abortSignal ? { signal: options.abortSignal } : {},
      );
    } catch (error) {
      throw translateError(error, this.modelId, 'imageModel', options.abortSignal);
    }
    return {
      images: result.images.map((image) => image.bytes),
      warnings: [...warnings, ...sdkWarnings(result.warnings)],
      providerMetadata: { matryoshka: resultMetadata(result) },
      response: { timestamp: new Date(), modelId: result.model, headers: undefined },
    };
  }
}
