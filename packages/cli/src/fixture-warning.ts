import type { Engine } from '@matryoshka/core';

/**
 * Random-weight test bundles make noise, not pictures; naming one explicitly is allowed (tests do),
 * but a person should never mistake its output for what the product makes.
 */
export async function fixtureWarning(engine: Engine, modelId: string): Promise<string | undefined> {
  const models = await engine.listModels();
  const model = models.find((m) => m.id === modelId);
  if (!model?.fixture) return undefined;
  return `${modelId} is a test fixture with random weights: its images are noise, not pictures`;
}
