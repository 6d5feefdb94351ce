import type {
  ImageModelV4,
  ImageModelV4CallOptions,
  ImageModelV4File,
  ImageModelV4Result,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { InvalidArgumentError } from '@ai-sdk/provider';
import { type GenerateResult, MAX_COUNT } from '@matryoshka/core';
import { dimensions, IMAGE_OPTION_KEYS, matryoshkaOptions, sdkWarnings } from './call-options.js';
import type { EngineSource } from './engine-source.js';
import { translateError } from './errors.js';
import { resultMetadata } from './result-metadata.js';

/** Image model ids of the shipped bundles; any installed bundle's id works. */
export type MatryoshkaImageModelId = 'emoji-256' | (string & {});

/** An in-process Matryoshka image model in the AI SDK's image-model specification (v4). */
export class MatryoshkaImageModel implements ImageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'matryoshka.image';
  readonly maxImagesPerCall = MAX_COUNT;
  readonly supportsFileInputs = true;
  readonly supportsMaskInputs = true;

  constructor(
    /** The bundle to run; "default" lets core choose (emoji-256 when installed). */
    readonly modelId: MatryoshkaImageModelId,
    private readonly source: EngineSource,
  ) {}

  async doGenerate(options: ImageModelV4CallOptions): Promise<ImageModelV4Result> {
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
          ...inputImage(options.files),
          ...(options.mask ? { mask: fileBytes(options.mask, 'prompt.mask') } : {}),
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

/** `prompt.images` → core's image-to-image input: one picture. */
function inputImage(files: ImageModelV4File[] | undefined): { image?: Uint8Array } {
  if (!files?.length) return {};
  if (files.length > 1) {
    throw new InvalidArgumentError({
      argument: 'prompt.images',
      message: `prompt.images: one picture to vary, not ${files.length}`,
    });
  }
  return { image: fileBytes(files[0] as ImageModelV4File, 'prompt.images') };
}

/** A picture given as bytes, base64 or a data: URL; other URLs are refused (nothing is fetched). */
function fileBytes(file: ImageModelV4File, argument: string): Uint8Array {
  if (file.type === 'file') {
    return typeof file.data === 'string' ? Buffer.from(file.data, 'base64') : file.data;
  }
  const data = /^data:[^,]*;base64,(.*)$/s.exec(file.url);
  if (data) return Buffer.from(data[1] as string, 'base64');
  throw new InvalidArgumentError({
    argument,
    message: `${argument}: give the picture as bytes or base64; Matryoshka runs offline and does not download URLs`,
  });
}
