import { NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import type { Engine, EngineOptions } from '@matryoshka/core';
import { EngineSource } from './engine-source.js';
import { MatryoshkaImageModel, type MatryoshkaImageModelId } from './matryoshka-image-model.js';
import { MatryoshkaVideoModel, type MatryoshkaVideoModelId } from './matryoshka-video-model.js';

export interface MatryoshkaProviderSettings extends EngineOptions {
  /** An engine to share with the rest of the application (one queue); by default the provider makes its own. */
  engine?: Engine;
}

export interface MatryoshkaProvider extends ProviderV4 {
  /** An image model; without an id, core's default image model (emoji-256 when installed). */
  (modelId?: MatryoshkaImageModelId): MatryoshkaImageModel;
  image(modelId?: MatryoshkaImageModelId): MatryoshkaImageModel;
  imageModel(modelId?: MatryoshkaImageModelId): MatryoshkaImageModel;
  /** A clip model for `experimental_generateVideo`; without an id, core's default clip model. */
  video(modelId?: MatryoshkaVideoModelId): MatryoshkaVideoModel;
  videoModel(modelId?: MatryoshkaVideoModelId): MatryoshkaVideoModel;
  /** Releases the ONNX sessions (after running and queued calls finish). */
  close(): Promise<void>;
}

/** A provider whose models run in this process, on bundles found like core finds them (modelsDir, $MATRYOSHKA_MODELS). */
export function createMatryoshka(settings: MatryoshkaProviderSettings = {}): MatryoshkaProvider {
  const source = new EngineSource(settings);
  const image = (modelId: MatryoshkaImageModelId = 'default') => new MatryoshkaImageModel(modelId, source);
  const video = (modelId: MatryoshkaVideoModelId = 'default') => new MatryoshkaVideoModel(modelId, source);
  const none = (modelType: 'languageModel' | 'embeddingModel') => (modelId: string) => {
    throw new NoSuchModelError({
      modelId,
      modelType,
      message: `Matryoshka draws pictures and clips; it has no ${modelType === 'languageModel' ? 'language' : 'embedding'} models`,
    });
  };
  return Object.assign(image, {
    specificationVersion: 'v4' as const,
    image,
    imageModel: image,
    video,
    videoModel: video,
    languageModel: none('languageModel'),
    embeddingModel: none('embeddingModel'),
    close: () => source.close(),
  });
}

/** The default provider: bundles from $MATRYOSHKA_MODELS or the nearest models/ folder, all cores. */
export const matryoshka = createMatryoshka();
