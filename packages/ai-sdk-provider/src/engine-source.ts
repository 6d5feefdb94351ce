import { createEngine, type Engine, type EngineOptions } from '@matryoshka/core';

/** One engine per provider, made on first use: one queue and one set of ONNX sessions for all its models. */
export class EngineSource {
  #engine: Engine | undefined;

  constructor(private readonly options: EngineOptions & { engine?: Engine }) {}

  get engine(): Engine {
    this.#engine ??= this.options.engine ?? createEngine(this.options);
    return this.#engine;
  }

  async close(): Promise<void> {
    await this.#engine?.close();
  }
}
