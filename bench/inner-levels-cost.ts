/**
 * What "denoise only the inner levels during the first steps" would save, measured rather than
 * assumed. The bundle's graph cannot skip its outer levels (the inner UNet adds the outer encoder's
 * features through its in-adapter, so every output depends on every input); the trick needs a
 * second graph holding only the inner levels. Export such graphs from the training config
 * (MatryoshkaModel(cfg, vocab, num_levels=k), e.g. into /tmp/inner/<id>-inner<k>) and run:
 *
 *   npx tsx bench/inner-levels-cost.ts /tmp/m/emoji-64 /tmp/inner/emoji-64-inner2 /tmp/inner/emoji-64-inner1
 *
 * Times one guided (batch 2) forward of each graph, interleaved so load drifts hit all alike, and
 * prints the projected denoising time of 20 steps when the first K run on the inner graph only.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { median } from './stats.js';
import { readBundleShape, stepFeeds } from './step-feeds.js';

async function open(dir: string) {
  const manifest = readBundleShape(dir);
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
  });
  const feeds = stepFeeds(manifest, 0);
  await session.run(feeds);
  return { dir, levels: manifest.levels.map((l) => l.resolution), run: () => session.run(feeds) };
}

const graphs = await Promise.all(process.argv.slice(2).map(open));
const times = graphs.map(() => [] as number[]);
for (let round = 0; round < 15; round++) {
  for (const [i, g] of graphs.entries()) {
    const t0 = performance.now();
    await g.run();
    times[i]?.push(performance.now() - t0);
  }
}
const ms = times.map(median);
const full = ms[0] as number;
for (const [i, g] of graphs.entries()) {
  console.log(
    `${g.levels.join('/')} px: ${(ms[i] as number).toFixed(1)} ms per guided forward (${((100 * (ms[i] as number)) / full).toFixed(0)}% of the full graph)`,
  );
}
const N = 20;
for (const [i, g] of graphs.entries()) {
  if (i === 0) continue;
  for (const K of [5, 8, 10]) {
    const projected = K * (ms[i] as number) + (N - K) * full;
    console.log(
      `  first ${K} of ${N} steps on ${g.levels.join('/')} px only: ${(projected / 1000).toFixed(2)} s vs ${((N * full) / 1000).toFixed(2)} s (−${(100 * (1 - projected / (N * full))).toFixed(0)}%)`,
    );
  }
}
