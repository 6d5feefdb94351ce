import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '@matryoshka/core';

/** The real engine on the random-weight test bundle: real ONNX Runtime, plumbing-only pictures. */
export function tinyEngine(): Engine {
  return createEngine({
    modelsDir: fileURLToPath(new URL('../../../../test/fixtures', import.meta.url)),
    defaultModel: 'tiny-bundle',
    threads: 1,
  });
}

export const exampleDeck = (name: string): string =>
  fileURLToPath(new URL(`../../../../examples/decks/${name}`, import.meta.url));
