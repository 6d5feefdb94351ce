/**
 * Inputs for one guided (batch 2) forward of a bundle's graph, built from its manifest: the two
 * standalone ONNX benchmarks time the graph directly, below the engine, and need the same feeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

export interface BundleShape {
  channels: number;
  levels: Array<{ resolution: number; input: string }>;
  text: { maxTokens: number; ngramsPerToken: number };
}

export function readBundleShape(dir: string): BundleShape {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BundleShape;
}

/** t = 0.7, a <bos> plus `words` word tokens per row, no n-grams, uniform noise for every level. */
export function stepFeeds(shape: BundleShape, words: number, batch = 2): Record<string, ort.Tensor> {
  const { maxTokens: L, ngramsPerToken: G } = shape.text;
  const feeds: Record<string, ort.Tensor> = {
    t: new ort.Tensor('float32', new Float32Array(batch).fill(0.7), [batch]),
    tokens: new ort.Tensor(
      'int64',
      new BigInt64Array(batch * L).map((_, i) => (i % L === 0 ? 2n : i % L <= words ? 5n : 0n)),
      [batch, L],
    ),
    ngrams: new ort.Tensor('int64', new BigInt64Array(batch * L * G), [batch, L, G]),
  };
  for (const { resolution: r, input } of shape.levels) {
    const n = batch * shape.channels * r * r;
    feeds[input] = new ort.Tensor(
      'float32',
      Float32Array.from({ length: n }, () => Math.random() * 2 - 1),
      [batch, shape.channels, r, r],
    );
  }
  return feeds;
}
