import { createEngine, type Engine, type EngineOptions, type ModelInfo } from '@matryoshka/core';

/** One engine per provider, made on first use: one queue and one set of ONNX sessions for all its models. */
export class EngineSource {
  #engine: Engine | undefined;
  #models: Promise<ModelInfo[]> | undefined;

  constructor(private readonly options: EngineOptions & { engine?: Engine }) {}

  get engine(): Engine {
    this.#engine ??= this.options.engine ?? createEngine(this.options);
    return this.#engine;
  }

  /** The model a call will run: the one named, else core's default for the task. */
  async model(id: string | undefined, task: 'image' | 'clip'): Promise<ModelInfo | undefined> {
    this.#models ??= this.engine.listModels();
    const models = await this.#models.catch((error) => {
      this.#models = undefined;
      throw error;
    });
    if (id !== undefined) return models.find((m) => m.id === id);
    return models.find((m) => m.task === task && !m.fixture);
  }

  async close(): Promise<void> {
    await this.#engine?.close();
  }
}
